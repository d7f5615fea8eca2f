"""Pickers empty themselves once a choice is added; date fields take relative words."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_helpers import in_modal, type_text

from euregionet_desktop import i18n
from euregionet_desktop.services import records
from euregionet_desktop.ui.field_editors import RefEditor, RefListEditor
from euregionet_desktop.ui.main_window import MainWindow


@pytest.fixture(params=["pl", "de"])
def language(request):
    """The window speaks Polish, then German; the language before is restored after."""
    before = i18n.current_language()
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language(before)


@pytest.fixture
def people(add):
    """Jan Müller, whom the advisor picks, and Ewa Nowak, who must not be picked."""
    return {"muller": add("contact", first_name="Jan", last_name="Müller"),
            "nowak": add("contact", first_name="Ewa", last_name="Nowak")}


@pytest.fixture
def window(qtbot, core, people, language):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def _consultations(core):
    return core.backend.read(records.list_page, entity="consultation").rows


def _new_consultation(qtbot, window, handle):
    """Ctrl+N in the Consultations list; ``handle`` drives the dialog as a person would."""
    window.go_to(window.views.index(window.lists["consultation"]))
    seen = {}

    def drive(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        handle(dialog, seen)

    in_modal(qtbot, window.new_action.trigger, drive)
    return seen


def _suggestions_for(qtbot, picker: RefEditor, typed: str):
    """Type into the picker; the suggestions' popup, once it shows them."""
    picker.edit.setFocus()
    type_text(qtbot, picker.edit, typed)
    popup = picker.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and picker.names.rowCount() > 0, timeout=3000)
    return popup


def _save_with_keys(qtbot, dialog, widget, seen):
    qtbot.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    seen["saved"] = dialog.result() == QDialog.DialogCode.Accepted
    seen["banner"] = dialog.banner.text()
    seen["problem"] = dialog.form.errors["contact_ids"].text()


@pytest.mark.parametrize("by", ["keyboard", "mouse"])
def test_participant_picked_from_suggestions_is_saved_on_first_try(qtbot, window, core,
                                                                   people, by):
    """"Mül", a suggestion taken with Down+Enter or a click: the person is listed, the
    search field is empty again and Ctrl+S saves the consultation with the participant."""
    def handle(dialog, seen):
        participants = dialog.form.editors["contact_ids"]
        assert isinstance(participants, RefListEditor)
        popup = _suggestions_for(qtbot, participants.picker, "Mül")
        seen["offered"] = participants.picker.names.stringList()
        if by == "keyboard":
            qtbot.keyClick(popup, Qt.Key.Key_Down)
            qtbot.keyClick(popup, Qt.Key.Key_Return)
        else:
            index = popup.model().index(0, 0)
            qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton,
                             pos=popup.visualRect(index).center())
        qtbot.waitUntil(lambda: participants.list.count() == 1, timeout=3000)
        seen["listed"] = participants.list.item(0).text()
        seen["left"] = participants.picker.edit.text()
        seen["popup"] = popup.isVisible()
        _save_with_keys(qtbot, dialog, participants.picker.edit, seen)

    seen = _new_consultation(qtbot, window, handle)
    assert seen["offered"] and all("Müller" in label for label in seen["offered"])
    assert "Müller" in seen["listed"]
    assert seen["left"] == "" and not seen["popup"]
    assert seen["saved"], (seen["banner"], seen["problem"])
    [consultation] = _consultations(core)
    assert consultation.values["contact_ids"] == [people["muller"]]


def test_down_in_an_empty_picker_opens_the_suggestions(qtbot, window, people):
    """Down in the empty participants field shows the first people to choose from."""
    def handle(dialog, seen):
        picker = dialog.form.editors["contact_ids"].picker
        picker.edit.setFocus()
        qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
        popup = picker.completer.popup()
        qtbot.waitUntil(lambda: popup.isVisible() and picker.names.rowCount() == 2,
                        timeout=3000)
        seen["offered"] = picker.names.stringList()

    seen = _new_consultation(qtbot, window, handle)
    assert any("Müller" in label for label in seen["offered"])
    assert any("Nowak" in label for label in seen["offered"])


