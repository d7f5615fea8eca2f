"""Tests for services.records: create, edit, delete, restore, read and list every entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from euregionet_desktop.domain import programme
from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.services import records
from euregionet_desktop.services.profile import Core, profile_info
from euregionet_desktop.storage.models import Change

OFFICE_IDS = {office.code: office.id for office in programme.OFFICES}
LOP = OFFICE_IDS["LOP"]


def change_count(core: Core) -> int:
    return core.backend.read(
        lambda session: session.execute(select(func.count()).select_from(Change)).scalar())


def get(core: Core, entity: str, record_id: str):
    return core.backend.read(records.get, entity=entity, record_id=record_id)


def page(core: Core, entity: str, **kwargs: Any):
    return core.backend.read(records.list_page, entity=entity, **kwargs)


def refused(core: Core, fn: Callable[..., Any], **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        core.backend.run(fn, **kwargs)
    return caught.value


# --- Every user entity ---------------------------------------------------------------------
# Each builder creates what the record needs and returns (values to create it with, an edit,
# the stored values expected after create and after the edit).


def _cluster(add):
    return add("cluster", name_pl="Klaster Metalowy", country="PL")


def _organisation(add):
    return add("organisation", name="Metal Sp. z o.o.", country="PL")


def _contact(add):
    return add("contact", first_name="Jan", last_name="Kowalski")


def _action_plan(add):
    return add("action_plan", cluster_id=_cluster(add), title="Plan działań 2018")


def _event(add):
    return add("event", kind="kickoff", title_pl="Spotkanie startowe", starts_on="2018-03-01")


def _advisor(add):
    return add("advisor", name="Piotr Zieliński", office_id=LOP)


BUILDERS: dict[str, Callable[[Callable[..., str]], tuple[dict, dict, dict, dict]]] = {
    "advisor": lambda add: (
        {"name": "Piotr Zieliński", "office_id": OFFICE_IDS["BIC"]},
        {"email": "piotr@example.pl"},
        {"name": "Piotr Zieliński", "office_id": OFFICE_IDS["BIC"]},
        {"email": "piotr@example.pl"},
    ),
    "cluster": lambda add: (
        {"name_pl": "Lubuski Klaster Metalowy", "country": "PL", "cross_border": "tak",
         "smart_specialisations": "pl_industry, de_metal", "founded_on": "15.06.2017"},
        {"name_de": "Lebuser Metallcluster", "stage": "established"},
        {"name_pl": "Lubuski Klaster Metalowy", "kind": "cluster", "cross_border": True,
         "smart_specialisations": ["pl_industry", "de_metal"],
         "founded_on": dt.date(2017, 6, 15)},
        {"name_de": "Lebuser Metallcluster", "stage": "established"},
    ),
    "organisation": lambda add: (
        {"name": "Łódź Metal Sp. z o.o.", "country": "PL", "city": "Łódź",
         "nip": "526-000-12-46", "postal_code": "66400"},
        {"city": "Zielona Góra", "phone": "68 123 45 67"},
        {"name": "Łódź Metal Sp. z o.o.", "nip": "5260001246", "postal_code": "66-400"},
        {"city": "Zielona Góra", "phone": "+48681234567"},
    ),
    "membership_with_organisation": lambda add: (
        {"cluster_id": _cluster(add), "organisation_id": _organisation(add)},
        {"role": "coordinator", "joined_on": "2018-01-10"},
        {"role": "member"},
        {"role": "coordinator", "joined_on": dt.date(2018, 1, 10)},
    ),
    "membership_with_contact": lambda add: (
        {"cluster_id": _cluster(add), "contact_id": _contact(add), "role": "partner"},
        {"recruited_by_programme": "yes"},
        {"role": "partner", "organisation_id": None},
        {"recruited_by_programme": True},
    ),
    "contact": lambda add: (
        {"first_name": "Jürgen", "last_name": "Müller", "email": "j.mueller@example.de",
         "tags": "Cluster, Energie"},
        {"phone": "+49 30 1234567", "language": "de"},
        {"last_name": "Müller", "tags": ["Cluster", "Energie"]},
        {"phone": "+49301234567", "language": "de"},
    ),
    "consultation": lambda add: (
        {"held_at": "2018-05-03 10:30", "cluster_id": _cluster(add),
         "contact_ids": [_contact(add)], "topics": "cluster_dialogue, projects_funding",
         "mode": "site_visit"},
        {"subject": "Strategia klastra", "duration_minutes": "90"},
        {"held_at": "2018-05-03 10:30", "topics": ["cluster_dialogue", "projects_funding"]},
        {"subject": "Strategia klastra", "duration_minutes": 90},
    ),
    "task": lambda add: (
        {"title": "Wysłać ankietę", "assignee_id": _advisor(add), "due_on": "2018-05-10"},
        {"done": "yes"},
        {"title": "Wysłać ankietę", "due_on": dt.date(2018, 5, 10), "done": None},
        {"done": True},
    ),
    "evaluation": lambda add: (
        {"cluster_id": _cluster(add), "evaluated_on": "2018-06-01",
         "scores": {"structure.members": 3, "governance.staff": {"score": 2, "comment": "OK"}}},
        {"scores": '{"structure.members": 4}'},
        {"scores": {"structure.members": {"score": 3},
                    "governance.staff": {"score": 2, "comment": "OK"}}},
        {"scores": {"structure.members": {"score": 4}}},
    ),
    "action_plan": lambda add: (
        {"cluster_id": _cluster(add), "title": "Plan działań 2018"},
        {"status": "agreed", "signed_on": "2018-09-01"},
        {"status": "draft"},
        {"status": "agreed", "signed_on": dt.date(2018, 9, 1)},
    ),
    "measure": lambda add: (
        {"action_plan_id": _action_plan(add), "title": "Wizyta studyjna", "cost": "1200.50",
         "currency": "EUR", "starts_on": "2018-10-01"},
        {"ends_on": "2018-10-03", "status": "done"},
        {"cost": Decimal("1200.50"), "starts_on": dt.date(2018, 10, 1)},
        {"ends_on": dt.date(2018, 10, 3), "status": "done"},
    ),
    "event": lambda add: (
        {"kind": "study_trip", "title_pl": "Podróż studyjna", "starts_on": "2018-04-10",
         "ends_on": "2018-04-12", "office_id": LOP},
        {"place": "Cottbus", "title_de": "Studienreise"},
        {"kind": "study_trip", "ends_on": dt.date(2018, 4, 12)},
        {"place": "Cottbus", "title_de": "Studienreise"},
    ),
    "participant": lambda add: (
        {"event_id": _event(add), "name": "Gość z Gubina", "role": "guest"},
        {"attended": "nie"},
        {"name": "Gość z Gubina", "role": "guest"},
        {"attended": False},
    ),
}


@pytest.mark.parametrize("case", sorted(BUILDERS))
def test_every_user_entity_create_get_edit_list_delete(core, add, case):
    """Each user entity can be created, read, edited, listed and deleted."""
    entity = case.split("_with_")[0]
    create_values, edit_values, after_create, after_edit = BUILDERS[case](add)

    record_id = add(entity, **create_values)
    created = get(core, entity, record_id)
    assert created.entity == entity and created.id == record_id and not created.deleted
    for name, expected in after_create.items():
        assert created.values[name] == expected, name
    assert record_id in [row.id for row in page(core, entity, limit=None).rows]

    changes = core.backend.run(records.update_record, entity=entity, record_id=record_id,
                               values=edit_values)
    assert changes.entities == {entity}
    edited = get(core, entity, record_id)
    for name, expected in after_edit.items():
        assert edited.values[name] == expected, name
    for name, expected in after_create.items():
        if name not in after_edit:
            assert edited.values[name] == expected, name

    changes = core.backend.run(records.delete, entity=entity, record_id=record_id)
    assert record_id in changes.record_ids
    with pytest.raises(NotFoundError):
        get(core, entity, record_id)
    assert record_id not in [row.id for row in page(core, entity, limit=None).rows]


def test_get_unknown_id_raises_not_found_naming_the_id(core):
    """Reading a record that never existed says which id was not found."""
    with pytest.raises(NotFoundError, match="no-such-id"):
        get(core, "cluster", "no-such-id")


# --- Reference and system entities -------------------------------------------------------


def test_office_can_be_edited(core):
    """A partner office's details can be corrected by hand."""
    core.backend.run(records.update_record, entity="office", record_id=LOP,
                     values={"city": "Gorzów Wlkp."})
    assert get(core, "office", LOP).values["city"] == "Gorzów Wlkp."


