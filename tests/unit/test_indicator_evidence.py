"""Indicators that know their evidence: each counted record with the scans and photos
that prove it, or flagged "evidence missing"; the formation of a new cluster and the
accession declarations as the programme counts them."""

from __future__ import annotations

import datetime as dt

import pytest

from euregionet_desktop.domain import programme
from euregionet_desktop.services import evidence, records
from euregionet_desktop.services.indicators import indicators

IN_PERIOD = "2018-06-15"
OFFICE_IDS = {office.code: office.id for office in programme.OFFICES}


def indicator(core, code: str, **kwargs):
    (result,) = [v for v in core.backend.read(indicators, **kwargs) if v.code == code]
    return result


@pytest.fixture
def attach(core, tmp_path):
    """``attach(entity, id, kind, name)``: a small file attached as a person would."""

    def attach_file(entity: str, record_id: str, kind: str, name: str = "scan.pdf") -> str:
        path = tmp_path / name
        path.write_bytes(f"{entity} {record_id} {kind}".encode())
        return core.backend.run(evidence.attach_file, profile=core.profile, entity=entity,
                                record_id=record_id, path=path, kind=kind).record_id
    return attach_file


def test_an_event_is_flagged_until_its_signed_list_or_a_photo_is_attached(core, add, attach):
    congress = add("event", kind="cluster_congress", title_pl="Kongres", starts_on=IN_PERIOD,
                   office_id=OFFICE_IDS["LOP"])
    found = indicator(core, "cluster_congress")
    assert (found.value, found.with_evidence) == (1, 0)
    (item,) = found.items
    assert (item.entity, item.id, item.label, item.office, item.on) == (
        "event", congress, "Kongres", "LOP", IN_PERIOD)
    assert item.evidence_missing
    attach("event", congress, "file", "programme.pdf")  # not proof of attendance
    assert indicator(core, "cluster_congress").with_evidence == 0
    scan = attach("event", congress, "signed-attendance", "lista.pdf")
    (item,) = indicator(core, "cluster_congress").items
    assert [(f.attachment_id, f.file_name, f.kind) for f in item.evidence] == [
        (scan, "lista.pdf", "signed_attendance")]
    assert not item.evidence_missing


def test_an_event_counts_once_it_took_place(core, add):
    add("event", kind="study_trip", title_pl="Wizyta", starts_on="2019-05-06")
    assert indicator(core, "study_trips", today=dt.date(2019, 5, 5)).value == 0
    assert indicator(core, "study_trips", today=dt.date(2019, 5, 6)).value == 1


def _forming_cluster(add, *, countries=("PL", "DE")):
    cluster = add("cluster", name_pl="Klaster Odra", country="PL", office_id=OFFICE_IDS["BIC"])
    for n, country in enumerate(countries):
        organisation = add("organisation", name=f"Firma {n}", country=country)
        add("membership", cluster_id=cluster, organisation_id=organisation,
            declaration_signed_on=IN_PERIOD)
    initiative = add("initiative", cluster_id=cluster, office_id=OFFICE_IDS["BIC"])
    steps = {step: add("formation_step", initiative_id=initiative, step=step)
             for step in ("letter_of_intent", "accession", "agreement", "statute_strategy",
                          "brand")}
    return cluster, initiative, steps


def test_a_new_cross_border_cluster_counts_once_its_agreement_is_done(core, add, attach):
    cluster, initiative, steps = _forming_cluster(add)
    core.backend.run(records.update_record, entity="formation_step", record_id=steps["letter_of_intent"],
                     values={"status": "done", "done_on": "2018-03-01"})
    assert indicator(core, "new_cross_border_clusters").value == 0
    core.backend.run(records.update_record, entity="formation_step", record_id=steps["agreement"],
                     values={"status": "done", "done_on": IN_PERIOD})
    found = indicator(core, "new_cross_border_clusters")
    (item,) = found.items
    assert (item.entity, item.id, item.label, item.on, item.office) == (
        "cluster", cluster, "Klaster Odra", IN_PERIOD, "BIC")
    assert item.evidence_missing
    attach("initiative", initiative, "signed-agreement", "porozumienie.pdf")
    assert indicator(core, "new_cross_border_clusters").with_evidence == 1
    assert indicator(core, "new_cross_border_clusters", office="lop").value == 0


def test_a_cluster_with_members_from_one_country_is_not_cross_border(core, add):
    _cluster, _initiative, steps = _forming_cluster(add, countries=("PL", "PL"))
    core.backend.run(records.update_record, entity="formation_step", record_id=steps["agreement"],
                     values={"status": "done", "done_on": IN_PERIOD})
    assert indicator(core, "new_cross_border_clusters").value == 0


def test_members_count_by_their_signed_declaration_with_it_as_evidence(core, add, attach):
    cluster = add("cluster", name_pl="Klaster Odra", country="PL", office_id=OFFICE_IDS["SNB"])
    firm = add("organisation", name="Odra Tech", country="PL")
    member = add("membership", cluster_id=cluster, organisation_id=firm,
                 declaration_signed_on=IN_PERIOD)
    add("membership", cluster_id=cluster,
        organisation_id=add("organisation", name="Später GmbH", country="DE"),
        declaration_signed_on="2021-01-10")  # after the period
    found = indicator(core, "new_members")
    (item,) = found.items
    assert (item.id, item.label, item.on, item.office) == (
        member, "Odra Tech – Klaster Odra", IN_PERIOD, "SNB")
    attach("membership", member, "declaration", "deklaracja.pdf")
    assert indicator(core, "new_members").with_evidence == 1


def test_one_offices_share_lists_only_its_items(core, add, attach):
    lop = add("event", kind="kickoff", title_pl="Start LOP", starts_on=IN_PERIOD,
              office_id=OFFICE_IDS["LOP"])
    add("event", kind="kickoff", title_pl="Start BIC", starts_on=IN_PERIOD,
        office_id=OFFICE_IDS["BIC"])
    attach("event", lop, "photo", "foto.jpg")
    share = indicator(core, "kickoff_meetings", office="LOP")
    assert [i.id for i in share.items] == [lop] and share.value == 1
    assert share.with_evidence == 1
    total = indicator(core, "kickoff_meetings")
    assert (total.value, total.with_evidence, total.by_office) == (2, 1, {"BIC": 1, "LOP": 1})
