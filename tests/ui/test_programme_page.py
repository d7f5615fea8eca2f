"""The Settings' Programme page driven as a person would: type, pick a logo, save; the
period's wording on request; a refused logo changes nothing; the edit undoes (issue 20)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from euregionet_desktop.domain import programme
from euregionet_desktop.services.programme import programme_settings
from euregionet_desktop.ui.settings_dialog import SettingsDialog
from tests.images import png

pytestmark = pytest.mark.usefixtures("english")


def _page(qtbot, window):
    dialog = SettingsDialog(None, window, runner=window.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.programme)
    return dialog, dialog.programme


def _type(qtbot, editor_widget, text: str) -> None:
    """Select what the field holds and type over it, as a person does (QTest types ASCII
    only: it aborts on a letter it has no key for)."""
    editor_widget.setFocus()
    editor_widget.selectAll()
    qtbot.keyClick(editor_widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor_widget, text)


def _ok(qtbot, dialog) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _pick_file(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))


def test_typed_statement_number_and_logo_are_saved_and_undone(qtbot, window, core, tmp_path,
                                                               monkeypatch):
    """The page shows the seeded wording; the person types a statement and the project
    number, picks the EU emblem (a preview appears) and saves: the database holds them;
    Undo takes the edit back."""
    dialog, page = _page(qtbot, window)
    statement = page.editors["cofinancing_pl"].edit
    assert statement.toPlainText() == programme.PERIOD_WORDINGS["2014-2020"].cofinancing_pl
    _type(qtbot, statement, "Wspolfinansowane przez UE - tekst biura.")
    _type(qtbot, page.editors["project_number"].edit, "85030045")
    emblem = tmp_path / "flaga.png"
    emblem.write_bytes(png(45, 30))
    _pick_file(monkeypatch, emblem)
    row = page.logos["eu-emblem"]
    qtbot.mouseClick(row.choose, Qt.MouseButton.LeftButton)
    assert row.preview.pixmap() is not None and not row.preview.pixmap().isNull()
    assert row.preview.pixmap().height() == row.preview.height()
    assert row.file_name.text() == "flaga.png"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    saved = core.backend.read(programme_settings)
    assert saved.values["cofinancing_pl"] == "Wspolfinansowane przez UE - tekst biura."
    assert saved.values["project_number"] == "85030045"
    assert saved.eu_emblem is not None and saved.eu_emblem.file_name == "flaga.png"
    assert page.done.text().startswith("Saved")
    assert not page.is_changed()
    dialog.reject()

    window.runner.undo(window)
    undone = core.backend.read(programme_settings)
    assert undone.values["cofinancing_pl"] == \
        programme.PERIOD_WORDINGS["2014-2020"].cofinancing_pl
    assert undone.values["project_number"] is None and undone.eu_emblem is None


def test_period_wording_only_on_request_and_saved_with_ok(qtbot, window, core):
    """Choosing 2021–2027 changes no text; the button fills the period's wording in; Cancel
    keeps the database as it was, OK saves what the page shows."""
    before = core.backend.read(programme_settings)
    dialog, page = _page(qtbot, window)
    combo = page.editors["period"].combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData("2021-2027"))
    assert page.editors["programme_name_de"].edit.text() == \
        programme.PERIOD_WORDINGS["2014-2020"].programme_name_de
    qtbot.mouseClick(page.wording, Qt.MouseButton.LeftButton)
    wording = programme.PERIOD_WORDINGS["2021-2027"]
    assert page.editors["programme_name_de"].edit.text() == wording.programme_name_de
    assert page.editors["cofinancing_pl"].edit.toPlainText() == wording.cofinancing_pl
    assert page.editors["slogan_pl"].edit.text() == ""
    dialog.reject()
    assert core.backend.read(programme_settings) == before

    dialog, page = _page(qtbot, window)
    combo = page.editors["period"].combo
    combo.setCurrentIndex(combo.findData("2021-2027"))
    qtbot.mouseClick(page.wording, Qt.MouseButton.LeftButton)
    _ok(qtbot, dialog)
    saved = core.backend.read(programme_settings).values
    assert saved["period"] == "2021-2027"
    assert saved["cofinancing_de"] == wording.cofinancing_de and saved["slogan_de"] is None


def test_a_file_that_is_no_image_is_refused_and_nothing_changes(qtbot, window, core, told,
                                                                 tmp_path, monkeypatch):
    """A text file picked as the programme logo: Save says why, in one message; the typed
    statement is not saved either (one step), and OK keeps the dialog open."""
    before = core.backend.read(programme_settings)
    dialog, page = _page(qtbot, window)
    _type(qtbot, page.editors["slogan_de"].edit, "Neuer Slogan")
    notes = tmp_path / "logo.txt"
    notes.write_text("not a picture", encoding="utf-8")
    _pick_file(monkeypatch, notes)
    qtbot.mouseClick(page.logos["programme-logo"].choose, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert len(told["warning"]) + len(told["critical"]) == 1
    message = (told["warning"] + told["critical"])[0]
    assert "is not an image a document can show" in message
    assert core.backend.read(programme_settings) == before
    _ok(qtbot, dialog)
    assert dialog.isVisible()  # refused again: the dialog stays open on the page
    assert len(told["warning"]) + len(told["critical"]) == 2
    assert core.backend.read(programme_settings) == before