def test_indicator_target_can_be_edited(core):
    """An indicator's target can be changed (the programme may be amended)."""
    indicator_id = programme.INDICATORS[0].id
    core.backend.run(records.update_record, entity="indicator", record_id=indicator_id,
                     values={"target": "2"})
    assert get(core, "indicator", indicator_id).values["target"] == 2


@pytest.mark.parametrize("entity, values", [
    ("office", {"code": "XYZ", "name": "Nowe biuro", "country": "PL"}),
    ("indicator", {"code": "extra", "name_pl": "a", "name_de": "b", "name_en": "c",
                   "target": "1", "period_start": "2017-04-01", "period_end": "2020-08-31"}),
    ("installation", {"office_id": LOP}),
    ("attachment", {"sha256": "0" * 64, "file_name": "a.docx", "kind": "file"}),
])
def test_managed_entities_cannot_be_added(core, entity, values):
    """Offices, indicators, installations and attachments cannot be added by hand."""
    before = change_count(core)
    refused(core, records.create, entity=entity, values=values)
    assert page(core, entity, limit=None).total == {"office": 4, "indicator": 11,
                                                     "installation": 1, "attachment": 0}[entity]
    assert change_count(core) == before


@pytest.mark.parametrize("entity, record_id", [
    ("office", LOP),
    ("indicator", programme.INDICATORS[0].id),
])
def test_reference_entities_cannot_be_deleted(core, entity, record_id):
    """Deleting an office or an indicator is refused and leaves it in place."""
    refused(core, records.delete, entity=entity, record_id=record_id)
    assert not get(core, entity, record_id).deleted


