"""A damaged or half-updated profile: the checks once the window is open, the offer to
restore a backup, and the restore itself (with the profile closed)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import (
    DamagedDatabaseError,
    InterruptedMigrationError,
    UserFacingError,
)
from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.backups import (
    DAMAGED_PREFIX,
    BackupInfo,
    RestoreReport,
    backup_if_due,
    list_backups,
    restore_backup,
)
from euregionet_desktop.services.profile import check_database, lock_profile
from euregionet_desktop.ui.background import in_background, wait_for
from euregionet_desktop.ui.backups_page import (
    BackupsModel,
    backup_time,
    backups_table,
    selected_backup,
)
from euregionet_desktop.ui.op_runner import CrashDialog, OpRunner, show_error

log = logging.getLogger(__name__)


def restored_text(report: RestoreReport) -> str:
    """What a restore did, for the message once the window is open again."""
    lines = [_("The data of {date} was restored.").format(date=backup_time(report.backup))]
    if report.previous is not None and report.previous.name.startswith(DAMAGED_PREFIX):
        lines.append(_("The damaged database was moved to {path}.").format(
            path=report.previous))
    elif report.previous is not None:
        lines.append(_("The data from before the restore is kept as a backup."))
    if report.installation is not None:
        lines.append(_("The profile continues as a new installation ({installation}) of its "
                       "office: partners send again what the backup lacks with their next "
                       "bundles.").format(installation=report.installation))
    if report.erasures_applied:
        lines.append(ngettext(
            "{count} person erased since then was erased again.",
            "{count} people erased since then were erased again.",
            report.erasures_applied).format(count=report.erasures_applied))
    return "\n\n".join(lines)


def restore_profile(parent: QWidget | None, profile: Profile,
                    backup_id: str) -> RestoreReport | None:
    """Restore a backup of the closed profile (nothing may have its database open); None
    after telling the person why it could not be done, with the data as it was."""
    try:
        lock = lock_profile(profile, purpose="restore")
    except UserFacingError as error:
        show_error(parent, error)
        return None
    try:
        return wait_for(parent, _("Restoring the backup"), restore_backup, profile=profile,
                        backup_id=backup_id)
    except UserFacingError as error:
        show_error(parent, error)
    except Exception as error:
        details = "".join(traceback.format_exception(error))
        log.error("restore failed\n%s", details)
        CrashDialog.ask(parent, error, details, profile.logs / "euregionet.log")
    finally:
        lock.release()
    return None


class RestoreOfferDialog(QDialog):
    """The profile cannot be used as it is: what happened, the backups, and the choice
    to restore one. Nothing is changed unless the person chooses a backup."""

    def __init__(self, message: str, backups: Sequence[BackupInfo], suggested: str | None,
                 decline: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreOffer")
        self.setWindowTitle(_("Restore a backup"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel(message, objectName="restoreOfferMessage")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(text, 1)
        layout.addLayout(top)
        layout.addSpacing(self.fontMetrics().height() // 2)
        self.model = BackupsModel(self)
        self.model.set_backups(backups)
        if backups:
            hint = QLabel(_("Choose the backup to go back to. The current database is kept "
                            "in the backups folder; people erased since then stay erased."))
        else:
            hint = QLabel(_("There is no backup of this profile to go back to."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = backups_table(self.model, "restoreOfferBackups")
        self.table.setVisible(bool(backups))
        layout.addWidget(self.table, 1)
        if not backups:
            layout.addStretch(1)
        buttons = QDialogButtonBox()
        self.restore = buttons.addButton(_("Restore the selected backup"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore.setObjectName("restoreOfferRestore")
        self.restore.setVisible(bool(backups))
        refuse = buttons.addButton(decline, QDialogButtonBox.ButtonRole.RejectRole)
        refuse.setObjectName("restoreOfferDecline")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _index: self.restore.click())
        row = self.model.row_of(suggested)
        if row is not None:
            self.table.selectRow(row)
        self._update()
        self.resize(self.minimumWidth(), self.sizeHint().height() + (80 if backups else 0))

    def _update(self) -> None:
        self.restore.setEnabled(self.chosen() is not None)
        self.restore.setDefault(self.restore.isEnabled())

    def chosen(self) -> str | None:
        backup = selected_backup(self.table, self.model)
        return backup.id if backup is not None else None

    @classmethod
    def ask(cls, parent: QWidget | None, *, message: str, backups: Sequence[BackupInfo],
            suggested: str | None, decline: str | None = None) -> str | None:
        """The id of the backup to restore, or None (Quit, or ``decline``'s button)."""
        dialog = cls(message, backups, suggested, decline or _("Quit"), parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.chosen() if accepted else None


def suggested_backup(error: UserFacingError, backups: Sequence[BackupInfo]) -> str | None:
    """The backup to preselect: the newest good one for a damaged database, the newest
    made before a schema update for an interrupted one."""
    if isinstance(error, DamagedDatabaseError):
        return error.backup
    return next((b.id for b in backups if b.reason == "before-migration"), None)


def offer_text(profile: Profile, error: UserFacingError, suggested: str | None) -> str:
    """What is wrong, for the offer: the core's message names the command-line restore,
    here the backups are right below it."""
    if isinstance(error, InterruptedMigrationError):
        if suggested is None:
            return _("The update of the database in {path} to this version of EuRegioNet was "
                     "interrupted, so the profile cannot be opened, and no backup from before "
                     "the update was found.").format(path=profile.root)
        return _("The update of the database in {path} to this version of EuRegioNet was "
                 "interrupted, so the profile cannot be opened. The backup made just before "
                 "the update is selected below.").format(path=profile.root)
    if isinstance(error, DamagedDatabaseError):
        if suggested is None:
            return _("The database in {path} is damaged and there is no sound backup of it. "
                     "Copy the whole folder somewhere safe before trying anything else, and "
                     "ask for help.").format(path=profile.root)
        return _("The database in {path} is damaged. The newest sound backup is selected "
                 "below.").format(path=profile.root)
    return str(error)


def offer_restore(parent: QWidget | None, profile: Profile, error: UserFacingError, *,
                  decline: str | None = None) -> str | None:
    """Tell what is wrong with the profile and offer its backups; the id of the one the
    person chose, or None. Never restores by itself."""
    try:
        backups = list_backups(profile)
    except (UserFacingError, OSError) as problem:
        log.warning("backups cannot be listed: %s", problem)
        backups = []
    suggested = suggested_backup(error, backups)
    return RestoreOfferDialog.ask(parent, message=offer_text(profile, error, suggested),
                                  backups=backups, suggested=suggested, decline=decline)


class ProfileChecks(QObject):
    """The database check and the daily backup, in the runner's thread pool (closing the
    window waits for them). The core decides whether a full check is due."""

    damaged = Signal(object)  # DamagedDatabaseError, told once however many find it
    backed_up = Signal(object)  # BackupInfo of the daily backup just made

    def __init__(self, runner: OpRunner, profile: Profile, parent: QWidget) -> None:
        super().__init__(parent)
        self.runner = runner
        self.profile = profile
        self.window = parent
        self.stopped = False  # the window closed: what is still running is not told
        self.told_damage = False

    def start(self) -> None:
        in_background(check_database, on_done=lambda _result: None, on_failed=self._failed,
                      pool=self.runner.pool, profile=self.profile)
        in_background(backup_if_due, on_done=self._backup_done, on_failed=self._failed,
                      pool=self.runner.pool, profile=self.profile)

    def _backup_done(self, backup: BackupInfo | None) -> None:
        if backup is not None and not self.stopped:
            self.backed_up.emit(backup)

    def _failed(self, error: BaseException, details: str) -> None:
        if self.stopped:
            return
        if isinstance(error, DamagedDatabaseError):
            # The daily backup finds damage too; one offer is enough.
            if not self.told_damage:
                self.told_damage = True
                self.damaged.emit(error)
            return
        self.runner.report(self.window, error, details)
