"""The window's part of ``euregionet --self-test``: the main window shown and closed."""

from __future__ import annotations

import os
import sys
import time

from euregionet_desktop.i18n import _
from euregionet_desktop.services.profile import Core

SETTLE_SECONDS = 0.3  # after the window is exposed: its first deferred work runs
EXPOSE_TIMEOUT = 20.0


def show_and_close_main_window(core: Core) -> str:
    """Open the main window on ``core``, wait until it is on screen, close it; returns the
    Qt platform used. Offscreen unless QT_QPA_PLATFORM names another (support may ask for
    ``QT_QPA_PLATFORM=xcb`` to check the desktop's own plugin and libraries)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from euregionet_desktop.ui.background import collect_on_gui_thread
    from euregionet_desktop.ui.icons import use_icon_theme
    from euregionet_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_icon_theme(app)
    collect_on_gui_thread(app)  # as app.run does
    window = MainWindow(core)
    window.show()
    deadline = time.monotonic() + EXPOSE_TIMEOUT
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            break
    else:
        raise RuntimeError(_("The main window was not shown within {seconds} s.").format(
            seconds=f"{EXPOSE_TIMEOUT:.0f}"))
    settle = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < settle:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if not window.close():
        raise RuntimeError(_("The main window did not close."))
    QCoreApplication.processEvents()
    window.deleteLater()
    QCoreApplication.processEvents()
    return app.platformName()