def test_installation_cannot_be_edited_or_deleted(core):
    """The installation record is managed by the app: edit and delete are refused."""
    installation_id = core.backend.read(profile_info).installation_id
    refused(core, records.update_record, entity="installation", record_id=installation_id,
            values={"label": "Laptop 2"})
    refused(core, records.delete, entity="installation", record_id=installation_id)
    assert get(core, "installation", installation_id).values["label"] is None


# --- Cascades and restore --------------------------------------------------------------


def test_deleting_cluster_deletes_its_memberships_and_restore_brings_them_back(core, add):
    """A cluster's memberships go with it, and restoring the targets brings all back."""
    cluster = _cluster(add)
    other_cluster = add("cluster", name_pl="Inny klaster", country="DE")
    organisation = _organisation(add)
    contact = _contact(add)
    by_org = add("membership", cluster_id=cluster, organisation_id=organisation)
    by_contact = add("membership", cluster_id=cluster, contact_id=contact)
    elsewhere = add("membership", cluster_id=other_cluster, organisation_id=organisation)

    changes = core.backend.run(records.delete, entity="cluster", record_id=cluster)

    assert set(changes.record_ids) == {cluster, by_org, by_contact}
    assert changes.entities == {"cluster", "membership"}
    assert [row.id for row in page(core, "membership").rows] == [elsewhere]
    assert get(core, "organisation", organisation).id == organisation  # not cascaded

    targets = [("cluster", cluster), ("membership", by_org), ("membership", by_contact)]
    core.backend.run(records.restore, targets=targets)
    assert not get(core, "cluster", cluster).deleted
    assert {row.id for row in page(core, "membership").rows} == {by_org, by_contact, elsewhere}


