"""Backups in the window: the Backups page, restoring from it, the offer to restore a
damaged profile at start-up, and the checks that run once the window is open."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import in_modal

from euregionet_desktop import app
from euregionet_desktop.errors import BackupError, DamagedDatabaseError, NotFoundError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, erasure, exchange, records
from euregionet_desktop.services.backups import BackupInfo
from euregionet_desktop.services.profile import Core, initialise, open_profile
from euregionet_desktop.ui import backups_page, profile_health
from euregionet_desktop.ui.backups_page import BackupsModel
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.profile_health import RestoreOfferDialog
from euregionet_desktop.ui.settings_dialog import SettingsDialog

# english, qt_language and window: tests/ui/conftest.py
pytestmark = pytest.mark.usefixtures("english")



def _contact(core: Core, last_name: str) -> str:
    changes = core.backend.run(records.create, entity="contact",
                               values={"first_name": "Ewa", "last_name": last_name})
    return changes.record_id


def _last_name(core: Core, record_id: str) -> str | None:
    try:
        record = core.backend.read(records.get, entity="contact", record_id=record_id)
    except NotFoundError:
        return None
    return None if record.deleted else record.values["last_name"]


def _damage(database: Path) -> None:
    """Overwrite the first page of the contact table, as a failing disk might: SQLite's
    check finds it, the file's header stays readable."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_schema WHERE type = 'table' "
                                  "AND name = 'contact'").fetchone()[0]
    connection.close()
    with database.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)


def _folder_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and "logs" not in path.parts}


def _profile_with_backup(folder: Path) -> tuple[dict[str, str], BackupInfo]:
    """A profile with Kowalska and Nowak, backed up; afterwards Kowalska is renamed,
    Wiśniewska added and Nowak erased."""
    with open_profile(Profile(folder), purpose="pytest") as core:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        ids = {"kowalska": _contact(core, "Kowalska"), "nowak": _contact(core, "Nowak")}
        backup = backups.create_backup(core.profile)
        core.backend.run(records.update_record, entity="contact", record_id=ids["kowalska"],
                         values={"last_name": "Kowalska-Renamed"})
        ids["wisniewska"] = _contact(core, "Wiśniewska")
        core.backend.run(exchange.erase_and_scrub, profile=core.profile, entity="contact",
                         record_id=ids["nowak"])
    return ids, backup


def _run_app(folder: Path, *steps: Callable[[MainWindow], None]) -> tuple[int, list[MainWindow]]:
    """app.run on ``folder``; each step gets the next main window that opens (and closes
    it unless the step did). Returns the exit code and the windows seen."""
    seen: list[MainWindow] = []
    pending = list(steps)

    def poll() -> None:
        if QApplication.activeModalWidget() is None:
            window = next((w for w in QApplication.topLevelWidgets()
                           if isinstance(w, MainWindow) and w.isVisible()
                           and w not in seen), None)
            if window is not None:
                seen.append(window)
                step = pending.pop(0) if pending else None
                try:
                    if step is not None:
                        step(window)
                finally:
                    if window.isVisible() and window.restore_requested is None:
                        window.close()
        if not done:
            QTimer.singleShot(20, poll)

    done = False
    QTimer.singleShot(0, poll)
    # Closing the last window ends app.exec(); the guard only keeps a failure from hanging.
    guard = QTimer(singleShot=True)
    guard.timeout.connect(QApplication.quit)
    guard.start(30_000)
    try:
        code = app.run(data_dir=folder, argv=["--data-dir", str(folder)])
    finally:
        done = True
        guard.stop()
    return code, seen


