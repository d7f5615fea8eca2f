"""The Settings dialog (the interface language, the office, the backups) and what follows it: saving,
the offer to restart in the new language, or the backup chosen for a restore."""

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop import preferences
from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import LANGUAGES, _, current_language, system_language
from euregionet_desktop.ui.backups_page import BackupsPage
from euregionet_desktop.ui.office_page import OfficePage
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.programme_page import ProgrammePage

# Each language named in itself, as language pickers do: a person who cannot read the
# current language still finds their own.
LANGUAGE_NAMES = {"pl": "Polski", "de": "Deutsch", "en": "English"}
PROGRAMME_PAGE = "settingsProgrammePage"  # the Programme tab's object name (``page``)


@dataclass(frozen=True)
class SettingsChoice:
    language: str | None  # None = follow the system
    restore: str | None = None  # a backup's id: restore it (the language is left as it was)


class SettingsDialog(QDialog):
    """Pages: Language (OK saves it) and, given the window's runner, Office (corrected at
    once, until the first bundle), Programme (its button or OK saves it) and Backups (its buttons act at once; Restore… closes the
    dialog with the backup chosen)."""

    def __init__(self, current: str | None, parent: QWidget | None = None, *,
                 runner: OpRunner | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.restore: str | None = None
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(objectName="settingsTabs")
        self.tabs.setTabBarAutoHide(True)  # without a profile there is only the language
        language_page = QWidget(objectName="settingsLanguagePage")
        page = QVBoxLayout(language_page)
        form = QFormLayout()
        self.language = QComboBox(objectName="settingsLanguage")
        self.language.setAccessibleName(_("Language"))
        self.language.addItem(_("Follow the system ({language})").format(
            language=LANGUAGE_NAMES[system_language()]), None)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(self.language.findData(current), 0))
        form.addRow(_("Language"), self.language)
        page.addLayout(form)
        note = QLabel(_("The new language is used from the next start of EuRegioNet Desktop."),
                      objectName="settingsLanguageNote")
        note.setWordWrap(True)
        page.addWidget(note)
        page.addStretch(1)
        self.tabs.addTab(language_page, _("Language"))
        self.backups: BackupsPage | None = None
        self.office: OfficePage | None = None
        self.programme: ProgrammePage | None = None
        if runner is not None and runner.profile is not None:
            self.office = OfficePage(runner)
            self.tabs.addTab(self.office, _("Office"))
            self.programme = ProgrammePage(runner)
            self.tabs.addTab(self.programme, _("Programme"))
            self.tabs.currentChanged.connect(self._fit_programme)
            self.backups = BackupsPage(runner, runner.profile)
            self.backups.restore_chosen.connect(self._restore)
            self.tabs.addTab(self.backups, _("Backups"))
            self.resize(self.fontMetrics().averageCharWidth() * 90,
                        self.fontMetrics().height() * 28)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_programme()  # opened on the Programme page

    def _fit_programme(self) -> None:
        """The Programme page has many fields: the dialog grows to show them all, as far
        as the screen allows (it scrolls beyond)."""
        if self.programme is None or self.tabs.currentWidget() is not self.programme:
            return
        wanted = self.programme.wanted_size()
        extra = self.size() - self.programme.size()
        room = self.screen().availableGeometry().size() * 0.9
        self.resize(max(self.width(), min(wanted.width() + extra.width(), room.width())),
                    max(self.height(), min(wanted.height() + extra.height(), room.height())))

    def accept(self) -> None:
        """OK saves the Programme page's changes too; refused, the dialog stays open."""
        if self.programme is not None and self.programme.is_changed() \
                and not self.programme.save():
            self.tabs.setCurrentWidget(self.programme)
            return
        super().accept()

    def _restore(self, backup_id: str) -> None:
        self.restore = backup_id
        QDialog.accept(self)  # a restore replaces the database: nothing typed is saved

    def choice(self) -> SettingsChoice:
        return SettingsChoice(language=self.language.currentData(), restore=self.restore)

    @classmethod
    def ask(cls, parent: QWidget | None, *, current: str | None,
            page: str | None = None) -> SettingsChoice | None:
        """The settings chosen; with the main window as ``parent`` (its ``runner``) the
        dialog has the Backups page for that window's profile. ``page`` (a tab's object
        name) is the tab it opens on."""
        runner = getattr(parent, "runner", None)
        dialog = cls(current, parent, runner=runner if isinstance(runner, OpRunner) else None)
        shown = dialog.tabs.findChild(QWidget, page) if page else None
        if shown is not None:
            dialog.tabs.setCurrentWidget(shown)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class LanguageChange(enum.Enum):
    """What the window does after the settings: nothing, restart now, or tell it is later."""

    NONE = enum.auto()
    RESTART_NOW = enum.auto()
    LATER = enum.auto()


@dataclass(frozen=True)
class RestoreChosen:
    """The window closes and the app restores this backup (confirmed on the page)."""

    backup_id: str


def change_settings(parent: QWidget, *, page: str | None = None
                    ) -> LanguageChange | RestoreChosen:
    """Ask for the settings (on ``page``, a tab's object name, if given), save them, and
    offer a restart when the language changed; or the backup to restore, when that was
    chosen instead."""
    saved = preferences.saved_language()
    choice = SettingsDialog.ask(parent, current=saved, page=page)
    if choice is None:
        return LanguageChange.NONE
    if choice.restore is not None:
        return RestoreChosen(choice.restore)
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
