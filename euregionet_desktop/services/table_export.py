"""Exports for the tools people use beside the app: any list as CSV or XLSX, contacts as
vCards, events and follow-up tasks as an iCalendar file.

Each export reads in one read transaction and writes its file whole or not at all
(interchange/). Rows are read in chunks with SQLAlchemy Core and streamed to the file, so
exporting 100,000 contacts never holds 100,000 records at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import phonenumbers
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.bilingual import vocabulary_of
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, current_language, translation
from euregionet_desktop.interchange import calendar, vcard, writing
from euregionet_desktop.services import consent, records
from euregionet_desktop.services import tasks as task_lists
from euregionet_desktop.services.entities import ENTITY_LABELS, SYSTEM_ENTITIES, record_label
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage.fields import Field, field_map, fields_of, model_for
from euregionet_desktop.storage.models import Change

FORMATS = ("csv", "xlsx")
# Rows read per query: large enough that the queries cost little, small enough that a
# chunk of contacts with their references' names stays a few MB.
CHUNK = 2000
# Excel reads ";"-separated CSV in columns where the decimal separator is a comma.
SEPARATORS = {"pl": ";", "de": ";", "en": ","}
DATE_FORMATS = {"pl": ("%d.%m.%Y", "dd.mm.yyyy"), "de": ("%d.%m.%Y", "dd.mm.yyyy"),
                "en": ("%Y-%m-%d", "yyyy-mm-dd")}
ID_HEADER = "ID"
# progress(stage, done, total): the stage an untranslated label (the op runner's dialog and
# the command line translate it).
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: how many records (events and tasks for a calendar), where;
    for a mailing, how many contact persons were left out for want of consent."""

    count: int
    path: Path
    left_out: int = 0


# --- lists as spreadsheets ----------------------------------------------------------------


def export_list(session: Session, *, entity: str, path: Path, format: str = "csv",
                filter_text: str = "", order_by: str | None = None,
                descending: bool = False, language: str | None = None,
                record_ids: Sequence[str] | None = None, mailing: bool = False,
                progress: Progress | None = None) -> ExportResult:
    """Write the records of a list, filtered and sorted as the list shows them, to a CSV
    or XLSX file: a column per field in declaration order and the record id last.
    ``record_ids`` (in their order) stand for the filter and the order where a list
    chooses its records otherwise too (the Tasks view by state and by whose they are).

    ``language`` (the interface language by default) gives the headers, the choices'
    labels, yes/no, the CSV separator and the way dates and amounts are written; a record
    named by a reference is named as the lists name it (a cluster by its name in the
    interface language). ``progress(stage, done, total)`` hears of each chunk written;
    an exception it raises (the window's Cancel) ends the export with no file written.
    ``mailing`` (contacts only) leaves out the persons without consent to the programme's
    communication (services.consent) and counts them."""
    if entity in SYSTEM_ENTITIES:
        raise ValidationError(_("{entity} records cannot be exported.").format(
            entity=entity_label(entity)))
    if format not in FORMATS:
        raise ValidationError(_("“{format}” is not a format for a list; use csv or xlsx.")
                              .format(format=format))
    language = language or current_language()
    gettext = translation(language).gettext
    ids = (_list_order(session, entity, filter_text, order_by, descending)
           if record_ids is None else _live(session, entity, record_ids))
    ids, left_out = _for_mailing(session, entity, ids, mailing)
    specs = fields_of(entity)
    headers = [gettext(spec.label) for spec in specs] + [ID_HEADER]
    cells = Cells(session, language, spreadsheet=format == "xlsx")
    rows = _rows(session, entity, ids, specs, cells, progress or _no_progress)
    if format == "xlsx":
        date_format = DATE_FORMATS[language][1]
        count = writing.write_xlsx(
            path, headers, rows, sheet_name=gettext(ENTITY_LABELS[entity]),
            date_format=date_format, datetime_format=f"{date_format} hh:mm")
    else:
        count = writing.write_csv(path, headers, rows, separator=SEPARATORS[language])
    return ExportResult(count, path, left_out)


