"""Global search over clusters, organisations, contacts, consultations, events and plans."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import value_labels
from euregionet_desktop.services.dto import SearchHit
from euregionet_desktop.services.entities import record_label
from euregionet_desktop.storage import search as index
from euregionet_desktop.storage.fields import model_for

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
    ranked = [hits[key] for key in found if key in hits]
    return sorted(ranked, key=lambda hit: order[hit.entity])  # stable: keeps rank within kind
