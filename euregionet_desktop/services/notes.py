"""Notes on records: shared ones travel to every office like any record (entity ``note``);
private ones stay at this installation (``PrivateNote``: no change log, no bundle, no
dump), searched and backed up here (GDPR: what an advisor means for the office only).

Notes written before notes existed (the ``notes`` fields of contacts, organisations,
tasks) stay shared: they are fields of the records.

A shared note is edited and deleted as a record (services.records: logged, undoable); a
private one by a plain write to its table, which the undo history (compensating writes to
the change log) cannot carry: the window asks before deleting one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import Changes, HistoryEntry, NoteDTO
from euregionet_desktop.storage import search
from euregionet_desktop.storage.models import (
    Advisor,
    Installation,
    LocalState,
    Note,
    Office,
    PrivateNote,
)
from euregionet_desktop.sync.redirects import MERGEABLE, redirects

# What a note may be written on.
NOTED_ENTITIES = ("cluster", "organisation", "contact", "consultation", "event",
                  "action_plan", "initiative", "task", "evaluation")
MAX_NOTE_LENGTH = 20_000
PRIVATE = "private_note"  # the search index's and the History's name for a private note
# The History's field names of the entries notes_history gives.
NOTE_FIELD, PRIVATE_NOTE_FIELD = "note", PRIVATE


def _checked_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("A note needs some text."), field="body")
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(_("A note holds at most {limit} characters.").format(
            limit=MAX_NOTE_LENGTH), field="body")
    return text


def add_note(session: Session, *, entity: str, record_id: str, body: str,
             private: bool = False) -> Changes:
    """Write a note on a record: shared (a synced record, undoable like any creation) or
    private (this installation only)."""
    if entity not in NOTED_ENTITIES:
        raise ValidationError(_("Notes cannot be written on this kind of record."),
                              field="linked_entity")
    records.load_row(session, entity, record_id)  # NotFoundError for a wrong id
    text = _checked_body(body)
    author_id = session.execute(select(LocalState.advisor_id)).scalar_one_or_none()
    if private:
        note_id = str(uuid.uuid4())
        session.add(PrivateNote(id=note_id, linked_entity=entity, linked_id=record_id,
                                body=text, author_id=author_id, created_at=records.now_iso()))
        session.flush()
        search.reindex(session, PRIVATE, [note_id], fresh=True)
        return Changes(frozenset({PRIVATE}), note_id, (note_id,))
    return records.create(session, entity="note", values={
        "linked_entity": entity, "linked_id": record_id, "body": text, "author_id": author_id})


def _private_row(session: Session, note_id: str) -> PrivateNote:
    row = session.get(PrivateNote, note_id)
    if row is None:
        raise NotFoundError(_("There is no such note (it may have been deleted)."))
    return row


def edit_note(session: Session, *, note_id: str, private: bool, body: str) -> Changes:
    """Change a note's text: a shared one as a record (undoable, travels), a private one
    here only (not undoable)."""
    text = _checked_body(body)
    if not private:
        return records.update_record(session, entity="note", record_id=note_id,
                                     values={"body": text})
    row = _private_row(session, note_id)
    if row.body != text:
        session.execute(update(PrivateNote).where(PrivateNote.id == note_id)
                        .values(body=text, updated_at=records.now_iso()))
        search.reindex(session, PRIVATE, [note_id])
    return Changes(frozenset({PRIVATE}), note_id, (note_id,))


def delete_note(session: Session, *, note_id: str, private: bool) -> Changes:
    """Delete a note: a shared one as a record (undoable, travels), a private one for good
    (with its search row)."""
    if not private:
        return records.delete(session, entity="note", record_id=note_id)
    _private_row(session, note_id)
    drop_private_notes(session, note_ids=[note_id])
    return Changes(frozenset({PRIVATE}), note_id, (note_id,))


def drop_private_notes(session: Session, *, note_ids: list[str]) -> None:
    """Remove private notes and their search rows (a delete, an erasure)."""
    search.unindex(session, PRIVATE, note_ids)
    session.execute(delete(PrivateNote).where(PrivateNote.id.in_(note_ids)))


def repoint_private_notes(session: Session, *, survivor_id: str, merged_ids: list[str]
                          ) -> int:
    """A merge of duplicates: this installation's private notes on the merged records are
    on the survivor now (a local write; they never travel). Returns how many moved."""
    return session.execute(update(PrivateNote).where(PrivateNote.linked_id.in_(merged_ids))
                           .values(linked_id=survivor_id)).rowcount


def _linked_ids(session: Session, entity: str, record_id: str) -> list[str]:
    """The record and those merged into it (a note written at another office on a merged
    record before the merge reached it, or a private note here before a merge that came
    from elsewhere)."""
    if entity not in MERGEABLE:
        return [record_id]
    return sorted(redirects(session).group(record_id))


def notes_about(session: Session, *, entity: str, record_id: str) -> list[NoteDTO]:
    """The notes on a record, shared and private, oldest first."""
    ids = _linked_ids(session, entity, record_id)
    names = dict(session.execute(select(Advisor.id, Advisor.name)).all())
    found = [
        NoteDTO(row.id, row.linked_entity, row.linked_id, row.body, False, row.created_at,
                names.get(row.author_id))
        for row in session.execute(select(Note).where(
            Note.linked_id.in_(ids), Note.deleted.is_(False))).scalars()]
    found += [
        NoteDTO(row.id, row.linked_entity, row.linked_id, row.body, True, row.created_at,
                names.get(row.author_id))
        for row in session.execute(select(PrivateNote).where(
            PrivateNote.linked_id.in_(ids))).scalars()]
    return sorted(found, key=lambda note: (note.created_at, note.id))


def notes_on(session: Session, *, entity: str, record_id: str) -> list[NoteDTO]:
    """The notes on a record named by a person (``note list``): a kind that takes no
    notes or an id of no record is refused."""
    if entity not in NOTED_ENTITIES:
        raise ValidationError(_("Notes cannot be written on this kind of record."),
                              field="linked_entity")
    records.load_row(session, entity, record_id)
    return notes_about(session, entity=entity, record_id=record_id)


def notes_history(session: Session, *, entity: str, record_id: str) -> list[HistoryEntry]:
    """The notes written on a record as entries of its History, oldest first: each write
    to a shared note's text (field ``note``; a deleted note's new value is None, a restored
    one's old value None), and each private note as written (field ``private_note``)."""
    ids = _linked_ids(session, entity, record_id)
    entries: list[HistoryEntry] = []
    for note_id in session.execute(select(Note.id).where(Note.linked_id.in_(ids))).scalars():
        entries += _shared_note_entries(session, note_id)
    here = session.execute(
        select(Installation.id, Office.code).join(Office, Office.id == Installation.office_id)
        .where(Installation.id == select(LocalState.installation_id).scalar_subquery())
    ).first()
    names = dict(session.execute(select(Advisor.id, Advisor.name)).all())
    for row in session.execute(select(PrivateNote).where(
            PrivateNote.linked_id.in_(ids))).scalars():
        entries.append(HistoryEntry(
            field=PRIVATE_NOTE_FIELD, old_value=None, new_value=row.body,
            at_ms=_ms(row.updated_at or row.created_at),
            installation_id=here[0] if here else "", seq=0,
            office_code=here[1] if here else None, author=names.get(row.author_id),
            current=True))
    return sorted(entries, key=lambda e: (e.at_ms, e.installation_id, e.seq))


def _shared_note_entries(session: Session, note_id: str) -> list[HistoryEntry]:
    found = []
    body = None
    deleted = False
    for entry in records.history(session, entity="note", record_id=note_id):
        if entry.field == "body":
            found.append(dataclasses.replace(entry, field=NOTE_FIELD,
                                             old_value=None if deleted else body))
            body = entry.new_value
        elif entry.field == "deleted" and bool(entry.new_value) != deleted:
            deleted = bool(entry.new_value)
            found.append(dataclasses.replace(entry, field=NOTE_FIELD,
                                             old_value=body if deleted else None,
                                             new_value=None if deleted else body))
    return found


def _ms(iso: str) -> int:
    moment = dt.datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)
