"""Redirects from merged records to their survivors, derived from the merge records.

A merge record (storage.models.Merge) says: these records of one type are one, kept as
the survivor. Every replica derives the same redirects from the live merge records in its
change log, whatever order they arrived in, and ``sync.merge.materialize`` applies them:

- **Groups and the survivor (the fixed rule).** The records named by live merges of a type
  form groups (connected by any merge, in any direction). A group's survivor is the
  record no live merge merges away (a chain a→b, b→c ends at c); when there are several
  (a merged into b at one office, into c at another) or none (a→b at one office, b→a at
  another), the one with the smallest id among them, resp. among the survivors the merges
  named. Undoing a merge (its record deleted) takes its redirects back.
- **Merged records** keep their rows and their own field history, read as deleted while
  the merge stands; no row for a merged id is made live again by a late change.
- **Writes to a merged record** that no merge naming it had seen (the merge record's
  ``seen`` vector) land on the survivor: its fields are the provisional winner, highest
  (hlc, installation), over its own current writes and those unseen writes (``deleted``
  aside: a merged record's own delete is not the survivor's).
- **References** to a merged record (a consultation's organisation, a list of contacts,
  an attachment's linked record) read as the survivor, a list without repeats.
- **Erasure wins** (sync.erasure): the records of a contact's group are one person, so
  erasing any of them erases all of them, at every replica, whether the merge or the
  erasure arrives first. The group counts every merge ever made of them, undone ones too:
  a merge said they were one person, and what an erasure takes must not depend on whether
  an undo had arrived where it was made (that would keep a record at one office only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from euregionet_desktop.storage.fields import fields_of
from euregionet_desktop.storage.models import MODEL_BY_ENTITY, Change

CHANGES = Change.__table__
MERGE_ENTITY = "merge"
MERGEABLE = frozenset({"organisation", "contact", "cluster"})
# Where a session keeps its transaction's redirects (see ``redirects``).
_HELD = "euregionet.redirects"
# Records linked to a record of any kind by (linked_entity, linked_id): redirected too, and
# re-pointed by a merge (services.relations.references_to).
LINKED_BY_ID = ("attachment", "note")


@dataclass
class Redirects:
    """Merged id -> survivor, per record type, and what each merge had seen."""

    survivor: dict[str, str] = field(default_factory=dict)  # merged id -> survivor
    entity: dict[str, str] = field(default_factory=dict)  # any grouped id -> its type
    members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seen: dict[str, list[dict[str, int]]] = field(
        default_factory=lambda: defaultdict(list))  # id -> seen vectors of merges naming it

    def __bool__(self) -> bool:
        return bool(self.survivor)

    def resolve(self, record_id: Any) -> Any:
        return self.survivor.get(record_id, record_id) if isinstance(record_id, str) else record_id

    def group(self, record_id: str) -> set[str]:
        """Every id merged with this one (itself included)."""
        root = self.resolve(record_id)
        return {root, *self.members.get(root, ())}


def merge_records(session: Session) -> dict[str, dict[str, Any]]:
    """Merge id -> its merged fields (the provisional winners of its current writes)."""
    best: dict[tuple[str, str], tuple[int, str, str]] = {}
    for record_id, name, value, hlc, installation in session.execute(
            select(CHANGES.c.record_id, CHANGES.c.field, CHANGES.c.value, CHANGES.c.hlc,
                   CHANGES.c.installation_id)
            # Written as a literal, so SQLite reads the partial index of merge changes.
            .where(text(f"change_log.entity = '{MERGE_ENTITY}'"), CHANGES.c.current.is_(True))):
        key = (record_id, name)
        if key not in best or (hlc, installation) > best[key][:2]:
            best[key] = (hlc, installation, value)
    merged: dict[str, dict[str, Any]] = defaultdict(dict)
    for (record_id, name), (_hlc, _installation, value) in best.items():
        merged[record_id][name] = orjson.loads(value)
    return merged


def seen_vector(items: Iterable[str] | None) -> dict[str, int]:
    vector: dict[str, int] = {}
    for item in items or ():
        installation, _sep, seq = str(item).rpartition(":")
        if installation and seq.isdigit():
            vector[installation] = max(vector.get(installation, 0), int(seq))
    return vector


def compute(session: Session, *, undone_too: bool = False) -> Redirects:
    """The redirects of this replica's live merge records (the rule in the module doc);
    ``undone_too``: of every merge record ever, also undone ones (who is one person, for
    erasure: a merge once said so, and an erasure must not depend on whether the undo
    had arrived where it was made)."""
    result = Redirects()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    merged_away: set[str] = set()
    named_survivors: set[str] = set()
    for values in merge_records(session).values():
        entity, survivor = values.get("record_type"), values.get("survivor_id")
        others = values.get("merged_ids") or []
        if ((values.get("deleted") is True and not undone_too) or entity not in MERGEABLE
                or not survivor):
            continue
        vector = seen_vector(values.get("seen"))
        named_survivors.add(survivor)
        for record_id in (survivor, *others):
            result.entity[record_id] = entity
            result.seen[record_id].append(vector)
        for other in others:
            if other != survivor:
                merged_away.add(other)
                parent[find(other)] = find(survivor)
    groups: dict[str, list[str]] = defaultdict(list)
    for record_id in list(parent):
        groups[find(record_id)].append(record_id)
    for ids in groups.values():
        if len(ids) < 2:
            continue
        sinks = [i for i in ids if i not in merged_away]
        root = min(sinks or [i for i in ids if i in named_survivors] or ids)
        for record_id in sorted(ids):
            if record_id != root:
                result.survivor[record_id] = root
                result.members[root].append(record_id)
    return result


def redirects(session: Session) -> Redirects:
    """This transaction's redirects, computed once (``forget`` after a merge record is
    written or arrives)."""
    held = session.info.get(_HELD)
    transaction = session.get_transaction()
    if held is not None and held[0] is transaction:
        return held[1]
    found = compute(session)
    session.info[_HELD] = (transaction, found)
    return found


def forget(session: Session) -> None:
    session.info.pop(_HELD, None)


@cache
def redirected_fields(entity: str) -> tuple[tuple[str, bool], ...]:
    """(field, is a list) of the entity's references to records that can be merged."""
    return tuple((f.name, f.kind.is_list) for f in fields_of(entity)
                 if f.kind.is_reference and f.ref in MERGEABLE)


