"""Tests for the change log (sync.changelog) and the hybrid logical clock (sync.clock)."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest
from sqlalchemy import func, select, update

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services import editing, records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.storage.models import Change, LocalState
from euregionet_desktop.sync import clock
from euregionet_desktop.sync.changelog import ChangeWriter

CHANGES = Change.__table__


def all_changes(core) -> list:
    return core.backend.read(lambda session: list(session.execute(
        select(CHANGES).order_by(CHANGES.c.installation_id, CHANGES.c.seq)).mappings()))


def changes_of(core, record_id: str, field: str | None = None) -> list:
    return [c for c in all_changes(core)
            if c["record_id"] == record_id and (field is None or c["field"] == field)]


def snapshot(core) -> tuple[bytes, int, tuple]:
    """Everything an aborted action must leave as it was: data, log size, local clock."""
    def read(session):
        count = session.execute(select(func.count()).select_from(CHANGES)).scalar()
        state = session.execute(select(LocalState.__table__)).one()
        return dump(session), count, tuple(state)
    return core.backend.read(read)


def test_seq_numbers_are_dense_per_installation(core, add):
    """Across creates, edits, deletes and restores the seqs run 1..n without gaps."""
    contact = add("contact", last_name="Kowalski")
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"first_name": "Jan", "email": "jan@example.pl"})
    cluster = add("cluster", name_pl="Klaster", country="PL")
    membership = add("membership", cluster_id=cluster, contact_id=contact)
    core.backend.run(records.delete, entity="cluster", record_id=cluster)
    core.backend.run(records.restore, targets=[("cluster", cluster),
                                               ("membership", membership)])

    changes = all_changes(core)
    installation = core.backend.read(profile_info).installation_id
    assert {c["installation_id"] for c in changes} == {installation}
    assert [c["seq"] for c in changes] == list(range(1, len(changes) + 1))
    state = core.backend.read(lambda s: s.get(LocalState, 1))
    assert state.last_seq == len(changes)
    assert state.last_hlc == max(c["hlc"] for c in changes)


def test_each_action_shares_one_hlc_and_hlcs_increase_between_actions(core, add):
    """All writes of one action carry one hlc; the next action's hlc is strictly larger."""
    actions = [
        lambda: add("organisation", name="Firma", country="PL", city="Gubin"),
        lambda: add("contact", first_name="Jan", last_name="Kowalski", email="j@example.pl"),
        lambda: add("cluster", name_pl="Klaster", country="PL", region="Lubuskie"),
    ]
    previous_hlc = max(c["hlc"] for c in all_changes(core))
    seen = len(all_changes(core))
    for action in actions:
        action()
        new = all_changes(core)[seen:]
        seen += len(new)
        assert len(new) >= 3
        hlcs = {c["hlc"] for c in new}
        assert len(hlcs) == 1
        (hlc,) = hlcs
        assert hlc > previous_hlc
        previous_hlc = hlc


def test_hlc_keeps_increasing_when_wall_clock_is_behind_last_write(core, add):
    """After a write stamped a day ahead (clock set back since), hlcs still go up by one."""
    ahead = (clock.now_ms() + 86_400_000) << clock.COUNTER_BITS

    def clock_was_ahead(session):
        session.execute(update(LocalState.__table__).values(last_hlc=ahead))

    core.backend.run(clock_was_ahead)
    first = add("contact", last_name="Kowalski")
    second = add("contact", last_name="Nowak")
    assert {c["hlc"] for c in changes_of(core, first)} == {ahead + 1}
    assert {c["hlc"] for c in changes_of(core, second)} == {ahead + 2}


def test_tick_never_goes_backwards_when_wall_clock_does():
    """tick() with an earlier wall clock still returns a later timestamp."""
    first = clock.tick(0, wall_ms=1_700_000_000_000)
    assert clock.wall_time_ms(first) == 1_700_000_000_000
    second = clock.tick(first, wall_ms=1_600_000_000_000)  # clock set back 3 years
    third = clock.tick(second, wall_ms=1_600_000_000_001)
    assert first < second < third
    assert clock.wall_time_ms(third) == 1_700_000_000_000


