"""Global search grouped by kind: the best few hits of each kind and how many there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal_column, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.i18n import _, format_date, fts_query
from euregionet_desktop.services.dto import SearchHit
from euregionet_desktop.services.entities import record_label

# Same label and detail columns as the flat search, so a record reads the same in both.
from euregionet_desktop.services.search import (
    DETAIL_FIELDS,
    LABEL_FIELDS,
    NOTE_KINDS,
    note_hits,
)
from euregionet_desktop.storage import search as index
from euregionet_desktop.storage.fields import field_map, model_for

# One statement per kind: the kind's best hits, each carrying the count of all its matches
# (the window runs before LIMIT), so a kind with 100k matches costs one ranked scan.
_RANKED_IN_RANGE = text(
    "SELECT rowid, count(*) OVER () AS total FROM search_index "
    "WHERE search_index MATCH :q AND rowid BETWEEN :low AND :high "
    "ORDER BY rank LIMIT :limit"
)
# Ranking tens of thousands of matches of one or two letters costs more than a keystroke
# may (40 ms for "k" on 100k contacts) and says little; such hits come in index order.
_UNRANKED_IN_RANGE = text(
    "SELECT rowid, count(*) OVER () AS total FROM search_index "
    "WHERE search_index MATCH :q AND rowid BETWEEN :low AND :high LIMIT :limit"
)
RANKED_FROM_LETTERS = 3


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind of record: ``total`` matches, of which ``hits`` are the best."""

    entity: str
    total: int
    hits: tuple[SearchHit, ...]


def _rowid_range(entity: str) -> tuple[int, int]:
    """The FTS rowids a kind's records can have (FTS5 uses the range to skip other kinds)."""
    # fts_rowid packs the kind's number above the table rowid, so every kind owns the span
    # [number × span, (number + 1) × span) of the index's rowids.
    low = index.fts_rowid(entity, 0)
    span = low // index.ENTITY_NUMBERS[entity]
    return low, low + span - 1


def _shown(entity: str, name: str, value: Any) -> str:
    """A detail value as a person reads it: a choice's translated label, a local date."""
    spec = field_map(entity).get(name)
    if spec is not None and spec.choices is not None:
        labels = {choice.value: choice.label for choice in spec.choices}
        return _(labels[value]) if value in labels else str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value)
    return str(value)


def grouped_search(session: Session, *, text: str, per_kind: int = 8) -> tuple[SearchGroup, ...]:
    """Records matching what a person typed, by kind (in index order), best first in each.

    Kinds without a match are left out; ``per_kind`` bounds the hits, not the totals.
    """
    expression = fts_query(text)
    if expression is None:
        return ()
    rowid = literal_column("rowid")
    groups: list[SearchGroup] = []
    letters = max((len(word) for word in text.split()), default=0)
    statement = _RANKED_IN_RANGE if letters >= RANKED_FROM_LETTERS else _UNRANKED_IN_RANGE
    for entity in index.SEARCHED_ENTITIES:
        low, high = _rowid_range(entity)
        found = session.execute(statement, {
            "q": expression, "low": low, "high": high, "limit": per_kind}).all()
        if not found:
            continue
        rowids = [index.split_rowid(fts_id)[1] for fts_id, _total in found]
        if entity in NOTE_KINDS:
            by_note = note_hits(session, entity, rowids)
            hits = tuple(by_note[r] for r in rowids if r in by_note)
            groups.append(SearchGroup(entity, found[0].total, hits))
            continue
        table = model_for(entity).__table__
        columns = [table.c[name] for name in
                   dict.fromkeys(("id", *LABEL_FIELDS[entity], *DETAIL_FIELDS[entity]))]
        by_rowid = {}
        for row in session.execute(
            select(rowid.label("rowid_"), *columns).where(rowid.in_(rowids))
        ).mappings():
            detail = " · ".join(_shown(entity, f, row[f]) for f in DETAIL_FIELDS[entity]
                                if row[f])
            by_rowid[row["rowid_"]] = SearchHit(
                entity, row["id"], record_label(entity, row), detail)
        hits = tuple(by_rowid[r] for r in rowids if r in by_rowid)
        groups.append(SearchGroup(entity, found[0].total, hits))
    return tuple(groups)
