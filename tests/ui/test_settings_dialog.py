"""The Settings dialog: the saved language, the restart it offers, Qt's own texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from ui_helpers import in_modal

from euregionet_desktop import app, preferences
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.settings_dialog import SettingsChoice, SettingsDialog

# english, qt_language and window: tests/ui/conftest.py
pytestmark = pytest.mark.usefixtures("english")


def _choose(monkeypatch, language: str | None) -> list[str | None]:
    """The person picks ``language`` in the Settings dialog; returns what it was shown."""
    shown: list[str | None] = []

    def ask(cls, parent, *, current, page=None):
        shown.append(current)
        return SettingsChoice(language)

    monkeypatch.setattr(SettingsDialog, "ask", classmethod(ask))
    return shown


def _answer_restart(monkeypatch, button: str | None) -> list[str]:
    """The person clicks ``button`` in the restart question (None: no question expected);
    returns the questions asked."""
    asked: list[str] = []

    def exec_(box):
        asked.append(box.text())
        assert button is not None, f"unexpected question: {box.text()}"
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def _saved() -> dict:
    return json.loads(preferences.settings_file().read_text(encoding="utf-8"))


def test_choosing_german_saves_it_and_offers_a_restart(window, monkeypatch):
    """German is written to the settings file and the person is asked about a restart."""
    shown = _choose(monkeypatch, "de")
    asked = _answer_restart(monkeypatch, "Later")
    window.settings_action.trigger()
    assert shown == [None]
    assert _saved() == {"language": "de"}
    assert preferences.saved_language() == "de"
    assert asked == ["Restart EuRegioNet Desktop now to switch to Deutsch?"]


def test_later_keeps_the_window_and_says_when_the_language_changes(window, monkeypatch):
    """Later: the window stays open and the status bar says the language comes next start."""
    _choose(monkeypatch, "pl")
    _answer_restart(monkeypatch, "Later")
    window.settings_action.trigger()
    assert "next start" in window.statusBar().currentMessage()
    assert window.isVisible() and not window.restart_requested


def test_choosing_the_current_language_asks_nothing(window, monkeypatch):
    """English while the window is in English (chosen or as the system's): no question."""
    asked = _answer_restart(monkeypatch, None)
    _choose(monkeypatch, "en")
    window.settings_action.trigger()
    assert preferences.saved_language() == "en"
    _choose(monkeypatch, None)
    window.settings_action.trigger()
    assert preferences.saved_language() is None
    assert asked == [] and window.isVisible()
    assert "next start" not in window.statusBar().currentMessage()


def test_cancelling_the_settings_writes_nothing(window, monkeypatch):
    """Cancel: no settings file, no question."""
    _answer_restart(monkeypatch, None)
    monkeypatch.setattr(SettingsDialog, "ask",
                        classmethod(lambda cls, parent, *, current, page=None: None))
    window.settings_action.trigger()
    assert not preferences.settings_file().exists()


def test_settings_that_cannot_be_saved_are_reported(window, monkeypatch, tmp_path):
    """A config folder that cannot be created: one warning naming the file, no restart."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(preferences.ENV_CONFIG_DIR, str(blocker / "EuRegioNet"))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    _answer_restart(monkeypatch, None)
    _choose(monkeypatch, "de")
    window.settings_action.trigger()
    assert len(warnings) == 1 and "settings.json" in warnings[0]
    assert window.isVisible()


def test_restart_now_restarts_without_lang_once_the_profile_is_closed(qapp, tmp_path,
                                                                       monkeypatch, qt_language):
    """Restart now closes the window, unlocks the profile, then starts the app again with
    the same arguments minus --lang."""
    folder = tmp_path / "profile"
    with open_profile(Profile(folder), purpose="pytest") as core:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
    _choose(monkeypatch, "de")
    _answer_restart(monkeypatch, "Restart now")
    restarts: list[tuple[list[str], bool]] = []

    def restart(args):
        # The new process must find the profile unlocked.
        with open_profile(Profile(folder), purpose="pytest"):
            restarts.append((list(args), True))
        return True

    monkeypatch.setattr(app, "restart_app", restart)
    windows: list[MainWindow] = []

    def choose_settings() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        windows.append(window)
        window.settings_action.trigger()

    QTimer.singleShot(0, choose_settings)
    # Closing the last window ends app.exec(); the guard only keeps a failure from hanging.
    guard = QTimer(singleShot=True)
    guard.timeout.connect(QApplication.quit)
    guard.start(20_000)
    try:
        code = app.run(data_dir=folder, argv=["--data-dir", str(folder), "--lang", "en"])
    finally:
        guard.stop()
    assert code == 0
    assert windows and not windows[0].isVisible() and windows[0].restart_requested
    assert restarts == [(["--data-dir", str(folder)], True)]
    assert preferences.saved_language() == "de"


def test_restart_arguments_drop_every_spelling_of_lang():
    """--lang X, --lang=X and argparse's abbreviations go; a folder called --lang stays."""
    assert app.restart_arguments(
        ["--lang", "de", "--data-dir", "--lang", "--demo", "--lang=pl", "--la", "en",
         "--data=/tmp/x"]) == ["--data-dir", "--lang", "--demo", "--data=/tmp/x"]
    assert app.restart_arguments(["--demo"]) == ["--demo"]


def test_the_dialog_names_each_language_in_itself(qtbot):
    """The choices read Follow the system (English), Polski, Deutsch, English; OK returns
    the one picked."""
    dialog = SettingsDialog("de")
    qtbot.addWidget(dialog)
    combo = dialog.language
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Follow the system (English)", "Polski", "Deutsch", "English"]
    assert combo.currentData() == "de"

    def pick_polish(shown) -> None:
        shown.language.setCurrentIndex(shown.language.findData("pl"))
        shown.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    choice = in_modal(qtbot, lambda: SettingsDialog.ask(None, current=None), pick_polish)
    assert choice == SettingsChoice("pl")
    assert in_modal(qtbot, lambda: SettingsDialog.ask(None, current="en"),
                    lambda shown: shown.reject()) is None


@pytest.mark.parametrize(("language", "cancel", "yes"), [("de", "Abbrechen", "&Ja"),
                                                         ("pl", "Anuluj", "&Tak")])
def test_qt_standard_buttons_speak_the_chosen_language(qapp, qt_language, language, cancel,
                                                       yes):
    """Qt's translations: standard buttons in German or Polish; weeks start on Monday."""
    translator = app.install_qt_translations(qapp, language)
    assert translator is not None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Yes)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == cancel
    assert buttons.button(QDialogButtonBox.StandardButton.Yes).text() == yes
    assert QLocale().name() == f"{language}_{language.upper()}"
    assert QLocale().firstDayOfWeek() == Qt.DayOfWeek.Monday


