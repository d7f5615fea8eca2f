"""Merging duplicates on one replica: fields chosen, references re-pointed, undo (issue 17)."""

from __future__ import annotations

import difflib

import orjson
import pytest

from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.services import merging, records, relations, undo
from euregionet_desktop.services.dump import dump
from tests.sync_network import Network


@pytest.fixture
def office(tmp_path):
    network = Network.create(tmp_path / "net", ("LOP",))
    yield network.replicas[0]
    network.close()


def _firm(replica, name, **values):
    return replica.add("organisation", name=name, country="PL", **values)


def _pointers(replica, entity, record_id):
    return replica.read(relations.references_to, entity=entity, record_id=record_id)


def test_merge_repoints_every_reference_and_undo_brings_all_back(office):
    """A merge re-points memberships, contacts, consultations (and their people), tasks,
    a cluster's coordinator and attachments; undo restores both records and every
    reference exactly."""
    keep = _firm(office, "Odrzańskie Zakłady Metalowe Sp. z o.o.", city="Gorzów Wlkp.")
    other = _firm(office, "ODRZANSKIE ZAKLADY METALOWE", nip="5990002005",
                  sectors=["metal"])
    cluster = office.add("cluster", name_pl="Klaster Metalowy", kind="cluster", country="PL",
                         coordinator_id=other)
    both = office.add("membership", cluster_id=cluster, organisation_id=keep, role="member")
    dup = office.add("membership", cluster_id=cluster, organisation_id=other, role="member")
    anna = office.add("contact", last_name="Nowak", organisation_id=other)
    piotr = office.add("contact", last_name="Kowal", organisation_id=keep)
    consultation = office.add("consultation", held_at="2026-12-01T10:00",
                              organisation_id=other, contact_ids=[anna, piotr])
    task = office.add("task", title="Call back", organisation_id=other)
    before = office.dump()
    pointed = _pointers(office, "organisation", other)
    assert {p.entity for p in pointed} >= {"membership", "contact", "consultation", "task",
                                           "cluster"}

    changes = office.run(merging.merge, entity="organisation", survivor_id=keep,
                         other_ids=[other])

    assert _pointers(office, "organisation", other) == []
    firm = office.read(records.get, entity="organisation", record_id=keep)
    assert firm.values["nip"] == "5990002005"  # the other's value where the kept one is empty
    assert firm.values["city"] == "Gorzów Wlkp."
    assert firm.values["name"] == "ODRZANSKIE ZAKLADY METALOWE"  # the newer write
    assert firm.values["sectors"] == ["metal"]
    with pytest.raises(NotFoundError):
        office.read(records.get, entity="organisation", record_id=other)
    assert office.read(records.get, entity="contact", record_id=anna).values[
        "organisation_id"] == keep
    assert office.read(records.get, entity="consultation", record_id=consultation).values[
        "organisation_id"] == keep
    assert office.read(records.get, entity="task", record_id=task).values[
        "organisation_id"] == keep
    assert office.read(records.get, entity="cluster", record_id=cluster).values[
        "coordinator_id"] == keep
    live = office.read(records.list_ids, entity="membership")
    assert sorted(live) == [min(both, dup)]  # one membership of the firm, the smallest id
    assert office.read(records.list_ids, entity="organisation") == [keep]

    office.run(undo.undo, step=changes.undo)
    after = office.dump()
    assert _strip_merges(after) == _strip_merges(before), "\n".join(difflib.unified_diff(
        _lines(_strip_merges(before)), _lines(_strip_merges(after)), lineterm=""))
    assert office.read(records.get, entity="organisation", record_id=other).values[
        "nip"] == "5990002005"


def _lines(data: bytes) -> list[str]:
    return orjson.dumps(orjson.loads(data), option=orjson.OPT_INDENT_2).decode().splitlines()


def _strip_merges(data: bytes) -> bytes:
    """The dump without the (undone, deleted) merge records."""
    parsed = orjson.loads(data)
    assert all(m["deleted"] for m in parsed.pop("merge"))
    return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS)


