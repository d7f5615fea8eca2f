"""Tables offered for import, read as rows of cells: CSV and TSV in any encoding offices
write, XLSX, XLS and ODS through python-calamine, and vCard address books (vcards.py).

Reading is streamed: ``open_table`` looks at the beginning of a file (format, encoding,
separator, sheet, header row) and ``TableFile.rows`` reads it again from the start each
time it is called. Every refusal is a TableFileError with one translated line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from euregionet_desktop.errors import TableFileError
from euregionet_desktop.i18n import _
from euregionet_desktop.interchange import vcards, zips
from euregionet_desktop.interchange.cells import MAX_CELL_CHARS, Cell, cell_value
from euregionet_desktop.interchange.encodings import ENCODINGS, SAMPLE_BYTES, detect_encoding

__all__ = ["ENCODINGS", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_FILE_BYTES", "Cell", "TableFile",
           "cell_value", "detect_encoding", "open_table"]

MAX_COLUMNS = 1000
MAX_FILE_BYTES = 200 * 2**20  # a spreadsheet: calamine holds a whole sheet in memory
# One physical line of a CSV file is read whole; a longer one without a line break is no
# table (and would fill the memory): 1000 columns of 4000 characters still fit.
MAX_LINE_CHARS = 4 * 2**20
HEADER_SEARCH_ROWS = 10  # the header is the first row like one among this many
SEPARATORS = (",", ";", "\t")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (and Word's .doc)
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # its stream's name
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Other files people pick by mistake, known by their first bytes.
_NOT_TABLES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*",
               b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"{\\rtf", b"SQLite format 3")
# Control characters no text table holds (tab, line feed, form feed, carriage return can):
# more than one byte in a hundred of them is a binary file.
_CONTROL_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D})
_SUFFIX_FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods",
                   ".vcf": "vcf", ".vcard": "vcf"}
# A cell that is a number, a date or a time written as text: no header is one.
_NUMBER_LIKE = re.compile(r"[-+]?[\d\s.,/:]+")
_SAMPLE_RECORDS = 50  # records the separator detection reads
# What calamine gives for a cell: the times become text, as Cell has no place for them.
_PLAIN_CELLS = frozenset({type(None), str, int, float, bool, dt.date, dt.datetime})
_TIMES = (dt.time, dt.timedelta)
# The first line Excel reads as the separator to use ("sep=;"), written for Excel by CRMs
# and mailing tools.
_EXCEL_SEPARATOR_LINE = re.compile("sep=([,;\t])(?:\r\n|\n|\r)", re.IGNORECASE)


@dataclass(frozen=True)
class TableFile:
    """A table found in a file: where its header is and what its columns are called."""

    path: Path
    format: str  # "csv" | "xlsx" | "xls" | "ods" | "vcf"
    encoding: str | None  # csv/vcf: the encoding used (detected or given)
    separator: str | None  # csv: "," ";" or "\t"
    sheets: tuple[str, ...]  # spreadsheets: every sheet name; () otherwise
    sheet: str | None  # the sheet read
    header_row: int  # the header's row number as a spreadsheet shows it (vcf: 0, none)
    headers: tuple[str, ...]  # stripped, none empty, none twice

    def rows(self) -> Iterator[tuple[int, tuple[Cell, ...]]]:
        """(row number as the spreadsheet shows it, cells padded or cut to the headers),
        the fully empty rows left out; read from the file again at each call. Raises
        TableFileError on damage found while reading."""
        width = len(self.headers)
        with closing(_records(self)) as records:
            for number, cells in records:
                if number > self.header_row and not _is_empty(cells):
                    yield number, _fit(cells, width)


def open_table(path: Path, *, encoding: str | None = None,
               sheet: str | None = None) -> TableFile:
    """The table in ``path``; its format is told by its content (else its name's suffix),
    the encoding and separator of a text file are detected unless ``encoding`` is given,
    ``sheet`` None takes a workbook's first sheet that holds anything."""
    path = Path(path)
    if encoding is not None:
        encoding = _known_encoding(path, encoding)
    head = _head(path)
    kind = _format_of(path, head)
    if kind == "vcf":
        return _open_address_book(path, encoding or detect_encoding(head))
    if kind == "csv":
        return _open_csv(path, head, encoding)
    return _open_workbook(path, kind, sheet)


# --- Format ----------------------------------------------------------------------------

def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            head = file.read(SAMPLE_BYTES)
    except OSError as error:
        raise _unreadable(path, error) from error
    if not head:
        raise TableFileError(_("{path} holds no table: it is empty.").format(path=path))
    return head


def _format_of(path: Path, head: bytes) -> str:
    if head.startswith(_ZIP):
        return _zip_format(path)
    if head.startswith(_OLE2):
        if _ENCRYPTED_PACKAGE in head:  # an XLSX with a password to open it, in OLE2
            raise _password_protected(path)
        return "xls"
    if head.startswith(_NOT_TABLES):
        raise _not_a_table(path)
    if vcards.looks_like_address_book(head):
        return "vcf"
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "csv")


