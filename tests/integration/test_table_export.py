"""``euregionet export``: lists to CSV and XLSX, contacts to vCards, events and tasks to
iCalendar, on a demo profile, read back with the readers other programs use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path

import icalendar
import pytest
import vobject
from python_calamine import CalamineWorkbook
from test_cli import cli

from euregionet_desktop import i18n
from euregionet_desktop.cli import main
from euregionet_desktop.sync import clock

FORMULA = '=HYPERLINK("http://example.com/x";"Kliknij")'
LONG_ORG = ("Przedsiębiorstwo Innowacyjne Źródła Łąk Żółtych i Gęśli Ćmy "
            "spółka z ograniczoną odpowiedzialnością")
LONG_NOTE = ("Zażółć gęślą jaźń; spotkanie w Gorzowie, potem Łódź.\nDruga linia: "
             "ÄÖÜ ß — łódź żółw źdźbło " * 3).strip()


def cli_in(language: str, data_dir: Path, *args: str | Path) -> int:
    """``euregionet --data-dir DIR --lang LANGUAGE ARGS...`` in this process."""
    before = i18n.current_language()
    try:
        return main(["--data-dir", str(data_dir), "--lang", language, *map(str, args)])
    finally:
        i18n.set_language(before)


def output(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str | Path,
           language: str = "en") -> str:
    """Run a command that must succeed; its stdout."""
    capsys.readouterr()
    assert cli_in(language, data_dir, *args) == 0, capsys.readouterr().err
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LOP profile with the small demo data set, a contact whose last name is a formula
    and one with a long Polish organisation name and note."""
    data_dir = tmp_path_factory.mktemp("export") / "profile"
    assert cli(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak") == 0
    assert cli(data_dir, "demo-data") == 0
    assert cli(data_dir, "add", "contact", f"last_name={FORMULA}", "first_name=Eve") == 0
    assert cli(data_dir, "add", "organisation", f"name={LONG_ORG}", "country=PL",
               "city=Żary", "street=ul. Źródlana 1", "postal_code=68-200") == 0
    return data_dir


def listed(capsys, data_dir: Path, entity: str, *options: str) -> list[dict]:
    return json.loads(output(capsys, data_dir, "list", entity, "--json", *options))


def read_csv(path: Path, separator: str) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def read_xlsx(path: Path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


# --- spreadsheets -----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "last_name", "separator", "message"), [
    ("pl", "Nazwisko", ";", "Wyeksportowano"),
    ("de", "Nachname", ";", "exportiert"),
    ("en", "Last name", ",", "contacts exported to"),
])
def test_contacts_csv_has_bom_localized_headers_and_every_contact(
        profile, tmp_path, capsys, language, last_name, separator, message):
    """A CSV of contacts opens as UTF-8 with a BOM, with the interface language's headers,
    its separator, every live contact once and the id last."""
    target = tmp_path / "kontakte.csv"
    said = output(capsys, profile, "export", "contact", "-o", target, language=language)
    assert message in said and str(target) in said
    rows = read_csv(target, separator)
    header = rows[0]
    assert header[1] == last_name and header[-1] == "ID"
    contacts = listed(capsys, profile, "contact")
    assert sorted(row[-1] for row in rows[1:]) == sorted(c["id"] for c in contacts)
    assert all(len(row) == len(header) for row in rows)
    assert f"{len(contacts)} " in said


def test_csv_lines_end_with_crlf_and_dates_follow_the_language(profile, tmp_path, capsys):
    """Every record ends with CRLF; a consent date reads 19.01.2020 in Polish and
    2020-01-19 in English."""
    polish, english = tmp_path / "pl.csv", tmp_path / "en.csv"
    output(capsys, profile, "export", "contact", "-o", polish, language="pl")
    output(capsys, profile, "export", "contact", "-o", english, language="en")
    assert polish.read_bytes().count(b"\r\n") >= len(read_csv(polish, ";"))
    pl_rows, en_rows = read_csv(polish, ";"), read_csv(english, ",")
    column = pl_rows[0].index("Data zgody")
    dated = [(p[column], e[column]) for p, e in zip(pl_rows[1:], en_rows[1:], strict=True)
             if p[column]]
    assert dated
    for pl_day, en_day in dated:
        day, month, year = pl_day.split(".")
        assert en_day == f"{year}-{month}-{day}"


