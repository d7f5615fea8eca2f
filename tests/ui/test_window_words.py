"""The window's words: refusals name its buttons, the import preview speaks of what will
happen, an export says where it went, file dialogs start where they should and in the
window's language."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from euregionet_desktop import app, i18n
from euregionet_desktop.errors import NextStep, UserFacingError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, records
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui import file_dialogs, sync_view
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.error_text import window_text
from euregionet_desktop.ui.main_window import MainWindow


@pytest.fixture
def language():
    """Switch the window's language for one test; the one before is restored after."""
    before = i18n.current_language()
    yield i18n.set_language
    i18n.set_language(before)


def _sync(qtbot, core):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.sync_view.loaded, timeout=10_000):
        window.go_to(window.views.index(window.sync_view))
    return window, window.sync_view


def _stranger_bundle(tmp_path: Path, to_office: str) -> Path:
    """A bundle from an SNB installation whose key nobody trusts."""
    snb = open_profile(Profile(tmp_path / "SNB"), purpose="pytest")
    try:
        snb.backend.run(initialise, office="SNB", advisor_name="Advisor SNB")
        snb.backend.run(records.create, entity="contact",
                        values={"first_name": "Ola", "last_name": "Lis"})
        path = tmp_path / f"snb-for-{to_office}.zip"
        snb.backend.run(bundle_export.export_bundle, profile=snb.profile,
                        to_office=to_office, path=path)
    finally:
        snb.close()
    return path


def _answer_modal(qtbot, handle):
    """Run ``handle(box)`` on the next modal dialog once it is open (as a person would)."""
    seen: list[QWidget] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(10, look)
            return
        seen.append(box)
        handle(box)

    QTimer.singleShot(0, look)
    return seen


def _button(box: QWidget, text: str) -> QAbstractButton:
    return next(b for b in box.findChildren(QAbstractButton) if b.text() == text)


# --- refusals name the window's buttons, the CLI's commands -----------------------------

def test_an_untrusted_bundle_points_to_the_trust_button_in_the_window(
        qtbot, offices, tmp_path, monkeypatch, english):
    """The refusal in the window names the button on the same screen, not a command."""
    bundle = _stranger_bundle(tmp_path, "LOP")
    _window, view = _sync(qtbot, offices["LOP"])
    trust_button = view.findChild(QAbstractButton, "syncTrust").text()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: told.append(text))
    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(
        lambda *_args: pytest.fail("no preview for an untrusted bundle")))
    assert view.import_file(bundle) is None
    assert len(told) == 1
    assert "not trusted here" in told[0] and "Nothing was imported." in told[0]
    assert f"“{trust_button}”" in told[0] and "keys trust" not in told[0]
    assert offices["LOP"].backend.read(records.list_page, entity="contact").total == 0


