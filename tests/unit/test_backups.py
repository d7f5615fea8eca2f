"""Backups, restores, the erasure ledger, the database check at start-up, and where a
profile may live: on real profiles in temporary folders."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sync_network import Network, grep_profile

from euregionet_desktop import files
from euregionet_desktop.errors import (
    BackupError,
    DamagedDatabaseError,
    InterruptedMigrationError,
)
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, erasure, exchange, health, records
from euregionet_desktop.services.profile import (
    Core,
    check_database,
    cloud_folder,
    initialise,
    last_check,
    mount_fs_type,
    network_file_system,
    open_profile,
    storage_warning,
)
from euregionet_desktop.storage import migrate
from tests.schema import downgrade

SURNAME = "Xyzzyplugh"  # found nowhere else, in any letter case


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Profile]:
    """A set-up LOP profile, closed."""
    profile = Profile(tmp_path / "profile")
    with open_profile(profile, purpose="pytest") as core:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
    yield profile


def add_contact(core: Core, last_name: str = SURNAME) -> str:
    changes = core.backend.run(records.create, entity="contact",
                               values={"first_name": "Zdzisława", "last_name": last_name})
    assert changes.record_id
    return changes.record_id


def contact_names(core: Core) -> list[str]:
    page = core.backend.read(records.list_page, entity="contact", filter_text="",
                             order_by=None, limit=None)
    return [row.label for row in page.rows]


def erase(core: Core, record_id: str) -> None:
    """``euregionet erase contact ID --yes``: erase, scrub, compact."""
    core.backend.run(erasure.erase, entity="contact", record_id=record_id, profile=core.profile)
    core.backend.run(erasure.scrub, profile=core.profile)
    core.backend.compact()


def holds_surname(path: Path) -> bool:
    return SURNAME.lower().encode() in path.read_bytes().lower()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_page(database: Path) -> None:
    """Garbage over a whole page in the middle of the file (a table or index page: the
    file was just vacuumed, so no page is free)."""
    size = database.stat().st_size
    page = 4096
    assert size >= 8 * page
    with database.open("r+b") as file:
        file.seek((size // 2) // page * page)
        file.write(os.urandom(page))


def damage_header(database: Path) -> None:
    with database.open("r+b") as file:
        file.write(b"this is no SQLite file, sorry")


def fabricate(profile: Profile, moment: dt.datetime, reason: str = "daily") -> Path:
    """A file in the backups folder named as a backup made at ``moment``."""
    profile.backups.mkdir(parents=True, exist_ok=True)
    path = profile.backups / f"{moment.strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite3"
    path.write_bytes(b"x")
    return path




# --- making, listing, rotating -----------------------------------------------------------


def test_a_backup_is_verified_named_by_its_time_and_reason_and_listed(profile):
    """create_backup leaves one sound copy holding the data, named <time>-<reason>."""
    with open_profile(profile) as core:
        add_contact(core)
        before = dt.datetime.now()
        made = backups.create_backup(profile, reason="manual")
    assert made.reason == "manual" and made.path.parent == profile.backups
    assert made.id == made.path.stem and made.id.endswith("-manual")
    assert before - dt.timedelta(seconds=1) <= made.created_at <= dt.datetime.now()
    assert made.size == made.path.stat().st_size > 0
    assert health.database_problem(made.path, thorough=True) is None
    assert holds_surname(made.path)
    assert backups.list_backups(profile) == [made]
    assert [p.name for p in profile.backups.iterdir()] == [made.path.name]  # no leftovers
    with pytest.raises(BackupError, match="backup list"):
        backups.find_backup(profile, "20200101-000000-000000-manual")


def test_rotation_keeps_the_ten_newest_and_the_newest_of_each_of_twelve_months(profile):
    """Of fabricated backups over 15 months: the 10 newest, plus the newest of each of the
    last 12 calendar months, stay; leftovers of a crash go; kept damaged databases stay."""
    now = dt.datetime(2026, 11, 26, 12, 0)
    newest = [fabricate(profile, dt.datetime(2026, 11, day, 8, 30)) for day in range(1, 13)]
    monthly = {}
    for back in range(1, 15):  # October 2026 back to September 2025
        year, month = divmod(2026 * 12 + 10 - back, 12)
        fabricate(profile, dt.datetime(year, month + 1, 5, 9, 0), "before-import")
        monthly[(year, month + 1)] = fabricate(profile, dt.datetime(year, month + 1, 20, 9, 0))
    leftover = profile.backups / ".20261126-120000-000000-daily.sqlite3.1a2b3c4d.partial"
    leftover.write_bytes(b"half")
    damaged = profile.backups / "damaged-20261001-101010-000000.sqlite3"
    damaged.write_bytes(b"kept")

    removed = backups.rotate(profile, now=now)

    kept = {info.path for info in backups.list_backups(profile)}
    expected = set(newest[2:]) | {path for (year, month), path in monthly.items()
                                  if (year, month) >= (2025, 12)}
    assert kept == expected
    assert len(kept) == 10 + 11
    assert len(removed) == 12 + 28 - 21
    assert not leftover.exists() and damaged.exists()
    assert backups.rotate(profile, now=now) == []  # nothing more to thin out


def test_the_daily_backup_is_made_only_when_the_newest_is_a_day_old(profile):
    """backup_if_due makes a "daily" backup after a day without any backup, then not again."""
    fabricate(profile, dt.datetime.now() - dt.timedelta(days=2), "manual")
    made = backups.backup_if_due(profile)
    assert made is not None and made.reason == "daily"
    assert backups.backup_if_due(profile) is None
    assert backups.backup_if_due(profile, max_age=dt.timedelta(0)) is not None
    assert [b.reason for b in backups.list_backups(profile)] == ["daily", "daily", "manual"]


def break_a_check_constraint(database: Path) -> None:
    """A row that breaks a CHECK constraint: the file reads fine and ``VACUUM INTO`` copies
    it, but ``integrity_check`` on the copy fails."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("CREATE TABLE damage_probe (x INTEGER CHECK (x > 0))")
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute("INSERT INTO damage_probe VALUES (0)")
        connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize("damage", [damage_header, break_a_check_constraint],
                         ids=["unreadable", "copy-fails-its-check"])
