"""What a SQLite error says (disk full, read-only, drive gone, cannot open, damaged, or
something else), and the one place that words the disk problems for a person."""

from __future__ import annotations

import enum
import errno
import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import StatementError

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.i18n import _

# SQLite's primary result codes; Python reports the extended code, whose low byte is the
# primary one.
SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL = 8, 10, 11, 13
SQLITE_CANTOPEN, SQLITE_NOTADB = 14, 26
SQLITE_READONLY_DBMOVED = 1032  # the database file was deleted or moved (a drive removed)
# The same, for errors that come without a code.
_PRIMARY_BY_MESSAGE = {
    "database or disk is full": SQLITE_FULL,
    "disk i/o error": SQLITE_IOERR,
    "attempt to write a readonly database": SQLITE_READONLY,
    "unable to open database file": SQLITE_CANTOPEN,
    "database disk image is malformed": SQLITE_CORRUPT,
    "file is not a database": SQLITE_NOTADB,
}


class Problem(enum.Enum):
    """What a SQLite error says about the file SQLite was working on."""

    FULL = "disk full"  # or a file at its size limit, which SQLite reports as I/O
    READ_ONLY = "read-only"
    IO = "I/O"  # the drive cannot be read or written (removed?)
    CANT_OPEN = "cannot open"
    DAMAGED = "damaged"  # a damaged database, or not a database at all
    OTHER = "other"  # not about the disk or the file: a lock, a mistake in the SQL


DISK_PROBLEMS = frozenset({Problem.FULL, Problem.READ_ONLY, Problem.IO, Problem.CANT_OPEN})
# A disk problem as the operating system would have reported it (files.file_error's words).
_ERRNO = {Problem.FULL: errno.ENOSPC, Problem.READ_ONLY: errno.EACCES,
          Problem.IO: errno.EIO, Problem.CANT_OPEN: errno.EIO}


def sqlite_error(error: BaseException) -> sqlite3.Error | None:
    """The SQLite error ``error`` is, or the one SQLAlchemy wrapped in it."""
    original = error.orig if isinstance(error, StatementError) else error
    return original if isinstance(original, sqlite3.Error) else None


def classify(error: BaseException, *written: Path) -> Problem:
    """What ``error`` says. ``written``: the files SQLite was writing (or their folders);
    an I/O error or a file that cannot be opened counts as a full disk when they have no
    room left, since SQLite reports a file-size limit (EFBIG) as a mere I/O error."""
    original = sqlite_error(error)
    if original is None:
        return Problem.OTHER
    code = getattr(original, "sqlite_errorcode", None)
    primary = (code & 0xFF if code is not None
               else _PRIMARY_BY_MESSAGE.get(str(original).strip().lower()))
    if primary == SQLITE_FULL:
        return Problem.FULL
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return Problem.DAMAGED
    if code == SQLITE_READONLY_DBMOVED:
        return Problem.IO  # the file went from under SQLite: its drive is gone
    if primary == SQLITE_READONLY:
        return Problem.READ_ONLY
    if primary in (SQLITE_IOERR, SQLITE_CANTOPEN):
        if files.no_room(*written):
            return Problem.FULL
        return Problem.IO if primary == SQLITE_IOERR else Problem.CANT_OPEN
    return Problem.OTHER


def is_damage(error: BaseException) -> bool:
    """Whether a (possibly SQLAlchemy-wrapped) SQLite error says the file is damaged or is
    not a database at all — not a lock, a full disk or a missing permission."""
    return classify(error) is Problem.DAMAGED


def profile_error(error: BaseException, database: Path | None) -> FileAccessError | None:
    """What a person is told when an action on the profile's ``database`` failed because
    the disk is full, read-only or gone (the action changed nothing); None for any other
    error."""
    written = [] if database is None else [
        database.with_name(database.name + suffix) for suffix in ("", "-wal", "-journal")]
    problem = classify(error, *written)
    if problem not in DISK_PROBLEMS:
        return None
    if problem is Problem.FULL:
        message = _("The disk holding the profile {path} is full. Nothing was changed; "
                    "free some space and try again.")
    elif problem is Problem.READ_ONLY:
        message = _("The profile {path} cannot be written: its drive or database file is "
                    "read-only. Nothing was changed; make it writable or move the "
                    "profile to a drive you can write to.")
    else:
        message = _("The drive holding the profile {path} cannot be read or written (was "
                    "it removed?). Nothing was changed; reconnect it and try again.")
    return FileAccessError(message.format(path=database.parent if database is not None
                                          else "?"))


def file_error(error: BaseException, path: Path, *written: Path) -> FileAccessError | None:
    """What a person is told when SQLite failed on ``path`` (a database it checked or
    copied, ``written``: the files it was writing) because the disk is full, read-only or
    gone, in the words used for every other file; None for any other error."""
    problem = classify(error, path, *written)
    if problem not in DISK_PROBLEMS:
        return None
    number = _ERRNO[problem]
    return files.file_error(OSError(number, os.strerror(number)), path)
