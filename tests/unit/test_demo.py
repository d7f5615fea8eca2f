"""Tests for the demo data generator (services.demo) on real temporary profiles."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import orjson
import phonenumbers
import pytest
from email_validator import validate_email
from sqlalchemy import func, select
from stdnum.de import handelsregisternummer
from stdnum.de import vat as de_vat
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import AGREED_PLAN_STATUSES, EventKind, Region, Sector
from euregionet_desktop.errors import ProfileError, ValidationError
from euregionet_desktop.i18n import sort_key
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import demo
from euregionet_desktop.services.demo.vocabulary import (
    DE_SUBJECTS,
    DE_TASKS,
    PL_SUBJECTS,
    PL_TASKS,
    REGION_CODES,
    SECTOR_CODES,
)
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.services.search import search
from euregionet_desktop.storage.fields import fields_of, model_for, sorted_fields, to_json
from euregionet_desktop.storage.models import RECORD_MODELS, Change, LocalState
from euregionet_desktop.sync.changelog import dumps

EXAMPLE_DOMAINS = {"example.pl", "example.de", "example.com"}
# Seeded identically by every installation and never logged (services.profile).
UNLOGGED_ENTITIES = {"office", "indicator", "programme"}


def _demo_core(root, contacts=None):
    core = open_profile(Profile(root))

    def fill(session):
        initialise(session, office="LOP", advisor_name="Test")
        return demo.generate(session, contacts=contacts)

    core.backend.run(fill)
    return core


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    core = _demo_core(tmp_path_factory.mktemp("demo"))
    yield core
    core.close()


def in_period(day):
    return programme.PERIOD_START <= day <= programme.PERIOD_END


def rows(core, entity):
    table = model_for(entity).__table__
    return core.backend.read(lambda session: session.execute(select(table)).mappings().all())


def test_default_demo_has_the_reference_clusters_in_both_languages(core):
    """All 20 clusters of clusters.tsv are there, each with a Polish and a German name."""
    reference = demo.read_reference_clusters()
    clusters = rows(core, "cluster")
    assert len(reference) == 20 and len(clusters) == 20
    by_own_name = {(c["name_pl"] if c["country"] == "PL" else c["name_de"]): c for c in clusters}
    for row in reference:
        cluster = by_own_name[row["name"]]
        assert cluster["name_pl"] and cluster["name_de"]
        assert cluster["name_pl"] != cluster["name_de"] or "GO GREEN" in row["name"]
        assert cluster["country"] == row["country"]
        assert cluster["region"] == REGION_CODES[row["region"]]
        assert cluster["sectors"] and cluster["smart_specialisations"]
    office_codes = {o.id: o.code for o in programme.OFFICES}
    for cluster in clusters:
        expected = {"PL": {"LOP", "SNB"}, "DE": {"BIC", "CIT"}}[cluster["country"]]
        assert office_codes[cluster["office_id"]] in expected
        assert cluster["coordinator_id"] is not None
    assert by_own_name["Lubuski Klaster Metalowy"]["name_de"] == "Lebuser Metallcluster"
    assert by_own_name["Cluster Metall"]["name_pl"] == "Klaster Metalowy (Brandenburgia)"


def test_demo_speaks_the_language_of_the_owning_office(core):
    """A Polish office's clusters, consultations, follow-ups and plans are in Polish, a
    German office's in German: regions and sectors are codes of the translated lists (no
    English text), free text sits in the owning office's language field and mostly in the
    other one too."""
    office_codes = {o.id: o.code for o in programme.OFFICES}

    def polish(record):
        return office_codes[record["office_id"]] in {"LOP", "SNB"}

    clusters = rows(core, "cluster")
    by_name = {c["name_pl"]: c for c in clusters}
    assert by_name["Klaster Zwalczania Gatunków Inwazyjnych"]["region"] == "gorzow"
    assert by_name["Klaster Zwalczania Gatunków Inwazyjnych"]["sectors"] == [
        "environment", "invasive_species"]
    south = next(c for c in clusters if c["region"] == "south_brandenburg")
    assert south["sectors"] == ["metal", "electrical"]
    assert {c["region"] for c in clusters if "Lausitz" in (c["name_de"] or "")} <= {
        "lausitz", "cottbus", "south_brandenburg", "brandenburg"}
    sectors, regions = {s.value for s in Sector}, {r.value for r in Region}
    assert set(SECTOR_CODES.values()) <= sectors and set(REGION_CODES.values()) <= regions
    for cluster in clusters:
        assert set(cluster["sectors"]) <= sectors, cluster["sectors"]
        assert cluster["region"] in regions
    for organisation in rows(core, "organisation"):
        assert set(organisation["sectors"]) <= sectors
    consultations = {c["id"]: c for c in rows(core, "consultation")}
    for consultation in consultations.values():
        subjects = PL_SUBJECTS if polish(consultation) else DE_SUBJECTS
        own = consultation["subject" if polish(consultation) else "subject_de"]
        assert own in {subject for subject, _topics in subjects}
    both = [c for c in consultations.values() if c["subject"] and c["subject_de"]]
    assert len(consultations) * 0.7 < len(both) < len(consultations)
    tasks = rows(core, "task")
    assert tasks
    for task in tasks:
        own = consultations[task["consultation_id"]]
        assert task["title"] in (PL_TASKS if polish(own) else DE_TASKS), task["title"]
    plans = rows(core, "action_plan")
    for plan in plans:
        assert plan["title" if polish(plan) else "title_de"]  # the office's own language
        if plan["title"]:
            assert plan["title"].startswith("Plan działań – ")
        if plan["title_de"]:
            assert plan["title_de"].startswith("Aktionsplan – ")
        assert plan["starts_on"] <= plan["ends_on"]
        assert plan["baseline_pl" if polish(plan) else "baseline_de"]
    one_sided = [p for p in plans if not (p["objectives_pl"] and p["objectives_de"])]
    assert one_sided and len(one_sided) < len(plans)
    assert any(not p["title"] for p in plans if not polish(p))  # German only, no Polish title
    measures = rows(core, "measure")
    for measure in measures:
        for title, description in (("title", "description"), ("title_de", "description_de")):
            if measure[title] and measure[description]:
                assert measure[title] not in measure[description]
        assert measure["partners"] and measure["status"] and measure["indicator"]
        assert measure["target"]
    events = rows(core, "event")
    assert all(e["start_time"] and e["end_time"] for e in events)
    assert any(e["venue_address"] and "Frankfurt (Oder)" in e["venue_address"] for e in events)


def test_every_contact_has_a_last_name(core):
    """No contact person is stored without a last name."""
    contacts = rows(core, "contact")
    assert len(contacts) == demo.DEFAULT_CONTACTS
    assert all(c["last_name"] and c["last_name"].strip() for c in contacts)


def _valid_phone(value):
    number = phonenumbers.parse(value, None)
    return (phonenumbers.is_valid_number(number)
            and phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value)


def test_identifiers_phones_and_emails_are_valid(core):
    """Every NIP, REGON, KRS, VAT id, register number, phone, e-mail and postal code passes."""
    organisations = rows(core, "organisation")
    assert sum(1 for o in organisations if o["nip"]) >= 30
    assert sum(1 for o in organisations if o["vat_id"]) >= 20
    for org in organisations:
        if org["nip"]:
            assert pl_nip.is_valid(org["nip"]), org["nip"]
        if org["regon"]:
            assert pl_regon.is_valid(org["regon"]), org["regon"]
        if org["krs"]:
            assert re.fullmatch(r"[0-9]{10}", org["krs"])
        if org["vat_id"]:
            assert org["vat_id"].startswith("DE") and de_vat.is_valid(org["vat_id"][2:])
        if org["register_number"]:
            assert handelsregisternummer.validate(org["register_number"]) == org["register_number"]
        pattern = r"[0-9]{2}-[0-9]{3}" if org["country"] == "PL" else r"[0-9]{5}"
        assert re.fullmatch(pattern, org["postal_code"]), org["postal_code"]
    phones = [o["phone"] for o in organisations]
    phones += [p for c in rows(core, "contact") for p in (c["phone"], c["mobile"])]
    phones += [a["phone"] for a in rows(core, "advisor")]
    phones = [p for p in phones if p]
    assert len(phones) > 300
    assert [p for p in phones if not _valid_phone(p)] == []
    emails = [r["email"] for entity in ("organisation", "contact", "advisor")
              for r in rows(core, entity) if r["email"]]
    assert len(emails) > 300
    for email in emails:
        assert validate_email(email, check_deliverability=False).normalized == email
        assert email.rsplit("@", 1)[1] in EXAMPLE_DOMAINS


def test_change_log_has_one_current_write_per_non_null_field(core):
    """Each non-null field of every logged record has exactly one current change log write."""
    def check(session):
        expected = {}
        for model in RECORD_MODELS:
            if model.entity in UNLOGGED_ENTITIES:
                continue
            specs = fields_of(model.entity)
            for row in session.execute(select(model.__table__)).mappings():
                for spec in specs:
                    if row[spec.name] is not None:
                        expected[(row["id"], spec.name)] = dumps(to_json(spec.kind, row[spec.name]))
        changes = session.execute(select(Change.__table__)).mappings().all()
        state = session.get(LocalState, 1)
        return expected, changes, state.last_seq

    expected, changes, last_seq = core.backend.read(check)
    assert len(changes) == len(expected)
    assert all(c["current"] and c["replaces"] == "[]" for c in changes)
    logged = {(c["record_id"], c["field"]): c["value"] for c in changes}
    assert logged == expected
    assert sorted(c["seq"] for c in changes) == list(range(1, last_seq + 1))


def test_sort_keys_match_their_fields(core):
    """Every sorted field has its sort-key column filled with i18n.sort_key of the value."""
    for entity in ("advisor", "cluster", "organisation", "contact", "consultation", "task",
                   "action_plan", "event"):
        for row in rows(core, entity):
            for name in sorted_fields(entity):
                assert row[f"{name}_sort"] == (sort_key(row[name]) if row[name] else None)


def _found(core, text, name):
    """Whether searching ``text`` finds a record labelled ``name`` (after any title)."""
    labels = [hit.label for hit in core.backend.read(search, text=text, limit=None)]
    return any(label == name or label.endswith(" " + name) for label in labels)


def test_search_finds_names_in_every_spelling(core):
    """Łódź, mueller, Groß, zolkiewski and kozł find the records a person expects."""
    assert _found(core, "Łódź", "Łódzka Pracownia Metaloplastyki sp. z o.o.")
    assert _found(core, "lodz", "Grzegorz Łódzki")
    assert _found(core, "mueller", "Jürgen Müller") and _found(core, "mueller", "Anna Mueller")
    assert _found(core, "Groß", "Uwe Groß") and _found(core, "gross", "Uwe Groß")
    assert _found(core, "zolkiewski", "Łukasz Żółkiewski")
    assert _found(core, "kozł", "Małgorzata Kozłowska")
    assert _found(core, "kozł", "Tomasz Kozłowski")


def test_every_event_kind_and_indicator_is_covered(core):
    """All event kinds and the programme's indicator targets are met by the demo records."""
    events = rows(core, "event")
    kinds = Counter(e["kind"] for e in events)
    assert set(kinds) == {k.value for k in EventKind}
    targets = {i.code: i.target for i in programme.INDICATORS}
    assert kinds["opening_conference"] >= targets["opening_conference"]
    assert kinds["kickoff"] >= targets["kickoff_meetings"]
    assert kinds["partner_meeting"] >= targets["partner_meetings"]
    assert kinds["study_trip"] >= targets["study_trips"]
    assert kinds["cluster_congress"] >= targets["cluster_congress"]
    assert kinds["closing_conference"] >= targets["closing_conference"]
    real = {(e["kind"], e["starts_on"], e["place"]) for e in events}
    assert ("kickoff", dt.date(2017, 9, 19), "Forst (Lausitz)") in real
    assert ("cluster_congress", dt.date(2020, 1, 28), "Zielona Góra") in real
    assert ("closing_conference", dt.date(2020, 2, 20), "Gorzów Wielkopolski") in real
    assert any(k == "opening_conference" and d.year == 2017 and p == "Gorzów Wielkopolski"
               for k, d, p in real)
    per_event = Counter(p["event_id"] for p in rows(core, "participant"))
    assert set(per_event) == {e["id"] for e in events}
    assert all(10 <= n <= 40 for n in per_event.values())

    evaluations = rows(core, "evaluation")
    assert len({e["cluster_id"] for e in evaluations}) >= targets["evaluated_clusters"]
    for evaluation in evaluations:
        assert set(evaluation["scores"]) == set(programme.QUESTION_CODES)
        assert all(0 <= s["score"] <= programme.MAX_SCORE for s in evaluation["scores"].values())
    plans = rows(core, "action_plan")
    agreed = [p for p in plans if p["status"] in AGREED_PLAN_STATUSES]
    assert len(agreed) >= targets["action_plans"] and len(agreed) < len(plans)
    measures = Counter(m["action_plan_id"] for m in rows(core, "measure"))
    assert all(3 <= measures[p["id"]] <= 6 for p in plans)
    assert all(isinstance(m["cost"], Decimal) and m["currency"] in ("PLN", "EUR")
               for m in rows(core, "measure"))
    recruited = [m for m in rows(core, "membership")
                 if m["recruited_by_programme"] and in_period(m["joined_on"])]
    assert len(recruited) >= targets["new_members"]
    assert any(m["contact_id"] and m["role"] == "contact_person" for m in rows(core, "membership"))
    new_cross_border = [c for c in rows(core, "cluster")
                        if c["cross_border"] and c["founded_on"] and in_period(c["founded_on"])]
    assert len(new_cross_border) >= targets["new_cross_border_clusters"]