def test_deleting_contact_deletes_its_memberships_and_restore_brings_them_back(core, add):
    """A contact's memberships go with the contact and come back with restore."""
    cluster = _cluster(add)
    contact = _contact(add)
    membership = add("membership", cluster_id=cluster, contact_id=contact)

    changes = core.backend.run(records.delete, entity="contact", record_id=contact)

    assert set(changes.record_ids) == {contact, membership}
    assert page(core, "membership").total == 0
    with pytest.raises(NotFoundError):
        get(core, "membership", membership)
    core.backend.run(records.restore, targets=[("contact", contact), ("membership", membership)])
    assert get(core, "membership", membership).values["contact_id"] == contact


def test_deleting_action_plan_deletes_its_measures(core, add):
    """Measures cannot stand without their action plan."""
    plan = _action_plan(add)
    measure = add("measure", action_plan_id=plan, title="Warsztaty")
    changes = core.backend.run(records.delete, entity="action_plan", record_id=plan)
    assert set(changes.record_ids) == {plan, measure}
    assert page(core, "measure").total == 0


def test_deleting_twice_is_refused(core, add):
    """A deleted record cannot be deleted again (it is not found)."""
    cluster = _cluster(add)
    core.backend.run(records.delete, entity="cluster", record_id=cluster)
    with pytest.raises(NotFoundError):
        core.backend.run(records.delete, entity="cluster", record_id=cluster)


# --- Edits that change nothing, required fields ---------------------------------------


def test_unchanged_edit_writes_nothing(core, add):
    """Saving the same values again adds nothing to the change log."""
    contact = add("contact", first_name="Jan", last_name="Kowalski", email="jan@example.pl")
    before = change_count(core)
    changes = core.backend.run(records.update_record, entity="contact", record_id=contact,
                               values={"first_name": "Jan", "last_name": " Kowalski ",
                                       "email": "jan@example.pl"})
    assert changes.entities == frozenset()
    assert change_count(core) == before


def test_edit_writes_only_the_changed_fields(core, add):
    """An edit with one new and one unchanged value logs exactly one change."""
    contact = add("contact", first_name="Jan", last_name="Kowalski")
    before = change_count(core)
    core.backend.run(records.update_record, entity="contact", record_id=contact,
                     values={"first_name": "Jan", "last_name": "Nowak"})
    assert change_count(core) == before + 1


@pytest.mark.parametrize("entity, values, missing", [
    ("contact", {"first_name": "Jan"}, "last_name"),
    ("cluster", {"name_pl": "Klaster"}, "country"),
    ("organisation", {"country": "PL"}, "name"),
    ("event", {"kind": "kickoff", "title_pl": "Spotkanie"}, "starts_on"),
    ("evaluation", {"evaluated_on": "2018-01-01"}, "cluster_id"),
    ("contact", {"last_name": "   "}, "last_name"),
])
def test_required_fields_enforced_on_create(core, entity, values, missing):
    """A record without a required field is refused, naming that field."""
    before = change_count(core)
    error = refused(core, records.create, entity=entity, values=values)
    assert error.field == missing
    assert page(core, entity).total == 0
    assert change_count(core) == before


@pytest.mark.parametrize("cleared", ["", None, "  "])
def test_required_field_cannot_be_cleared_in_edit(core, add, cleared):
    """Clearing a required field in an edit is refused and the old value stays."""
    contact = add("contact", last_name="Kowalski")
    error = refused(core, records.update_record, entity="contact", record_id=contact,
                    values={"last_name": cleared})
    assert error.field == "last_name"
    assert "Last name" in error.message
    assert get(core, "contact", contact).values["last_name"] == "Kowalski"


def test_unknown_field_refused_with_known_fields_listed(core):
    """A field name the entity does not have is refused, listing the known ones."""
    error = refused(core, records.create, entity="contact",
                    values={"last_name": "Kowalski", "surname": "x"})
    assert error.field == "surname"
    assert "last_name" in error.message


# --- Cross-field rules ----------------------------------------------------------------