def test_tick_follows_wall_clock_when_it_moves_forward():
    """With the wall clock ahead of the last stamp, tick uses the wall clock."""
    last = clock.tick(0, wall_ms=1_700_000_000_000) + 5
    later = clock.tick(last, wall_ms=1_700_000_000_010)
    assert later == 1_700_000_000_010 << clock.COUNTER_BITS


@pytest.mark.parametrize("local_ms, remote_ms, wall_ms", [
    (1_700_000_000_000, 1_700_000_005_000, 1_700_000_001_000),  # remote ahead
    (1_700_000_005_000, 1_700_000_000_000, 1_700_000_001_000),  # local ahead
    (1_700_000_000_000, 1_700_000_000_000, 1_600_000_000_000),  # wall clock behind both
])
def test_receive_is_ahead_of_both_inputs(local_ms, remote_ms, wall_ms):
    """After seeing a remote stamp the local clock is later than it and than itself."""
    local = (local_ms << clock.COUNTER_BITS) + 3
    remote = (remote_ms << clock.COUNTER_BITS) + 7
    result = clock.receive(local, remote, wall_ms=wall_ms)
    assert result > local
    assert result > remote


def test_edit_replaces_exactly_the_previous_current_write(core, add):
    """An edit's ``replaces`` names the field's last write, which stops being current."""
    contact = add("contact", last_name="Kowalski", email="a@example.pl")
    (created,) = changes_of(core, contact, "email")
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"email": "b@example.pl"})
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"email": "c@example.pl"})

    first, second, third = changes_of(core, contact, "email")
    assert first["seq"] == created["seq"]
    assert orjson.loads(first["replaces"]) == []
    assert orjson.loads(second["replaces"]) == [[first["installation_id"], first["seq"]]]
    assert orjson.loads(third["replaces"]) == [[second["installation_id"], second["seq"]]]
    assert [c["current"] for c in (first, second, third)] == [False, False, True]
    assert orjson.loads(third["value"]) == "c@example.pl"
    # Other fields of the record were not touched.
    (last_name,) = changes_of(core, contact, "last_name")
    assert last_name["current"]


def test_exactly_one_current_write_per_record_field(core, add):
    """After edits, deletes and restores each (record, field) has one current write."""
    contact = add("contact", last_name="Kowalski")
    cluster = add("cluster", name_pl="Klaster", country="PL")
    membership = add("membership", cluster_id=cluster, contact_id=contact)
    for name in ("Nowak", "Wiśniewski", "Wójcik"):
        core.backend.run(records.update_record, entity="contact", record_id=contact,
                         values={"last_name": name})
    core.backend.run(records.delete, entity="contact", record_id=contact)
    core.backend.run(records.restore, targets=[("contact", contact),
                                               ("membership", membership)])
    core.backend.run(records.delete, entity="cluster", record_id=cluster)

    changes = all_changes(core)
    fields = {(c["record_id"], c["field"]) for c in changes}
    current = Counter((c["record_id"], c["field"]) for c in changes if c["current"])
    assert set(current) == fields
    assert set(current.values()) == {1}
    (deleted,) = [c for c in changes if c["record_id"] == membership
                  and c["field"] == "deleted" and c["current"]]
    assert orjson.loads(deleted["value"]) is True


def test_history_shows_old_and_new_values_with_office_and_advisor(core, add):
    """history() lists each write oldest first with old → new, office code and author."""
    contact = add("contact", last_name="Kowalski", email="a@example.pl")
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"email": "b@example.pl"})
    core.backend.run(records.delete, entity="contact", record_id=contact)

    entries = core.backend.read(records.history, entity="contact", record_id=contact)
    emails = [e for e in entries if e.field == "email"]
    assert [(e.old_value, e.new_value, e.current) for e in emails] == [
        (None, "a@example.pl", False), ("a@example.pl", "b@example.pl", True)]
    assert [e.field for e in entries][-1] == "deleted"
    assert entries[-1].new_value is True
    assert {e.office_code for e in entries} == {"LOP"}
    assert {e.author for e in entries} == {"Anna Nowak"}
    assert [e.at_ms for e in entries] == sorted(e.at_ms for e in entries)


