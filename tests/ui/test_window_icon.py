"""Every window carries the application's icon, and names its desktop entry (Wayland)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from euregionet_desktop.paths import APP_ID
from euregionet_desktop.ui.icons import use_icon_theme


def test_windows_show_the_application_icon(qtbot, qapp):
    before = qapp.style().name()
    try:
        use_icon_theme(qapp)  # as app.run does before any window
        widget = QWidget()
        qtbot.addWidget(widget)
        assert QApplication.desktopFileName() == APP_ID
        image = widget.windowIcon().pixmap(64, 64).toImage()
        assert image.width() == 64
        # Our drawing, not a blank or generic icon: a blue tile with a yellow hub.
        assert image.pixelColor(0, 0).alpha() == 0
        blue = image.pixelColor(10, 32)
        assert blue.blue() > 120 and blue.red() < 80
        hub = image.pixelColor(32, 32)
        assert hub.red() > 200 and hub.green() > 150 and hub.blue() < 80, QColor(hub).name()
    finally:
        QApplication.setStyle(QStyleFactory.create(before))