def test_formula_is_neutralised_in_csv_and_a_string_cell_in_xlsx(profile, tmp_path, capsys):
    """A last name that is a formula: an apostrophe before it in the CSV, a plain text
    cell (no formula element at all) in the XLSX."""
    as_csv, as_xlsx = tmp_path / "k.csv", tmp_path / "k.xlsx"
    output(capsys, profile, "export", "contact", "--search", "Eve", "-o", as_csv)
    output(capsys, profile, "export", "contact", "--search", "Eve", "-o", as_xlsx)
    csv_names = [row[1] for row in read_csv(as_csv, ",")[1:]]
    assert "'" + FORMULA in csv_names
    assert FORMULA not in csv_names
    xlsx_names = [row[1] for row in read_xlsx(as_xlsx)[1:]]
    assert FORMULA in xlsx_names
    with zipfile.ZipFile(as_xlsx) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" in sheet


def test_search_filters_and_xlsx_has_the_rows_of_the_csv(profile, tmp_path, capsys):
    """--search keeps what the list's filter finds; the XLSX holds the same rows as the
    CSV, in the same order, dates as date cells."""
    everyone = read_csv(_export(capsys, profile, tmp_path / "all.csv"), ",")
    found = read_csv(_export(capsys, profile, tmp_path / "lodz.csv", "--search", "lodz"), ",")
    assert 1 < len(found) < len(everyone)
    assert all("łódź" in ";".join(row).lower() or "lodz" in ";".join(row).lower()
               for row in found[1:])
    sheet = read_xlsx(_export(capsys, profile, tmp_path / "lodz.xlsx", "--search", "lodz"))
    assert [row[-1] for row in sheet] == [row[-1] for row in found]
    assert [row[:2] for row in sheet] == [row[:2] for row in found]
    consent = found[0].index("Consent date")
    dated = [row[consent] for row in sheet[1:] if row[consent]]
    assert dated and all(type(day).__name__ == "date" for day in dated)


def test_sort_and_descending_give_the_lists_order(profile, tmp_path, capsys):
    """--sort orders as ``list --sort`` does; --descending reverses it."""
    expected = [row["id"] for row in listed(capsys, profile, "organisation", "--sort", "city")]
    rows = read_csv(_export(capsys, profile, tmp_path / "o.csv", "--sort", "city",
                            entity="organisation"), ",")
    assert [row[-1] for row in rows[1:]] == expected
    rows = read_csv(_export(capsys, profile, tmp_path / "d.csv", "--sort", "city",
                            "--descending", entity="organisation"), ",")
    cities = [row[rows[0].index("City")] for row in rows[1:]]
    assert [row[-1] for row in rows[1:]] != expected
    assert cities[0] >= cities[-1]


def test_every_list_exports_in_both_formats(profile, tmp_path, capsys):
    """Each kind of record a list shows exports to CSV and XLSX with one row per record."""
    for entity in ("cluster", "organisation", "membership", "consultation", "task",
                   "evaluation", "action-plan", "measure", "event", "participant",
                   "indicator", "office", "advisor"):
        count = len(listed(capsys, profile, entity))
        rows = read_csv(_export(capsys, profile, tmp_path / f"{entity}.csv", entity=entity),
                        ",")
        sheet = read_xlsx(_export(capsys, profile, tmp_path / f"{entity}.xlsx",
                                  entity=entity))
        assert len(rows) == len(sheet) == count + 1, entity
        assert [row[-1] for row in rows] == [row[-1] for row in sheet], entity


def _export(capsys, profile: Path, target: Path, *options: str, entity: str = "contact",
            language: str = "en") -> Path:
    output(capsys, profile, "export", entity, *options, "-o", target, language=language)
    return target


# --- address books ------------------------------------------------------------------------


