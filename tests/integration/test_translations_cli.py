"""Text in both languages from the command line (issue 19): ``translations`` lists the sides
that need translating, the same at a partner office after a bundle exchange;
``translations done`` says a translation still fits; every refusal is one translated line
and changes nothing; sectors and regions typed as labels are stored as codes."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run


def needs(data_dir, *args):
    return json.loads(ok(data_dir, "translations", "--json", *args))


def sides(data_dir, *args):
    return sorted((n["entity"], n["id"], n["field"], n["missing"])
                  for n in needs(data_dir, *args))


@pytest.fixture
def plan(partners):
    """At LOP: a cluster and an action plan with a Polish title only."""
    lop = partners["LOP"]
    cluster = ok(lop, "add", "cluster", "name_pl=Lubuski Klaster Metalowy", "country=PL").strip()
    plan = ok(lop, "add", "action-plan", f"cluster_id={cluster}",
              "title=Plan działań – klaster metalowy").strip()
    return lop, cluster, plan


def test_one_side_written_needs_the_other_until_it_is_translated(plan, tmp_path):
    """A Polish title alone: the German side is missing; translated, nothing is listed;
    the Polish side changed again: the German one is outdated; marked as translated: gone."""
    lop, _cluster, plan_id = plan
    assert sides(lop) == [("action-plan", plan_id, "title_de", True)]
    text = run(lop, "--lang", "de", "translations")
    assert text.returncode == 0
    assert "Titel (deutsch)" in text.stdout and "fehlt" in text.stdout
    assert text.stderr.strip().endswith("1 Text muss übersetzt werden")
    ok(lop, "edit", "action-plan", plan_id, "title_de=Aktionsplan – Metallcluster")
    assert sides(lop) == []
    ok(lop, "edit", "action-plan", plan_id, "title=Plan działań 2020–2022")
    assert sides(lop) == [("action-plan", plan_id, "title_de", False)]
    assert sides(lop, "--office", "LOP") == sides(lop)
    assert sides(lop, "--office", "bic") == []  # the code as typed, any case
    out = ok(lop, "translations", "done", "action-plan", plan_id, "title_de")
    assert "title_de" in out
    assert sides(lop) == []
    shown = json.loads(ok(lop, "show", "action-plan", plan_id, "--json"))
    assert shown["needs_translation"] == []
    ok(lop, "edit", "action-plan", plan_id, "objectives_de=Mehr Projekte")
    assert "Needs translation: Objectives (Polish)" in ok(lop, "show", "action-plan", plan_id)
    fields = {f["name"]: f for f in json.loads(ok(lop, "fields", "cluster", "--json"))}
    assert "south_brandenburg" in fields["region"]["vocabulary"]
    assert fields["name_pl"]["vocabulary"] == []


def test_both_sides_in_one_save_are_in_step(partners):
    lop = partners["LOP"]
    cluster = ok(lop, "add", "cluster", "name_pl=Klaster", "country=PL", "description_pl=Opis",
                 "description_de=Beschreibung").strip()
    assert sides(lop) == []
    ok(lop, "edit", "cluster", cluster, "description_pl=Nowy opis", "description_de=Neue "
       "Beschreibung")
    assert sides(lop) == []
    ok(lop, "edit", "cluster", cluster, "description_de=Neuere Beschreibung")
    assert sides(lop) == [("cluster", cluster, "description_pl", False)]


def test_the_list_is_the_same_at_the_partner_office_after_an_exchange(plan, partners, tmp_path):
    """The state comes from the change log, so it travels with the bundle: BIC sees what LOP
    sees, and BIC's translation clears it at LOP too."""
    lop, _cluster, plan_id = plan
    bic = partners["BIC"]
    ok(lop, "bundle", "export", "--to", "BIC", "-o", str(tmp_path / "1.zip"))
    ok(bic, "bundle", "import", str(tmp_path / "1.zip"))
    assert sides(bic) == sides(lop) == [("action-plan", plan_id, "title_de", True)]
    assert sides(bic, "--office", "LOP") == sides(lop)
    ok(bic, "edit", "action-plan", plan_id, "title_de=Aktionsplan – Metallcluster")
    ok(bic, "edit", "action-plan", plan_id, "objectives_de=Mehr Projekte")
    expected = [("action-plan", plan_id, "objectives_pl", True)]
    assert sides(bic) == expected
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "2.zip"))
    ok(lop, "bundle", "import", str(tmp_path / "2.zip"))
    assert sides(lop) == sides(bic) == expected
    assert needs(lop)[0]["other_changed_ms"] == needs(bic)[0]["other_changed_ms"]