def test_consultations_and_tasks_fall_where_expected(core):
    """Consultations lie in the programme period; tasks are overdue, upcoming and done."""
    consultations = rows(core, "consultation")
    assert len(consultations) >= 50
    for consultation in consultations:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", consultation["held_at"])
        assert in_period(dt.date.fromisoformat(consultation["held_at"][:10]))
        assert consultation["topics"] and (consultation["summary"] or consultation["summary_de"])
    today = dt.date.today()
    tasks = rows(core, "task")
    assert any(t["done"] for t in tasks)
    assert any(not t["done"] and t["due_on"] < today for t in tasks)
    assert any(not t["done"] and t["due_on"] > today for t in tasks)


def test_scaled_demo_has_the_requested_size(tmp_path):
    """contacts=2000 gives 2000 contacts, 200 organisations and a complete change log."""
    core = _demo_core(tmp_path, contacts=2000)
    try:
        def counts(session):
            def count(entity):
                return session.execute(
                    select(func.count()).select_from(model_for(entity).__table__)).scalar()
            return {e: count(e) for e in ("contact", "organisation", "cluster", "consultation")}

        found = core.backend.read(counts)
        assert found == {"contact": 2000, "organisation": 200, "cluster": 20,
                         "consultation": 100}
        assert _found(core, "mueller", "Anna Mueller")
        assert len({c["email"] for c in rows(core, "contact")}) == 2000
    finally:
        core.close()


