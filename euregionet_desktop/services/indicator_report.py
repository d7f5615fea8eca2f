"""The indicator report for the joint secretariat: for one office or all, over a period,
each indicator with its target and value and the records it counts with their evidence,
as an XLSX workbook (a summary sheet and a sheet per indicator) or a Word document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.documents.report_builder import ReportBuilder
from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import N_, _, current_language, format_date, translation
from euregionet_desktop.interchange import writing
from euregionet_desktop.services.documents import write_file
from euregionet_desktop.services.dto import CountedItem, IndicatorValue
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.services.indicators import indicators
from euregionet_desktop.storage.models import Indicator, Office, Programme

REPORT_FORMATS = ("xlsx", "docx")
REPORT_LANGUAGES = ("pl", "de", "en", "pl+de")
DOCX_LANGUAGES = ("pl", "de", "pl+de")
_DATE_FORMATS = {"pl": "dd.MM.yyyy", "de": "dd.MM.yyyy", "en": "yyyy-MM-dd"}
_XLSX_DATES = {"pl": "dd.mm.yyyy", "de": "dd.mm.yyyy", "en": "yyyy-mm-dd"}

TITLE = N_("Indicator report")
SUMMARY = N_("Summary")
INDICATOR = N_("Indicator")
TARGET = N_("Target")
VALUE = N_("Value")
WITH_EVIDENCE = N_("With evidence")
EVIDENCE_MISSING = N_("Evidence missing")
RECORD = N_("Counted record")
RECORD_TYPE = N_("Type")
OFFICE = N_("Office")
DATE = N_("Date")
EVIDENCE = N_("Evidence")
EVIDENCE_KIND = N_("Kind of evidence")
ALL_OFFICES = N_("All partner offices")
OFFICE_LINE = N_("Partner office: {office}")
PERIOD_LINE = N_("Period: {start} – {end}")
VALUE_LINE = N_("Value {value} of target {target}; with evidence: {with_evidence}, "
                "evidence missing: {missing}")
NOTHING_COUNTED = N_("Nothing is counted for this indicator in the period.")
PROJECT_LINE = N_("Project: {name} ({number})")
MADE_ON = N_("Made on {date}")
YES, NO = N_("yes"), N_("no")


@dataclass(frozen=True)
class ReportResult:
    """What the report holds and where it was written."""

    path: Path
    indicators: int
    items: int


def report_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in REPORT_FORMATS:
        raise ValidationError(_("The indicator report is written as .xlsx or .docx; give "
                                "the file one of these endings."))
    return suffix


class Texts:
    """The report's words in its language, or in Polish and German joined (pl+de)."""

    def __init__(self, language: str) -> None:
        self.languages = ("pl", "de") if language == "pl+de" else (language,)
        self.primary = self.languages[0]
        self._gettext = [translation(lang).gettext for lang in self.languages]

    def each(self, message: str) -> list[str]:
        texts: list[str] = []
        for gettext in self._gettext:
            text = gettext(message)
            if text not in texts:
                texts.append(text)
        return texts

    def __call__(self, message: str) -> str:
        return " / ".join(self.each(message))

    def line(self, message: str, **values: object) -> str:
        return " / ".join(text.format(**values) for text in self.each(message))

    def date(self, value: dt.date | str | None) -> str:
        if not value:
            return ""
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, language=self.primary, fmt=_DATE_FORMATS[self.primary])


@dataclass(frozen=True)
class _Report:
    """What both formats print."""

    texts: Texts
    values: Sequence[IndicatorValue]
    names: dict[str, str]  # indicator code → its name in the report's language(s)
    offices: Sequence[str]  # the offices whose shares the summary shows in columns
    office_line: str
    period_line: str
    programme_name: str
    project_line: str
    cofinancing: Sequence[str]


def indicator_report(session: Session, *, path: Path, office: str | None = None,
                     period_start: dt.date | None = None, period_end: dt.date | None = None,
                     language: str | None = None) -> ReportResult:
    """Write the report to ``path`` (its ending says the format), whole or not at all."""
    file_format = report_format(path)
    language = _language(language, file_format)
    if period_start and period_end and period_start > period_end:
        raise ValidationError(_("The period starts after it ends: --from {start} is "
                                "later than --to {end}.").format(
            start=period_start.isoformat(), end=period_end.isoformat()))
    office_names = dict(session.execute(select(Office.code, Office.name).where(
        Office.deleted.is_(False))).all())
    code = office.strip().upper() if office else None
    if code is not None and code not in office_names:
        raise ValidationError(_("There is no partner office “{office}”; the offices "
                                "are {known}.").format(
            office=office, known=", ".join(sorted(office_names))))
    values = indicators(session, office=code, period_start=period_start, period_end=period_end)
    # Each office's share beside the total; one office's report has its own share only.
    report = _gather(session, Texts(language), values, [] if code else sorted(office_names),
                     office_line=(OFFICE_LINE, f"{office_names[code]} ({code})") if code
                     else (ALL_OFFICES, ""), period=(period_start, period_end))
    if file_format == "xlsx":
        _write_xlsx(path, report)
    else:
        write_file(path, _docx(report))
    return ReportResult(path, len(values), sum(len(v.items) for v in values))


