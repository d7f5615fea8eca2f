"""Opening a profile (lock, backup, migrations, reference data) and setting it up."""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import orjson
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from euregionet_desktop import files
from euregionet_desktop.domain import programme
from euregionet_desktop.errors import (
    BackupError,
    FileAccessError,
    InterruptedMigrationError,
    ProfileError,
    ValidationError,
)
from euregionet_desktop.i18n import _, format_datetime
from euregionet_desktop.logs import setup_logging
from euregionet_desktop.paths import Profile, ProfileLock
from euregionet_desktop.services import backups, erasure, health, sqlite_errors
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.dto import Changes, ProfileInfo
from euregionet_desktop.services.records import insert_record
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.engine import make_engine
from euregionet_desktop.storage.models import (
    Advisor,
    Indicator,
    Installation,
    LocalState,
    Office,
    Programme,
)
from euregionet_desktop.storage.rows import row_plan
from euregionet_desktop.sync.changelog import ChangeWriter

log = logging.getLogger(__name__)


@dataclass
class Core:
    """An open profile: its paths, the backend running service functions, and its lock."""

    profile: Profile
    backend: Backend
    lock: ProfileLock
    # What the opening did that a person must hear of (a backup deleted because it could
    # not be rewritten without an erased person), shown once by the window or the CLI.
    notices: tuple[str, ...] = ()

    def close(self) -> None:
        try:
            self.backend.dispose()  # the last connection checkpoints and removes the WAL
            _record_clean_close(self.profile)
        finally:
            self.lock.release()

    def __enter__(self) -> Core:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def lock_profile(profile: Profile, *, purpose: str) -> ProfileLock:
    """Take the profile's lock without opening its database (restoring a backup must work
    on a damaged database, or after an interrupted update)."""
    profile.create_dirs()
    setup_logging(profile.logs)
    lock = ProfileLock(profile)
    lock.acquire(purpose)
    # Temporary files of a process that died mid-write (never under a final name); only
    # this process can be writing here now.
    for folder in (profile.root, profile.attachments, profile.keys):
        files.remove_leftovers(folder)
    return lock


def open_profile(profile: Profile, *, purpose: str = "cli") -> Core:
    """Lock the profile, check its database, migrate it (after a backup), and seed
    reference data.

    Raises InterruptedMigrationError when an earlier schema update did not finish, and
    DamagedDatabaseError when SQLite finds the database damaged; neither writes anything.
    """
    lock = lock_profile(profile, purpose=purpose)
    try:
        _refuse_after_interrupted_migration(profile)
        existed = profile.database.exists()
        if existed:
            _check_on_open(profile)
        engine = make_engine(profile.database)
        try:
            backend, notices = _prepare(profile, engine, existed=existed)
        except BaseException as error:
            engine.dispose()
            if isinstance(error, SQLAlchemyError | sqlite3.DatabaseError) and \
                    sqlite_errors.is_damage(error):
                raise backups.damaged_database_error(profile) from None
            raise
    except BaseException:
        lock.release()
        raise
    return Core(profile, backend, lock, notices)


def _prepare(profile: Profile, engine: Engine, *, existed: bool
             ) -> tuple[Backend, tuple[str, ...]]:
    revision = migrate.current_revision(engine)
    if revision != migrate.HEAD:
        if existed and not migrate.is_empty(engine):
            _migrate_after_backup(profile, engine, revision)
        else:
            migrate.upgrade(engine)
    backend = Backend(engine)
    backend.run(ensure_reference_data)
    notices: tuple[str, ...] = ()
    try:
        backend.read(erasure.sync_ledger, profile=profile)
        if (existed and revision is not None and revision < backups.SCRUBBED_SINCE
                and erasure.read_ledger(profile)):
            # Versions before kept erased people in the backups: scrub them once.
            erasure.mark_backups_to_scrub(profile)
        # Finishes an erasure's rewrite of the backups that was interrupted.
        notices = backups.scrub_backups(profile).messages
    except (FileAccessError, BackupError) as error:
        # Not a reason to refuse the profile: the next open tries again.
        log.warning("erasure ledger not brought up to date: %s", error)
    return backend, notices


def _migrate_after_backup(profile: Profile, engine: Engine, revision: str | None) -> None:
    info = backups.create_backup(profile, reason="before-migration")
    log.info("backup before migration from %s: %s", revision, info.id)
    # While the marker exists the update may be half done: a process killed now leaves it,
    # and the next start refuses the profile until a backup is restored.
    files.atomic_write(profile.migration_marker, orjson.dumps({
        "backup": info.id, "from": revision, "to": migrate.HEAD,
        "started_at": dt.datetime.now().isoformat(timespec="seconds")}))
    try:
        migrate.upgrade(engine)
    except Exception:
        # The update runs in one transaction, rolled back by now: the database is as it was.
        _remove_migration_marker(profile)
        raise
    _remove_migration_marker(profile)


