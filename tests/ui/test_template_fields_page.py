"""The Documents view's page of template fields, used as a person editing a template does:
open the page, pick a kind of document, read a field's meaning, copy its tag."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from euregionet_desktop import i18n
from euregionet_desktop.documents.schema import KINDS, field_guide
from euregionet_desktop.ui.main_window import MainWindow

# What a person reads in each language (the catalogs' words).
WORDS = {
    "pl": {"tab": "Pola szablonów", "kind": "Lista obecności",
           "venue": "Adres miejsca wydarzenia", "copied": "Skopiowano"},
    "de": {"tab": "Felder der Vorlagen", "kind": "Teilnehmerliste",
           "venue": "Adresse des Veranstaltungsorts", "copied": "kopiert"},
}


@pytest.fixture(params=["pl", "de"])
def language(request, monkeypatch):
    """The window speaks Polish, then German; the language before is restored after."""
    before = i18n.current_language()
    monkeypatch.setenv("LANGUAGE", request.param)
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language(before)


@pytest.fixture
def window(qtbot, core, language, crash_fails):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.runner.wait()


def _row_of(page, written: str) -> int:
    model = page.model
    return next(row for row in range(model.rowCount())
                if model.field(row).written == written)


def _click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_person_finds_a_fields_meaning_and_copies_its_tag(qtbot, window, language):
    """Documents ▸ Template fields; the attendance list picked from the list of kinds; the
    venue's address explained in the interface language; its tag and a loop's tag copied."""
    words = WORDS[language]
    window.go_to(window.views.index(window.documents))
    view = window.documents
    tab_bar = view.tabs.tabBar()
    index = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == words["tab"])
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton,
                     pos=tab_bar.tabRect(index).center())
    page = view.fields_page
    assert view.tabs.currentWidget() is page
    assert not page.copy_button.isEnabled()  # nothing chosen yet

    # The kind chosen with the keyboard, as a person does in a drop-down list.
    page.kind.setFocus()
    while page.kind.currentText() != words["kind"]:
        before = page.kind.currentIndex()
        qtbot.keyClick(page.kind, Qt.Key.Key_Down)
        assert page.kind.currentIndex() != before, "the kind is not in the list"
    assert page.kind.currentData() == "attendance"
    assert words["kind"] in page.intro.text()
    assert page.model.rowCount() == len(field_guide("attendance"))

    row = _row_of(page, "event.venue_address")
    model = page.model
    assert model.index(row, model.FIELD).data() == "{{ event.venue_address }}"
    assert model.index(row, model.MEANING).data() == words["venue"]
    assert model.index(row, model.EXAMPLE).data()  # an example for every text
    _click_row(qtbot, page.table, row)
    assert page.copy_button.isEnabled()
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "{{ event.venue_address }}"
    assert words["copied"] in window.statusBar().currentMessage()

    # A list: the loop's opening tag; its entries' fields indented under it, and Enter
    # on one copies it as the loop names it.
    loop = _row_of(page, "{% for p in participants %}")
    _click_row(qtbot, page.table, loop)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "{% for p in participants %}"
    email = _row_of(page, "p.email")
    assert model.index(email, model.FIELD).data() == "    {{ p.email }}"
    _click_row(qtbot, page.table, email)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == "{{ p.email }}"


def test_every_kind_lists_its_fields(qtbot, window, language):
    """Each kind of the list shows the fields ``template fields KIND`` lists, in order."""
    page = window.documents.fields_page
    assert page.kind.count() == len(KINDS)
    for index in range(page.kind.count()):
        page.kind.setCurrentIndex(index)
        kind = page.kind.currentData()
        guide = field_guide(kind)
        shown = [page.model.field(row).path for row in range(page.model.rowCount())]
        assert shown == [item.path for item in guide]


def test_fields_model_passes_qtmodeltester(qtmodeltester, qapp):
    """The model of the page keeps Qt's rules across a change of kind."""
    from euregionet_desktop.ui.template_fields import FieldsModel

    model = FieldsModel()
    model.set_kind("consultation")
    qtmodeltester.check(model)
    model.set_kind("directory")
    qtmodeltester.check(model)