def test_measure_ending_before_it_starts_refused_on_create(core, add):
    """A measure whose end is before its start is refused, naming the end."""
    plan = _action_plan(add)
    error = refused(core, records.create, entity="measure", values={
        "action_plan_id": plan, "title": "Targi", "starts_on": "2018-05-10",
        "ends_on": "2018-05-09"})
    assert error.field == "ends_on"
    assert page(core, "measure").total == 0


def test_event_end_moved_before_start_refused_on_edit(core, add):
    """Moving an event's end before its stored start is refused; the end stays."""
    event = add("event", kind="workshop", title_pl="Warsztaty", starts_on="2018-05-10",
                ends_on="2018-05-11")
    error = refused(core, records.update_record, entity="event", record_id=event,
                    values={"ends_on": "2018-05-01"})
    assert error.field == "ends_on"
    assert get(core, "event", event).values["ends_on"] == dt.date(2018, 5, 11)


def test_same_day_event_is_accepted(core, add):
    """An event that ends the day it starts is fine (the rule is strict 'before')."""
    event = add("event", kind="workshop", title_pl="Warsztaty", starts_on="2018-05-10",
                ends_on="2018-05-10")
    assert get(core, "event", event).values["ends_on"] == dt.date(2018, 5, 10)


def test_membership_needs_organisation_or_contact(core, add):
    """A membership of nobody is refused."""
    error = refused(core, records.create, entity="membership",
                    values={"cluster_id": _cluster(add)})
    assert error.field == "organisation_id"
    assert page(core, "membership").total == 0


def test_membership_cannot_lose_its_only_member_in_edit(core, add):
    """Clearing the organisation of an organisation-only membership is refused."""
    organisation = _organisation(add)
    membership = add("membership", cluster_id=_cluster(add), organisation_id=organisation)
    refused(core, records.update_record, entity="membership", record_id=membership,
            values={"organisation_id": ""})
    assert get(core, "membership", membership).values["organisation_id"] == organisation


@pytest.mark.parametrize("member", ["organisation_id", "contact_id"])
def test_duplicate_membership_refused(core, add, member):
    """The same organisation or contact cannot join the same cluster twice."""
    cluster = _cluster(add)
    member_id = _organisation(add) if member == "organisation_id" else _contact(add)
    add("membership", cluster_id=cluster, **{member: member_id})
    error = refused(core, records.create, entity="membership",
                    values={"cluster_id": cluster, member: member_id, "role": "partner"})
    assert error.field == member
    assert page(core, "membership").total == 1


def test_member_may_join_another_cluster_and_rejoin_after_leaving(core, add):
    """Duplicates are per cluster and per live membership: a former member may rejoin."""
    organisation = _organisation(add)
    cluster = _cluster(add)
    first = add("membership", cluster_id=cluster, organisation_id=organisation,
                joined_on="2017-01-01")
    add("membership", cluster_id=add("cluster", name_pl="B", country="PL"),
        organisation_id=organisation)
    core.backend.run(records.update_record, entity="membership", record_id=first,
                     values={"left_on": "2017-12-31"})
    add("membership", cluster_id=cluster, organisation_id=organisation, joined_on="2018-06-01")
    assert page(core, "membership").total == 3


# --- References ----------------------------------------------------------------------


def test_reference_to_missing_record_refused_naming_the_field(core):
    """A cluster id that does not exist is refused with the field's label and the id."""
    error = refused(core, records.create, entity="evaluation", values={
        "cluster_id": "00000000-0000-0000-0000-000000000000", "evaluated_on": "2018-01-01"})
    assert error.field == "cluster_id"
    assert error.message.startswith("Cluster:")
    assert "00000000-0000-0000-0000-000000000000" in error.message


def test_reference_to_deleted_record_refused_naming_the_field(core, add):
    """A deleted organisation cannot be chosen for a contact."""
    organisation = _organisation(add)
    core.backend.run(records.delete, entity="organisation", record_id=organisation)
    error = refused(core, records.create, entity="contact",
                    values={"last_name": "Kowalski", "organisation_id": organisation})
    assert error.field == "organisation_id"
    assert "Organisation" in error.message
    assert page(core, "contact").total == 0