def test_vcards_parse_back_with_the_same_names_and_stable_uids(profile, tmp_path, capsys):
    """The vCard file parses with vobject: the same names (Polish letters too), one card
    per contact, UIDs from the record ids and equal across two exports, CRLF line ends,
    no line longer than 75 octets."""
    first = _export(capsys, profile, tmp_path / "a.vcf")
    second = _export(capsys, profile, tmp_path / "b.vcf")
    assert first.read_bytes() == second.read_bytes()
    data = first.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    cards = list(vobject.readComponents(data.decode("utf-8")))
    contacts = listed(capsys, profile, "contact")
    assert len(cards) == len(contacts)
    by_uid = {card.uid.value: card for card in cards}
    assert set(by_uid) == {f"urn:uuid:{c['id']}" for c in contacts}
    for contact in contacts:
        card = by_uid[f"urn:uuid:{contact['id']}"]
        assert card.version.value == "3.0"
        assert card.n.value.family == contact["last_name"]
        assert card.n.value.given == (contact["first_name"] or "")
        if contact["email"]:
            assert card.email.value == contact["email"]
    assert any(any(ch in card.n.value.family for ch in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
               for card in cards)


def test_a_long_polish_note_and_organisation_fold_correctly(profile, tmp_path, capsys):
    """A note and an organisation name longer than a line, full of two-byte letters, come
    back whole: folded at 75 octets without cutting a letter in two."""
    organisation = listed(capsys, profile, "organisation", "--filter", "Źródła Łąk")[0]["id"]
    output(capsys, profile, "add", "contact", "first_name=Żaneta", "last_name=Źdźbło",
           f"organisation_id={organisation}", f"notes={LONG_NOTE}")
    target = _export(capsys, profile, tmp_path / "z.vcf", "--search", "Źdźbło")
    data = target.read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"\r\n " in data  # something was folded
    data.decode("utf-8")  # no letter cut in two
    (card,) = vobject.readComponents(data.decode("utf-8"))
    assert card.org.value == [LONG_ORG]
    assert card.note.value == LONG_NOTE
    assert card.fn.value == "Żaneta Źdźbło"
    assert card.adr.value.city == "Żary" and card.adr.value.code == "68-200"


# --- calendars ---------------------------------------------------------------------------


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _by_uid(calendar: icalendar.Calendar, kind: str) -> dict[str, icalendar.Component]:
    return {str(c["UID"]): c for c in calendar.walk(kind)}


def test_events_calendar_is_stable_and_an_edit_raises_the_sequence(profile, tmp_path,
                                                                   capsys, monkeypatch):
    """Two exports of unchanged events are byte-identical, with VTIMEZONEs for Warsaw and
    Berlin; after an edit the event's SEQUENCE is one higher, its UID the same, and the
    other events are as they were."""
    first = _export(capsys, profile, tmp_path / "a.ics", entity="event")
    again = _export(capsys, profile, tmp_path / "b.ics", entity="event")
    assert first.read_bytes() == again.read_bytes()
    calendar = _calendar(first)
    assert {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")} == {
        "Europe/Warsaw", "Europe/Berlin"}
    assert str(calendar["VERSION"]) == "2.0" and "EuRegioNet" in str(calendar["PRODID"])
    events = listed(capsys, profile, "event")
    before = _by_uid(calendar, "VEVENT")
    assert set(before) == {f"{e['id']}@euregionet" for e in events}
    edited = events[0]
    # Edited "two hours from now": the stamp below can only come from the change log.
    real_now = clock.now_ms
    monkeypatch.setattr(clock, "now_ms", lambda: real_now() + 2 * 3_600_000)
    output(capsys, profile, "edit", "event", edited["id"], "place=Słubice, Collegium Polonicum")
    monkeypatch.setattr(clock, "now_ms", real_now)
    after = _by_uid(_calendar(_export(capsys, profile, tmp_path / "c.ics", entity="event")),
                    "VEVENT")
    uid = f"{edited['id']}@euregionet"
    assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1
    assert str(after[uid]["LOCATION"]) == "Słubice, Collegium Polonicum"
    # DTSTAMP is the time of the record's last change (not the time of the export).
    history = json.loads(output(capsys, profile, "show", "event", edited["id"], "--json"))
    last_change = max(entry["at"] for entry in history["history"])
    assert after[uid]["DTSTAMP"].dt.isoformat()[:19] == last_change[:19]
    assert after[uid]["DTSTAMP"].dt > dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    for other, component in before.items():
        if other != uid:
            assert after[other].to_ical() == component.to_ical()
    start = after[uid]["DTSTART"].dt
    end = after[uid]["DTEND"].dt
    last_day = edited["ends_on"] or edited["starts_on"]
    assert start.isoformat() == edited["starts_on"]
    days = dt.date.fromisoformat(last_day) - dt.date.fromisoformat(edited["starts_on"])
    assert (end - start).days == days.days + 1  # DTEND is the day after the last day


def test_tasks_calendar_has_a_todo_and_a_due_day_event(profile, tmp_path, capsys):
    """Each task is a VTODO (DUE, STATUS) and, with a due date, an all-day VEVENT of its
    own UID on that day; --open leaves out the done ones."""
    tasks = listed(capsys, profile, "task")
    calendar = _calendar(_export(capsys, profile, tmp_path / "t.ics", entity="task"))
    todos, days = _by_uid(calendar, "VTODO"), _by_uid(calendar, "VEVENT")
    assert set(todos) == {f"{t['id']}@euregionet" for t in tasks}
    assert set(days) == {f"{t['id']}-due@euregionet" for t in tasks if t["due_on"]}
    for task in tasks:
        todo = todos[f"{task['id']}@euregionet"]
        assert str(todo["SUMMARY"]) == task["title"]
        assert str(todo["STATUS"]) == ("COMPLETED" if task["done"] else "NEEDS-ACTION")
        if task["due_on"]:
            assert todo["DUE"].dt.isoformat() == task["due_on"]
            assert days[f"{task['id']}-due@euregionet"]["DTSTART"].dt.isoformat() == \
                task["due_on"]
    assert any(t["done"] for t in tasks) and any(not t["done"] for t in tasks)
    open_only = _by_uid(_calendar(_export(capsys, profile, tmp_path / "o.ics", "--open",
                                          entity="task")), "VTODO")
    assert set(open_only) == {f"{t['id']}@euregionet" for t in tasks if not t["done"]}


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "words"), [
    (("export", "cluster", "-o", "{dir}/c.vcf"), "vCard"),
    (("export", "organisation", "--format", "ics", "-o", "{dir}/c.ics"), "calendar"),
    (("export", "widget", "-o", "{dir}/w.csv"), "widget"),
    (("export", "contact", "-o", "{dir}/c.txt"), "--format"),
    (("export", "contact", "--sort", "nope", "-o", "{dir}/c.csv"), "nope"),
    (("export", "event", "--search", "x", "-o", "{dir}/e.ics"), "--search"),
    (("export", "contact", "-o", "{dir}/no-such-folder/c.csv"), "does not exist"),
    (("export", "contact", "-o", "{dir}/plain-file/c.xlsx"), "plain-file"),
    (("export", "contact", "--format", "csv", "-o", "{dir}/a-folder"), "a-folder"),
    (("export", "contact", "--format", "xlsx", "-o", "{dir}/a-folder"), "a-folder"),
])
def test_refusals_are_one_line_and_leave_no_file(profile, tmp_path, capsys, args, words):
    """A refused export: exit 1, one translated line naming the problem, no file left
    behind (not even a temporary one)."""
    (tmp_path / "plain-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    before = sorted(os.listdir(tmp_path))
    capsys.readouterr()
    code = cli_in("en", profile, *(a.format(dir=tmp_path) for a in args))
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 1, captured
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], lines
    assert sorted(os.listdir(tmp_path)) == before
    assert os.listdir(tmp_path / "a-folder") == []


def test_refusal_is_translated(profile, tmp_path, capsys):
    """The refusal speaks the interface language."""
    capsys.readouterr()
    assert cli_in("pl", profile, "export", "cluster", "-o", tmp_path / "c.vcf") == 1
    assert "tylko osoby kontaktowe" in capsys.readouterr().err
    assert not (tmp_path / "c.vcf").exists()
