"""The Settings dialog (the interface language) and what follows it: saving, and the offer
to restart in the new language."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop import preferences
from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import LANGUAGES, _, current_language, system_language

# Each language named in itself, as language pickers do: a person who cannot read the
# current language still finds their own.
LANGUAGE_NAMES = {"pl": "Polski", "de": "Deutsch", "en": "English"}


@dataclass(frozen=True)
class SettingsChoice:
    language: str | None  # None = follow the system


class SettingsDialog(QDialog):
    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(objectName="settingsLanguage")
        self.language.setAccessibleName(_("Language"))
        self.language.addItem(_("Follow the system ({language})").format(
            language=LANGUAGE_NAMES[system_language()]), None)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(self.language.findData(current), 0))
        form.addRow(_("Language"), self.language)
        layout.addLayout(form)
        note = QLabel(_("The new language is used from the next start of EuRegioNet Desktop."),
                      objectName="settingsLanguageNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> SettingsChoice:
        return SettingsChoice(language=self.language.currentData())

    @classmethod
    def ask(cls, parent: QWidget | None, *, current: str | None) -> SettingsChoice | None:
        dialog = cls(current, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class LanguageChange(enum.Enum):
    """What the window does after the settings: nothing, restart now, or tell it is later."""

    NONE = enum.auto()
    RESTART_NOW = enum.auto()
    LATER = enum.auto()


def change_settings(parent: QWidget) -> LanguageChange:
    """Ask for the settings, save them, and offer a restart when the language changed."""
    saved = preferences.saved_language()
    choice = SettingsDialog.ask(parent, current=saved)
    if choice is None:
        return LanguageChange.NONE
    if choice.language != saved:
        try:
            preferences.save_language(choice.language)
        except UserFacingError as error:
            QMessageBox.warning(parent, _("Settings"), str(error))
            return LanguageChange.NONE
    language = choice.language or system_language()
    if language == current_language():
        return LanguageChange.NONE
    return LanguageChange.RESTART_NOW if ask_restart(parent, language) else LanguageChange.LATER


def ask_restart(parent: QWidget, language: str) -> bool:
    """"Restart now" or "Later" for switching to ``language``."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Settings"),
                      _("Restart EuRegioNet Desktop now to switch to {language}?").format(
                          language=LANGUAGE_NAMES[language]), parent=parent)
    box.setObjectName("restartQuestion")
    restart = box.addButton(_("Restart now"), QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton(_("Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restart)
    box.setEscapeButton(later)
    box.exec()
    return box.clickedButton() is restart