def _for_mailing(session: Session, entity: str, ids: list[str],
                 mailing: bool) -> tuple[list[str], int]:
    """The records a mailing may go to, and how many were left out (none unless
    ``mailing``)."""
    if not mailing:
        return ids, 0
    if entity != "contact":
        raise ValidationError(_("Only contact persons can be exported for a mailing."))
    return consent.consenting(session, ids)


def _list_order(session: Session, entity: str, filter_text: str, order_by: str | None,
                descending: bool) -> list[str]:
    """The ids of the list in the order and with the filter the list view shows
    (ui/record_model.py asks the same two questions)."""
    order = records.ordered_rows(session, entity=entity, order_by=order_by,
                                 descending=descending)
    matches = records.filter_rowids(session, entity=entity, filter_text=filter_text)
    if matches is None:
        return [record_id for _rowid, record_id in order]
    return [record_id for rowid, record_id in order if rowid in matches]


def _live(session: Session, entity: str, record_ids: Sequence[str]) -> list[str]:
    """``record_ids`` once each, in their order, without those deleted since they were
    chosen (in another window, by a bundle)."""
    table = model_for(entity).__table__
    ids = list(dict.fromkeys(record_ids))
    deleted: set[str] = set()
    for chunk in _chunks(ids):
        deleted.update(session.scalars(select(table.c.id).where(
            table.c.id.in_(chunk), table.c.deleted.is_(True))))
    return [record_id for record_id in ids if record_id not in deleted]


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _fetch(session: Session, entity: str, ids: Sequence[str],
           columns: Sequence[str]) -> Iterator[tuple]:
    """Rows (id first, then ``columns``) of the records ``ids``, in that order, by chunks."""
    table = model_for(entity).__table__
    selected = [table.c.id, *(table.c[name] for name in columns)]
    for chunk in _chunks(ids):
        found = {row[0]: row for row in session.execute(
            select(*selected).where(table.c.id.in_(chunk)))}
        yield from (found[record_id] for record_id in chunk if record_id in found)


def _rows(session: Session, entity: str, ids: Sequence[str], specs: Sequence[Field],
          cells: Cells, progress: Progress) -> Iterator[list[Any]]:
    names = [spec.name for spec in specs]
    formatters = [cells.formatter(spec, entity) for spec in specs]
    refs = [(n, spec) for n, spec in enumerate(specs, start=1) if spec.kind.is_reference]
    table_rows = _fetch(session, entity, ids, names)
    done = 0
    while True:
        progress(ENTITY_LABELS[entity], done, len(ids))
        chunk = [row for _n, row in zip(range(CHUNK), table_rows, strict=False)]
        if not chunk:
            return
        done += len(chunk)
        for position, spec in refs:  # the names of the records the chunk points to
            cells.learn_labels(spec.ref, {
                value for row in chunk if row[position]
                for value in (row[position] if spec.kind.is_list else (row[position],))})
        for row in chunk:
            yield [None if value is None else format_value(value)
                   for value, format_value in zip(row[1:], formatters, strict=True)
                   ] + [row[0]]


