"""Records edited on their parent's form (follow-up tasks, measures, participants), and
the dialog for one of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import RecordDTO
from euregionet_desktop.services.editing import ChildRows
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.ui.field_kinds import view_of
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_form import RecordForm, error_banner, error_colour
from euregionet_desktop.ui.record_model import FieldColumnsModel, cell_text, record_table
from euregionet_desktop.ui.screen_fit import fit_to_screen

_Index = QModelIndex | QPersistentModelIndex


class ChildRow:
    """One row as the form holds it: the stored id (None until saved), values, texts."""

    def __init__(self, record_id: str | None, values: dict[str, Any],
                 texts: dict[str, str]) -> None:
        self.record_id = record_id
        self.values = values
        self.texts = texts
        self.changed = record_id is None


class ChildRowsModel(FieldColumnsModel):
    """The rows of one child list; edits stay here until the parent is saved."""

    def __init__(self, entity: str, columns: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        specs = {s.name: s for s in records.field_specs(entity)}
        self.entity = entity
        self.columns = [specs[name] for name in columns]
        self.rows: list[ChildRow] = []
        self.removed: list[str] = []

    def load(self, dtos: Sequence[RecordDTO]) -> None:
        first = self.columns[0]
        if first.choices:
            # Rows named by a choice come in the choices' order (an initiative's steps in
            # the order they are taken), not in the order they were stored.
            place = {value: n for n, (value, _label) in enumerate(first.choices)}
            dtos = sorted(dtos, key=lambda d: place.get(d.values.get(first.name), len(place)))
        rows = [ChildRow(d.id, dict(d.values), {
            s.name: cell_text(s, d.values, d.ref_labels) for s in self.columns}) for d in dtos]
        self.beginResetModel()
        try:
            self.rows = rows
            self.removed = []
        finally:
            self.endResetModel()

    def append(self, row: ChildRow) -> None:
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first)
        self.rows.append(row)
        self.endInsertRows()

    def replace(self, index: int, row: ChildRow) -> None:
        self.rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self.columns) - 1))

    def remove(self, index: int) -> None:
        self.beginRemoveRows(QModelIndex(), index, index)
        row = self.rows.pop(index)
        self.endRemoveRows()
        if row.record_id is not None:
            self.removed.append(row.record_id)

    def child_rows(self) -> ChildRows:
        # Unchanged stored rows are not sent: saving them would write nothing anyway.
        return ChildRows(self.entity, [(r.record_id, r.values) for r in self.rows if r.changed],
                         tuple(self.removed))

    def changed_index(self, sent: int) -> int:
        """The model row of the ``sent``-th row handed to the service."""
        return [i for i, r in enumerate(self.rows) if r.changed][sent]

    # --- Qt model interface ----------------------------------------------------------
    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (not index.isValid() or role != Qt.ItemDataRole.DisplayRole
                or not 0 <= index.row() < len(self.rows)):
            return None
        row, spec = self.rows[index.row()], self.columns[index.column()]
        if view_of(spec.kind).row_text_from_value:  # a row just typed holds it as typed
            return cell_text(spec, row.values)
        return row.texts.get(spec.name, "")


class ChildSection(QGroupBox):
    """A titled table of child records with Add, Edit and Remove."""

    def __init__(self, runner: OpRunner, *, parent_entity: str, entity: str, link: str,
                 columns: Sequence[str], title: str, object_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.runner = runner
        self.entity = entity
        self.link = link
        self.setObjectName(object_name)
        self.model = ChildRowsModel(entity, columns, self)
        self.table = record_table(self.model, object_name=f"{object_name}Table", title=title)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.doubleClicked.connect(lambda _index: self.edit_row())
        # A form holds a few rows: every column as wide as its longest cell, the first (the
        # title or the person) takes the rest of the width, so nothing is clipped.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.error = QLabel(objectName=f"{object_name}Error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_colour().name()}")
        self.error.hide()
        add = QPushButton(_("Add…"), objectName=f"{object_name}Add")
        edit = QPushButton(_("Edit…"), objectName=f"{object_name}Edit")
        remove = QPushButton(_("Remove"), objectName=f"{object_name}Remove")
        for button, text in ((add, _("Add a row to {list}")), (edit, _("Edit the row in {list}")),
                             (remove, _("Remove the row from {list}"))):
            button.setAccessibleName(text.format(list=title))
        add.clicked.connect(self.add_row)
        edit.clicked.connect(self.edit_row)
        remove.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        for button in (add, edit, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def load(self, parent_id: str | None) -> None:
        if parent_id is None:
            self.model.load([])
            return
        ids = self.runner.fetch(records.list_ids, entity=self.entity,
                                       where={self.link: parent_id})
        self.model.load(self.runner.fetch(records.get_many, entity=self.entity,
                                                 record_ids=ids))

    def _ask(self, row: ChildRow | None) -> ChildRow | None:
        return RowDialog.ask(self, self.runner, self.entity, hidden=(self.link,), row=row)

    def add_row(self) -> None:
        row = self._ask(None)
        if row is not None:
            self.model.append(row)
            self.table.selectRow(len(self.model.rows) - 1)

    def _selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def edit_row(self) -> None:
        index = self._selected()
        if index is None:
            return
        row = self._ask(self.model.rows[index])
        if row is not None:
            self.model.replace(index, row)

    def remove_row(self) -> None:
        index = self._selected()
        if index is not None:
            self.model.remove(index)

    def child_rows(self) -> ChildRows:
        return self.model.child_rows()

    def show_row_problem(self, sent_row: int, message: str) -> None:
        index = self.model.changed_index(sent_row)
        self.table.selectRow(index)
        self.error.setText(message)
        self.error.show()

    def clear_problem(self) -> None:
        self.error.hide()


class RowDialog(QDialog):
    """One child row (a task, a measure, a participant), checked before it is kept."""

    def __init__(self, runner: OpRunner, entity: str, *, hidden: tuple[str, ...],
                 row: ChildRow | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.row = row
        self.result_row: ChildRow | None = None
        self.setObjectName("rowDialog")
        self.setWindowTitle((_("Edit {entity}") if row else _("New {entity}")).format(
            entity=entity_label(entity)))
        self.form = RecordForm(runner, entity, hidden=hidden)
        if row is not None:
            self.form.set_values(row.values, row.texts)
        if row is not None and row.record_id and not row.changed and self.form.markers:
            # A stored measure as it is: its sides that need translating are marked.
            self.form.set_needs_translation(runner.fetch(
                records.get, entity=entity, record_id=row.record_id).needs_translation)
        self.banner = error_banner()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.keep)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        fit_to_screen(self, 900 if len(self.form.specs) > 9 else 560, self.sizeHint().height())
        self.setSizeGripEnabled(True)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def keep(self) -> None:
        local = self.form.local_problems()
        if local:
            self.form.show_problems(local)
            return
        values = self.form.values()
        try:
            self.runner.fetch(records.check_values, entity=self.entity, values=values)
        except ValidationError as error:
            if not self.form.show_problems(error.problems):
                self.banner.setText(error.message)
                self.banner.show()
            return
        texts = self.form.labels()
        self.result_row = ChildRow(self.row.record_id if self.row else None, values, texts)
        self.result_row.changed = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: OpRunner, entity: str, *,
            hidden: tuple[str, ...], row: ChildRow | None) -> ChildRow | None:
        dialog = cls(runner, entity, hidden=hidden, row=row, parent=parent)
        dialog.exec()
        return dialog.result_row