def test_take_chooses_a_field_by_hand_and_bad_input_changes_nothing(office):
    """--take picks the other record's value; every refusal is one message, nothing written."""
    keep = _firm(office, "Alpha", city="Gubin")
    other = _firm(office, "Alpha GmbH", city="Forst")
    before = office.dump()
    for kwargs, error in (
            ({"entity": "event", "survivor_id": keep, "other_ids": [other]}, ValidationError),
            ({"entity": "organisation", "survivor_id": keep, "other_ids": []}, ValidationError),
            ({"entity": "organisation", "survivor_id": keep, "other_ids": [keep]},
             ValidationError),
            ({"entity": "organisation", "survivor_id": keep, "other_ids": ["nope"]},
             NotFoundError),
            ({"entity": "organisation", "survivor_id": keep, "other_ids": [other],
              "take": {"colour": other}}, ValidationError),
            ({"entity": "organisation", "survivor_id": keep, "other_ids": [other],
              "take": {"city": "nope"}}, ValidationError)):
        with pytest.raises(error):
            office.run(merging.merge, **kwargs)
        assert office.dump() == before
    preview = office.read(merging.merge_preview, entity="organisation", ids=[keep, other],
                          take={"city": other})
    assert next(f for f in preview.fields if f.name == "city").default_from == other
    office.run(merging.merge, entity="organisation", survivor_id=keep, other_ids=[other],
               take={"city": other})
    assert office.read(records.get, entity="organisation", record_id=keep).values[
        "city"] == "Forst"
    # A merged record can no longer be named by a local write.
    with pytest.raises(ValidationError):
        office.add("contact", last_name="Late", organisation_id=other)
    assert b"Late" not in office.dump()
    assert office.read(dump) == office.dump()


def test_cluster_and_contact_merges_repoint_what_points_at_them(office):
    """A cluster's evaluations, action plans, events, consultations and members follow it
    (the member there twice kept once); a contact's event participations and memberships
    follow the person; undo takes all of it back."""
    keep = office.add("cluster", name_pl="Klaster Lubuski", kind="cluster", country="PL")
    other = office.add("cluster", name_pl="Klaster lubuski", name_de="Lebuser Cluster",
                       kind="cluster", country="PL")
    firm = _firm(office, "Beta")
    first = office.add("membership", cluster_id=keep, organisation_id=firm, role="member")
    second = office.add("membership", cluster_id=other, organisation_id=firm, role="member")
    evaluation = office.add("evaluation", cluster_id=other, evaluated_on="2026-11-30")
    plan = office.add("action_plan", cluster_id=other, title="Plan", status="draft")
    event = office.add("event", kind="workshop", title_pl="Warsztaty", starts_on="2026-12-10",
                       cluster_id=other)
    before = office.dump()
    changes = office.run(merging.merge, entity="cluster", survivor_id=keep, other_ids=[other])
    for entity, record_id in (("evaluation", evaluation), ("action_plan", plan),
                              ("event", event)):
        assert office.read(records.get, entity=entity, record_id=record_id).values[
            "cluster_id"] == keep
    assert office.read(records.list_ids, entity="membership") == [min(first, second)]
    cluster = office.read(records.get, entity="cluster", record_id=keep)
    assert cluster.values["name_de"] == "Lebuser Cluster"
    office.run(undo.undo, step=changes.undo)
    assert _strip_merges(office.dump()) == _strip_merges(before)

    anna = office.add("contact", last_name="Nowak", first_name="Anna")
    twin = office.add("contact", last_name="Nowak", email="anna.nowak@example.pl")
    participant = office.add("participant", event_id=event, contact_id=twin)
    office.run(merging.merge, entity="contact", survivor_id=anna, other_ids=[twin])
    assert office.read(records.get, entity="participant", record_id=participant).values[
        "contact_id"] == anna
    person = office.read(records.get, entity="contact", record_id=anna)
    assert person.values["email"] == "anna.nowak@example.pl"
    assert person.values["first_name"] == "Anna"


def test_history_of_both_records_shows_the_merge_and_its_undo(office):
    """The survivor's History (and the merged record's) has an entry for the merge, the
    survivor first; undo adds an entry with no records; each record keeps its own writes."""
    keep = _firm(office, "Odra Metal", city="Gorzów Wlkp.")
    other = _firm(office, "ODRA METAL", nip="5990002005")
    changes = office.run(merging.merge, entity="organisation", survivor_id=keep,
                         other_ids=[other])
    office.run(undo.undo, step=changes.undo)

    for record_id in (keep, other):
        history = office.read(records.history, entity="organisation", record_id=record_id)
        merges = [(e.new_value, e.old_value) for e in history if e.field == "merge"]
        assert merges == [([keep, other], None), (None, None)]
        fields = [e.field for e in history]  # in time order: made after the records
        assert fields.index("merge") > fields.index("name")
    other_fields = {e.field for e in office.read(records.history, entity="organisation",
                                                 record_id=other)}
    assert "nip" in other_fields and "name" in other_fields