class Cells:
    """Field values as a person reads them, as spreadsheet cells: choices by their label,
    references by the name of the record, lists joined, yes/no in words; in a spreadsheet
    dates and amounts stay dates and numbers, in CSV they are written the language's way.
    """

    def __init__(self, session: Session, language: str, *, spreadsheet: bool) -> None:
        self.session = session
        self.gettext = translation(language).gettext
        self.spreadsheet = spreadsheet
        self.date_format = DATE_FORMATS[language][0]
        self.decimal_point = "," if SEPARATORS[language] == ";" else "."
        self.labels: dict[str, dict[str, str]] = {}
        self.words = {True: self.gettext("yes"), False: self.gettext("no")}

    def learn_labels(self, entity: str, wanted: set[str]) -> None:
        known = self.labels.setdefault(entity, {})
        missing = sorted(wanted - known.keys())
        if missing:
            known.update(records.labels(self.session, entity=entity, record_ids=missing))

    def formatter(self, spec: Field, entity: str) -> Callable[[Any], Any]:
        kind = spec.kind
        vocabulary = vocabulary_of(entity, spec.name)
        if vocabulary is not None:  # sectors and regions in the export's language
            labels = {c.value: self.gettext(c.label) for c in vocabulary}
            if kind == "list":
                return lambda values: ", ".join(labels.get(v, v) for v in values)
            return lambda value: labels.get(value, value)
        if kind.is_reference:
            names = self.labels.setdefault(spec.ref, {})
            if kind.is_list:
                return lambda ids: ", ".join(names.get(i, i) for i in ids)
            return lambda record_id: names.get(record_id, record_id)
        if kind == "enum" or kind == "enum_list":
            labels = {c.value: self.gettext(c.label) for c in spec.choices}
            if kind == "enum_list":
                return lambda values: ", ".join(labels.get(v, v) for v in values)
            return lambda value: labels.get(value, value)
        if kind == "list":
            return lambda values: ", ".join(str(v) for v in values)
        if kind == "bool":
            return self.words.__getitem__
        if kind == "phone":
            return international_phone
        if kind == "scores":
            return lambda scores: ", ".join(
                f"{code}: {entry.get('score', '')}" for code, entry in sorted(scores.items()))
        if self.spreadsheet:
            return self._spreadsheet_formatter(kind)
        return self._csv_formatter(kind)

    def _spreadsheet_formatter(self, kind: str) -> Callable[[Any], Any]:
        if kind == "datetime":
            return _moment
        if kind == "money":
            return lambda amount: Decimal(amount).quantize(Decimal("0.01"))
        return _same

    def _csv_formatter(self, kind: str) -> Callable[[Any], Any]:
        if kind == "date":
            date_format = self.date_format
            return lambda day: day.strftime(date_format)
        if kind == "datetime":
            date_format = self.date_format + " %H:%M"
            return lambda text: _moment(text).strftime(date_format)
        if kind == "money":
            point = self.decimal_point
            return lambda amount: f"{Decimal(amount):.2f}".replace(".", point)
        return _same


def _same(value: Any) -> Any:
    return value


def _moment(text: str) -> dt.datetime:
    """A stored "YYYY-MM-DD HH:MM" (a consultation's time) as a date and time."""
    return dt.datetime.strptime(text[:16], "%Y-%m-%d %H:%M")


def international_phone(e164: str) -> str:
    """A stored E.164 number as people write it across borders: +48 68 123 45 67.

    The number is built from its country code and digits rather than parsed (a third of
    the cost, which counts over 100,000 contacts); a number with a national leading zero
    (Italy's) or anything unusual is parsed."""
    digits = e164[1:]
    if e164.startswith("+") and digits.isdigit():
        for size in (1, 2, 3):
            if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                if digits[size:size + 1] in ("", "0"):
                    break
                number = phonenumbers.PhoneNumber(country_code=int(digits[:size]),
                                                  national_number=int(digits[size:]))
                return phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- the change history behind UIDs, SEQUENCE and stamps -----------------------------------


@dataclass(frozen=True)
class Version:
    """How often a record was changed and when last: the clocks of the actions that
    wrote it (one user action, one clock value; an import keeps the writer's)."""

    sequence: int  # the number of actions that wrote the record, less one
    stamp: dt.datetime  # the wall-clock time of the last one, UTC, to the second


