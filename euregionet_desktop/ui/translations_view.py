"""The Needs translation view: the texts kept in both languages whose other side is empty or
older than the one just changed, per office; a record opens on a double click, and "Mark as
translated" says the translation still fits (undoable)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QPushButton,
    QTreeWidgetItem,
    QWidget,
)

from euregionet_desktop.domain.bilingual import TEXT_PAIRS
from euregionet_desktop.i18n import _, format_datetime, ngettext
from euregionet_desktop.services import translation
from euregionet_desktop.services.dto import Changes, TranslationNeed, UndoStep
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.work_list import (
    OfficeFilter,
    filter_row,
    item_tree,
    lay_out,
    status_line,
)

NEED_ROLE = Qt.ItemDataRole.UserRole + 1
# A change to any of these may add or take away a line (and offices name the filter).
WATCHED = frozenset({*TEXT_PAIRS, "office"})


def _when(ms: int) -> str:
    return format_datetime(dt.datetime.fromtimestamp(ms / 1000)) if ms else ""


class TranslationsView(QWidget):
    open_record = Signal(str, str)
    loaded = Signal()  # the lines shown are the current ones (tests, screenshots)

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Needs translation")
        self.runner = runner
        self.setObjectName("translationsView")
        self.needs: list[TranslationNeed] = []
        self._asked = 0
        self._last_step: UndoStep | None = None
        self.office = OfficeFilter(runner, "translationsOffice")
        self.office.currentIndexChanged.connect(lambda _index: self.ensure_loaded())
        self.tree = item_tree("translationsTree", _("Texts that need translating"),
                              [_("Record"), _("Type"), _("Text to translate"), _("State"),
                               _("Other side changed")])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.status = status_line("translationsStatus")
        self.open_button = QPushButton(_("&Open"), objectName="translationsOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.done_button = QPushButton(_("&Mark as translated"), objectName="translationsDone")
        self.done_button.setToolTip(_("The other side still says the same: keep this side as "
                                      "it is and take it off the list."))
        self.done_button.clicked.connect(self.mark_translated)
        self.undo_button = QPushButton(_("&Undo"), objectName="translationsUndo")
        self.undo_button.clicked.connect(self.undo)
        lay_out(self, _("Texts kept in Polish and German where one side changed and the other "
                        "did not, or is still empty. Open the record to translate, or mark the "
                        "side as translated when the translation still fits."),
                filter_row(_("&Office:"), self.office), self.status, self.tree,
                [self.open_button, self.done_button, self.undo_button])
        self.runner.history_changed.connect(self._update_buttons)
        self._update_buttons()

    def select_office(self, office_id: str | None) -> None:
        self.office.select(office_id)

    def ensure_loaded(self) -> None:
        """Read what needs translating (one query over the change log)."""
        self.office.load()
        self._asked += 1
        asked = self._asked
        self.runner.query(self, translation.needs_translation,
                          on_done=lambda needs: asked == self._asked and self._fill(needs),
                          office_id=self.office.currentData())

    def _fill(self, needs: list[TranslationNeed]) -> None:
        chosen = self._selected()
        self.needs = list(needs)
        self.tree.clear()
        for need in self.needs:
            state = (_("missing") if need.missing else _("outdated"))
            item = QTreeWidgetItem(self.tree, [
                need.record_label, _(ENTITY_LABELS[need.entity]), need.field_label, state,
                _when(need.other_changed_ms)])
            item.setToolTip(0, _("Double-click to open this record"))
            item.setData(0, NEED_ROLE, need)
            if chosen is not None and (chosen.record_id, chosen.field) == (need.record_id,
                                                                           need.field):
                self.tree.setCurrentItem(item)
        count = len(self.needs)
        self.status.setText(ngettext("{count} text needs translating.",
                                     "{count} texts need translating.", count).format(count=count)
                            if count else _("Nothing needs translating."))
        self.tree.setVisible(bool(self.needs))
        self.layout().setStretchFactor(self.status, 0 if self.needs else 1)
        self._update_buttons()
        self.loaded.emit()

    def refresh(self, changes: Changes) -> None:
        if changes.entities & WATCHED and self.isVisible():
            self.ensure_loaded()

    def _selected(self) -> TranslationNeed | None:
        item = self.tree.currentItem()
        return item.data(0, NEED_ROLE) if item is not None else None

    def _update_buttons(self, *_args) -> None:
        need = self._selected()
        self.open_button.setEnabled(need is not None)
        # An empty side has nothing to keep: it is translated by typing it.
        self.done_button.setEnabled(need is not None and not need.missing)
        last = self._last_step
        self.undo_button.setEnabled(last is not None
                                    and self.runner.history.next_undo() is last)

    def select_need(self, record_id: str, field: str) -> bool:
        """Make this side's line the current one; False if it is not shown."""
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            need = item.data(0, NEED_ROLE)
            if (need.record_id, need.field) == (record_id, field):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        need = item.data(0, NEED_ROLE)
        self.open_record.emit(need.entity, need.record_id)

    def open_selected(self) -> None:
        need = self._selected()
        if need is not None:
            self.open_record.emit(need.entity, need.record_id)

    def mark_translated(self) -> None:
        need = self._selected()
        if need is None or need.missing:
            return
        changes = self.runner.write(self, translation.mark_translated, entity=need.entity,
                                    record_id=need.record_id, field=need.field)
        if changes is not None:
            self._last_step = changes.undo
            self._update_buttons()

    def undo(self) -> None:
        if self._last_step is not None and self.runner.history.next_undo() is self._last_step:
            self.runner.undo(self)
            self._last_step = None
            self._update_buttons()
