"""services.duplicates on a real profile: candidates by key, the while-typing check, and
the "not a duplicate" decision (a synced record that erasure empties)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from euregionet_desktop.errors import NotFoundError, ValidationError
from euregionet_desktop.services import duplicates, records
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.erasure import erase
from euregionet_desktop.services.undo import undo
from euregionet_desktop.storage.models import Change


def change_count(core) -> int:
    return core.backend.read(
        lambda session: session.execute(select(func.count()).select_from(Change)).scalar())


def pairs(core, entity):
    return core.backend.read(duplicates.candidates, entity=entity)


def typed(core, entity, record_id=None, **values):
    return core.backend.read(duplicates.possible_duplicates, entity=entity, values=values,
                             record_id=record_id)


@pytest.fixture
def odra(add):
    first = add("organisation", name="Odrzańskie Zakłady Metalowe Sp. z o.o.", country="PL",
                nip="599-000-20-05", city="Gorzów Wielkopolski")
    second = add("organisation", name="ODRZANSKIE ZAKLADY METALOWE", country="PL",
                 nip="PL5990002005")
    add("organisation", name="Odrzańskie Zakłady Drzewne", country="PL",
        city="Gorzów Wielkopolski", nip="4699991778")
    return first, second


def test_the_pair_is_found_with_its_reasons(core, odra):
    [pair] = pairs(core, "organisation")
    assert set(pair.ids) == set(odra) and list(pair.ids) == sorted(odra)
    assert pair.score == 100 and pair.reason_codes[0] == "tax_id"
    assert pair.reasons[0] == "the same NIP / VAT ID"
    assert set(pair.labels) == {"Odrzańskie Zakłady Metalowe Sp. z o.o.",
                                "ODRZANSKIE ZAKLADY METALOWE"}
    assert pair.group == tuple(sorted(odra))


def test_reasons_are_translated(core, odra, polish):
    [pair] = pairs(core, "organisation")
    assert pair.reasons[0] == "ten sam NIP / NIP UE"


def test_groups_and_order(core, add):
    ids = [add("contact", first_name="Ewa", last_name=f"Zielińska {n}",
               email="EWA@odra.pl" if n else "ewa@odra.pl") for n in range(3)]
    found = pairs(core, "contact")
    assert len(found) == 3 and {p.group for p in found} == {tuple(sorted(ids))}
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    assert core.backend.read(duplicates.candidates, entity="contact", limit=1) == found[:1]


def test_a_phone_and_a_mobile_are_one_number(core, add):
    first = add("contact", first_name="Jürgen", last_name="Müller", phone="+49 335 123456")
    second = add("contact", first_name="Juergen", last_name="Mueller", mobile="+49 (0)335 123456")
    add("contact", first_name="Jürgen", last_name="Müller", phone="+49 335 654321")
    [pair] = pairs(core, "contact")
    assert pair.ids == tuple(sorted((first, second)))
    assert pair.reason_codes == ("phone", "same_name")
    assert pair.score >= 90


def test_deleted_records_are_no_candidates(core, odra):
    core.backend.run(records.delete, entity="organisation", record_id=odra[1])
    assert pairs(core, "organisation") == []


def test_while_typing_finds_the_firm_by_any_key(core, odra, add):
    # The NIP in a third spelling, nothing else typed yet.
    hits = typed(core, "organisation", nip="599 000 20 05")
    assert {h.id for h in hits} == set(odra)
    assert all("nip" in h.fields and h.reason_codes == ("tax_id",) for h in hits)
    # The name in capitals without the legal form, in the same town.
    hits = typed(core, "organisation", name="odrzanskie zaklady metalowe sp. z o.o.",
                 city="Gorzów Wlkp.")
    assert odra[0] in {h.id for h in hits} and all("name" in h.fields for h in hits)
    # The record being edited is not its own duplicate.
    hits = typed(core, "organisation", record_id=odra[0], nip="5990002005")
    assert [h.id for h in hits] == [odra[1]]
    assert typed(core, "organisation", name="Warta", nip="") == []
    person = add("contact", first_name="Jan", last_name="Kowalski", email="Jan.Kowalski@odra.pl",
                 phone="+48 601 234 567", organisation_id=odra[0])
    assert [h.id for h in typed(core, "contact", email="jan.kowalski@ODRA.pl")] == [person]
    hit, = typed(core, "contact", first_name="Jan", last_name="Kowalski",
                 organisation_id=odra[0])
    assert hit.id == person and hit.fields == ("last_name",)
    # The same number alone is worth a look; with another e-mail it is a shared line.
    assert [h.reason_codes for h in typed(core, "contact", first_name="Janina",
                                          last_name="Nowak", mobile="601-234-567")] == [
        ("phone",)]
    assert typed(core, "contact", first_name="Janina", last_name="Nowak",
                 mobile="601-234-567", email="j.nowak@odra.pl") == []
    assert [h.id for h in typed(core, "contact", first_name="Jan", last_name="Kowalski",
                                mobile="601-234-567")] == [person]


def test_not_a_duplicate_hides_the_pair_and_travels_as_a_record(core, odra):
    before = change_count(core)
    changes = core.backend.run(duplicates.not_duplicate, entity="organisation",
                               first_id=odra[1], second_id=odra[0])
    assert changes.entities == {"duplicate_decision"} and change_count(core) > before
    assert pairs(core, "organisation") == []
    assert typed(core, "organisation", record_id=odra[0], nip="5990002005") == []
    decision = core.backend.read(records.get, entity="duplicate_decision",
                                 record_id=changes.record_id)
    assert decision.values["organisation_ids"] == sorted(odra)
    assert b'"duplicate_decision"' in core.backend.read(dump)
    # Undone, the pair is back.
    core.backend.run(undo, step=changes.undo)
    assert len(pairs(core, "organisation")) == 1


@pytest.mark.parametrize(("entity", "ids", "error"), [
    ("event", None, ValidationError), ("organisation", "same", ValidationError),
    ("organisation", "missing", NotFoundError), ("contact", None, NotFoundError)])
def test_refusals_change_nothing(core, odra, entity, ids, error):
    first, second = odra
    if ids == "same":
        second = first
    elif ids == "missing":
        second = "00000000-0000-4000-8000-000000000000"
    before = core.backend.read(dump), change_count(core)
    with pytest.raises(error):
        core.backend.run(duplicates.not_duplicate, entity=entity, first_id=first,
                         second_id=second)
    assert (core.backend.read(dump), change_count(core)) == before


def test_deciding_twice_is_refused(core, odra):
    core.backend.run(duplicates.not_duplicate, entity="organisation", first_id=odra[0],
                     second_id=odra[1])
    before = change_count(core)
    with pytest.raises(ValidationError, match="already"):
        core.backend.run(duplicates.not_duplicate, entity="organisation", first_id=odra[1],
                         second_id=odra[0])
    assert change_count(core) == before


def test_an_erasure_takes_the_person_out_of_a_decision(core, add):
    ids = [add("contact", first_name="Ewa", last_name="Qwertzowska", email=f"ewa{n}@odra.pl")
           for n in range(2)]
    decision = core.backend.run(duplicates.not_duplicate, entity="contact", first_id=ids[0],
                                second_id=ids[1]).record_id
    core.backend.run(erase, entity="contact", record_id=ids[0], reason="gdpr_request")
    stored = core.backend.read(records.get, entity="duplicate_decision", record_id=decision)
    assert ids[0] not in stored.values["contact_ids"]
    assert ids[0].encode() not in core.backend.read(dump)


def test_clusters_are_found_by_either_name(core, add):
    first = add("cluster", name_pl="Lubuski Klaster Metalowy", name_de="Lebuser Metallcluster",
                country="PL")
    second = add("cluster", name_pl="Klaster Metalowy Lubuskie",
                 name_de="Lebuser Metallcluster e.V.", country="DE")
    add("cluster", name_pl="Klaster Turystyki Historycznej", country="PL")
    [pair] = pairs(core, "cluster")
    assert pair.ids == tuple(sorted((first, second)))
    assert {h.id for h in typed(core, "cluster", name_de="LEBUSER METALLCLUSTER")} == {
        first, second}


_typed_text = st.one_of(st.none(), st.text(max_size=40),
                        st.sampled_from(["PL", "599-000-20-05", "@", "http://", "+48", "*",
                                         '"', "NEAR(", "sp. z o.o.", "\ud800", "\x00"]))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entity=st.sampled_from(duplicates.ENTITIES),
       values=st.dictionaries(st.sampled_from(
           ["name", "nip", "vat_id", "regon", "krs", "register_number", "website", "city",
            "country", "first_name", "last_name", "email", "phone", "mobile",
            "organisation_id", "name_pl", "name_de"]), _typed_text, max_size=6))
def test_whatever_is_typed_the_check_answers_and_changes_nothing(core, odra, entity, values):
    before = change_count(core)
    hits = typed(core, entity, **values)
    assert all(h.score >= 70 and h.entity == entity for h in hits)
    assert change_count(core) == before