def redirect_values(entity: str, values: dict[str, Any], found: Redirects) -> None:
    """References to merged records read as their survivors (a list without repeats);
    an attachment or a note linked to a merged record is linked to the survivor."""
    for name, is_list in redirected_fields(entity):
        value = values.get(name)
        if value is None:
            continue
        if not is_list:
            values[name] = found.resolve(value)
        elif any(v in found.survivor for v in value):
            values[name] = list(dict.fromkeys(found.resolve(v) for v in value))
    if entity in LINKED_BY_ID and values.get("linked_entity") in MERGEABLE:
        values["linked_id"] = found.resolve(values.get("linked_id"))


def referencing(session: Session, ids: set[str]) -> dict[str, set[str]]:
    """Entity -> the records whose row points at any of ``ids`` (to materialize again
    when the redirects of those ids change)."""
    found: dict[str, set[str]] = defaultdict(set)
    wanted = sorted(ids)
    for entity, model in MODEL_BY_ENTITY.items():
        table = model.__table__
        for name, is_list in redirected_fields(entity):
            if is_list:  # few lists of references (a consultation's people): scanned
                rows = session.execute(select(table.c.id, table.c[name]).where(
                    table.c[name].is_not(None))).all()
                found[entity].update(i for i, v in rows if ids.intersection(v or ()))
                continue
            for start in range(0, len(wanted), 500):
                found[entity].update(session.execute(select(table.c.id).where(
                    table.c[name].in_(wanted[start:start + 500]))).scalars())
        if entity in LINKED_BY_ID:
            for start in range(0, len(wanted), 500):
                found[entity].update(session.execute(select(table.c.id).where(
                    table.c.linked_id.in_(wanted[start:start + 500]))).scalars())
    return found


def pooled(session: Session, root: str, found: Redirects) -> dict[str, Any]:
    """The survivor's fields: the provisional winner of each over its own current writes
    and its merged records' current writes that no merge naming them had seen."""
    group = found.group(root)
    best: dict[str, tuple[int, str, str]] = {}
    for record_id, name, value, hlc, installation, seq in session.execute(
            select(CHANGES.c.record_id, CHANGES.c.field, CHANGES.c.value, CHANGES.c.hlc,
                   CHANGES.c.installation_id, CHANGES.c.seq)
            .where(CHANGES.c.current.is_(True), CHANGES.c.record_id.in_(sorted(group)))):
        if record_id != root:
            if name in ("deleted", "") or any(
                    seq <= vector.get(installation, 0) for vector in found.seen[record_id]):
                continue
        if name not in best or (hlc, installation) > best[name][:2]:
            best[name] = (hlc, installation, value)
    return {name: orjson.loads(value) for name, (_h, _i, value) in best.items()}
