"""The Tasks list as a work list, driven as a person: filters, overdue first, Space, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QMenu,
    QPushButton,
    QStyle,
    QStyleOptionViewItem,
)

from euregionet_desktop.services import records
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.ui.dashboard import attention_colour
from euregionet_desktop.ui.tasks_view import TasksView

TODAY = dt.date.today()
TASKS_ROW = 5  # in the navigation: dashboard, clusters, organisations, contacts,
# consultations, tasks


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def work(core, add):
    """My tasks (two overdue, one later, one done in 2017), a colleague's and BIC's."""
    me = core.backend.read(profile_info).advisor_id
    office = {code: core.backend.read(records.list_ids, entity="office", where={"code": code})[0]
              for code in ("LOP", "BIC")}
    colleague = add("advisor", name="Jan Kowalski", office_id=office["LOP"])
    other = add("advisor", name="Hans Meier", office_id=office["BIC"])
    return {
        "done": add("task", title="Done long ago", due_on="2017-05-02", done=True,
                    assignee_id=me),
        "later": add("task", title="Send the minutes", due_on=days(20), assignee_id=me),
        "late": add("task", title="Call back", due_on=days(-3), assignee_id=me),
        "very_late": add("task", title="Write the letter", due_on=days(-30), assignee_id=me),
        "colleague": add("task", title="Visit the cluster", due_on=days(-7),
                         assignee_id=colleague),
        "bic": add("task", title="Anruf", due_on=days(-2), assignee_id=other),
    }


def tasks_view(window) -> TasksView:
    view = window.lists["task"]
    assert isinstance(view, TasksView)
    return view


def open_tasks(qtbot, window) -> TasksView:
    """Ctrl+6, as a person goes to the Tasks list."""
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    view = tasks_view(window)
    assert window.stack.currentWidget() is view
    return view


def titles(view: TasksView) -> list[str]:
    column = next(i for i, spec in enumerate(view.model.columns) if spec.name == "title")
    return [view.model.index(row, column).data() for row in range(view.model.rowCount())]


def done_in_db(core, task_id: str) -> bool:
    return bool(core.backend.read(records.get, entity="task", record_id=task_id).values["done"])


def click_row(qtbot, view: TasksView, row: int) -> None:
    column = view.model.due_column
    rect = view.table.visualRect(view.model.index(row, column))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick an entry of a filter with the keyboard: focus, then Down or Up to it."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_opens_on_my_open_follow_ups_overdue_first_and_coloured(qtbot, window, work):
    """No done task, nobody else's; the latest overdue on top, overdue rows in red."""
    view = open_tasks(qtbot, window)
    assert view.status_choice.currentText() == "Open tasks"
    assert view.scope_choice.currentText() == "Me"
    assert titles(view) == ["Write the letter", "Call back", "Send the minutes"]
    red = attention_colour(view.palette())
    for row, overdue in enumerate((True, True, False)):
        brush = view.model.index(row, view.model.due_column).data(
            Qt.ItemDataRole.ForegroundRole)
        assert (isinstance(brush, QBrush) and brush.color() == red) is overdue
    done = view.model.index(0, view.model.done_column)
    assert done.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert view.count.text() == "3 records"


def test_space_marks_done_and_ctrl_z_brings_it_back(qtbot, window, core, work):
    """Space ticks off the selected task (it leaves the open list, the next one is
    selected); the undo step is named "Mark done" and Ctrl+Z opens it again."""
    view = open_tasks(qtbot, window)
    click_row(qtbot, view, 1)
    assert view.current_id() == work["late"]
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert done_in_db(core, work["late"])
    assert titles(view) == ["Write the letter", "Send the minutes"]
    assert view.current_id() == work["later"]  # Space again works down the list
    assert window.undo_action.text() == "&Undo Mark done"
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not done_in_db(core, work["late"])
    assert titles(view) == ["Write the letter", "Call back", "Send the minutes"]


def test_space_on_several_rows_is_one_step(qtbot, window, core, work):
    """Two rows selected (Shift+Down), one Space, one Ctrl+Z for both."""
    view = open_tasks(qtbot, window)
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_ids() == [work["very_late"], work["late"]]
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert done_in_db(core, work["very_late"]) and done_in_db(core, work["late"])
    assert titles(view) == ["Send the minutes"]
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not done_in_db(core, work["very_late"]) and not done_in_db(core, work["late"])


