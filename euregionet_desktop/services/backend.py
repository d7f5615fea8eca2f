"""Runs service functions: one session and one transaction per user action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class Backend:
    """Owns the sessions; the UI's op runner and the CLI call everything through it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write = sessionmaker(engine, expire_on_commit=False)
        self._read = sessionmaker(engine.execution_options(readonly=True),
                                  expire_on_commit=False)

    def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a write action in one transaction: all of it is stored, or none."""
        with self._write.begin() as session:
            return fn(session, **kwargs)

    def read(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a query in a read transaction (a consistent snapshot, no write lock)."""
        with self._read.begin() as session:
            return fn(session, **kwargs)

    def preview(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a write action and roll it back: what it would do, with nothing changed."""
        session = self._write()
        try:
            session.begin()
            return fn(session, **kwargs)
        finally:
            session.rollback()
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
        finally:
            connection.close()

    def session(self) -> Session:
        return self._write()

    def dispose(self) -> None:
        self.engine.dispose()
