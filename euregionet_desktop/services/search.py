"""Global search over clusters, organisations, contacts, consultations, events, plans and
the notes on records (a hit on a note names the record it is on)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import value_labels
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import SearchHit
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.storage import search as index
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.sync.redirects import MERGEABLE, redirects

# Kinds of the index that are notes: their hits open the record the note is on.
NOTE_KINDS = ("note", "private_note")
EXCERPT_CHARS = 80

# The fields a hit's name is made of, and what it shows under its name, per kind.
LABEL_FIELDS = {
    "cluster": ("name_pl", "name_de"),
    "organisation": ("name",),
    "contact": ("title", "first_name", "last_name"),
    "consultation": ("held_at", "subject", "subject_de"),
    "event": ("title_pl", "title_de"),
    "action_plan": ("title", "title_de"),
}
DETAIL_FIELDS = {
    "cluster": ("region",),
    "organisation": ("city",),
    "contact": ("email", "function"),
    "consultation": ("place",),
    "event": ("starts_on", "place"),
    "action_plan": ("status",),
}


def search(session: Session, *, text: str, limit: int | None = 20) -> list[SearchHit]:
    """Records matching what a person typed, best first within each kind."""
    found = index.matching(session, text, limit=limit)
    by_entity: dict[str, list[int]] = defaultdict(list)
    for entity, rowid in found:
        by_entity[entity].append(rowid)
    rowid = literal_column("rowid")
    hits: dict[tuple[str, int], SearchHit] = {}
    for entity, rowids in by_entity.items():
        if entity in NOTE_KINDS:
            hits.update(((entity, r), hit) for r, hit in note_hits(session, entity, rowids).items())
            continue
        table = model_for(entity).__table__
        columns = [table.c[name] for name in
                   dict.fromkeys(("id", *LABEL_FIELDS[entity], *DETAIL_FIELDS[entity]))]
        for row in session.execute(
            select(rowid.label("rowid_"), *columns).where(rowid.in_(rowids))
        ).mappings():
            detail = " · ".join(str(value_labels(entity, f, row[f])) for f in DETAIL_FIELDS[entity]
                                if row[f])
            hits[(entity, row["rowid_"])] = SearchHit(
                entity, row["id"], record_label(entity, row), detail)
    order = {entity: n for n, entity in enumerate(index.SEARCHED_ENTITIES)}
    ranked = [(key[0], hits[key]) for key in found if key in hits]
    # Stable: keeps rank within kind.
    return [hit for _kind, hit in sorted(ranked, key=lambda pair: order[pair[0]])]


def excerpt(body: str) -> str:
    """A note's text on one line, cut to what a result row shows."""
    line = " ".join(body.split())
    return line if len(line) <= EXCERPT_CHARS else line[:EXCERPT_CHARS - 1] + "…"


def note_hits(session: Session, kind: str, rowids: Sequence[int]) -> dict[int, SearchHit]:
    """Hits on notes (``kind``: note or private_note) by their rowid: each names the live
    record it is on (the survivor of a merged one); notes on deleted records are left out."""
    table = index.table_of(kind)
    rowid = literal_column("rowid")
    query = select(rowid.label("rowid_"), table.c.id, table.c.linked_entity,
                   table.c.linked_id, table.c.body).where(rowid.in_(list(rowids)))
    if kind == "note":
        query = query.where(table.c.deleted.is_(False))
    rows = session.execute(query).mappings().all()
    found = redirects(session) if any(r["linked_entity"] in MERGEABLE for r in rows) else None
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        wanted[row["linked_entity"]].add(_on(row, found))
    live: dict[str, dict[str, str]] = {}
    for entity, ids in wanted.items():
        linked = model_for(entity).__table__
        present = set(session.execute(select(linked.c.id).where(
            linked.c.id.in_(sorted(ids)), linked.c.deleted.is_(False))).scalars())
        live[entity] = records.labels(session, entity=entity, record_ids=sorted(present))
    hits = {}
    for row in rows:
        entity, record_id = row["linked_entity"], _on(row, found)
        label = live.get(entity, {}).get(record_id)
        if label is not None:
            hits[row["rowid_"]] = SearchHit(entity, record_id, label, excerpt(row["body"]),
                                            note_id=row["id"], private=kind == "private_note")
    return hits


def _on(row, found) -> str:
    if found is not None and row["linked_entity"] in MERGEABLE:
        return found.resolve(row["linked_id"])
    return row["linked_id"]
