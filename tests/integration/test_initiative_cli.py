"""Forming a new cluster from the command line (issue 20): an initiative with a Polish and a
German organisation goes through every step; the cluster's stage follows; every refusal is
one translated line and changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run

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


def test_a_partner_receives_the_initiative_its_steps_and_their_evidence(forming, tmp_path):
    """Done when 5 (the formation): LOP's initiative, its steps as far as they went and the
    scans attached to them reach BIC in a bundle: the same steps and dates, the cluster at
    the same stage, the files themselves, the new cross-border cluster counted with its
    evidence at BIC too; a step BIC completes travels back, and both offices hold the
    same."""
    lop, cluster, initiative = forming
    bic = lop.parent / "BIC"
    for step, day in (("letter-of-intent", "2026-09-30"), ("accession", "2026-10-20"),
                      ("agreement", "2026-11-30")):
        ok(lop, "initiative", "step", initiative, step, "status=done", f"done_on={day}")
    signed = tmp_path / "porozumienie podpisane.pdf"
    signed.write_bytes(b"%PDF-1.4 the signed cooperation agreement")
    photo = tmp_path / "podpisanie.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 signing ceremony")
    agreement_step = shown(lop, initiative)["steps"][2]["id"]
    ok(lop, "attach", "initiative", initiative, str(signed), "--kind", "signed-agreement")
    ok(lop, "attach", "formation-step", agreement_step, str(photo), "--kind", "photo")

    ok(lop, "bundle", "export", "--to", "BIC", "-o", str(tmp_path / "lop-1.zip"))
    assert "changes applied" in ok(bic, "bundle", "import", str(tmp_path / "lop-1.zip"))

    at_lop, at_bic = shown(lop, initiative), shown(bic, initiative)
    assert at_bic["steps"] == at_lop["steps"]
    assert [s["status"] for s in at_bic["steps"]] == ["done"] * 3 + ["not_started"] * 2
    assert stage(bic, cluster) == "established" == stage(lop, cluster)
    for entity, record, original, kind in (("initiative", initiative, signed, "signed_agreement"),
                                           ("formation-step", agreement_step, photo, "photo")):
        [attached] = json.loads(ok(bic, "attachments", entity, record, "--json"))
        assert (attached["file_name"], attached["kind"]) == (original.name, kind)
        show = json.loads(ok(bic, "show", "attachment", attached["id"], "--json"))
        blob = bic / "attachments" / show["record"]["sha256"]
        assert blob.read_bytes() == original.read_bytes()  # the file came along
    year = ("--from", "2026-01-01", "--to", "2026-12-31", "--json")
    counted = {v["code"]: v for v in json.loads(ok(bic, "indicators", *year))}
    formed = counted["new_cross_border_clusters"]
    assert (formed["value"], formed["with_evidence"]) == (1, 1)
    assert formed["items"][0]["id"] == cluster

    ok(bic, "initiative", "step", initiative, "statute-strategy", "status=done",
       "done_on=2026-12-02")
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "bic-1.zip"))
    ok(lop, "bundle", "import", str(tmp_path / "bic-1.zip"))
    assert shown(lop, initiative)["steps"][3]["done_on"] == "2026-12-02"
    assert ok(lop, "dump") == ok(bic, "dump")
