"""A person's data on request (issue 21, GDPR Art. 15 and 20): ``person-report contact ID
-o FILE`` lists every record that refers to the person, checked against the table of
references (one record per relation, so a relation added later without report support
fails here), writes a Word document LibreOffice opens, names the offices that hold the
data after an exchange, and refuses an unknown person or file ending with one line.

The LibreOffice test skips without soffice unless EUREGIONET_REQUIRE_LIBREOFFICE (or
EUREGIONET_REQUIRE_DESKTOP_TOOLS) is set.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_cli import ENV, cli

from euregionet_desktop import i18n
from euregionet_desktop.cli import main
from euregionet_desktop.i18n import translation
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import (
    documents,
    duplicates,
    evidence,
    notes,
    person_report,
    records,
)
from euregionet_desktop.services.person_report import (
    EVENTS,
    KNOWN_REFERENCES,
    OTHER,
    TITLES,
)
from euregionet_desktop.services.profile import open_profile
from euregionet_desktop.services.relation_table import pointing_at
from euregionet_desktop.storage.fields import fields_of

# A value for a required field of each kind, where the record refers to no other one.
_PLAIN = {"text": "Test", "longtext": "Test", "date": "2024-05-06",
          "datetime": "2024-05-06 10:00", "time": "10:00", "int": "1", "bool": "yes",
          "email": "test@example.org"}


class _Maker:
    """Records made through the services in one profile, each required field filled (a
    record it must refer to is made first)."""

    def __init__(self, core: Any) -> None:
        self.core = core

    def create(self, entity: str, **values: Any) -> str:
        for spec in fields_of(entity):
            if spec.name in values or not spec.required or spec.has_default:
                continue
            if spec.kind == "ref":
                values[spec.name] = self.create(spec.ref)
            elif spec.kind == "enum":
                values[spec.name] = next(iter(spec.choices)).value
            else:
                values[spec.name] = _PLAIN[spec.kind]
        changes = self.core.backend.run(records.create, entity=entity, values=values)
        return changes.record_id

    def refer(self, entity: str, field: str, contact_id: str, other_id: str) -> str:
        """A record of ``entity`` naming the person in ``field`` (a "not a duplicate"
        decision is the app's own: made as a person makes it)."""
        if entity == "duplicate_decision":
            return self.core.backend.run(duplicates.not_duplicate, entity="contact",
                                         first_id=contact_id, second_id=other_id).record_id
        is_list = next(s for s in fields_of(entity) if s.name == field).kind.is_list
        return self.create(entity, **{field: [contact_id] if is_list else contact_id})


@pytest.fixture(scope="module")
def person(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """A LOP profile with a person named by one record through every reference to a
    contact person in the table, by a generated document, an attached file, the consent
    evidence and a shared and a private note; and another person with records of their
    own. What was made: ids by (entity, field)."""
    root = tmp_path_factory.mktemp("person-report")
    data_dir = root / "profile"
    assert cli(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak") == 0
    made: dict[tuple[str, str], str] = {}
    with open_profile(Profile(data_dir), purpose="pytest") as core:
        maker = _Maker(core)
        contact_id = maker.create("contact", first_name="Zofia", last_name="Wiśniewska",
                                  email="zofia@example.pl", consent_status="given")
        other_id = maker.create("contact", first_name="Otto", last_name="Fremder")
        for reference in pointing_at("contact"):
            if reference.field:
                made[(reference.entity, reference.field)] = maker.refer(
                    reference.entity, reference.field, contact_id, other_id)
        # The other person's own records, which must not appear.
        others = [maker.refer("membership", "contact_id", other_id, contact_id),
                  maker.refer("task", "contact_id", other_id, contact_id)]
        # An attendance list of the person's event names them (person_ids).
        event_id = core.backend.read(records.get, entity="participant",
                                     record_id=made[("participant", "contact_id")]
                                     ).values["event_id"]
        made[("attachment", "person_ids")] = core.backend.run(
            documents.generate_document, profile=core.profile, kind="attendance",
            record_id=event_id, language="pl", output=root / "lista.docx").attachment_id
        scan = root / "zgoda.pdf"
        scan.write_bytes(b"%PDF-1.4 consent form")
        made[("attachment", "linked_id")] = core.backend.run(
            evidence.attach_file, profile=core.profile, entity="contact",
            record_id=contact_id, path=scan).record_id
        evidence_id = core.backend.run(
            evidence.attach_file, profile=core.profile, entity="organisation",
            record_id=maker.create("organisation"), path=scan).record_id
        core.backend.run(records.update_record, entity="contact", record_id=contact_id,
                         values={"consent_evidence_id": evidence_id,
                                 "consent_status": "withdrawn"})
        made[("contact", "consent_evidence_id")] = evidence_id
        for private in (False, True):
            made[("note", str(private))] = core.backend.run(
                notes.add_note, entity="contact", record_id=contact_id,
                body=f"Note {private}: prefers phone calls", private=private).record_id
        core.backend.run(notes.add_note, entity="contact", record_id=other_id,
                         body="Otto's own note")
    yield {"dir": data_dir, "root": root, "id": contact_id, "other_id": other_id,
           "made": made, "others": others}


def _report(person: dict[str, Any], path: Path, *args: str) -> dict[str, Any]:
    assert cli(person["dir"], "person-report", "contact", person["id"], "-o", path,
               *args) == 0
    return json.loads(path.read_text(encoding="utf-8"))


def _records(report: dict[str, Any]) -> dict[str, str]:
    """Each listed record's id → the section listing it."""
    return {row["id"]: key for key, section in report["sections"].items()
            for row in section["records"]}


def test_every_relation_to_a_person_is_in_the_report(person, tmp_path):
    """For every reference to a contact person in the relations table, the record made
    through it is listed, in its section (a relation no section knows in "other
    records"); the generated document, the attached file, the consent evidence and both
    notes too; the other person's records are not."""
    report = _report(person, tmp_path / "r.json")
    listed = _records(report)
    relations = [(r.entity, r.field) for r in pointing_at("contact") if r.field]
    assert relations, "the table names no reference to a contact person"
    for entity, field in relations:
        record_id = person["made"][(entity, field)]
        assert listed.get(record_id) == KNOWN_REFERENCES.get((entity, field), OTHER), (
            entity, field)
        assert {"entity": entity, "field": field, "id": record_id} in report["references"]
    for key in (("attachment", "person_ids"), ("attachment", "linked_id"),
                ("contact", "consent_evidence_id")):
        assert listed[person["made"][key]] == "documents", key
    assert listed[person["made"][("note", "False")]] == "notes"
    assert listed[person["made"][("note", "True")]] == "notes"
    private = [row for row in report["sections"]["notes"]["records"] if row["values"]["private"]]
    assert [row["entity"] for row in private] == ["private_note"]
    # Not the other person's: neither their records nor their note.
    text = json.dumps(report, ensure_ascii=False)
    for record_id in person["others"]:
        assert record_id not in text
    assert "Otto's own note" not in text
    # The person's own fields with the stored value beside the shown one, and the
    # consent history (given, then withdrawn) with both states.
    fields = {f["field"]: f for f in report["fields"]}
    assert fields["last_name"]["value"] == "Wiśniewska"
    assert fields["consent_status"] == {"field": "consent_status", "label": "Consent",
                                        "value": "withdrawn", "shown": "Consent withdrawn"}
    history = [row["values"] for row in report["sections"]["consent_history"]["records"]
               if row["values"]["field"] == "consent_status"]
    assert [h["new_value"] for h in history] == ["given", "withdrawn"]
    assert history[1]["old_value"] == "given"
    assert [row["values"] for row in report["sections"]["offices"]["records"]] == [
        {"code": "LOP", "name": "Lubuska Organizacja Pracodawców", "how": "written"}]


def test_json_keys_stay_english_in_every_language(person, tmp_path):
    """The machine-readable form keeps its keys and stored values in any language; only
    the labels change."""
    reports = {lang: _report(person, tmp_path / f"{lang}.json", "--lang", lang)
               for lang in ("pl", "de")}
    for report in reports.values():
        report.pop("made_at")
    pl, de = reports["pl"], reports["de"]
    assert pl["sections"].keys() == de["sections"].keys()
    assert [f["value"] for f in pl["fields"]] == [f["value"] for f in de["fields"]]
    assert [f["label"] for f in pl["fields"]][:2] == ["Imię", "Nazwisko"]
    assert [f["label"] for f in de["fields"]][:2] == ["Vorname", "Nachname"]
    for key, section in pl["sections"].items():
        assert [r["values"] for r in section["records"]] == [
            r["values"] for r in de["sections"][key]["records"]], key


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xad", "").replace("-\n", "")).strip()


def test_docx_opens_in_libreoffice(person, tmp_path, soffice):
    """The Word report in pl and de converts to PDF; its text holds the person's name,
    the title and a section's title in the report's language."""
    from pypdf import PdfReader

    files = {}
    for lang in ("pl", "de"):
        files[lang] = tmp_path / f"report-{lang}.docx"
        assert cli(person["dir"], "person-report", "contact", person["id"], "--lang", lang,
                   "-o", files[lang]) == 0
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    *map(str, files.values())], check=True, capture_output=True, env=ENV,
                   timeout=300)
    for lang, path in files.items():
        pdf = tmp_path / "pdf" / (path.stem + ".pdf")
        text = _flat("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
        gettext = translation(lang).gettext
        assert "Zofia Wiśniewska" in text, lang
        assert _flat(gettext(TITLES[EVENTS])) in text, lang
        assert gettext(TITLES[EVENTS]) != TITLES[EVENTS], lang  # translated
        assert "Note True: prefers phone calls" in text, lang


def _offices(report: dict[str, Any]) -> dict[str, str]:
    return {row["values"]["code"]: row["values"]["how"]
            for row in report["sections"]["offices"]["records"]}


def test_offices_holding_the_data_after_an_exchange(partners, tmp_path, capsys):
    """A person entered at BIC: at LOP, after the bundle, the report names BIC (entered
    there) and LOP (received); at BIC, once LOP's bundle says it holds the changes, BIC
    names LOP as holding them too."""
    bic, lop = partners["BIC"], partners["LOP"]
    capsys.readouterr()
    assert cli(bic, "add", "contact", "first_name=Jan", "last_name=Kowalski") == 0
    contact_id = capsys.readouterr().out.strip()
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", tmp_path / "1.zip") == 0
    assert cli(lop, "bundle", "import", tmp_path / "1.zip") == 0
    person = {"dir": lop, "id": contact_id}
    assert _offices(_report(person, tmp_path / "lop.json")) == {
        "BIC": "written", "LOP": "received"}
    before = _report({"dir": bic, "id": contact_id}, tmp_path / "bic-before.json")
    assert _offices(before) == {"BIC": "written"}
    assert cli(lop, "bundle", "export", "--to", "BIC", "-o", tmp_path / "2.zip") == 0
    assert cli(bic, "bundle", "import", tmp_path / "2.zip") == 0
    after = _report({"dir": bic, "id": contact_id}, tmp_path / "bic-after.json")
    assert _offices(after) == {"BIC": "written", "LOP": "received"}


def test_unknown_person_and_bad_ending_are_refused(person, tmp_path, capsys):
    """An unknown id, another kind of record or a file ending other than .docx/.json: one
    translated line, exit 1, no file; the same command mended writes the report."""
    cases = {
        ("contact", "no-such-id", "-o", tmp_path / "r.json"): "no-such-id",
        ("contact", person["id"], "-o", tmp_path / "r.pdf"): ".docx",
        ("organisation", person["id"], "-o", tmp_path / "r.json"): "contact",
    }
    capsys.readouterr()
    for args, named in cases.items():
        assert cli(person["dir"], "person-report", *args) == 1, args
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and named in lines[0], lines
        assert not list(tmp_path.iterdir()), args
    # In Polish too.
    language = i18n.current_language()
    try:
        assert main(["--data-dir", str(person["dir"]), "--lang", "pl", "person-report",
                     "contact", "no-such-id", "-o", str(tmp_path / "r.json")]) == 1
    finally:
        i18n.set_language(language)
    line = capsys.readouterr().err.strip()
    assert line.startswith("Błąd: ") and "no-such-id" in line, line
    # Positive control.
    assert cli(person["dir"], "person-report", "contact", person["id"], "-o",
               tmp_path / "r.json") == 0
    assert (tmp_path / "r.json").is_file()


def test_a_relation_no_section_knows_is_listed_among_other_records(person, monkeypatch):
    """A reference the report has no section for (as a relation added later would be)
    is still listed, under "Other records naming the person", with its kind of record,
    the field naming the person and the record's name."""
    monkeypatch.delitem(person_report.KNOWN_REFERENCES, ("task", "contact_id"))
    with open_profile(Profile(person["dir"]), purpose="pytest") as core:
        report = core.backend.read(person_report.person_report, contact_id=person["id"],
                                   lang="en")
    sections = {section.key: section for section in report.sections}
    task_id = person["made"][("task", "contact_id")]
    assert task_id not in [row.record_id for row in sections["tasks"].rows]
    row = next(row for row in sections[OTHER].rows if row.record_id == task_id)
    assert row.values == ("task", "contact_id", task_id)
    assert row.shown == ("Task", "Contact person", "Test")


def test_a_deleted_person_is_still_reported(person, tmp_path):
    """Deleted (not erased), a person's data is still held and travels: the report is
    written, saying so, with their records (a membership deleted with them too)."""
    data_dir = tmp_path / "profile"
    shutil.copytree(person["dir"], data_dir)
    assert cli(data_dir, "delete", "contact", person["other_id"]) == 0
    report = _report({"dir": data_dir, "id": person["other_id"]}, tmp_path / "r.json")
    assert report["person"]["deleted"] is True
    memberships = report["sections"]["memberships"]["records"]
    assert [(row["id"], row["deleted"]) for row in memberships] == [
        (person["others"][0], True)]
    assert cli(data_dir, "person-report", "contact", person["other_id"], "-o",
               tmp_path / "r.docx") == 0
