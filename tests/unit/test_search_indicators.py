"""Tests for global search with folding (services.search) and the programme indicators."""

from __future__ import annotations

import pytest

from euregionet_desktop.domain import programme
from euregionet_desktop.services import records
from euregionet_desktop.services.indicators import indicators
from euregionet_desktop.services.search import search

OFFICE_IDS = {office.code: office.id for office in programme.OFFICES}
IN_PERIOD = "2018-06-15"
BEFORE_PERIOD = "2017-03-31"  # the day before the programme period starts
AFTER_PERIOD = "2020-09-01"  # the day after it ends


# --- Search ----------------------------------------------------------------------------


@pytest.fixture
def people(add) -> dict[str, str]:
    """The records of the search issue, by a short key."""
    return {
        "lodz_metal": add("organisation", name="Łódź Metal Sp. z o.o.", country="PL",
                          city="Łódź"),
        "juergen": add("contact", first_name="Jürgen", last_name="Müller"),
        "anna": add("contact", first_name="Anna", last_name="Mueller"),
        "gross": add("organisation", name="Groß Logistik GmbH", country="DE"),
        "lukasz": add("contact", first_name="Łukasz", last_name="Żółkiewski"),
        "piotr": add("contact", first_name="Piotr", last_name="Kozłowski"),
    }


def found(core, text: str) -> set[str]:
    return {hit.id for hit in core.backend.read(search, text=text)}


@pytest.mark.parametrize("query, expected", [
    ("lodz", {"lodz_metal"}),
    ("Łódź", {"lodz_metal"}),
    ("LODZ", {"lodz_metal"}),
    ("łódź metal", {"lodz_metal"}),
    ("mueller", {"juergen", "anna"}),
    ("muller", {"juergen"}),
    ("Müller", {"juergen", "anna"}),
    ("MÜLLER", {"juergen", "anna"}),
    ("jurgen", {"juergen"}),
    ("gross", {"gross"}),
    ("Groß", {"gross"}),
    ("zolkiewski", {"lukasz"}),
    ("Żółkiewski", {"lukasz"}),
    ("lukasz", {"lukasz"}),
    ("kozł", {"piotr"}),
    ("kozl", {"piotr"}),
])
def test_search_finds_what_a_person_expects(core, people, query, expected):
    """Folded search: diacritics, ł, ß and ä/ö/ü → ae/oe/ue spellings all match."""
    assert found(core, query) == {people[key] for key in expected}


def test_search_hit_carries_entity_label_and_detail(core, people):
    """A hit says what kind of record it is, its name and its city."""
    (hit,) = core.backend.read(search, text="lodz metal")
    assert (hit.entity, hit.id, hit.label, hit.detail) == (
        "organisation", people["lodz_metal"], "Łódź Metal Sp. z o.o.", "Łódź")


def test_search_with_nothing_searchable_finds_nothing(core, people):
    """Punctuation only (or FTS syntax) is not an error and finds nothing."""
    assert found(core, "  -*: ") == set()
    assert found(core, 'NEAR("x"') == set()


def test_renamed_record_is_found_by_new_name_only(core, people):
    """Renaming updates the index: the old name no longer finds it, the new one does."""
    core.backend.run(records.update_record, entity="contact", record_id=people["piotr"],
                     values={"last_name": "Wiśniewski"})
    assert people["piotr"] not in found(core, "kozlowski")
    assert found(core, "wisniewski") == {people["piotr"]}


def test_deleted_record_disappears_from_search_and_returns_on_restore(core, people):
    """A deleted organisation is not found; restored, it is found again."""
    record_id = people["gross"]
    core.backend.run(records.delete, entity="organisation", record_id=record_id)
    assert found(core, "gross") == set()
    core.backend.run(records.restore, targets=[("organisation", record_id)])
    assert found(core, "gross") == {record_id}