def test_the_command_line_keeps_its_command_for_an_untrusted_bundle(tmp_path):
    """The same refusal on the command line names “keys trust FILE”, in one line."""
    receiver = open_profile(Profile(tmp_path / "BIC"), purpose="pytest")
    try:
        receiver.backend.run(initialise, office="BIC", advisor_name="Advisor BIC")
    finally:
        receiver.close()
    bundle = _stranger_bundle(tmp_path, "BIC")
    env = {**{k: v for k, v in os.environ.items() if k != "EUREGIONET_DATA_DIR"},
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": ""}
    result = subprocess.run([sys.executable, "-m", "euregionet_desktop", "--data-dir",
                             str(tmp_path / "BIC"), "bundle", "import", str(bundle)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not trusted here" in result.stderr and "“keys trust FILE”" in result.stderr
    assert "Trust a partner" not in result.stderr


# --- the import preview speaks of the future, and only of what changes -----------------

def _preview_text(monkeypatch, view, answer: bool) -> list[str]:
    shown: list[str] = []

    def ask(cls, parent, report):
        dialog = cls(report, parent)
        shown.append(dialog.findChild(QLabel, "importPreviewReport").text())
        dialog.deleteLater()
        return answer

    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(ask))
    return shown


def test_the_import_preview_says_what_will_happen_and_the_report_what_did(
        qtbot, offices, tmp_path, monkeypatch, english):
    """Preview: future tense, no lines of zeros, nothing changed; report: past tense."""
    for name in ("Jan", "Ewa"):
        offices["BIC"].backend.run(records.create, entity="contact",
                                   values={"first_name": name, "last_name": "Nowak"})
    bundle = tmp_path / "b.zip"
    offices["BIC"].backend.run(bundle_export.export_bundle, profile=offices["BIC"].profile,
                               to_office="LOP", path=bundle)
    _window, view = _sync(qtbot, offices["LOP"])
    shown = _preview_text(monkeypatch, view, answer=False)
    assert view.import_file(bundle) is None
    lines = shown[0].splitlines()
    assert lines[0].startswith("Bundle from BIC")
    assert any(line.endswith("changes will be applied") for line in lines), lines
    assert not any(line.startswith("0 ") for line in lines), lines  # no lines of zeros
    assert not any("conflict" in line or "erase" in line for line in lines), lines
    assert offices["LOP"].backend.read(records.list_page, entity="contact").total == 0
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: told.append(text))
    _preview_text(monkeypatch, view, answer=True)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        report = view.import_file(bundle)
    assert report.applied > 0 and "changes applied" in told[0]
    assert offices["LOP"].backend.read(records.list_page, entity="contact").total == 2


@pytest.mark.parametrize(("code", "expected"), [
    ("pl", r"^\d+ zmian[ay]? zosta(nie|ną) zastosowan(a|e|ych)$"),
    ("de", r"^\d+ Änderungen? (wird|werden) übernommen$")])
def test_the_import_preview_speaks_the_future_in_polish_and_german(
        qtbot, offices, tmp_path, monkeypatch, language, code, expected):
    """„5 zmian zostanie zastosowanych“ / „5 Änderungen werden übernommen“ before importing."""
    language(code)
    offices["BIC"].backend.run(records.create, entity="contact",
                               values={"first_name": "Jan", "last_name": "Nowak"})
    bundle = tmp_path / "b.zip"
    offices["BIC"].backend.run(bundle_export.export_bundle, profile=offices["BIC"].profile,
                               to_office="LOP", path=bundle)
    _window, view = _sync(qtbot, offices["LOP"])
    shown = _preview_text(monkeypatch, view, answer=False)
    view.import_file(bundle)
    assert re.search(expected, shown[0], re.MULTILINE), shown[0]


# --- an export says where it went; unencrypted is said before writing -------------------

def test_export_without_a_trusted_key_warns_first_then_confirms_with_open_folder(
        qtbot, offices, tmp_path, monkeypatch, english):
    """No key of SNB is trusted: a warning before anything is written (Cancel writes
    nothing); exporting anyway ends with the file's name, “Open folder” and the status
    bar."""
    window, view = _sync(qtbot, offices["LOP"])
    view.office.setCurrentIndex(view.office.findData("SNB"))
    assert not view.encrypt.isEnabled()
    target = tmp_path / "out" / "for-snb.zip"
    target.parent.mkdir()
    asked: list[str] = []

    def save_dialog(_parent, _caption, directory, _filter):
        asked.append(directory)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    warnings: list[str] = []

    def cancel(box):
        warnings.append(f"{box.text()} {box.informativeText()}")
        box.button(QMessageBox.StandardButton.Cancel).click()

    _answer_modal(qtbot, cancel)
    view.export_bundle()
    assert warnings and "will not be encrypted" in warnings[0]
    assert "“Trust a partner's key file…”" in warnings[0] and "keys trust" not in warnings[0]
    assert asked == [] and not target.exists()  # nothing chosen, nothing written

    _answer_modal(qtbot, lambda box: _button(box, "Export unencrypted").click())
    view.export_bundle()
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "exportDone") is not None,
                    timeout=10_000)
    assert target.read_bytes().startswith(b"PK")  # a plain zip: not encrypted
    done = view.findChild(QMessageBox, "exportDone")
    assert "“for-snb.zip”" in done.text() and str(target.parent) in done.informativeText()
    assert "not encrypted" in done.informativeText()
    assert f"saved as {target}" in window.statusBar().currentMessage()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(done.findChild(QAbstractButton, "exportOpenFolder"),
                     Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(target.parent)]
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "exportDone") is None, timeout=5_000)