def test_reference_list_with_one_missing_id_refused(core, add):
    """One unknown contact among a consultation's participants refuses the whole list."""
    contact = _contact(add)
    error = refused(core, records.create, entity="consultation", values={
        "held_at": "2018-05-03 10:00", "contact_ids": f"{contact}, missing-contact"})
    assert error.field == "contact_ids"
    assert "missing-contact" in error.message


def test_edit_to_reference_a_deleted_record_refused(core, add):
    """An edit cannot point a task at a deleted cluster."""
    cluster = _cluster(add)
    task = add("task", title="Zadzwonić", cluster_id=cluster)
    other = add("cluster", name_pl="Usunięty", country="PL")
    core.backend.run(records.delete, entity="cluster", record_id=other)
    error = refused(core, records.update_record, entity="task", record_id=task,
                    values={"cluster_id": other})
    assert error.field == "cluster_id"
    assert get(core, "task", task).values["cluster_id"] == cluster


# --- Lists: Polish and German order, filter ------------------------------------------


POLISH_NAMES = ["Żagań", "Zielona Góra", "Łagów", "Lubsko", "Ćmielów", "Czerwieńsk"]
POLISH_ORDER = ["Czerwieńsk", "Ćmielów", "Lubsko", "Łagów", "Zielona Góra", "Żagań"]


def test_list_sorts_polish_names_in_polish_alphabetical_order(core, add):
    """c < ć, l < ł, z < ż: clusters come out in Polish order, and reversed descending."""
    for name in POLISH_NAMES:
        add("cluster", name_pl=name, country="PL")
    ascending = [row.label for row in page(core, "cluster").rows]
    descending = [row.label for row in page(core, "cluster", descending=True).rows]
    assert ascending == POLISH_ORDER
    assert descending == POLISH_ORDER[::-1]


def test_list_sorts_by_chosen_field_with_polish_rules(core, add):
    """Sorting organisations by city uses the same Polish order."""
    for n, city in enumerate(POLISH_NAMES):
        add("organisation", name=f"Firma {n}", country="PL", city=city)
    rows = page(core, "organisation", order_by="city").rows
    assert [row.values["city"] for row in rows] == POLISH_ORDER


def test_list_sorts_german_names_umlaut_with_base_letter_and_sharp_s_as_ss(core, add):
    """Ö sorts with o, ß as ss, and case does not split the alphabet."""
    for name in ["Zeiss", "Öko Energie", "Oder Logistik", "Grosst", "Großmann", "Grossa",
                 "apfel AG"]:
        add("organisation", name=name, country="DE")
    assert [row.label for row in page(core, "organisation").rows] == [
        "apfel AG", "Grossa", "Großmann", "Grosst", "Oder Logistik", "Öko Energie", "Zeiss"]


def test_list_page_offset_limit_and_total(core, add):
    """Paging returns the requested slice and the total of all matching rows."""
    for name in POLISH_NAMES:
        add("cluster", name_pl=name, country="PL")
    second = page(core, "cluster", offset=2, limit=2)
    assert second.total == 6
    assert [row.label for row in second.rows] == POLISH_ORDER[2:4]


def test_list_refuses_unknown_sort_field(core):
    """Sorting by a column that does not exist is a validation error, not SQL failure."""
    with pytest.raises(ValidationError):
        page(core, "cluster", order_by="no_such_column")


@pytest.mark.parametrize("typed", ["lodz", "Łódź", "LODZ", "łódź metal"])
def test_filter_folds_polish_letters(core, add, typed):
    """Typing "lodz" (or Łódź in any case) finds "Łódź Sp. z o.o." and nothing else."""
    wanted = add("organisation", name="Łódź Metal Sp. z o.o.", country="PL")
    add("organisation", name="Poznań Sp. z o.o.", country="PL")
    result = page(core, "organisation", filter_text=typed)
    assert [row.id for row in result.rows] == [wanted]
    assert result.total == 1


