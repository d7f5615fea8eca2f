"""The Sync view's Hub group: where bundles are exchanged without handing files around (a
shared folder or the office hub on PostgreSQL), Sync now, and the automatic sync.

A sync runs in the background (the runner's ``run_with_backend``), its progress and its
outcome shown in the group. A hub that cannot be reached is a quiet state of the group,
never a message box; the automatic sync shows every failure in the group only.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import MailboxOffline, UserFacingError, ValidationError
from euregionet_desktop.i18n import _, format_datetime, format_number, ngettext
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import hub
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.error_text import window_text
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_form import error_colour

log = logging.getLogger(__name__)

DEFAULT_MINUTES = 15  # offered when the automatic sync is first switched on
MINUTE_MS = 60_000  # a minute of the automatic sync's timer (tests make it short)


def _local(stamp: str) -> dt.datetime:
    """A stored UTC moment as the clock on the wall shows it."""
    return dt.datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None)


def _clock(moment: dt.datetime | None = None) -> str:
    return format_datetime(moment or dt.datetime.now(), fmt="HH:mm")


class HubSetupDialog(QDialog):
    """Where the hub is (a postgresql://… URL or a folder) and how often to sync by itself;
    Save stores it (a refusal is shown next to its field and nothing is changed)."""

    def __init__(self, runner: OpRunner, settings: hub.HubSettings | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("hubSetupDialog")
        self.setWindowTitle(_("Set up the hub"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Bundles are exchanged through a shared folder (a network share, a "
                         "cloud-synced folder, a USB stick) or through the office hub on a "
                         "PostgreSQL server. Either holds only encrypted bundles."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.url = QLineEdit(settings.url if settings else "", objectName="hubUrl")
        self.url.setPlaceholderText(_("postgresql://ROLE@SERVER/DATABASE or a folder"))
        label = QLabel(_("&Hub"))
        label.setBuddy(self.url)
        choose = QPushButton(_("Choose &folder…"), objectName="hubChooseFolder")
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.url, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.url_error = self._error_line("hubUrlError")
        layout.addWidget(self.url_error)
        note = QLabel(_("A server's password is never stored here: put it in a .pgpass file "
                        "or the PGPASSWORD variable."), objectName="hubPasswordNote")
        note.setWordWrap(True)
        layout.addWidget(note)

        self.auto = QCheckBox(_("Sync &automatically every"), objectName="hubAuto")
        self.minutes = QSpinBox(objectName="hubMinutes")
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setAccessibleName(_("Minutes between automatic syncs"))
        self.unit = QLabel()
        self.minutes.valueChanged.connect(self._say_unit)
        minutes = settings.auto_minutes if settings else None
        self.auto.setChecked(minutes is not None)
        self.minutes.setValue(minutes or DEFAULT_MINUTES)
        self._say_unit(self.minutes.value())
        self.minutes.setEnabled(self.auto.isChecked())
        self.auto.toggled.connect(self.minutes.setEnabled)
        auto_row = QHBoxLayout()
        auto_row.addWidget(self.auto)
        auto_row.addWidget(self.minutes)
        auto_row.addWidget(self.unit)
        auto_row.addStretch(1)
        layout.addLayout(auto_row)
        self.auto_error = self._error_line("hubAutoError")
        layout.addWidget(self.auto_error)
        auto_note = QLabel(_("While the app is open; a hub that cannot be reached is tried "
                             "again at the next turn."))
        auto_note.setWordWrap(True)
        layout.addWidget(auto_note)
        layout.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        save = buttons.addButton(_("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setObjectName("hubSave")
        save.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _error_line(name: str) -> QLabel:
        line = QLabel(objectName=name)
        line.setWordWrap(True)
        line.setStyleSheet(f"color: {error_colour().name()}")
        line.hide()
        return line

    def _say_unit(self, value: int) -> None:
        self.unit.setText(ngettext("minute", "minutes", value))

    def choose_folder(self) -> None:
        start = self.url.text().strip()
        if not start or start.startswith(("postgresql://", "postgres://")):
            start = str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, _("Choose the hub folder"), start)
        if chosen:
            self.url.setText(str(Path(chosen)))

    def save(self) -> None:
        self.url_error.hide()
        self.auto_error.hide()
        try:
            changes = self.runner.write(
                self, hub.set_hub, inline=True, url=self.url.text(),
                auto_minutes=self.minutes.value() if self.auto.isChecked() else None)
        except ValidationError as error:
            line = self.auto_error if error.field == "auto_minutes" else self.url_error
            line.setText(window_text(error))
            line.show()
            # Grown to hold the message: a shown dialog keeps its size and would squeeze
            # the text above it instead.
            self.layout().activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))
            (self.minutes if line is self.auto_error else self.url).setFocus()
            return
        if changes is not None:
            self.accept()

    @classmethod
    def ask(cls, runner: OpRunner, settings: hub.HubSettings | None,
            parent: QWidget | None = None) -> bool:
        dialog = cls(runner, settings, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()  # not one hidden dialog more in the group each time


class HubGroup(QGroupBox):
    """The hub, its last sync and what waits to be sent; Sync now; the automatic sync.

    The timer lives here (with the window), armed when the window opens and whenever the
    hub's settings change, so the automatic sync runs whichever view is shown."""

    ended = Signal(object)  # a sync ended: its HubReport, or the error it ended with
    shown = Signal()  # the hub's status read last is shown

    def __init__(self, runner: OpRunner, profile: Profile, parent: QWidget | None = None):
        super().__init__(_("Hub"), parent)
        self.setObjectName("syncHub")
        self.runner = runner
        self.profile = profile
        self.settings: hub.HubSettings | None = None
        self.running = False
        self._asked = 0

        self.location = QLabel(objectName="hubLocation")
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setAccessibleName(_("Hub"))
        self.status = QLabel(objectName="hubStatus")
        self.status.setWordWrap(True)
        self.line = QLabel(objectName="hubLine")
        self.line.setWordWrap(True)
        self.line.setAccessibleName(_("Last sync with the hub"))
        self.line.hide()
        self.progress = QProgressBar(objectName="hubProgress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.progress.hide()
        self.setup_button = QPushButton(_("Set up…"), objectName="hubSetup")
        self.setup_button.clicked.connect(self.set_up)
        self.sync_button = QPushButton(_("Sync now"), objectName="hubSyncNow")
        self.sync_button.clicked.connect(self.sync_now)
        self.retry = QPushButton(_("Retry"), objectName="hubRetry")
        self.retry.clicked.connect(self.sync_now)
        self.retry.hide()

        grid = QGridLayout(self)
        grid.addWidget(self.location, 0, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.setup_button)
        buttons.addWidget(self.sync_button)
        grid.addLayout(buttons, 0, 2)
        grid.addWidget(self.status, 1, 0, 1, 3)
        activity = QHBoxLayout()  # the progress while a sync runs, then what it did
        activity.addWidget(self.progress)
        activity.addWidget(self.line, 1)
        activity.addWidget(self.retry)
        grid.addLayout(activity, 2, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        self.timer = QTimer(self, objectName="hubTimer")
        self.timer.timeout.connect(self.auto_sync)
        runner.changed.connect(self._changed)
        self._settings_now()  # the timer runs from the start, whichever view is shown

    # --- what is shown -----------------------------------------------------------------
    def reload(self) -> None:
        self._asked += 1
        asked = self._asked
        self.runner.query(self, hub.hub_status,
                          on_done=lambda status: self._show(asked, status))

    def _show(self, asked: int, status: hub.HubStatus) -> None:
        if asked != self._asked:
            return  # a later read is on its way
        self._arm(status.settings)
        self._show_settings(status.settings, status)
        self.shown.emit()

    def _show_settings(self, settings: hub.HubSettings | None,
                       status: hub.HubStatus | None = None) -> None:
        self.sync_button.setVisible(settings is not None)
        self.sync_button.setEnabled(not self.running)
        self.setup_button.setText(_("Change…") if settings else _("Set up…"))
        if settings is None:
            self.location.setText(_("No hub set up: bundles are handed over as files "
                                    "(below). Set up a shared folder or the office hub to "
                                    "sync with one button."))
            self.status.hide()
            return
        self.location.setText(
            (_("Shared folder: {location}") if settings.kind == "folder"
             else _("Office hub: {location}")).format(location=settings.location))
        parts = [_("Last sync: {when}").format(
            when=format_datetime(_local(settings.last_sync_at)) if settings.last_sync_at
            else _("never"))]
        if settings.last_attempt_at and settings.last_attempt_at != settings.last_sync_at:
            parts.append(_("Last attempt: {when}").format(
                when=format_datetime(_local(settings.last_attempt_at))))
        if status is not None:
            parts.append(ngettext("{count} change to send", "{count} changes to send",
                                  status.pending_out).format(
                count=format_number(status.pending_out)))
            if status.set_aside:
                parts.append(ngettext("{count} bundle set aside", "{count} bundles set aside",
                                      status.set_aside).format(
                    count=format_number(status.set_aside)))
        parts.append(ngettext("synced automatically every {count} minute",
                              "synced automatically every {count} minutes",
                              settings.auto_minutes).format(count=settings.auto_minutes)
                     if settings.auto_minutes else _("no automatic sync"))
        self.status.setText("  ·  ".join(parts))
        self.status.show()

    def _settings_now(self) -> None:
        """Read the hub's settings (one row) on the spot: the timer and Sync now follow
        them at once; the counts come with the next ``reload``."""
        try:
            self._arm(self.runner.fetch(hub.hub_settings))
        except Exception:
            log.exception("the hub's settings could not be read")
        self._show_settings(self.settings)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if "hub" in changes.entities:  # set up or changed: the timer and the lines anew
            self.retry.hide()
            self.line.hide()
            self._settings_now()
            self.reload()

    def _arm(self, settings: hub.HubSettings | None) -> None:
        """Run the timer every ``auto_minutes`` while a hub is set, else stop it."""
        self.settings = settings
        minutes = settings.auto_minutes if settings else None
        if not minutes:
            self.timer.stop()
        elif not self.timer.isActive() or self.timer.interval() != minutes * MINUTE_MS:
            self.timer.start(minutes * MINUTE_MS)

    # --- actions -----------------------------------------------------------------------
    def set_up(self) -> None:
        HubSetupDialog.ask(self.runner, self.settings, self)

    def sync_now(self) -> bool:
        return self._start(automatic=False)

    def auto_sync(self) -> bool:
        """A tick of the timer: a sync, unless one is running."""
        return self._start(automatic=True)

    def _start(self, *, automatic: bool) -> bool:
        if self.running or self.settings is None:
            return False
        self.running = True
        self.sync_button.setEnabled(False)
        self.retry.hide()
        self.progress.setRange(0, 0)
        self.progress.show()
        self._say(_("Syncing with the hub…"))
        self.runner.run_with_backend(
            self, hub.sync, profile=self.profile, on_done=self._done,
            on_failed=lambda error, details: self._failed(error, details, automatic),
            on_progress=self._progressed)
        return True

    def _progressed(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self._say(_(stage) + "…")

    def _ended(self) -> None:
        self.running = False
        self.progress.hide()
        self.sync_button.setEnabled(True)

    def _done(self, report: hub.HubReport) -> None:
        self._ended()
        self._say(_("Synced at {time}: {summary}").format(
            time=_clock(), summary=" ".join(hub.report_lines(report))))
        if report.erased:
            self.runner.forget_erased()  # undo steps naming a person erased by a bundle
        self.reload()
        self.ended.emit(report)

    def _failed(self, error: BaseException, details: str, automatic: bool) -> None:
        self._ended()
        if isinstance(error, MailboxOffline):
            # Quiet: no box, whoever asked; the line says when it is tried again.
            log.info("the hub cannot be reached: %s", error)
            if self.timer.isActive():
                minutes = max(1, round(self.timer.remainingTime() / MINUTE_MS))
                text = ngettext("Hub not reachable — tried at {time}; tried again in "
                                "{count} minute.",
                                "Hub not reachable — tried at {time}; tried again in "
                                "{count} minutes.", minutes).format(time=_clock(),
                                                                    count=minutes)
            else:
                text = _("Hub not reachable — tried at {time}.").format(time=_clock())
            self._say(text)
            self.retry.show()
        elif isinstance(error, UserFacingError):
            self._say(_("The sync at {time} failed: {reason}").format(
                time=_clock(), reason=window_text(error)))
            if not automatic:
                self.runner.report(self, error, details)
        else:
            self._say(_("The sync at {time} failed unexpectedly.").format(time=_clock()))
            if automatic:  # in the log, not in a dialog the person did not ask for
                log.error("the automatic sync failed\n%s", details)
            else:
                self.runner.report(self, error, details)
        self.reload()
        self.ended.emit(error)

    def _say(self, text: str) -> None:
        self.line.setText(text)
        self.line.show()
