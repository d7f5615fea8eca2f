"""Applying changes from other installations: per-field multi-value registers (DESIGN §4).

A field's current writes are those no applied change replaces (``replaced_write`` keeps
the ids even before the replaced write arrives, so a late write stays dead). One current
write is the value; more are a conflict whose provisional winner, the highest
(hlc, installation), is the same on every replica. Changes of one installation apply in
seq order; a change after a gap waits in ``pending_change``, and so does a change to a
record not received here yet (with the rest of its installation's changes after it).
Erasure tombstones win over everything, now and later. Merges of duplicates are applied
here too, as rows are made from the log (sync.redirects): a merged record reads as deleted,
a reference to it as its survivor, and the survivor's fields take in the writes to its
merged records that no merge had seen; the same changes give the same rows in any order.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.errors import BundleError
from euregionet_desktop.i18n import _
from euregionet_desktop.storage import bulk, search
from euregionet_desktop.storage.field_kinds import kind_of
from euregionet_desktop.storage.fields import (
    field_map,
    fields_of,
    model_for,
)
from euregionet_desktop.storage.models import (
    MODEL_BY_ENTITY,
    Change,
    Erasure,
    LocalState,
    PendingChange,
    ReplacedWrite,
)
from euregionet_desktop.storage.rows import row_plan
from euregionet_desktop.sync import clock
from euregionet_desktop.sync import redirects as redirecting
from euregionet_desktop.sync.acks import seen_vector
from euregionet_desktop.sync.erasure import (
    NAMED_IN_DOCUMENTS,
    PERSONAL_DEPENDANTS,
    erase,
    erased_ids,
    names_any,
)
from euregionet_desktop.sync.wire import WireChange, WireErasure

CHANGES = Change.__table__
CHUNK = 500
_SEQ = attrgetter("seq")


@dataclass
class MergeReport:
    applied: int = 0
    known: int = 0
    waiting: int = 0
    dropped: int = 0  # changes for erased records
    erased: int = 0  # new erasures carried out here
    conflicts: int = 0  # fields left with more than one current write
    records: dict[str, int] = field(default_factory=dict)  # entity -> records touched
    touched: set[str] = field(default_factory=set)  # ids of the records touched
    # For counting conflicts among the touched records: those merged from the arrived
    # changes alone (counted as they merged), and those that had a row before.
    fresh_conflicts: int = 0
    existing: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "known": self.known, "waiting": self.waiting,
                "dropped": self.dropped, "erased": self.erased, "conflicts": self.conflicts,
                "records": dict(sorted(self.records.items()))}


# --- erasure ---------------------------------------------------------------------------


def _erase_dependants_of_erased(session: Session, touched: dict[str, set[str]],
                                erased: set[str]) -> int:
    """Records that arrived linked to an already erased person go the way the person went
    (as they would have, had they been here when the erasure came)."""
    if not erased:
        return 0
    count = 0
    for links in PERSONAL_DEPENDANTS.values():
        for entity, link in links:
            ids = sorted(touched.get(entity, ()))
            if not ids:
                continue
            merged = winners(session, ids)
            for record_id in ids:
                person = merged.get(record_id, {}).get(link)
                if person not in erased:
                    continue
                cause = session.get(Erasure, person)
                done = erase(session, WireErasure(record_id, entity, cause.hlc,
                                                  cause.installation_id, cause.reason))
                erased.update(done)
                count += len(done)
                touched[entity].discard(record_id)
    return count + _erase_documents_naming_erased(session, touched, erased)


def _erase_documents_naming_erased(session: Session, touched: dict[str, set[str]],
                                   erased: set[str]) -> int:
    """A generated document that arrives naming an erased person goes too. (One naming
    "everyone" stays: it cannot tell whom it named, and it was not here to be erased.)"""
    entity, link = NAMED_IN_DOCUMENTS
    ids = sorted(touched.get(entity, ()))
    merged = winners(session, ids) if ids else {}
    count = 0
    for record_id in ids:
        named = merged.get(record_id, {}).get(link)
        if not names_any(named, erased, everyone=False):
            continue
        cause = session.get(Erasure, next(p for p in named if p in erased))
        done = erase(session, WireErasure(record_id, entity, cause.hlc,
                                          cause.installation_id, cause.reason))
        erased.update(done)
        count += len(done)
        touched[entity].discard(record_id)
    return count


def _erase_waiting_documents(session: Session, waiting: Sequence[WireChange],
                             erased: set[str]) -> int:
    """A document waiting for an earlier change that names an erased person is erased
    now, so its waiting changes keep only their place and its file is not kept."""
    entity, link = NAMED_IN_DOCUMENTS
    count = 0
    for change in waiting:
        if (change.entity == entity and change.field == link
                and change.record not in erased
                and names_any(change.value, erased, everyone=False)):
            cause = session.get(Erasure, next(p for p in change.value if p in erased))
            done = erase(session, WireErasure(change.record, entity, cause.hlc,
                                              cause.installation_id, cause.reason))
            erased.update(done)
            count += len(done)
    return count


# --- applying changes ------------------------------------------------------------------


def _stored(session: Session, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    found: dict[tuple[str, int], Any] = {}
    by_installation: dict[str, list[int]] = defaultdict(list)
    for installation, seq in keys:
        by_installation[installation].append(seq)
    for installation, seqs in by_installation.items():
        for start in range(0, len(seqs), CHUNK):
            chunk = seqs[start:start + CHUNK]
            for row in session.execute(select(CHANGES).where(
                    CHANGES.c.installation_id == installation,
                    CHANGES.c.seq.in_(chunk))).mappings():
                found[(row["installation_id"], row["seq"])] = row
    return found


def _differs(change: WireChange, where: str) -> BundleError:
    if where == "applied":
        message = _("The bundle contains a change ({installation}, {seq}) that differs from "
                    "the change with the same number already here; nothing was imported.")
    else:
        message = _("The bundle contains a change ({installation}, {seq}) that differs from "
                    "the change with the same number already received; nothing was "
                    "imported.")
    return BundleError(message.format(installation=change.installation, seq=change.seq))


def apply_changes(session: Session, changes: Iterable[WireChange],
                  erasures: Iterable[WireErasure] = ()) -> MergeReport:
    """Merge received changes and erasures into this replica (in the caller's transaction).

    Raises BundleError, changing nothing the caller commits, when a change reuses the id of
    a different change already applied or waiting.
    """
    report = MergeReport()
    heard = 0  # the newest clock reading received
    for tombstone in erasures:
        report.erased += len(erase(session, tombstone))
        heard = max(heard, tombstone.hlc)
    erased = erased_ids(session)
    seen = seen_vector(session)
    pending_rows = session.execute(select(PendingChange.line)).scalars().all()
    candidates = {c.key: c for c in (WireChange.from_wire(orjson.loads(line))
                                     for line in pending_rows)}
    already: list[WireChange] = []
    fresh: list[WireChange] = []
    for change in changes:
        (already if change.seq <= seen.get(change.installation, 0) else fresh).append(change)
    stored = _stored(session, [c.key for c in already])
    for change in already:
        row = stored.get(change.key)
        if row is None or not change.agrees(WireChange.from_row(row)):
            raise _differs(change, "applied")
        report.known += 1
    by_installation: dict[str, list[WireChange]] = defaultdict(list)
    if candidates:  # changes waiting from earlier bundles join the new ones
        for change in fresh:
            earlier = candidates.get(change.key)
            if earlier is not None:
                if not change.agrees(earlier):
                    raise _differs(change, "waiting")
                if earlier.is_emptied:
                    continue
            candidates[change.key] = change
        fresh = list(candidates.values())
    for change in fresh:
        by_installation[change.installation].append(change)
    runs: dict[str, list[WireChange]] = {}  # per installation, the changes ready in order
    waiting: list[WireChange] = []
    for installation, items in by_installation.items():
        items.sort(key=_SEQ)
        expected = seen.get(installation, 0) + 1
        run = runs[installation] = []
        for change in items:
            if change.seq == expected:
                run.append(change)
                expected += 1
            else:
                waiting.append(change)
    waiting.extend(_hold_for_unseen_records(session, runs, erased))
    ready = [change for run in runs.values() for change in run]
    for installation, run in runs.items():
        if run:
            seen[installation] = run[-1].seq
    _store(session, ready, erased, report)
    report.erased += _erase_waiting_documents(session, waiting, erased)
    # What waits now: exactly the changes that still have a gap or an unseen record before
    # them (of an erased record, only their place).
    session.execute(delete(PendingChange.__table__))
    if waiting:
        session.execute(insert(PendingChange.__table__), [
            {"installation_id": c.installation, "seq": c.seq,
             "line": (c.emptied() if c.record in erased else c).line().decode()}
            for c in waiting])
    report.waiting = len(waiting)
    report.applied = len(ready)
    _save_seen(session, seen)
    state = session.get(LocalState, 1)
    if state is not None:
        # This installation's own changes coming back beyond its counter (a profile
        # restored from a backup): take them as its own, never number a change twice.
        state.last_seq = max(state.last_seq, seen.get(state.installation_id, 0))
        heard = max([heard, *(c.hlc for c in ready)])
        if heard:
            state.last_hlc = clock.receive(state.last_hlc, heard)
    return report


@cache
def _not_null_fields(entity: str) -> frozenset[str]:
    """The fields without which a row of the entity cannot be made."""
    columns = model_for(entity).__table__.c
    return frozenset(f.name for f in fields_of(entity) if not columns[f.name].nullable)


def _hold_for_unseen_records(session: Session, runs: dict[str, list[WireChange]],
                             erased: set[str]) -> list[WireChange]:
    """Changes to records not here whose fields the ready changes do not complete wait,
    like a gap, for the changes that made the record (a partner's bundle may reach a
    laptop of an office that has not received them yet); so does everything after them
    from the same installation, which keeps each installation's changes applied in order.
    ``runs`` is cut in place; returns the changes taken out."""
    held: list[WireChange] = []
    while True:
        fields: dict[str, tuple[str, set[str]]] = {}
        for run in runs.values():
            for change in run:  # as lean as can be: every change of an import passes here
                held_fields = fields.get(change.record)
                if held_fields is None:
                    fields[change.record] = held_fields = (change.entity, set())
                held_fields[1].add(change.field)
        lacking: dict[str, list[str]] = defaultdict(list)
        for record_id, (entity, names) in fields.items():
            if (entity in MODEL_BY_ENTITY and record_id not in erased
                    and not _not_null_fields(entity) <= names):
                lacking[entity].append(record_id)
        unseen: set[str] = set()
        for entity, ids in lacking.items():
            table = model_for(entity).__table__
            ids.sort()
            found: set[str] = set()
            for start in range(0, len(ids), CHUNK):
                found.update(session.execute(select(table.c.id).where(
                    table.c.id.in_(ids[start:start + CHUNK]))).scalars())
            unseen.update(i for i in ids if i not in found)
        if not unseen:
            return held
        for installation, run in runs.items():
            cut = next((n for n, c in enumerate(run) if c.record in unseen), None)
            if cut is not None:
                held.extend(run[cut:])
                runs[installation] = run[:cut]


def _store(session: Session, ready: list[WireChange], erased: set[str],
           report: MergeReport) -> None:
    """Log the ready changes and bring the rows they touch up to date; ``erased`` grows
    by the records that went with an erased person."""
    if not ready:
        return
    live = [c for c in ready if c.record not in erased and not c.is_emptied]
    report.dropped += len(ready) - len(live)
    # A change replaces the writes it lists to its own field (a delete lists the rest of
    # the record too: what it saw, not what it replaces; see sync.changelog).
    listed = {(pair, c.field) for c in live for pair in c.replaces}
    replaced = {pair for pair, _field in listed}
    # A change is current unless a change applied now or earlier replaces it.
    dead = ({c.key for c in ready if (c.key, c.field) in listed} if listed else set()
            ) | _already_replaced(session, ready)
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        # A generator: the rows go to SQLite one by one, never 100k of them held at once.
        cursor.executemany(_INSERT_CHANGE, (
            c.as_tuple(erased=c.record in erased, current=c.key not in dead) for c in ready))
        if replaced:
            cursor.executemany(
                "INSERT OR IGNORE INTO replaced_write (installation_id, seq) VALUES (?, ?)",
                sorted(replaced))
            # Writes applied before, now replaced: no longer current.
            cursor.executemany(
                "UPDATE change_log SET current = 0 WHERE installation_id = ? AND seq = ? "
                "AND field = ? AND current = 1", sorted((i, s, f) for (i, s), f in listed))
    finally:
        cursor.close()
    touched: dict[str, set[str]] = defaultdict(set)
    for change in live:
        touched[change.entity].add(change.record)
    report.erased += _erase_dependants_of_erased(session, touched, erased)
    materialize(session, touched, erased, arrived=live, report=report)
    for entity, ids in touched.items():
        if ids:
            report.records[entity] = report.records.get(entity, 0) + len(ids)
            report.touched.update(ids)


_INSERT_CHANGE = (
    "INSERT INTO change_log (installation_id, seq, hlc, author_id, entity, record_id, "
    "field, value, replaces, current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _already_replaced(session: Session, changes: Sequence[WireChange]) -> set[tuple[str, int]]:
    """Which of these changes an earlier-applied change already replaced (dead on
    arrival: the replacing write came first)."""
    spans: dict[str, list[int]] = {}
    for change in changes:  # 100k of them: no list made per change
        span = spans.get(change.installation)
        if span is None:
            spans[change.installation] = [change.seq, change.seq]
        elif change.seq < span[0]:
            span[0] = change.seq
        elif change.seq > span[1]:
            span[1] = change.seq
    found: set[tuple[str, int]] = set()
    for installation, (low, high) in spans.items():
        found.update((i, s) for i, s in session.execute(
            select(ReplacedWrite.installation_id, ReplacedWrite.seq).where(
                ReplacedWrite.installation_id == installation,
                ReplacedWrite.seq.between(low, high))))
    if not found:
        return found
    # An edit listed only by a delete (which saw it) is not replaced: only a write to the
    # same field replaces it.
    for change in changes:
        if change.key in found and change.field != "deleted" and not session.execute(text(
                "SELECT 1 FROM change_log AS r, json_each(r.replaces) AS p "
                "WHERE r.record_id = :record AND r.field = :field "
                "AND json_extract(p.value, '$[0]') = :installation "
                "AND json_extract(p.value, '$[1]') = :seq LIMIT 1"),
                {"record": change.record, "field": change.field,
                 "installation": change.installation, "seq": change.seq}).first():
            found.discard(change.key)
    return found


def _save_seen(session: Session, seen: Mapping[str, int]) -> None:
    state = session.get(LocalState, 1)
    own = state.installation_id if state is not None else None
    rows = [{"installation_id": i, "seq": s} for i, s in seen.items() if i != own]
    if rows:
        session.execute(text(
            "INSERT INTO seen_seq (installation_id, seq) VALUES (:installation_id, :seq) "
            "ON CONFLICT(installation_id) DO UPDATE SET seq = max(seq, excluded.seq)"), rows)


# --- the rows follow the merged fields -------------------------------------------------


def winners(session: Session, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per record, the value of each field: its current write with the highest
    (hlc, installation) — the provisional winner every replica agrees on."""
    best: dict[tuple[str, str], tuple[int, str, str]] = {}
    for start in range(0, len(record_ids), CHUNK):
        chunk = list(record_ids[start:start + CHUNK])
        for record_id, name, value, hlc, installation in session.execute(
                select(CHANGES.c.record_id, CHANGES.c.field, CHANGES.c.value, CHANGES.c.hlc,
                       CHANGES.c.installation_id)
                .where(CHANGES.c.current.is_(True), CHANGES.c.record_id.in_(chunk))):
            key = (record_id, name)
            if key not in best or (hlc, installation) > best[key][:2]:
                best[key] = (hlc, installation, value)
    result: dict[str, dict[str, Any]] = defaultdict(dict)
    for (record_id, name), (_hlc, _installation, value) in best.items():
        result[record_id][name] = orjson.loads(value)
    return result


def _first_hlc(session: Session, record_ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(record_ids), CHUNK):
        chunk = list(record_ids[start:start + CHUNK])
        found.update(session.execute(
            select(CHANGES.c.record_id, text("min(hlc)")).where(CHANGES.c.record_id.in_(chunk))
            .group_by(CHANGES.c.record_id)).all())
    return found


@cache
def _person_references(entity: str) -> tuple[tuple[str, FieldKind], ...]:
    """(field, kind) of the entity's references to records that can be erased."""
    return tuple((f.name, f.kind) for f in fields_of(entity)
                 if f.ref in PERSONAL_DEPENDANTS and f.kind.is_reference)


def read_as(entity: str, name: str, value: Any, erased: Container[str]) -> Any:
    """A field's value (JSON form) as it reads here: a reference to an erased person is
    empty, a list of references lacks them."""
    values = {name: value}
    _without_erased(entity, values, erased)
    return values[name]


def _without_erased(entity: str, values: dict[str, Any], erased: Container[str]) -> None:
    """References to erased people read as empty, as the erasure left them where it
    found them (a reference written elsewhere may arrive after the erasure)."""
    for name, kind in _person_references(entity):
        value = values.get(name)
        if value is None:
            continue
        if not kind.is_list:
            if value in erased:
                values[name] = None
        elif any(v in erased for v in value):
            values[name] = [v for v in value if v not in erased]


def _merged_in_memory(changes: Iterable[WireChange], record_ids: set[str]
                      ) -> tuple[dict[str, dict[str, Any]], dict[str, int], int]:
    """Winners, first clock reading and fields in conflict of records whose every change
    arrived just now (no row here yet): the rules of ``winners`` and of
    ``services.conflicts.conflicts`` (current writes with different values, or a winning
    delete that did not see a current edit), without reading the log back."""
    best: dict[tuple[str, str], WireChange] = {}
    listed: set[tuple[tuple[str, int], str]] = set()  # (write, field of the lister)
    born: dict[str, int] = {}
    mine = [c for c in changes if c.record in record_ids]  # changes of one entity
    for change in mine:
        if change.replaces:
            listed.update((pair, change.field) for pair in change.replaces)
        if change.record not in born or change.hlc < born[change.record]:
            born[change.record] = change.hlc
    disagreeing: set[tuple[str, str]] = set()
    edits: dict[str, set[tuple[str, int]]] = defaultdict(set)  # current writes, other fields
    seen: dict[str, set[tuple[str, int]]] = defaultdict(set)  # what current deletes saw
    for change in mine:
        if listed and (change.key, change.field) in listed:
            continue
        key = (change.record, change.field)
        held = best.get(key)
        if held is not None and held.value != change.value:
            disagreeing.add(key)
        if held is None or (change.hlc, change.installation) > (held.hlc, held.installation):
            best[key] = change
        if change.field == "deleted":
            if change.value is True:
                seen[change.record].update(change.replaces)
        elif change.field != "":
            edits[change.record].add(change.key)
    merged: dict[str, dict[str, Any]] = defaultdict(dict)
    conflicts = len(disagreeing)
    for (record_id, name), change in best.items():
        merged[record_id][name] = change.value
        if (name == "deleted" and change.value is True and (record_id, name) not in disagreeing
                and edits[record_id] - seen[record_id]):
            conflicts += 1
    return merged, born, conflicts

def materialize(session: Session, touched: Mapping[str, set[str]],
                erased: set[str] | None = None, *,
                arrived: Sequence[WireChange] = (),
                report: MergeReport | None = None) -> None:
    """Write each touched record's row from its merged fields, and its search row.

    ``arrived``: the changes just applied; records with no row yet are merged from them
    (all their changes are among them), the others from the log. With merges, the
    survivors of touched merged records and, for a touched merge record, its groups and
    every record pointing at them are made again too (``_with_redirected``).
    """
    if erased is None:
        erased = erased_ids(session)
    if redirecting.MERGE_ENTITY in touched:
        redirecting.forget(session)
    found = redirecting.redirects(session)
    merging = redirecting.MERGE_ENTITY in touched
    if found or merging:
        touched = _with_redirected(session, touched, found, erased)
    by_entity: dict[str, list[WireChange]] = defaultdict(list)
    for change in arrived:
        by_entity[change.entity].append(change)
    for entity, id_set in touched.items():
        if entity not in MODEL_BY_ENTITY or not id_set:
            continue
        ids = sorted(id_set)
        table = model_for(entity).__table__
        kinds = field_map(entity)
        converted = _json_converters(entity)
        plan = row_plan(entity)
        existing: set[str] = set()
        for start in range(0, len(ids), CHUNK):
            existing.update(session.execute(select(table.c.id).where(
                table.c.id.in_(ids[start:start + CHUNK]))).scalars())
        fresh = {i for i in ids if i not in existing}
        if arrived and fresh:
            merged, born, conflicts = _merged_in_memory(by_entity.get(entity, ()), fresh)
            merged.update(winners(session, sorted(existing)))
            if report is not None:
                report.fresh_conflicts += conflicts
                report.existing.update(existing)
        else:
            merged = winners(session, ids)
            born = _first_hlc(session, sorted(fresh))
            if report is not None:
                report.existing.update(ids)
        new_rows, updates = [], []
        for record_id in ids:
            values = merged.get(record_id, {})
            if record_id not in existing and not values:
                continue  # named by a merge, its changes not here yet
            if found:
                if record_id in found.members:
                    values = redirecting.pooled(session, record_id, found)
                redirecting.redirect_values(entity, values, found)
            if entity in redirecting.MERGEABLE and (found or merging):
                # A field a merged record's write filled may have no write of its own
                # once the merge is undone: empty, as where it was never merged.
                values = {**dict.fromkeys(kinds), **values}
            if erased:
                _without_erased(entity, values, erased)
            row = {name: value for name, value in values.items() if name in kinds}
            for name, convert in converted:
                if row.get(name) is not None:
                    row[name] = convert(row[name])
            row["deleted"] = (bool(values.get("deleted", False))
                              or record_id in found.survivor)
            if record_id in existing:
                row.update(plan.sort_columns(row))
                updates.append((record_id, row))
            else:
                new_rows.append(plan.new_row(record_id, row,
                                             created_at=_iso(born.get(record_id, 0))))
        if new_rows:
            try:
                bulk.insert_rows(session, table, new_rows)
            except (OperationalError, sqlite3.OperationalError):
                raise  # a full disk or a drive gone: not the bundle's fault
            except Exception as error:  # a NOT NULL field no change carried
                raise BundleError(_(
                    "A {entity} record in the bundle is incomplete (a required field has no "
                    "value); nothing was imported.").format(entity=entity)) from error
            search.index_new(session, entity, new_rows)
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for record_id, row in updates:
            groups[tuple(sorted(row))].append({**row, "_id": record_id})
        for names, rows in groups.items():
            statement = update(table).where(table.c.id == bindparam("b_id")).values(
                {name: bindparam(f"b_{name}") for name in names})
            session.execute(statement, [{f"b_{k}" if k != "_id" else "b_id": v
                                         for k, v in row.items()} for row in rows])
        changed = [record_id for record_id, _row in updates]
        for start in range(0, len(changed), CHUNK):
            search.reindex(session, entity, changed[start:start + CHUNK])


def _with_redirected(session: Session, touched: Mapping[str, set[str]],
                     found: redirecting.Redirects, erased: set[str]) -> dict[str, set[str]]:
    """The records to materialize besides ``touched``: the survivor of each touched merged
    record (its writes land there) and, for touched merge records (a merge arrived or was
    undone), every record of their groups and every record pointing at one of them. A
    contact group with an erased member is erased whole (the same person)."""
    result = {entity: set(ids) for entity, ids in touched.items()}
    for entity in redirecting.MERGEABLE & set(result):
        result[entity].update([found.survivor[i] for i in result[entity] if i in found.survivor])
    merges = sorted(result.get(redirecting.MERGE_ENTITY, ()))
    if not merges:
        return result
    named: dict[str, str] = {}  # id -> its type, as the merge records name them
    for values in winners(session, merges).values():
        if values.get("record_type") in redirecting.MERGEABLE:
            for record_id in [values.get("survivor_id"), *(values.get("merged_ids") or [])]:
                if isinstance(record_id, str):
                    named[record_id] = values["record_type"]
    affected = set(named)
    for record_id in named:
        affected |= found.group(record_id)
    _erase_erased_groups(session, set(named), erased)
    for record_id in affected - erased:
        entity = found.entity.get(record_id, named.get(record_id))
        if entity is not None:
            result.setdefault(entity, set()).add(record_id)
    for entity, ids in redirecting.referencing(session, affected).items():
        result.setdefault(entity, set()).update(ids)
    return {entity: ids - erased for entity, ids in result.items()}


def _erase_erased_groups(session: Session, ids: set[str], erased: set[str]) -> None:
    """Erasure wins over a merge: a contact merged with an erased one (by any merge ever,
    sync.redirects) is the same person and goes the way it went (with the erasure's own
    clock reading and reason)."""
    if not ids & erased:
        return
    found = redirecting.compute(session, undone_too=True)
    for record_id in sorted(ids):
        if found.entity.get(record_id) != "contact" or record_id not in erased:
            continue
        cause = session.get(Erasure, record_id)
        for other in sorted(found.group(record_id) - erased):
            erased.update(erase(session, WireErasure(other, "contact", cause.hlc,
                                                     cause.installation_id, cause.reason)))


@cache
def _json_converters(entity: str) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """(field, its kind's ``from_json``) for the fields whose stored value differs from the
    JSON form a change carries (dates, amounts); the others are stored as they arrive."""
    return tuple((spec.name, kind_of(spec.kind).from_json) for spec in fields_of(entity)
                 if kind_of(spec.kind).json_differs)


def _iso(hlc: int) -> str:
    return dt.datetime.fromtimestamp(clock.wall_time_ms(hlc) / 1000, dt.UTC).isoformat(
        timespec="seconds")
