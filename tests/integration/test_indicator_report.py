"""Evidence behind the indicators from the command line (issue 20): ``attach`` keeps a scan
with a record, ``indicators --json`` names each counted record with its evidence, and
``report indicators`` writes the same figures and records as XLSX and as a Word document
(read back with python-calamine, converted to PDF by LibreOffice).

The LibreOffice test skips without soffice unless EUREGIONET_REQUIRE_DESKTOP_TOOLS is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook
from test_cli import ENV, one_line_error
from test_cli import added_id_here as added_id
from test_cli import ok_here as ok
from test_cli import run_here as run

from euregionet_desktop.i18n import translation
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.indicator_report import VALUE_LINE

KINDS = {"signed-attendance": "signed_attendance", "photo": "photo",
         "signed-agreement": "signed_agreement", "declaration": "declaration"}


def _json(data_dir: Path, *args: str):
    return json.loads(ok(data_dir, *args))


def _by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["code"]: row for row in rows}


def _attach(data_dir: Path, entity: str, record_id: str, path: Path, kind: str) -> str:
    out = ok(data_dir, "--lang", "en", "attach", entity, record_id, str(path), "--kind", kind)
    return out.strip()


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """A LOP profile with the demo data; evidence attached through ``attach`` to the first
    two kick-off meetings (a signed attendance list, a photo), an action plan (the signed
    agreement) and a new member (the declaration)."""
    root = tmp_path_factory.mktemp("indicator-report")
    data_dir = root / "profile"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(data_dir, "demo-data")
    values = _by_code(_json(data_dir, "indicators", "--json"))
    scans = root / "scans"
    scans.mkdir()
    for name, kind, (code, index) in (
            ("lista-obecnosci.pdf", "signed-attendance", ("kickoff_meetings", 0)),
            ("foto-spotkania.jpg", "photo", ("kickoff_meetings", 1)),
            ("porozumienie.pdf", "signed-agreement", ("action_plans", 0)),
            ("deklaracja.pdf", "declaration", ("new_members", 0))):
        item = values[code]["items"][index]
        (scans / name).write_bytes(f"%scan of {name}".encode())
        _attach(data_dir, item["entity"], item["id"], scans / name, kind)
    return data_dir


def test_attach_counts_as_evidence_and_lists(profile, tmp_path):
    """An attached photo makes its event "with evidence" in ``indicators --json``, and
    ``attachments`` lists it with its kind, name and size."""
    before = _by_code(_json(profile, "indicators", "--json"))["study_trips"]
    item = next(i for i in before["items"] if i["evidence_missing"])
    photo = tmp_path / "wizyta.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    result = run(profile, "--lang", "en", "attach", "event", item["id"], str(photo),
                 "--kind", "photo")
    assert result.returncode == 0, result.stderr
    attachment_id = result.stdout.strip()
    assert "wizyta.jpg" in result.stderr and item["label"] in result.stderr
    listed = _json(profile, "attachments", "event", item["id"], "--json")
    assert [(a["id"], a["kind"], a["file_name"], a["size"]) for a in listed] == [
        (attachment_id, "photo", "wizyta.jpg", len(b"\xff\xd8 a photo"))]
    after = _by_code(_json(profile, "indicators", "--json"))["study_trips"]
    counted = next(i for i in after["items"] if i["id"] == item["id"])
    assert counted["evidence_missing"] is False
    assert counted["evidence"] == [{"attachment_id": attachment_id, "file_name": "wizyta.jpg",
                                    "kind": "photo"}]
    assert after["with_evidence"] == before["with_evidence"] + 1
    assert after["value"] == before["value"]
    # The text output: the first line per indicator as before, the evidence count after it,
    # and under --missing the records without evidence.
    text = ok(profile, "--lang", "en", "indicators", "--missing")
    line = next(x for x in text.splitlines() if x.endswith(
        f"(with evidence: {after['with_evidence']})") and after["name"] in x)
    assert line.startswith(f"{after['value']:>5} / {after['target']:<5} {after['name']}")
    assert item["id"] not in text
    assert any(i["evidence_missing"] and i["id"] in text for i in after["items"])


def test_attach_refusals_change_nothing(profile, tmp_path):
    """Unknown type or kind, no such record, a file that is not there or is a folder, a
    record of the app's own: one translated line, exit 1, nothing changed."""
    event = _by_code(_json(profile, "indicators", "--json"))["opening_conference"]["items"][0]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF scan")
    before = ok(profile, "dump")
    attachments = Profile(profile).attachments
    blobs = sorted(p.name for p in attachments.rglob("*") if p.is_file())
    cases = {
        ("evnt", event["id"], str(scan)): "evnt",
        ("event", event["id"], str(scan), "--kind", "video"): "video",
        ("event", "no-such-id", str(scan)): "no-such-id",
        ("event", event["id"], str(tmp_path / "missing.pdf")): "missing.pdf",
        ("event", event["id"], str(tmp_path)): str(tmp_path),
        ("attachment", event["id"], str(scan)): "",
    }
    for args, named in cases.items():
        line = one_line_error(run(profile, "--lang", "de", "attach", *args))
        assert line.startswith("Fehler: ") and named in line, line
    assert ok(profile, "dump") == before
    assert sorted(p.name for p in attachments.rglob("*") if p.is_file()) == blobs
    # Positive control: the same file, kind and record are attached.
    _attach(profile, "event", event["id"], scan, "signed-attendance")
    assert ok(profile, "dump") != before


