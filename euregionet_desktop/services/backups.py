"""Backups of the profile's database: made, verified, rotated, and restored without
bringing back anyone erased since (the erasure ledger says who)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from euregionet_desktop import files
from euregionet_desktop.errors import (
    BackupError,
    DamagedDatabaseError,
    FileAccessError,
    NextStep,
)
from euregionet_desktop.i18n import N_, _, format_datetime
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import erasure, health, rejoin, sqlite_errors
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.engine import BUSY_TIMEOUT_MS, make_engine
from euregionet_desktop.storage.models import LocalState
from euregionet_desktop.sync import clock
from euregionet_desktop.sync import erasure as sync_erasure
from euregionet_desktop.sync.wire import WireChange, WireErasure

log = logging.getLogger(__name__)

REASONS = ("manual", "daily", "before-import", "before-migration", "before-restore")
REASON_LABELS = {
    "manual": N_("made by hand"),
    "daily": N_("daily"),
    "before-import": N_("before a bundle import"),
    "before-migration": N_("before a database update"),
    "before-restore": N_("before a restore"),
}
KEEP_NEWEST = 10
KEEP_MONTHS = 12  # and the newest backup of each of the last twelve calendar months
SUFFIX = ".sqlite3"
DAMAGED_PREFIX = "damaged-"
_STAMP = "%Y%m%d-%H%M%S-%f"
_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})-(" + "|".join(map(re.escape, REASONS)) + r")"
                   + re.escape(SUFFIX) + "$")
# One backup or restore at a time in this process (the window may make the daily backup
# while an import makes its own); rotation removes temporary files it finds.
_ONE_AT_A_TIME = threading.RLock()


@dataclass(frozen=True)
class BackupInfo:
    id: str  # the file's stem: 20261126-051500-123456-manual
    path: Path
    created_at: dt.datetime  # local time, from the name
    reason: str  # one of REASONS
    size: int  # bytes


@dataclass(frozen=True)
class RestoreReport:
    backup: BackupInfo
    erasures_applied: int  # records erased again (or kept erased) in the restored database
    previous: Path | None  # where the replaced database is kept (None: there was none)
    # The new installation the restored profile continues as (None: not set up yet).
    installation: str | None = None


def damaged_database_error(profile: Profile) -> DamagedDatabaseError:
    """The error for a damaged database, naming the newest backup that is sound."""
    good = newest_good_backup(profile)
    if good is None:
        return DamagedDatabaseError(_(
            "The database in {path} is damaged and there is no sound backup of it. Copy the "
            "whole folder somewhere safe before trying anything else, and ask for help."
        ).format(path=profile.root))
    return DamagedDatabaseError(_(
        "The database in {path} is damaged. Restore the newest sound backup, made {date}, "
        "with “euregionet backup restore {id}”."
    ).format(path=profile.root, date=format_datetime(good.created_at), id=good.id),
        backup=good.id)


# --- making, listing and rotating backups -------------------------------------------------


def _info(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path.name[:-len(SUFFIX)], path,
                      dt.datetime.strptime(match[1], _STAMP), match[2], size)


def list_backups(profile: Profile) -> list[BackupInfo]:
    """The backups of the profile, newest first (kept damaged databases are not backups)."""
    if not profile.backups.is_dir():
        return []
    found = [info for info in map(_info, profile.backups.iterdir()) if info is not None]
    found.sort(key=lambda info: info.id, reverse=True)
    return found


def _new_name(profile: Profile, reason: str) -> Path:
    moment = dt.datetime.now()
    while True:
        target = profile.backups / f"{moment.strftime(_STAMP)}-{reason}{SUFFIX}"
        if not target.exists():
            return target
        moment += dt.timedelta(microseconds=1)


def create_backup(profile: Profile, *, reason: str = "manual") -> BackupInfo:
    """A verified copy of the database in the backups folder (then old ones rotated out).

    ``VACUUM INTO`` a temporary name, ``integrity_check`` on the copy, then the copy is
    renamed into place: a backup under its final name is always whole and sound.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if not profile.database.is_file():
        raise BackupError(_("There is no database in {path} to back up.").format(
            path=profile.root))
    with _ONE_AT_A_TIME:
        try:
            profile.backups.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise files.file_error(error, profile.backups) from None
        target = _new_name(profile, reason)
        temporary = files.temporary_name(target)
        try:
            _vacuum_into(profile, temporary)
            problem = health.database_problem(temporary, thorough=True)
            if problem is not None:
                log.error("backup copy failed integrity_check: %s", problem)
                if health.database_problem(profile.database) is not None:
                    raise damaged_database_error(profile)
                raise BackupError(_(
                    "The copy of the database failed SQLite's check, so it was not kept (is "
                    "the disk failing?). The database itself was not changed."))
            files.commit_file(temporary, target)
        finally:
            _remove(temporary, _companion(temporary, "-journal"))
        log.info("backup made: %s", target.name)
        rotate(profile)
        info = _info(target)
        assert info is not None
        return info


