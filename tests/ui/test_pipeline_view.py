"""The Formation pipeline (issue 20), driven as a person does: a card dropped on a later
column asks the day and marks the steps before it done as one undoable action; a drop on an
earlier column is refused in the status bar; "Advance to…" does the same from the keyboard;
the office filter shows one office's cards; a double click opens the initiative's form."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from test_work_from_here import _tab, show_tab
from ui_helpers import in_modal, show_view, type_text

from euregionet_desktop.services import initiatives, records
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.pipeline_columns import FORMED, INITIATIVE_ROLE, MIME_TYPE
from euregionet_desktop.ui.record_dialog import RecordDialog


@pytest.fixture
def forming(core, add):
    """Two initiatives: at LOP (this installation's office) and at BIC."""
    offices = {o.values["code"]: o.id for o in
               core.backend.read(records.list_page, entity="office", limit=None).rows}
    ids = {}
    for code, name in (("LOP", "Klaster Wodorowy Odra"), ("BIC", "Oder Cluster Holz")):
        cluster = add("cluster", name_pl=name, country="PL")
        ids[code] = add("initiative", cluster_id=cluster, office_id=offices[code],
                        started_on="2026-09-01")
    return ids, offices


@pytest.fixture
def window(qtbot, core, forming, english, crash_fails):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def _cards(view, key):
    cards = view.columns[key].cards
    return [cards.item(row).data(INITIATIVE_ROLE) for row in range(cards.count())]


def _steps(core, initiative):
    view = core.backend.read(initiatives.initiative_view, initiative_id=initiative)
    return [(s.step, s.status, s.done_on) for s in view.steps]


def _drop(view, initiative, key):
    """A card dragged onto a column: the data its list gives a drag, then the drag's
    enter and drop events on the column, as Qt delivers them."""
    column = view.columns[key]
    [(cards, item)] = [(c.cards, c.cards.item(r)) for c in view.columns.values()
                       for r in range(c.cards.count())
                       if c.cards.item(r).data(INITIATIVE_ROLE) == initiative]
    data = cards.mimeData([item])
    assert data.formats() == [MIME_TYPE]
    at = QPointF(column.rect().center())
    enter = QDragEnterEvent(at.toPoint(), Qt.DropAction.MoveAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(column, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(column, QDropEvent(at, Qt.DropAction.MoveAction, data,
                                              Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))


def _type_day(qtbot, day: str):
    def handle(dialog):
        dialog.date.edit.clear()
        type_text(qtbot, dialog.date.edit, day)
        qtbot.keyClick(dialog.date.edit, Qt.Key.Key_Return)
    return handle


def test_a_card_dropped_on_a_later_column_marks_the_steps_done_on_the_day_asked(
        qtbot, window, core, forming):
    """Dropped on "Statute and development strategy": the three steps before are done on
    the day typed, the card moves, one Undo takes all three back."""
    ids, _offices = forming
    view = show_view(qtbot, window, window.pipeline)
    assert sorted(_cards(view, "letter_of_intent")) == sorted(ids.values())
    assert view.columns[FORMED].cards.count() == 0
    with qtbot.waitSignal(view.loaded, timeout=5000):
        in_modal(qtbot, lambda: _drop(view, ids["LOP"], "statute_strategy"),
                 _type_day(qtbot, "02.11.2026"))
    day = dt.date(2026, 11, 2)
    assert _steps(core, ids["LOP"])[:4] == [
        ("letter_of_intent", "done", day), ("accession", "done", day),
        ("agreement", "done", day), ("statute_strategy", "not_started", None)]
    assert _cards(view, "statute_strategy") == [ids["LOP"]]
    assert view.selected_id() == ids["LOP"]
    assert "Statute and development strategy" in window.undo_action.text()
    assert core.backend.read(records.get, entity="cluster", record_id=core.backend.read(
        initiatives.initiative_view, initiative_id=ids["LOP"]).cluster_id
    ).values["stage"] == "established"
    with qtbot.waitSignal(view.loaded, timeout=5000):
        window.undo_action.trigger()
    assert {s[1] for s in _steps(core, ids["LOP"])} == {"not_started"}
    assert sorted(_cards(view, "letter_of_intent")) == sorted(ids.values())


def test_a_card_dropped_on_an_earlier_column_is_refused_in_the_status_bar(
        qtbot, window, core, forming):
    ids, _offices = forming
    core.backend.run(initiatives.advance, initiative_id=ids["LOP"], to_step="agreement",
                     done_on=dt.date(2026, 10, 1))
    view = show_view(qtbot, window, window.pipeline)
    before = _steps(core, ids["LOP"])
    _drop(view, ids["LOP"], "letter_of_intent")
    assert "cannot move back" in window.statusBar().currentMessage()
    assert "Letter of intent" in window.statusBar().currentMessage()
    assert _steps(core, ids["LOP"]) == before
    assert _cards(view, "agreement") == [ids["LOP"]]


def test_advance_to_from_the_keyboard_and_cancel_changes_nothing(qtbot, window, core, forming):
    """The chosen card, "Advance to…" pressed with the keyboard, the column picked in the dialog and the day
    typed; the same cancelled writes nothing."""
    ids, _offices = forming
    view = show_view(qtbot, window, window.pipeline)
    assert view.select_initiative(ids["BIC"])
    before = _steps(core, ids["BIC"])
    in_modal(qtbot, view.advance_selected, lambda dialog: dialog.reject())
    assert _steps(core, ids["BIC"]) == before

    def pick_formed(dialog):
        targets = [dialog.target.itemData(i) for i in range(dialog.target.count())]
        assert targets == ["accession", "agreement", "statute_strategy", "brand", FORMED]
        dialog.target.setFocus()
        qtbot.keyClick(dialog.target, Qt.Key.Key_End)
        _type_day(qtbot, "15.10.2026")(dialog)

    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.advance_button.setFocus()
        in_modal(qtbot, lambda: qtbot.keyClick(view.advance_button, Qt.Key.Key_Space),
                 pick_formed)
    assert {(s[1], s[2]) for s in _steps(core, ids["BIC"])} == {("done", dt.date(2026, 10, 15))}
    assert _cards(view, FORMED) == [ids["BIC"]]
    assert not view.advance_button.isEnabled()  # nothing after "Formed"


def test_the_office_filter_shows_one_offices_cards(qtbot, window, forming):
    ids, offices = forming
    view = show_view(qtbot, window, window.pipeline)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.office.setCurrentIndex(view.office.findData(offices["BIC"]))
    assert _cards(view, "letter_of_intent") == [ids["BIC"]]
    assert "BIC" in view.columns["letter_of_intent"].cards.item(0).text()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.office.setCurrentIndex(0)
    assert len(_cards(view, "letter_of_intent")) == 2


def test_a_double_click_opens_the_initiatives_form(qtbot, window, forming, monkeypatch):
    ids, _offices = forming
    opened = []
    monkeypatch.setattr(RecordDialog, "ask", classmethod(
        lambda cls, parent, runner, entity, record_id=None, **kw: opened.append(
            (entity, record_id))))
    view = show_view(qtbot, window, window.pipeline)
    cards = view.columns["letter_of_intent"].cards
    item = next(cards.item(r) for r in range(cards.count())
                if cards.item(r).data(INITIATIVE_ROLE) == ids["LOP"])
    centre = cards.visualItemRect(item).center()
    # A real double click is a click and then a double-click event.
    qtbot.mouseClick(cards.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.selected_id() == ids["LOP"]
    qtbot.mouseDClick(cards.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened == [("initiative", ids["LOP"])]


def test_the_clusters_formation_tab_shows_the_steps_and_opens_one(qtbot, window, core, forming,
                                                                   monkeypatch):
    """The cluster's detail pane: its Formation tab lists the initiative and, under it, the
    steps with status, date and advisor; a double click on a step opens its form."""
    ids, _offices = forming
    core.backend.run(initiatives.advance, initiative_id=ids["LOP"], to_step="accession",
                     done_on=dt.date(2026, 10, 1))
    cluster = core.backend.read(initiatives.initiative_view, initiative_id=ids["LOP"]).cluster_id
    clusters = window.lists["cluster"]
    window.go_to(window.views.index(clusters))
    qtbot.waitUntil(lambda: clusters.select_record(cluster), timeout=5000)
    detail = clusters.detail
    formation = _tab(detail, "initiatives")
    with qtbot.waitSignal(formation.panel.shown, timeout=5000):
        show_tab(qtbot, detail, formation)
    qtbot.waitUntil(lambda: formation.panel.tree.topLevelItemCount() == 5, timeout=5000)
    tree = formation.panel.tree
    rows = [[tree.topLevelItem(r).text(c) for c in range(4)] for r in range(5)]
    assert rows[0][:2] == ["Letter of intent", "Done"] and rows[0][2]
    assert rows[1][:3] == ["Accession declarations", "Not started", ""]
    assert "Accession declarations" in formation.panel.heading.text()
    opened = []
    monkeypatch.setattr(RecordDialog, "ask", classmethod(
        lambda cls, parent, runner, entity, record_id=None, **kw: opened.append(
            (entity, record_id))))
    centre = tree.visualItemRect(tree.topLevelItem(1)).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    step = core.backend.read(initiatives.initiative_view, initiative_id=ids["LOP"]).steps[1]
    assert opened == [("formation_step", step.id)]


def test_a_drop_of_anything_else_is_not_taken(qtbot, window, core, forming):
    """A file or text dragged onto a column is not accepted and changes nothing."""
    ids, _offices = forming
    view = show_view(qtbot, window, window.pipeline)
    data = QMimeData()
    data.setText(ids["LOP"])
    column = view.columns["brand"]
    enter = QDragEnterEvent(column.rect().center(), Qt.DropAction.CopyAction, data,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.setAccepted(False)
    QApplication.sendEvent(column, enter)
    assert not enter.isAccepted()
    before = _steps(core, ids["LOP"])
    QApplication.sendEvent(column, QDropEvent(QPointF(column.rect().center()),
                                              Qt.DropAction.CopyAction, data,
                                              Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))
    assert _steps(core, ids["LOP"]) == before