def _sheet(workbook: CalamineWorkbook, name: str) -> list[list]:
    return workbook.get_sheet_by_name(name).to_python()


def _table(rows: list[list], first_header: str) -> list[list]:
    """The rows under the table's header row (the one starting with ``first_header``)."""
    start = next(n for n, row in enumerate(rows) if row and row[0] == first_header)
    return rows[start + 1:]


def _check_xlsx(path: Path, values: list[dict], *, offices: bool) -> None:
    workbook = CalamineWorkbook.from_path(str(path))
    names = workbook.sheet_names
    assert len(names) == len(values) + 1 and len(set(n.casefold() for n in names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    summary = _table(_sheet(workbook, names[0]), "Indicator")
    assert len(summary) == len(values)
    for row, value in zip(summary, values, strict=True):
        missing = sum(1 for i in value["items"] if i["evidence_missing"])
        assert row[0] == value["name"]
        assert [int(x) for x in row[1:5]] == [value["target"], value["value"],
                                              value["with_evidence"], missing]
        if offices:
            assert [int(x) for x in row[5:9]] == [
                value["by_office"].get(code, 0) for code in ("BIC", "CIT", "LOP", "SNB")]
        else:
            assert len([x for x in row if x != ""]) == 5
    for name, value in zip(names[1:], values, strict=True):
        rows = _sheet(workbook, name)
        assert rows[0][0] == value["name"]
        listed = {row[7]: row for row in _table(rows, "Counted record")}
        assert set(listed) == {i["id"] for i in value["items"]}
        for item in value["items"]:
            row = listed[item["id"]]
            assert row[0] == item["label"]
            assert (row[3].isoformat() if row[3] != "" else None) == item["on"]
            assert row[4] == "; ".join(e["file_name"] for e in item["evidence"])
            assert row[6] == ("yes" if item["evidence_missing"] else "no")


def test_xlsx_report_equals_indicators_json(profile, tmp_path):
    """The summary's target, value, with evidence and per office figures are those of
    ``indicators --json``; each indicator's sheet lists exactly its counted records with
    their date and evidence."""
    values = _json(profile, "--lang", "en", "indicators", "--json")
    assert sum(v["with_evidence"] for v in values) >= 4  # the fixture's evidence is there
    out = ok(profile, "--lang", "en", "report", "indicators", "-o", str(tmp_path / "r.xlsx"))
    assert str(tmp_path / "r.xlsx") in out
    _check_xlsx(tmp_path / "r.xlsx", values, offices=True)


def test_xlsx_report_of_one_office_and_period(profile, tmp_path):
    """With --office and a period the figures are those of ``indicators --office … --from
    … --to …``."""
    args = ("--office", "snb", "--from", "2018-01-01", "--to", "31.12.2019")
    values = _json(profile, "--lang", "en", "indicators", *args, "--json")
    assert any(v["value"] for v in values)
    ok(profile, "--lang", "en", "report", "indicators", *args, "-o", str(tmp_path / "s.xlsx"))
    _check_xlsx(tmp_path / "s.xlsx", values, offices=False)
    workbook = CalamineWorkbook.from_path(str(tmp_path / "s.xlsx"))
    heading = [row[0] for row in _sheet(workbook, workbook.sheet_names[0])[:5]]
    assert any("(SNB)" in line for line in heading)
    assert "Period: 2018-01-01 – 2019-12-31" in heading


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("EUREGIONET_REQUIRE_DESKTOP_TOOLS") \
                or os.environ.get("EUREGIONET_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    return soffice


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xad", "").replace("-\n", "")).strip()


def test_docx_report_opens_in_libreoffice_with_the_figures(profile, tmp_path):
    """The Word report in pl, de and pl+de converts to PDF; its text holds each
    indicator's name and figures in the report's language, and the document lists every
    counted record with its evidence."""
    soffice = _soffice()
    from pypdf import PdfReader

    values = {lang: _json(profile, "--lang", lang, "indicators", "--json")
              for lang in ("pl", "de")}
    files = {}
    for lang in ("pl", "de", "pl+de"):
        path = tmp_path / f"report-{lang.replace('+', '-')}.docx"
        ok(profile, "report", "indicators", "--lang", lang, "-o", str(path))
        files[lang] = path
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    *map(str, files.values())], check=True, capture_output=True, env=ENV,
                   timeout=300)
    for lang, path in files.items():
        pdf = tmp_path / "pdf" / (path.stem + ".pdf")
        text = _flat("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
        for code in ("pl", "de") if lang == "pl+de" else (lang,):
            line = translation(code).gettext(VALUE_LINE)
            for value in values["pl"]:
                missing = sum(1 for i in value["items"] if i["evidence_missing"])
                figures = line.format(value=value["value"], target=value["target"],
                                      with_evidence=value["with_evidence"], missing=missing)
                assert _flat(figures) in text, (lang, figures)
            names = [v["name"] for v in values[code]]
            assert all(_flat(name) in text for name in names), lang
        document = docx.Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows
                 for cell in row.cells]
        for value in values["pl"]:
            for item in value["items"]:
                assert item["label"] in cells
                for evidence in item["evidence"]:
                    assert any(evidence["file_name"] in cell for cell in cells)


def test_report_refusals_write_nothing(profile, tmp_path):
    """An unknown ending or language, a bad date, --from after --to, an unknown office,
    a folder that is not there or a file that is a folder: one translated line, exit
    1, nothing written."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "taken.xlsx").mkdir()
    cases = {
        ("-o", str(folder / "r.pdf")): ".xlsx",
        ("-o", str(folder / "r.docx"), "--lang", "en"): "pl+de",
        ("-o", str(folder / "r.docx"), "--lang", "fr"): "fr",
        ("-o", str(folder / "r.xlsx"), "--from", "2019-02-30"): "2019-02-30",
        ("-o", str(folder / "r.xlsx"), "--to", "soon"): "soon",
        ("-o", str(folder / "r.xlsx"), "--from", "2019-06-01", "--to", "2019-05-31"):
            "2019-05-31",
        ("-o", str(folder / "r.docx"), "--office", "XYZ"): "XYZ",
        ("-o", str(folder / "missing" / "r.xlsx")): "missing",
        ("-o", str(folder / "taken.xlsx")): "taken.xlsx",
    }
    before = ok(profile, "dump")
    for args, named in cases.items():
        line = one_line_error(run(profile, "--lang", "pl", "report", "indicators", *args))
        assert line.startswith("Błąd: ") and named in line, line
        assert sorted(p.name for p in folder.iterdir()) == ["taken.xlsx"], args
    assert ok(profile, "dump") == before
    # Positive control: the same options, mended, write the report.
    ok(profile, "report", "indicators", "--office", "lop", "--from", "2019-05-31", "--to",
       "2019-06-01", "-o", str(folder / "r.docx"), "--lang", "pl+de")
    assert (folder / "r.docx").stat().st_size > 0


def test_new_cross_border_cluster_counts_once_agreed_with_its_evidence(tmp_path):
    """Done when 1 (the indicator): an initiative with a Polish and a German member is a
    new cross-border cluster only once its agreement step is done, flagged "evidence
    missing" until the signed agreement is attached to the initiative; the report lists it
    with that evidence."""
    data_dir = tmp_path / "profile"
    ok(data_dir, "init", "--office", "SNB")

    def counted() -> dict:
        return _by_code(_json(data_dir, "indicators", "--json"))["new_cross_border_clusters"]

    polish = added_id(data_dir, "organisation", name="Lubuskie Centrum Drewna", country="PL")
    german = added_id(data_dir, "organisation", name="Holzzentrum Spree GmbH", country="DE")
    cluster = added_id(data_dir, "cluster", name_pl="Klaster Drzewny Odra",
                       kind="cluster", country="PL", cross_border="true")
    for organisation in (polish, german):
        added_id(data_dir, "membership", cluster_id=cluster, organisation_id=organisation,
                 role="founding_member", declaration_signed_on="2019-03-01")
    initiative = added_id(data_dir, "initiative", cluster_id=cluster, started_on="2019-01-15")
    # The initiative comes with its steps; the advisor marks them as they happen.
    for step, status, day in (("letter-of-intent", "done", "2019-01-20"),
                              ("accession", "done", "2019-03-01")):
        ok(data_dir, "initiative", "step", initiative, step, f"status={status}",
           f"done_on={day}")
    ok(data_dir, "initiative", "step", initiative, "agreement", "status=in_progress")
    assert counted()["value"] == 0 and counted()["items"] == []

    ok(data_dir, "initiative", "step", initiative, "agreement", "status=done",
       "done_on=2019-06-14")
    value = counted()
    assert value["value"] == 1 and value["with_evidence"] == 0
    [item] = value["items"]
    assert (item["id"], item["on"], item["evidence_missing"]) == (cluster, "2019-06-14", True)

    signed = tmp_path / "agreement.pdf"
    signed.write_bytes(b"%PDF the signed cooperation agreement")
    attachment = _attach(data_dir, "initiative", initiative, signed, "signed-agreement")
    value = counted()
    assert value["with_evidence"] == 1
    assert value["items"][0]["evidence_missing"] is False
    assert value["items"][0]["evidence"] == [{"attachment_id": attachment,
                                              "file_name": "agreement.pdf",
                                              "kind": KINDS["signed-agreement"]}]
    ok(data_dir, "--lang", "en", "report", "indicators", "-o", str(tmp_path / "r.xlsx"))
    _check_xlsx(tmp_path / "r.xlsx", _json(data_dir, "--lang", "en", "indicators", "--json"),
                offices=True)
