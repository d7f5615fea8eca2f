"""Undo and redo write compensating changes through the change log."""

from sqlalchemy import func, select

from euregionet_desktop.services import records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.undo import UndoHistory, redo, undo
from euregionet_desktop.storage.models import Change


def _changes(session):
    return session.execute(select(func.count()).select_from(Change)).scalar()


def test_undo_brings_back_a_deleted_contact_with_its_memberships(core, add):
    """Deleting a contact deletes its memberships; undo restores both, redo deletes both."""
    cluster = add("cluster", name_pl="Lubuski Klaster Metalowy", country="PL")
    contact = add("contact", first_name="Ewa", last_name="Żółkiewska")
    membership = add("membership", cluster_id=cluster, contact_id=contact, role="contact_person")
    history = UndoHistory()
    changes = core.backend.run(records.delete, entity="contact", record_id=contact)
    history.record(changes)
    assert core.backend.read(records.list_page, entity="membership").total == 0

    step = history.next_undo()
    assert step.label == "Delete Contact person"
    core.backend.run(undo, step=step)
    history.undone(step)
    assert core.backend.read(records.get, entity="contact", record_id=contact).deleted is False
    assert [m.id for m in core.backend.read(records.list_page, entity="membership").rows] == [
        membership]

    step = history.next_redo()
    core.backend.run(redo, step=step)
    history.redone(step)
    assert core.backend.read(records.list_page, entity="contact").total == 0
    assert core.backend.read(records.list_page, entity="membership").total == 0


def test_undo_of_an_edit_writes_the_old_values_as_new_changes(core, add):
    """Undoing an edit restores the old value and appends to the change log, never rewinds."""
    org = add("organisation", name="Metal Sp. z o.o.", country="PL", city="Gorzów")
    before = core.backend.read(dump)
    changes = core.backend.run(records.update_record, entity="organisation", record_id=org,
                               values={"city": "Zielona Góra", "name": "Metal SA"})
    logged = core.backend.read(_changes)
    core.backend.run(undo, step=changes.undo)
    assert core.backend.read(dump) == before
    assert core.backend.read(_changes) == logged + 2
    history = core.backend.read(records.history, entity="organisation", record_id=org)
    assert [h.new_value for h in history if h.field == "city"] == [
        "Gorzów", "Zielona Góra", "Gorzów"]


def test_undo_of_an_add_deletes_the_record_and_redo_brings_it_back(core):
    """An added cluster disappears on undo and returns on redo."""
    changes = core.backend.run(records.create, entity="cluster",
                               values={"name_pl": "Klaster Testowy", "country": "PL"})
    core.backend.run(undo, step=changes.undo)
    assert core.backend.read(records.list_page, entity="cluster").total == 0
    core.backend.run(redo, step=changes.undo)
    assert core.backend.read(records.list_page, entity="cluster").total == 1


def test_a_new_action_clears_the_redo_stack():
    """After undo, doing something new means there is nothing left to redo."""
    from euregionet_desktop.services.dto import Changes, UndoStep

    history = UndoHistory()
    first = Changes(undo=UndoStep("one", ()))
    history.record(first)
    history.undone(history.next_undo())
    assert history.next_redo() is first.undo
    history.record(Changes(undo=UndoStep("two", ())))
    assert history.next_redo() is None
    assert history.next_undo().label == "two"
