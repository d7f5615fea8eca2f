"""The SQLite engine: one file per profile, with the pragmas every connection needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from euregionet_desktop.i18n import fold

BUSY_TIMEOUT_MS = 5000


def _apply_pragmas(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy own transactions (pysqlite's implicit BEGIN is unreliable).
    dbapi_connection.isolation_level = None
    # SQLite's lower() and LIKE fold ASCII only; list filters need ł, ß and umlauts folded.
    dbapi_connection.create_function("fold", 1, _fold_or_none, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.execute("PRAGMA cache_size=-32000")
    # Freed pages are zeroed, so an erased person does not linger in the file (DESIGN §4).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(str(value))


def _begin(conn) -> None:
    # Writers take the lock up front (IMMEDIATE), so two writers queue instead of failing
    # half-way with SQLITE_BUSY on lock upgrade; readers take a plain snapshot.
    if conn.get_execution_options().get("readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_path}",
        # The pool hands a connection to one thread at a time; the GUI runs work off its
        # own thread, so connections may move between threads.
        connect_args={"check_same_thread": False},
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        # The connection used last is handed out next: one connection stays warm and the
        # others open only while reads overlap (a view reading in the pool). First in,
        # first out would alternate between them and fill each one's page cache
        # (cache_size) with the same pages: about 35 MiB more after scrolling a long list.
        pool_use_lifo=True,
        # Error messages (and so crash reports and the log) never quote the values of a
        # statement: they are people's data, which an erasure must not leave behind.
        hide_parameters=True,
    )
    event.listen(engine, "connect", _apply_pragmas)
    event.listen(engine, "begin", _begin)
    return engine
