"""A list of records of one kind: filter field above a lazily loaded, SQL-sorted table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.ui.record_model import RecordTableModel


class RecordListView(QWidget):
    def __init__(self, backend: Backend, entity: str, columns: Sequence[str], *,
                 object_prefix: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.model = RecordTableModel(backend, entity, columns, self)
        self.filter = QLineEdit(objectName=f"{object_prefix}Filter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setAccessibleName(_("Filter {list}").format(list=title))
        self.filter.setClearButtonEnabled(True)
        self.table = QTableView(objectName=f"{object_prefix}Table")
        self.table.setAccessibleName(title)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        for column in range(len(columns)):
            header.resizeSection(column, 220 if column == 0 else 150)
        # Filter as the person types, but only once they pause.
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(lambda: self.model.set_filter(self.filter.text()))
        self.filter.textChanged.connect(self._filter_timer.start)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self._loaded = False

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.model.reload()
            self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
