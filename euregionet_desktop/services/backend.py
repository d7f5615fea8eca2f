"""Runs service functions: one session and one transaction per user action."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.i18n import _

T = TypeVar("T")
log = logging.getLogger(__name__)

# SQLite result codes; Python reports the extended code, whose low byte is the primary one.
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 8, 10, 13, 14
SQLITE_READONLY_DBMOVED = 1032  # the database file was deleted or moved (a drive removed)
# The same, for errors that come without a code.
_MESSAGES = {
    "database or disk is full": SQLITE_FULL,
    "disk i/o error": SQLITE_IOERR,
    "attempt to write a readonly database": SQLITE_READONLY,
    "unable to open database file": SQLITE_CANTOPEN,
}
_WRITTEN = "euregionet.written_files"


def remove_if_not_committed(session: Session, path: Path) -> None:
    """Remove ``path`` (a new file the action wrote, such as an attachment) again if the
    action's transaction does not commit, so no file is left that no record names."""
    session.info.setdefault(_WRITTEN, []).append(path)


def storage_problem(error: BaseException) -> sqlite3.OperationalError | None:
    """The SQLite error under ``error`` if the disk is full, read-only or unreachable."""
    orig = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(orig, sqlite3.OperationalError):
        return None
    if _primary_code(orig) in (SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN):
        return orig
    return None


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    return _MESSAGES.get(str(error).strip().lower())


class Backend:
    """Owns the sessions; the UI's op runner and the CLI call everything through it.

    An action that fails because the disk is full, read-only or gone raises
    ``FileAccessError`` with a message a person can act on, after its transaction was
    ended without hiding that error (DESIGN §9: SQLite may have rolled back already).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write = sessionmaker(engine, expire_on_commit=False)
        self._read = sessionmaker(engine.execution_options(readonly=True),
                                  expire_on_commit=False)
        database = engine.url.database
        self.database = Path(database) if database and database != ":memory:" else None

    def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a write action in one transaction: all of it is stored, or none."""
        return self._call(self._write, fn, kwargs, keep=True)

    def read(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a query in a read transaction (a consistent snapshot, no write lock)."""
        return self._call(self._read, fn, kwargs, keep=True)

    def preview(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a write action and roll it back: what it would do, with nothing changed."""
        return self._call(self._write, fn, kwargs, keep=False)

    def _call(self, sessions: sessionmaker[Session], fn: Callable[..., T],
              kwargs: dict[str, Any], *, keep: bool) -> T:
        session = sessions()
        connection = None
        try:
            # BEGIN now (IMMEDIATE for writes: the engine's begin hook), so a failure can
            # ask this connection whether SQLite still has the transaction open.
            connection = session.connection()
            result = fn(session, **kwargs)
            if keep:
                session.commit()
            else:
                self._end_transaction(session, connection, discard=False)
                self._remove_written(session)
            return result
        except BaseException as error:
            failure = self._failed(session, connection, error)
            if failure is error:
                raise
            raise failure from error
        finally:
            session.close()

    def compact(self) -> None:
        """Rewrite the database file and empty the WAL, so freed pages keep nothing
        (after an erasure). Runs outside any transaction."""
        connection = self.engine.raw_connection()
        try:
            driver = connection.driver_connection
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            failure = self.storage_error(problem)
            connection.invalidate()
            raise failure from error
        finally:
            connection.close()

    def session(self) -> Session:
        return self._write()

    def dispose(self) -> None:
        self.engine.dispose()

    # --- failures ------------------------------------------------------------------------

    def _failed(self, session: Session, connection: Connection | None,
                error: BaseException) -> BaseException:
        """End the failed action's transaction; returns the exception to raise."""
        problem = storage_problem(error)
        # The cause is looked for before the connection goes: closing the last one
        # checkpoints and removes the WAL file whose size may tell.
        failure = self.storage_error(problem) if problem is not None else error
        if problem is not None:
            log.warning("database: %s (%s)", problem,
                        getattr(problem, "sqlite_errorname", "?"))
        self._end_transaction(session, connection, discard=problem is not None)
        self._remove_written(session)
        return failure

    @staticmethod
    def _end_transaction(session: Session, connection: Connection | None, *,
                         discard: bool) -> None:
        """Roll back what is still open, never hiding the error being raised.

        After a full disk or an I/O error SQLite may have rolled the transaction back
        itself: ROLLBACK is sent only while the connection is still in a transaction. A
        connection that saw such an error, or whose rollback failed, is discarded rather
        than handed to the next action (closing it without a commit loses nothing that
        should have been kept).
        """
        try:
            driver = connection.connection.driver_connection if connection is not None else None
            in_transaction = driver is not None and driver.in_transaction
            if not discard and (in_transaction or driver is None):
                session.rollback()  # the usual case: the connection goes back to the pool
                return
            if in_transaction:
                driver.rollback()
        except Exception:
            log.warning("ending a failed transaction failed as well", exc_info=True)
        try:
            session.invalidate()  # closes the connection; the pool opens a fresh one
        except Exception:
            log.warning("discarding a failed connection failed", exc_info=True)

    @staticmethod
    def _remove_written(session: Session) -> None:
        for path in session.info.pop(_WRITTEN, ()):
            files.remove_quietly(path)

    def _no_room(self) -> bool:
        """Whether an I/O error of the database was a full disk or a file-size limit
        (EFBIG, which SQLite reports as an I/O error)."""
        if self.database is None:
            return False
        return files.no_room(*(self.database.with_name(self.database.name + suffix)
                               for suffix in ("", "-wal", "-journal")))

    def storage_error(self, error: sqlite3.Error) -> FileAccessError:
        """What a person is told when the database cannot be written or read."""
        code = getattr(error, "sqlite_errorcode", None)
        primary = _primary_code(error)
        folder = self.database.parent if self.database is not None else "?"
        if primary == SQLITE_FULL or (primary in (SQLITE_IOERR, SQLITE_CANTOPEN)
                                      and self._no_room()):
            message = _("The disk holding the profile {path} is full. Nothing was changed; "
                        "free some space and try again.")
        elif primary == SQLITE_READONLY and code != SQLITE_READONLY_DBMOVED:
            message = _("The profile {path} cannot be written: its drive or database file is "
                        "read-only. Nothing was changed; make it writable or move the "
                        "profile to a drive you can write to.")
        else:
            message = _("The drive holding the profile {path} cannot be read or written (was "
                        "it removed?). Nothing was changed; reconnect it and try again.")
        return FileAccessError(message.format(path=folder))
