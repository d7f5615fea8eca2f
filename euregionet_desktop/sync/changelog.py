"""The change log: every field write of this installation, numbered and clocked.

Each user action runs in one transaction and gets one hybrid-logical-clock timestamp;
each field it writes becomes one change ``(installation, seq)`` that replaces the writes
to that field the editor saw (the field's current writes). Nothing may write a synced
field without going through here: sync, undo and field history are built on it.

A delete (``deleted`` set to true) lists more than it replaces: besides the ``deleted``
writes it replaces, the current write of every other field of the record, i.e. what it
saw of the whole record. A change replaces only the listed writes to its own field, so
the other ids only say what the delete saw: an edit it does not list was made without
the deleting office knowing it, whatever the clocks say (services.conflicts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ErasedRecordError, ProfileError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.storage.fields import field_map
from euregionet_desktop.storage.models import Change, LocalState, ReplacedWrite
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.erasure import erased_in, erased_records
from euregionet_desktop.sync.redirects import MERGE_ENTITY, forget, redirects

CHANGE_TABLE = Change.__table__
_STATE = LocalState.__table__


def dumps(value: Any) -> str:
    """Canonical JSON for a change value (sorted keys, no whitespace)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


# Where a session keeps its transaction's writer (see ``ChangeWriter.for_session``).
_WRITER = "euregionet.change_writer"