def _remove_migration_marker(profile: Profile) -> None:
    profile.migration_marker.unlink(missing_ok=True)
    files.fsync_folder(profile.root)


def _refuse_after_interrupted_migration(profile: Profile) -> None:
    if not profile.migration_marker.exists():
        return
    try:
        named = orjson.loads(profile.migration_marker.read_bytes()).get("backup")
    except (OSError, ValueError, AttributeError):
        named = None
    candidates = [b for b in backups.list_backups(profile) if b.reason == "before-migration"]
    chosen = next((b for b in candidates if b.id == named), None) or (
        candidates[0] if candidates else None)
    if chosen is None:
        message = _("The update of the database in {path} to this version of EuRegioNet was "
                    "interrupted, so the profile is not opened, and no backup from before the "
                    "update was found. See the other backups with “euregionet backup list”.")
    else:
        message = _("The update of the database in {path} to this version of EuRegioNet was "
                    "interrupted, so the profile is not opened. Restore the backup made just "
                    "before it, on {date}, with “euregionet backup restore {id}”.")
    raise InterruptedMigrationError(message.format(
        path=profile.root, date=format_datetime(chosen.created_at) if chosen else "",
        id=chosen.id if chosen else ""))


# --- checking the database ---------------------------------------------------------------
# PRAGMA quick_check reads the whole file (5 s on a 676 MB profile), so an open checks only
# when the file is not as the last clean close left it; the window and the CLI run
# check_database now and then besides.


def _check_on_open(profile: Profile) -> None:
    if not health.database_unchanged(profile, health.read_database_state(profile)):
        log.info("database not as last closed: checking it")
        check_database(profile)


def check_database(profile: Profile) -> None:
    """Run SQLite's ``quick_check`` on the database; DamagedDatabaseError (naming the
    newest sound backup) when it finds anything wrong. Safe while the profile is open."""
    problem = health.database_problem(profile.database)
    if problem is not None:
        log.error("database check failed: %s", problem)
        raise backups.damaged_database_error(profile)
    try:
        health.record_database_state(profile, checked_at=dt.datetime.now())
    except (FileAccessError, OSError) as error:
        log.warning("database check not recorded: %s", error)


def last_check(profile: Profile) -> dt.datetime | None:
    """When the database last passed ``check_database`` (None: not known)."""
    state = health.read_database_state(profile)
    return state.checked_at if state is not None else None


def _record_clean_close(profile: Profile) -> None:
    if profile.database.with_name(profile.database.name + "-wal").exists():
        log.info("database log still open at close; it will be checked at the next open")
        return
    state = health.read_database_state(profile)
    try:
        health.record_database_state(profile,
                                     checked_at=state.checked_at if state else None)
    except (FileAccessError, OSError) as error:
        log.warning("clean close not recorded: %s", error)


# --- where the profile lives ---------------------------------------------------------------

# File systems on which SQLite's locking is not to be trusted (SQLite's FAQ).
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "afs", "coda", "ceph",
    "glusterfs", "lustre", "davfs", "sshfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs", "fuse.davfs2",
})
# Folders of file-synchronising services (and macOS's home for all of them).
_CLOUD_FOLDER = re.compile(
    r"(dropbox( \(.*\))?|onedrive([ -].*)?|google ?drive([ -].*)?|my drive|icloud ?drive"
    r"|mobile documents|cloudstorage|nextcloud\d*|owncloud\d*|pcloud( drive)?|box( sync)?"
    r"|mega(sync)?|seafile|syncthing|sync|resilio sync)", re.IGNORECASE)


def storage_warning(profile: Profile) -> str | None:
    """A warning when the profile is on a network drive or in a cloud-synchronised
    folder, where SQLite's locking is unsafe; None when it is on a local disk."""
    try:
        root = profile.root.resolve()
    except OSError:
        root = profile.root.absolute()
    drive = network_file_system(root)
    if drive is not None:
        return _("The profile {path} is on a network drive ({kind}). SQLite cannot lock its "
                 "database reliably there, so data can be lost or damaged; move the profile "
                 "to a local disk.").format(path=profile.root, kind=drive)
    folder = cloud_folder(root)
    if folder is not None:
        return _("The profile {path} is in a folder that a cloud service synchronises "
                 "({folder}). Syncing an open database can damage it or bring back old "
                 "data; move the profile out of that folder.").format(
            path=profile.root, folder=folder)
    return None


def cloud_folder(path: Path) -> str | None:
    """The name of the cloud-synchronised folder ``path`` lies in, if any."""
    return next((part for part in path.parts if _CLOUD_FOLDER.fullmatch(part)), None)


def network_file_system(path: Path, *, mountinfo: str | None = None) -> str | None:
    """The kind of network drive ``path`` is on (None: local, or not known here).
    ``mountinfo``: the text of Linux's /proc/self/mountinfo (read when not given)."""
    if mountinfo is None:
        if sys.platform == "win32":
            return _windows_network_drive(path)
        if not sys.platform.startswith("linux"):
            return None  # macOS: statvfs does not name the file system; folder names count
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8",
                                                                errors="replace")
        except OSError:
            return None
    kind = mount_fs_type(path, mountinfo)
    return kind if kind in NETWORK_FILE_SYSTEMS else None


