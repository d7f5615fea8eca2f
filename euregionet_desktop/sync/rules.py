"""What a partner may change, checked against this replica before anything of a bundle is
applied (DESIGN §4). A bundle comes from a trusted key, but a partner's app may be buggy or
its laptop compromised: what it may do is a rule, not an accident of the merge.

- It may erase persons only (wire.ERASABLE: contact persons and participants), with the
  records that go with an erased person (a membership or an attachment of that person,
  a generated document naming them or made before documents recorded whom they name),
  and an erasure must name the kind the record really is here and in the bundle: an
  erasure of "a contact" whose id is an office, an installation or an advisor would
  otherwise remove that record's history (and the receiving office's own identity).
- It may not change another installation's record (wire refuses that line by line), nor
  move an installation to another office: the office is what a trusted key is pinned to.
  The one change to another installation's record it may carry is a retirement (deleted)
  of an installation of the writer's own office: a restored profile continues as a new
  installation and retires the one it replaced (services.rejoin).

The checks one line allows on its own (types, 64-bit numbers, kinds of record, who writes
an installation's record) are in ``wire``; these need to know what this replica holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.i18n import _
from euregionet_desktop.storage.models import (
    MODEL_BY_ENTITY,
    Change,
    Erasure,
    Installation,
    Office,
    TrustedKey,
)
from euregionet_desktop.sync.erasure import (
    NAMED_IN_DOCUMENTS,
    PERSONAL_DEPENDANTS,
    erased_ids,
    names_any,
)
from euregionet_desktop.sync.wire import WireChange, WireErasure, place, refuse

CHANGES = Change.__table__
ERASURES_MEMBER = "erasures.jsonl"
# Records erased only with a person, and the field that links them to that person. A
# participant linked to no contact is a person of its own (a name typed in for an event),
# erased on its own; linked to a contact, it goes with that contact.
GO_WITH_A_PERSON = {entity: link for links in PERSONAL_DEPENDANTS.values()
                    for entity, link in links}
PERSONS_OF_THEIR_OWN = frozenset({"participant"})
# Generated documents: they go with every erased person they name (sync.erasure).
GENERATED = frozenset({AttachmentKind.DOCUMENT.value, AttachmentKind.DIRECTORY.value})


def check_changes(session: Session, changes: Sequence[WireChange], member: str) -> None:
    """A member's changes (in line order) keep every installation in its office.

    An office written and corrected before the installation's first bundle (services.
    installation_office) travels as two writes, the second replacing the first: only the
    write that stands is checked, the one it replaces stays dead when applied."""
    replaced = {tuple(r) for c in changes if c.entity == "installation"
                and c.field == "office_id" for r in c.replaces}
    for number, change in enumerate(changes, start=1):
        if change.entity == "installation" and change.field == "office_id":
            if (change.installation, change.seq) not in replaced:
                _check_office_of(session, change, place(member, number))
        elif change.entity == "installation" and change.field == "deleted":
            _check_retirement(session, change, changes, place(member, number))


def _office_of(session: Session, installation: str,
               changes: Sequence[WireChange]) -> str | None:
    """The office of an installation as this replica knows it (its record, the key pinned
    for it) or as the bundle writes it; None when neither says."""
    here = session.get(Installation, installation)
    if here is not None:
        return here.office_id
    pinned = session.get(TrustedKey, installation)
    if pinned is not None:
        return session.execute(select(Office.id).where(
            Office.code == pinned.office_code)).scalar()
    # The last write the bundle makes stands (an earlier one was corrected before it left).
    return next((c.value for c in reversed(changes) if c.record == installation
                 and c.entity == "installation" and c.field == "office_id"), None)


def _check_retirement(session: Session, change: WireChange,
                      changes: Sequence[WireChange], where: str) -> None:
    """An installation retires only one of its own office (the one a restore replaced)."""
    if change.record == change.installation:
        return
    retired = _office_of(session, change.record, changes)
    retiring = _office_of(session, change.installation, changes)
    if retired is not None and retiring is not None and retired != retiring:
        raise refuse(_("{member} retires the installation {installation} of another "
                       "office; an installation retires only one of its own office.").format(
            member=where, installation=change.record))


def _check_office_of(session: Session, change: WireChange, where: str) -> None:
    installation = change.record
    here = session.get(Installation, installation)
    pinned = session.get(TrustedKey, installation)
    pinned_office = None
    if pinned is not None:
        pinned_office = session.execute(select(Office.id).where(
            Office.code == pinned.office_code)).scalar()
    if (here is not None and here.office_id != change.value) or (
            pinned_office is not None and pinned_office != change.value):
        raise refuse(_("{member} moves the installation {installation} to another office; "
                       "an installation's office never changes.").format(
            member=where, installation=installation))


def check_erasures(session: Session, erasures: Sequence[WireErasure],
                   changes: Iterable[WireChange]) -> None:
    """Each erasure names a person by the kind of record it is, here and in the bundle."""
    if not erasures:
        return
    named = {erasure.record: erasure.entity for erasure in erasures}
    in_bundle: dict[str, str] = {}
    links: dict[str, set[str]] = {}  # a dependant's persons, as the bundle writes them
    for change in changes:
        if change.record not in named or change.entity == "":
            continue
        if change.entity != named[change.record]:
            in_bundle.setdefault(change.record, change.entity)
        found = links.setdefault(change.record, set())
        if change.field == GO_WITH_A_PERSON.get(change.entity) and change.value:
            found.add(change.value)
    persons = erased_ids(session) | {e.record for e in erasures
                                     if e.entity not in GO_WITH_A_PERSON}
    for number, erasure in enumerate(erasures, start=1):
        if session.get(Erasure, erasure.record) is not None:
            continue  # carried out here before: erase() skips it
        where = place(ERASURES_MEMBER, number)
        actual = in_bundle.get(erasure.record) or _kind_here(session, erasure)
        if actual is not None:
            raise refuse(_("{member} erases the record {record} as a record of kind "
                           "{entity}, but it is of kind {actual}; a bundle may erase only "
                           "persons.").format(
                member=where, record=erasure.record, entity=erasure.entity, actual=actual))
        link = GO_WITH_A_PERSON.get(erasure.entity)
        if link is not None:
            linked = _linked(session, erasure, link, links)
            if linked is None or linked & persons:
                continue  # unknown here (nothing to erase), or it went with its person
            if not linked and erasure.entity in PERSONS_OF_THEIR_OWN:
                continue  # a participant known by name only
            if (erasure.entity == NAMED_IN_DOCUMENTS[0]
                    and _document_of_an_erased_person(session, erasure, changes, persons)):
                continue  # a generated document naming an erased person
            raise refuse(_("{member} erases the {entity} record {record}, which belongs "
                           "to no erased person; a bundle may erase only persons and what "
                           "goes with them.").format(
                member=where, entity=erasure.entity, record=erasure.record))


def _linked(session: Session, erasure: WireErasure, link: str,
            links: dict[str, set[str]]) -> set[str] | None:
    """Every person a membership, attachment or participant was linked to, here (its row
    and its history) or in the bundle (a link edited at one office while the person was
    erased at another still counts); None when the record is unknown here and in the
    bundle (nothing of it to erase)."""
    table = MODEL_BY_ENTITY[erasure.entity].__table__
    row = session.execute(select(table.c[link]).where(table.c.id == erasure.record)).first()
    logged = session.execute(select(CHANGES.c.value).where(
        CHANGES.c.record_id == erasure.record, CHANGES.c.field == link)).scalars().all()
    if row is None and not logged and erasure.record not in links:
        return None
    found = set(links.get(erasure.record, ()))
    if row is not None and row[0]:
        found.add(row[0])
    found.update(value for value in map(orjson.loads, logged) if isinstance(value, str))
    return found


def _document_of_an_erased_person(session: Session, erasure: WireErasure,
                                  changes: Iterable[WireChange], persons: set[str]) -> bool:
    """Whether the attachment is a generated document that names one of ``persons`` (its
    list of the people it names, here, in its history or in the bundle), or one made before
    documents recorded whom they name (the erasing office found the name in its text)."""
    entity, field = NAMED_IN_DOCUMENTS
    table = MODEL_BY_ENTITY[entity].__table__
    row = session.execute(select(table.c.kind, table.c[field]).where(
        table.c.id == erasure.record)).first()
    kinds = {row.kind} if row is not None else set()
    named: list[object] = [row[1]] if row is not None and row[1] is not None else []
    named += [orjson.loads(value) for value in session.execute(select(CHANGES.c.value).where(
        CHANGES.c.record_id == erasure.record, CHANGES.c.field == field)).scalars()]
    for change in changes:
        if change.record == erasure.record and change.field == field:
            named.append(change.value)
        elif change.record == erasure.record and change.field == "kind":
            kinds.add(change.value)
    if not kinds & GENERATED:
        return False
    named = [value for value in named if value is not None]
    return not named or any(names_any(value, persons) for value in named)


def _kind_here(session: Session, erasure: WireErasure) -> str | None:
    """The kind of record the erased id is here, if not the kind the erasure names."""
    logged = session.execute(select(CHANGES.c.entity).where(
        CHANGES.c.record_id == erasure.record, CHANGES.c.entity != "",
        CHANGES.c.entity != erasure.entity).limit(1)).scalar()
    if logged is not None:
        return logged
    for entity, model in MODEL_BY_ENTITY.items():
        if entity != erasure.entity and session.get(model, erasure.record) is not None:
            return entity
    return None