def test_failed_validation_mid_action_leaves_everything_unchanged(core, add):
    """A valid first field and an invalid second field: nothing stored, nothing logged."""
    contact = add("contact", first_name="Jan", last_name="Kowalski")
    before = snapshot(core)
    with pytest.raises(ValidationError) as caught:
        core.backend.run(records.update_record, entity="contact", record_id=contact,
                         values={"first_name": "Janusz", "email": "not-an-address"})
    assert caught.value.field == "email"
    assert snapshot(core) == before


def test_action_failing_after_writes_is_rolled_back_as_a_whole(core, add):
    """An action that already wrote a record and then fails stores none of it."""
    contact = add("contact", last_name="Kowalski")
    before = snapshot(core)

    def add_cluster_then_bad_edit(session):
        records.create(session, entity="cluster", values={"name_pl": "Nowy", "country": "PL"})
        records.update_record(session, entity="contact", record_id=contact,
                              values={"phone": "12"})

    with pytest.raises(ValidationError):
        core.backend.run(add_cluster_then_bad_edit)
    assert snapshot(core) == before
    assert core.backend.read(records.list_page, entity="cluster").total == 0
    # The log continues from where it was: the next action takes the next seq.
    add("cluster", name_pl="Później", country="PL")
    seqs = [c["seq"] for c in all_changes(core)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_failed_create_refused_by_cross_field_rule_logs_nothing(core, add):
    """A duplicate membership is refused before any write reaches the log."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    contact = add("contact", last_name="Kowalski")
    add("membership", cluster_id=cluster, contact_id=contact)
    before = snapshot(core)
    with pytest.raises(ValidationError):
        add("membership", cluster_id=cluster, contact_id=contact)
    assert snapshot(core) == before


def test_an_action_with_children_writes_one_hlc_and_dense_seqs(core, add):
    """A consultation saved with two follow-up tasks (as the record dialog saves it): every
    change of the action carries one hlc, later than before, and the seqs run on densely."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    before = all_changes(core)
    changes = core.backend.run(
        editing.save, entity="consultation",
        values={"held_at": "2019-03-14 10:00", "subject": "Strategia", "cluster_id": cluster},
        children=[editing.ChildRows("task", [
            (None, {"title": "Wysłać protokół", "due_on": "2019-03-21"}),
            (None, {"title": "Umówić spotkanie"})])])

    new = all_changes(core)[len(before):]
    assert {c["entity"] for c in new} == {"consultation", "task"}
    assert len({c["record_id"] for c in new}) == 3
    assert changes.record_id in {c["record_id"] for c in new}
    assert len({c["hlc"] for c in new}) == 1
    assert new[0]["hlc"] > max(c["hlc"] for c in before)
    seqs = [c["seq"] for c in all_changes(core)]
    assert seqs == list(range(1, len(seqs) + 1))
    state = core.backend.read(lambda s: s.get(LocalState, 1))
    assert (state.last_seq, state.last_hlc) == (seqs[-1], new[0]["hlc"])


def test_deleting_several_records_with_their_cascades_writes_one_hlc(core, add):
    """Two consultations deleted together with their follow-up tasks: one action, one hlc."""
    consultations = [add("consultation", held_at="2019-03-14 10:00", subject=subject)
                     for subject in ("Strategia", "Marka")]
    for consultation in consultations:
        add("task", title="Protokół", consultation_id=consultation)
    before = len(all_changes(core))
    core.backend.run(editing.delete_many, entity="consultation", record_ids=consultations)
    new = all_changes(core)[before:]
    assert [c["field"] for c in new] == ["deleted"] * 4
    assert len({c["hlc"] for c in new}) == 1


def test_the_next_transaction_gets_a_new_writer_and_a_later_hlc(core, add):
    """The writer lives as long as its transaction: after a commit the clock moves on."""
    def two_transactions(session):
        first = ChangeWriter.for_session(session)
        assert ChangeWriter.for_session(session) is first
        records.create(session, entity="cluster", values={"name_pl": "Jeden", "country": "PL"})
        session.commit()
        second = ChangeWriter.for_session(session)
        assert second is not first
        records.create(session, entity="cluster", values={"name_pl": "Dwa", "country": "PL"})
        return first.hlc, second.hlc, second.next_seq

    first_hlc, second_hlc, next_seq = core.backend.run(two_transactions)
    assert second_hlc > first_hlc
    seqs = [c["seq"] for c in all_changes(core)]
    assert seqs == list(range(1, next_seq))
