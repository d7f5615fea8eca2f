"""Bulk writing of demo records: Core executemany plus a change-log entry for every field."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy.orm import Session

from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage.field_kinds import kind_of
from euregionet_desktop.storage.fields import fields_of, model_for, to_json
from euregionet_desktop.storage.rows import row_plan
from euregionet_desktop.sync.changelog import ChangeWriter

CHUNK = 5000

Progress = Callable[[str, int, int], None]



def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def bulk_insert(session: Session, writer: ChangeWriter, entity: str,
                rows: Iterable[Mapping[str, Any]], *, progress: Progress | None = None,
                stage: str | None = None, total: int = 0) -> int:
    """Store new records given as dicts (``id`` and field values) and log every field.

    Missing fields are NULL (or their column default); sort keys, ``created_at`` and
    ``deleted`` come from the entity's row plan (storage.rows). Returns the number of
    records written.
    """
    table = model_for(entity).__table__
    plan = row_plan(entity)
    names = [f.name for f in fields_of(entity)]
    allowed = {"id", *names}
    converted = [(f.name, f.kind) for f in fields_of(entity) if kind_of(f.kind).json_differs]
    created_at = now_iso()
    done = 0
    for chunk in _chunks(rows, CHUNK):
        records = []
        logged = []
        for values in chunk:
            unknown = values.keys() - allowed
            if unknown:
                raise ValueError(f"{entity} has no field(s) {sorted(unknown)}")
            row = plan.new_row(values["id"], values, created_at=created_at)
            fields = {name: row[name] for name in names if row[name] is not None}
            for name, kind in converted:
                if name in fields:
                    fields[name] = to_json(kind, fields[name])
            records.append(row)
            logged.append((row["id"], fields))
        session.execute(table.insert(), records)
        writer.write_new(entity, logged)
        done += len(records)
        if progress is not None:
            progress(stage or entity, done, max(total, done))
    return done
