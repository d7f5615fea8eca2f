"""The Duplicates view: pairs of records that may be one, best first, with why; merged
with care (ui.merge_dialog) or marked "not a duplicate" (a decision that travels)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QPushButton,
    QTreeWidgetItem,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, ngettext
from euregionet_desktop.services import duplicates
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.merge_dialog import MergeDialog
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.work_list import filter_row, item_tree, lay_out, status_line

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1
KINDS = (("organisation", N_("Organisations")), ("contact", N_("Contact persons")),
         ("cluster", N_("Clusters")))
# A change to any of these may add or take away a pair.
WATCHED = frozenset({"organisation", "contact", "cluster", duplicates.DECISION, "merge"})


class DuplicatesView(QWidget):
    open_record = Signal(str, str)
    loaded = Signal()  # the pairs shown are the current ones (tests, screenshots)

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Duplicates")
        self.runner = runner
        self.setObjectName("duplicatesView")
        self.pairs: list[duplicates.DuplicatePair] = []
        self._asked = 0
        self.kind = QComboBox(objectName="duplicatesKind")
        self.kind.setAccessibleName(_("Kind of record"))
        for entity, label in KINDS:
            self.kind.addItem(_(label), entity)
        self.kind.currentIndexChanged.connect(lambda _index: self.ensure_loaded())
        self.tree = item_tree("duplicatesTree", _("Possible duplicates"),
                              [_("Score"), _("Record"), _("Possibly the same as"), _("Why")])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(1, 260)
        self.tree.setColumnWidth(2, 260)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.status = status_line("duplicatesStatus")
        self.merge_button = QPushButton(_("&Merge…"), objectName="duplicatesMerge")
        self.merge_button.clicked.connect(self.merge_selected)
        # More than two records may be one (they share a key): all of them side by side.
        self.merge_group_button = QPushButton(objectName="duplicatesMergeGroup")
        self.merge_group_button.clicked.connect(self.merge_group)
        self.distinct_button = QPushButton(_("&Not a duplicate"),
                                           objectName="duplicatesNotDuplicate")
        self.distinct_button.clicked.connect(self.not_duplicate)
        lay_out(self, _("Records that may be the same firm, person or cluster, the likeliest "
                        "first. Merge them into one, or mark them as not duplicates: the "
                        "decision travels with the next bundles."),
                filter_row(_("&Show:"), self.kind), self.status, self.tree,
                [self.merge_button, self.merge_group_button, self.distinct_button])
        self._update_buttons()

    def entity(self) -> str:
        return self.kind.currentData()

    def ensure_loaded(self) -> None:
        """Look for the pairs of the kind chosen, in the background (a full scan)."""
        self._asked += 1
        asked, entity = self._asked, self.entity()
        self.status.setText(_("Looking for duplicates…"))
        self.status.show()
        self.runner.query(self, duplicates.candidates,
                          on_done=lambda pairs: asked == self._asked and self._fill(pairs),
                          entity=entity)

    def _fill(self, pairs: list[duplicates.DuplicatePair]) -> None:
        chosen = self._selected()
        self.pairs = list(pairs)
        self.tree.clear()
        for pair in self.pairs:
            why = ", ".join(pair.reasons)
            if len(pair.group) > 2:  # more records share the keys: merged a pair at a time
                why = ngettext("{reasons} (one of {count} records that may be one)",
                               "{reasons} (one of {count} records that may be one)",
                               len(pair.group)).format(reasons=why, count=len(pair.group))
            item = QTreeWidgetItem(self.tree, [str(pair.score), pair.labels[0], pair.labels[1],
                                               why])
            for column in (1, 2):
                item.setToolTip(column, _("Double-click to open this record"))
            item.setData(0, PAIR_ROLE, pair)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if chosen is not None and pair.ids == chosen.ids:
                self.tree.setCurrentItem(item)
        self.status.setText(_("No possible duplicates.") if not self.pairs else "")
        # Nothing to decide: the line says so where the list would be (as in Conflicts).
        self.status.setVisible(not self.pairs)
        self.tree.setVisible(bool(self.pairs))
        self.layout().setStretchFactor(self.status, 0 if self.pairs else 1)
        self._update_buttons()
        self.loaded.emit()

    def refresh(self, changes: Changes) -> None:
        if changes.entities & WATCHED and self.isVisible():
            self.ensure_loaded()

    def _selected(self) -> duplicates.DuplicatePair | None:
        item = self.tree.currentItem()
        return item.data(0, PAIR_ROLE) if item is not None else None

    def _update_buttons(self, *_args) -> None:
        pair = self._selected()
        chosen = pair is not None
        self.merge_button.setEnabled(chosen)
        self.distinct_button.setEnabled(chosen)
        self.merge_group_button.setVisible(chosen and len(pair.group) > 2)
        if chosen and len(pair.group) > 2:
            self.merge_group_button.setText(ngettext(
                "Merge &all {count} of them…", "Merge &all {count} of them…",
                len(pair.group)).format(count=len(pair.group)))

    def select_pair(self, first_id: str, second_id: str) -> bool:
        """Make the pair of these two records the current row; False if it is not shown."""
        wanted = {first_id, second_id}
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if set(item.data(0, PAIR_ROLE).ids) == wanted:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _double_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        """A record's name opens it (its list, the record selected); elsewhere, Merge…"""
        pair = item.data(0, PAIR_ROLE)
        if column in (1, 2):
            self.open_record.emit(pair.entity, pair.ids[column - 1])
        else:
            self.merge_selected()

    def not_duplicate(self) -> None:
        pair = self._selected()
        if pair is None:
            return
        self.runner.write(self, duplicates.not_duplicate, entity=pair.entity,
                          first_id=pair.ids[0], second_id=pair.ids[1])

    def merge_selected(self) -> None:
        pair = self._selected()
        if pair is None:
            return
        MergeDialog.ask(self, self.runner, pair.entity, list(pair.ids))

    def merge_group(self) -> None:
        """Every record of the selected pair's group side by side, the pair's first."""
        pair = self._selected()
        if pair is None:
            return
        ids = [*pair.ids, *(i for i in pair.group if i not in pair.ids)]
        MergeDialog.ask(self, self.runner, pair.entity, ids)
