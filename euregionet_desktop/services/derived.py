"""Writes that follow from a record's own (a new initiative's steps, a cluster's stage):
rules per entity that ``services.records`` applies in the same transaction and undo step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Follow:
    """What a write brings with it: records to add (skipped when their id exists) and
    fields of other records to change, each as (entity, id, values)."""

    new: tuple[tuple[str, str, Mapping[str, Any]], ...] = ()
    writes: tuple[tuple[str, str, Mapping[str, Any]], ...] = ()


# complete(session, values, before, record_id) -> the record's values as they are saved
# (filled in or refused with ValidationError); ``before`` is None for a new record.
Complete = Callable[[Session, dict[str, Any], Mapping[str, Any] | None, str], dict[str, Any]]
# follow(session, record_id, before, after) -> what the saved write brings with it.
FollowUp = Callable[[Session, str, Mapping[str, Any] | None, Mapping[str, Any]], Follow]


@dataclass(frozen=True)
class Rule:
    complete: Complete | None = None
    follow: FollowUp | None = None
