"""The change writer refuses every write that would bring an erased id back (issue 13)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from euregionet_desktop.errors import ErasedRecordError
from euregionet_desktop.services import erasure, records
from euregionet_desktop.services.dto import Changes, RecordWrites, UndoStep
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.undo import UndoHistory, needing_erased, redo, undo
from euregionet_desktop.storage.models import Change, LocalState
from euregionet_desktop.sync import erasure as sync_erasure
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.wire import WireErasure


def snapshot(core) -> tuple[bytes, int, tuple]:
    """Data, log size and local counters: what a refused write leaves as it was."""
    def read(session):
        count = session.execute(select(func.count()).select_from(Change)).scalar()
        return dump(session), count, tuple(session.execute(select(LocalState.__table__)).one())
    return core.backend.read(read)


@pytest.fixture
def people(core, add):
    """Contacts C (erased) and K (kept), a consultation with both, a task for C."""
    erased = add("contact", first_name="Celina", last_name="Erased")
    kept = add("contact", first_name="Kasia", last_name="Kept")
    consultation = add("consultation", held_at="2019-05-07 10:00", contact_ids=[erased, kept])
    task = add("task", title="Call back", contact_id=erased)
    core.backend.run(erasure.erase, entity="contact", record_id=erased)
    return erased, kept, consultation, task


def _write(entity, record_id, values):
    def action(session):
        ChangeWriter.for_session(session).write(entity, record_id, values)
    return action


def _write_new(entity, record_id, values):
    def action(session):
        ChangeWriter.for_session(session).write_new(
            entity, ((i, v) for i, v in [(record_id, values)]))  # a generator, as bulk passes
    return action


@pytest.mark.parametrize("make", [
    lambda e, k, c, t: _write("task", t, {"contact_id": e}),
    lambda e, k, c, t: _write("consultation", c, {"contact_ids": [k, e]}),
    lambda e, k, c, t: _write("contact", e, {"first_name": "Celina"}),
    lambda e, k, c, t: _write("contact", e, {"deleted": False}),
    lambda e, k, c, t: _write_new("task", str(uuid.uuid4()), {"title": "x", "contact_id": e}),
    lambda e, k, c, t: _write_new("consultation", str(uuid.uuid4()), {
        "held_at": "2019-05-08T10:00", "contact_ids": [e]}),
    lambda e, k, c, t: _write_new("contact", e, {"first_name": "Celina"}),
], ids=["reference", "list", "erased-record", "undelete", "new-reference", "new-list",
        "new-with-erased-id"])
def test_a_write_naming_or_changing_an_erased_record_is_refused(core, people, make):
    """Every way a write could hold the erased id: refused, one message, nothing changed."""
    before = snapshot(core)
    with pytest.raises(ErasedRecordError) as refused:
        core.backend.run(make(*people))
    assert refused.value.record_id == people[0]
    assert refused.value.erased_entity == "contact"
    assert "erased for good" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert snapshot(core) == before


def test_the_refusal_names_the_field(core, people):
    """A reference to an erased record is refused naming the field, for a form to show."""
    erased, _kept, _consultation, task = people
    with pytest.raises(ErasedRecordError) as refused:
        core.backend.run(_write("task", task, {"contact_id": erased}))
    assert refused.value.field == "contact_id" and refused.value.entity == "task"
    assert str(refused.value).startswith("Contact person: ")


def test_writes_not_naming_an_erased_record_go_through(core, people):
    """Positive control: after an erasure, other writes (references to the living
    included) are logged as before."""
    _erased, kept, consultation, task = people
    core.backend.run(_write("task", task, {"contact_id": kept}))
    core.backend.run(_write("consultation", consultation, {"contact_ids": [kept]}))
    new = str(uuid.uuid4())
    core.backend.run(_write_new("task", new, {"title": "Next", "contact_id": kept}))
    assert core.backend.read(lambda s: s.execute(select(func.count()).select_from(Change).where(
        Change.record_id == new)).scalar()) == 2


def test_an_erasure_in_the_same_transaction_is_seen_by_the_next_write(core, add):
    """The erased ids are read once per transaction, and read again after an erasure
    carried out in it."""
    person = add("contact", first_name="Ola", last_name="Later")
    task = add("task", title="Call")

    def action(session):
        writer = ChangeWriter.for_session(session)
        writer.write("task", task, {"title": "Call Ola"})  # reads the (empty) erasures
        state = session.get(LocalState, 1)
        sync_erasure.erase(session, WireErasure(person, "contact", state.last_hlc + 1,
                                                state.installation_id, "gdpr_request"))
        writer.write("task", task, {"contact_id": person})

    before = snapshot(core)
    with pytest.raises(ErasedRecordError):
        core.backend.run(action)
    assert snapshot(core) == before


def test_undo_and_redo_refuse_a_step_needing_the_erased_person(core, add):
    """The message names the step; the history drops the step; nothing is written."""
    erased = add("contact", first_name="Celina", last_name="Erased")
    kept = add("contact", first_name="Kasia", last_name="Kept")
    task = add("task", title="Call back", contact_id=erased)
    history = UndoHistory()
    history.record(core.backend.run(records.update_record, entity="task", record_id=task,
                                    values={"title": "Call back soon"}))
    edit = core.backend.run(records.update_record, entity="task", record_id=task,
                            values={"contact_id": kept})
    history.record(edit)
    core.backend.run(erasure.erase, entity="contact", record_id=erased)
    before = snapshot(core)

    with pytest.raises(ErasedRecordError) as refused:
        core.backend.run(undo, step=edit.undo)
    assert str(refused.value) == (
        "“Edit Task” cannot be undone: it needs a record that has been erased for good "
        "(Contact person). The step was removed from the undo history.")
    assert snapshot(core) == before
    assert core.backend.read(needing_erased, steps=history.steps()) == [edit.undo]
    history.discard(edit.undo)
    assert history.next_undo().label == "Edit Task" and history.next_undo() is not edit.undo
    core.backend.run(undo, step=history.next_undo())  # the step before it still works

    redo_step = UndoStep("Edit Task", (RecordWrites("task", task, {"contact_id": None},
                                                    {"contact_id": erased}),))
    with pytest.raises(ErasedRecordError) as refused:
        core.backend.run(redo, step=redo_step)
    assert "cannot be redone" in str(refused.value)


def test_no_step_needs_an_erased_record_when_nothing_was_erased(core, add):
    """Without erasures the history keeps every step."""
    task = add("task", title="Call")
    changes: Changes = core.backend.run(records.update_record, entity="task", record_id=task,
                                        values={"title": "Call again"})
    assert core.backend.read(needing_erased, steps=[changes.undo]) == []