def _language(language: str | None, file_format: str) -> str:
    if language is None:
        language = current_language()
        return language if file_format == "xlsx" or language in DOCX_LANGUAGES else "pl+de"
    if language not in REPORT_LANGUAGES:
        raise ValidationError(_("“{language}” is not a language of the report; use "
                                "one of: {languages}.").format(
            language=language, languages=", ".join(REPORT_LANGUAGES)))
    if file_format == "docx" and language not in DOCX_LANGUAGES:
        raise ValidationError(_("The Word report is written in pl, de or pl+de "
                                "(the spreadsheet also in en)."))
    return language


def _gather(session: Session, texts: Texts, values: Sequence[IndicatorValue],
            offices: Sequence[str], *, office_line: tuple[str, str],
            period: tuple[dt.date | None, dt.date | None]) -> _Report:
    rows = session.execute(select(Indicator.code, Indicator.name_pl, Indicator.name_de,
                                  Indicator.name_en)).all()
    names = {row.code: " / ".join(dict.fromkeys(
        getattr(row, f"name_{lang}") for lang in texts.languages)) for row in rows}
    start = period[0] or min((dt.date.fromisoformat(v.period_start) for v in values),
                             default=programme.PERIOD_START)
    end = period[1] or max((dt.date.fromisoformat(v.period_end) for v in values),
                           default=programme.PERIOD_END)
    identity = session.execute(select(Programme).where(Programme.deleted.is_(False))
                               ).scalars().first()
    message, office = office_line
    return _Report(
        texts=texts, values=values, names=names, offices=offices,
        office_line=texts.line(message, office=office),
        period_line=texts.line(PERIOD_LINE, start=texts.date(start), end=texts.date(end)),
        programme_name=_in_language(identity, "programme_name", texts)
        or programme.PROGRAMME_NAME,
        project_line=_project_line(texts, identity),
        cofinancing=[text for text in (_in_language(identity, "cofinancing", texts, lang)
                                       for lang in texts.languages) if text])


def _in_language(identity: Programme | None, name: str, texts: Texts,
                 language: str | None = None) -> str:
    """A text of the programme's identity in ``language`` (the report's first), else in
    the other of Polish and German."""
    if identity is None:
        return ""
    first = language or texts.primary
    order = ("de", "pl") if first == "de" else ("pl", "de")
    return next((getattr(identity, f"{name}_{lang}") for lang in order
                 if getattr(identity, f"{name}_{lang}")), "")


def _project_line(texts: Texts, identity: Programme | None) -> str:
    name = _in_language(identity, "project_name", texts)
    if not name:
        return ""
    if identity is not None and identity.project_number:
        return texts.line(PROJECT_LINE, name=name, number=identity.project_number)
    return name


def _kind_label(texts: Texts, kind: str) -> str:
    member = AttachmentKind._value2member_map_.get(kind)
    return texts(member.label) if member is not None else kind


def _missing(value: IndicatorValue) -> int:
    return sum(1 for item in value.items if item.evidence_missing)


# --- XLSX ---------------------------------------------------------------------------------