def test_a_backup_of_a_damaged_database_is_not_kept_and_older_ones_stay(profile, damage):
    """Backing up a damaged database fails, whether the copy cannot be made or fails its
    check; no new file (nor a partial one) appears, and the earlier backups all stay."""
    with open_profile(profile) as core:
        add_contact(core)
    first = backups.create_backup(profile, reason="manual")
    second = backups.create_backup(profile, reason="daily")
    damage(profile.database)
    with pytest.raises((BackupError, DamagedDatabaseError)) as caught:
        backups.create_backup(profile, reason="manual")
    assert second.id in str(caught.value)  # the way out: the newest sound backup
    assert sorted(p.name for p in profile.backups.iterdir()) == sorted(
        [first.path.name, second.path.name])


def test_the_newest_good_backup_skips_a_damaged_one(profile):
    """A backup whose file was damaged afterwards is passed over for the one before it."""
    older = backups.create_backup(profile, reason="manual")
    newer = backups.create_backup(profile, reason="daily")
    assert backups.newest_good_backup(profile) == newer
    damage_header(newer.path)
    assert backups.newest_good_backup(profile) == older


# --- restoring ---------------------------------------------------------------------------


def test_restore_brings_back_the_data_and_keeps_the_database_it_replaces(profile):
    """After a restore the backup's data is back; the replaced database is a before-restore
    backup holding what was there."""
    with open_profile(profile) as core:
        add_contact(core, "Before")
    made = backups.create_backup(profile, reason="manual")
    with open_profile(profile) as core:
        add_contact(core, "After")
        core.backend.run(records.delete, entity="contact",
                         record_id=core.backend.read(records.list_page, entity="contact",
                                                     filter_text="Before", order_by=None,
                                                     limit=None).rows[0].id)

    report = backups.restore_backup(profile, made.id)

    assert report.backup == made and report.erasures_applied == 0
    assert report.previous is not None and report.previous.name.endswith(
        "-before-restore.sqlite3")
    kept = sqlite3.connect(report.previous)
    try:
        assert kept.execute("SELECT last_name FROM contact WHERE NOT deleted").fetchall() == [
            ("After",)]
    finally:
        kept.close()
    with open_profile(profile) as core:
        assert contact_names(core) == ["Zdzisława Before"]
    assert not list(profile.root.glob(".*.partial*"))


