"""Composition root for the desktop app: profile, core, Qt application, main window."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.profile import Core, initialise, is_initialised, open_profile

log = logging.getLogger(__name__)


def open_demo_profile(*, fill: bool = True) -> Core:
    """A fresh profile in a temporary folder, set up for LOP and (with ``fill``) demo data."""
    from euregionet_desktop.services import demo

    root = Path(tempfile.mkdtemp(prefix="euregionet-demo-"))
    core = open_profile(Profile(root), purpose="euregionet --demo")
    core.backend.run(initialise, office="LOP", label=_("Demo laptop"),
                     advisor_name=_("Demo advisor"))
    if fill:
        core.backend.run(demo.generate)
    return core


def run(*, data_dir: Path | None, demo: bool = False) -> int:
    """Open the main window; returns the process exit code."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EuRegioNet")
    app.setOrganizationName("EuRegioNet")
    app.setApplicationDisplayName(_("EuRegioNet Desktop"))
    try:
        core = (open_demo_profile(fill=False) if demo
                else open_profile(Profile(data_dir), purpose="app"))
    except UserFacingError as error:
        QMessageBox.critical(None, _("EuRegioNet Desktop"), str(error))
        return 1
    try:
        if not core.backend.read(is_initialised):
            from euregionet_desktop.ui.first_run import FirstRunDialog

            answer = FirstRunDialog.ask(None)
            if answer is None:
                return 0
            core.backend.run(initialise, office=answer.office_code, label=answer.label,
                             advisor_name=answer.advisor_name)
        from euregionet_desktop.ui.main_window import MainWindow

        window = MainWindow(core)
        window.show()
        if demo:
            from euregionet_desktop.services import demo as demo_data

            # Filled behind a progress dialog, so the window is there at once.
            window.runner.start(window, demo_data.generate, title=_("Filling the demo profile"))
        return app.exec()
    finally:
        core.close()

