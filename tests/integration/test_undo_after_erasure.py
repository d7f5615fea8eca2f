"""No write brings back an erased id: undo, redo and conflict resolution after an erasure.

Issue 13 problem 2 and "Done when" 2: BIC points a task and a consultation from contact C
to D, everyone syncs, LOP erases C, BIC undoes its edit. The undo is refused with a
message (the step would need the erased person), nothing is written, and after exchanging
until quiet every office holds the same bytes with C's id in no dump. The replicas are
driven in-process through the services the window's op runner calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sync_network import Network, Replica

from euregionet_desktop.errors import ErasedRecordError, ValidationError
from euregionet_desktop.services import conflicts, editing, records
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.editing import ChildRows
from euregionet_desktop.services.undo import UndoHistory, redo, undo


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    net = Network.create(tmp_path / "offices", ("BIC", "LOP", "SNB"))
    yield net
    net.close()


def _rows(replica: Replica, entity: str) -> dict[str, dict]:
    return {row["id"]: row for row in orjson.loads(replica.dump())[entity]}


def _people(network: Network) -> tuple[str, str, str, str, str]:
    """At BIC, synced everywhere: contacts C (to be erased), D and K, a consultation with
    C and K and its follow-up task for C."""
    bic = network.by_name("BIC0")
    erased = bic.add("contact", first_name="Celina", last_name="Erased")
    other = bic.add("contact", first_name="Dieter", last_name="Other")
    kept = bic.add("contact", first_name="Kasia", last_name="Kept")
    consultation = bic.add("consultation", held_at="2019-05-07 10:00", subject="Offer",
                           contact_ids=[erased, kept])
    task = bic.add("task", title="Send the offer", consultation_id=consultation,
                   contact_id=erased)
    network.exchange_until_quiet()
    network.assert_converged()
    return erased, other, kept, consultation, task


def _point_to_other(bic: Replica, history: UndoHistory, consultation: str, task: str,
                    other: str, kept: str) -> Changes:
    """The consultation form saved with its follow-up task, both now naming D: one step."""
    changes = bic.run(editing.save, entity="consultation", record_id=consultation,
                      values={"contact_ids": [other, kept]},
                      children=[ChildRows("task", [(task, {"contact_id": other})])])
    history.record(changes)
    return changes


def test_undo_after_the_erasure_is_refused_and_the_offices_converge(network: Network):
    """The undo that would write C's id back is refused with a message naming the step,
    writes nothing, leaves the step out of the history; all dumps the same, C in none."""
    bic, lop, _snb = network.replicas
    erased, other, kept, consultation, task = _people(network)
    history = UndoHistory()
    _point_to_other(bic, history, consultation, task, other, kept)
    network.exchange_until_quiet()
    lop.erase(erased)
    network.exchange_until_quiet()
    before = bic.dump()

    step = history.next_undo()
    with pytest.raises(ErasedRecordError) as refused:
        bic.run(undo, step=step)
    assert "Edit Consultation" in str(refused.value)
    assert "erased" in str(refused.value)
    history.discard(step)
    assert history.next_undo() is None and history.next_redo() is None
    assert bic.dump() == before

    network.exchange_until_quiet()
    same = network.assert_converged()
    assert erased.encode() not in same
    assert _rows(bic, "task")[task]["contact_id"] == other
    assert _rows(bic, "consultation")[consultation]["contact_ids"] == [other, kept]


def test_an_undo_not_needing_the_erased_person_still_works(network: Network):
    """Positive control: after the erasure an edit that never named C undoes as before."""
    bic, lop, _snb = network.replicas
    erased, other, _kept, _consultation, task = _people(network)
    lop.erase(erased)
    network.exchange_until_quiet()
    history = UndoHistory()
    history.record(bic.run(records.update_record, entity="task", record_id=task,
                           values={"contact_id": other}))
    step = history.next_undo()
    bic.run(undo, step=step)
    history.undone(step)
    assert _rows(bic, "task")[task]["contact_id"] is None  # as the erasure left it
    network.exchange_until_quiet()
    assert erased.encode() not in network.assert_converged()


def test_redo_cannot_bring_the_erased_id_back(network: Network):
    """An edit to C undone before the erasure cannot be redone after it."""
    bic, lop, _snb = network.replicas
    erased, other, _kept, _consultation, task = _people(network)
    history = UndoHistory()
    bic.run(records.update_record, entity="task", record_id=task, values={"contact_id": other})
    history.record(bic.run(records.update_record, entity="task", record_id=task,
                           values={"contact_id": erased}))
    step = history.next_undo()
    bic.run(undo, step=step)
    history.undone(step)
    network.exchange_until_quiet()
    lop.erase(erased)
    network.exchange_until_quiet()
    before = bic.dump()

    with pytest.raises(ErasedRecordError) as refused:
        bic.run(redo, step=history.next_redo())
    assert "Edit Task" in str(refused.value)
    history.discard(step)
    assert history.next_redo() is None
    assert bic.dump() == before
    network.exchange_until_quiet()
    same = network.assert_converged()
    assert erased.encode() not in same
    assert _rows(lop, "task")[task]["contact_id"] == other


def test_undo_of_an_edit_of_the_erased_person_is_refused(network: Network):
    """Undo of an edit to C itself (now erased) says the step needs an erased record."""
    bic, lop, _snb = network.replicas
    erased, *_rest = _people(network)
    changes = bic.run(records.update_record, entity="contact", record_id=erased,
                      values={"function": "CEO"})
    network.exchange_until_quiet()
    lop.erase(erased)
    network.exchange_until_quiet()
    before = bic.dump()
    with pytest.raises(ErasedRecordError) as refused:
        bic.run(undo, step=changes.undo)
    assert "Edit Contact person" in str(refused.value)
    assert bic.dump() == before
    network.exchange_until_quiet()
    assert erased.encode() not in network.assert_converged()


def test_a_conflict_cannot_be_resolved_with_the_erased_id(network: Network):
    """A conflict of C against D on a task, C erased since: picking C is refused, picking
    D settles it everywhere; C's id in no dump."""
    bic, lop, _snb = network.replicas
    erased, other, kept, consultation, task = _people(network)
    bic.edit("task", task, contact_id=other)
    lop.edit("task", task, contact_id=kept)
    lop.edit("consultation", consultation, contact_ids=[erased])
    bic.edit("consultation", consultation, contact_ids=[other])
    network.exchange_until_quiet()
    lop.erase(erased)
    network.exchange_until_quiet()
    listed = {(c.record_id, c.field) for c in lop.conflicts()}
    assert {(consultation, "contact_ids"), (task, "contact_id")} <= listed
    before = lop.dump()
    for value in ([erased], [erased, other]):
        with pytest.raises(ValidationError):
            lop.run(conflicts.resolve, entity="consultation", record_id=consultation,
                    field_name="contact_ids", value=value)
    with pytest.raises(ValidationError):
        lop.run(conflicts.resolve, entity="task", record_id=task, field_name="contact_id",
                value=erased)
    assert lop.dump() == before
    lop.run(conflicts.resolve, entity="consultation", record_id=consultation,
            field_name="contact_ids", value=[other])
    lop.run(conflicts.resolve, entity="task", record_id=task, field_name="contact_id",
            value=kept)
    network.exchange_until_quiet()
    same = network.assert_converged()
    assert erased.encode() not in same
    assert all(not r.conflicts() for r in network.replicas)


def test_references_reading_empty_after_an_erasure_are_no_conflict(network: Network):
    """BIC points a task to D while LOP empties it; D is erased: both read empty, so there
    is nothing to choose and no conflict to list (nor the erased id to show)."""
    bic, lop, snb = network.replicas
    _erased, other, _kept, _consultation, task = _people(network)
    bic.edit("task", task, contact_id=other)
    lop.edit("task", task, contact_id=None)
    network.exchange_until_quiet()
    assert (task, "contact_id") in {(c.record_id, c.field) for c in lop.conflicts()}
    snb.erase(other)
    network.exchange_until_quiet()
    assert other.encode() not in network.assert_converged()
    for replica in network.replicas:
        assert (task, "contact_id") not in {(c.record_id, c.field) for c in replica.conflicts()}
