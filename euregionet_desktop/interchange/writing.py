"""Spreadsheets out: CSV and XLSX written row by row, whole or not at all.

The rows are sequences of cell values: text, numbers (int, float, Decimal), dates and
times, or None for an empty cell. The caller (services/table_export.py) has already made
each value what a person reads (a choice's label, a record's name); here they only become
cells. Every file goes to a temporary name beside the target and is renamed over it when
the last row is in, so a failed export leaves no half file (files.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from euregionet_desktop.files import commit_file, file_error, remove_quietly, temporary_name

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"), and the tab
# and carriage return that some programs strip before looking at the first character.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | Decimal | dt.date | None
# Rows read ahead to size the columns of an XLSX sheet (the rest stream through).
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 6, 60


def neutralise(text: str) -> str:
    """``text`` made harmless in a spreadsheet cell: a cell beginning with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, as OWASP
    recommends, so Excel and LibreOffice show it as text instead of running it.

    Text that merely looks like a number gets the apostrophe too ("-5", a phone number
    "+48 68 …"): from text alone a harmless "-5" cannot be told from "-2+3+cmd|…", and the
    apostrophe is what a person types in Excel to keep a value as text, so it reads as
    intended. Numbers that are numbers are not text: they are passed as int or Decimal and
    written as they are (a number cannot carry a formula).
    """
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


@contextmanager
def atomic_file(path: Path, *, newline: str | None = None,
                binary: bool = False) -> Iterator[IO[Any]]:
    """An open temporary file beside ``path``, renamed over it when the block ends without
    an error (and removed when it ends with one). OSError → FileAccessError naming
    ``path``."""
    temporary = temporary_name(path)
    try:
        handle = open(temporary, "xb" if binary else "x",  # closed by the with below
                      **({} if binary else {"encoding": "utf-8", "newline": newline}))
    except OSError as error:
        raise file_error(error, path) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        remove_quietly(temporary)
        raise file_error(error, path) from None
    except BaseException:
        remove_quietly(temporary)
        raise
    commit_file(temporary, path)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):  # a bool is an int: never written as 1 or 0
        raise TypeError("bool cells must be words")
    return str(value)


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *,
              separator: str = ",") -> int:
    """Write a CSV file (UTF-8 with a BOM so Excel reads the letters right, fields quoted
    where needed, CRLF line ends) row by row; returns the number of rows written."""
    count = 0
    with atomic_file(path, newline="") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, delimiter=separator, quoting=csv.QUOTE_MINIMAL,
                            lineterminator="\r\n")
        writer.writerow([neutralise(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
            count += 1
    return count


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 16 if isinstance(value, dt.datetime) else 10
    longest = max((len(line) for line in str(value).splitlines()), default=0)
    return longest


def column_widths(headers: Sequence[str], sample: Sequence[Sequence[Cell]]) -> list[int]:
    """A width per column (in characters) from its header and the first rows."""
    widths = [len(h) + 2 for h in headers]  # room for the autofilter's arrow
    for row in sample:
        for column, value in enumerate(row):
            widths[column] = max(widths[column], _width(value))
    return [min(max(w + 1, MIN_WIDTH), MAX_WIDTH) for w in widths]


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *,
               sheet_name: str, date_format: str = "dd.mm.yyyy",
               datetime_format: str = "dd.mm.yyyy hh:mm",
               number_format: str = "#,##0.00") -> int:
    """Write an XLSX workbook of one sheet row by row (XlsxWriter in constant memory:
    each row goes to disk as it is written); returns the number of rows written.

    The header row is bold, frozen and carries an autofilter; text is always written as
    text (``write_string``: never a formula, a link or a number), dates as date cells,
    Decimals (amounts) with two decimals, whole numbers as numbers.
    """
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    count = 0
    with atomic_file(path, binary=True) as handle:
        workbook = xlsxwriter.Workbook(handle, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False})
        try:
            sheet = workbook.add_worksheet(_sheet_name(sheet_name))
            bold = workbook.add_format({"bold": True})
            day = workbook.add_format({"num_format": date_format})
            moment = workbook.add_format({"num_format": datetime_format})
            amount = workbook.add_format({"num_format": number_format})
            for column, width in enumerate(column_widths(headers, sample)):
                sheet.set_column(column, column, width)
            for column, header in enumerate(headers):
                sheet.write_string(0, column, header, bold)
            sheet.freeze_panes(1, 0)
            write_string, write_number = sheet.write_string, sheet.write_number
            write_datetime = sheet.write_datetime
            for count, row in enumerate(itertools.chain(sample, rows), start=1):
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    kind = type(value)
                    if kind is str:
                        write_string(count, column, value)
                    elif kind is int or kind is float:
                        write_number(count, column, value)
                    elif kind is Decimal:
                        write_number(count, column, float(value), amount)
                    elif kind is dt.date:
                        write_datetime(count, column, value, day)
                    elif kind is dt.datetime:
                        write_datetime(count, column, value, moment)
                    else:
                        raise TypeError(f"no XLSX cell for {kind.__name__}")
            sheet.autofilter(0, 0, count, max(len(headers) - 1, 0))
            workbook.close()
        except FileCreateError as error:  # the zip could not be written to the file
            _abandon(workbook)
            cause = error.args[0] if error.args else None
            raise cause if isinstance(cause, OSError) else OSError(str(error)) from None
        except BaseException:
            _abandon(workbook)
            raise
    return count


def _abandon(workbook: Any) -> None:
    """Forget a workbook that failed half way: never write it, and remove the temporary
    row files constant-memory mode keeps per sheet (XlsxWriter removes them only when a
    workbook is written whole)."""
    workbook.fileclosed = True
    for sheet in workbook.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None:
            handle.close()
        name = getattr(sheet, "row_data_filename", None)
        if name:
            remove_quietly(Path(name))


def _sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("' ")
    return cleaned[:31] or "Sheet1"


@dataclass(frozen=True)
class Sheet:
    """One sheet of a small workbook (a report): lines of text above a table."""

    name: str
    lines: Sequence[str]  # the first is the sheet's title (bold)
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def unique_sheet_names(names: Sequence[str]) -> list[str]:
    """Names Excel accepts for the sheets of one workbook: each valid and none twice (Excel
    compares them without regard to case), ``Name (2)`` for the second of a name."""
    taken: set[str] = set()
    result = []
    for name in names:
        # "Partner meetings / council" reads "Partner meetings - council", not with a gap.
        base = " ".join("".join("-" if c in "[]:*?/\\" else c for c in name).split())
        if len(base) > 31:  # cut at a word where one ends late enough
            cut = base[:31].rstrip()
            base = cut.rsplit(" ", 1)[0] if cut.rfind(" ") > 20 else cut
        base = _sheet_name(base)
        candidate, number = base, 1
        while candidate.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[:31 - len(suffix)].rstrip() + suffix
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def write_workbook(path: Path, sheets: Sequence[Sheet], *, date_format: str = "dd.mm.yyyy"
                   ) -> None:
    """Write a workbook of several sheets, whole or not at all: on each the lines (the
    first bold), an empty row, then the table with a bold frozen header row and an
    autofilter, cells written as ``write_xlsx`` writes them (text as text, dates as dates).
    The sheets' names must be valid and unique (``unique_sheet_names``)."""
    with atomic_file(path, binary=True) as handle:
        workbook = xlsxwriter.Workbook(handle, {
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False})
        try:
            title = workbook.add_format({"bold": True, "font_size": 13})
            header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1,
                                          "text_wrap": True, "valign": "bottom"})
            day = workbook.add_format({"num_format": date_format, "align": "left"})
            for sheet_data in sheets:
                _write_sheet(workbook.add_worksheet(sheet_data.name), sheet_data,
                             title=title, header=header, day=day)
            workbook.close()
        except FileCreateError as error:
            _abandon(workbook)
            cause = error.args[0] if error.args else None
            raise cause if isinstance(cause, OSError) else OSError(str(error)) from None
        except BaseException:
            _abandon(workbook)
            raise


def _write_sheet(sheet: Any, data: Sheet, *, title: Any, header: Any, day: Any) -> None:
    for row, line in enumerate(data.lines):
        sheet.write_string(row, 0, line, title if row == 0 else None)
    top = len(data.lines) + 1 if data.lines else 0
    for column, width in enumerate(column_widths(data.headers, data.rows[:WIDTH_SAMPLE])):
        sheet.set_column(column, column, width)
    for column, text in enumerate(data.headers):
        sheet.write_string(top, column, text, header)
    sheet.freeze_panes(top + 1, 0)
    for number, values in enumerate(data.rows, start=top + 1):
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                raise TypeError("bool cells must be words")
            if isinstance(value, str):
                sheet.write_string(number, column, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(number, column, float(value) if isinstance(value, Decimal)
                                   else value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(number, column, value, day)
            else:
                raise TypeError(f"no XLSX cell for {type(value).__name__}")
    sheet.autofilter(top, 0, top + len(data.rows), max(len(data.headers) - 1, 0))
