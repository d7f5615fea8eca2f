"""The import wizard's tables: a file's first rows, its columns with the field each goes
into, and what the import will do with each row."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from euregionet_desktop.i18n import _
from euregionet_desktop.services.table_import import NOTES, RowOutcome, TableInfo

# What one column of the mapping table holds.
COLUMN, FIRST_VALUE, TARGET = range(3)
ROW, ACTION, RECORD, PROBLEM_COLUMN, PROBLEM = range(5)


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text if len(text) > 40 else "")
    return item


def _read_only(table: QTableWidget) -> None:
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)


class SampleTable(QTableWidget):
    """The first rows of the file as read, numbered as the spreadsheet numbers them, so the
    person sees that the letters and the columns are right."""

    def __init__(self) -> None:
        super().__init__(objectName="importSample")
        self.setAccessibleName(_("The first rows of the file"))
        _read_only(self)

    def show_sample(self, info: TableInfo) -> None:
        self.clear()
        self.setColumnCount(len(info.headers))
        self.setRowCount(len(info.sample))
        self.setHorizontalHeaderLabels(list(info.headers))
        self.setVerticalHeaderLabels([str(number) for number, _cells in info.sample])
        for row, (_number, cells) in enumerate(info.sample):
            for column, text in enumerate(cells):
                self.setItem(row, column, _item(text))
        self.resizeColumnsToContents()
        for column in range(self.columnCount()):
            self.setColumnWidth(column, min(self.columnWidth(column), 260))


class MappingTable(QTableWidget):
    """One row per column of the file: its header, its first value, and a choice of the
    field it goes into (or the notes, or nothing)."""

    def __init__(self) -> None:
        super().__init__(0, 3, objectName="importMapping")
        self.setAccessibleName(_("Columns and fields"))
        self.setHorizontalHeaderLabels([_("Column in the file"), _("First value"),
                                        _("Goes into")])
        _read_only(self)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FIRST_VALUE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.headers: tuple[str, ...] = ()
        self.combos: list[QComboBox] = []

    def show_mapping(self, info: TableInfo) -> None:
        self.headers = info.headers
        self.combos = []
        self.setRowCount(len(info.headers))
        first = info.sample[0][1] if info.sample else ()
        for row, header in enumerate(info.headers):
            self.setItem(row, COLUMN, _item(header))
            self.setItem(row, FIRST_VALUE, _item(first[row] if row < len(first) else ""))
            combo = QComboBox(objectName=f"importMapping{row}")
            combo.setAccessibleName(_("Field for the column “{column}”").format(column=header))
            combo.addItem(_("— do not import —"), "")
            # Not the notes field itself (a target too): a line added to the notes.
            combo.addItem(_("→ Notes, as “{column}: …”").format(column=header), NOTES)
            combo.insertSeparator(combo.count())
            group = None
            for target in info.targets:
                part = target.key.partition(".")[0] if "." in target.key else None
                if part != group:
                    combo.insertSeparator(combo.count())
                    group = part
                combo.addItem(target.label, target.key)
            combo.setMaxVisibleItems(20)
            combo.setCurrentIndex(max(combo.findData(info.mapping.get(header, "")), 0))
            combo.currentIndexChanged.connect(lambda _index, c=combo: self._mark(c))
            self._mark(combo)
            self.setCellWidget(row, TARGET, combo)
            self.combos.append(combo)
        self.resizeColumnToContents(COLUMN)
        self.setColumnWidth(COLUMN, min(max(self.columnWidth(COLUMN), 140), 260))
        self.setColumnWidth(FIRST_VALUE, 220)
        self.resizeRowsToContents()

    @staticmethod
    def _mark(combo: QComboBox) -> None:
        """A column that is not imported reads lighter than those that are."""
        font = QFont(combo.font())
        font.setItalic(not combo.currentData())
        combo.setFont(font)

    def mapping(self) -> dict[str, str]:
        """Header → target key of the columns imported (into a field or the notes)."""
        return {header: combo.currentData() for header, combo in zip(
            self.headers, self.combos, strict=True) if combo.currentData()}


class OutcomeTable(QTableWidget):
    """Per row of the file: its number, what will happen, the record it names, and each
    error with its column and message (one line per error)."""

    def __init__(self) -> None:
        super().__init__(0, 5, objectName="importPreviewTable")
        self.setAccessibleName(_("What the import will do with each row"))
        self.setHorizontalHeaderLabels([_("Row"), _("What happens"), _("Record"),
                                        _("Column"), _("Problem")])
        _read_only(self)
        self.setWordWrap(True)  # a long message or duplicate reason wraps, read whole
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(PROBLEM, QHeaderView.ResizeMode.Stretch)
        # The rows' heights follow the wrapped text once the columns have their widths.
        self._fit_rows = QTimer(self, singleShot=True, interval=0)
        self._fit_rows.timeout.connect(self.resizeRowsToContents)
        header.sectionResized.connect(lambda *_args: self._fit_rows.start())
        self._errors: list[bool] = []
        self._errors_only = False

    def show_outcomes(self, outcomes: Sequence[RowOutcome]) -> None:
        lines = [(outcome, problem) for outcome in outcomes
                 for problem in (outcome.problems or (None,))]
        self.setRowCount(len(lines))
        self._errors = []
        bold = QFont(self.font())
        bold.setBold(True)
        for row, (outcome, problem) in enumerate(lines):
            cells = (str(outcome.row), action_text(outcome), outcome.label,
                     problem.column if problem else "", problem.message if problem else "")
            for column, text in enumerate(cells):
                item = _item(text)
                if outcome.action == "error" and column in (ACTION, PROBLEM):
                    item.setFont(bold)
                self.setItem(row, column, item)
            self._errors.append(outcome.action == "error")
        self.resizeColumnsToContents()
        for column, widest in ((ACTION, 230), (RECORD, 200), (PROBLEM_COLUMN, 140)):
            self.setColumnWidth(column, min(self.columnWidth(column), widest))
        self.resizeRowsToContents()
        self.show_errors_only(self._errors_only)

    def show_errors_only(self, only: bool) -> None:
        self._errors_only = only
        for row, error in enumerate(self._errors):
            self.setRowHidden(row, only and not error)

    def row_texts(self, *, shown_only: bool = True) -> list[tuple[str, ...]]:
        """The table's lines as text (what a person reads; for tests and checks)."""
        return [tuple(self.item(row, column).text() for column in range(self.columnCount()))
                for row in range(self.rowCount()) if not (shown_only and self.isRowHidden(row))]


def action_text(outcome: RowOutcome) -> str:
    """What will happen to a row, in words."""
    if outcome.action == "create":
        return _("Create")
    if outcome.action == "update":
        return _("Update {record} ({reason})").format(record=outcome.duplicate_of,
                                                      reason=outcome.reason)
    if outcome.action == "skip":
        return _("Skip – duplicate of {record} ({reason})").format(
            record=outcome.duplicate_of, reason=outcome.reason)
    return _("Error")
