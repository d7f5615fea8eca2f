"""The Notes tab of a contact's detail pane as a person uses it: a private note written in
the dialog shows with a lock (and in the History), is stored as a private note only; a
shared one is undoable; a private one is deleted only after a question."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QPlainTextEdit

from euregionet_desktop.services import notes
from euregionet_desktop.services.dump import dump
from euregionet_desktop.ui import notes_tab
from euregionet_desktop.ui.notes_tab import NoteDialog

pytestmark = pytest.mark.usefixtures("english", "crash_fails")

WORD = "Zażółćgęśląjaźń-7431"


def fill_note_dialog(qtbot, text: str, *, private: bool, pasted: str = "") -> None:
    """When the note dialog opens: paste ``pasted`` (QTest types Latin-1 only), type the
    text, tick Private if asked, press OK."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NoteDialog):
            QTimer.singleShot(10, act)
            return
        box = dialog.findChild(QPlainTextEdit, "noteText")
        box.insertPlainText(pasted)
        qtbot.keyClicks(box, text)
        check = dialog.findChild(QCheckBox, "notePrivate")
        assert check.isEnabled() and not check.isChecked()
        if private:
            check.click()
        assert check.isChecked() == private
        dialog.ok.click()

    QTimer.singleShot(0, act)


@pytest.fixture
def contact_pane(qtbot, window, add):
    person = add("contact", first_name="Jan", last_name="Nowak")
    view = window.lists["contact"]
    window.go_to(window.views.index(view))
    assert view.select_record(person)
    pane = view.detail
    with qtbot.waitSignal(pane.notes.loaded, timeout=5000):
        pane.tabs.setCurrentWidget(pane.notes)
    return pane, person


def test_a_private_note_written_in_the_tab_shows_a_lock_and_stays_here(qtbot, window, core,
                                                                       contact_pane):
    """Add note… with Private ticked: the tab lists it with the lock and its tooltip, the
    History shows it with the lock, and it is stored as a private note (not a record:
    the dump does not hold it, Undo has nothing to take back)."""
    pane, person = contact_pane
    tab = pane.notes
    fill_note_dialog(qtbot, " prefers phone calls", private=True, pasted=WORD)
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 1, timeout=5000)
    item = tab.list.topLevelItem(0)
    assert not item.icon(0).isNull()
    assert item.toolTip(0).startswith("Private: stays at this office, never sent to partners")
    heading, text = item.text(0).split("\n")
    assert heading.endswith(" · Anna Nowak") and text == f"{WORD} prefers phone calls"

    [stored] = core.backend.read(notes.notes_about, entity="contact", record_id=person)
    assert (stored.private, stored.body, stored.linked_entity, stored.linked_id) == (
        True, f"{WORD} prefers phone calls", "contact", person)
    assert WORD.encode() not in core.backend.read(dump)
    assert window.runner.history.next_undo() is None or "note" not in (
        window.runner.history.next_undo().label.lower())

    with qtbot.waitSignal(pane.history_shown, timeout=5000):
        pane.tabs.setCurrentIndex(pane.history_index)
    rows = [pane.history.topLevelItem(n) for n in range(pane.history.topLevelItemCount())]
    [noted] = [r for r in rows if r.text(1) == "Private note"]
    assert noted.text(3) == f"{WORD} prefers phone calls" and not noted.icon(1).isNull()
    assert noted.toolTip(1) == "Private: stays at this office, never sent to partners"
    assert all(r.icon(1).isNull() for r in rows if r is not noted)


def test_a_shared_note_is_undoable_and_a_private_one_is_deleted_after_a_question(
        qtbot, window, core, contact_pane, monkeypatch, told):
    """A shared note added in the tab is a record Undo takes back; a private note is
    deleted only once the person said Delete (no undo can bring it back)."""
    pane, person = contact_pane
    tab = pane.notes
    fill_note_dialog(qtbot, "Met at the fair", private=False)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 1, timeout=5000)
    assert "partners" not in tab.list.topLevelItem(0).toolTip(0)  # no lock's tooltip
    assert b"Met at the fair" in core.backend.read(dump)
    window.runner.undo(window)
    assert core.backend.read(notes.notes_about, entity="contact", record_id=person) == []
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 0, timeout=5000)

    core.backend.run(notes.add_note, entity="contact", record_id=person, body="Only here",
                     private=True)
    pane.show_record(person)
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 1
                    and tab.list.topLevelItem(0).text(0).endswith("\nOnly here"),
                    timeout=5000)
    tab.list.setCurrentItem(tab.list.topLevelItem(0))
    asked = []
    monkeypatch.setattr(notes_tab, "confirm_private_delete",
                        lambda parent: asked.append(parent) or False)
    tab.delete_button.click()
    assert len(asked) == 1
    assert len(core.backend.read(notes.notes_about, entity="contact", record_id=person)) == 1
    monkeypatch.setattr(notes_tab, "confirm_private_delete", lambda parent: True)
    tab.delete_button.click()
    assert told["warning"] == []
    assert core.backend.read(notes.notes_about, entity="contact", record_id=person) == []
    qtbot.waitUntil(lambda: tab.list.topLevelItemCount() == 0, timeout=5000)


def test_the_global_search_finds_a_private_note_with_its_lock_and_opens_its_record(
        qtbot, core, add):
    """Typing a word of a private note (folded: "zazolc"): the hit is under "Private
    notes", names the contact, carries the lock and the tooltip; Enter opens the contact."""
    from euregionet_desktop.ui.global_search import PRIVATE_ROLE, GlobalSearch
    from euregionet_desktop.ui.op_runner import OpRunner

    person = add("contact", first_name="Ewa", last_name="Lis")
    core.backend.run(notes.add_note, entity="contact", record_id=person, private=True,
                     body=f"{WORD} asked for discretion")
    search = GlobalSearch(OpRunner(core.backend))
    qtbot.addWidget(search)
    search.show()
    qtbot.keyClicks(search.edit, "zazolc")
    qtbot.waitUntil(lambda: search.model.rowCount() == 2, timeout=5000)
    header, hit = (search.model.index(r) for r in range(2))
    assert header.data() == "Private notes (1)"
    assert (hit.data(), hit.data(PRIVATE_ROLE)) == ("Ewa Lis", True)
    assert not hit.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "never sent to partners" in hit.data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(search.open_record) as opened:
        qtbot.keyClick(search.edit, Qt.Key.Key_Return)
    assert opened.args == ["contact", person]
