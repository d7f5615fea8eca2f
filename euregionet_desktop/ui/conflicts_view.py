"""The Conflicts view: fields two offices changed differently, settled by a person."""

from __future__ import annotations

import datetime as dt

import orjson
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, format_datetime
from euregionet_desktop.services import conflicts
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.op_runner import OpRunner

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1  # the Conflict on its top-level item
WRITE_ROLE = Qt.ItemDataRole.UserRole + 2  # the ConflictWrite on a value's item


def shown(value) -> str:
    if value is None:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


class ConflictsView(QWidget):
    open_record = Signal(str, str)

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Conflicts")
        self.runner = runner
        self.setObjectName("conflictsView")
        intro = QLabel(_("The same field was changed differently at two offices. Every office "
                         "shows the marked value until someone here picks the right one or "
                         "types a new one; the choice travels with the next bundles."))
        intro.setWordWrap(True)
        self.tree = QTreeWidget(objectName="conflictsTree")
        self.tree.setAccessibleName(_("Conflicts"))
        self.tree.setHeaderLabels([_("Record and field"), _("Value"), _("Who"), _("Office"),
                                   _("When")])
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 260)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(self._update_buttons)
        # Where the tree would be, from the top, when there is nothing to settle.
        self.empty = QLabel(_("No conflicts."), objectName="conflictsEmpty",
                            alignment=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.hide()
        self.keep = QPushButton(_("Keep the selected value"), objectName="conflictKeep")
        self.keep.clicked.connect(self.keep_selected)
        self.type_new = QPushButton(_("Type a new value…"), objectName="conflictType")
        self.type_new.clicked.connect(self.type_value)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep)
        buttons.addWidget(self.type_new)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def ensure_loaded(self) -> None:
        self.tree.clear()
        found = self.runner.read(self, conflicts.conflicts) or []
        for conflict in found:
            top = QTreeWidgetItem(self.tree, [f"{conflict.record_label} – {conflict.field_label}"])
            top.setData(0, CONFLICT_ROLE, conflict)
            for write in conflict.writes:
                mark = _("shown now") if write.winner else ""
                # A conflict of "Deleted" names its choices ("keep deleted", "restore
                # with the edit") and what each side did.
                value = " – ".join(p for p in (write.choice or shown(write.value),
                                                write.detail) if p)
                item = QTreeWidgetItem(top, [mark, value, write.author or "",
                                             write.office_code or "", format_datetime(
                                                 dt.datetime.fromtimestamp(write.at_ms / 1000))])
                item.setData(0, WRITE_ROLE, write)
                item.setData(0, CONFLICT_ROLE, conflict)
        self.tree.expandAll()
        self.empty.setVisible(not found)
        self.tree.setVisible(bool(found))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        """Keep needs one of the values chosen; typing a new value, any line of a conflict."""
        conflict, write = self._selected()
        self.keep.setEnabled(write is not None)
        self.type_new.setEnabled(conflict is not None)

    def refresh(self, changes: Changes) -> None:
        if changes.entities and self.isVisible():
            self.ensure_loaded()

    def _selected(self):
        item = self.tree.currentItem()
        if item is None:
            return None, None
        return item.data(0, CONFLICT_ROLE), item.data(0, WRITE_ROLE)

    def keep_selected(self) -> None:
        conflict, write = self._selected()
        if conflict is None or write is None:
            return
        self._resolve(conflict, write.value)

    def type_value(self) -> None:
        conflict, write = self._selected()
        if conflict is None:
            return
        start = shown((write or conflict.writes[0]).value)
        text, ok = QInputDialog.getText(self, _("Type a new value"), conflict.field_label,
                                        text=start)
        if ok:
            self._resolve(conflict, text)

    def _resolve(self, conflict, value) -> None:
        self.runner.write(self, conflicts.resolve, entity=conflict.entity,
                          record_id=conflict.record_id, field_name=conflict.field, value=value)
        self.ensure_loaded()

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        conflict = item.data(0, CONFLICT_ROLE)
        if conflict is not None and item.data(0, WRITE_ROLE) is None:
            self.open_record.emit(conflict.entity, conflict.record_id)