def test_english_weeks_start_on_monday_too(qapp, qt_language):
    """English is British English: Monday first, as in Poland and Germany."""
    app.install_qt_translations(qapp, "en")
    assert QLocale().name() == "en_GB"
    assert QLocale().firstDayOfWeek() == Qt.DayOfWeek.Monday


def test_language_round_trips_through_the_settings_file(tmp_path):
    """Saved in the folder EUREGIONET_CONFIG_DIR names; None goes back to the system."""
    assert preferences.settings_file() == tmp_path / "user-config" / "settings.json"
    assert preferences.saved_language() is None
    preferences.save_language("pl")
    assert preferences.saved_language() == "pl"
    preferences.save_language(None)
    assert preferences.saved_language() is None
    assert [p.name for p in preferences.config_dir().iterdir()] == ["settings.json"]


@pytest.mark.parametrize("text", ["{not json", "[]", '{"language": "fr"}',
                                  '{"language": 3}', "\xff\xfe", "[" * 100_000])
def test_a_damaged_settings_file_means_follow_the_system(text):
    """Broken JSON, a list, an unknown language: None, and saving repairs the file."""
    path: Path = preferences.settings_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("latin-1"))
    assert preferences.saved_language() is None
    preferences.save_language("de")
    assert preferences.saved_language() == "de"