def test_search_covers_clusters_events_and_action_plans(core, add):
    """Other searched kinds are indexed with their names and titles."""
    cluster = add("cluster", name_pl="Klaster Żywności", name_de="Lebensmittelcluster",
                  country="PL")
    event = add("event", kind="cluster_congress", title_pl="Kongres klastrów",
                title_de="Clusterkongress", starts_on=IN_PERIOD)
    plan = add("action_plan", cluster_id=cluster, title="Plan działań Żywność")
    assert found(core, "zywnosci") == {cluster}
    assert found(core, "clusterkongress") == {event}
    assert found(core, "dzialan") == {plan}


# --- Indicators --------------------------------------------------------------------------


def values(core, **kwargs) -> dict[str, int]:
    return {v.code: v.value for v in core.backend.read(indicators, **kwargs)}


def indicator(core, code: str, **kwargs):
    (result,) = [v for v in core.backend.read(indicators, **kwargs) if v.code == code]
    return result


def test_all_eleven_indicators_with_programme_targets(core):
    """indicators() lists the 11 programme indicators in order, with targets and period."""
    result = core.backend.read(indicators)
    assert [(v.code, v.target) for v in result] == [
        (i.code, i.target) for i in programme.INDICATORS]
    assert {(v.period_start, v.period_end) for v in result} == {("2017-04-01", "2020-08-31")}
    assert {v.value for v in result} == {0}


EVENT_INDICATORS = {
    "opening_conference": "opening_conference",
    "kickoff": "kickoff_meetings",
    "partner_meeting": "partner_meetings",
    "study_trip": "study_trips",
    "cluster_congress": "cluster_congress",
    "closing_conference": "closing_conference",
}


@pytest.mark.parametrize("kind", sorted(EVENT_INDICATORS))
def test_event_in_period_counts_for_its_indicator_only(core, add, kind):
    """An event of each kind inside the period adds one to its indicator and no other."""
    before = values(core)
    add("event", kind=kind, title_pl="Wydarzenie", starts_on=IN_PERIOD,
        office_id=OFFICE_IDS["LOP"])
    after = values(core)
    code = EVENT_INDICATORS[kind]
    assert after[code] == before[code] + 1
    assert {k: v for k, v in after.items() if k != code} == {
        k: v for k, v in before.items() if k != code}


@pytest.mark.parametrize("starts_on", [BEFORE_PERIOD, AFTER_PERIOD])
def test_event_outside_period_does_not_count(core, add, starts_on):
    """A kick-off meeting a day outside the period does not count."""
    add("event", kind="kickoff", title_pl="Poza okresem", starts_on=starts_on)
    assert values(core)["kickoff_meetings"] == 0


def test_events_on_first_and_last_day_of_period_count(core, add):
    """The period includes its first and last day."""
    add("event", kind="kickoff", title_pl="Start", starts_on="2017-04-01")
    add("event", kind="kickoff", title_pl="Koniec", starts_on="2020-08-31")
    assert values(core)["kickoff_meetings"] == 2


def test_workshops_and_deleted_events_do_not_count(core, add):
    """Workshops count for no indicator; a deleted study trip stops counting."""
    add("event", kind="workshop", title_pl="Warsztaty", starts_on=IN_PERIOD)
    trip = add("event", kind="study_trip", title_pl="Podróż", starts_on=IN_PERIOD)
    assert values(core)["study_trips"] == 1
    core.backend.run(records.delete, entity="event", record_id=trip)
    assert set(values(core).values()) == {0}


def test_two_evaluations_of_one_cluster_count_once(core, add):
    """A cluster evaluated twice by the same office is one evaluated cluster."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    other = add("cluster", name_pl="Inny", country="PL")
    for day in ("2018-01-10", "2019-01-10"):
        add("evaluation", cluster_id=cluster, evaluated_on=day, office_id=OFFICE_IDS["LOP"])
    assert values(core)["evaluated_clusters"] == 1
    add("evaluation", cluster_id=other, evaluated_on=BEFORE_PERIOD, office_id=OFFICE_IDS["LOP"])
    assert values(core)["evaluated_clusters"] == 1
    add("evaluation", cluster_id=other, evaluated_on=IN_PERIOD, office_id=OFFICE_IDS["LOP"])
    assert values(core)["evaluated_clusters"] == 2


def test_cluster_evaluated_by_two_offices_counts_once_in_total(core, add):
    """The total counts evaluated clusters, not (office, cluster) pairs."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    add("evaluation", cluster_id=cluster, evaluated_on="2018-01-10", office_id=OFFICE_IDS["LOP"])
    add("evaluation", cluster_id=cluster, evaluated_on="2019-01-10", office_id=OFFICE_IDS["BIC"])
    add("evaluation", cluster_id=cluster, evaluated_on="2019-05-10")
    assert values(core)["evaluated_clusters"] == 1