def _zip_format(path: Path) -> str:
    try:
        kind = zips.zip_format(path)
    except zips.DamagedZip as error:
        raise _damaged(path) from error
    except OSError as error:
        raise _unreadable(path, error) from error
    if kind is None:
        raise _not_a_table(path)
    return kind


def _known_encoding(path: Path, encoding: str) -> str:
    try:
        # A text encoding: codecs.lookup also knows rot13 and base64. (Decoding b"" would
        # not even look the name up.)
        b"x".decode(encoding)
    except UnicodeError:
        pass  # utf-16 and utf-32 want more bytes: text encodings all the same
    except LookupError:
        raise TableFileError(_(
            "{path} cannot be read as “{encoding}”: that is not a known text encoding. "
            "Choose one of {encodings}.").format(path=path, encoding=encoding,
                                                 encodings=", ".join(ENCODINGS))) from None
    return encoding


def _not_a_table(path: Path) -> TableFileError:
    return TableFileError(_(
        "{path} is not a table: only CSV and TSV text files, Excel (XLSX, XLS) and "
        "OpenDocument (ODS) spreadsheets and vCard address books can be imported.").format(
            path=path))


def _damaged(path: Path) -> TableFileError:
    return TableFileError(_(
        "{path} is damaged or is not the spreadsheet its name says; open it in its program "
        "and save it again as XLSX or CSV.").format(path=path))


def _unreadable(path: Path, error: OSError) -> TableFileError:
    return TableFileError(_("{path} cannot be read: {reason}.").format(
        path=path, reason=error.strerror or error))


# --- Header ----------------------------------------------------------------------------

def _header(path: Path, records: Iterator[tuple[int, list[Cell]]], *,
            empty: str | None = None, first_column: int | None = None,
            ) -> tuple[int, tuple[str, ...]]:
    """The header's row number and column names: the first row like a header among the
    first ones not empty; ``empty`` is the refusal when there is no row at all,
    ``first_column`` a sheet's first column (None: a text file's, numbered)."""
    with closing(records):
        window = list(itertools.islice(
            ((n, cells) for n, cells in records if not _is_empty(cells)), HEADER_SEARCH_ROWS))
    if not window:
        raise TableFileError(empty or _("{path} holds no table: it is empty.").format(
            path=path))
    width = max(_extent(cells) for _, cells in window)
    header_row, cells = next(((n, cells) for n, cells in window
                              if _looks_like_header(cells, width)), window[0])
    return header_row, _headers(cells, width, first_column)


def _looks_like_header(cells: list[Cell], width: int) -> bool:
    labels = sum(1 for cell in cells if isinstance(cell, str) and cell.strip()
                 and not _NUMBER_LIKE.fullmatch(cell.strip()))
    return labels > 0 and labels * 2 >= width


def _headers(cells: list[Cell], width: int, first_column: int | None) -> tuple[str, ...]:
    names: list[str] = []
    taken: set[str] = set()
    for index in range(width):
        text = cell_value(cells[index], "text") if index < len(cells) else None
        name = " ".join(str(text or "").split()) or _("Column {n}").format(
            n=_column_name(index, first_column))
        if name in taken:
            copy = 2
            while f"{name} ({copy})" in taken:
                copy += 1
            name = f"{name} ({copy})"
        taken.add(name)
        names.append(name)
    return tuple(names)


