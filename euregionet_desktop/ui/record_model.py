"""A lazy table model over any record list: ordered ids from SQL, rows fetched by page."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

from euregionet_desktop.i18n import _
from euregionet_desktop.services import consent, records, relations
from euregionet_desktop.services.dto import FieldSpec, RecordDTO
from euregionet_desktop.ui.dto_table_model import rows_table
from euregionet_desktop.ui.field_kinds import display_value
from euregionet_desktop.ui.icons import icon
from euregionet_desktop.ui.op_runner import OpRunner

PAGE_SIZE = 200
CACHED_PAGES = 8  # row pages kept while scrolling (1,600 rows), the least recent dropped first
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's id (str) for any cell
# A contact's first cell: True when the person did not consent to the programme's
# communication (services.consent), shown by NO_CONSENT_ICON and said in the tooltip.
NO_CONSENT_ROLE = Qt.ItemDataRole.UserRole + 2
NO_CONSENT_ICON = "mail-consent-missing"
# A column is widened to show its whole heading up to this many average characters; a
# longer heading is elided (its full text is the tooltip).
HEADER_WIDTH_CHARS = 30

_Index = QModelIndex | QPersistentModelIndex


class FieldColumnsModel(QAbstractTableModel):
    """A table whose columns are fields of one entity, headed by their labels."""

    columns: list[FieldSpec]

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[section].label
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Like the cells: a column scrolled half out of view or too narrow for its
            # heading still shows the heading's start. Given here rather than as the
            # header's default alignment, which a header state saved earlier would undo.
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return None


def record_table(model: FieldColumnsModel, *, object_name: str, title: str,
                 column_width: int = 140, first_column_width: int | None = None,
                 sortable: bool = False) -> QTableView:
    """A read-only table of records: whole rows selected, one line per row, no row numbers.

    Each column is ``column_width`` wide (the first ``first_column_width``) or as wide as its
    heading needs, whichever is more; headings measured, never the rows, which a list of
    100,000 records loads lazily. The main window may restore saved widths afterwards."""
    table = rows_table(model, object_name, title)
    header = table.horizontalHeader()
    header.setDefaultSectionSize(column_width)
    header.setTextElideMode(Qt.TextElideMode.ElideRight)
    if sortable:
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)  # before measuring: the arrow needs room too
    # sectionSizeHint measures the heading in bold (as shown while a row is selected) with
    # the sort indicator and the style's margins.
    widest = header.fontMetrics().averageCharWidth() * HEADER_WIDTH_CHARS
    for column in range(model.columnCount()):
        width = first_column_width if column == 0 and first_column_width else column_width
        header.resizeSection(column, max(width, min(header.sectionSizeHint(column), widest)))
    return table


class RecordTableModel(FieldColumnsModel):
    """Rows of one entity; sorting and filtering happen in SQL, never in a proxy model."""

    def __init__(self, runner: OpRunner, entity: str, columns: Sequence[str], parent=None, *,
                 relation: tuple[str, str, str] | None = None):
        """``relation`` (owner entity, owner id, relation key) lists only the records that
        belong to one record, e.g. the members of a cluster.

        Rows are read on the GUI thread (``runner.fetch``): Qt asks for them in data()."""
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.relation = relation
        specs = {s.name: s for s in records.field_specs(entity)}
        self.columns: list[FieldSpec] = [specs[name] for name in columns]
        self.filter_text = ""
        self.order_by: str | None = None
        self.descending = False
        self._ids: list[str] = []
        self._pages: OrderedDict[int, list[RecordDTO]] = OrderedDict()
        # (order_by, descending) -> (rowid, id) of all live records: re-sorting to an order
        # seen before and typing in the filter need no new ordered query.
        self._orders: dict[tuple[str | None, bool], list[tuple[int, str]]] = {}

    # --- loading ---------------------------------------------------------------------
    def reload(self, *, stale: bool = True) -> None:
        """Read the list again; ``stale=False`` when only the order or filter changed.

        Read before the reset: a failed read leaves the model as it was."""
        if stale:
            self._orders.clear()
        if self.relation is None:
            ids = self._ordered_ids()
        else:
            ids = self.runner.fetch(relations.related_ids, **self.related_query())
        self.show_ids(ids)

    def show_ids(self, ids: list[str]) -> None:
        """Show these records, in this order (read by the caller, maybe in the pool)."""
        self.beginResetModel()
        try:
            self._ids = ids
            self._pages.clear()
        finally:
            self.endResetModel()

    def related_query(self) -> dict[str, Any]:
        """The arguments of ``relations.related_ids`` for the relation shown."""
        assert self.relation is not None
        owner, owner_id, key = self.relation
        return {"entity": owner, "record_id": owner_id, "key": key,
                "filter_text": self.filter_text, "order_by": self.order_by,
                "descending": self.descending}

    def _ordered_ids(self) -> list[str]:
        key = (self.order_by, self.descending)
        if key not in self._orders:
            self._orders[key] = self.runner.fetch(
                records.ordered_rows, entity=self.entity, order_by=self.order_by,
                descending=self.descending)
        order = self._orders[key]
        matches = self.runner.fetch(records.filter_rowids, entity=self.entity,
                                    filter_text=self.filter_text)
        if matches is None:
            return [record_id for _rowid, record_id in order]
        return [record_id for rowid, record_id in order if rowid in matches]

    def row_of(self, record_id: str) -> int | None:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.reload(stale=False)

    def record_id(self, row: int) -> str:
        return self._ids[row]

    def _row(self, row: int) -> RecordDTO | None:
        page = row // PAGE_SIZE
        if page in self._pages:
            self._pages.move_to_end(page)
        else:
            ids = self._ids[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            self._pages[page] = self.runner.fetch(records.get_many, entity=self.entity,
                                                  record_ids=ids)
            if len(self._pages) > CACHED_PAGES:  # scrolling through 100,000 rows stays small
                self._pages.popitem(last=False)
        rows = self._pages[page]
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    # --- Qt model interface ----------------------------------------------------------
    def row_total(self) -> int:
        return len(self._ids)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == RECORD_ID_ROLE:
            return self._ids[index.row()]
        marked = self.entity == "contact" and index.column() == 0
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and not (
                marked and role in (Qt.ItemDataRole.DecorationRole, NO_CONSENT_ROLE)):
            return None
        record = self._row(index.row())
        if record is None:
            return None
        if marked and role != Qt.ItemDataRole.DisplayRole:
            # The contact's consent, from the values the page read already (no query).
            unconsented = not consent.may_communicate(record.values)
            if role == NO_CONSENT_ROLE:
                return unconsented
            if role == Qt.ItemDataRole.DecorationRole:
                return icon(NO_CONSENT_ICON) if unconsented else None
            if unconsented:
                return "\n".join((cell_text(self.columns[0], record.values,
                                             record.ref_labels), no_consent_text()))
        spec = self.columns[index.column()]
        return cell_text(spec, record.values, record.ref_labels)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.order_by = self.columns[column].name
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload(stale=False)


def no_consent_text() -> str:
    return _("No consent to programme communication")


def cell_text(spec: FieldSpec, values: Mapping[str, Any],
              ref_labels: Mapping[str, str] | None = None) -> str:
    """One field of a record as a list cell shows it: a related record by its name, an
    amount in the currency the record names in its ``currency`` field."""
    if ref_labels and spec.name in ref_labels:
        return ref_labels[spec.name]
    return display_value(spec, values.get(spec.name), currency=values.get("currency"))

