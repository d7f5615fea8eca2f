"""Calendars out: events and follow-up tasks as one iCalendar file (RFC 5545).

Events are all-day VEVENTs; a task is a VTODO and, for calendars that show no tasks
(Outlook's and Google's calendar views), also an all-day VEVENT on its due day. UIDs come
from the record ids, SEQUENCE and DTSTAMP from the record's change history, so exporting
unchanged data again gives the same bytes and a calendar that imports the file again
updates what changed instead of doubling it.

The VTIMEZONE components for Europe/Warsaw and Europe/Berlin are written with the EU rule
(last Sunday of March and October, since 1996) rather than with icalendar's
``Timezone.from_tzid``: that one lists every transition up to 2038 one by one and puts a
summer time onset at 03:00 local time, an hour after it happens (RFC 5545 gives the local
time before the onset, 02:00). tests/unit/test_interchange_calendar.py checks the rule
against zoneinfo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, Todo

from euregionet_desktop.interchange.writing import atomic_file

PRODUCT_ID = "-//EuRegioNet//EuRegioNet Desktop//EN"
UID_DOMAIN = "euregionet"
ZONES = ("Europe/Berlin", "Europe/Warsaw")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class CalendarEvent:
    """An event of the programme, all day from ``starts_on`` to ``ends_on`` (inclusive)."""

    record_id: str
    summary: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    location: str = ""
    description: str = ""
    sequence: int = 0
    stamp: dt.datetime = dt.datetime(2017, 1, 1, tzinfo=dt.UTC)  # the last change, UTC


@dataclass(frozen=True)
class CalendarTask:
    """A follow-up task: a VTODO, and an all-day VEVENT on its due day if it has one."""

    record_id: str
    summary: str
    due_on: dt.date | None = None
    done: bool = False
    description: str = ""
    sequence: int = 0
    stamp: dt.datetime = dt.datetime(2017, 1, 1, tzinfo=dt.UTC)


def uid(record_id: str, suffix: str = "") -> str:
    return f"{record_id}{suffix}@{UID_DOMAIN}"


def zone(name: str) -> Timezone:
    """The VTIMEZONE of a Central European zone (CET/CEST, EU summer time rule)."""
    timezone = Timezone()
    timezone.add("TZID", name)
    standard = TimezoneStandard()
    standard.add("DTSTART", dt.datetime(1996, 10, 27, 3, 0))
    standard.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    standard.add("TZOFFSETFROM", dt.timedelta(hours=2))
    standard.add("TZOFFSETTO", dt.timedelta(hours=1))
    standard.add("TZNAME", "CET")
    daylight = TimezoneDaylight()
    daylight.add("DTSTART", dt.datetime(1996, 3, 31, 2, 0))
    daylight.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    daylight.add("TZOFFSETFROM", dt.timedelta(hours=1))
    daylight.add("TZOFFSETTO", dt.timedelta(hours=2))
    daylight.add("TZNAME", "CEST")
    timezone.add_component(standard)
    timezone.add_component(daylight)
    return timezone


def _common(component, *, record_uid: str, summary: str, description: str, sequence: int,
            stamp: dt.datetime) -> None:
    component.add("UID", record_uid)
    component.add("DTSTAMP", stamp)
    component.add("LAST-MODIFIED", stamp)
    component.add("SEQUENCE", sequence)
    component.add("SUMMARY", summary)
    if description:
        component.add("DESCRIPTION", description)


def _all_day(starts_on: dt.date, ends_on: dt.date | None, **common) -> Event:
    event = Event()
    _common(event, **common)
    event.add("DTSTART", starts_on)
    # DTEND of an all-day event is exclusive: the day after the last day.
    event.add("DTEND", max(ends_on or starts_on, starts_on) + ONE_DAY)
    return event


def event_component(item: CalendarEvent) -> Event:
    event = _all_day(item.starts_on, item.ends_on, record_uid=uid(item.record_id),
                     summary=item.summary, description=item.description,
                     sequence=item.sequence, stamp=item.stamp)
    if item.location:
        event.add("LOCATION", item.location)
    return event


def task_components(item: CalendarTask) -> list[Event | Todo]:
    """The VTODO of a task and, if it has a due day, its VEVENT on that day."""
    common = {"summary": item.summary, "description": item.description,
              "sequence": item.sequence, "stamp": item.stamp}
    todo = Todo()
    _common(todo, record_uid=uid(item.record_id), **common)
    if item.due_on is not None:
        todo.add("DUE", item.due_on)
    todo.add("STATUS", "COMPLETED" if item.done else "NEEDS-ACTION")
    if item.done:
        todo.add("PERCENT-COMPLETE", 100)
    found: list[Event | Todo] = [todo]
    if item.due_on is not None:
        day = _all_day(item.due_on, None, record_uid=uid(item.record_id, "-due"), **common)
        day.add("TRANSP", "TRANSPARENT")  # a reminder, not time taken
        found.append(day)
    return found


def calendar_bytes(events: Iterable[CalendarEvent], tasks: Iterable[CalendarTask], *,
                   name: str = "") -> tuple[bytes, int]:
    """The iCalendar file and the number of events and tasks in it."""
    calendar = Calendar()
    calendar.add("PRODID", PRODUCT_ID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    if name:
        calendar.add("X-WR-CALNAME", name)
    for zone_name in ZONES:
        calendar.add_component(zone(zone_name))
    count = 0
    for event in events:
        calendar.add_component(event_component(event))
        count += 1
    for task in tasks:
        for component in task_components(task):
            calendar.add_component(component)
        count += 1
    return calendar.to_ical(), count


def write_calendar(path: Path, events: Iterable[CalendarEvent],
                   tasks: Iterable[CalendarTask], *, name: str = "") -> int:
    """Write one .ics file, whole or not at all; returns the number of events and tasks."""
    data, count = calendar_bytes(events, tasks, name=name)
    with atomic_file(path, binary=True) as handle:
        handle.write(data)
    return count
