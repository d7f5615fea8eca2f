"""The dashboard's lists on a real profile: what they show and which record they open."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QTreeWidget, QTreeWidgetItemIterator

from euregionet_desktop.ui.dashboard import RECORD_ROLE, DashboardView
from euregionet_desktop.ui.op_runner import OpRunner

TODAY = dt.date.today()


def days(n):
    return (TODAY + dt.timedelta(days=n)).isoformat()


def records_in(tree):
    """(entity, id, label) of every item that opens a record, top to bottom."""
    found = []
    iterator = QTreeWidgetItemIterator(tree)
    while iterator.value():
        item = iterator.value()
        if item.data(0, RECORD_ROLE):
            found.append((*item.data(0, RECORD_ROLE), item.text(0)))
        iterator += 1
    return found


def double_click(qtbot, tree, item):
    # A real double click is a click and then a double-click event; QTest's mouseDClick
    # alone leaves the view without the pressed index it compares against.
    centre = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def item_for(tree, record_id):
    return next(item for item in tree.findItems("*", Qt.MatchFlag.MatchWildcard
                                                | Qt.MatchFlag.MatchRecursive)
                if item.data(0, RECORD_ROLE) and item.data(0, RECORD_ROLE)[1] == record_id)


@pytest.fixture
def view(qtbot, core):
    dashboard = DashboardView(OpRunner(core.backend))
    qtbot.addWidget(dashboard)
    dashboard.resize(1000, 700)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    return dashboard


@pytest.fixture
def filled(add):
    fresh = add("cluster", name_pl="Klaster Alfa", country="PL", kind="cluster")
    evaluated = add("cluster", name_pl="Klaster Beta", country="PL", kind="cluster")
    add("evaluation", cluster_id=evaluated, evaluated_on="2020-01-10")
    return {
        "overdue": add("task", title="Call back", due_on=days(-3)),
        "upcoming": add("task", title="Send the agenda", due_on=days(2)),
        "recent": add("consultation", held_at=f"{days(-1)} 10:00", subject="Kick-off"),
        "fresh": fresh,
        "evaluated": evaluated,
    }


def test_lists_show_follow_ups_consultations_and_waiting_clusters(qtbot, view, filled):
    """Each panel lists its records: late and coming tasks, the consultation, both clusters."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    overdue = view.findChild(QTreeWidget, "dashboardOverdue")
    upcoming = view.findChild(QTreeWidget, "dashboardUpcoming")
    recent = view.findChild(QTreeWidget, "dashboardRecent")
    waiting = view.findChild(QTreeWidget, "dashboardWaiting")
    assert records_in(overdue) == [("task", filled["overdue"], "Call back")]
    assert records_in(upcoming) == [("task", filled["upcoming"], "Send the agenda")]
    assert [r[:2] for r in records_in(recent)] == [("consultation", filled["recent"])]
    assert "Kick-off" in records_in(recent)[0][2]
    assert records_in(waiting) == [("cluster", filled["fresh"], "Klaster Alfa"),
                                   ("cluster", filled["evaluated"], "Klaster Beta")]
    assert overdue.accessibleName() == "Overdue follow-ups"
    assert view.overdue.title() == "Overdue follow-ups (1)"


def test_double_click_opens_the_overdue_task(qtbot, view, filled):
    """Double-clicking an overdue task emits open_record with 'task' and its id."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    tree = view.findChild(QTreeWidget, "dashboardOverdue")
    with qtbot.waitSignal(view.open_record, timeout=2000) as blocker:
        double_click(qtbot, tree, item_for(tree, filled["overdue"]))
    assert blocker.args == ["task", filled["overdue"]]


def test_enter_opens_the_waiting_cluster(qtbot, view, filled):
    """Enter on a cluster waiting for an action plan emits open_record with its id."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    tree = view.findChild(QTreeWidget, "dashboardWaiting")
    tree.setFocus()
    tree.setCurrentItem(item_for(tree, filled["evaluated"]))
    with qtbot.waitSignal(view.open_record, timeout=2000) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args == ["cluster", filled["evaluated"]]


def test_section_headings_open_nothing(qtbot, view, filled):
    """Double-clicking the 'Waiting for an evaluation' heading emits no open_record."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    tree = view.findChild(QTreeWidget, "dashboardWaiting")
    heading = tree.topLevelItem(0)
    assert heading.text(0).startswith("Waiting for an evaluation")
    with qtbot.assertNotEmitted(view.open_record):
        double_click(qtbot, tree, heading)


def test_empty_lists_say_so(qtbot, view):
    """On a new profile every panel shows its empty text instead of a list."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    empty = view.findChild(QLabel, "dashboardOverdueEmpty")
    assert empty.text() == "Nothing overdue."
    assert view.overdue.stack.currentWidget() is empty
    assert view.overdue.title() == "Overdue follow-ups"
    assert view.waiting.stack.currentWidget() is view.findChild(QLabel, "dashboardWaitingEmpty")


def test_title_counts_what_the_list_leaves_out(qtbot, view, add):
    """With twelve overdue tasks the title says 10 of 12."""
    for n in range(12):
        add("task", title=f"Task {n}", due_on=days(-20 + n))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    assert len(records_in(view.findChild(QTreeWidget, "dashboardOverdue"))) == 10
    assert view.overdue.title() == "Overdue follow-ups (10 of 12)"


def test_refresh_shows_new_records_and_keeps_one_bar_per_indicator(qtbot, view, add):
    """refresh() after adding a task lists it, without doubling the indicator bars."""
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.ensure_loaded()
    task = add("task", title="New follow-up", due_on=days(1))
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.refresh()
    assert [r[1] for r in records_in(view.findChild(QTreeWidget, "dashboardUpcoming"))] == [task]
    assert len(view.findChildren(QProgressBar)) == 11
    assert view.findChild(QProgressBar, "indicator_evaluated_clusters") is not None