def test_an_encrypted_export_asks_nothing_first(qtbot, offices, tmp_path, monkeypatch):
    """BIC's key is trusted: no warning, the bundle is encrypted and the box says so."""
    _window, view = _sync(qtbot, offices["LOP"])
    view.office.setCurrentIndex(view.office.findData("BIC"))
    target = tmp_path / "for-bic.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    monkeypatch.setattr(sync_view, "confirm_unencrypted",
                        lambda *_a: pytest.fail("no warning for an encrypted bundle"))
    view.export_bundle()
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "exportDone") is not None,
                    timeout=10_000)
    assert target.read_bytes().startswith(b"age-encryption.org/v1")
    assert target.name in view.findChild(QMessageBox, "exportDone").text()


# --- file dialogs: where they start, and in which language ------------------------------

def _documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def test_file_dialogs_start_in_documents_and_remember_the_folder_per_purpose(
        qtbot, offices, tmp_path, monkeypatch):
    """First in the documents folder; then where the last bundle went, kept for the next
    window on the profile; the import dialog keeps its own folder."""
    window, view = _sync(qtbot, offices["LOP"])
    asked: list[tuple[str, str]] = []
    out = tmp_path / "usb"
    out.mkdir()

    filters: list[str] = []

    def save_dialog(_parent, caption, directory, file_filter):
        asked.append((caption, directory))
        filters.append(file_filter)
        return str(out / "b.zip"), ""

    def open_dialog(_parent, caption, directory, file_filter):
        asked.append((caption, directory))
        filters.append(file_filter)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_dialog)
    view.office.setCurrentIndex(view.office.findData("BIC"))
    view.export_bundle()
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "exportDone") is not None,
                    timeout=10_000)
    assert asked[0] == ("Export bundle", str(_documents_folder() / "euregionet-for-BIC.eurnet"))
    view.export_bundle()
    assert asked[1][1] == str(out / "euregionet-for-BIC.eurnet")
    view.import_bundle()  # its own purpose: still the documents folder
    assert asked[2] == ("Import bundle", str(_documents_folder()))
    # Bundles have their own file type; bundles named before it and any other name open too.
    assert filters == ["Bundles (*.eurnet)", "Bundles (*.eurnet)",
                       "Bundles (*.eurnet *.zip *.age);;All files (*)"]
    window.settings.sync()
    stored = QSettings(str(offices["LOP"].profile.root / "window.ini"),
                       QSettings.Format.IniFormat)
    assert stored.value("bundles-out/folder") == str(out)
    assert DocumentPlaces(stored).folder(file_dialogs.BUNDLES_OUT) == out
    assert DocumentPlaces(stored).folder(file_dialogs.KEY_FILES) == _documents_folder()


# Texts of Qt's file dialog that are the same word in a language (not a missing translation).
SAME_WORD = {"de": {"Name"}, "pl": set()}


def _dialog_texts(dialog: QFileDialog) -> dict[str, str]:
    texts = {f"label:{label.name}": dialog.labelText(label) for label in (
        QFileDialog.DialogLabel.LookIn, QFileDialog.DialogLabel.FileName,
        QFileDialog.DialogLabel.FileType, QFileDialog.DialogLabel.Accept,
        QFileDialog.DialogLabel.Reject)}
    for widget in dialog.findChildren(QWidget):
        name = widget.objectName() or type(widget).__name__
        for attribute in ("text", "toolTip"):
            value = getattr(widget, attribute, None)
            if callable(value) and isinstance(value(), str) and value():
                texts[f"{name}.{attribute}"] = value()
    return texts


def _file_dialog(qtbot) -> QFileDialog:
    dialog = QFileDialog(None, "x", str(Path.home()), "Bundles (*.zip)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize(("code", "look_in", "file_type"), [
    ("pl", "Szukaj &w:", "Pliki &typu:"), ("de", "&Suchen in:", "Dateien des &Typs:")])
