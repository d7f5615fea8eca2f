"""A person report (services.person_report) as a file: a Word document to read (GDPR
Art. 15) or JSON for another system (Art. 20: stable English keys, the values as stored
beside their labels, ISO dates, UTF-8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.orm import Session

from euregionet_desktop.documents.report_builder import ReportBuilder
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import N_, _, format_date, translation
from euregionet_desktop.services.documents import write_file
from euregionet_desktop.services.person_report import (
    OFFICES,
    PersonReport,
    Section,
    person_report,
)

FORMATS = (".docx", ".json")
JSON_FORMAT = "euregionet-person-report"
JSON_VERSION = 1

TITLE = N_("Information on the personal data held (Art. 15 GDPR)")
SUBTITLE = N_("About {name}")
MADE_LINE = N_("Made on {date} at {office}")
INTRO = N_("This document lists everything EuRegioNet Desktop holds about the person at "
           "this office: the fields of their record, every record naming them, the notes "
           "on them, the history of their consent and the partner offices that hold the "
           "data.")
PERSONAL_DATA = N_("Personal data")
FIELD, VALUE = N_("Field"), N_("Value")
NONE = N_("None.")
DELETED = N_("(deleted)")
OFFICES_NOTE = N_("As far as this office knows from the exchanges: an office holds the "
                  "data when it entered or changed it, or when it said in its last bundle "
                  "that it received it.")
EMPTY = "–"


def check_format(path: Path) -> str:
    """The file's ending (.docx or .json); a translated error for any other."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValidationError(_("The person report is written as .docx (to read) or .json "
                                "(for another system); give the file one of these "
                                "endings."))
    return suffix


def write_person_report(report: PersonReport, path: Path) -> Path:
    """Write ``report`` to ``path`` (its ending says the format), whole or not at all."""
    if check_format(path) == ".json":
        write_file(path, orjson.dumps(as_json(report), option=orjson.OPT_INDENT_2))
    else:
        write_file(path, _docx(report))
    return path


def person_report_file(session: Session, *, contact_id: str, path: Path,
                       lang: str | None = None) -> Path:
    """Gather what is held about the person and write it to ``path`` (one read)."""
    check_format(path)
    return write_person_report(person_report(session, contact_id=contact_id, lang=lang), path)


# --- JSON ---------------------------------------------------------------------------------


def as_json(report: PersonReport) -> dict[str, Any]:
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_VERSION,
        "made_at": report.made_at,
        "made_at_office": report.office,
        "language": report.language,
        "person": {"entity": "contact", "id": report.contact_id, "name": report.name,
                   "deleted": report.deleted},
        "fields": [{"field": f.key, "label": f.label, "value": f.value, "shown": f.shown}
                   for f in report.fields],
        "sections": {section.key: _section_json(section) for section in report.sections},
        "references": [{"entity": p.entity, "field": p.field, "id": p.record_id}
                       for p in report.references],
    }


def _section_json(section: Section) -> dict[str, Any]:
    keys = [column.key for column in section.columns]
    return {
        "title": section.title,
        "columns": [{"key": c.key, "label": c.label} for c in section.columns],
        "records": [{"entity": row.entity, "id": row.record_id, "deleted": row.deleted,
                     "values": dict(zip(keys, row.values, strict=True)),
                     "shown": dict(zip(keys, row.shown, strict=True))}
                    for row in section.rows],
    }


# --- DOCX ---------------------------------------------------------------------------------


def _docx(report: PersonReport) -> bytes:
    gettext = translation(report.language).gettext
    made = dt.datetime.fromisoformat(report.made_at).astimezone()
    day = format_date(made.date(), language=report.language)
    made_line = gettext(MADE_LINE).format(date=day, office=report.office)
    b = ReportBuilder(report.language, title=gettext(TITLE),
                      header_left=[report.programme_name], header_right=[report.office],
                      footer_left=made_line)
    name = f"{report.name} {gettext(DELETED)}" if report.deleted else report.name
    b.report_title([gettext(TITLE)], [gettext(SUBTITLE).format(name=name), made_line])
    b.para(gettext(INTRO))
    b.heading(PERSONAL_DATA)
    table = b.table([5.0, b.width - 5.0])
    b.header_row(table, [FIELD, VALUE])
    for field in report.fields:
        cells = b.row(table).cells
        b.cell(cells[0], [field.label])
        b.cell(cells[1], [field.shown or EMPTY])
    for section in report.sections:
        b.para(section.title, style="Heading 1", keep_next=True)
        if section.key == OFFICES:
            b.para(gettext(OFFICES_NOTE), size=9)
        if not section.rows:
            b.para(gettext(NONE))
            continue
        _section_table(b, section, gettext(DELETED))
    if report.cofinancing:
        b.para(report.cofinancing, before=12, size=8)
    b.end()
    return b.save()


def _section_table(b: ReportBuilder, section: Section, deleted: str) -> None:
    total = sum(column.width for column in section.columns)
    table = b.table([b.width * column.width / total for column in section.columns])
    b.header_row(table, [column.message for column in section.columns])
    for record in section.rows:
        cells = b.row(table).cells
        for index, (cell, text) in enumerate(zip(cells, record.shown, strict=True)):
            if index == 0 and record.deleted:
                text = f"{text} {deleted}".strip()
            b.cell(cell, (text or EMPTY).split("\n"))
