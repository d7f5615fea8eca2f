"""The Documents and Sync views as far as they exist today: what is stored and recorded."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, format_datetime, format_number
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import change_log_summary, profile_info
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


class SyncView(QWidget):
    """This installation and its change log, which bundles will carry to the other offices."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Sync")
        self.backend = backend
        self.setObjectName("syncView")
        box = QGroupBox(_("This installation"))
        self.form = QFormLayout(box)
        self.values: dict[str, QLabel] = {}
        for key, label in (("office", _("Partner office")), ("advisor", _("Advisor")),
                           ("label", _("Name of this laptop")),
                           ("installation", _("Installation id")),
                           ("changes", _("Changes recorded")),
                           ("own", _("Changes made here")),
                           ("last", _("Last change"))):
            value = QLabel(objectName=f"sync_{key}")
            value.setAccessibleName(label)
            self.values[key] = value
            self.form.addRow(label, value)
        note = QLabel(_("Every change is recorded field by field, so bundles exchanged with "
                        "the other offices can merge without losing anyone's work."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(note)
        layout.addStretch(1)

    def ensure_loaded(self) -> None:
        info = self.backend.read(profile_info)
        summary = self.backend.read(change_log_summary)
        self.values["office"].setText(f"{info.office_name} ({info.office_code})")
        self.values["advisor"].setText(info.advisor_name or "")
        self.values["label"].setText(info.label or "")
        self.values["installation"].setText(info.installation_id)
        self.values["changes"].setText(format_number(summary.changes))
        self.values["own"].setText(format_number(summary.own_changes))
        self.values["last"].setText(
            format_datetime(dt.datetime.fromtimestamp(summary.last_change_ms / 1000))
            if summary.last_change_ms else "")

    def refresh(self, changes: Changes) -> None:
        if changes.entities and self.isVisible():
            self.ensure_loaded()