def test_changes_after_a_restore_never_reuse_the_numbers_of_changes_before_it(profile):
    """Changes made after the backup may be at the partners already: the restored profile
    continues as a new installation of the same office (counter from 1, its installation
    record and the old one's retirement in the change log), the old installation's changes
    stay as they are and count as received up to the restored counter, and the clock does
    not go back."""
    with open_profile(profile) as core:
        add_contact(core, "Before")
    made = backups.create_backup(profile, reason="manual")
    with open_profile(profile) as core:
        add_contact(core, "After")

    def query(sql: str, *args):
        connection = sqlite3.connect(profile.database)
        try:
            return connection.execute(sql, args).fetchall()
        finally:
            connection.close()
    [(seq_before, hlc_before, old)] = query(
        "SELECT last_seq, last_hlc, installation_id FROM local_state")
    [(seq_at_backup,)] = query("SELECT max(seq) FROM change_log WHERE installation_id = ? "
                               "AND record_id NOT IN (SELECT id FROM contact WHERE "
                               "last_name = 'After')", old)
    old_changes = query("SELECT * FROM change_log WHERE installation_id = ? AND seq <= ? "
                        "ORDER BY seq", old, seq_at_backup)

    report = backups.restore_backup(profile, made.id)
    with open_profile(profile) as core:
        add_contact(core, "Later")

    [(new, seq_after)] = query("SELECT installation_id, last_seq FROM local_state")
    assert report.installation == new and new != old
    assert query("SELECT * FROM change_log WHERE installation_id = ? ORDER BY seq",
                 old) == old_changes  # nothing of the old installation rewritten
    assert query("SELECT seq FROM seen_seq WHERE installation_id = ?", old) == [
        (seq_at_backup,)]
    mine = query("SELECT seq, hlc, entity, record_id, field, value FROM change_log "
                 "WHERE installation_id = ? ORDER BY seq", new)
    assert [row[0] for row in mine] == list(range(1, seq_after + 1))  # dense, from 1
    assert min(row[1] for row in mine) > hlc_before
    assert ("installation", new) in {(row[2], row[3]) for row in mine}
    assert ("installation", old, "deleted", "true") in {row[2:] for row in mine}
    assert query("SELECT deleted FROM installation WHERE id = ?", old) == [(1,)]
    assert seq_before > seq_at_backup  # the numbers the restore forgot are never reused


def test_a_backup_from_before_an_erasure_does_not_bring_the_person_back(profile):
    """Restoring a backup that still holds an erased person erases them again: the contact
    is gone and the name is nowhere in the profile's files (backups aside)."""
    with open_profile(profile) as core:
        person = add_contact(core)
        add_contact(core, "Stays")
    made = backups.create_backup(profile, reason="manual")
    assert holds_surname(made.path)
    with open_profile(profile) as core:
        erase(core, person)
        assert contact_names(core) == ["Zdzisława Stays"]
    assert [e.record for e in erasure.read_ledger(profile)] == [person]
    assert not holds_surname(profile.erasure_ledger)

    report = backups.restore_backup(profile, made.id)

    assert report.erasures_applied >= 1
    with open_profile(profile) as core:
        assert contact_names(core) == ["Zdzisława Stays"]
        assert core.backend.read(erasure.erasure_count) >= 1
    assert grep_profile(profile, [SURNAME.encode(), SURNAME.lower().encode()]) == []


def test_restoring_over_a_damaged_database_uses_the_ledger_and_keeps_the_damaged_file(
        profile):
    """With the current database unreadable, the ledger alone keeps the erased person
    out; the damaged file (and its log) is moved into the backups folder, not deleted."""
    with open_profile(profile) as core:
        person = add_contact(core)
    made = backups.create_backup(profile, reason="manual")
    with open_profile(profile) as core:
        erase(core, person)
    damage_header(profile.database)
    damaged_sha = sha256(profile.database)

    report = backups.restore_backup(profile, made.id)

    assert report.previous is not None and report.previous.name.startswith("damaged-")
    assert report.previous.parent == profile.backups
    assert sha256(report.previous) == damaged_sha
    assert made.id in {b.id for b in backups.list_backups(profile)}
    assert report.previous not in {b.path for b in backups.list_backups(profile)}
    with open_profile(profile) as core:
        assert contact_names(core) == []
    assert grep_profile(profile, [SURNAME.lower().encode(), SURNAME.encode()]) == []


def test_an_unknown_or_damaged_backup_is_not_restored(profile):
    """An unknown id names the list command; a damaged backup is refused; the database
    stays as it was either way."""
    made = backups.create_backup(profile, reason="manual")
    before = sha256(profile.database)
    with pytest.raises(BackupError, match="euregionet backup list"):
        backups.restore_backup(profile, "nonsense")
    damage_header(made.path)
    with pytest.raises(BackupError, match=made.id):
        backups.restore_backup(profile, made.id)
    assert sha256(profile.database) == before
    assert [p.name for p in profile.backups.iterdir()] == [made.path.name]


