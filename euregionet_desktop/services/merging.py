"""Merging duplicates: records found to be one kept as a survivor, in one action.

A merge writes, with one clock reading (one ChangeWriter): the survivor's fields as chosen
(one choice per field; list fields united), every reference to a merged record re-pointed
to the survivor (from the one table of references, services.relations), memberships that
would then be there twice collapsed to one, and last the merge record that travels and
from which every replica derives the redirects (sync.redirects). Undo writes it all back
and deletes the merge record, which takes the redirects back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.services import notes, records
from euregionet_desktop.services.dto import Changes, RecordDTO, RecordWrites, UndoStep
from euregionet_desktop.services.relations import references_to
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage.fields import field_map, fields_of, model_for
from euregionet_desktop.storage.models import Change
from euregionet_desktop.sync.acks import seen_vector
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.merge import materialize
from euregionet_desktop.sync.redirects import MERGE_ENTITY, MERGEABLE
from euregionet_desktop.sync.wire import MAX_LIST

CHANGES = Change.__table__
# The member column of a membership, per type of record merged (a cluster's members are
# either).
MEMBER_COLUMNS = {"organisation": ("organisation_id",), "contact": ("contact_id",),
                  "cluster": ("organisation_id", "contact_id")}


@dataclass(frozen=True)
class MergeField:
    """One field of the records side by side: each record's value (in the order of
    ``MergePreview.records``), the record whose value a merge takes by default, and
    whether the values are united (a list)."""

    name: str
    label: str  # translated
    values: tuple[Any, ...]
    default_from: str | None  # a record id; None when every record leaves it empty
    united: bool


@dataclass(frozen=True)
class MergePreview:
    """Records side by side for a merge, the survivor first, with the references to each."""

    entity: str
    records: tuple[RecordDTO, ...]
    fields: tuple[MergeField, ...]
    references: tuple[int, ...]  # per record, how many records point at it


def _refuse(message: str, field: str | None = None) -> ValidationError:
    return ValidationError(message, field=field)


def _check_group(session: Session, entity: str, ids: Sequence[str]) -> list[Any]:
    """The rows of the records to merge, refused with one translated line when the merge
    cannot be."""
    if entity not in MERGEABLE:
        raise _refuse(_("Only organisations, contact persons and clusters can be merged."))
    if len(ids) < 2:
        raise _refuse(_("A merge needs the record to keep and at least one other record."))
    if len(set(ids)) != len(ids):
        raise _refuse(_("A record is named twice; name each record to merge once."))
    if len(ids) > MAX_LIST:
        raise _refuse(_("At most {count} records can be merged at once.").format(count=MAX_LIST))
    return [records.load_row(session, entity, record_id) for record_id in ids]


def _write_hlcs(session: Session, ids: Sequence[str]) -> dict[tuple[str, str], int]:
    """(record, field) -> the clock reading of its newest current write."""
    found: dict[tuple[str, str], int] = {}
    for record_id, name, hlc in session.execute(
            select(CHANGES.c.record_id, CHANGES.c.field, CHANGES.c.hlc).where(
                CHANGES.c.record_id.in_(list(ids)), CHANGES.c.current.is_(True))):
        found[(record_id, name)] = max(found.get((record_id, name), 0), hlc)
    return found


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _choices(session: Session, entity: str, ids: Sequence[str], rows: Sequence[Any],
             take: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str | None]]:
    """The survivor's value of each field and the record it comes from (None: united or
    empty). Default: the only non-empty value, the newer by its write when several are
    set (the survivor's on a tie); lists united; ``take`` chooses the record by hand."""
    kinds = field_map(entity)
    for name, record_id in take.items():
        if name not in kinds:
            raise _refuse(_("{entity} records have no field “{field}”.").format(
                entity=entity_label(entity), field=name), name)
        if record_id not in ids:
            raise _refuse(_("{field}: “{id}” is not one of the records being merged.").format(
                field=_(kinds[name].label), id=record_id), name)
    hlcs = _write_hlcs(session, ids)
    values: dict[str, Any] = {}
    sources: dict[str, str | None] = {}
    for spec in fields_of(entity):
        name = spec.name
        column = [row[name] for row in rows]
        if name in take:
            sources[name] = take[name]
            values[name] = column[ids.index(take[name])]
        elif spec.kind.is_list:
            united = list(dict.fromkeys(v for value in column for v in (value or [])))
            values[name] = united or column[0]
            sources[name] = None
        else:
            set_ = [i for i, value in enumerate(column) if not _empty(value)]
            if not set_:
                values[name], sources[name] = column[0], None
                continue
            best = max(set_, key=lambda i: (hlcs.get((ids[i], name), 0), i == 0))
            values[name], sources[name] = column[best], ids[best]
    return values, sources


def merge_preview(session: Session, *, entity: str, ids: Sequence[str],
                  take: Mapping[str, str] | None = None) -> MergePreview:
    """The records side by side (the first is kept) with the value a merge takes of each
    field, for the merge dialog and ``euregionet merge``."""
    ids = list(ids)
    rows = _check_group(session, entity, ids)
    _values, sources = _choices(session, entity, ids, rows, take or {})
    kinds = field_map(entity)
    return MergePreview(
        entity=entity,
        records=tuple(records.get(session, entity=entity, record_id=i) for i in ids),
        fields=tuple(MergeField(name, _(kinds[name].label),
                                tuple(row[name] for row in rows), source,
                                kinds[name].kind.is_list)
                     for name, source in sources.items()),
        references=tuple(len(references_to(session, entity=entity, record_id=i)) for i in ids))


def merge(session: Session, *, entity: str, survivor_id: str, other_ids: Sequence[str],
          take: Mapping[str, str] | None = None) -> Changes:
    """Merge ``other_ids`` into ``survivor_id`` (records of ``entity``) as one action."""
    ids = [survivor_id, *other_ids]
    rows = _check_group(session, entity, ids)
    values, _sources = _choices(session, entity, ids, rows, take or {})
    writer = ChangeWriter.for_session(session)
    # What this installation has seen before it merges: writes to a merged record beyond
    # it were made without knowing the merge and land on the survivor (sync.redirects).
    seen = [f"{installation}:{seq}" for installation, seq in sorted(seen_vector(session).items())
            if seq]
    writes: list[RecordWrites] = []
    survivor = records.row_values(entity, rows[0])
    changed = {name: value for name, value in values.items() if survivor.get(name) != value}
    records.check_record(session, entity, {**survivor, **changed}, survivor_id)
    records.write_fields(session, writer, entity, survivor_id, changed)
    if changed:
        writes.append(RecordWrites(entity, survivor_id,
                                   {n: survivor.get(n) for n in changed}, changed))
    writes += _repoint(session, writer, entity, survivor_id, list(other_ids))
    writes += _collapse_memberships(session, writer, entity, survivor_id)
    notes.repoint_private_notes(session, survivor_id=survivor_id, merged_ids=list(other_ids))
    merge_id = records.insert_record(session, writer, MERGE_ENTITY, {
        "record_type": entity, "survivor_id": survivor_id, "merged_ids": list(other_ids),
        "seen": seen})
    # The rows follow the log, as at every other replica that receives this merge.
    materialize(session, {MERGE_ENTITY: {merge_id}})
    # Last: undone first, so the redirects are gone before the references go back.
    writes.append(RecordWrites(MERGE_ENTITY, merge_id, {"deleted": True}, {"deleted": False}))
    count = len(other_ids)
    return Changes(
        frozenset({entity, MERGE_ENTITY, *(w.entity for w in writes)}), survivor_id,
        (survivor_id, *other_ids), UndoStep(ngettext(
            "Merge {count} duplicate: {entity}", "Merge {count} duplicates: {entity}",
            count).format(count=count, entity=entity_label(entity)), tuple(writes)))


def _repoint(session: Session, writer: ChangeWriter, entity: str, survivor_id: str,
             other_ids: list[str]) -> list[RecordWrites]:
    """Every reference to a merged record (deleted records' too) now names the survivor."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for other in other_ids:
        for pointer in references_to(session, entity=entity, record_id=other):
            wanted[(pointer.entity, pointer.record_id)].add(pointer.field)
    merged = set(other_ids)
    writes = []
    logged: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    rows = _rows(session, wanted)
    for (pointing, record_id), names in sorted(wanted.items()):
        row = rows[(pointing, record_id)]
        before, after = {}, {}
        for name in sorted(names):
            value = row[name]
            if isinstance(value, list):
                new = list(dict.fromkeys(survivor_id if v in merged else v for v in value))
            else:
                new = survivor_id if value in merged else value
            if new != value:
                before[name], after[name] = value, new
        if after:
            # Logged only: the rows follow the log when the merge is materialized.
            logged[pointing].append((record_id, after))
            writes.append(RecordWrites(pointing, record_id, before, after))
    for pointing, items in logged.items():
        writer.write_many(pointing, items)
    # Their rows follow the log (memberships are collapsed next, by their rows).
    materialize(session, {pointing: {record_id for record_id, _after in items}
                          for pointing, items in logged.items()})
    return writes


def _rows(session: Session, wanted: Mapping[tuple[str, str], set[str]]
          ) -> dict[tuple[str, str], Any]:
    """The rows of the records pointing at the merged ones, read once per type."""
    ids: dict[str, list[str]] = defaultdict(list)
    for entity, record_id in wanted:
        ids[entity].append(record_id)
    found = {}
    for entity, record_ids in ids.items():
        table = model_for(entity).__table__
        for start in range(0, len(record_ids), 500):
            for row in session.execute(select(table).where(
                    table.c.id.in_(record_ids[start:start + 500]))).mappings():
                found[(entity, row["id"])] = row
    return found


def _collapse_memberships(session: Session, writer: ChangeWriter, entity: str,
                          survivor_id: str) -> list[RecordWrites]:
    """Memberships now there twice (the same cluster and member, both current) become one:
    the one with the smallest id stays, whichever way the merge went, so that two offices
    merging the same pair keep the same one."""
    table = model_for("membership").__table__
    writes = []
    for column in MEMBER_COLUMNS[entity]:
        link = table.c["cluster_id" if entity == "cluster" else column]
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for record_id, cluster_id, member in session.execute(
                select(table.c.id, table.c.cluster_id, table.c[column]).where(
                    link == survivor_id, table.c[column].is_not(None),
                    table.c.deleted.is_(False), table.c.left_on.is_(None))
                .order_by(table.c.id)):
            groups[(cluster_id, member)].append(record_id)
        for duplicates in groups.values():
            for record_id in duplicates[1:]:
                records.write_fields(session, writer, "membership", record_id, {"deleted": True})
                writes.append(RecordWrites("membership", record_id, {"deleted": False},
                                           {"deleted": True}))
    return writes
