"""Canonical JSON of all shared data: the same bytes for the same data on any machine."""

from __future__ import annotations

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.storage.fields import fields_of, to_json
from euregionet_desktop.storage.models import RECORD_MODELS


def dump(session: Session) -> bytes:
    """Every record of every entity (deleted ones included, flagged), sorted by id.

    Sort keys and local bookkeeping (creation time on this machine) are left out: they
    follow from the fields or differ between replicas holding the same data.
    """
    data: dict[str, list[dict]] = {}
    for model in RECORD_MODELS:
        entity = model.entity
        table = model.__table__
        kinds = [(f.name, f.kind) for f in fields_of(entity)]
        rows = []
        for row in session.execute(select(table).order_by(table.c.id)).mappings():
            record = {name: to_json(kind, row[name]) for name, kind in kinds}
            record.update(id=row["id"], deleted=bool(row["deleted"]))
            rows.append(record)
        data[entity] = rows
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2) + b"\n"
