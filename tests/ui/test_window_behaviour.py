"""The window around the records: op runner, detail pane, search, shortcuts, remembered layout."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services import demo, records
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui import op_runner
from euregionet_desktop.ui.child_rows import ChildRow, ChildRowsModel
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import RecordTableModel


@pytest.fixture
def cluster_with_members(add):
    cluster = add("cluster", name_pl="Klaster Odra", country="PL", kind="cluster")
    firm = add("organisation", name="Odra Logistik GmbH", country="DE")
    add("membership", cluster_id=cluster, organisation_id=firm, role="member")
    person = add("contact", first_name="Piotr", last_name="Wiśniewski", organisation_id=firm,
                 email="p.wisniewski@example.de")
    add("event", kind="kickoff", title_pl="Spotkanie", starts_on="2018-01-10",
        cluster_id=cluster)
    return cluster, firm, person


@pytest.fixture
def window(qtbot, core, cluster_with_members):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_model_passes_qtmodeltester(qtmodeltester, core, cluster_with_members):
    """List, relation and child-row models keep Qt's model contract."""
    cluster, _firm, _person = cluster_with_members
    members = RecordTableModel(OpRunner(core.backend), "membership", ["organisation_id", "role"],
                               relation=("cluster", cluster, "members"))
    members.reload()
    qtmodeltester.check(members)
    assert members.rowCount() == 1 and members.index(0, 0).data() == "Odra Logistik GmbH"
    people = RecordTableModel(OpRunner(core.backend), "contact", ["last_name", "organisation_id"],
                              relation=("cluster", cluster, "contacts"))
    people.reload()
    qtmodeltester.check(people)
    assert people.rowCount() == 1
    rows = ChildRowsModel("membership", ["organisation_id", "role", "joined_on"])
    qtmodeltester.check(rows)
    rows.load(core.backend.read(records.get_many, entity="membership",
                                record_ids=[m.id for m in members_of(core, cluster)]))
    qtmodeltester.check(rows)
    assert rows.index(0, 0).data() == "Odra Logistik GmbH"
    rows.append(ChildRow(None, {"role": "partner"}, {"role": "Partner"}))
    rows.remove(0)
    qtmodeltester.check(rows)
    assert rows.rowCount() == 1 and rows.removed and rows.index(0, 1).data() == "Partner"
    assert rows.child_rows().rows == [(None, {"role": "partner"})]


def members_of(core, cluster):
    return core.backend.read(records.list_page, entity="membership",
                             where={"cluster_id": cluster}).rows


def test_detail_pane_shows_relations_and_history(qtbot, window, core, cluster_with_members,
                                                 monkeypatch):
    """A cluster's detail lists its members, people and events; history names the writer."""
    cluster, _firm, person = cluster_with_members
    window.open_record("cluster", cluster)
    view = window.lists["cluster"]
    detail = view.detail
    assert detail.heading.text() == "Klaster Odra"
    tabs = {detail.tabs.tabText(i): detail.tabs.widget(i) for i in range(detail.tabs.count())}
    with qtbot.waitSignal(tabs["Members"].loaded, timeout=5000):
        detail.tabs.setCurrentWidget(tabs["Members"])
    assert tabs["Members"].model.index(0, 0).data() == "Odra Logistik GmbH"
    with qtbot.waitSignal(tabs["Contact persons"].loaded, timeout=5000):
        detail.tabs.setCurrentWidget(tabs["Contact persons"])
    assert tabs["Contact persons"].model.rowCount() == 1
    with qtbot.waitSignal(tabs["Events"].loaded, timeout=5000):
        detail.tabs.setCurrentWidget(tabs["Events"])
    assert tabs["Events"].model.index(0, 0).data() == "Spotkanie"
    with qtbot.waitSignal(detail.history_shown, timeout=5000):
        detail.tabs.setCurrentWidget(tabs["History"])
    fields = {detail.history.topLevelItem(i).text(1)
              for i in range(detail.history.topLevelItemCount())}
    assert "Name (Polish)" in fields
    assert detail.history.topLevelItem(0).text(4) == "Anna Nowak"

    # Enter opens the person's form in place (tests/ui/test_work_from_here.py); the
    # context menu's "Show in its list" goes to the person in the Contacts list.
    people = tabs["Contact persons"]
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, _pos: shown.append(menu))
    people.table.customContextMenuRequested.emit(
        people.table.visualRect(people.model.index(0, 0)).center())
    [menu] = shown
    next(a for a in menu.actions() if a.text() == "Show in its list").trigger()
    assert window.stack.currentWidget() is window.lists["contact"]
    assert window.lists["contact"].current_id() == person


def test_global_search_opens_the_record_in_its_list(qtbot, window, cluster_with_members):
    """Ctrl+K, typing a folded name and Enter select the contact in the Contacts list."""
    _cluster, _firm, person = cluster_with_members
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.hasFocus()
    qtbot.keyClicks(window.search.edit, "wisniew")
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 1)
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lists["contact"])
    assert window.lists["contact"].current_id() == person