# A Saturday; "the next Friday" from it is 11.12.2026.
TODAY = dt.date(2026, 12, 5)
WORDS = {"pl": {"jutro": dt.date(2026, 12, 6), "pojutrze": dt.date(2026, 12, 7),
                "+7": dt.date(2026, 12, 12), "piątek": dt.date(2026, 12, 11)},
         "de": {"morgen": dt.date(2026, 12, 6), "übermorgen": dt.date(2026, 12, 7),
                "+7": dt.date(2026, 12, 12), "Freitag": dt.date(2026, 12, 11)}}
WEEKDAY_NAMES = {"pl": {6: "niedz.", 7: "pon.", 12: "sob.", 11: "pt."},
                 "de": {6: "So.", 7: "Mo.", 12: "Sa.", 11: "Fr."}}


def test_relative_words_in_the_consultation_date_resolve_as_typed(qtbot, window, core,
                                                                   language):
    """Each word of the window's language is shown resolved in the consultation's date
    field as it is typed (weekday and date); the last one is saved with Ctrl+S."""
    def handle(dialog, seen):
        held_at = dialog.form.editors["held_at"]
        held_at.day.today = lambda: TODAY
        shown = seen["shown"] = {}
        for word in WORDS[language]:
            held_at.day.edit.setFocus()
            held_at.day.edit.clear()
            type_text(qtbot, held_at.day.edit, word)
            label = held_at.day.resolved
            shown[word] = label.text() if label.isVisible() else ""
        held_at.time.clear()
        type_text(qtbot, held_at.time, "10.30")
        _save_with_keys(qtbot, dialog, held_at.day.edit, seen)

    seen = _new_consultation(qtbot, window, handle)
    for word, day in WORDS[language].items():
        assert day.strftime("%d.%m.%Y") in seen["shown"][word], (word, seen["shown"])
        assert WEEKDAY_NAMES[language][day.day] in seen["shown"][word], seen["shown"]
    assert seen["saved"], seen["banner"]
    [consultation] = _consultations(core)
    assert consultation.values["held_at"] == "2026-12-11 10:30"


