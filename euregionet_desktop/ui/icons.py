"""One icon theme for toolbar, sidebar and dialogs: the desktop's freedesktop icons, and
the bundled ones (resources/icons, same names) where the desktop has none."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleFactory, QWidget

from euregionet_desktop.package_data import data_path
from euregionet_desktop.paths import APP_ID

# Installed, the icons are package data (setup.py copies resources/ into the package);
# in a source checkout they are in the repository's resources/.
ICON_DIRS = (data_path("resources", "icons"),)

SP = QStyle.StandardPixmap
# Qt's stock icons (dialog buttons, message boxes) by their freedesktop names.
STANDARD_ICONS: dict[QStyle.StandardPixmap, str] = {
    SP.SP_DialogOkButton: "dialog-ok",
    SP.SP_DialogYesButton: "dialog-ok",
    SP.SP_DialogApplyButton: "dialog-ok",
    SP.SP_DialogCancelButton: "dialog-cancel",
    SP.SP_DialogNoButton: "dialog-cancel",
    SP.SP_DialogSaveButton: "document-save",
    SP.SP_DialogOpenButton: "document-open",
    SP.SP_DialogDiscardButton: "edit-clear",
    SP.SP_DialogResetButton: "edit-clear",
    SP.SP_DialogCloseButton: "window-close",
    SP.SP_MessageBoxInformation: "dialog-information",
    SP.SP_MessageBoxWarning: "dialog-warning",
    SP.SP_MessageBoxCritical: "dialog-error",
    SP.SP_MessageBoxQuestion: "dialog-question",
}


def bundled_path(name: str) -> Path | None:
    for folder in ICON_DIRS:
        path = folder / f"{name}.svg"
        if path.is_file():
            return path
    return None


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` in the freedesktop naming (``edit-undo``): the desktop
    theme's if it has one, else ours."""
    path = bundled_path(name)
    fallback = QIcon(str(path)) if path is not None else QIcon()
    return QIcon.fromTheme(name, fallback)


class ThemedStyle(QProxyStyle):
    """The application's style, with the dialogs' and message boxes' icons taken from the
    same theme as the toolbar's, and shown on every platform."""

    def standardIcon(self, standard: QStyle.StandardPixmap, option=None,
                     widget: QWidget | None = None) -> QIcon:
        name = STANDARD_ICONS.get(standard)
        if name is not None:
            themed = icon(name)
            if not themed.isNull():
                return themed
        return super().standardIcon(standard, option, widget)

    def styleHint(self, hint: QStyle.StyleHint, option=None, widget: QWidget | None = None,
                  data=None) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, data)


def use_icon_theme(app) -> None:
    """Give ``app`` its style with our icons (app.run does this before any window), and
    every window the application's icon."""
    if not isinstance(app.style(), ThemedStyle):
        app.setStyle(ThemedStyle(QStyleFactory.create(app.style().name())))
    app.setWindowIcon(icon(APP_ID))
    # On Wayland the compositor takes the window's icon and name from the desktop entry.
    app.setDesktopFileName(APP_ID)