def test_a_backup_from_before_a_schema_update_is_restored_at_the_current_schema(profile):
    """A backup of an older schema is migrated while it is restored; the profile then
    opens at HEAD with the backup's data."""
    with open_profile(profile) as core:
        add_contact(core, "Older")
    downgrade(profile.database, "0005")
    old = backups.create_backup(profile, reason="manual")
    with open_profile(profile) as core:  # migrates, after a backup
        assert migrate.current_revision(core.backend.engine) == migrate.HEAD
        add_contact(core, "Newer")
    assert [b.reason for b in backups.list_backups(profile)] == ["before-migration", "manual"]
    assert not profile.migration_marker.exists()

    backups.restore_backup(profile, old.id)

    with open_profile(profile) as core:
        assert migrate.current_revision(core.backend.engine) == migrate.HEAD
        assert contact_names(core) == ["Zdzisława Older"]


# --- the erasure ledger ----------------------------------------------------------------


def test_erasures_made_before_the_ledger_existed_are_added_at_the_next_open(profile):
    """An erasure the ledger missed (made by a path that did not record it) is added when
    the profile opens; unreadable lines are kept and skipped."""
    with open_profile(profile) as core:
        person = add_contact(core)
        core.backend.run(erasure.erase, entity="contact", record_id=person)  # no ledger
    assert erasure.read_ledger(profile) == []
    profile.erasure_ledger.write_bytes(b'{"not": "an erasure"}\nnot json either')
    open_profile(profile).close()
    assert [e.record for e in erasure.read_ledger(profile)] == [person]
    lines = profile.erasure_ledger.read_bytes().splitlines()
    assert lines[:2] == [b'{"not": "an erasure"}', b"not json either"]
    assert orjson.loads(lines[2])["record_id"] == person
    assert set(orjson.loads(lines[2])) == {"record_id", "entity", "hlc", "installation_id",
                                           "reason"}


def test_an_import_backs_up_first_and_records_the_erasures_it_brings(tmp_path):
    """import_and_scrub makes a before-import backup, and an erasure arriving in the
    bundle goes into the recipient's ledger at once."""
    network = Network.create(tmp_path / "net", ("BIC", "LOP"))
    try:
        bic, lop = network.replicas
        person = bic.add("contact", first_name="Jan", last_name=SURNAME)
        lop.run(exchange.import_and_scrub, profile=lop.profile,
                data=network.send(bic, "LOP").read_bytes())
        bic.erase(person)
        assert erasure.read_ledger(lop.profile) == []
        outcome = lop.run(exchange.import_and_scrub, profile=lop.profile,
                          data=network.send(bic, "LOP").read_bytes())
        assert outcome.report.erased >= 1
        assert person in {e.record for e in erasure.read_ledger(lop.profile)}
        assert [b.reason for b in backups.list_backups(lop.profile)] == [
            "before-import", "before-import"]
        assert holds_surname(backups.list_backups(lop.profile)[0].path)
    finally:
        network.close()


# --- start-up: damage and interrupted updates -------------------------------------------


@pytest.mark.parametrize("damage", [damage_page, damage_header], ids=["page", "header"])
def test_a_damaged_database_is_refused_at_open_naming_the_newest_backup(profile, damage):
    """Garbage in a data page or in the header: the next open raises DamagedDatabaseError
    naming the newest sound backup, its date and the restore command; nothing is written."""
    with open_profile(profile) as core:
        add_contact(core)
        core.backend.compact()
    backups.create_backup(profile, reason="manual")
    newest = backups.create_backup(profile, reason="daily")
    damage(profile.database)
    before = sha256(profile.database)
    listing = sorted(p.name for p in profile.root.iterdir())

    with pytest.raises(DamagedDatabaseError) as caught:
        open_profile(profile)

    assert caught.value.backup == newest.id
    assert f"euregionet backup restore {newest.id}" in str(caught.value)
    assert sha256(profile.database) == before
    assert sorted(p.name for p in profile.root.iterdir()) == listing
    assert len(backups.list_backups(profile)) == 2
    with pytest.raises(DamagedDatabaseError):
        open_profile(profile)  # still refused (not "in use": the lock was let go)


