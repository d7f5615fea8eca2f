"""Many rows at once, straight through the sqlite3 driver (DESIGN §8).

A bundle's merge inserts ten thousand records and their search rows in one go; through
SQLAlchemy's ``execute(insert(table), rows)`` each row's parameters are built one by one,
which costs more than SQLite's own work. These helpers send the rows to the driver's
``executemany`` with the columns' bind processors applied as SQLAlchemy applies them (a
date as ISO text, a list as JSON, a bool as 0/1), in the session's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

# SQLite's default limit of variables in one statement is 32766 (3.32+); 500 ids at a time
# stays far below it and keeps each IN list short.
ID_CHUNK = 500


def driver_cursor(session: Session) -> sqlite3.Cursor:
    """A cursor of the session's own connection (its transaction); close it after use."""
    return session.connection().connection.driver_connection.cursor()


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (every row with the same keys, each a column of ``table``)."""
    if not rows:
        return
    names = list(rows[0])
    dialect = session.get_bind().dialect
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    plain = [name for name, process in zip(names, processors, strict=True) if process is None]
    processed = [(name, process) for name, process in zip(names, processors, strict=True)
                 if process is not None]
    ordered = plain + [name for name, _process in processed]
    columns = ", ".join(f'"{name}"' for name in ordered)
    marks = ", ".join("?" * len(ordered))
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        return (*[row[name] for name in plain],
                *[process(row[name]) for name, process in processed])

    cursor = driver_cursor(session)
    try:
        cursor.executemany(sql, map(values, rows))
    finally:
        cursor.close()


def rowids(session: Session, table: Table, ids: Iterable[str]) -> dict[str, int]:
    """The SQLite rowid of each record (by id) of ``table`` that exists."""
    wanted = list(ids)
    found: dict[str, int] = {}
    cursor = driver_cursor(session)
    try:
        for start in range(0, len(wanted), ID_CHUNK):
            chunk = wanted[start:start + ID_CHUNK]
            found.update(cursor.execute(
                f'SELECT id, rowid FROM "{table.name}" WHERE id IN '
                f'({", ".join("?" * len(chunk))})', chunk).fetchall())
    finally:
        cursor.close()
    return found