def versions(session: Session, record_ids: Sequence[str]) -> dict[str, Version]:
    """The version of each record from the change log (the same at every office that
    holds the same changes, and unchanged until the record is)."""
    table = Change.__table__
    found: dict[str, Version] = {}
    for chunk in _chunks(record_ids):
        for record_id, actions, last in session.execute(
                select(table.c.record_id, func.count(table.c.hlc.distinct()),
                       func.max(table.c.hlc))
                .where(table.c.record_id.in_(chunk)).group_by(table.c.record_id)):
            stamp = dt.datetime.fromtimestamp((last >> 16) // 1000, dt.UTC)
            found[record_id] = Version(max(actions - 1, 0), stamp)
    return found


NO_VERSION = Version(0, dt.datetime(2017, 1, 1, tzinfo=dt.UTC))


# --- contacts as vCards ----------------------------------------------------------------------

CONTACT_COLUMNS = ("first_name", "last_name", "title", "function", "organisation_id",
                   "email", "phone", "mobile", "notes", "deleted")
ORGANISATION_COLUMNS = ("name", "street", "postal_code", "city", "country")


def export_vcards(session: Session, *, path: Path, filter_text: str = "",
                  record_ids: Sequence[str] | None = None, mailing: bool = False,
                  progress: Progress | None = None) -> ExportResult:
    """Write contact persons to a .vcf address book: those of the contacts list as filtered
    (in its default order), or the ``record_ids`` given (a selection) in their order;
    ``progress`` and ``mailing`` as for ``export_list``."""
    if record_ids is None:
        ids = _list_order(session, "contact", filter_text, None, False)
    else:
        ids = list(dict.fromkeys(record_ids))
    ids, left_out = _for_mailing(session, "contact", ids, mailing)
    count = vcard.write_vcards(path, _cards(session, ids, progress or _no_progress))
    return ExportResult(count, path, left_out)


def _cards(session: Session, ids: Sequence[str], progress: Progress) -> Iterator[vcard.Card]:
    countries = {c.value: _(c.label) for c in field_map("organisation")["country"].choices}
    contacts = _fetch(session, "contact", ids, CONTACT_COLUMNS)
    done = 0
    progress(ENTITY_LABELS["contact"], done, len(ids))
    while chunk := [row for _n, row in zip(range(CHUNK), contacts, strict=False)]:
        done += len(chunk)
        progress(ENTITY_LABELS["contact"], done, len(ids))
        org_ids = sorted({row[5] for row in chunk if row[5]})
        organisations = {row[0]: row for row in _fetch(
            session, "organisation", org_ids, ORGANISATION_COLUMNS)}
        changed = versions(session, [row[0] for row in chunk])
        for row in chunk:
            values = dict(zip(CONTACT_COLUMNS, row[1:], strict=True))
            if values["deleted"]:  # chosen, then deleted (in another window, by a bundle)
                continue
            org = organisations.get(values["organisation_id"] or "")
            version = changed.get(row[0])
            yield vcard.Card(
                record_id=row[0], first_name=values["first_name"] or "",
                last_name=values["last_name"] or "", prefix=values["title"] or "",
                full_name=record_label("contact", values),
                organisation=org[1] if org else "", job_title=values["function"] or "",
                email=values["email"] or "", phone=values["phone"] or "",
                mobile=values["mobile"] or "",
                street=(org[2] or "") if org else "", postal_code=(org[3] or "") if org else "",
                city=(org[4] or "") if org else "",
                country=countries.get(org[5], "") if org and org[5] != "XX" else "",
                note=values["notes"] or "",
                revised=version.stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if version else "")


# --- events and follow-ups as a calendar -----------------------------------------------------


def export_calendar(session: Session, *, path: Path, events: bool = True, tasks: bool = True,
                    only_open_tasks: bool = False, assignee_id: str | None = None,
                    mine: bool = False,
                    task_ids: Sequence[str] | None = None) -> ExportResult:
    """Write events and follow-up tasks to an .ics file. ``only_open_tasks`` leaves out
    the done ones; ``mine`` keeps the tasks of this installation's advisor (the Tasks
    view's "mine"), ``assignee_id`` those of one advisor. Together, ``only_open_tasks``
    and ``mine`` give "my open follow-ups". ``task_ids`` (in their order) are the tasks a
    Tasks list shows, chosen there by state, whose and filter, instead of those three."""
    found_events = list(_calendar_events(session)) if events else []
    found_tasks = list(_calendar_tasks(session, only_open_tasks, assignee_id, mine,
                                       task_ids)) if tasks else []
    count = calendar.write_calendar(path, found_events, found_tasks)
    return ExportResult(count, path)


def _in_language(values: Mapping[str, Any], base: str) -> str:
    """A text kept in Polish and German in the interface language, else the other one
    (English reads the Polish first, as the lists name records)."""
    first, second = ("de", "pl") if current_language() == "de" else ("pl", "de")
    return values.get(f"{base}_{first}") or values.get(f"{base}_{second}") or ""


EVENT_COLUMNS = ("title_pl", "title_de", "starts_on", "ends_on", "place", "agenda_pl",
                 "agenda_de")


def _calendar_events(session: Session) -> Iterator[calendar.CalendarEvent]:
    table = model_for("event").__table__
    ids = list(session.execute(select(table.c.id).where(table.c.deleted.is_(False))
                               .order_by(table.c.starts_on, table.c.id)).scalars())
    changed = versions(session, ids)
    for row in _fetch(session, "event", ids, EVENT_COLUMNS):
        values = dict(zip(EVENT_COLUMNS, row[1:], strict=True))
        version = changed.get(row[0], NO_VERSION)
        yield calendar.CalendarEvent(
            record_id=row[0], summary=_in_language(values, "title"),
            starts_on=values["starts_on"], ends_on=values["ends_on"],
            location=values["place"] or "", description=_in_language(values, "agenda"),
            sequence=version.sequence, stamp=version.stamp)


TASK_COLUMNS = ("title", "due_on", "done", "assignee_id", "consultation_id", "cluster_id",
                "organisation_id", "contact_id", "notes")
TASK_LINKS = ("consultation_id", "cluster_id", "organisation_id", "contact_id", "assignee_id")


def _calendar_tasks(session: Session, only_open: bool, assignee_id: str | None,
                    mine: bool, task_ids: Sequence[str] | None = None
                    ) -> Iterator[calendar.CalendarTask]:
    """The follow-ups in the Tasks view's work order (services/tasks.py), or ``task_ids``
    in theirs."""
    ids = _live(session, "task", task_ids) if task_ids is not None else [
        task_id for _rowid, task_id in task_lists.task_rows(
            session,
            status=task_lists.TaskStatus.OPEN if only_open else task_lists.TaskStatus.ALL,
            scope=task_lists.TaskScope.MINE if mine else task_lists.TaskScope.ALL)]
    rows = [row for row in _fetch(session, "task", ids, TASK_COLUMNS)
            if assignee_id is None or row[4] == assignee_id]
    specs = {spec.name: spec for spec in fields_of("task")}
    names: dict[str, dict[str, str]] = {}
    for link in TASK_LINKS:
        position = TASK_COLUMNS.index(link) + 1
        names[link] = records.labels(session, entity=specs[link].ref, record_ids=sorted(
            {row[position] for row in rows if row[position]}))
    changed = versions(session, [row[0] for row in rows])
    for row in rows:
        values = dict(zip(TASK_COLUMNS, row[1:], strict=True))
        lines = [f"{_(specs[link].label)}: {names[link][values[link]]}"
                 for link in TASK_LINKS if values[link] in names[link]]
        if values["notes"]:
            lines += ["", values["notes"]]
        version = changed.get(row[0], NO_VERSION)
        yield calendar.CalendarTask(
            record_id=row[0], summary=values["title"], due_on=values["due_on"],
            done=bool(values["done"]), description="\n".join(lines),
            sequence=version.sequence, stamp=version.stamp)
