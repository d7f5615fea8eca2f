"""Dialogs sized to their content and never larger than the screen they open on."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QScrollArea, QWidget

# Room kept for the window manager's title bar and frame, which are not known before a
# dialog is first shown (30 px on Windows 11 at 100 %, 37 px in GNOME, 30 px in KDE).
TITLE_BAR = 40
FRAME = 16


def available_geometry(widget: QWidget) -> QRect:
    """The part of the screen a window may use (without taskbar or dock) where ``widget``
    opens: its parent's screen, for a dialog not yet shown."""
    parent = widget.parentWidget()
    screen = (parent.window() if parent is not None else widget).screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` × ``height``, or less where the screen is smaller, so
    that its buttons stay on the screen with the title bar above them."""
    area = available_geometry(dialog)
    dialog.resize(min(width, area.width() - FRAME), min(height, area.height() - TITLE_BAR))


def content_height(dialog: QWidget, scroll: QScrollArea) -> int:
    """The height ``dialog`` needs to show the whole content of ``scroll`` without
    scrolling, with the rest of its layout (buttons, banners)."""
    body = scroll.widget().sizeHint().height() + 2 * scroll.frameWidth()
    return dialog.sizeHint().height() - scroll.sizeHint().height() + body