def _dump(data_dir) -> str:
    return ok(data_dir, "dump")


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """One LOP profile with a plan in Polish only, shared by the refusals (none changes it)."""
    lop = tmp_path_factory.mktemp("alone") / "LOP"
    ok(lop, "init", "--office", "LOP")
    cluster = ok(lop, "add", "cluster", "name_pl=Lubuski Klaster Metalowy", "country=PL").strip()
    plan = ok(lop, "add", "action-plan", f"cluster_id={cluster}",
              "title=Plan działań – klaster metalowy").strip()
    return lop, cluster, plan


@pytest.mark.parametrize(("args", "says"), [
    (("done", "action-plan", "{plan}", "status"), "not a text kept in both languages"),
    (("done", "action-plan", "{plan}", "title"), "does not need translating"),
    (("done", "action-plan", "{plan}", "title_de"), "is empty: type the translation"),
    (("done", "contact", "{plan}", "title"), "has no text in both languages"),
    (("done", "action-plan", "no-such-id", "title_de"), "There is no Action plan"),
    (("done", "nothing", "{plan}", "title"), "Unknown record type"),
    (("done", "action-plan", "{plan}"), "translations done ENTITY ID FIELD"),
    (("later",), "translations done ENTITY ID FIELD"),
    (("--office", "XYZ"), "Unknown partner office “XYZ”"),
])
def test_refusals_are_one_line_and_change_nothing(alone, args, says):
    lop, _cluster, plan_id = alone
    before = _dump(lop)
    result = run(lop, "translations", *(a.format(plan=plan_id) for a in args))
    line = one_line_error(result)
    assert line.startswith("Error: ") and says in line, line
    assert _dump(lop) == before
    with closing(sqlite3.connect(lop / "euregionet.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_refusal_is_in_the_interface_language(alone):
    lop, _cluster, plan_id = alone
    line = one_line_error(run(lop, "--lang", "pl", "translations", "done", "action-plan",
                              plan_id, "status"))
    assert "nie jest tekstem prowadzonym w dwóch językach" in line


def test_marking_a_missing_side_is_refused_but_an_outdated_one_is_kept(plan):
    """The positive control of the refusals: the same command on an outdated side works."""
    lop, _cluster, plan_id = plan
    ok(lop, "edit", "action-plan", plan_id, "title_de=Aktionsplan")
    ok(lop, "edit", "action-plan", plan_id, "title=Plan działań (nowy)")
    before = json.loads(_dump(lop))
    ok(lop, "translations", "done", "action-plan", plan_id, "title_de")
    after = json.loads(_dump(lop))
    assert after == before  # the values are the same; only their writes are new
    assert sides(lop) == []


def test_sectors_and_regions_typed_as_labels_are_stored_as_codes(partners):
    """Labels in pl, de and en (any case, without diacritics) become codes; free text stays;
    ``show`` reads them in the interface language; search finds by a German label."""
    lop = partners["LOP"]
    cluster = ok(lop, "add", "cluster", "name_pl=Klaster Wodorowy", "country=PL",
                 "sectors=wodor, Metallindustrie, SMART GRIDS, Bernstein",
                 "region=Łużyce").strip()
    organisation = ok(lop, "add", "organisation", "name=Firma", "country=DE",
                      "sectors=Elektroindustrie").strip()
    record = json.loads(ok(lop, "show", "cluster", cluster, "--json"))["record"]
    assert record["sectors"] == ["hydrogen", "metal", "smart_grid", "Bernstein"]
    assert record["region"] == "lausitz"
    org = json.loads(ok(lop, "show", "organisation", organisation, "--json"))["record"]
    assert org["sectors"] == ["electrical"]
    german = run(lop, "--lang", "de", "show", "cluster", cluster).stdout
    assert "Wasserstoff, Metallindustrie, Intelligente Stromnetze, Bernstein" in german
    assert "Region: Lausitz" in german
    polish = run(lop, "--lang", "pl", "show", "cluster", cluster).stdout
    assert "Wodór, Przemysł metalowy" in polish and "Łużyce" in polish
    for words in ("Wasserstoff", "intelligente Stromnetze", "Lusatia", "lodz", "Bernstein"):
        hits = json.loads(ok(lop, "search", words, "--json"))
        found = [h["id"] for h in hits if h["entity"] == "cluster"]
        assert found == ([] if words == "lodz" else [cluster]), words
    hits = json.loads(ok(lop, "--lang", "de", "search", "Wasserstoff", "--json"))
    assert hits[0]["detail"] == "Lausitz"


def test_an_export_writes_sectors_and_regions_in_its_language(partners, tmp_path):
    """A CSV export in German writes the labels, and importing that file stores the codes."""
    lop = partners["LOP"]
    ok(lop, "add", "cluster", "name_pl=Klaster Wodorowy", "country=PL",
       "sectors=hydrogen, Bernstein", "region=lausitz")
    ok(lop, "--lang", "de", "export", "cluster", "-o", str(tmp_path / "clusters.csv"))
    text = (tmp_path / "clusters.csv").read_text(encoding="utf-8-sig")
    assert "Wasserstoff, Bernstein" in text and "Lausitz" in text
    assert "hydrogen" not in text and "lausitz" not in text
    bic = partners["BIC"]
    ok(bic, "import", str(tmp_path / "clusters.csv"), "--type", "cluster")
    [imported] = json.loads(ok(bic, "list", "cluster", "--json"))
    assert imported["sectors"] == ["hydrogen", "Bernstein"]
    assert imported["region"] == "lausitz"


def test_a_german_action_plan_of_a_polish_cluster_prints_what_is_there(plan, tmp_path):
    """Done-when 2 end to end: the German plan of a Polish cluster prints the Polish title
    marked "[PL]" and tagged pl-PL while the German one is missing (and the list says so);
    with the German title entered it prints that, untagged, and the list is empty."""
    from docx import Document
    from docx.oxml.ns import qn

    lop, _cluster, plan_id = plan

    def title_runs(name):
        path = tmp_path / name
        ok(lop, "doc", "action-plan", plan_id, "--lang", "de", "-o", str(path))
        document = Document(str(path))
        subtitle = next(p for p in document.paragraphs if p.style.name == "Subtitle")
        return subtitle.text, [(r.text, r._r.rPr.find(qn("w:lang")) if r._r.rPr is not None
                                else None) for r in subtitle.runs if r.text]

    assert sides(lop) == [("action-plan", plan_id, "title_de", True)]
    text, runs = title_runs("missing.docx")
    assert text == "[PL] Plan działań – klaster metalowy"
    (_run_text, lang), = runs
    assert lang.get(qn("w:val")) == "pl-PL"

    ok(lop, "edit", "action-plan", plan_id, "title_de=Aktionsplan – Metallcluster")
    assert sides(lop) == []
    text, runs = title_runs("translated.docx")
    assert text == "Aktionsplan – Metallcluster"
    assert all(lang is None or lang.get(qn("w:val")) != "pl-PL" for _t, lang in runs)