def test_context_menu_copies_the_e_mail_address(qtbot, window, monkeypatch,
                                                cluster_with_members):
    """The contact list's context menu offers Open, Edit, Delete and Copy e-mail."""
    _cluster, _firm, person = cluster_with_members
    window.open_record("contact", person)
    view = window.lists["contact"]
    shown = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, _pos: shown.append(menu))
    view.table.customContextMenuRequested.emit(view.table.visualRect(
        view.model.index(0, 0)).center())
    [menu] = shown
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert {"Open", "Edit…", "Delete", "Copy e-mail address", "New…"} <= set(actions)
    actions["Copy e-mail address"].trigger()
    assert QApplication.clipboard().text() == "p.wisniewski@example.de"


def test_delete_key_in_a_text_field_does_not_delete_records(qtbot, window, core,
                                                            cluster_with_members):
    """Delete belongs to the lists: pressed in the filter field it edits the text only."""
    window.go_to(window.views.index(window.lists["contact"]))
    view = window.lists["contact"]
    view.table.selectRow(0)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.filter.setFocus()
    qtbot.keyClick(view.filter, Qt.Key.Key_Delete)
    assert core.backend.read(records.list_page, entity="contact").total == 1
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert core.backend.read(records.list_page, entity="contact").total == 0


def test_refused_action_shows_its_message_and_crash_shows_details(qtbot, window, monkeypatch):
    """A UserFacingError becomes a message box; anything else the crash dialog with the log."""
    told, crashed = [], []
    monkeypatch.setattr(op_runner, "show_error", lambda _parent, error: told.append(str(error)))
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda _cls, _parent, error, details, log_path: crashed.append((error, details,
                                                                        log_path))))

    def refuse(_session):
        raise ValidationError("Name is required.", field="name")

    def crash(_session):
        raise ZeroDivisionError("division by zero")

    assert window.runner.write(window, refuse) is None
    assert told == ["Name is required."]
    assert window.runner.write(window, crash) is None
    [(error, details, log_path)] = crashed
    assert isinstance(error, ZeroDivisionError) and "ZeroDivisionError" in details
    assert log_path.name == "euregionet.log"
    assert not window.undo_action.isEnabled()


def test_long_work_runs_off_the_gui_thread_and_refreshes_views(qtbot, tmp_path):
    """Demo data generated through the runner shows in the lists when it is done."""
    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services.profile import initialise, open_profile

    core = open_profile(Profile(tmp_path / "fresh"), purpose="pytest")
    try:
        core.backend.run(initialise, office="BIC", advisor_name="Jens Test")
        window = MainWindow(core)
        qtbot.addWidget(window)
        window.go_to(window.views.index(window.lists["cluster"]))
        assert window.lists["cluster"].model.rowCount() == 0
        done = []
        window.runner.start(window, demo.generate, title="Demo data", on_done=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=60_000)
        assert isinstance(done[0], Changes)
        assert window.lists["cluster"].model.rowCount() == 20
        window.close()
    finally:
        core.close()


def test_window_remembers_view_and_column_widths(qtbot, core, cluster_with_members):
    """Closing and reopening keeps the last view, the sort order and column widths."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.go_to(window.views.index(window.lists["contact"]))
    table = window.findChild(QTableView, "contactsTable")
    table.horizontalHeader().resizeSection(1, 321)
    table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    window.close()

    again = MainWindow(core)
    qtbot.addWidget(again)
    assert again.stack.currentWidget() is again.lists["contact"]
    header = again.findChild(QTableView, "contactsTable").horizontalHeader()
    assert header.sectionSize(1) == 321
    assert header.sortIndicatorSection() == 1
    assert again.lists["contact"].model.order_by == "first_name"


def test_every_input_has_an_accessible_name(qtbot, window):
    """Lists, filters and the search field carry stable object names and accessible names."""
    from PySide6.QtWidgets import QLineEdit

    for prefix in ("clusters", "organisations", "contacts", "consultations", "tasks",
                   "evaluations", "actionPlans", "events"):
        assert window.findChild(QTableView, f"{prefix}Table").accessibleName()
        assert window.findChild(QLineEdit, f"{prefix}Filter").accessibleName()
    assert window.findChild(QLineEdit, "globalSearch").accessibleName()
    assert window.navigation.objectName() == "navigation"


def test_dashboard_follows_undo_while_it_is_shown(qtbot, window, core):
    """Undoing an added event while the dashboard is open updates its indicator bar."""
    from PySide6.QtWidgets import QProgressBar

    window.go_to(0)
    qtbot.waitUntil(lambda: window.findChild(QProgressBar, "indicator_kickoff_meetings")
                    is not None)
    bar = window.findChild(QProgressBar, "indicator_kickoff_meetings")
    assert bar.value() == 1
    window.go_to(window.views.index(window.lists["event"]))
    window.runner.write(window, records.create, entity="event", values={
        "kind": "kickoff", "title_pl": "Drugie spotkanie", "starts_on": "2018-02-10"})
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        window.go_to(0)
    assert window.findChild(QProgressBar, "indicator_kickoff_meetings").value() == 2
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        window.undo_action.trigger()
    assert window.findChild(QProgressBar, "indicator_kickoff_meetings").value() == 1