def test_ticking_the_checkbox_marks_done(qtbot, window, core, work):
    """A click on the box in the Done column, as with the mouse."""
    view = open_tasks(qtbot, window)
    index = view.model.index(0, view.model.done_column)
    option = QStyleOptionViewItem()
    option.initFrom(view.table)
    option.rect = view.table.visualRect(index)
    view.table.itemDelegate().initStyleOption(option, index)
    box = view.table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view.table)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
    qtbot.waitUntil(lambda: done_in_db(core, work["very_late"]), timeout=3000)
    assert titles(view) == ["Call back", "Send the minutes"]
    assert window.undo_action.text() == "&Undo Mark done"


def test_context_menu_marks_done(qtbot, window, core, work):
    """Right click on a row, "Mark done" in the menu."""
    view = open_tasks(qtbot, window)
    rect = view.table.visualRect(view.model.index(2, view.model.due_column))
    view.table.customContextMenuRequested.emit(rect.center())
    menu = view.findChild(QMenu, "tasksMenu")
    assert menu is not None
    action = next(a for a in menu.actions() if a.text() == "Mark done")
    assert action.isEnabled()
    menu.close()
    action.trigger()
    assert done_in_db(core, work["later"])
    assert titles(view) == ["Write the letter", "Call back"]


def test_filters_change_what_is_listed(qtbot, window, core, work):
    """Overdue, done, all; me, my office (the colleague's, never BIC's), everyone."""
    view = open_tasks(qtbot, window)
    choose(qtbot, view.status_choice, "Overdue tasks")
    assert titles(view) == ["Write the letter", "Call back"]
    choose(qtbot, view.scope_choice, "My office")
    assert titles(view) == ["Write the letter", "Visit the cluster", "Call back"]
    choose(qtbot, view.scope_choice, "Everyone")
    assert titles(view) == ["Write the letter", "Visit the cluster", "Call back", "Anruf"]
    choose(qtbot, view.status_choice, "Done tasks")
    assert titles(view) == ["Done long ago"]
    # A done task ticked again is open again (Space on a done row: "Mark not done").
    click_row(qtbot, view, 0)
    assert view.done_action.text() == "Mark not done"
    qtbot.keyClick(view.table, Qt.Key.Key_Space)
    assert not done_in_db(core, work["done"])
    assert titles(view) == []
    # An empty list says what to do next, where the rows would be.
    assert view.empty_hint.isVisible() and "Everyone" in view.empty_hint.text()
    choose(qtbot, view.status_choice, "All tasks")
    assert not view.empty_hint.isVisible()
    choose(qtbot, view.scope_choice, "Me")
    # Open again, the task of 2017 is the most overdue of all.
    assert titles(view) == ["Done long ago", "Write the letter", "Call back",
                            "Send the minutes"]


def test_text_filter_works_within_the_chosen_filters(qtbot, window, work):
    """Typing "call" among my open tasks finds only mine."""
    view = open_tasks(qtbot, window)
    view.filter.setFocus()
    qtbot.keyClicks(view.filter, "call")
    qtbot.waitUntil(lambda: titles(view) == ["Call back"], timeout=3000)


def test_dashboard_overdue_count_opens_the_filtered_list(qtbot, work, window):
    """The dashboard's "all overdue" counter opens Tasks on everyone's overdue ones."""
    dashboard = window.dashboard
    link = dashboard.findChild(QPushButton, "dashboardOverdueAll")
    assert link is not None
    qtbot.waitUntil(lambda: link.isVisible() and "4" in link.text(), timeout=5000)
    assert link.text() == "All 4 overdue follow-ups in Tasks ›"
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    view = tasks_view(window)
    assert window.stack.currentWidget() is view
    assert view.status_choice.currentText() == "Overdue tasks"
    assert view.scope_choice.currentText() == "Everyone"
    assert titles(view) == ["Write the letter", "Visit the cluster", "Call back", "Anruf"]
    assert view.current_id() == work["very_late"]
    assert QApplication.focusWidget() is view.table


def test_dashboard_due_soon_and_open_counts_open_their_lists(qtbot, work, window):
    """Due soon: the task in 20 days is not; open: every open task of everyone."""
    dashboard = window.dashboard
    soon = dashboard.findChild(QPushButton, "dashboardUpcomingAll")
    everything = dashboard.findChild(QPushButton, "dashboardOpenAll")
    qtbot.waitUntil(lambda: everything.isVisible(), timeout=5000)
    assert not soon.isVisible(), soon.text()  # nothing due in the next days
    assert everything.text() == "All 5 open follow-ups in Tasks ›"
    qtbot.mouseClick(everything, Qt.MouseButton.LeftButton)
    view = tasks_view(window)
    assert view.status_choice.currentText() == "Open tasks"
    assert len(titles(view)) == 5


