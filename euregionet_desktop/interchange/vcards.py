"""vCard address books (2.1, 3.0 and 4.0) read as a table: one row per card, fixed columns.

vobject reads the cards, but not as Outlook and old Thunderbird write vCard 2.1, so each
card's lines are made plain vCard 3.0 first:
- quoted-printable values ("ENCODING=QUOTED-PRINTABLE", soft line breaks with "=" at the
  end) are decoded here, in the CHARSET the line names (UTF-8, windows-1250, ...): vobject
  refuses the continued lines of a soft break;
- a comma in a 2.1 value is a comma (2.1 has no escape for it), and one in a text value of
  any version is too: vobject keeps only what comes before an unescaped comma, so
  "TITLE:Kierownik, dział" would lose "dział";
- properties not read (photos, keys, sounds) are dropped before vobject sees them.
Cards are read one at a time, so memory stays bounded however many there are.
"""

from __future__ import annotations

import codecs
import quopri
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import vobject
import vobject.base

from euregionet_desktop.errors import TableFileError
from euregionet_desktop.i18n import _
from euregionet_desktop.interchange.cells import MAX_CELL_CHARS, Cell

# The columns, as the contact's fields are labelled in English: the import's mapping
# finds them by label.
HEADERS = ("First name", "Last name", "Title", "Function", "Organisation", "E-mail", "Phone",
           "Mobile phone", "Street", "Postal code", "City", "Country", "Website", "Notes",
           "UID")
MAX_CARD_BYTES = 16 * 2**20  # one card, with its photo
_READ = frozenset({"VERSION", "N", "FN", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "URL", "NOTE",
                   "UID"})
_STRUCTURED = frozenset({"N", "ADR", "ORG"})  # ";" separates parts, "," values of a part
_DROPPED_PARAMS = frozenset({"QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE", "ENCODING=8BIT",
                             "8BIT"})
_PARSE_ERRORS = (vobject.base.VObjectError, ValueError, LookupError, TypeError,
                 AttributeError)


def looks_like_address_book(head: bytes) -> bool:
    """Whether a file beginning with ``head`` is a vCard file (UTF-16 ones too)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[:64].decode("utf-16", errors="replace").encode("utf-8")
    return head.removeprefix(codecs.BOM_UTF8).lstrip()[:11].upper() == b"BEGIN:VCARD"


def read_cards(path: Path, encoding: str) -> Iterator[tuple[int, list[Cell]]]:
    """(card number, its cells under HEADERS) for each card; ``encoding`` is the file's,
    used where a line names no CHARSET of its own."""
    # The cards are read by their bytes, which in UTF-16 are no ASCII: such a file is
    # decoded first and its lines handed on in UTF-8.
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    try:
        with path.open(encoding=encoding, newline="") if wide else path.open("rb") as file:
            lines = _Utf8Lines(file) if wide else file
            for number, card in enumerate(_cards(path, lines), start=1):
                yield number, _row(path, number, card, "utf-8" if wide else encoding)
    except UnicodeDecodeError as error:  # a wide file's, decoded ahead: no card to name
        raise TableFileError(_(
            "{path} is not {encoding} text; choose another encoding.").format(
                path=path, encoding=encoding)) from error
    except OSError as error:
        raise TableFileError(_("{path} cannot be read: {reason}.").format(
            path=path, reason=error.strerror or error)) from error


class _Utf8Lines:
    """A text file's lines as UTF-8 bytes, for the card reader that reads bytes."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text

    def readline(self, limit: int) -> bytes:
        return self.text.readline(limit).encode("utf-8")


def _damaged(path: Path, number: int) -> TableFileError:
    return TableFileError(_(
        "{path}: address card {card} is damaged and cannot be read; export the address "
        "book again.").format(path=path, card=number))


# --- Lines -----------------------------------------------------------------------------

def _cards(path: Path, file: IO[bytes] | _Utf8Lines) -> Iterator[list[bytes]]:
    """Each card's logical lines (folds and soft line breaks joined), BEGIN and END and any
    card nested in it (2.1's AGENT) left out."""
    card: list[bytes] | None = None
    number = size = depth = 0
    while raw := file.readline(MAX_CARD_BYTES + 1):
        line = raw.rstrip(b"\r\n")
        if card is None:
            if line.strip().upper() == b"BEGIN:VCARD":
                card, size, depth, number = [], 0, 1, number + 1
            continue
        size += len(raw)
        if size > MAX_CARD_BYTES:
            raise TableFileError(_(
                "{path}: address card {card} is larger than {maximum} MB; it cannot be "
                "imported.").format(path=path, card=number, maximum=MAX_CARD_BYTES >> 20))
        if card and _continued(card, line):
            continue
        keyword = line.strip().upper()
        if keyword.startswith(b"BEGIN:"):
            depth += 1
        elif keyword.startswith(b"END:"):
            depth -= 1
            if depth == 0:
                yield card
                card = None
        elif keyword and depth == 1:
            card.append(line)
    if card is not None:
        raise _damaged(path, number)


def _continued(card: list[bytes], line: bytes) -> bool:
    """Whether ``line`` continues the card's last line, which it then joins."""
    last = card[-1]
    if last.endswith(b"=") and b"QUOTED-PRINTABLE" in _head(last).upper():
        card[-1] = last[:-1] + line  # a quoted-printable soft line break
        return True
    if line[:1] in (b" ", b"\t"):
        card[-1] = last + line[1:]  # a folded line
        return True
    return False