def test_a_follow_up_due_jutro_or_morgen_is_saved_as_that_day(qtbot, window, core,
                                                              language):
    """The follow-up's due date takes the window's word for tomorrow; Tab writes it out."""
    word = {"pl": "jutro", "de": "morgen"}[language]
    tasks = window.lists["task"]
    window.go_to(window.views.index(tasks))
    seen = {}

    def handle(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        due_on = dialog.form.editors["due_on"]
        due_on.today = lambda: TODAY
        type_text(qtbot, dialog.form.editors["title"].edit, "Ankieta")
        due_on.edit.setFocus()
        type_text(qtbot, due_on.edit, word)
        seen["resolved"] = due_on.resolved.isVisible()
        qtbot.keyClick(due_on.edit, Qt.Key.Key_Tab)
        seen["written"] = due_on.edit.text()
        dialog.save()
        seen["saved"] = dialog.result() == QDialog.DialogCode.Accepted

    in_modal(qtbot, window.new_action.trigger, handle)
    assert seen["resolved"] and seen["written"] == "06.12.2026" and seen["saved"]
    [task] = core.backend.read(records.list_page, entity="task").rows
    assert task.values["due_on"] == dt.date(2026, 12, 6)


def test_a_word_that_is_no_date_is_refused_and_the_message_goes_once_corrected(
        qtbot, window, core, language):
    """"bald" / "kiedyś" is refused in the window's language under the field and nothing is
    saved; typing "+7" over it takes the message away at once, before saving again."""
    garbage = {"pl": "kiedyś", "de": "bald"}[language]
    not_a_date = {"pl": "nie jest datą", "de": "ist kein Datum"}[language]

    def handle(dialog, seen):
        held_at = dialog.form.editors["held_at"]
        held_at.day.today = lambda: TODAY
        held_at.day.edit.setFocus()
        held_at.day.edit.clear()
        type_text(qtbot, held_at.day.edit, garbage)
        seen["resolved"] = held_at.day.resolved.isVisible()
        qtbot.keyClick(held_at.day.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        error = dialog.form.errors["held_at"]
        seen["refused"] = dialog.result() != QDialog.DialogCode.Accepted
        seen["message"] = error.text() if error.isVisible() else ""
        seen["stored"] = len(_consultations(core))
        held_at.day.edit.setFocus()
        held_at.day.edit.selectAll()
        type_text(qtbot, held_at.day.edit, "+7")
        seen["after"] = error.isVisible()
        _save_with_keys(qtbot, dialog, held_at.day.edit, seen)

    seen = _new_consultation(qtbot, window, handle)
    assert not seen["resolved"]
    assert seen["refused"] and garbage in seen["message"] and not_a_date in seen["message"]
    assert seen["stored"] == 0
    assert not seen["after"]
    assert seen["saved"], seen["banner"]
    [consultation] = _consultations(core)
    assert consultation.values["held_at"].startswith("2026-12-12 ")


def test_alt_down_opens_the_calendar_and_enter_takes_its_day(qtbot, window, language):
    """In the date field Alt+Down shows the calendar (its button is not a Tab stop) and
    Enter there writes the chosen day into the field."""
    tasks = window.lists["task"]
    window.go_to(window.views.index(tasks))
    seen = {}

    def handle(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        due_on = dialog.form.editors["due_on"]
        due_on.today = lambda: TODAY
        due_on.edit.setFocus()
        type_text(qtbot, due_on.edit, "pojutrze" if language == "pl" else "übermorgen")
        seen["tab_stop"] = due_on.pick.focusPolicy() != Qt.FocusPolicy.NoFocus
        qtbot.keyClick(due_on.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        menu = due_on.pick.menu()
        qtbot.waitUntil(menu.isVisible, timeout=3000)
        seen["selected"] = due_on.calendar.selectedDate().toPython()
        qtbot.keyClick(due_on.calendar.focusWidget() or due_on.calendar, Qt.Key.Key_Right)
        qtbot.keyClick(due_on.calendar.focusWidget() or due_on.calendar, Qt.Key.Key_Return)
        seen["closed"] = not menu.isVisible()
        seen["text"] = due_on.edit.text()

    in_modal(qtbot, window.new_action.trigger, handle)
    assert not seen["tab_stop"]
    assert seen["selected"] == dt.date(2026, 12, 7)
    assert seen["closed"] and seen["text"] == "08.12.2026"


def test_a_single_picker_keeps_the_clicked_name_and_saves_it(qtbot, window, core, add):
    """The cluster picker: a suggestion clicked with the mouse stays in the field as the
    chosen name and Ctrl+S saves the consultation for that cluster."""
    cluster = add("cluster", name_pl="Lubuski Klaster Metalowy", country="PL")

    def handle(dialog, seen):
        picker = dialog.form.editors["cluster_id"]
        assert isinstance(picker, RefEditor)
        popup = _suggestions_for(qtbot, picker, "metal")
        index = popup.model().index(0, 0)
        qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton,
                         pos=popup.visualRect(index).center())
        qtbot.waitUntil(lambda: picker.record_id is not None, timeout=3000)
        seen["text"] = picker.edit.text()
        _save_with_keys(qtbot, dialog, picker.edit, seen)

    seen = _new_consultation(qtbot, window, handle)
    assert seen["text"].startswith("Lubuski Klaster Metalowy")
    assert seen["saved"], seen["banner"]
    [consultation] = _consultations(core)
    assert consultation.values["cluster_id"] == cluster


def test_arrowing_through_suggestions_and_escape_keeps_the_chosen_record(qtbot, window, add):
    """Down through another cluster's suggestion, then Esc: the field still names the
    cluster chosen before, and that is the one the form holds (no name without its id)."""
    first = add("cluster", name_pl="Lubuski Klaster Metalowy", country="PL")
    add("cluster", name_pl="Lubuski Klaster Energii", country="PL")

    def handle(dialog, seen):
        picker = dialog.form.editors["cluster_id"]
        popup = _suggestions_for(qtbot, picker, "metal")
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: picker.record_id is not None, timeout=3000)
        chosen = picker.edit.text()
        qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: popup.isVisible() and picker.names.rowCount() == 2,
                        timeout=3000)
        qtbot.keyClick(popup, Qt.Key.Key_Down)  # "Energii" sorts first
        seen["highlighted"] = popup.currentIndex().data()
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
        seen["same"] = picker.edit.text() == chosen and "Metalowy" in chosen
        seen["value"] = picker.value()

    seen = _new_consultation(qtbot, window, handle)
    assert "Energii" in seen["highlighted"]
    assert seen["same"] and seen["value"] == first
