"""Exports of the records a list shows (the window passes them when a list chooses its
records by more than a filter text, as the Tasks view does): their order kept, each once,
and none deleted since they were shown."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import icalendar

from euregionet_desktop.services import records, table_export


def _ids_in_csv(path: Path) -> list[str]:
    text = path.read_bytes().decode("utf-8-sig")
    return [row[-1] for row in csv.reader(io.StringIO(text, newline=""))][1:]


def test_a_list_of_shown_records_keeps_its_order_once_each_without_the_deleted(
        core, add, tmp_path):
    ids = [add("contact", last_name=name, first_name="A")
           for name in ("Bauer", "Adam", "Cieślak")]
    core.backend.run(records.delete, entity="contact", record_id=ids[1])
    target = tmp_path / "shown.csv"
    result = core.backend.read(table_export.export_list, entity="contact", path=target,
                               language="en", record_ids=[ids[2], ids[1], ids[0], ids[2]])
    assert result.count == 2
    assert _ids_in_csv(target) == [ids[2], ids[0]]


def test_a_calendar_of_shown_tasks_has_those_tasks_only(core, add, tmp_path):
    shown = add("task", title="Shown", due_on="2026-03-02")
    add("task", title="Not shown", due_on="2026-03-03")
    target = tmp_path / "shown.ics"
    core.backend.read(table_export.export_calendar, path=target, events=False, tasks=True,
                      task_ids=[shown])
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert [str(todo["UID"]) for todo in calendar.walk("VTODO")] == [f"{shown}@euregionet"]