def test_the_file_dialog_speaks_the_window_language(qapp, qtbot, qt_language, language, code,
                                                    look_in, file_type):
    """“Look in:” and “Files of type:” (missing from Qt's Polish catalog) and every other
    text of Qt's file dialog are translated."""
    english = _dialog_texts(_file_dialog(qtbot))
    language(code)
    assert app.install_qt_translations(qapp, code) is not None
    dialog = _file_dialog(qtbot)
    assert dialog.labelText(QFileDialog.DialogLabel.LookIn) == look_in
    assert dialog.labelText(QFileDialog.DialogLabel.FileType) == file_type
    assert dialog.findChild(QLabel, "lookInLabel").text() == look_in
    translated = _dialog_texts(dialog)
    untranslated = {key: text for key, text in translated.items()
                    if english.get(key) == text and any(c.isalpha() for c in text)
                    and text not in SAME_WORD[code] | {"x"}}
    assert not untranslated


@pytest.mark.parametrize(("code", "delete", "escape"), [("de", "Löschen (Entf)", "Esc"),
                                                         ("pl", "Usuń (Del)", "Esc")])
def test_key_names_are_qt_s_in_the_window_language(qapp, qtbot, qt_language, language, core,
                                                   code, delete, escape):
    """The Delete button's tip and the search's description name keys as Qt writes them in
    the language (German „Entf“), never a name written into the catalog."""
    language(code)
    app.install_qt_translations(qapp, code)
    window = MainWindow(core)
    qtbot.addWidget(window)
    assert window.lists["contact"].detail.delete_button.toolTip() == delete
    assert f", {escape} " in window.search.edit.accessibleDescription()


@pytest.mark.parametrize("code", ["en", "pl", "de"])
def test_every_next_step_has_the_window_s_words(qtbot, core, language, code):
    """Each next step is worded for the window with the label of the button that takes it
    (as the window shows it in the language) and for the command line with its command."""
    language(code)
    window = MainWindow(core)
    qtbot.addWidget(window)
    buttons = {
        NextStep.TRUST_KEY: window.sync_view.findChild(QAbstractButton, "syncTrust").text(),
        NextStep.CHECK_TEMPLATE: window.documents.findChild(
            QAbstractButton, "documentsLoadTemplate").text(),
        NextStep.CHOOSE_BACKUP: i18n._("Backups"),
    }
    assert set(buttons) == set(NextStep)
    for step, label in buttons.items():
        error = UserFacingError("Refused.", next_step=step)
        shown, printed = window_text(error), str(error)
        assert label in shown and "euregionet" not in shown and "“keys" not in shown
        assert shown.startswith("Refused. ") and printed.startswith("Refused. ")
        assert re.search(r"[“„](euregionet |keys |template )", printed), printed


def test_the_preview_names_only_what_will_change(english):
    """A bundle bringing nothing new says so in one line; one carrying an erasure lists
    just its three consequences, in the future tense."""
    nothing = bundle_import.ImportReport("b1", "BIC", None, applied=0, known=0, waiting=0,
                                         dropped=0, erased=0, conflicts=0, dry_run=True)
    assert sync_view.preview_text(nothing).splitlines() == [
        "Bundle from BIC.", "Nothing will change: everything in it is already here."]
    erasure = bundle_import.ImportReport("b2", "BIC", "Laptop 1", applied=0, known=0,
                                         waiting=0, dropped=2, erased=1, conflicts=0,
                                         dry_run=True, documents=1)
    assert sync_view.preview_text(erasure).splitlines() == [
        "Bundle from BIC (Laptop 1).",
        "2 changes will be dropped after an erasure of personal data",
        "The personal data of 1 record will be erased",
        "1 document or attachment naming an erased person will be deleted"]


def test_saving_the_key_file_is_told_in_the_status_bar(qtbot, offices, tmp_path, monkeypatch):
    """The key file is written where chosen (the key files' folder is remembered) and the
    status bar names it."""
    window, view = _sync(qtbot, offices["LOP"])
    target = tmp_path / "keys" / "lop.json"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    view.export_key()
    assert json.loads(target.read_bytes())["office"] == "LOP"
    assert window.statusBar().currentMessage() == f"Key file saved as {target}."
    assert window.places.folder(file_dialogs.KEY_FILES) == target.parent