def _write_xlsx(path: Path, report: _Report) -> None:
    t = report.texts
    heading = [report.programme_name, *([report.project_line] if report.project_line else []),
               report.office_line, report.period_line]
    summary = writing.Sheet(
        name=t(SUMMARY), lines=[t(TITLE), *heading],
        headers=[t(INDICATOR), t(TARGET), t(VALUE), t(WITH_EVIDENCE), t(EVIDENCE_MISSING),
                 *report.offices],
        rows=[[report.names.get(v.code, v.name), v.target, v.value, v.with_evidence,
               _missing(v), *(v.by_office.get(code, 0) for code in report.offices)]
              for v in report.values])
    names = writing.unique_sheet_names([summary.name, *(
        report.names.get(v.code, v.name) for v in report.values)])
    sheets = [writing.Sheet(names[0], summary.lines, summary.headers, summary.rows)]
    for name, value in zip(names[1:], report.values, strict=True):
        sheets.append(writing.Sheet(
            name=name,
            lines=[report.names.get(value.code, value.name), *heading,
                   report.texts.line(VALUE_LINE, value=value.value, target=value.target,
                               with_evidence=value.with_evidence, missing=_missing(value))],
            headers=[t(RECORD), t(RECORD_TYPE), t(OFFICE), t(DATE), t(EVIDENCE),
                     t(EVIDENCE_KIND), t(EVIDENCE_MISSING), "ID"],
            rows=[_item_row(t, item) for item in value.items]))
    writing.write_workbook(path, sheets, date_format=_XLSX_DATES[t.primary])


def _item_row(t: Texts, item: CountedItem) -> list[writing.Cell]:
    return [writing.neutralise(item.label), t(ENTITY_LABELS.get(item.entity, item.entity)),
            item.office or "", dt.date.fromisoformat(item.on) if item.on else None,
            writing.neutralise("; ".join(e.file_name for e in item.evidence)),
            "; ".join(_kind_label(t, e.kind) for e in item.evidence),
            t(YES) if item.evidence_missing else t(NO), item.id]


# --- DOCX ---------------------------------------------------------------------------------


def _docx(report: _Report) -> bytes:
    t = report.texts
    language = "pl+de" if len(t.languages) == 2 else t.primary
    b = ReportBuilder(language, title=t(TITLE), header_left=[report.programme_name],
                      header_right=[report.office_line],
                      footer_left=report.texts.line(MADE_ON, date=t.date(dt.date.today())))
    b.report_title(t.each(TITLE), [line for line in (
        report.programme_name, report.project_line, report.office_line, report.period_line)
        if line])
    b.heading(SUMMARY)
    _summary_table(b, report)
    for value in report.values:
        b.para(report.names.get(value.code, value.name), style="Heading 2", keep_next=True)
        b.para(report.texts.line(VALUE_LINE, value=value.value, target=value.target,
                           with_evidence=value.with_evidence, missing=_missing(value)),
               keep_next=bool(value.items))
        if value.items:
            _items_table(b, t, value.items)
        else:
            b.lines(t.each(NOTHING_COUNTED))
    for index, text in enumerate(report.cofinancing):
        b.para(text, second=index > 0, before=12 if index == 0 else None, size=8)
    b.end()
    return b.save()


def _summary_table(b: ReportBuilder, report: _Report) -> None:
    offices = report.offices
    office_width = 1.0
    numbers = [1.9, 1.5, 2.1, 2.1]
    first = b.width - sum(numbers) - office_width * len(offices)
    table = b.table([first, *numbers, *([office_width] * len(offices))])
    b.header_row(table, [INDICATOR, TARGET, VALUE, WITH_EVIDENCE, EVIDENCE_MISSING,
                         *([None] * len(offices))], centred=range(1, 5 + len(offices)))
    for cell, code in zip(table.rows[0].cells[5:], offices, strict=True):
        b.cell(cell, [code], style="Table Heading")
    for value in report.values:
        cells = b.row(table).cells
        b.cell(cells[0], [report.names.get(value.code, value.name)])
        figures = [value.target, value.value, value.with_evidence, _missing(value),
                   *(value.by_office.get(code, 0) for code in offices)]
        for cell, figure in zip(cells[1:], figures, strict=True):
            b.cell(cell, [str(figure)], align=WD_ALIGN_PARAGRAPH.CENTER)


def _items_table(b: ReportBuilder, t: Texts, items: Sequence[CountedItem]) -> None:
    table = b.table([5.6, 1.7, 2.4, b.width - 9.7])
    b.header_row(table, [RECORD, OFFICE, DATE, EVIDENCE])
    for cell in table.rows[0].cells:  # the headings stay with the first record
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    for item in items:
        cells = b.row(table).cells
        b.cell(cells[0], [item.label])
        b.cell(cells[1], [item.office or ""])
        b.cell(cells[2], [t.date(item.on)])
        if item.evidence_missing:
            b.cell(cells[3], [t(EVIDENCE_MISSING)], bold=True)
        else:
            files = [f"{e.file_name} ({_kind_label(t, e.kind)})" for e in item.evidence]
            b.cell(cells[3], files[:1])
            for text in files[1:]:  # more files, not a second language's line
                b.add_to_cell(cells[3], text)

