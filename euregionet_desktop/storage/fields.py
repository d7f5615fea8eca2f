"""Field descriptions read from the models' column ``info``, and JSON forms of values."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any

from euregionet_desktop.domain.enums import Choice
from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.storage.field_kinds import JsonCheck, kind_of
from euregionet_desktop.storage.models import MODEL_BY_ENTITY, Record


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind
    label: str  # untranslated source text
    required: bool
    choices: type[Choice] | None
    ref: str | None
    max_length: int | None
    search: bool
    sort: bool
    has_default: bool
    # Whether a JSON form (None included) can be stored here: the wire check of a bundle.
    accepts_json: JsonCheck = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once per field with its limits bound: an import checks every value with it.
        object.__setattr__(self, "accepts_json", kind_of(self.kind).json_check(self))


@cache
def fields_of(entity: str) -> tuple[Field, ...]:
    """The user-editable fields of an entity, in declaration order."""
    model = MODEL_BY_ENTITY[entity]
    result = []
    for column in model.__table__.columns:
        info = column.info
        if "label" not in info:
            continue
        result.append(Field(
            name=column.key,
            kind=info["kind"],
            label=info["label"],
            required=info["required"],
            choices=info["choices"],
            ref=info["ref"],
            max_length=info["max_length"],
            search=info["search"],
            sort=info["sort"],
            has_default=column.default is not None,
        ))
    return tuple(result)


@cache
def field_map(entity: str) -> dict[str, Field]:
    return {f.name: f for f in fields_of(entity)}


@cache
def sorted_fields(entity: str) -> tuple[str, ...]:
    return tuple(f.name for f in fields_of(entity) if f.sort)


@cache
def searched_fields(entity: str) -> tuple[str, ...]:
    return tuple(f.name for f in fields_of(entity) if f.search)


def model_for(entity: str) -> type[Record]:
    return MODEL_BY_ENTITY[entity]


def to_json(kind: str, value: Any) -> Any:
    """The change log's and dump's form of a field value (JSON types only)."""
    return kind_of(kind).to_json(value)


def from_json(kind: str, value: Any) -> Any:
    """The Python value for a JSON form written by :func:`to_json`."""
    return kind_of(kind).from_json(value)