def mount_fs_type(path: Path | str, mountinfo: str) -> str | None:
    """The file system type of the mount holding ``path``, from the text of
    ``/proc/self/mountinfo`` (the deepest mount point above it; the later of two at the
    same place, which hides the earlier)."""
    target = PurePosixPath(path)
    best, found = -1, None
    for line in mountinfo.splitlines():
        fields, separator, rest = line.partition(" - ")
        columns, after = fields.split(), rest.split()
        if not separator or len(columns) < 5 or not after:
            continue
        mount_point = PurePosixPath(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)),
                                           columns[4]))
        if (mount_point == target or mount_point in target.parents) and \
                len(mount_point.parts) >= best:
            best, found = len(mount_point.parts), after[0]
    return found


def _windows_network_drive(path: Path) -> str | None:
    text = str(path)
    if text.startswith("\\\\") and not text.startswith("\\\\?\\"):
        return path.drive or text  # \\server\share
    if text.upper().startswith("\\\\?\\UNC\\"):
        return text
    if not path.drive:
        return None
    import ctypes

    drive_remote = 4
    if ctypes.windll.kernel32.GetDriveTypeW(path.drive + "\\") == drive_remote:
        return path.drive
    return None


def ensure_reference_data(session: Session) -> None:
    """Seed the partner offices, programme indicators and the programme's identity (same ids
    and values everywhere, unlogged: a seeded value has no write in the change log, so any
    person's edit, here or at a partner, replaces it and never conflicts with it)."""
    seeded = "2017-04-01T00:00:00+00:00"
    if session.execute(select(Office.id).limit(1)).first() is None:
        session.execute(insert(Office.__table__), [
            row_plan("office").new_row(o.id, {
                "code": o.code, "name": o.name, "city": o.city, "country": o.country,
                "lead_partner": o.lead_partner}, created_at=seeded)
            for o in programme.OFFICES
        ])
    if session.execute(select(Indicator.id).limit(1)).first() is None:
        session.execute(insert(Indicator.__table__), [
            row_plan("indicator").new_row(i.id, {
                "code": i.code, "name_pl": i.name_pl, "name_de": i.name_de,
                "name_en": i.name_en, "target": i.target, "period_start": programme.PERIOD_START,
                "period_end": programme.PERIOD_END, "position": n}, created_at=seeded)
            for n, i in enumerate(programme.INDICATORS, start=1)
        ])
    # A profile made before the programme's settings gets them when it is next opened.
    if session.execute(select(Programme.id).limit(1)).first() is None:
        session.execute(insert(Programme.__table__), [row_plan("programme").new_row(
            programme.PROGRAMME_ID, programme.seeded_programme(), created_at=seeded)])


def office_id_for(session: Session, code: str) -> str:
    found = session.execute(select(Office.id).where(Office.code == code.strip().upper())).scalar()
    if found is None:
        known = ", ".join(session.execute(select(Office.code).order_by(Office.code)).scalars())
        raise ValidationError(
            _("Unknown partner office “{code}”. Known offices: {known}.").format(
                code=code, known=known), field="office")
    return found


def is_initialised(session: Session) -> bool:
    return session.get(LocalState, 1) is not None


def initialise(session: Session, *, office: str, label: str | None = None,
               advisor_name: str | None = None) -> Changes:
    """Make this profile an installation of a partner office, with its first advisor."""
    if is_initialised(session):
        raise ProfileError(_("This profile is already set up for an office."))
    office_id = office_id_for(session, office)
    installation_id = str(uuid.uuid4())
    session.add(LocalState(id=1, installation_id=installation_id, last_seq=0, last_hlc=0))
    session.flush()
    writer = ChangeWriter.for_session(session)
    insert_record(session, writer, "installation", {"office_id": office_id, "label": label},
                  record_id=installation_id)
    advisor_id = insert_record(session, writer, "advisor", {
        "name": (advisor_name or label or _("Advisor")).strip(), "office_id": office_id})
    session.get(LocalState, 1).advisor_id = advisor_id
    return Changes(frozenset({"installation", "advisor"}), installation_id)


def profile_info(session: Session) -> ProfileInfo:
    state = session.get(LocalState, 1)
    if state is None:
        raise ProfileError(
            _("This profile has not been set up yet. Run “euregionet init --office CODE” "
              "or start the app to choose your office."))
    installation = session.get(Installation, state.installation_id)
    office = session.get(Office, installation.office_id)
    advisor = session.get(Advisor, state.advisor_id) if state.advisor_id else None
    return ProfileInfo(state.installation_id, office.code, office.name,
                       advisor.id if advisor else None, advisor.name if advisor else None,
                       installation.label)

