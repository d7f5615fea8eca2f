"""Table rows from field values: column defaults and sort keys, derived in one place.

Every path that stores a record (a form's save, a bundle's merge, demo data, seeded
reference records, a migration that writes rows) builds its rows here, so a new default
or sort-key column cannot be filled on one path and forgotten on another. The plan of an
entity is worked out once; building a row is then a few dict operations (a bundle's merge
and demo data build 100,000 of them).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from euregionet_desktop.i18n import sort_key
from euregionet_desktop.storage.fields import fields_of, model_for, sorted_fields

# Names repeat a lot (a few hundred first and last names over 100k people): cache their keys.
cached_sort_key = functools.lru_cache(maxsize=1 << 16)(sort_key)


@dataclass(frozen=True)
class RowPlan:
    """How the rows of one entity are derived from its field values."""

    entity: str
    defaults: tuple[tuple[str, Any], ...]  # (field, column default)
    sort_keys: tuple[tuple[str, str], ...]  # (field, its sort-key column)
    blank: Mapping[str, Any]  # every field and sort-key column empty, not deleted

    def with_defaults(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with the column default wherever a field with one is empty."""
        row = dict(values)
        for name, default in self.defaults:
            if row.get(name) is None:
                row[name] = default
        return row

    def sort_columns(self, values: Mapping[str, Any]) -> dict[str, str | None]:
        """The sort keys of the sorted fields among ``values`` (what an update rewrites)."""
        return {column: cached_sort_key(values[name]) if values[name] else None
                for name, column in self.sort_keys if name in values}

    def new_row(self, record_id: str, values: Mapping[str, Any], *,
                created_at: str) -> dict[str, Any]:
        """A whole new row: the fields given, defaults for the rest, sort keys, id,
        creation time and ``deleted`` (False unless ``values`` says otherwise)."""
        row = {**self.blank, **values}
        for name, default in self.defaults:
            if row[name] is None:
                row[name] = default
        for name, column in self.sort_keys:
            value = row[name]
            row[column] = cached_sort_key(value) if value else None
        row["id"] = record_id
        row["created_at"] = created_at
        return row


@cache
def row_plan(entity: str) -> RowPlan:
    table = model_for(entity).__table__
    fields = fields_of(entity)
    sort_keys = tuple((name, f"{name}_sort") for name in sorted_fields(entity))
    blank: dict[str, Any] = dict.fromkeys(f.name for f in fields)
    blank.update(dict.fromkeys(column for _name, column in sort_keys))
    blank["deleted"] = False
    return RowPlan(
        entity=entity,
        defaults=tuple((f.name, table.c[f.name].default.arg) for f in fields if f.has_default),
        sort_keys=sort_keys,
        blank=MappingProxyType(blank),
    )
