"""The export writers (interchange/): formula cells neutralised, vCard lines folded by
octets, the calendar's time zones, files written whole or not at all."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zoneinfo
from decimal import Decimal

import icalendar
import pytest
import vobject
from python_calamine import CalamineWorkbook

from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.interchange import calendar, vcard, writing


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"),
    ("+48 68 123 45 67", "'+48 68 123 45 67"),
    ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"),
    ("\r=cmd", "'\r=cmd"),
    ("Nowak", "Nowak"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_neutralise(text, expected):
    """Text beginning as a formula gets an apostrophe; anything else stays as it is."""
    assert writing.neutralise(text) == expected


def test_csv_keeps_numbers_and_neutralises_text(tmp_path):
    """In CSV a number stays a number (-5), the same as text gets the apostrophe."""
    target = tmp_path / "a.csv"
    assert writing.write_csv(target, ["=A", "B"], [["-5", -5], [None, Decimal("1.50")]],
                             separator=";") == 2
    assert target.read_bytes() == b"\xef\xbb\xbf'=A;B\r\n'-5;-5\r\n;1.50\r\n"


def test_xlsx_cells_keep_their_types(tmp_path):
    """Text stays text even when it looks like a formula, a number or a link; dates are
    dates, amounts numbers."""
    target = tmp_path / "a.xlsx"
    rows = [["=1+1", "0123", "https://example.org", dt.date(2020, 1, 19), Decimal("12.5"),
             7, None]]
    writing.write_xlsx(target, list("ABCDEFG"), rows, sheet_name="Kontakty: [1/2]")
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["Kontakty   1 2"]
    assert book.get_sheet_by_index(0).to_python()[1] == [
        "=1+1", "0123", "https://example.org", dt.date(2020, 1, 19), 12.5, 7.0, ""]


def test_a_failed_export_leaves_no_file(tmp_path, monkeypatch):
    """A row that cannot be written ends the export with nothing in the folder, and a file
    that was there before is as it was; XlsxWriter's temporary row files are gone too."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")

    def rows():  # fails after the rows read ahead to size the columns
        for _n in range(writing.WIDTH_SAMPLE + 100):
            yield ["fine"]
        raise RuntimeError("the database went away")

    for write in (lambda: writing.write_xlsx(target, ["A"], rows(), sheet_name="x"),
                  lambda: writing.write_csv(target, ["A"], rows())):
        with pytest.raises(RuntimeError):
            write()
        assert sorted(os.listdir(tmp_path)) == ["a.xlsx", "scratch"]
        assert target.read_bytes() == b"old" and os.listdir(scratch) == []


def test_an_unwritable_target_is_a_file_access_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileAccessError, match="file"):
        writing.write_csv(tmp_path / "file" / "a.csv", ["A"], [])


@pytest.mark.parametrize("letter", ["a", "ż", "€", "😀"])
def test_vcard_lines_fold_at_75_octets_without_cutting_a_letter(letter):
    """Any length of one-, two-, three- or four-byte letters: no line above 75 octets
    (CRLF not counted), every line valid UTF-8, unfolding gives the line back."""
    for length in range(60, 200):
        line = "NOTE:" + letter * length
        folded = vcard.fold(line).encode("utf-8")
        assert folded.endswith(b"\r\n")
        parts = folded[:-2].split(b"\r\n")
        assert all(len(part) <= 75 for part in parts)
        assert all(part.startswith(b" ") for part in parts[1:])
        for part in parts:
            part.decode("utf-8")
        assert b"".join(p[1:] if n else p for n, p in enumerate(parts)).decode() == line


def test_vobject_would_leave_a_long_polish_line_unfolded():
    """Why the vCard lines are folded here: vobject measures a line in characters, so 74
    Polish letters (148 octets) stay on one line."""
    card = vobject.vCard()
    card.add("fn").value = "ż" * 70
    card.add("n").value = vobject.vcard.Name(family="ż")
    longest = max(len(line.encode()) for line in card.serialize().split("\r\n"))
    assert longest > 75
    ours = vcard.card_text(vcard.Card("id", last_name="ż", full_name="ż" * 70))
    assert max(len(line.encode()) for line in ours.split("\r\n")) <= 75


def test_vcard_escapes_what_vcard_gives_a_meaning():
    """Commas, semicolons, backslashes and line breaks in values come back as written."""
    card = vcard.Card("0b9c3a55-3e4f-4a0a-9d4e-0a1b2c3d4e5f", first_name="Jan; Maria",
                      last_name="Nowak, Kowalski", organisation="A\\B; C, D",
                      note="one\ntwo; three", street="ul. Długa 1, lok. 2", city="Żary")
    (parsed,) = vobject.readComponents(vcard.card_text(card))
    assert parsed.n.value.family == "Nowak, Kowalski"
    assert parsed.n.value.given == "Jan; Maria"
    assert parsed.org.value == ["A\\B; C, D"]
    assert parsed.note.value == "one\ntwo; three"
    assert parsed.adr.value.street == "ul. Długa 1, lok. 2"
    assert parsed.uid.value == "urn:uuid:0b9c3a55-3e4f-4a0a-9d4e-0a1b2c3d4e5f"


@pytest.mark.parametrize("name", calendar.ZONES)
def test_vtimezone_agrees_with_zoneinfo(name):
    """The written VTIMEZONE, read back by icalendar, gives the offset zoneinfo gives at
    every half hour around each switch from 1997 to 2037."""
    data, _count = calendar.calendar_bytes([], [])
    (component,) = [z for z in icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
                    if str(z["TZID"]) == name]
    ours, reference = component.to_tz(), zoneinfo.ZoneInfo(name)
    for year in range(1997, 2038):
        for month in (3, 10):
            moment = dt.datetime(year, month, 20, tzinfo=dt.UTC)
            while moment.day != 5:
                assert moment.astimezone(ours).utcoffset() == \
                    moment.astimezone(reference).utcoffset(), moment
                moment += dt.timedelta(minutes=30)