def _vacuum_into(profile: Profile, temporary: Path) -> None:
    try:
        connection = sqlite3.connect(profile.database.resolve().as_uri() + "?mode=rw",
                                     uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute("VACUUM INTO ?", (str(temporary),))
        finally:
            connection.close()
    except sqlite3.Error as error:
        if sqlite_errors.is_damage(error):
            raise damaged_database_error(profile) from None
        raise sqlite_errors.file_error(error, temporary.parent, temporary) or BackupError(
            _("No backup could be made: {reason}").format(reason=error)) from None


def _month(moment: dt.datetime) -> int:
    return moment.year * 12 + moment.month - 1


def rotate(profile: Profile, *, now: dt.datetime | None = None) -> list[BackupInfo]:
    """Keep the newest ten backups and the newest of each of the last twelve calendar
    months; delete the rest (and temporary files a crash left). Returns what went.

    Called only right after a new backup was verified, so a run of failed backups never
    thins out the good ones.
    """
    now = now or dt.datetime.now()
    found = list_backups(profile)
    keep = {info.id for info in found[:KEEP_NEWEST]}
    first_month = _month(now) - (KEEP_MONTHS - 1)
    months: set[int] = set()
    for info in found:  # newest first: the first seen of a month is its newest
        month = _month(info.created_at)
        if month >= first_month and month not in months:
            months.add(month)
            keep.add(info.id)
    removed = []
    for info in found:
        if info.id in keep:
            continue
        try:
            info.path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            log.warning("cannot remove old backup %s: %s", info.path, error)
            continue
        removed.append(info)
    with _ONE_AT_A_TIME:
        files.remove_leftovers(profile.backups)
    if removed:
        log.info("old backups removed: %s", ", ".join(info.id for info in removed))
    return removed


def backup_if_due(profile: Profile, *, max_age: dt.timedelta = dt.timedelta(days=1)
                  ) -> BackupInfo | None:
    """The daily backup: made when the newest backup (of any reason) is older than
    ``max_age``, or there is none."""
    found = list_backups(profile)
    if found and dt.datetime.now() - found[0].created_at < max_age:
        return None
    return create_backup(profile, reason="daily")


def newest_good_backup(profile: Profile) -> BackupInfo | None:
    """The newest backup that passes ``integrity_check``."""
    for info in list_backups(profile):
        try:
            problem = health.database_problem(info.path, thorough=True)
        except FileAccessError as error:
            problem = str(error)
        if problem is None:
            return info
        log.warning("backup %s is not sound: %s", info.id, problem)
    return None


def find_backup(profile: Profile, backup_id: str) -> BackupInfo:
    for info in list_backups(profile):
        if info.id == backup_id.strip():
            return info
    raise BackupError(_("There is no backup “{id}”.").format(id=backup_id),
                      next_step=NextStep.CHOOSE_BACKUP)


# --- restoring -------------------------------------------------------------------------


def restore_backup(profile: Profile, backup_id: str) -> RestoreReport:
    """Put a backup in the place of the database, without losing the current one and
    without bringing back anyone erased since the backup was made.

    The caller holds the profile lock and has no engine open on the database. The current
    database is kept: as a "before-restore" backup when it can be read, else moved (with
    its write-ahead log) to ``backups/damaged-<time>.sqlite3``. The backup's copy is
    brought to the current schema and every erasure it lacks (from the ledger and from the
    current database) is carried out on it before it replaces the database.
    """
    with _ONE_AT_A_TIME:
        chosen = find_backup(profile, backup_id)
        if health.database_problem(chosen.path, thorough=True) is not None:
            raise BackupError(_("The backup {id} failed SQLite's check and cannot be "
                                "restored; choose another one.").format(id=chosen.id),
                              next_step=NextStep.CHOOSE_BACKUP)
        _remove_staging_leftovers(profile)
        readable = profile.database.is_file() and health.database_problem(profile.database) is None
        carried = _Carried()
        if readable:
            # Into the ledger first, so that even a failed restore leaves it complete.
            erasure.record_erasures(profile, erasure.erasures_in(profile.database))
            carried = _carried_over(profile.database)
        tombstones = erasure.read_ledger(profile)
        staged = files.temporary_name(profile.database)
        try:
            _copy(chosen.path, staged)
            applied = _bring_up_to_date(staged, chosen, tombstones)
            installation = _continue_as_new_installation(staged, carried)
            previous = _keep_current(profile, readable=readable)
            _remove(*(_companion(profile.database, s) for s in ("-wal", "-shm", "-journal")))
            files.commit_file(staged, profile.database)
        finally:
            _remove(staged, *(_companion(staged, s) for s in ("-wal", "-shm", "-journal")))
        _remove(profile.migration_marker)
        files.fsync_folder(profile.root)
        health.record_database_state(profile, checked_at=dt.datetime.now())
        log.info("backup %s restored (%d erasures carried out again); previous: %s",
                 chosen.id, applied, previous)
        return RestoreReport(chosen, applied, previous, installation)


@dataclass(frozen=True)
class _Carried:
    """What the restored profile takes from the database it replaces."""

    last_hlc: int = 0  # the clock never goes back
    trusted: tuple[dict[str, Any], ...] = ()  # partner keys pinned there
    replaced: tuple[WireChange, ...] = ()  # the first changes of its installation
    # ... and of the installations that restores made before it (see ``rejoin``)
    earlier: tuple[WireChange, ...] = ()


def _carried_over(database: Path) -> _Carried:
    connection = sqlite3.connect(database.resolve().as_uri() + "?mode=rw", uri=True,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
    connection.row_factory = sqlite3.Row
    last_hlc, trusted, replaced, earlier = 0, [], [], []
    try:
        row = connection.execute("SELECT installation_id, last_hlc FROM local_state "
                                 "WHERE id = 1").fetchone()
        if row is not None:
            last_hlc = row["last_hlc"]
            # An installation made by a restore begins with its own record and its
            # predecessor's retirement (``rejoin``): only these, never its data.
            replaced = _first_installation_changes(connection, row["installation_id"])
            for (other,) in connection.execute(
                    "SELECT installation_id FROM change_log WHERE seq = 1 AND entity = "
                    "'installation' AND installation_id != ?", (row["installation_id"],)):
                earlier += _first_installation_changes(connection, other)
        trusted = [dict(r) for r in connection.execute(
            f"SELECT {', '.join(rejoin.TRUSTED_KEY_COLUMNS)} FROM trusted_key")]
    except sqlite3.OperationalError:
        pass  # a database from before the sync tables
    finally:
        connection.close()
    return _Carried(last_hlc, tuple(trusted), tuple(replaced), tuple(earlier))


def _first_installation_changes(connection: sqlite3.Connection,
                                installation: str) -> list[WireChange]:
    """The changes an installation made by a restore begins with (its own record and
    its predecessors' retirement)."""
    found: list[WireChange] = []
    for change in connection.execute(
            "SELECT * FROM change_log WHERE installation_id = ? ORDER BY seq LIMIT 20",
            (installation,)):
        if change["entity"] != "installation" or change["seq"] != len(found) + 1:
            break
        found.append(WireChange.from_row(change))
    return found


def _continue_as_new_installation(staged: Path, carried: _Carried) -> str | None:
    """The restored copy continues as a new installation of its office (see
    ``services.rejoin``): no change number is ever used twice or skipped."""
    engine = make_engine(staged)
    try:
        return Backend(engine).run(
            rejoin.continue_as_new_installation, last_hlc=carried.last_hlc,
            trusted=carried.trusted, replaced=carried.replaced, earlier=carried.earlier)
    finally:
        engine.dispose()


def _copy(source: Path, target: Path) -> None:
    try:
        shutil.copyfile(source, target)
    except OSError as error:
        raise files.file_error(error, target) from None


def _bring_up_to_date(staged: Path, chosen: BackupInfo,
                      tombstones: list[WireErasure]) -> int:
    """Migrate the staged copy to the current schema, carry out the erasures it lacks,
    clean the search index and rewrite the file; returns how many records were erased."""
    engine = make_engine(staged)
    try:
        revision = migrate.current_revision(engine)
        if revision is not None and revision > migrate.HEAD:
            raise BackupError(_("The backup {id} was made by a newer version of EuRegioNet; "
                                "update the app first. Nothing was changed.").format(
                id=chosen.id))
        if revision != migrate.HEAD:
            migrate.upgrade(engine)
        backend = Backend(engine)
        applied = backend.run(_carry_out, tombstones=tombstones)
        backend.run(erasure.scrub)
        backend.compact()  # VACUUM: the erased rows' pages keep nothing
    except SQLAlchemyError as error:
        if sqlite_errors.is_damage(error):
            raise BackupError(_("The backup {id} cannot be read after all; choose another "
                                "one.").format(id=chosen.id),
                              next_step=NextStep.CHOOSE_BACKUP) from None
        raise
    finally:
        engine.dispose()
    problem = health.database_problem(staged)
    if problem is not None:
        log.error("restored copy failed quick_check: %s", problem)
        raise BackupError(_("The restored copy failed SQLite's check; nothing was changed. "
                            "Is the disk failing?"))
    return applied


def _carry_out(session: Session, *, tombstones: list[WireErasure]) -> int:
    """The erasures the restored database lacks, applied as a bundle's would be."""
    erased = sync_erasure.erased_ids(session)
    done = 0
    heard = 0
    for tombstone in sorted(tombstones, key=lambda t: (t.hlc, t.record)):
        if tombstone.record in erased:
            continue
        ids = sync_erasure.erase(session, tombstone)
        erased.update(ids)
        done += len(ids)
        heard = max(heard, tombstone.hlc)
    state = session.get(LocalState, 1)
    if state is not None and heard:
        state.last_hlc = clock.receive(state.last_hlc, heard)
    return done


def _keep_current(profile: Profile, *, readable: bool) -> Path | None:
    if not profile.database.exists():
        return None
    if readable:
        try:
            return create_backup(profile, reason="before-restore").path
        except DamagedDatabaseError:
            log.warning("database looked readable but cannot be copied; moving it aside")
    return _move_damaged(profile)


def _move_damaged(profile: Profile) -> Path:
    """Move the damaged database (and its log) into the backups folder: never delete a
    person's file, someone may still rescue something from it."""
    target = profile.backups / f"{DAMAGED_PREFIX}{dt.datetime.now().strftime(_STAMP)}{SUFFIX}"
    try:
        profile.backups.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            source = _companion(profile.database, suffix)
            if source.exists():
                os.replace(source, _companion(target, suffix))
        files.fsync_folder(profile.backups)
        files.fsync_folder(profile.root)
    except OSError as error:
        raise files.file_error(error, target) from None
    log.warning("damaged database moved to %s", target)
    return target


def _remove_staging_leftovers(profile: Profile) -> None:
    """What an interrupted restore left in the profile folder."""
    stem = f".{profile.database.name}."
    for path in profile.root.glob(f"{stem}*{files.PARTIAL_SUFFIX}*"):
        _remove(path)


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot remove %s: %s", path, error)


# --- erasures carried into the backups -------------------------------------------------

# The first database version whose app carries erasures into the backups: a profile
# opened from an older one has its backups scrubbed once.
SCRUBBED_SINCE = "0007"


@dataclass(frozen=True)
class BackupScrubReport:
    rewritten: tuple[str, ...]  # backups rewritten without the erased people
    deleted: tuple[str, ...]  # backups that could not be rewritten, so were deleted
    messages: tuple[str, ...]  # one line per deleted backup, for the person


def scrub_backups(profile: Profile) -> BackupScrubReport:
    """Carry every erasure of the ledger into each backup that lacks one, so no backup
    keeps a byte of an erased person (DESIGN §10, privacy).

    Runs when the profile's mark says an erasure came since (``erasure.record_erasures``
    sets it); an interrupted run leaves the mark and the next start finishes it. Each
    backup is rewritten on a temporary copy (the erasures applied as on the live database,
    the search index merged, VACUUM, ``integrity_check``), fsynced and renamed over the
    original, so a crash leaves either backup whole. A backup that cannot be rewritten
    (damaged, from a newer version, the disk full) is deleted, and the person told.
    """
    mark = _read_mark(profile)
    if mark is None:
        return BackupScrubReport((), (), ())
    with _ONE_AT_A_TIME:
        tombstones = erasure.read_ledger(profile)
        # An interrupted rewrite's copy (and its SQLite log) may hold them.
        _remove(*profile.backups.glob(f".*{files.PARTIAL_SUFFIX}*"))
        rewritten: list[str] = []
        deleted: list[str] = []
        messages: list[str] = []
        for path in _databases_in_backups(profile):
            try:
                if _scrub_backup(path, tombstones):
                    rewritten.append(path.name)
            except (BackupError, FileAccessError, OSError, sqlite3.Error,
                    SQLAlchemyError) as error:
                log.warning("backup %s cannot be rewritten after an erasure: %s",
                            path.name, error)
                _remove(path, *(_companion(path, s) for s in ("-wal", "-shm", "-journal")))
                deleted.append(path.name)
                messages.append(_("The backup {name} could not be rewritten without the "
                                  "erased persons, so it was deleted.").format(
                    name=path.name[:-len(SUFFIX)]))
        files.fsync_folder(profile.backups)
        if _read_mark(profile) == mark:  # else an erasure came meanwhile: run again later
            profile.backups_to_scrub.unlink(missing_ok=True)
            files.fsync_folder(profile.root)
    if rewritten:
        log.info("backups rewritten after an erasure: %s", ", ".join(rewritten))
    return BackupScrubReport(tuple(rewritten), tuple(deleted), tuple(messages))


def _read_mark(profile: Profile) -> bytes | None:
    try:
        return profile.backups_to_scrub.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise files.file_error(error, profile.backups_to_scrub) from None


def _databases_in_backups(profile: Profile) -> list[Path]:
    """The backups and the damaged databases kept beside them (they hold people too)."""
    if not profile.backups.is_dir():
        return []
    damaged = sorted(p for p in profile.backups.glob(f"{DAMAGED_PREFIX}*{SUFFIX}")
                     if p.is_file())
    return [info.path for info in list_backups(profile)] + damaged


def _scrub_backup(path: Path, tombstones: list[WireErasure]) -> bool:
    """Carry the erasures ``path`` lacks into it; False when it lacked none (then it is
    left as it is: a damaged database kept for rescue stays, its erasures done)."""
    held = {t.record for t in erasure.erasures_in(path)}
    if all(t.record in held for t in tombstones):
        return False
    staged = files.temporary_name(path)
    try:
        _copy(path, staged)
        engine = make_engine(staged)
        try:
            revision = migrate.current_revision(engine)
            if revision is not None and revision > migrate.HEAD:
                raise BackupError(f"schema {revision} is newer than {migrate.HEAD}")
            if revision != migrate.HEAD:
                migrate.upgrade(engine)
            backend = Backend(engine)
            backend.run(_carry_out, tombstones=tombstones)
            backend.run(erasure.scrub)
            backend.compact()  # VACUUM: the erased rows' pages keep nothing
        finally:
            engine.dispose()
        _single_file(staged)
        problem = health.database_problem(staged, thorough=True)
        if problem is not None:
            raise BackupError(problem)
        files.commit_file(staged, path)
    finally:
        _remove(staged, *(_companion(staged, s) for s in ("-wal", "-shm", "-journal")))
    return True


def _single_file(database: Path) -> None:
    """Back to a rollback journal, as ``VACUUM INTO`` makes backups: one file, no log."""
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()