def _is_empty(cells: list[Cell]) -> bool:
    for cell in cells:  # a loop, not all(): called for every row
        if cell is not None and (type(cell) is not str or cell.strip()):
            return False
    return True


def _extent(cells: list[Cell]) -> int:
    """How many columns a row fills: up to its last cell that is not empty."""
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell is not None and not (type(cell) is str and not cell.strip()):
            return index + 1
    return 0


def _fit(cells: list[Cell], width: int) -> tuple[Cell, ...]:
    if len(cells) >= width:
        return tuple(cells[:width])
    return (*cells, *(None,) * (width - len(cells)))


def _records(table: TableFile) -> Iterator[tuple[int, list[Cell]]]:
    if table.format == "csv":
        return _csv_records(table.path, table.encoding or "utf-8", table.separator or ",")
    if table.format == "vcf":
        return vcards.read_cards(table.path, table.encoding or "utf-8")
    return _sheet_records(table.path, table.sheet or "")


def _column_name(index: int, first_column: int | None) -> str:
    """A column as the person sees it: a sheet's by its letters (as a sheet calamine gives
    begins at its first column used, "Column 1" could be C), a text file's by number."""
    if first_column is None:
        return str(index + 1)
    name, number = "", first_column + index + 1
    while number:
        number, letter = divmod(number - 1, 26)
        name = chr(ord("A") + letter) + name
    return name


def _checked(path: Path, number: int, cells: list[Cell],
             first_column: int | None = None) -> list[Cell]:
    """A row within the limits on columns and on one cell."""
    if len(cells) > MAX_COLUMNS and _extent(cells) > MAX_COLUMNS:
        raise TableFileError(_(
            "{path}: row {row} has too many columns ({count}); at most {maximum} can be "
            "imported.").format(path=path, row=number, count=_extent(cells),
                                maximum=MAX_COLUMNS))
    for index, cell in enumerate(cells):
        if type(cell) is str and len(cell) > MAX_CELL_CHARS:
            raise TableFileError(_(
                "{path}: the cell in row {row}, column {column} is longer than {maximum} "
                "characters, the most a spreadsheet cell holds.").format(
                    path=path, row=number, column=_column_name(index, first_column),
                    maximum=MAX_CELL_CHARS))
    return cells


# --- CSV and TSV -----------------------------------------------------------------------

def _open_csv(path: Path, head: bytes, encoding: str | None) -> TableFile:
    encoding = encoding or detect_encoding(head)
    # In UTF-16 (Excel's "Unicode text") every other byte of Latin text is NUL.
    if not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")) and (
            b"\x00" in head
            or len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) // 100):
        raise _not_a_table(path)
    separator = _separator(head.decode(encoding, errors="replace"))
    header_row, headers = _header(path, _csv_records(path, encoding, separator))
    return TableFile(path=path, format="csv", encoding=encoding, separator=separator,
                     sheets=(), sheet=None, header_row=header_row, headers=headers)


def _separator(text: str) -> str:
    """The separator that splits the first records into the most columns, the same number
    in most records (csv.Sniffer guesses wrong on short files and decimal commas)."""
    if match := _EXCEL_SEPARATOR_LINE.match(text.removeprefix("\ufeff")):
        return match.group(1)
    if len(text) >= SAMPLE_BYTES // 2:
        text = text[:max(text.rfind("\n"), 0)]  # a record cut by the sample's end
    best, best_key = ",", (False, 0.0, 0)
    for separator in SEPARATORS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
        counts = [len(record) for record in itertools.islice(reader, _SAMPLE_RECORDS)
                  if any(field.strip() for field in record)]
        if not counts:
            continue
        columns, times = Counter(counts).most_common(1)[0]
        key = (columns > 1, times / len(counts), columns)
        if key > best_key:
            best, best_key = separator, key
    return best