def test_backups_model_keeps_qts_model_contract(qtmodeltester, core):
    """The backups model passes qtmodeltester empty and filled."""
    model = BackupsModel()
    qtmodeltester.check(model)
    backups.create_backup(core.profile)
    backups.create_backup(core.profile, reason="before-import")
    model.set_backups(backups.list_backups(core.profile))
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_reasons_and_sizes_read_as_words(core):
    """Each reason in words; sizes in kB below a megabyte, MB with one decimal above."""
    assert [backups_page.reason_text(r) for r in backups.REASONS] == [
        "Manual", "Daily", "Before an import", "Before a database update",
        "Before a restore"]
    assert backups_page.size_text(840_000) == "840 kB"
    assert backups_page.size_text(12_345_678) == "12.3 MB"
    assert backups_page.size_text(12) == "1 kB"
    assert backups_page.size_text(1_000_000) == "1 MB"


def test_back_up_now_adds_a_row(window, qtbot, told):
    """Back up now on the Backups page: a new row, Manual, selected, and a backup file."""
    dialog = SettingsDialog(None, window, runner=window.runner)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.backups)
    dialog.show()
    page = dialog.backups
    assert page is not None and page.model.rowCount() == 0
    assert not page.restore.isEnabled()
    page.back_up.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    made = backups.list_backups(window.core.profile)
    assert [b.reason for b in made] == ["manual"]
    assert page.selected() == made[0]
    assert page.model.index(0, BackupsModel.REASON).data() == "Manual"
    assert "Backup made" in page.status.text()
    assert page.restore.isEnabled() and page.back_up.isEnabled()
    assert told == {"information": [], "warning": [], "critical": []}


def test_restore_from_the_backups_page_brings_back_the_data_and_reopens(
        qtbot, tmp_path, monkeypatch, qt_language, told):
    """Settings ▸ Backups ▸ Restore…: the window closes, the backup's data comes back in
    a new window, the person erased since stays erased, and the message says so."""
    folder = tmp_path / "profile"
    ids, backup = _profile_with_backup(folder)
    monkeypatch.setattr(app, "storage_warning", lambda profile: "On a network drive.")
    questions: list[str] = []
    monkeypatch.setattr(backups_page, "confirm_restore",
                        lambda parent, chosen: questions.append(chosen.id) or True)
    after: dict[str, str | None] = {}

    def restore_in_settings(window: MainWindow) -> None:
        def choose(dialog) -> None:
            page = dialog.backups
            dialog.tabs.setCurrentWidget(page)
            page.table.selectRow(page.model.row_of(backup.id))
            page.restore.click()

        in_modal(qtbot, window.settings_action.trigger, choose)
        assert window.restore_requested == backup.id and not window.isVisible()

    def look(window: MainWindow) -> None:
        after.update({name: _last_name(window.core, rid) for name, rid in ids.items()})

    code, windows = _run_app(folder, restore_in_settings, look)
    assert code == 0 and len(windows) == 2 and windows[0] is not windows[1]
    assert questions == [backup.id]
    assert after == {"kowalska": "Kowalska", "nowak": None, "wisniewska": None}
    [message] = told["information"]
    assert "was restored" in message and "kept as a backup" in message
    # Nowak's erasure was carried into the backup when the app opened (issue 13), so the
    # restore had no one to erase again: the backup itself no longer holds her.
    assert ids["nowak"] in {e.record for e in erasure.erasures_in(backup.path)}
    assert "erased since then" not in message
    assert "continues as a new installation" in message  # so sync stays whole
    # The storage warning is told once per start, not again for the reopened window.
    assert told["warning"] == ["On a network drive."] and told["critical"] == []
    assert backups.list_backups(Profile(folder))[0].reason == "before-restore"


