"""A delete lists what it saw of the whole record, and replaces only deletes (issue 13).

The ``deleted`` change of a delete lists, besides the ``deleted`` writes it replaces, the
current write of every other field; the merge lets it replace only writes to its own
field, also when a listed write arrives after the delete.
"""

from __future__ import annotations

import uuid

import orjson
from sqlalchemy import select

from euregionet_desktop.services import conflicts, records
from euregionet_desktop.storage.models import Change
from euregionet_desktop.sync import merge
from euregionet_desktop.sync.changelog import current_writes
from euregionet_desktop.sync.wire import WireChange

CHANGES = Change.__table__


def test_a_delete_lists_every_current_write_and_replaces_only_deletes(core, add):
    org = add("organisation", name="Odra Metal", country="PL")
    core.backend.run(records.update_record, entity="organisation", record_id=org,
                     values={"notes": "Call in May"})
    before = core.backend.read(current_writes, record_id=org)
    core.backend.run(records.delete, entity="organisation", record_id=org)

    after = core.backend.read(current_writes, record_id=org)
    [delete] = after["deleted"]
    listed = {tuple(pair) for pair in orjson.loads(delete["replaces"])}
    others = {(w["installation_id"], w["seq"]) for name, writes in before.items()
              if name != "deleted" for w in writes}
    assert others and others <= listed  # what it saw of the whole record
    assert {name for name in after if name != "deleted"} == set(before) - {"deleted"}
    assert after["notes"][0]["value"] == '"Call in May"'  # still current: not replaced
    [entry] = [h for h in core.backend.read(records.history, entity="organisation",
                                             record_id=org) if h.field == "deleted"
               and h.new_value is True]
    assert entry.old_value is None  # no earlier delete: not the other fields' values
    assert core.backend.read(conflicts.conflicts) == []


def _change(installation: str, seq: int, record: str, field: str, value, replaces=()):
    return WireChange(installation, seq, 1_750_000_000_000 + seq << 16, None, "organisation",
                      record, field, value, tuple(replaces))


def test_a_write_listed_only_by_a_delete_stays_current_when_it_arrives_late(core):
    """A's organisation; B deleted it after seeing A's notes (A3) and A's restore (A4);
    the delete reaches this replica before A3 and A4: A4 is dead on arrival, A3 is the
    notes, and nothing is in conflict."""
    a, b, org = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    created = [_change(a, 1, org, "name", "Odra Metal"), _change(a, 2, org, "country", "PL")]
    delete = _change(b, 1, org, "deleted", True, [(a, 3), (a, 4), (a, 1), (a, 2)])
    late = [_change(a, 3, org, "notes", "Call in May"), _change(a, 4, org, "deleted", False)]
    core.backend.run(merge.apply_changes, changes=[*created, delete])
    report = core.backend.run(merge.apply_changes, changes=late)
    assert report.applied == 2

    current = core.backend.read(lambda session: {
        (row.installation_id, row.seq): row.current for row in session.execute(
            select(CHANGES.c.installation_id, CHANGES.c.seq, CHANGES.c.current)
            .where(CHANGES.c.record_id == org))})
    assert current == {(a, 1): True, (a, 2): True, (a, 3): True, (a, 4): False, (b, 1): True}
    row = core.backend.read(records.load_row, entity="organisation", record_id=org,
                            include_deleted=True)
    assert row["deleted"] and row["notes"] == "Call in May" and row["name"] == "Odra Metal"
    assert core.backend.read(conflicts.conflicts) == []


def test_a_late_write_the_delete_did_not_list_is_a_conflict(core):
    """The same, but A's notes were not seen by B's delete: listed as a conflict."""
    a, b, org = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    created = [_change(a, 1, org, "name", "Odra Metal"), _change(a, 2, org, "country", "PL")]
    core.backend.run(merge.apply_changes, changes=[
        *created, _change(b, 1, org, "deleted", True, [(a, 1), (a, 2)])])
    core.backend.run(merge.apply_changes, changes=[_change(a, 3, org, "notes", "Call")])
    [conflict] = core.backend.read(conflicts.conflicts)
    assert (conflict.record_id, conflict.field) == (org, "deleted")
    assert [(w.value, w.winner) for w in conflict.writes] == [(True, True), (False, False)]