def test_demo_refuses_a_profile_with_clusters(core):
    """A second run is refused with ProfileError and changes nothing."""
    def change_count(session):
        return session.execute(select(func.count()).select_from(Change.__table__)).scalar()

    before = core.backend.read(change_count)
    with pytest.raises(ProfileError):
        core.backend.run(demo.generate)
    assert core.backend.read(change_count) == before


def test_change_values_round_trip_as_json(core):
    """Logged values are canonical JSON that decode to the stored field values."""
    change = core.backend.read(lambda session: session.execute(
        select(Change.__table__).where(Change.__table__.c.field == "cost").limit(1)
    ).mappings().one())
    assert Decimal(orjson.loads(change["value"])) > 0


def test_every_logged_value_passes_the_bundle_check(core):
    """What the demo logs is what a partner's import accepts: each value fits its field's
    wire check (a next meeting at "9:00" instead of "09:00" would refuse the bundle)."""
    from euregionet_desktop.storage.fields import field_map

    rows = core.backend.read(lambda session: session.execute(
        select(Change.entity, Change.field, Change.value)).all())
    refused = set()
    for entity, name, value in rows:
        spec = field_map(entity).get(name)
        if spec is not None and not spec.accepts_json(orjson.loads(value)):
            refused.add((entity, name, value))
    assert not refused, sorted(refused)[:5]


def test_demo_refuses_too_few_contacts(tmp_path):
    """Asking for fewer contacts than the featured people is refused with a message."""
    core = open_profile(Profile(tmp_path))
    try:
        core.backend.run(initialise, office="SNB")
        with pytest.raises(ValidationError):
            core.backend.run(demo.generate, contacts=3)
    finally:
        core.close()
