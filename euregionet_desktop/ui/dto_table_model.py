"""A read-only table model over a short list of DTOs (documents, backups): the Qt plumbing
that every such list shares; subclasses say what a cell shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

_Index = QModelIndex | QPersistentModelIndex


class DtoTableModel(QAbstractTableModel):
    """Rows are frozen dataclasses with an ``id``; ``headers`` are the translated column
    titles; ``cell(row, column, role)`` gives what a cell shows for a role."""

    headers: list[str]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = []
        self._rows: list[Any] = []

    def row_of(self, record_id: str | None) -> int | None:
        return next((row for row, item in enumerate(self._rows) if item.id == record_id),
                    None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def cell(self, item: Any, column: int, role: int) -> Any:
        raise NotImplementedError


def rows_table(model: QAbstractTableModel, object_name: str,
               accessible_name: str) -> QTableView:
    """A table of whole rows, not edited in place: one line per row, no row numbers,
    columns a person can widen, the last one filling the width (lists and read-only
    tables alike)."""
    table = QTableView(objectName=object_name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return table


def read_only_table(model: QAbstractTableModel, object_name: str,
                    accessible_name: str) -> QTableView:
    """A table of whole rows picked one at a time (rows_table)."""
    table = rows_table(model, object_name, accessible_name)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return table
