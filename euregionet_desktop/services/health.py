"""The database file's health: what SQLite's check finds wrong with it, and the state the
last clean close left it in (an open checks only a file that changed since)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import orjson

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import sqlite_errors
from euregionet_desktop.storage.engine import BUSY_TIMEOUT_MS

# --- SQLite's verdict ------------------------------------------------------------------


def database_problem(path: Path, *, thorough: bool = False) -> str | None:
    """What SQLite's ``quick_check`` (``integrity_check`` when ``thorough``) finds wrong
    with a database file, or None when it is sound. Errors other than damage raise
    FileAccessError.

    Opened for writing, though nothing is written: on a read-only connection SQLite skips
    the NOT NULL and CHECK constraints; ``mode=rw`` never creates a missing file.
    """
    uri = path.resolve().as_uri() + "?mode=rw"
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            found = [row[0] for row in connection.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            connection.close()
    except sqlite3.Error as error:
        if sqlite_errors.is_damage(error):
            return str(error)
        raise sqlite_errors.file_error(error, path) or FileAccessError(
            _("The database {path} cannot be read: {reason}").format(path=path, reason=error)
        ) from None
    return None if found == ["ok"] else "; ".join(map(str, found[:5]))


# --- when the database was last checked --------------------------------------------------


@dataclass(frozen=True)
class DatabaseState:
    """The database file as the last clean close left it, and when it was last checked."""

    size: int | None
    mtime_ns: int | None
    checked_at: dt.datetime | None


def read_database_state(profile: Profile) -> DatabaseState | None:
    try:
        data = orjson.loads(profile.clean_close.read_bytes())
        checked = data.get("checked_at")
        return DatabaseState(data.get("size"), data.get("mtime_ns"),
                             dt.datetime.fromisoformat(checked) if checked else None)
    except (OSError, ValueError, TypeError, AttributeError):
        return None  # missing or unreadable: the database is checked at the next open


def record_database_state(profile: Profile, *, checked_at: dt.datetime | None) -> None:
    """Remember the database file as it is now (after a clean close or a check)."""
    stat = profile.database.stat()
    files.atomic_write(profile.clean_close, orjson.dumps({
        "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
        "checked_at": checked_at.isoformat(timespec="seconds") if checked_at else None,
    }, option=orjson.OPT_SORT_KEYS))


def database_unchanged(profile: Profile, state: DatabaseState | None) -> bool:
    """Whether the database is as the last clean close left it: same size and time, and no
    write-ahead log (a clean close removes it; a crash leaves it)."""
    if state is None or profile.database.with_name(profile.database.name + "-wal").exists():
        return False
    try:
        stat = profile.database.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (state.size, state.mtime_ns)