def test_a_restore_that_fails_is_told_and_the_data_stays(qapp, tmp_path, monkeypatch,
                                                        qt_language, told):
    """The core refuses the restore: one warning, and the window reopens on the same data."""
    folder = tmp_path / "profile"
    ids, backup = _profile_with_backup(folder)

    def refuse(profile, backup_id):
        raise BackupError("The backup failed SQLite's check.")

    monkeypatch.setattr(profile_health, "restore_backup", refuse)
    after: dict[str, str | None] = {}
    code, windows = _run_app(
        folder, lambda window: window.request_restore(backup.id),
        lambda window: after.update(kowalska=_last_name(window.core, ids["kowalska"])))
    assert code == 0 and len(windows) == 2
    assert told["warning"] == ["The backup failed SQLite's check."]
    assert told["information"] == []
    assert after == {"kowalska": "Kowalska-Renamed"}


def test_a_damaged_database_at_start_offers_the_newest_good_backup(qapp, tmp_path,
                                                                   monkeypatch, qt_language,
                                                                   told):
    """Flipped bytes in the database: the offer comes with the backup preselected;
    choosing it restores, and the window opens on the backup's data."""
    folder = tmp_path / "profile"
    ids, backup = _profile_with_backup(folder)
    _damage(Profile(folder).database)
    asked: list[dict] = []

    def ask(cls, parent, *, message, backups, suggested, decline=None):
        asked.append({"message": message, "backups": [b.id for b in backups],
                      "suggested": suggested})
        return suggested

    monkeypatch.setattr(RestoreOfferDialog, "ask", classmethod(ask))
    after: dict[str, str | None] = {}
    code, windows = _run_app(
        folder, lambda window: after.update(kowalska=_last_name(window.core, ids["kowalska"]),
                                            nowak=_last_name(window.core, ids["nowak"])))
    assert code == 0 and len(windows) == 1
    assert [a["suggested"] for a in asked] == [backup.id]
    assert "is damaged" in asked[0]["message"] and asked[0]["backups"] == [backup.id]
    assert after == {"kowalska": "Kowalska", "nowak": None}
    [message] = told["information"]
    assert "damaged database was moved to" in message
    kept = [p.name for p in Profile(folder).backups.iterdir()]
    assert any(name.startswith(backups.DAMAGED_PREFIX) for name in kept)


def test_quit_in_the_offer_changes_nothing(qapp, tmp_path, monkeypatch, qt_language, told):
    """Quit: no window, exit code 1, and every file of the profile byte for byte as it was."""
    folder = tmp_path / "profile"
    _profile_with_backup(folder)
    _damage(Profile(folder).database)
    before = _folder_bytes(folder)
    asked: list[str | None] = []
    monkeypatch.setattr(RestoreOfferDialog, "ask", classmethod(
        lambda cls, parent, *, message, backups, suggested, decline=None:
        asked.append(suggested)))
    code, windows = _run_app(folder)
    assert code == 1 and windows == [] and len(asked) == 1
    after = _folder_bytes(folder)
    after.pop("profile.lock", None)  # the lock file stays, empty, as after any run
    before.pop("profile.lock", None)
    assert after == before


def test_an_interrupted_update_offers_the_backup_made_before_it(qapp, tmp_path, monkeypatch,
                                                               qt_language, told):
    """A schema update that did not finish: the backup made before it is preselected and
    restoring it opens the profile again."""
    folder = tmp_path / "profile"
    ids, _older = _profile_with_backup(folder)
    profile = Profile(folder)
    before_update = backups.create_backup(profile, reason="before-migration")
    backups.create_backup(profile, reason="manual")  # newer, but not the one to suggest
    profile.migration_marker.write_bytes(orjson.dumps({"backup": before_update.id}))
    asked: list[str | None] = []

    def ask(cls, parent, *, message, backups, suggested, decline=None):
        asked.append(suggested)
        assert "interrupted" in message
        return suggested

    monkeypatch.setattr(RestoreOfferDialog, "ask", classmethod(ask))
    after: dict[str, str | None] = {}
    code, windows = _run_app(
        folder, lambda window: after.update(kowalska=_last_name(window.core, ids["kowalska"])))
    assert code == 0 and len(windows) == 1
    assert asked == [before_update.id]
    assert after == {"kowalska": "Kowalska-Renamed"}
    assert not profile.migration_marker.exists()