def test_the_list_reopens_in_the_work_order(qtbot, core, work, tmp_path):
    """Sorted by title when the window closed, the list opens by due date again."""
    from euregionet_desktop.ui.main_window import MainWindow

    first = MainWindow(core)
    qtbot.addWidget(first)
    view = tasks_view(first)
    first.go_to(TASKS_ROW)
    view.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.AscendingOrder)
    assert titles(view) == ["Call back", "Send the minutes", "Write the letter"]
    first.close()
    second = MainWindow(core)
    qtbot.addWidget(second)
    second.go_to(TASKS_ROW)
    assert titles(tasks_view(second)) == ["Write the letter", "Call back", "Send the minutes"]


def test_overdue_colour_follows_a_dark_palette(qtbot, window, work):
    """In a dark theme overdue rows take the light red that reads on dark."""
    view = open_tasks(qtbot, window)
    palette = view.palette()
    palette.setColor(palette.ColorRole.Base, Qt.GlobalColor.black)
    view.setPalette(palette)
    brush = view.model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == attention_colour(view.palette())
    assert brush.color().lightnessF() > 0.5


def test_a_task_the_filters_hide_opens_with_everyone_s_tasks(qtbot, work, window):
    """Double-clicking a colleague's overdue task on the dashboard selects it in Tasks."""
    from PySide6.QtWidgets import QTreeWidget

    from euregionet_desktop.ui.dashboard import RECORD_ROLE

    tree = window.dashboard.findChild(QTreeWidget, "dashboardOverdue")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 4, timeout=5000)
    item = next(tree.topLevelItem(i) for i in range(4)
                if tree.topLevelItem(i).data(0, RECORD_ROLE)[1] == work["colleague"])
    centre = tree.visualItemRect(item).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    view = tasks_view(window)
    assert window.stack.currentWidget() is view
    assert view.current_id() == work["colleague"]
    assert view.status_choice.currentText() == "All tasks"
    assert view.scope_choice.currentText() == "Everyone"


def test_a_new_task_the_filters_hide_is_shown_after_saving(qtbot, window, core, work):
    """Ctrl+N among the overdue tasks, a task with no due date: after saving it is listed
    and selected."""
    from tests.ui.ui_helpers import in_modal, type_into

    view = open_tasks(qtbot, window)
    choose(qtbot, view.status_choice, "Overdue tasks")
    view.table.setFocus()

    def fill(dialog):
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        type_into(qtbot, dialog.form, "title", "Book the room")
        qtbot.keyClick(dialog.form.editors["title"].edit, Qt.Key.Key_S,
                       Qt.KeyboardModifier.ControlModifier)
        assert dialog.result() == QDialog.DialogCode.Accepted

    in_modal(qtbot, lambda: qtbot.keyClick(view.table, Qt.Key.Key_N,
                                           Qt.KeyboardModifier.ControlModifier), fill)
    assert view.detail.record is not None
    assert view.detail.record.values["title"] == "Book the room"
    assert view.status_choice.currentText() == "All tasks"


def test_task_model_passes_qtmodeltester(qtmodeltester, core, work):
    """The task model keeps Qt's model contract with its check boxes and colours, in every
    filter."""
    from euregionet_desktop.services.tasks import TaskScope, TaskStatus
    from euregionet_desktop.ui.op_runner import OpRunner
    from euregionet_desktop.ui.tasks_view import TaskTableModel

    model = TaskTableModel(OpRunner(core.backend), ["done", "due_on", "title", "assignee_id"])
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    model.set_filters(TaskStatus.ALL, TaskScope.ALL)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == 6
    done = model.index(model.row_of(work["done"]), 0)
    assert done.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert done.flags() & Qt.ItemFlag.ItemIsUserCheckable


@pytest.fixture
def colleague_only(core, add):
    """One open task of a colleague at my office, none of mine."""
    office = core.backend.read(records.list_ids, entity="office", where={"code": "LOP"})[0]
    colleague = add("advisor", name="Jan Kowalski", office_id=office)
    return add("task", title="Visit the cluster", due_on=days(-7), assignee_id=colleague)


def test_an_advisor_without_tasks_starts_on_the_office_s(qtbot, colleague_only, window):
    """No task of mine at all (a new advisor, the demo): the list opens on my office's
    open tasks; choosing "Me" then shows my empty list with what to do next."""
    view = open_tasks(qtbot, window)
    assert view.scope_choice.currentText() == "My office"
    assert titles(view) == ["Visit the cluster"]
    choose(qtbot, view.scope_choice, "Me")
    assert titles(view) == [] and view.empty_hint.isVisible()
