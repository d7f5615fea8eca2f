"""Edit ▸ Retention review…: the contact persons kept past the programme's retention
setting, ticked by a person and erased in one step (asked once) through the normal
erasure, in the background."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, format_date, ngettext
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.retention import (
    RetentionItem,
    RetentionReview,
    due_for_review,
    erase_due,
    erase_question,
)
from euregionet_desktop.ui.dto_table_model import DtoTableModel, rows_table
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.screen_fit import fit_to_screen

_Index = QModelIndex | QPersistentModelIndex


class ReviewModel(DtoTableModel):
    """The records due, a box to tick in the first column (none ticked at first)."""

    NAME, ORGANISATION, LAST_ACTIVITY, DUE_SINCE = range(4)
    ticked_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_("Contact person"), _("Organisation"), _("Last activity"), _("Due since")]
        self.ticked: set[str] = set()

    def set_items(self, items: tuple[RetentionItem, ...]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.ticked &= {item.id for item in items}
        self.endResetModel()
        self.ticked_changed.emit()

    def items(self) -> list[RetentionItem]:
        return list(self._rows)

    def tick_all(self, ticked: bool) -> None:
        self.ticked = {item.id for item in self._rows} if ticked else set()
        if self._rows:
            self.dataChanged.emit(self.index(0, self.NAME),
                                  self.index(len(self._rows) - 1, self.NAME),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit()

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def cell(self, item: RetentionItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and column == self.NAME:
            return (Qt.CheckState.Checked if item.id in self.ticked
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME and item.deleted:
            return _("Deleted, but not erased: the data is still held.")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.NAME:
            return _("{name} (deleted)").format(name=item.name) if item.deleted else item.name
        if column == self.ORGANISATION:
            return item.organisation or ""
        if column == self.LAST_ACTIVITY:
            return _("{date} ({what})").format(date=format_date(item.last_activity),
                                               what=item.activity_label)
        return format_date(item.due_since)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.CheckStateRole or not index.isValid()
                or index.column() != self.NAME):
            return False
        item = self._rows[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.ticked.add(item.id)
        else:
            self.ticked.discard(item.id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticked_changed.emit()
        return True


class RetentionDialog(QDialog):
    """The review: who is due and since when, ticked and erased; with no setting, the way
    to the programme settings."""

    class Outcome(enum.Enum):
        CLOSED = enum.auto()
        OPEN_SETTINGS = enum.auto()  # the person wants to set the retention period

    def __init__(self, runner: OpRunner, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent, objectName="retentionDialog")
        self.runner = runner
        self.today = today or dt.date.today()
        self.outcome = self.Outcome.CLOSED
        self.review: RetentionReview | None = None
        self.setWindowTitle(_("Retention review"))
        layout = QVBoxLayout(self)
        self.intro = QLabel(objectName="retentionIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.pages = QStackedWidget(objectName="retentionPages")
        self.model = ReviewModel(self)
        self.model.ticked_changed.connect(self._update_buttons)
        self.table = rows_table(self.model, "retentionTable", _("Contact persons due for "
                                                                 "review"))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The organisation takes what is left (long names are cut, the dates never).
        header.setSectionResizeMode(ReviewModel.ORGANISATION, QHeaderView.ResizeMode.Stretch)
        self.pages.addWidget(self.table)
        empty = QWidget(objectName="retentionEmpty")
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        self.empty = QLabel(objectName="retentionEmptyMessage",
                            alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        empty_layout.addWidget(self.empty)
        self.settings_button = QPushButton(_("Open the programme settings…"),
                                           objectName="retentionOpenSettings")
        self.settings_button.clicked.connect(self._open_settings)
        empty_layout.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.pages.addWidget(empty)
        layout.addWidget(self.pages, 1)

        row = QHBoxLayout()
        self.select_all = QPushButton(_("Select &all"), objectName="retentionSelectAll")
        self.select_all.clicked.connect(lambda: self.model.tick_all(True))
        self.select_none = QPushButton(_("Select &none"), objectName="retentionSelectNone")
        self.select_none.clicked.connect(lambda: self.model.tick_all(False))
        self.count = QLabel(objectName="retentionCount")
        for widget in (self.select_all, self.select_none):
            row.addWidget(widget)
        row.addWidget(self.count, 1)
        self.erase_button = QPushButton(_("&Erase selected…"), objectName="retentionErase")
        self.erase_button.clicked.connect(self.erase_selected)
        row.addWidget(self.erase_button)
        layout.addLayout(row)
        self.done_label = QLabel(objectName="retentionDone")
        self.done_label.setWordWrap(True)
        layout.addWidget(self.done_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 560)
        self._update_buttons()
        self.load()

    def load(self) -> None:
        """Read the review again (in the background)."""
        self.erase_button.setEnabled(False)
        self.runner.query(self, due_for_review, today=self.today, on_done=self._show)

    def _show(self, review: RetentionReview) -> None:
        self.review = review
        self.model.set_items(review.items)
        years = review.years.get("contact")
        if years is not None and review.programme_end is not None:
            self.intro.setText(ngettext(
                "Contact persons with no activity for {years} year after the programme's "
                "end ({end}) or after their last activity, whichever is later. Tick those "
                "to erase: each is erased for good, here and, with the next bundles, at "
                "every partner office.",
                "Contact persons with no activity for {years} years after the programme's "
                "end ({end}) or after their last activity, whichever is later. Tick those "
                "to erase: each is erased for good, here and, with the next bundles, at "
                "every partner office.", years).format(
                years=years, end=format_date(review.programme_end)))
        else:
            self.intro.setText(_("Contact persons kept longer than the retention period in "
                                 "the programme settings."))
        if review.gaps:
            self.empty.setText("\n".join(gap.text for gap in review.gaps))
        else:
            self.empty.setText(ngettext(
                "No contact person is due for review ({checked} checked).",
                "No contact person is due for review ({checked} checked).",
                review.checked).format(checked=review.checked))
        self.settings_button.setVisible(bool(review.gaps))
        self.pages.setCurrentIndex(0 if review.items else 1)
        for button in (self.select_all, self.select_none, self.erase_button):
            button.setVisible(bool(review.items))
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows, ticked = self.model.rowCount(), len(self.model.ticked)
        self.select_all.setEnabled(rows > 0 and ticked < rows)
        self.select_none.setEnabled(ticked > 0)
        self.erase_button.setEnabled(ticked > 0)
        self.count.setText(ngettext("{ticked} of {count} contact person selected",
                                    "{ticked} of {count} contact persons selected",
                                    rows).format(ticked=ticked, count=rows) if rows else "")

    def ticked_ids(self) -> list[str]:
        """The ticked records in the order listed."""
        return [item.id for item in self.model.items() if item.id in self.model.ticked]

    def erase_selected(self) -> None:
        """Ask once, then erase every ticked person in one step, in the background."""
        ids = self.ticked_ids()
        if not ids:
            return
        answer = QMessageBox.warning(
            self, _("Erase personal data"), erase_question(len(ids)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.erase_button.setEnabled(False)
        self.runner.start(self, erase_due, title=_("Retention review"),
                          profile=self.runner.profile, record_ids=ids, today=self.today,
                          on_done=lambda changes: self._erased(len(ids), changes),
                          on_failed=self._failed)

    def _erased(self, count: int, changes: Changes) -> None:
        self.runner.forget_erased()  # undo steps naming the persons go, the others stay
        self.runner.compact(self)
        self.done_label.setText(ngettext(
            "{count} contact person erased.", "{count} contact persons erased.",
            count).format(count=count))
        self.load()

    def _failed(self, error: BaseException) -> None:
        self.runner.report(self, error)
        self.load()

    def _open_settings(self) -> None:
        self.outcome = self.Outcome.OPEN_SETTINGS
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: OpRunner) -> RetentionDialog.Outcome:
        """Show the review until closed; OPEN_SETTINGS when the person asked for the
        programme settings (the window opens them on the Programme page)."""
        dialog = cls(runner, parent)
        dialog.exec()
        return dialog.outcome
