"""Carrying out an erasure on this replica: the person and the records that go with them
removed, their changes kept only as places in the sequence, references to them emptied.
Erasure tombstones win over everything, now and later."""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from euregionet_desktop.storage import search
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import Change, Erasure, PendingChange, PrivateNote
from euregionet_desktop.sync.redirects import MERGEABLE, compute
from euregionet_desktop.sync.wire import WireChange, WireErasure

CHANGES = Change.__table__

# Records that hold a person's data on their own and go with the person, with the field
# that links them to the person.
PERSONAL_DEPENDANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (("membership", "contact_id"), ("participant", "contact_id"),
                ("attachment", "linked_id"), ("note", "linked_id")),
}
# References to a person kept by other records: emptied, as every replica does.
PERSON_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (("task", "contact_id"),),
}
PERSON_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "contact": (("consultation", "contact_ids"), ("duplicate_decision", "contact_ids")),
}
# Generated documents list the people they name (contact and participant ids); a document
# goes when any of them is erased. EVERYONE stands for more people than the list holds.
NAMED_IN_DOCUMENTS = ("attachment", "person_ids")
NAMED_ENTITIES = frozenset({"contact", "participant"})
EVERYONE = "*"


def erased_ids(session: Session) -> set[str]:
    return set(session.execute(select(Erasure.record_id)).scalars())


# Where a session keeps its transaction's erased records (see ``erased_records``).
_ERASED = "euregionet.erased_records"


def erased_records(session: Session) -> Mapping[str, str]:
    """Erased record id -> its entity, read once per transaction (every write checks it;
    usually there is none and the check costs nothing). An erasure carried out in the
    transaction makes the next call read afresh."""
    held = session.info.get(_ERASED)
    transaction = session.get_transaction()
    if held is not None and held[0] is transaction:
        return held[1]
    found: dict[str, str] = dict(
        session.execute(select(Erasure.record_id, Erasure.entity)).all())
    session.info[_ERASED] = (transaction, found)
    return found


def erased_in(record_id: str, values: Mapping[str, Any], erased: Container[str]
              ) -> tuple[str, str | None] | None:
    """What erased record a write of ``values`` to ``record_id`` would change or name:
    (the erased id, the field naming it, or None when the record itself is erased); None
    for a write that needs no erased record. A value names a record when it is its id or a
    list holding it (a list of references)."""
    if record_id in erased:
        return record_id, None
    for name, value in values.items():
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, str) and item in erased:
                return item, name
    return None


def erase(session: Session, tombstone: WireErasure) -> list[str]:
    """Carry out an erasure (and of the records that go with it); returns the ids erased.

    The rows go, their change log entries and waiting changes keep only their place in
    the sequence, search rows are removed. Already-erased ids are skipped.
    """
    if session.get(Erasure, tombstone.record) is not None:
        return []
    session.info.pop(_ERASED, None)
    # Contacts merged with this one are the same person: they go too (sync.redirects).
    persons = [tombstone.record]
    if tombstone.entity in MERGEABLE:
        persons += sorted(compute(session, undone_too=True).group(tombstone.record)
                          - {tombstone.record})
    targets = [(tombstone.entity, person) for person in persons]
    for entity, link in PERSONAL_DEPENDANTS.get(tombstone.entity, ()):
        table = model_for(entity).__table__
        targets += [(entity, i) for i in session.execute(
            select(table.c.id).where(table.c[link].in_(persons)).order_by(table.c.id)).scalars()]
    if tombstone.entity in NAMED_ENTITIES:
        people = {i for entity, i in targets if entity in NAMED_ENTITIES}
        known = {i for _entity, i in targets}
        targets += [(NAMED_IN_DOCUMENTS[0], i) for i in documents_naming(session, people)
                    if i not in known]
    done = []
    for entity, record_id in targets:
        if session.get(Erasure, record_id) is not None:
            continue
        session.execute(insert(Erasure.__table__).values(
            record_id=record_id, entity=entity, hlc=tombstone.hlc,
            installation_id=tombstone.installation, reason=tombstone.reason))
        table = model_for(entity).__table__
        rowid = session.execute(select(text("rowid")).select_from(table)
                                .where(table.c.id == record_id)).scalar()
        if rowid is not None and entity in search.ENTITY_NUMBERS:
            session.execute(text("DELETE FROM search_index WHERE rowid = :r"),
                            {"r": search.fts_rowid(entity, rowid)})
        session.execute(delete(table).where(table.c.id == record_id))
        session.execute(update(CHANGES).where(CHANGES.c.record_id == record_id).values(
            author_id=None, entity="", field="", value="null", replaces="[]", current=False))
        _empty_waiting(session, record_id)
        done.append(record_id)
    _drop_private_notes(session, [*persons, *(i for _entity, i in targets)])
    for entity, link in PERSON_REFERENCES.get(tombstone.entity, ()):
        table = model_for(entity).__table__
        session.execute(update(table).where(table.c[link].in_(persons))
                        .values({link: None}))
    for entity, link in PERSON_LISTS.get(tombstone.entity, ()):
        table = model_for(entity).__table__
        for record_id, values in session.execute(
                select(table.c.id, table.c[link]).where(table.c[link].is_not(None))).all():
            if set(persons).intersection(values or []):
                session.execute(update(table).where(table.c.id == record_id).values(
                    {link: [v for v in values if v not in persons]}))
    return done


def _drop_private_notes(session: Session, record_ids: list[str]) -> None:
    """This installation's private notes on the erased records go with them (each replica
    drops its own when the tombstone arrives; a backup's when it is scrubbed)."""
    table = PrivateNote.__table__
    for start in range(0, len(record_ids), 500):
        note_ids = list(session.execute(select(table.c.id).where(
            table.c.linked_id.in_(record_ids[start:start + 500]))).scalars())
        if note_ids:
            search.unindex(session, "private_note", note_ids)
            session.execute(delete(table).where(table.c.id.in_(note_ids)))


def names_any(person_ids: object, people: set[str], *, everyone: bool = True) -> bool:
    """Whether a document's list of the people it names holds one of ``people``
    (``everyone``: a document naming EVERYONE names them too)."""
    if not isinstance(person_ids, list):
        return False
    return (everyone and EVERYONE in person_ids) or not people.isdisjoint(person_ids)


def documents_naming(session: Session, people: set[str]) -> list[str]:
    """The ids of the generated documents (also deleted ones) that name any of ``people``."""
    if not people:
        return []
    entity, link = NAMED_IN_DOCUMENTS
    table = model_for(entity).__table__
    return sorted(record_id for record_id, named in session.execute(
        select(table.c.id, table.c[link]).where(table.c[link].is_not(None)))
        if names_any(named, people))


def _empty_waiting(session: Session, record_id: str) -> None:
    """Waiting changes of an erased record keep their place (dropping them would leave a
    gap that holds back every later change of their writer) but nothing else."""
    pending = PendingChange.__table__
    for installation, seq, line in session.execute(
            select(pending.c.installation_id, pending.c.seq, pending.c.line)
            .where(pending.c.line.like(f'%"r":"{record_id}"%'))).all():
        change = WireChange.from_wire(orjson.loads(line))
        if change.record == record_id and not change.is_emptied:
            session.execute(update(pending).where(
                pending.c.installation_id == installation, pending.c.seq == seq)
                .values(line=change.emptied().line().decode()))
