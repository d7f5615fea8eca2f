"""Consent that means something (issue 21): recorded with ``consent contact ID``, travelling
in bundles, marked in the contacts list, respected by mailing exports, the attendance list
and the published website."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import vobject
from docx import Document
from python_calamine import CalamineWorkbook
from test_cli import cli, one_line_error
from test_cli import ok_here as ok
from test_cli import run_here as run

from euregionet_desktop.domain.consent import dated
from euregionet_desktop.domain.enums import ConsentScope
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import consent, profile, records


def _added(data_dir: Path, capsys, entity: str, *values: str) -> str:
    capsys.readouterr()
    assert cli(data_dir, "add", entity, *values) == 0
    return capsys.readouterr().out.strip()


def _state(data_dir: Path, capsys, contact: str) -> dict:
    capsys.readouterr()
    assert cli(data_dir, "consent", "contact", contact, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_a_consent_withdrawn_at_one_office_is_respected_at_the_other(tmp_path, partners,
                                                                    capsys):
    """BIC records two consents, then one person withdraws; after the bundle LOP holds
    the withdrawal (with its history), its contacts list marks the person, and a mailing
    export in every format leaves the person out and says so on stderr."""
    bic, lop = partners["BIC"], partners["LOP"]
    leaving = _added(bic, capsys, "contact", "first_name=Ewa", "last_name=Wycofana",
                     "email=ewa@odra.pl")
    staying = _added(bic, capsys, "contact", "first_name=Jan", "last_name=Zgodny",
                     "email=jan@odra.pl")
    for person in (leaving, staying):
        assert cli(bic, "consent", "contact", person, "status=given", "on=2026-03-01",
                   "source=event-registration", "scope=communication,newsletter") == 0
    assert cli(bic, "consent", "contact", leaving, "status=withdrawn") == 0
    bundle = tmp_path / "bic-to-lop.zip"
    assert cli(bic, "bundle", "export", "--to", "LOP", "-o", bundle) == 0
    assert cli(lop, "bundle", "import", bundle) == 0

    state = _state(lop, capsys, leaving)
    assert state["status"] == "withdrawn" and state["may_communicate"] is False
    assert state["on"] is not None and state["on"] != "2026-03-01"  # dated when withdrawn
    statuses = [(c["old"], c["new"], c["office"]) for c in state["history"]
                if c["field"] == "consent_status"]
    assert statuses == [(None, "given", "BIC"), ("given", "withdrawn", "BIC")]
    assert _state(lop, capsys, staying)["may_communicate"] is True

    # What the contacts list reads per page says who may not be contacted.
    core = profile.open_profile(Profile(lop), purpose="test")
    try:
        rows = core.backend.read(records.get_many, entity="contact",
                                 record_ids=[leaving, staying])
    finally:
        core.close()
    assert [consent.may_communicate(r.values) for r in rows] == [False, True]

    for suffix in ("csv", "xlsx", "vcf"):
        output = tmp_path / f"mailing.{suffix}"
        capsys.readouterr()
        assert cli(lop, "export", "contact", "--mailing", "-o", output) == 0
        printed = capsys.readouterr()
        assert "1 contact exported" in printed.out
        assert printed.err.strip().splitlines()[-1] == (
            "1 contact person left out: no consent to programme communication.")
        text = _exported_text(output)
        assert "Zgodny" in text and "Wycofana" not in text, suffix
    # A normal export stays as it was: everybody.
    assert cli(lop, "export", "contact", "-o", tmp_path / "all.csv") == 0
    assert "Wycofana" in _exported_text(tmp_path / "all.csv")


def _exported_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return "\n".join(str(cell) for row in sheet for cell in row)
    if path.suffix == ".vcf":
        return "\n".join(card.fn.value for card in vobject.readComponents(
            path.read_text(encoding="utf-8")))
    return "\n".join(",".join(row) for row in csv.reader(io.StringIO(
        path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def consents(tmp_path_factory):
    """A profile with a cluster, an event and four people: withdrawn, given for photos
    and the directory, given for communication only, never asked; each a member of the
    cluster in their own right and a participant of the event who said yes to photos.
    Made through the services in one process (the CLI's own part is tested above)."""
    data_dir = tmp_path_factory.mktemp("consent") / "p"
    core = profile.open_profile(Profile(data_dir), purpose="test")
    try:
        run_ = core.backend.run
        run_(profile.initialise, office="LOP", advisor_name="Anna Nowak")

        def add(entity: str, **values: str) -> str:
            return run_(records.create, entity=entity, values=values).record_id

        cluster = add("cluster", name_pl="Klaster Zgody", name_de="Einwilligungscluster",
                      country="PL")
        event = add("event", kind="workshop", title_pl="Warsztat", starts_on="2026-05-21")
        people = {}
        for last, status, scope in [("Wycofany", "withdrawn", ""),
                                    ("Jawny", "given", "communication,photos,directory"),
                                    ("Mailowy", "given", "communication"),
                                    ("Niepytany", "", "")]:
            person = add("contact", first_name="Piotr", last_name=last,
                         function=f"Prezes {last}")
            if status:
                run_(consent.set_consent, contact_id=person,
                     values={"status": status, **({"scope": scope} if scope else {})})
            add("membership", cluster_id=cluster, contact_id=person)
            add("participant", event_id=event, contact_id=person, photo_consent="true")
            people[last] = person
        add("participant", event_id=event, name="Anna Gość", photo_consent="false")
    finally:
        core.close()
    return data_dir, event, people


def test_the_attendance_list_prints_the_recorded_photo_consent(consents, tmp_path):
    """A withdrawn consent prints "nie" though the participant said yes; a consent given
    for photos "tak"; where nothing recorded decides, the box to tick stays."""
    data_dir, event, _people = consents
    output = tmp_path / "attendance.docx"
    ok(data_dir, "doc", "attendance", event, "--lang", "pl", "-o", str(output))
    rows = Document(str(output)).tables[-1].rows[1:]
    printed = {row.cells[1].text: row.cells[6].text for row in rows if row.cells[1].text}
    assert printed == {"Piotr Wycofany": "nie", "Piotr Jawny": "tak",
                       "Piotr Mailowy": "\u2610", "Piotr Niepytany": "\u2610",
                       "Anna Gość": "\u2610"}
    output = tmp_path / "attendance.pl+de.docx"
    ok(data_dir, "doc", "attendance", event, "--lang", "pl+de", "-o", str(output))
    rows = Document(str(output)).tables[-1].rows[1:]
    printed = {row.cells[1].text: row.cells[6].text for row in rows if row.cells[1].text}
    assert printed["Piotr Wycofany"] == "nie / nein"
    assert printed["Piotr Jawny"] == "tak / ja"


def test_the_website_and_the_directory_list_only_persons_who_consented(consents, tmp_path):
    """Only the person who consented to the directory is on the cluster's page (name,
    function; no e-mail) and in the printed directory."""
    data_dir, _event, _people = consents
    site = tmp_path / "site"
    ok(data_dir, "publish", "-o", str(site))
    pages = b"".join(path.read_bytes() for path in site.rglob("*.html")).decode()
    assert "Piotr Jawny, Prezes Jawny" in pages
    for other in ("Wycofany", "Mailowy", "Niepytany"):
        assert other not in pages
    assert "Osoby kontaktowe" in (next((site / "pl").glob("cluster-*.html"))).read_text()
    booklet = tmp_path / "directory.docx"
    ok(data_dir, "doc", "directory", "--lang", "pl", "-o", str(booklet))
    text = "\n".join(cell.text for table in Document(str(booklet)).tables
                     for row in table.rows for cell in row.cells)
    assert "Piotr Jawny" in text
    assert "Wycofany" not in text and "Mailowy" not in text


def test_bad_consent_values_are_refused_with_one_line_and_change_nothing(consents, capsys):
    data_dir, _event, people = consents
    person = people["Mailowy"]
    before = ok(data_dir, "dump")
    for values, word in [(["status=maybe"], "maybe"), (["scope=communication,cats"], "cats"),
                         (["source=pigeon"], "pigeon"), (["on=someday"], "someday"),
                         (["colour=red"], "colour"),
                         (["status=given", "evidence=/no/such/file.pdf"], "file.pdf")]:
        capsys.readouterr()
        assert cli(data_dir, "consent", "contact", person, *values) == 1
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and word in lines[0], lines
    one_line_error(run(data_dir, "consent", "organisation", person))
    assert ok(data_dir, "dump") == before
    # The positive control: the same kind of line, correct, is taken.
    assert cli(data_dir, "consent", "contact", person, "source=signed-list") == 0
    assert "signed_list" in ok(data_dir, "consent", "contact", person, "--json")


def test_a_consent_refused_in_the_record_form_is_dated_today_too(consents, capsys):
    """The date rule holds for every edit (``edit contact``, the record's form), and a
    date given is kept."""
    data_dir, _event, _people = consents
    person = _added(data_dir, capsys, "contact", "last_name=Odmowny")
    assert cli(data_dir, "edit", "contact", person, "consent_status=refused") == 0
    assert _state(data_dir, capsys, person)["on"] == dt.date.today().isoformat()
    other = _added(data_dir, capsys, "contact", "last_name=Datowany",
                   "consent_status=withdrawn", "consent_on=2026-02-03")
    assert _state(data_dir, capsys, other)["on"] == "2026-02-03"


def test_dated_leaves_a_date_given_and_a_status_that_stays():
    today = dt.date(2026, 12, 7)
    given = dt.date(2026, 1, 2)
    assert dated({"consent_status": "withdrawn", "consent_on": given},
                 {"consent_status": "given", "consent_on": given}, today)["consent_on"] == today
    assert dated({"consent_status": "withdrawn", "consent_on": dt.date(2026, 5, 5)},
                 {"consent_status": "given", "consent_on": given},
                 today)["consent_on"] == dt.date(2026, 5, 5)
    assert dated({"consent_status": "withdrawn", "consent_on": given},
                 {"consent_status": "withdrawn", "consent_on": given}, today)["consent_on"] == given
    assert dated({"consent_status": "given", "consent_on": None}, None,
                 today)["consent_on"] is None
    assert dated({"consent_status": "refused"}, None, today)["consent_on"] == today


# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "scopes", "scope", "expected"), [
    ("given", ["communication"], ConsentScope.COMMUNICATION, True),
    ("given", ["photos"], ConsentScope.COMMUNICATION, False),
    ("given", None, ConsentScope.COMMUNICATION, False),
    ("withdrawn", ["communication", "photos"], ConsentScope.COMMUNICATION, False),
    ("refused", ["communication"], ConsentScope.COMMUNICATION, False),
    ("asked", ["communication"], ConsentScope.COMMUNICATION, False),
    ("unknown", ["communication"], ConsentScope.COMMUNICATION, False),
    (None, ["directory"], ConsentScope.DIRECTORY, False),
    ("given", ["directory", "photos"], "directory", True),
])
def test_only_a_consent_given_allows_and_only_its_scopes(status, scopes, scope, expected):
    row = {"consent_status": status, "consent_purposes": scopes}
    assert consent.allows(row, scope) is expected
    assert consent.may_communicate(row) is (
        status == "given" and "communication" in (scopes or ()))


def test_photo_consent_decided_by_the_record_only_where_it_says_something():
    assert consent.photo_consent({"consent_status": "withdrawn",
                                  "consent_purposes": ["photos"]}) is False
    assert consent.photo_consent({"consent_status": "refused"}) is False
    assert consent.photo_consent({"consent_status": "given",
                                  "consent_purposes": ["photos"]}) is True
    assert consent.photo_consent({"consent_status": "given",
                                  "consent_purposes": ["communication"]}) is None
    assert consent.photo_consent({"consent_status": "asked"}) is None
    assert consent.photo_consent(None) is None
    assert consent.allows(None, ConsentScope.PHOTOS) is False


def test_typed_values_are_read_as_people_type_them():
    assert consent.field_values({"status": "Given", "source": "event-registration",
                                 "scope": "photos, communication,photos", "on": "2026-01-02"}
                                ) == {"consent_status": "given",
                                      "consent_via": "event_registration",
                                      "consent_purposes": ["photos", "communication"],
                                      "consent_on": "2026-01-02"}
    assert consent.field_values({"scope": "", "source": ""}) == {
        "consent_purposes": None, "consent_via": None}
