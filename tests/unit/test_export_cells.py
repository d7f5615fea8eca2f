"""The export service on a real profile: cells as a person reads them, in the language
asked for; phones formatted fast and the same as phonenumbers formats them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import phonenumbers
import pytest
from python_calamine import CalamineWorkbook

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services import table_export


@pytest.mark.parametrize("number", ["+48683948656", "+493012345678", "+390612345678",
                                    "+14155552671", "+4915112345678", "+352123456",
                                    "+420601123456", "+48601", "not a number"])
def test_international_phone_matches_phonenumbers(number):
    """The fast path gives what parsing and formatting give (or the text as stored)."""
    try:
        expected = phonenumbers.format_number(phonenumbers.parse(number, None),
                                              phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        expected = number
    assert table_export.international_phone(number) == expected


@pytest.fixture
def plan(add) -> str:
    """An action plan with one measure: money, dates, a choice and a reference."""
    cluster = add("cluster", name_pl="Klaster Żółty", country="PL")
    plan = add("action_plan", cluster_id=cluster, title="Plan 2018", status="agreed")
    add("measure", action_plan_id=plan, title="=Wizyta", cost="1234.5", currency="EUR",
        starts_on="2018-10-01", status="planned")
    return plan


def test_measure_cells_in_german_csv(core, plan, tmp_path):
    """German CSV: labels in German, the plan by its title, the amount with two decimals
    and a decimal comma, the date as 01.10.2018, the formula-like title neutralised."""
    target = tmp_path / "m.csv"
    result = core.backend.read(table_export.export_list, entity="measure", path=target,
                               format="csv", language="de")
    assert result.count == 1 and result.path == target
    header, row = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")),
                                  delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Aktionsplan"] == "Plan 2018"
    assert cells["Titel (polnisch)"] == "'=Wizyta"  # the Polish side of the title
    assert cells["Kosten"] == "1234,50"
    assert cells["Beginn"] == "01.10.2018"
    assert cells["ID"] and cells["Ende"] == "" and cells["Status"] == "Geplant"


def test_measure_cells_in_xlsx_keep_numbers_and_dates(core, plan, tmp_path):
    """XLSX: the amount a number, the start a date, the title the text as typed."""
    target = tmp_path / "m.xlsx"
    core.backend.read(table_export.export_list, entity="measure", path=target,
                      format="xlsx", language="pl")
    header, row = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    cells = dict(zip(header, row, strict=True))
    assert cells["Tytuł (po polsku)"] == "=Wizyta"
    assert cells["Koszt"] == 1234.5
    assert cells["Początek"] == dt.date(2018, 10, 1)


def test_unknown_format_and_system_records_are_refused(core, tmp_path):
    """A format that is not a spreadsheet, and the app's own records, write nothing."""
    for entity, file_format in (("contact", "pdf"), ("installation", "csv")):
        with pytest.raises(ValidationError):
            core.backend.read(table_export.export_list, entity=entity,
                              path=tmp_path / f"x.{file_format}", format=file_format)
        assert not (tmp_path / f"x.{file_format}").exists()


def test_vcards_of_chosen_contacts_in_their_order_without_deleted_ones(core, add, tmp_path):
    """A selection is written in its order; a chosen contact deleted since is left out."""
    from euregionet_desktop.services import records

    first = add("contact", first_name="Ola", last_name="Źrebiec")
    second = add("contact", first_name="Jörg", last_name="Weiß")
    gone = add("contact", last_name="Gone")
    core.backend.run(records.delete, entity="contact", record_id=gone)
    target = tmp_path / "chosen.vcf"
    result = core.backend.read(table_export.export_vcards, path=target,
                               record_ids=[second, gone, first, second])
    assert result.count == 2
    uids = [line for line in target.read_text("utf-8").splitlines() if line.startswith("UID")]
    assert uids == [f"UID:urn:uuid:{second}", f"UID:urn:uuid:{first}"]


def test_my_open_follow_ups(core, add, tmp_path):
    """only_open_tasks with mine: the open tasks of this installation's advisor only."""
    import icalendar

    from euregionet_desktop.services import records

    (me,) = core.backend.read(records.list_ids, entity="advisor", where={"name": "Anna Nowak"})
    office = core.backend.read(records.list_ids, entity="office")[0]
    other = add("advisor", name="Piotr Zieliński", office_id=office)
    mine_open = add("task", title="Mine, open", assignee_id=me, due_on="2026-12-10")
    add("task", title="Mine, done", assignee_id=me, due_on="2026-12-11", done="yes")
    add("task", title="Someone else's", assignee_id=other, due_on="2026-12-12")
    target = tmp_path / "mine.ics"
    result = core.backend.read(table_export.export_calendar, path=target, events=False,
                               only_open_tasks=True, mine=True)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert result.count == 1
    assert [str(t["UID"]) for t in calendar.walk("VTODO")] == [f"{mine_open}@euregionet"]
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{mine_open}-due@euregionet"]
    everyone = core.backend.read(table_export.export_calendar, path=target, events=False)
    assert everyone.count == 3
    theirs = core.backend.read(table_export.export_calendar, path=target, events=False,
                               assignee_id=other)
    assert theirs.count == 1


class Stop(Exception):
    """What the window's Cancel raises from a progress report."""


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "vcf"])
def test_progress_is_heard_and_a_cancel_leaves_no_file(core, add, tmp_path, monkeypatch,
                                                       file_format):
    """Progress comes per chunk up to the total; an exception from it (Cancel) ends the
    export with the earlier file as it was and nothing else in the folder."""
    monkeypatch.setattr(table_export, "CHUNK", 2)
    for n in range(5):
        add("contact", last_name=f"Nowak {n}")
    target = tmp_path / f"k.{file_format}"

    def export(progress):
        if file_format == "vcf":
            return core.backend.read(table_export.export_vcards, path=target,
                                     progress=progress)
        return core.backend.read(table_export.export_list, entity="contact", path=target,
                                 format=file_format, progress=progress)

    heard: list[tuple[int, int]] = []
    assert export(lambda stage, done, total: heard.append((done, total))).count == 5
    assert heard[0] == (0, 5) and heard[-1] == (5, 5) and len(heard) >= 4
    before = target.read_bytes()

    def cancel(stage, done, total):
        if done >= 2:
            raise Stop

    with pytest.raises(Stop):
        export(cancel)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "profile"] == [target.name]