def _csv_records(path: Path, encoding: str, separator: str) -> Iterator[tuple[int, list[Cell]]]:
    """Each record of a text table with its number (a quoted line break stays in its row)."""
    number = 0
    undecodable: list[bool] = []  # set by _lines: the record read holds such a byte
    try:
        # Bytes the encoding has no letter for become lone surrogates, which no decoded
        # text holds, so the record they are in is known (a strict decoder fails on the
        # chunk it decodes ahead, rows before the one at fault).
        with path.open(encoding=encoding, errors="surrogateescape", newline="") as file:
            reader = csv.reader(_lines(path, file, undecodable), delimiter=separator)
            for number, record in enumerate(reader, start=1):
                if undecodable:
                    raise TableFileError(_(
                        "{path} is not {encoding} text (row {row}); choose another "
                        "encoding.").format(path=path, encoding=encoding, row=number))
                if number == 1 and record:
                    record[0] = record[0].removeprefix("\ufeff")
                if len(record) > MAX_COLUMNS or max(map(len, record), default=0) \
                        > MAX_CELL_CHARS:
                    _checked(path, number, record)  # says which limit
                yield number, [field or None for field in record]
    except UnicodeError as error:  # what surrogateescape cannot take (UTF-16's halves)
        raise TableFileError(_(
            "{path} is not {encoding} text (row {row}); choose another encoding.").format(
                path=path, encoding=encoding, row=number + 1)) from error
    except csv.Error as error:
        raise TableFileError(_(
            "{path}: row {row} cannot be read as CSV; check its quotes.").format(
                path=path, row=number + 1)) from error
    except OSError as error:
        raise _unreadable(path, error) from error


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _lines(path: Path, file: io.TextIOBase, undecodable: list[bool]) -> Iterator[str]:
    """The file's physical lines (any of \\r\\n, \\n, \\r), none overlong, none with NUL;
    ``undecodable`` gets an item at a line with a byte the encoding does not read."""
    search = _UNDECODABLE.search
    first = file.readline(MAX_LINE_CHARS + 1)
    # Excel hides its "sep=;" line and numbers the rows after it from 1.
    if not _EXCEL_SEPARATOR_LINE.fullmatch(first.removeprefix("\ufeff")):
        file.seek(0)
    while line := file.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise TableFileError(_(
                "{path} has a line longer than {maximum} characters; it is not a table "
                "that can be imported.").format(path=path, maximum=MAX_LINE_CHARS))
        if "\x00" in line:
            raise _not_a_table(path)
        if search(line):
            undecodable.append(True)
        yield line


# --- Address books ---------------------------------------------------------------------

def _open_address_book(path: Path, encoding: str) -> TableFile:
    """One row per card; the first card is read now, so a damaged one is refused early."""
    with closing(vcards.read_cards(path, encoding)) as cards:
        if next(cards, None) is None:
            raise TableFileError(_("{path} holds no address cards (BEGIN:VCARD … "
                                   "END:VCARD).").format(path=path))
    return TableFile(path=path, format="vcf", encoding=encoding, separator=None, sheets=(),
                     sheet=None, header_row=0, headers=vcards.HEADERS)


# --- Spreadsheets ----------------------------------------------------------------------

def _open_workbook(path: Path, kind: str, sheet: str | None) -> TableFile:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableFileError(_(
            "{path} is too large to import ({size} MB); a spreadsheet can have at most "
            "{maximum} MB. Save it as CSV, which has no such limit.").format(
                path=path, size=size >> 20, maximum=MAX_FILE_BYTES >> 20))
    with closing(_workbook(path)) as workbook:
        sheets = tuple(workbook.sheet_names)
        if sheet is None:
            sheet, data = _first_filled_sheet(path, workbook)
        elif sheet in sheets:
            data = _load_sheet(path, workbook, sheet)
        else:
            raise TableFileError(_("{path} has no sheet “{sheet}”; its sheets are: "
                                   "{sheets}.").format(path=path, sheet=sheet,
                                                       sheets=", ".join(sheets)))
    header_row, headers = _header(path, _sheet_rows(path, data), empty=_(
        "{path}: the sheet “{sheet}” is empty.").format(path=path, sheet=sheet),
        first_column=(data.start or (0, 0))[1])
    return TableFile(path=path, format=kind, encoding=None, separator=None, sheets=sheets,
                     sheet=sheet, header_row=header_row, headers=headers)


