"""Forming a new cluster from the command line (issue 20): an initiative with a Polish and a
German organisation goes through every step; the cluster's stage follows; every refusal is
one translated line and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_cli import ok, one_line_error, run

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def shown(data_dir, initiative):
    return json.loads(ok(data_dir, "initiative", "show", initiative, "--json"))


def stage(data_dir, cluster):
    return json.loads(ok(data_dir, "show", "cluster", cluster, "--json"))["record"]["stage"]


@pytest.fixture
def forming(partners):
    """At LOP: a cluster with a Polish and a German member that signed accession
    declarations, and its initiative."""
    lop = partners["LOP"]
    cluster = ok(lop, "add", "cluster", "name_pl=Transgraniczny Klaster Wodorowy",
                 "name_de=Grenzüberschreitender Wasserstoffcluster", "country=PL").strip()
    for name, country in (("Odra Wodór sp. z o.o.", "PL"), ("Spree H2 GmbH", "DE")):
        organisation = ok(lop, "add", "organisation", f"name={name}", f"country={country}",
                          "kind=small").strip()
        ok(lop, "add", "membership", f"cluster_id={cluster}", f"organisation_id={organisation}",
           "role=member", "declaration_signed_on=2026-10-20")
    initiative = ok(lop, "add", "initiative", f"cluster_id={cluster}",
                    "started_on=2026-09-15", "seat=Słubice").strip()
    return lop, cluster, initiative


def test_an_initiative_goes_through_every_step_and_the_stage_follows(forming):
    lop, cluster, initiative = forming
    fields = {f["name"] for f in json.loads(ok(lop, "fields", "initiative", "--json"))}
    assert {"cluster_id", "office_id", "advisor_id", "leader_id", "council_ids"} <= fields
    steps = {f["name"]: f for f in json.loads(ok(lop, "fields", "formation-step", "--json"))}
    assert steps["step"]["choices"][0] == "letter_of_intent"
    assert steps["status"]["choices"] == ["not_started", "in_progress", "done"]
    view = shown(lop, initiative)
    assert view["countries"] == ["DE", "PL"] and view["office"] == "LOP"
    assert [s["status"] for s in view["steps"]] == ["not_started"] * 5
    assert stage(lop, cluster) == "idea"
    ok(lop, "initiative", "step", initiative, "letter-of-intent", "status=done",
       "done_on=2026-09-30")
    assert stage(lop, cluster) == "forming"
    ok(lop, "initiative", "step", initiative, "accession", "status=done", "done_on=2026-10-20")
    # The generic command edits a step record just as well.
    agreement = shown(lop, initiative)["steps"][2]["id"]
    ok(lop, "edit", "formation-step", agreement, "status=done", "done_on=2026-11-30")
    assert stage(lop, cluster) == "established"
    ok(lop, "initiative", "step", initiative, "statute_strategy", "status=done",
       "done_on=2026-12-01")
    ok(lop, "initiative", "step", initiative, "brand", "status=done")
    view = shown(lop, initiative)
    assert [(s["step"], s["status"], s["done_on"]) for s in view["steps"]] == [
        ("letter_of_intent", "done", "2026-09-30"), ("accession", "done", "2026-10-20"),
        ("agreement", "done", "2026-11-30"), ("statute_strategy", "done", "2026-12-01"),
        ("brand", "done", dt.date.today().isoformat())]
    assert view["current_step"] is None and view["stage"] == "established"
    text = run(lop, "--lang", "pl", "initiative", "show", initiative)
    assert "Porozumienie o współpracy" in text.stdout and "Uformowany" in text.stdout
    # Reopened on the command line: the stage goes back.
    ok(lop, "initiative", "step", initiative, "agreement", "status=in_progress")
    assert stage(lop, cluster) == "forming"


@pytest.mark.parametrize(("args", "words"), [
    (("initiative", "step", "{i}", "agreement", "status=done", "done_on={future}"),
     "w przyszłości"),
    (("initiative", "step", "{i}", "wedding", "status=done"), "wedding"),
    (("initiative", "step", "{i}", "brand", "status=finished"), "finished"),
    (("initiative", "step", "{i}", "brand"), "status=done"),
    (("initiative", "step", "no-such-id", "brand", "status=done"), "no-such-id"),
    (("add", "formation-step", "initiative_id={i}", "step=brand"), "ma już"),
    (("add", "initiative", "office_id=LOP"), "Klaster"),
])
def test_bad_input_is_refused_with_one_line_and_nothing_changes(forming, args, words):
    lop, _cluster, initiative = forming
    before = ok(lop, "dump")
    line = one_line_error(run(lop, "--lang", "pl", *(a.format(i=initiative, future=FUTURE) for a in args)))
    assert words in line
    assert ok(lop, "dump") == before


def test_a_step_of_a_deleted_initiative_is_refused(forming):
    lop, _cluster, initiative = forming
    ok(lop, "delete", "initiative", initiative)
    before = ok(lop, "dump")
    one_line_error(run(lop, "initiative", "step", initiative, "brand", "status=done"))
    assert ok(lop, "dump") == before
