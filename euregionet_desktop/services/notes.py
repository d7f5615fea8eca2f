"""Notes on records: shared ones travel to every office like any record (entity ``note``);
private ones stay at this installation (``PrivateNote``: no change log, no bundle, no
dump), searched and backed up here (GDPR: what an advisor means for the office only).

Notes written before notes existed (the ``notes`` fields of contacts, organisations,
tasks) stay shared: they are fields of the records.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import Changes, NoteDTO
from euregionet_desktop.storage.models import Advisor, LocalState, Note, PrivateNote

# What a note may be written on.
NOTED_ENTITIES = ("cluster", "organisation", "contact", "consultation", "event",
                  "action_plan", "initiative", "task", "evaluation")
MAX_NOTE_LENGTH = 20_000


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
        return Changes(frozenset({"private_note"}), note_id, (note_id,))
    return records.create(session, entity="note", values={
        "linked_entity": entity, "linked_id": record_id, "body": text, "author_id": author_id})


def notes_about(session: Session, *, entity: str, record_id: str) -> list[NoteDTO]:
    """The notes on a record, shared and private, oldest first."""
    names = dict(session.execute(select(Advisor.id, Advisor.name)).all())
    found = [
        NoteDTO(row.id, row.linked_entity, row.linked_id, row.body, False, row.created_at,
                names.get(row.author_id))
        for row in session.execute(select(Note).where(
            Note.linked_id == record_id, Note.deleted.is_(False))).scalars()]
    found += [
        NoteDTO(row.id, row.linked_entity, row.linked_id, row.body, True, row.created_at,
                names.get(row.author_id))
        for row in session.execute(select(PrivateNote).where(
            PrivateNote.linked_id == record_id)).scalars()]
    return sorted(found, key=lambda note: (note.created_at, note.id))
