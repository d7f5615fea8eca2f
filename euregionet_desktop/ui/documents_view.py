"""The Documents view as far as it exists today: generated documents and templates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.record_model import RecordTableModel


class DocumentsView(QWidget):
    """Generated documents and templates, stored as attachments."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Documents")
        self.setObjectName("documentsView")
        intro = QLabel(_("Documents generated from records and the templates they use are "
                         "kept here and travel to the other offices with the records."))
        intro.setWordWrap(True)
        self.model = RecordTableModel(backend, "attachment",
                                      ("file_name", "kind", "language", "linked_entity", "size"),
                                      self)
        self.table = QTableView(objectName="documentsTable")
        self.table.setAccessibleName(_("Documents"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultSectionSize(180)
        self.empty = QLabel(_("No documents yet."), objectName="documentsEmpty")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)

    def ensure_loaded(self) -> None:
        self.model.reload()
        self.empty.setVisible(self.model.rowCount() == 0)

    def refresh(self, changes: Changes) -> None:
        if "attachment" in changes.entities and self.isVisible():
            self.ensure_loaded()