def _head(line: bytes) -> bytes:
    """The name and parameters of a line: up to its first colon outside quotes."""
    colon = _colon(line)
    return line[:colon] if colon >= 0 else line


def _colon(line: bytes) -> int:
    colon = line.find(b":")
    if b'"' not in line[:colon]:
        return colon
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return -1


# --- One card --------------------------------------------------------------------------

def _row(path: Path, number: int, lines: list[bytes], encoding: str) -> list[Cell]:
    version = next((line.partition(b":")[2].strip() for line in lines
                    if line.upper().startswith(b"VERSION:")), b"3.0")
    plain = [text for line in lines
             if (text := _plain(path, number, line, encoding, version == b"2.1")) is not None]
    try:
        card = vobject.readOne("\r\n".join(["BEGIN:VCARD", *plain, "END:VCARD", ""]))
        cells = _cells(card)
    except _PARSE_ERRORS as error:
        raise _damaged(path, number) from error
    for column, cell in enumerate(cells):
        if cell is not None and len(cell) > MAX_CELL_CHARS:
            raise TableFileError(_(
                "{path}: address card {card} has a value longer than {maximum} characters "
                "({column}).").format(path=path, card=number, maximum=MAX_CELL_CHARS,
                                      column=HEADERS[column]))
    return cells


def _plain(path: Path, number: int, line: bytes, encoding: str, old: bool) -> str | None:
    """A line as plain vCard 3.0 text, or None for a property not read."""
    colon = _colon(line)
    if colon < 0:
        raise _damaged(path, number)
    head, value = line[:colon].decode("latin-1"), line[colon + 1:]
    name, *params = head.split(";")
    name = name.rpartition(".")[2].upper()  # "item1.TEL" (Apple's groups)
    if name not in _READ:
        return None
    charset = next((p.partition("=")[2] for p in params if p.upper().startswith("CHARSET=")),
                   encoding)
    quoted = any(p.upper() in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE") for p in params)
    params = [p for p in params if p.upper() not in _DROPPED_PARAMS
              and not p.upper().startswith("CHARSET=")]
    text = _decoded(path, number, quopri.decodestring(value) if quoted else value, charset,
                    encoding)
    if quoted:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    if old or name not in _STRUCTURED:
        text = _commas_escaped(text)
    return ";".join([name, *params]) + ":" + text


def _decoded(path: Path, number: int, value: bytes, charset: str, encoding: str) -> str:
    """A value in the CHARSET its line names, else (an unknown one too) the file's."""
    try:
        try:
            return value.decode(charset.strip('"'))
        except (LookupError, ValueError):  # unknown, no text encoding (rot13), a NUL in it
            charset = encoding
            return value.decode(charset)
    except UnicodeDecodeError:
        raise TableFileError(_(
            "{path}: address card {card} is not {encoding} text; choose another "
            "encoding.").format(path=path, card=number, encoding=charset)) from None


def _commas_escaped(text: str) -> str:
    out: list[str] = []
    escaped = False
    for char in text:
        if char == "," and not escaped:
            out.append("\\")
        out.append(char)
        escaped = char == "\\" and not escaped
    return "".join(out)


# --- Its cells -------------------------------------------------------------------------

def _cells(card: Any) -> list[Cell]:
    contents = card.contents
    name = _first(contents, "n")
    first, last, title = ((_part(name.value.given, " "), _part(name.value.family, " "),
                           _part(name.value.prefix, " ")) if name else ("", "", ""))
    if not (first or last):
        first, _space, last = _text(contents, "fn").rpartition(" ")
    org = _first(contents, "org")
    phones = _by_preference(contents.get("tel", []))
    mobile = next((tel for tel in phones if "cell" in _types(tel)), None)
    phone = next((tel for tel in phones if "cell" not in _types(tel)), None)
    address = _first(contents, "adr")
    street = city = code = country = ""
    if address:
        parts = address.value
        street = ", ".join(p for p in (_part(parts.street), _part(parts.extended)) if p)
        city, code, country = _part(parts.city), _part(parts.code), _part(parts.country)
    cells = [first, last, title, _text(contents, "title"),
             _part(org.value[0] if org and org.value else ""), _text(contents, "email"),
             _phone(phone), _phone(mobile), street, code, city, country,
             _text(contents, "url"), _text(contents, "note"), _text(contents, "uid")]
    return [cell.strip() or None for cell in cells]


def _first(contents: dict[str, list[Any]], name: str) -> Any:
    lines = _by_preference(contents.get(name, []))
    return lines[0] if lines else None


def _text(contents: dict[str, list[Any]], name: str) -> str:
    line = _first(contents, name)
    return _part(line.value) if line else ""


def _part(value: Any, separator: str = ", ") -> str:
    """One part of a value: vobject gives a list where the part held commas."""
    if isinstance(value, list):
        return separator.join(str(item).strip() for item in value if str(item).strip())
    return str(value or "").strip()


def _types(line: Any) -> set[str]:
    """The TYPE words of a line: TEL;CELL (2.1), TYPE=CELL, TYPE="cell,voice"."""
    words = [*line.params.get("TYPE", []), *line.singletonparams]
    return {word.strip().strip('"').lower() for item in words for word in item.split(",")}


def _by_preference(lines: list[Any]) -> list[Any]:
    """The lines marked preferred (2.1's PREF, TYPE=pref, 4.0's PREF=1) first."""
    return sorted(lines, key=lambda line: not ("pref" in _types(line)
                                               or "PREF" in line.params))


def _phone(line: Any) -> str:
    return _part(line.value).removeprefix("tel:") if line else ""