@contextmanager
def _calamine_refusals(path: Path) -> Iterator[None]:
    """calamine's errors as refusals, its panics too: on some damaged files its Rust code
    panics (a slice out of bounds), which pyo3 raises as a PanicException that derives
    from BaseException, not Exception, and has no importable name."""
    try:
        yield
    except python_calamine.PasswordError as error:
        raise _password_protected(path) from error
    except (python_calamine.CalamineError, ValueError) as error:
        raise _damaged(path) from error
    except OSError as error:
        raise _unreadable(path, error) from error
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        raise _damaged(path) from error


_STDERR_REDIRECT = threading.Lock()


@contextmanager
def _panic_notes_dropped() -> Iterator[None]:
    """Rust's panic hook writes a note to the process's stderr before pyo3 raises the
    PanicException that becomes a refusal, which is to be one line: meanwhile stderr goes
    to a scratch file, copied back unless calamine panicked."""
    # One at a time: a second load saving the first one's scratch file as "stderr" would
    # leave it there for good.
    with _STDERR_REDIRECT:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (AttributeError, OSError, ValueError):  # no stderr (a windowed Windows app)
            yield
            return
        panicked = False
        with tempfile.TemporaryFile() as scratch:
            os.dup2(scratch.fileno(), 2)
            try:
                yield
            except BaseException as error:
                panicked = type(error).__name__ == "PanicException"
                raise
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                scratch.seek(0)
                if (written := scratch.read()) and not panicked:
                    os.write(2, written)


def _workbook(path: Path) -> python_calamine.CalamineWorkbook:
    with _calamine_refusals(path), _panic_notes_dropped():
        return python_calamine.CalamineWorkbook.from_path(str(path))


def _password_protected(path: Path) -> TableFileError:
    return TableFileError(_(
        "{path} is protected by a password; open it in its program, save it without "
        "the password and import that copy.").format(path=path))


def _first_filled_sheet(path: Path, workbook: python_calamine.CalamineWorkbook,
                        ) -> tuple[str, python_calamine.CalamineSheet]:
    """The first sheet that holds a cell (a chart sheet holds none), loaded."""
    for name in workbook.sheet_names:
        data = _load_sheet(path, workbook, name)
        if data.end is not None:
            return name, data
    raise TableFileError(_("{path} holds no table: it is empty.").format(path=path))


def _load_sheet(path: Path, workbook: python_calamine.CalamineWorkbook,
                name: str) -> python_calamine.CalamineSheet:
    with _calamine_refusals(path), _panic_notes_dropped():
        return workbook.get_sheet_by_name(name)


def _sheet_records(path: Path, sheet: str) -> Iterator[tuple[int, list[Cell]]]:
    with closing(_workbook(path)) as workbook:
        return _sheet_rows(path, _load_sheet(path, workbook, sheet))


def _sheet_rows(path: Path, data: python_calamine.CalamineSheet,
                ) -> Iterator[tuple[int, list[Cell]]]:
    """Each row of a loaded sheet, numbered as the spreadsheet shows it (calamine's rows
    begin at the sheet's first row, its columns at the first one used)."""
    first_column = (data.start or (0, 0))[1]
    with _calamine_refusals(path):
        rows = data.iter_rows()
    for number, row in enumerate(rows, start=1):
        cells: list[Cell] = [None if cell == "" else cell for cell in row]
        kinds = set(map(type, cells))  # in C: most rows hold nothing to convert or check
        if kinds - _PLAIN_CELLS:  # a time of day or a duration: as text
            cells = [str(cell) if type(cell) in _TIMES else cell for cell in cells]
        if len(cells) > MAX_COLUMNS or (str in kinds and max(
                len(cell) for cell in cells if type(cell) is str) > MAX_CELL_CHARS):
            _checked(path, number, cells, first_column)  # says which limit
        yield number, cells