def test_agreed_action_plan_counts_and_draft_does_not(core, add):
    """Only plans the partners agreed count; agreeing a draft makes it count."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    draft = add("action_plan", cluster_id=cluster, title="Projekt planu")
    assert values(core)["action_plans"] == 0
    add("action_plan", cluster_id=cluster, title="Plan", status="agreed",
        office_id=OFFICE_IDS["CIT"])
    assert values(core)["action_plans"] == 1
    core.backend.run(records.update_record, entity="action_plan", record_id=draft,
                     values={"status": "signed", "signed_on": IN_PERIOD})
    assert values(core)["action_plans"] == 2


def test_action_plan_signed_outside_period_does_not_count(core, add):
    """A plan signed after the period ends is outside the indicator."""
    cluster = add("cluster", name_pl="Klaster", country="PL")
    add("action_plan", cluster_id=cluster, title="Za późno", status="signed",
        signed_on=AFTER_PERIOD)
    assert values(core)["action_plans"] == 0


def test_recruited_member_joining_in_period_counts_as_new_member(core, add):
    """Only memberships recruited by the programme and joined in the period count."""
    cluster = add("cluster", name_pl="Klaster", country="PL", office_id=OFFICE_IDS["SNB"])

    def member(**values):
        organisation = add("organisation", name="Firma", country="PL")
        return add("membership", cluster_id=cluster, organisation_id=organisation, **values)

    member(recruited_by_programme="yes", joined_on=IN_PERIOD)
    member(recruited_by_programme="no", joined_on=IN_PERIOD)
    member(recruited_by_programme="yes", joined_on=BEFORE_PERIOD)
    member(recruited_by_programme="yes")
    result = indicator(core, "new_members")
    assert result.value == 1
    assert result.by_office == {"SNB": 1}


def test_new_cross_border_cluster_founded_in_period_counts(core, add):
    """A cross-border cluster founded in the period counts; a national one does not."""
    add("cluster", name_pl="Transgraniczny", country="PL", cross_border="yes",
        founded_on=IN_PERIOD)
    add("cluster", name_pl="Krajowy", country="PL", cross_border="no", founded_on=IN_PERIOD)
    add("cluster", name_pl="Stary", country="PL", cross_border="yes", founded_on="2010-01-01")
    assert values(core)["new_cross_border_clusters"] == 1


def test_by_office_attributes_to_the_organising_office(core, add):
    """Events count for the office that organised them, and the total is their sum."""
    for code in ("LOP", "LOP", "BIC"):
        add("event", kind="partner_meeting", title_pl="Rada", starts_on=IN_PERIOD,
            office_id=OFFICE_IDS[code])
    result = indicator(core, "partner_meetings")
    assert result.value == 3
    assert result.by_office == {"BIC": 1, "LOP": 2}


def test_office_filter_gives_that_offices_share(core, add):
    """indicators(office=...) reports one office's value; any case of the code works."""
    for code in ("LOP", "LOP", "CIT"):
        add("event", kind="study_trip", title_pl="Podróż", starts_on=IN_PERIOD,
            office_id=OFFICE_IDS[code])
    assert values(core, office="LOP")["study_trips"] == 2
    assert values(core, office="cit")["study_trips"] == 1
    assert values(core, office="SNB")["study_trips"] == 0
    assert values(core)["study_trips"] == 3
