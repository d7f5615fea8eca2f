"""The full-text search index (FTS5 over text folded in Python, DESIGN §3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, false, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import all_labels, vocabulary_of
from euregionet_desktop.i18n import fts_query, search_text
from euregionet_desktop.storage import bulk
from euregionet_desktop.storage.fields import model_for, searched_fields
from euregionet_desktop.storage.models import PrivateNote

# FTS rowid = entity number << 40 | the record's rowid in its own table. The numbers are
# stored on disk: append, never renumber.
ENTITY_NUMBERS: dict[str, int] = {
    "cluster": 1,
    "organisation": 2,
    "contact": 3,
    "consultation": 4,
    "event": 5,
    "action_plan": 6,
    "note": 7,  # a shared note (a record)
    "private_note": 8,  # a note kept at this installation (not a record: no change log)
}
# Searched tables that are not records (no ``deleted`` column, never synced) and the
# columns of theirs that are searched.
LOCAL_TABLES: dict[str, tuple[Table, tuple[str, ...]]] = {
    "private_note": (PrivateNote.__table__, ("body",)),
}
SEARCHED_ENTITIES = tuple(ENTITY_NUMBERS)
_SHIFT = 40
_ENTITY_BY_NUMBER = {number: entity for entity, number in ENTITY_NUMBERS.items()}


def fts_rowid(entity: str, rowid: int) -> int:
    return (ENTITY_NUMBERS[entity] << _SHIFT) | rowid


def split_rowid(fts_id: int) -> tuple[str, int]:
    return _ENTITY_BY_NUMBER[fts_id >> _SHIFT], fts_id & ((1 << _SHIFT) - 1)


def table_of(entity: str) -> Table:
    local = LOCAL_TABLES.get(entity)
    return local[0] if local is not None else model_for(entity).__table__


def _searched(entity: str) -> tuple[str, ...]:
    local = LOCAL_TABLES.get(entity)
    return local[1] if local is not None else searched_fields(entity)


def _deleted(entity: str):
    """The column saying a row is deleted (a local table's rows never are)."""
    return false().label("deleted") if entity in LOCAL_TABLES else table_of(entity).c.deleted


def document_text(entity: str, row: Any) -> str:
    parts: list[str] = []
    for name in _searched(entity):
        value = row[name]
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value is not None:
            parts.append(str(value))
        vocabulary = vocabulary_of(entity, name)
        if vocabulary is not None and value:
            # A sector or region is found by its label in every language, not its code.
            parts.extend(all_labels(vocabulary, value if isinstance(value, list) else [value]))
    return search_text(*parts)


def index_entries(entity: str, rows: Iterable[Any]) -> list[dict[str, Any]]:
    """FTS rows for records given as mappings with ``rowid`` and the searched fields."""
    return [
        {"rowid": fts_rowid(entity, row["rowid"]), "body": document_text(entity, row)}
        for row in rows
    ]


def insert_entries(session: Session, entries: list[dict[str, Any]]) -> None:
    if not entries:
        return
    cursor = bulk.driver_cursor(session)
    try:
        cursor.executemany("INSERT INTO search_index(rowid, body) VALUES (?, ?)",
                           [(entry["rowid"], entry["body"]) for entry in entries])
    finally:
        cursor.close()


def index_new(session: Session, entity: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Index records just inserted, from the rows they were inserted with (``id`` and
    the searched fields as stored values): nothing is read back but their rowids."""
    if entity not in ENTITY_NUMBERS:
        return
    live = [row for row in rows if not row["deleted"]]
    if not live:
        return
    found = bulk.rowids(session, table_of(entity), (row["id"] for row in live))
    insert_entries(session, [
        {"rowid": fts_rowid(entity, found[row["id"]]), "body": document_text(entity, row)}
        for row in live])


def reindex(session: Session, entity: str, record_ids: Sequence[str], *,
            fresh: bool = False) -> None:
    """Bring the index rows of these records up to date (deleted records drop out);
    ``fresh``: the records were just inserted, so they have no index rows to remove."""
    if entity not in ENTITY_NUMBERS or not record_ids:
        return
    table = table_of(entity)
    columns = [table.c[name] for name in _searched(entity)]
    rows = session.execute(
        select(text("rowid"), _deleted(entity), *columns).select_from(table)
        .where(table.c.id.in_(list(record_ids)))
    ).mappings().all()
    if not fresh:
        session.execute(
            text("DELETE FROM search_index WHERE rowid = :rowid"),
            [{"rowid": fts_rowid(entity, row["rowid"])} for row in rows],
        )
    insert_entries(session, index_entries(entity, [r for r in rows if not r["deleted"]]))


def unindex(session: Session, entity: str, record_ids: Sequence[str]) -> None:
    """Remove the index rows of these records (before their rows go: a private note
    deleted, a record erased)."""
    if entity not in ENTITY_NUMBERS or not record_ids:
        return
    table = table_of(entity)
    rowids = session.execute(select(text("rowid")).select_from(table)
                             .where(table.c.id.in_(list(record_ids)))).scalars().all()
    if rowids:
        session.execute(text("DELETE FROM search_index WHERE rowid = :rowid"),
                        [{"rowid": fts_rowid(entity, rowid)} for rowid in rowids])


def rebuild(session: Session) -> None:
    """Rebuild the whole index (after a bulk load or when in doubt)."""
    session.execute(text("DELETE FROM search_index"))
    for entity in SEARCHED_ENTITIES:
        table = table_of(entity)
        columns = [table.c[name] for name in _searched(entity)]
        query = select(text("rowid"), *columns).select_from(table)
        if entity not in LOCAL_TABLES:
            query = query.where(table.c.deleted.is_(False))
        result = session.execute(query).mappings()
        while chunk := result.fetchmany(5000):
            insert_entries(session, index_entries(entity, chunk))


def matching(session: Session, query: str, *, limit: int | None = None) -> list[tuple[str, int]]:
    """(entity, table rowid) of records matching what a person typed, best first."""
    expression = fts_query(query)
    if expression is None:
        return []
    sql = "SELECT rowid FROM search_index WHERE search_index MATCH :q ORDER BY rank"
    params: dict[str, Any] = {"q": expression}
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [split_rowid(r) for (r,) in session.execute(text(sql), params)]


def filter_clause(entity: str, typed: str):
    """A WHERE clause for an entity's table: records whose indexed words match ``typed``."""
    expression = fts_query(typed)
    if expression is None:
        return None
    table = model_for(entity).__table__.name
    low = ENTITY_NUMBERS[entity] << _SHIFT
    return text(
        f"{table}.rowid IN (SELECT rowid - :fts_low FROM search_index "
        "WHERE search_index MATCH :fts_q AND rowid BETWEEN :fts_low AND :fts_high)"
    ).bindparams(bindparam("fts_q", expression), bindparam("fts_low", low),
                 bindparam("fts_high", low + (1 << _SHIFT) - 1))


def matching_rowids(session: Session, entity: str, typed: str) -> frozenset[int] | None:
    """Table rowids of an entity's records whose indexed words match (None: no filter)."""
    expression = fts_query(typed)
    if expression is None:
        return None
    low = ENTITY_NUMBERS[entity] << _SHIFT
    rows = session.execute(
        text("SELECT rowid - :low FROM search_index WHERE search_index MATCH :q "
             "AND rowid BETWEEN :low AND :high"),
        {"q": expression, "low": low, "high": low + (1 << _SHIFT) - 1})
    return frozenset(rows.scalars())
