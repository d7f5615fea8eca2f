"""The Backups page of the Settings: the profile's backups, "Back up now", and "Restore…"
with the question that says what a restore does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, format_datetime, format_number
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.backups import BackupInfo, create_backup, list_backups
from euregionet_desktop.ui.background import busy_dialog, dispose, in_background
from euregionet_desktop.ui.dto_table_model import DtoTableModel
from euregionet_desktop.ui.op_runner import OpRunner

_Index = QModelIndex | QPersistentModelIndex
BACKUP_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the backup's id (str) on every cell

# Why a backup was made, as the person reads it.
REASONS = {
    "manual": N_("Manual"),
    "daily": N_("Daily"),
    "before-import": N_("Before an import"),
    # "Database update" as the core's messages say it: people do not know what a schema is.
    "before-migration": N_("Before a database update"),
    "before-restore": N_("Before a restore"),
}


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def backup_time(backup: BackupInfo) -> str:
    """When the backup was made (local time, as its name records it)."""
    return format_datetime(backup.created_at)


def size_text(size: int) -> str:
    """A file size as a person reads it: 12.3 MB, 840 kB."""
    if size >= 1_000_000:
        return _("{size} MB").format(size=format_number(round(size / 1_000_000, 1)))
    return _("{size} kB").format(size=format_number(max(1, round(size / 1000))))


class BackupsModel(DtoTableModel):
    """The profile's backups, newest first, as ``list_backups`` returns them."""

    CREATED, REASON, SIZE = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = [_("Made on"), _("Reason"), _("Size")]

    def set_backups(self, backups: Sequence[BackupInfo]) -> None:
        rows = list(backups)
        self.beginResetModel()
        try:
            self._rows = rows
        finally:
            self.endResetModel()

    def backup(self, row: int) -> BackupInfo:
        return self._rows[row]

    def cell(self, backup: BackupInfo, column: int, role: int) -> Any:
        if role == BACKUP_ID_ROLE:
            return backup.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(backup, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @classmethod
    def _text(cls, backup: BackupInfo, column: int) -> str:
        if column == cls.CREATED:
            return backup_time(backup)
        if column == cls.REASON:
            return reason_text(backup.reason)
        if column == cls.SIZE:
            return size_text(backup.size)
        return ""


def backups_table(model: BackupsModel, name: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setAccessibleName(_("Backups"))
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(BackupsModel.REASON, QHeaderView.ResizeMode.Stretch)
    return table


def selected_backup(table: QTableView, model: BackupsModel) -> BackupInfo | None:
    rows = table.selectionModel().selectedRows()
    return model.backup(rows[0].row()) if rows else None


def confirm_restore(parent: QWidget | None, backup: BackupInfo) -> bool:
    """Say plainly what a restore does; True if the person goes ahead."""
    when = backup_time(backup)
    box = QMessageBox(QMessageBox.Icon.Question, _("Restore a backup"),
                      _("Restore the backup of {date}?").format(date=when), parent=parent)
    box.setObjectName("restoreQuestion")
    box.setInformativeText(_(
        "The current data is kept as a backup; the app restarts with the data of {date}. "
        "People erased since then stay erased.").format(date=when))
    restore = box.addButton(_("Restore"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)  # nothing happens by a stray Enter
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is restore



class BackupsPage(QWidget):
    """The profile's backups: make one now, or go back to one."""

    restore_chosen = Signal(str)  # the backup's id, after the person confirmed it

    def __init__(self, runner: OpRunner, profile: Profile,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsPage")
        self.runner = runner
        self.profile = profile
        layout = QVBoxLayout(self)
        intro = QLabel(_("EuRegioNet Desktop backs up the profile every day, before an import "
                         "and before a database update. Backups are kept in {folder}.").format(
            folder=profile.backups))
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.model = BackupsModel(self)
        self.table = backups_table(self.model, "backupsTable")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.back_up = QPushButton(_("&Back up now"), objectName="backupsBackUpNow")
        self.back_up.clicked.connect(self.back_up_now)
        self.restore = QPushButton(_("&Restore…"), objectName="backupsRestore")
        self.restore.clicked.connect(self.restore_selected)
        self.status = QLabel(objectName="backupsStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.back_up)
        row.addWidget(self.restore)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.load()

    def load(self, select: str | None = None) -> None:
        try:
            backups = list_backups(self.profile)
        except Exception as error:
            self.runner.report(self, error)
            backups = []
        self.model.set_backups(backups)
        row = self.model.row_of(select)
        if row is not None:
            self.table.selectRow(row)
        self._update()

    def _update(self) -> None:
        self.restore.setEnabled(self.selected() is not None and self.back_up.isEnabled())

    def selected(self) -> BackupInfo | None:
        return selected_backup(self.table, self.model)

    def back_up_now(self) -> None:
        """A backup in the thread pool, behind a progress dialog; the list shows it."""
        self.back_up.setEnabled(False)
        self._update()
        progress = busy_dialog(self, _("Backing up"))

        def done(backup: BackupInfo) -> None:
            dispose(progress)
            self.back_up.setEnabled(True)
            self.load(select=backup.id)
            self.status.setText(_("Backup made: {date}").format(date=backup_time(backup)))

        def failed(error: BaseException, details: str) -> None:
            dispose(progress)
            self.back_up.setEnabled(True)
            self._update()
            self.runner.report(self, error, details)

        in_background(create_backup, on_done=done, on_failed=failed, pool=self.runner.pool,
                      profile=self.profile, reason="manual")

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is not None and confirm_restore(self, backup):
            self.restore_chosen.emit(backup.id)