def test_the_offer_preselects_the_suggested_backup(qtbot, core):
    """The suggested backup is selected and Restore returns it; Quit returns None."""
    older = backups.create_backup(core.profile)
    newer = backups.create_backup(core.profile, reason="before-import")
    found = backups.list_backups(core.profile)
    assert [b.id for b in found] == [newer.id, older.id]

    def check_and_restore(dialog) -> None:
        assert dialog.chosen() == older.id and dialog.restore.isEnabled()
        dialog.restore.click()

    assert in_modal(qtbot, lambda: RestoreOfferDialog.ask(
        None, message="Damaged.", backups=found, suggested=older.id),
        check_and_restore) == older.id
    assert in_modal(qtbot, lambda: RestoreOfferDialog.ask(
        None, message="Damaged.", backups=found, suggested=None),
        lambda dialog: dialog.findChild(type(dialog.restore), "restoreOfferDecline").click(),
    ) is None

    def nothing_to_restore(dialog) -> None:
        assert not dialog.restore.isVisible() and not dialog.table.isVisible()
        assert dialog.findChild(type(dialog.restore), "restoreOfferDecline").text() == "Quit"

    assert in_modal(qtbot, lambda: RestoreOfferDialog.ask(
        None, message="Damaged.", backups=[], suggested=None), nothing_to_restore) is None


def test_the_background_check_reports_a_damaged_database(window, qtbot, monkeypatch, told):
    """Damage after the window opened: the check (off the GUI thread) offers the newest
    good backup; Not now keeps the window open and changes nothing."""
    _contact(window.core, "Kowalska")
    backup = backups.create_backup(window.core.profile)
    _damage(window.core.profile.database)
    asked: list[dict] = []

    def ask(cls, parent, *, message, backups, suggested, decline=None):
        asked.append({"message": message, "suggested": suggested, "decline": decline})

    monkeypatch.setattr(RestoreOfferDialog, "ask", classmethod(ask))
    window.check_profile()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    window.runner.wait()
    QApplication.processEvents()  # what the daily backup reports, if anything, arrives too
    assert len(asked) == 1
    assert asked[0]["suggested"] == backup.id and asked[0]["decline"] == "Not now"
    assert "is damaged" in asked[0]["message"]
    assert window.isVisible() and window.restore_requested is None
    assert told == {"information": [], "warning": [], "critical": []}


def test_choosing_a_backup_after_the_check_closes_the_window_for_the_restore(
        window, qtbot, monkeypatch, told):
    """Restore chosen in the offer from the background check: the window closes with
    restore_requested set, for app.run to restore."""
    backup = backups.create_backup(window.core.profile)
    _damage(window.core.profile.database)
    monkeypatch.setattr(RestoreOfferDialog, "ask", classmethod(
        lambda cls, parent, *, message, backups, suggested, decline=None: suggested))
    window.check_profile()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert window.restore_requested == backup.id


def test_the_daily_backup_is_told_in_the_status_bar(window, qtbot, told):
    """A profile without a recent backup: the daily one is made in the background and the
    status bar says so; the next start makes none."""
    window.check_profile()
    qtbot.waitUntil(lambda: "Daily backup" in window.statusBar().currentMessage(),
                    timeout=10_000)
    made = backups.list_backups(window.core.profile)
    assert [b.reason for b in made] == ["daily"]
    assert dt.datetime.now() - made[0].created_at < dt.timedelta(minutes=1)
    assert told == {"information": [], "warning": [], "critical": []}


def test_the_damaged_error_names_no_command_in_the_window(core):
    """The offer's text speaks of the backups below, not of the command line."""
    error = DamagedDatabaseError("… with “euregionet backup restore x”.", backup="x")
    text = profile_health.offer_text(core.profile, error, "x")
    assert "euregionet backup" not in text and str(core.profile.root) in text
