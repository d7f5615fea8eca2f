"""Bulk writing of demo records: Core executemany plus a change-log entry for every field."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy.orm import Session

from euregionet_desktop.i18n import sort_key
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage.field_kinds import kind_of
from euregionet_desktop.storage.fields import fields_of, model_for, sorted_fields, to_json
from euregionet_desktop.sync.changelog import ChangeWriter

CHUNK = 5000

Progress = Callable[[str, int, int], None]

# Names repeat a lot (a few hundred first and last names over 100k people): cache their keys.
_cached_sort_key = functools.lru_cache(maxsize=1 << 16)(sort_key)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def bulk_insert(session: Session, writer: ChangeWriter, entity: str,
                rows: Iterable[Mapping[str, Any]], *, progress: Progress | None = None,
                stage: str | None = None, total: int = 0) -> int:
    """Store new records given as dicts (``id`` and field values) and log every field.

    Missing fields are NULL (or their column default); sort keys, ``created_at`` and
    ``deleted`` are filled in here. Returns the number of records written.
    """
    table = model_for(entity).__table__
    names = [f.name for f in fields_of(entity)]
    allowed = {"id", *names}
    defaults = [(f.name, table.c[f.name].default.arg) for f in fields_of(entity) if f.has_default]
    converted = [(f.name, f.kind) for f in fields_of(entity) if kind_of(f.kind).json_differs]
    sort_names = [(name, f"{name}_sort") for name in sorted_fields(entity)]
    template = dict.fromkeys(names)
    template.update(created_at=now_iso(), deleted=False)
    done = 0
    for chunk in _chunks(rows, CHUNK):
        records = []
        logged = []
        for values in chunk:
            unknown = values.keys() - allowed
            if unknown:
                raise ValueError(f"{entity} has no field(s) {sorted(unknown)}")
            row = {**template, **values}
            for name, default in defaults:
                if row[name] is None:
                    row[name] = default
            fields = {name: row[name] for name in names if row[name] is not None}
            for name, kind in converted:
                if name in fields:
                    fields[name] = to_json(kind, fields[name])
            for name, sort_column in sort_names:
                value = row[name]
                row[sort_column] = _cached_sort_key(value) if value else None
            records.append(row)
            logged.append((row["id"], fields))
        session.execute(table.insert(), records)
        writer.write_new(entity, logged)
        done += len(records)
        if progress is not None:
            progress(stage or entity, done, max(total, done))
    return done
