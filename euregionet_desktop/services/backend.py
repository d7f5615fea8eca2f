"""Runs service functions: one session and one transaction per user action."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.services import sqlite_errors

T = TypeVar("T")
log = logging.getLogger(__name__)

_WRITTEN = "euregionet.written_files"


def remove_if_not_committed(session: Session, path: Path) -> None:
    """Remove ``path`` (a new file the action wrote, such as an attachment) again if the
    action's transaction does not commit, so no file is left that no record names."""
    session.info.setdefault(_WRITTEN, []).append(path)


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
            failure = self._storage_failure(error)
            if failure is None:
                raise
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
        # The cause is looked for before the connection goes: closing the last one
        # checkpoints and removes the WAL file whose size may tell.
        failure = self._storage_failure(error)
        self._end_transaction(session, connection, discard=failure is not None)
        self._remove_written(session)
        return failure or error

    def _storage_failure(self, error: BaseException) -> FileAccessError | None:
        """What a person is told when the database cannot be written or read (the disk
        full, read-only or gone); None when ``error`` is about something else."""
        failure = sqlite_errors.profile_error(error, self.database)
        if failure is not None:
            original = sqlite_errors.sqlite_error(error)
            log.warning("database: %s (%s)", original,
                        getattr(original, "sqlite_errorname", "?"))
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