def test_a_clean_close_spares_the_next_open_the_check_but_check_database_still_runs(profile):
    """After a clean close the open skips quick_check (same size and time, no log); a
    database damaged behind the app's back with its time put back passes the open's test
    but not check_database, which otherwise records when it ran."""
    assert health.database_unchanged(profile, health.read_database_state(profile))
    wal = profile.database.with_name(profile.database.name + "-wal")
    wal.write_bytes(b"")
    assert not health.database_unchanged(profile, health.read_database_state(profile))
    wal.unlink()  # (a crash leaves the log; a clean close removes it)
    assert last_check(profile) is None
    with open_profile(profile) as core:
        add_contact(core)
        core.backend.compact()
        check_database(profile)
    checked = last_check(profile)
    assert checked is not None and dt.datetime.now() - checked < dt.timedelta(minutes=1)
    state = health.read_database_state(profile)
    assert health.database_unchanged(profile, state)
    stat = profile.database.stat()
    damage_page(profile.database)
    os.utime(profile.database, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert health.database_unchanged(profile, state)
    with pytest.raises(DamagedDatabaseError):
        check_database(profile)


def test_an_interrupted_schema_update_is_refused_until_a_backup_is_restored(profile):
    """The migration marker left by a killed update: the open refuses (naming the backup
    from before the update and the restore command) without touching the database; the
    restore clears it and the profile opens at HEAD."""
    with open_profile(profile) as core:
        add_contact(core)
    downgrade(profile.database, "0005")
    made = backups.create_backup(profile, reason="before-migration")
    files.atomic_write(profile.migration_marker, orjson.dumps({"backup": made.id}))
    before = sha256(profile.database)

    with pytest.raises(InterruptedMigrationError) as caught:
        open_profile(profile)

    assert f"euregionet backup restore {made.id}" in str(caught.value)
    assert sha256(profile.database) == before
    backups.restore_backup(profile, made.id)
    assert not profile.migration_marker.exists()
    with open_profile(profile) as core:
        assert migrate.current_revision(core.backend.engine) == migrate.HEAD
        assert contact_names(core) == [f"Zdzisława {SURNAME}"]


# --- where the profile lives -------------------------------------------------------------


def test_a_profile_in_a_dropbox_folder_is_warned_about(tmp_path):
    """A folder of a synchronising service in the path gives a warning naming it; an
    ordinary folder none."""
    assert storage_warning(Profile(tmp_path / "Dropbox" / "EuRegioNet")) is not None
    assert "Dropbox" in storage_warning(Profile(tmp_path / "Dropbox" / "EuRegioNet"))
    assert cloud_folder(Path("/home/anna/OneDrive - BIC/EuRegioNet")) == "OneDrive - BIC"
    assert cloud_folder(Path("/Users/anna/Library/Mobile Documents/x")) == "Mobile Documents"
    assert cloud_folder(Path("/home/anna/Dropboxes/boxing/sync-notes")) is None
    assert storage_warning(Profile(tmp_path / "EuRegioNet")) is None


MOUNTINFO = r"""22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /home rw,relatime shared:20 - ext4 /dev/sda2 rw
61 40 0:52 / /home/anna/Biuro\040Gorzów rw,relatime shared:30 - nfs4 fs:/export rw,vers=4.2
62 40 0:53 / /home/anna/remote rw,nosuid shared:31 - fuse.sshfs anna@host: rw
63 61 0:54 / /home/anna/Biuro\040Gorzów/local rw shared:32 - tmpfs tmpfs rw
"""


def test_the_file_system_of_a_path_is_read_from_mountinfo():
    """The deepest mount above the path decides; escaped spaces are understood; NFS and
    SSHFS count as network drives, tmpfs and ext4 do not."""
    assert network_file_system(Path("/home/anna/Biuro Gorzów/p"), mountinfo=MOUNTINFO) == "nfs4"
    assert network_file_system(Path("/home/anna/remote/p"), mountinfo=MOUNTINFO) == "fuse.sshfs"
    assert network_file_system(Path("/home/anna/p"), mountinfo=MOUNTINFO) is None
    assert mount_fs_type("/home/anna/Biuro Gorzów/EuRegioNet", MOUNTINFO) == "nfs4"
    assert mount_fs_type("/home/anna/remote/profile", MOUNTINFO) == "fuse.sshfs"
    assert mount_fs_type("/home/anna/Biuro Gorzów/local/p", MOUNTINFO) == "tmpfs"
    assert mount_fs_type("/home/anna/Biuro", MOUNTINFO) == "ext4"
    assert mount_fs_type("/opt/x", MOUNTINFO) == "ext4"
