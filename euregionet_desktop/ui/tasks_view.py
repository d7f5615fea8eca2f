"""The Tasks list as a work list: my open follow-ups, overdue first, ticked off with Space."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services import records, tasks
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.tasks import TaskScope, TaskStatus
from euregionet_desktop.ui.dashboard import attention_colour
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import RecordTableModel

STATUS_CHOICES: tuple[tuple[TaskStatus, str], ...] = (
    (TaskStatus.OPEN, N_("Open tasks")),
    (TaskStatus.OVERDUE, N_("Overdue tasks")),
    (TaskStatus.DUE_SOON, N_("Tasks due soon")),
    (TaskStatus.DONE, N_("Done tasks")),
    (TaskStatus.ALL, N_("All tasks")),
)
SCOPE_CHOICES: tuple[tuple[TaskScope, str], ...] = (
    (TaskScope.MINE, N_("Me")),
    (TaskScope.OFFICE, N_("My office")),
    (TaskScope.ALL, N_("Everyone")),
)
DONE_COLUMN = "done"
DUE_COLUMN = "due_on"


class TaskTableModel(RecordTableModel):
    """Tasks of one state and scope; the Done column is a checkbox, overdue rows stand out.

    Ticking the box does not write by itself: ``done_toggled`` asks the view to, so that
    it is one undoable step like Space and the context menu."""

    done_toggled = Signal(str, bool)  # task id, done

    def __init__(self, runner: OpRunner, columns: Sequence[str], parent=None) -> None:
        super().__init__(runner, "task", columns, parent)
        self.status = TaskStatus.OPEN
        self.scope = TaskScope.MINE
        self.today = dt.date.today()
        self.attention = QColor("#b3261e")
        self.quiet = QColor("gray")
        names = [spec.name for spec in self.columns]
        self.done_column = names.index(DONE_COLUMN)
        self.due_column = names.index(DUE_COLUMN)

    def reload(self, *, stale: bool = True) -> None:
        if stale:
            self.today = dt.date.today()  # a list left open overnight
        super().reload(stale=stale)

    def _ordered_ids(self) -> list[str]:
        key: Any = (self.order_by, self.descending, self.status, self.scope)
        if key not in self._orders:
            self._orders[key] = self.runner.fetch(
                tasks.task_rows, status=self.status, scope=self.scope, order_by=self.order_by,
                descending=self.descending, today=self.today)
        order = self._orders[key]
        matches = self.runner.fetch(records.filter_rowids, entity="task",
                                    filter_text=self.filter_text)
        if matches is None:
            return [record_id for _rowid, record_id in order]
        return [record_id for rowid, record_id in order if rowid in matches]

    def set_filters(self, status: TaskStatus, scope: TaskScope) -> None:
        self.status, self.scope = status, scope
        self.reload(stale=False)

    def is_done(self, row: int) -> bool:
        record = self._row(row)
        return bool(record and record.values.get("done"))

    def is_overdue(self, values: Any) -> bool:
        due = values.get("due_on")
        return not values.get("done") and due is not None and due < self.today

    def flags(self, index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.done_column:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.row_total():
            return None
        done_cell = index.column() == self.done_column
        if role == Qt.ItemDataRole.CheckStateRole and done_cell:
            return (Qt.CheckState.Checked if self.is_done(index.row())
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.DisplayRole and done_cell:
            return ""  # the box says it
        if role == Qt.ItemDataRole.ForegroundRole:
            record = self._row(index.row())
            if record is None:
                return None
            if self.is_overdue(record.values):
                return QBrush(self.attention)
            return QBrush(self.quiet) if record.values.get("done") else None
        if role == Qt.ItemDataRole.ToolTipRole:
            record = self._row(index.row())
            if record is not None and done_cell:
                return _("Done") if record.values.get("done") else _("Not done yet")
            if record is not None and self.is_overdue(record.values):
                return _("Overdue: {text}").format(text=super().data(index, role))
        return super().data(index, role)

    def setData(self, index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role == Qt.ItemDataRole.CheckStateRole and index.isValid()
                and index.column() == self.done_column):
            done = Qt.CheckState(value) == Qt.CheckState.Checked
            self.done_toggled.emit(self.record_id(index.row()), done)
        return False  # the list shows the change once it is written


class TasksView(RecordListView):
    """Follow-ups by state (open, overdue, due soon, done, all) and whose they are."""

    def __init__(self, runner: OpRunner, entity: str, columns: Sequence[str], *,
                 object_prefix: str, title: str, newest_first: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, entity, columns, object_prefix=object_prefix, title=title,
                         newest_first=newest_first, parent=parent)
        assert isinstance(self.model, TaskTableModel)
        self.model.done_toggled.connect(lambda task_id, done: self.mark_done([task_id], done))
        self.status_choice = self._combo(f"{object_prefix}Status", STATUS_CHOICES)
        self.scope_choice = self._combo(f"{object_prefix}Scope", SCOPE_CHOICES)
        for combo in (self.status_choice, self.scope_choice):
            combo.currentIndexChanged.connect(self._filters_changed)
        bar = QHBoxLayout()
        for text, combo in ((_("&Show:"), self.status_choice),
                            (_("&Assigned to:"), self.scope_choice)):
            label = QLabel(text)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
        layout = self.filter.parentWidget().layout()
        at = layout.indexOf(self.filter)
        layout.removeWidget(self.filter)
        bar.addWidget(self.filter, 1)
        layout.insertLayout(at, bar)

        self.done_action = QAction(_("Mark done"), self.table, objectName="actionMarkDone")
        self.done_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.done_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.done_action.triggered.connect(self.toggle_selected)
        self.table.addAction(self.done_action)
        self.record_actions = [self.done_action]
        self.selection_changed.connect(self._update_done_action)
        self.scope_given = False  # the filters were set from outside (a dashboard counter)
        # The box needs little room, the title most: it says what is to be done.
        header = self.table.horizontalHeader()
        header.resizeSection(self.model.done_column, max(
            header.sectionSizeHint(self.model.done_column), 60))
        titles = [spec.name for spec in self.model.columns].index("title")
        header.resizeSection(titles, max(header.sectionSize(titles), 260))
        # An empty list says so where the rows would be, and what to do next.
        self.empty_hint = QLabel(self.table.viewport(), objectName=f"{object_prefix}EmptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_hint.hide()
        self.table.viewport().installEventFilter(self)
        self._take_palette()

    def create_model(self, runner: OpRunner, entity: str,
                     columns: Sequence[str]) -> RecordTableModel:
        return TaskTableModel(runner, columns, self)

    def _combo(self, name: str, choices: Sequence[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(objectName=name)
        for value, label in choices:
            combo.addItem(_(label), value)
        return combo

    # --- filters -----------------------------------------------------------------------
    def show_filtered(self, *, status: TaskStatus, scope: TaskScope) -> None:
        """Show the tasks in this state and scope (the dashboard's counters lead here)."""
        self.scope_given = True
        for combo, value in ((self.status_choice, status), (self.scope_choice, scope)):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(value))
        self.filter.clear()
        self._filters_changed()

    def _filters_changed(self, *_args: Any) -> None:
        assert isinstance(self.model, TaskTableModel)
        self.model.status = TaskStatus(self.status_choice.currentData())
        self.model.scope = TaskScope(self.scope_choice.currentData())
        if self._loaded:
            keep = self.current_id()
            self.model.set_filters(self.model.status, self.model.scope)
            self._after_reload(keep)

    def ensure_loaded(self) -> None:
        if not self._loaded:
            # Someone with no task of their own yet (a new advisor, a demo profile) starts
            # on their office's, not on an empty list.
            if (not self.scope_given and self.model.scope == TaskScope.MINE
                    and not self.runner.fetch(tasks.has_tasks, scope=TaskScope.MINE)):
                with QSignalBlocker(self.scope_choice):
                    self.scope_choice.setCurrentIndex(
                        self.scope_choice.findData(TaskScope.OFFICE))
                self.model.scope = TaskScope.OFFICE
            # Always opens in the work order (by due date, overdue first), whatever the
            # column the list was sorted by when the window was closed.
            header = self.table.horizontalHeader()
            with QSignalBlocker(header):
                header.setSortIndicator(self.model.due_column, Qt.SortOrder.AscendingOrder)
            self.header_restored = True
        super().ensure_loaded()

    def select_record(self, record_id: str, *, clear_filter: bool = True) -> bool:
        """Select a task; one the filters hide (a colleague's, a done one, opened from the
        dashboard or the search) shows with every task of everyone."""
        if super().select_record(record_id, clear_filter=clear_filter):
            return True
        if not clear_filter or not self._loaded:
            return False
        self.show_filtered(status=TaskStatus.ALL, scope=TaskScope.ALL)
        return super().select_record(record_id, clear_filter=False)

    def _after_reload(self, keep: str | None) -> None:
        super()._after_reload(keep)
        empty = not self.model.rowCount()
        if empty:
            self.empty_hint.setText(_("No tasks to show here. Choose “{all}” or “{everyone}” "
                                      "above to see more.").format(all=_("All tasks"),
                                                                   everyone=_("Everyone")))
            self._place_hint()
        self.empty_hint.setVisible(empty)

    def _place_hint(self) -> None:
        self.empty_hint.setGeometry(self.table.viewport().rect().adjusted(24, 24, -24, -24))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._place_hint()
        return super().eventFilter(watched, event)

    # --- marking done ------------------------------------------------------------------
    def _update_done_action(self) -> None:
        ids = self.selected_ids()
        self.done_action.setEnabled(bool(ids))
        self.done_action.setText(_("Mark not done") if ids and self._all_done(ids)
                                 else _("Mark done"))

    def _all_done(self, ids: list[str]) -> bool:
        assert isinstance(self.model, TaskTableModel)
        rows = [self.model.row_of(task_id) for task_id in ids]
        return all(row is not None and self.model.is_done(row) for row in rows)

    def toggle_selected(self) -> None:
        """Space: the selected tasks done, or open again when all of them are done."""
        ids = self.selected_ids()
        if ids:
            self.mark_done(ids, not self._all_done(ids))

    def mark_done(self, ids: list[str], done: bool = True) -> None:
        """One undoable step; the selection moves on to the task now at the same place,
        so that Space works down the list."""
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        row = min(rows) if rows else self.model.row_of(ids[0]) or 0
        changes = self.runner.write(self, tasks.mark_done, initiator=self, record_ids=ids,
                                    done=done)
        if changes is None:
            return
        self._reload()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self._update_done_action()

    def refresh(self, changes: Changes) -> None:
        super().refresh(changes)
        if self._loaded:
            self._update_done_action()

    # --- colours -----------------------------------------------------------------------
    def _take_palette(self) -> None:
        assert isinstance(self.model, TaskTableModel)
        self.model.attention = attention_colour(self.palette())
        self.model.quiet = self.palette().color(QPalette.ColorRole.PlaceholderText)

    def changeEvent(self, event: QEvent) -> None:
        # A switch between light and dark changes which red reads well.
        if event.type() == QEvent.Type.PaletteChange:
            self._take_palette()
            self.table.viewport().update()
        super().changeEvent(event)
