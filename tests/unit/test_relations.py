"""Tests for the one table of references (services.relation_table) and what derives from it."""

from __future__ import annotations

from collections import Counter

from euregionet_desktop.services import editing, records
from euregionet_desktop.services.relation_table import (
    CASCADES,
    CHILD_LINKS,
    CHILDREN,
    REFERENCES,
    TABS,
)
from euregionet_desktop.services.relations import RELATIONS, Pointer, references_to
from euregionet_desktop.storage.fields import field_map, fields_of
from euregionet_desktop.storage.models import MODEL_BY_ENTITY
from euregionet_desktop.sync.changelog import ChangeWriter


def test_the_table_holds_every_reference_field_of_the_models():
    """Every ref / ref_list column is declared once with the target its column names, and
    the table declares no reference the models do not have."""
    in_models = {(entity, f.name, f.ref) for entity in MODEL_BY_ENTITY
                 for f in fields_of(entity) if f.kind in ("ref", "ref_list") or f.ref}
    stored = [(r.entity, r.field, r.target) for r in REFERENCES if r.field]
    assert [key for key, count in Counter(stored).items() if count > 1] == []
    assert set(stored) == in_models
    # The one declared relation without a stored field: a cluster's people.
    assert [(r.entity, r.target) for r in REFERENCES if not r.field] == [("contact", "cluster")]


def test_shown_columns_are_fields_of_the_listed_records():
    """A tab or a form section lists only fields its records have."""
    for reference in REFERENCES:
        for shown in (reference.tab, reference.child):
            if shown is not None:
                assert set(shown.columns) <= set(field_map(reference.entity)), reference


def test_cascades_and_children_are_stored_required_links():
    """What cascades or is edited on a parent's form points at it through a stored field."""
    for reference in REFERENCES:
        if reference.cascade or reference.child:
            assert field_map(reference.entity)[reference.field].kind == "ref"
    assert all(r.cascade for group in CHILDREN.values() for r in group)


def test_derived_views_keep_the_windows_tabs_cascades_and_forms():
    """The detail panes' tabs, the cascades and the forms' child lists, as people know them."""
    assert {owner: [r.key for r in tabs] for owner, tabs in RELATIONS.items()} == {
        "cluster": ["members", "contacts", "consultations", "evaluations", "action_plans",
                    "events", "tasks", "initiatives"],
        "organisation": ["memberships", "contacts", "consultations", "tasks"],
        "contact": ["memberships", "participations", "tasks"],
        "consultation": ["tasks"],
        "action_plan": ["measures"],
        "event": ["participants"],
        "initiative": ["steps"],
    }
    assert RELATIONS["contact"][1].entity == "participant"
    assert RELATIONS["contact"][1].columns == ("event_id", "role", "registered", "attended")
    assert set(TABS) == set(RELATIONS)
    assert CASCADES == {
        "cluster": (("membership", "cluster_id"), ("evaluation", "cluster_id"),
                    ("action_plan", "cluster_id"), ("initiative", "cluster_id")),
        "organisation": (("membership", "organisation_id"),),
        "contact": (("membership", "contact_id"),),
        "consultation": (("task", "consultation_id"),),
        "action_plan": (("measure", "action_plan_id"),),
        "event": (("participant", "event_id"),),
        "initiative": (("formation_step", "initiative_id"),),
    }
    assert CHILD_LINKS == {("organisation", "membership"): "organisation_id",
                           ("consultation", "task"): "consultation_id",
                           ("action_plan", "measure"): "action_plan_id",
                           ("event", "participant"): "event_id",
                           ("initiative", "formation_step"): "initiative_id"}
    assert {parent: [r.child.key for r in group] for parent, group in CHILDREN.items()} == {
        "organisation": ["memberships"], "consultation": ["followUps"],
        "action_plan": ["measures"], "event": ["participants"],
        "initiative": ["formationSteps"]}


def test_references_to_a_contact_lists_every_record_pointing_at_it(core, add):
    """Memberships (a deleted one too), tasks, event participations, consultations listing
    the person among others, and attachments linked to the person; nothing else."""
    person = add("contact", first_name="Jan", last_name="Kowalski")
    other = add("contact", first_name="Ewa", last_name="Nowak")
    cluster = add("cluster", name_pl="Klaster", country="PL")
    membership = add("membership", cluster_id=cluster, contact_id=person)
    add("membership", cluster_id=cluster, contact_id=other)
    event = add("event", title_pl="Kongres", kind="cluster_congress", starts_on="2019-05-06")
    participant = add("participant", event_id=event, contact_id=person)
    task = add("task", title="Zadzwonić", contact_id=person)
    both = add("consultation", held_at="2019-03-14 10:00", subject="Wizyta",
               contact_ids=[other, person])
    add("consultation", held_at="2019-03-15 10:00", subject="Inna", contact_ids=[other])
    core.backend.run(editing.delete_many, entity="membership", record_ids=[membership])

    def attach(session, *, entity, record_id):
        return records.insert_record(session, ChangeWriter.for_session(session), "attachment", {
            "sha256": "0" * 64, "file_name": "zgoda.pdf", "kind": "other",
            "linked_entity": entity, "linked_id": record_id})

    attachment = core.backend.run(attach, entity="contact", record_id=person)
    core.backend.run(attach, entity="contact", record_id=other)
    core.backend.run(attach, entity="cluster", record_id=person)  # another record type with the same id

    found = core.backend.read(references_to, entity="contact", record_id=person)
    assert sorted(found, key=lambda p: (p.entity, p.field)) == [
        Pointer("attachment", "linked_id", attachment),
        Pointer("consultation", "contact_ids", both),
        Pointer("membership", "contact_id", membership),
        Pointer("participant", "contact_id", participant),
        Pointer("task", "contact_id", task),
    ]
    assert len(found) == len(set(found))


def test_references_to_a_cluster_and_to_an_unreferenced_record(core, add):
    """A cluster's pointers cover every table that refers to clusters; a fresh one has none."""
    organisation = add("organisation", name="Firma", country="PL")
    cluster = add("cluster", name_pl="Klaster", country="PL", coordinator_id=organisation)
    plan = add("action_plan", cluster_id=cluster, title="Plan")
    found = core.backend.read(references_to, entity="organisation", record_id=organisation)
    assert found == [Pointer("cluster", "coordinator_id", cluster)]
    found = core.backend.read(references_to, entity="cluster", record_id=cluster)
    assert found == [Pointer("action_plan", "cluster_id", plan)]
    lonely = add("contact", last_name="Sam")
    assert core.backend.read(references_to, entity="contact", record_id=lonely) == []