def test_filter_excludes_deleted_records(core, add):
    """A deleted organisation no longer matches the filter."""
    organisation = add("organisation", name="Łódź Sp. z o.o.", country="PL")
    core.backend.run(records.delete, entity="organisation", record_id=organisation)
    assert page(core, "organisation", filter_text="lodz").total == 0


def test_filter_folds_polish_letters_for_entities_outside_search_index(core, add):
    """The advisor list filter also finds "Łukasz Łódź" by typing "lodz"."""
    wanted = add("advisor", name="Łukasz Łódź", office_id=LOP)
    assert [row.id for row in page(core, "advisor", filter_text="lodz").rows] == [wanted]


def test_filter_on_measures_only_lists_matching_measures(core, add):
    """Filtering the measures of a plan by "targi" shows the fair, not the workshop."""
    plan = _action_plan(add)
    wanted = add("measure", action_plan_id=plan, title="Targi w Poznaniu")
    add("measure", action_plan_id=plan, title="Warsztaty")
    assert [row.id for row in page(core, "measure", filter_text="targi").rows] == [wanted]


def test_list_sorted_by_a_reference_follows_the_referenced_names(core, add):
    """Contacts sorted by organisation go by the organisation's name in Polish order."""
    names = {"Żuraw Sp. z o.o.": [], "Łąka GmbH": [], "Alfa SA": []}
    for name in names:
        org = add("organisation", name=name, country="PL")
        for last in ("Nowak", "Kowalska"):
            names[name].append(add("contact", last_name=last, organisation_id=org))
    loner = add("contact", last_name="Bez Firmy")
    rows = core.backend.read(records.ordered_rows, entity="contact", order_by="organisation_id")
    ids = [record_id for _rowid, record_id in rows]
    assert ids[0] == loner
    assert [set(ids[1:3]), set(ids[3:5]), set(ids[5:7])] == [
        set(names["Alfa SA"]), set(names["Łąka GmbH"]), set(names["Żuraw Sp. z o.o."])]
    backwards = core.backend.read(records.ordered_rows, entity="contact",
                                  order_by="organisation_id", descending=True)
    assert [record_id for _rowid, record_id in backwards] == list(reversed(ids))


def test_filter_rowids_select_the_same_records_as_the_list_filter(core, add):
    """The rowid set a list filters its cached order by matches the SQL filter."""
    for last in ("Kozłowski", "Kowalski", "Müller"):
        add("contact", last_name=last)
    rows = core.backend.read(records.ordered_rows, entity="contact")
    for typed in ("koz", "mueller", "k"):
        matches = core.backend.read(records.filter_rowids, entity="contact", filter_text=typed)
        assert [i for r, i in rows if r in matches] == core.backend.read(
            records.list_ids, entity="contact", filter_text=typed)
    assert core.backend.read(records.filter_rowids, entity="contact", filter_text=" ") is None


def test_records_without_a_name_are_named_by_what_they_tie_together(core, add):
    """An initiative by its cluster; a membership by its organisation (else its person)
    and cluster — in pickers, messages, file names, the indicators' lists."""
    cluster = add("cluster", name_pl="Klaster Odra", name_de="Oder-Cluster", country="PL")
    firm = add("organisation", name="Odra Tech", country="PL")
    person = add("contact", first_name="Jan", last_name="Kowalski")
    by_firm = add("membership", cluster_id=cluster, organisation_id=firm)
    by_person = add("membership", cluster_id=cluster, contact_id=person)
    initiative = add("initiative", cluster_id=cluster)
    assert core.backend.read(records.labels, entity="membership",
                             record_ids=[by_firm, by_person]) == {
        by_firm: "Odra Tech – Klaster Odra", by_person: "Jan Kowalski – Klaster Odra"}
    assert core.backend.read(records.labels, entity="initiative",
                             record_ids=[initiative]) == {initiative: "Klaster Odra"}