@dataclass
class ChangeWriter:
    """Appends this transaction's writes to the change log with one clock reading."""

    session: Session
    installation_id: str
    author_id: str | None
    hlc: int
    next_seq: int

    @classmethod
    def for_session(cls, session: Session) -> ChangeWriter:
        """The writer of the session's current transaction, made on first use.

        Every record one user action touches (a consultation and its follow-up tasks, a
        delete and its cascade) is written by this one writer: one clock value for the
        action and seqs that follow each other. A new transaction (after a commit or a
        rollback) gets a new writer that reads the clock and counter afresh.
        """
        held = session.info.get(_WRITER)
        if held is not None and held[0] is session.get_transaction():
            return held[1]
        row = session.execute(
            select(_STATE.c.installation_id, _STATE.c.advisor_id, _STATE.c.last_seq,
                   _STATE.c.last_hlc).where(_STATE.c.id == 1)
        ).one_or_none()
        if row is None:
            raise ProfileError(
                _("This profile has not been set up yet. Run “euregionet init --office CODE” "
                  "or start the app to choose your office.")
            )
        writer = cls(session, row.installation_id, row.advisor_id,
                     clock.tick(row.last_hlc), row.last_seq + 1)
        # Keyed by the transaction object itself (kept alive here, so never mistaken for a
        # later one): no event hooks needed to forget the writer when the transaction ends.
        session.info[_WRITER] = (session.get_transaction(), writer)
        return writer

    def write(self, entity: str, record_id: str, values: Mapping[str, Any]) -> None:
        """Log field writes of one record; each replaces the field's current writes."""
        if not values:
            return
        self.refuse_erased(entity, record_id, values)
        self.refuse_merged(entity, record_id, values)
        table = CHANGE_TABLE
        current = self.session.execute(
            select(table.c.field, table.c.installation_id, table.c.seq).where(
                table.c.record_id == record_id, table.c.field.in_(list(values)),
                table.c.current.is_(True))
        ).all()
        replaced: dict[str, list[list[Any]]] = {}
        for field_name, installation_id, seq in current:
            replaced.setdefault(field_name, []).append([installation_id, seq])
        if values.get("deleted") is True:
            # What the delete saw of the rest of the record (not replaced: listed only).
            replaced.setdefault("deleted", []).extend(
                [installation_id, seq] for installation_id, seq in self.session.execute(
                    select(table.c.installation_id, table.c.seq).where(
                        table.c.record_id == record_id, table.c.current.is_(True),
                        table.c.field.not_in([*values, ""]))))
        if current:
            self.session.execute(
                update(table)
                .where(tuple_(table.c.installation_id, table.c.seq).in_(
                    [(i, s) for _f, i, s in current]))
                .values(current=False)
            )
            self.session.execute(
                insert(ReplacedWrite.__table__).prefix_with("OR IGNORE"),
                [{"installation_id": i, "seq": s} for _f, i, s in current])
        rows = []
        for field_name, value in values.items():
            rows.append(self._row(entity, record_id, field_name, value,
                                  sorted(replaced.get(field_name, []))))
        self.session.execute(table.insert(), rows)
        self._save_state()

    def write_many(self, entity: str, records: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Log field writes of many existing records at once (a merge re-pointing 500
        references): each replaces its field's current writes, as ``write`` does, with one
        query of each kind instead of one per record. Not for deletes (``write`` lists what
        a delete saw)."""
        items = [(record_id, values) for record_id, values in records if values]
        if not items:
            return
        for record_id, values in items:
            if "deleted" in values:
                raise ValueError("write_many does not log deletes")
            self.refuse_erased(entity, record_id, values)
            self.refuse_merged(entity, record_id, values)
        table = CHANGE_TABLE
        wanted = {(record_id, name) for record_id, values in items for name in values}
        ids = sorted({record_id for record_id, _values in items})
        current = []
        for start in range(0, len(ids), 500):
            current += [row for row in self.session.execute(
                select(table.c.record_id, table.c.field, table.c.installation_id, table.c.seq)
                .where(table.c.record_id.in_(ids[start:start + 500]),
                       table.c.current.is_(True))).all()
                if (row.record_id, row.field) in wanted]
        replaced: dict[tuple[str, str], list[list[Any]]] = {}
        for record_id, name, installation_id, seq in current:
            replaced.setdefault((record_id, name), []).append([installation_id, seq])
        pairs = sorted({(i, s) for _r, _f, i, s in current})
        for start in range(0, len(pairs), 500):
            chunk = pairs[start:start + 500]
            self.session.execute(update(table).where(
                tuple_(table.c.installation_id, table.c.seq).in_(chunk)).values(current=False))
            self.session.execute(
                insert(ReplacedWrite.__table__).prefix_with("OR IGNORE"),
                [{"installation_id": i, "seq": s} for i, s in chunk])
        self.session.execute(table.insert(), [
            self._row(entity, record_id, name, value, sorted(replaced.get((record_id, name), [])))
            for record_id, values in items for name, value in values.items()])
        self._save_state()

    def write_new(self, entity: str, records: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
        """Log the fields of newly created records in bulk (no earlier writes to replace)."""
        if erased_records(self.session) or redirects(self.session):
            records = list(records)
            for record_id, values in records:
                self.refuse_erased(entity, record_id, values)
                self.refuse_merged(entity, record_id, values)
        rows = [
            self._row(entity, record_id, field_name, value, [])
            for record_id, values in records
            for field_name, value in values.items()
        ]
        if rows:
            self.session.execute(CHANGE_TABLE.insert(), rows)
            self._save_state()
        return len(rows)

    def refuse_erased(self, entity: str, record_id: str, values: Mapping[str, Any]) -> None:
        """Refuse a write to an erased record, or one whose value is or holds (a list of
        references) an erased record's id: ErasedRecordError, before it is logged (the
        action's transaction is then rolled back, nothing of it kept).

        Whoever writes (an edit, undo, redo, a resolved conflict, an import), the id would
        be back at this office only: the others empty references to erased records as
        they merge, so the offices would differ for good.
        """
        erased = erased_records(self.session)
        if not erased:  # the usual case: no erasure ever, nothing to look at
            return
        found = erased_in(record_id, values, erased)
        if found is None:
            return
        erased_id, name = found
        if name is None:
            message = _("This record has been erased for good; it cannot be changed or "
                        "brought back.")
        else:
            spec = field_map(entity).get(name)
            message = _("{field}: the record it names has been erased for good and cannot "
                        "be named again.").format(field=_(spec.label) if spec else name)
        raise ErasedRecordError(message, record_id=erased_id,
                                erased_entity=erased[erased_id], field=name, entity=entity)

    def refuse_merged(self, entity: str, record_id: str, values: Mapping[str, Any]) -> None:
        """Refuse a write to a record merged into another, or one naming it: a
        ValidationError, nothing logged. (Changes that arrive for it are redirected as
        they merge, sync.redirects; here the person is told to use the record kept.)
        A merge record written forgets the transaction's redirects."""
        if entity == MERGE_ENTITY:
            forget(self.session)
            return
        found = redirects(self.session)
        if not found:
            return
        if record_id in found.survivor:
            raise ValidationError(_("This record has been merged into another one; change "
                                    "the record it was merged into instead."), entity=entity)
        for name, value in values.items():
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, str) and item in found.survivor:
                    spec = field_map(entity).get(name)
                    raise ValidationError(_(
                        "{field}: the record it names has been merged into another one; "
                        "choose the record it was merged into.").format(
                        field=_(spec.label) if spec else name), field=name, entity=entity)

    def _row(self, entity: str, record_id: str, field_name: str, value: Any,
             replaces: list[list[Any]]) -> dict[str, Any]:
        row = {
            "installation_id": self.installation_id,
            "seq": self.next_seq,
            "hlc": self.hlc,
            "author_id": self.author_id,
            "entity": entity,
            "record_id": record_id,
            "field": field_name,
            "value": dumps(value),
            "replaces": dumps(replaces),
            "current": True,
        }
        self.next_seq += 1
        return row

    def _save_state(self) -> None:
        self.session.execute(
            update(_STATE).where(_STATE.c.id == 1)
            # max(): what else moved the counters in this transaction (an import hearing
            # a later clock) is never taken back by this writer's earlier reading.
            .values(last_seq=func.max(_STATE.c.last_seq, self.next_seq - 1),
                    last_hlc=func.max(_STATE.c.last_hlc, self.hlc))
        )


def field_history(session: Session, record_id: str) -> list[Any]:
    """Every logged write to a record, oldest first (hlc, then installation and seq)."""
    table = CHANGE_TABLE
    return list(session.execute(
        select(table).where(table.c.record_id == record_id)
        .order_by(table.c.hlc, table.c.installation_id, table.c.seq)
    ).mappings())


def current_writes(session: Session, record_id: str) -> dict[str, list[Any]]:
    """The current writes per field of a record (more than one = a conflict)."""
    table = CHANGE_TABLE
    result: dict[str, list[Any]] = {}
    for row in session.execute(
        select(table).where(table.c.record_id == record_id, table.c.current.is_(True))
        .order_by(table.c.hlc.desc(), table.c.installation_id.desc())
    ).mappings():
        result.setdefault(row["field"], []).append(row)
    return result
