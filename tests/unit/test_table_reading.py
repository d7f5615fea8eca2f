"""Reading tables offered for import: real CSV, TSV, XLSX, ODS and vCard files written
here, every encoding and separator offices produce, and every kind of bad input refused
with one translated line that names the file."""

from __future__ import annotations

import binascii
import codecs
import csv
import datetime as dt
import struct
import tracemalloc
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from euregionet_desktop.errors import TableFileError
from euregionet_desktop.interchange.reading import (
    ENCODINGS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    TableFile,
    cell_value,
    detect_encoding,
    open_table,
)
from euregionet_desktop.storage.field_kinds import Cleaning, kind_of
from euregionet_desktop.storage.fields import field_map

POLISH_HEADERS = ("Imię", "Nazwisko", "Firma", "NIP firmy", "E-mail", "Telefon", "Miasto",
                  "Kod pocztowy", "Stanowisko")
POLISH_ROWS = [
    ("Łukasz", "Żółć", "Zakład Ślusarski Gęś", "526-104-08-28", "lukasz@example.pl",
     "601 234 567", "Gorzów Wielkopolski", "66-400", "Właściciel"),
    ("Źdźisława", "Świętochowska", "Łąka sp. z o.o.", "", "zdzislawa@example.pl", "",
     "Zielona Góra", "65-001", "Księgowa"),
]
VCARD_HEADERS = ("First name", "Last name", "Title", "Function", "Organisation", "E-mail",
                 "Phone", "Mobile phone", "Street", "Postal code", "City", "Country",
                 "Website", "Notes", "UID")


def rows(table: TableFile) -> list[tuple[int, tuple]]:
    return list(table.rows())


def column(table: TableFile, name: str) -> list:
    index = table.headers.index(name)
    return [cells[index] for _, cells in table.rows()]


def refused(path: Path, **options: str) -> str:
    """The one line open_table (and reading every row) refuses ``path`` with."""
    with pytest.raises(TableFileError) as caught:
        rows(open_table(path, **options))
    message = str(caught.value)
    assert "\n" not in message and path.name in message
    return message


def semicolon_csv(rows_: list[tuple[str, ...]], headers: tuple[str, ...] = POLISH_HEADERS,
                  line_end: str = "\r\n") -> str:
    return "".join(";".join(row) + line_end for row in [headers, *rows_])


# --- CSV and TSV -----------------------------------------------------------------------

def test_polish_excel_csv_in_cp1250_with_semicolons_and_a_title_line(tmp_path):
    """A Polish Excel's CSV: cp1250, ";", a title line and an empty row above the header."""
    path = tmp_path / "członkowie.csv"
    text = "Lista członków 2026;;;;;;;;\r\n;;;;;;;;\r\n" + semicolon_csv(POLISH_ROWS)
    path.write_bytes(text.encode("cp1250"))
    table = open_table(path)
    assert (table.format, table.encoding, table.separator) == ("csv", "cp1250", ";")
    assert (table.sheets, table.sheet) == ((), None)
    assert table.header_row == 3
    assert table.headers == POLISH_HEADERS
    assert rows(table) == [(4, tuple(v or None for v in POLISH_ROWS[0])),
                           (5, tuple(v or None for v in POLISH_ROWS[1]))]
    assert rows(table) == rows(table), "each call reads the file again from its start"


def test_german_excel_csv_in_cp1252(tmp_path):
    """A German Excel's CSV: cp1252 with Müller and Straße, comma separated."""
    path = tmp_path / "mitglieder.csv"
    path.write_bytes("Vorname,Nachname,Straße,Ort\r\nJörg,Müller,Große Straße 5,Görlitz\r\n"
                     "Änne,Öztürk,Übergasse 1,Köln\r\n".encode("cp1252"))
    table = open_table(path)
    assert (table.encoding, table.separator) == ("cp1252", ",")
    assert table.headers == ("Vorname", "Nachname", "Straße", "Ort")
    assert rows(table)[0] == (2, ("Jörg", "Müller", "Große Straße 5", "Görlitz"))
    assert rows(table)[1] == (3, ("Änne", "Öztürk", "Übergasse 1", "Köln"))


def test_iso_8859_2_is_told_from_cp1250_by_the_letters_they_differ_in(tmp_path):
    """ą, ś and ź are where ISO-8859-2 and cp1250 differ: the file decodes right."""
    path = tmp_path / "lista.csv"
    path.write_bytes("Imię;Miasto\nŚwiętosław;Łódź\nJadwiga;Ząbkowice Śląskie\n"
                     .encode("iso-8859-2"))
    table = open_table(path)
    assert table.encoding == "iso-8859-2"
    assert column(table, "Miasto") == ["Łódź", "Ząbkowice Śląskie"]


@pytest.mark.parametrize(("encoding", "expected"), [("utf-8", "utf-8"),
                                                    ("utf-8-sig", "utf-8-sig"),
                                                    ("utf-16", "utf-16")])
def test_unicode_files_with_and_without_bom(tmp_path, encoding, expected):
    """UTF-8 with and without BOM, and Excel's "Unicode text" (UTF-16, tabs)."""
    path = tmp_path / "kontakty.txt"
    path.write_bytes("Imię\tNazwisko\tMiasto\nŁukasz\tŻółć\tGorzów Wielkopolski\n"
                     .encode(encoding))
    table = open_table(path)
    assert (table.encoding, table.separator) == (expected, "\t")
    assert table.headers == ("Imię", "Nazwisko", "Miasto"), "no BOM left in the first header"
    assert rows(table) == [(2, ("Łukasz", "Żółć", "Gorzów Wielkopolski"))]


def test_utf_16_chosen_by_another_spelling_of_its_name(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Imię\tMiasto\nŁukasz\tGorzów\n".encode("utf-16-le"))
    table = open_table(path, encoding="UTF_16_LE")
    assert (table.encoding, rows(table)) == ("UTF_16_LE", [(2, ("Łukasz", "Gorzów"))])


def test_a_bom_is_dropped_from_the_first_header_when_utf_8_is_chosen(tmp_path):
    path = tmp_path / "kontakty.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Imię;Nazwisko\nJan;Kowalski\n".encode())
    assert open_table(path, encoding="utf-8").headers == ("Imię", "Nazwisko")


def test_quoted_line_breaks_and_mixed_line_endings_keep_the_row_numbers(tmp_path):
    """A quoted cell with line breaks is one row, as Excel shows it; \\r\\n, \\n and \\r all
    end a row."""
    path = tmp_path / "notatki.csv"
    path.write_bytes(b'Name,Notes,City\r\n'
                     b'"Nowak, Anna","first line\r\nsecond line\nthird",Cottbus\r\n'
                     b'Schulz,plain,Guben\n'
                     b'Kowalski,"quoted ""word""",Lubsko\r'
                     b'Last,row,"Frankfurt (Oder)"')
    table = open_table(path)
    assert table.separator == ","
    assert rows(table) == [
        (2, ("Nowak, Anna", "first line\r\nsecond line\nthird", "Cottbus")),
        (3, ("Schulz", "plain", "Guben")),
        (4, ("Kowalski", 'quoted "word"', "Lubsko")),
        (5, ("Last", "row", "Frankfurt (Oder)")),
    ]


def test_separator_is_not_fooled_by_decimal_commas_or_commas_in_quotes(tmp_path):
    path = tmp_path / "kwoty.csv"
    path.write_text('Firma;Kwota;Uwagi\n"A, B";12,50;x\nC;7,00;"y, z"\nD;1,5;\n',
                    encoding="utf-8")
    table = open_table(path)
    assert table.separator == ";"
    assert rows(table)[0] == (2, ("A, B", "12,50", "x"))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1250"])
def test_excels_separator_line_is_obeyed_and_not_counted_as_a_row(tmp_path, encoding):
    """A "sep=," line, as tools write CSV for Excel: Excel hides it and numbers the header
    row 1; here a comma separates although semicolons look likelier."""
    path = tmp_path / "dla-excela.csv"
    path.write_bytes("sep=,\r\nImię;drugie,Nazwisko\r\nAnna;Maria,Żółć\r\n".encode(encoding))
    table = open_table(path)
    assert (table.separator, table.header_row) == (",", 1)
    assert table.headers == ("Imię;drugie", "Nazwisko")
    assert rows(table) == [(2, ("Anna;Maria", "Żółć"))]


def test_empty_and_repeated_headers_get_names_and_short_rows_are_padded(tmp_path):
    path = tmp_path / "naglowki.csv"
    path.write_text("Name;;Name;E-mail;Name\nA;b;c;d;e;f\n;;x\n;;\nG\n",
                    encoding="utf-8")
    table = open_table(path)
    assert table.headers == ("Name", "Column 2", "Name (2)", "E-mail", "Name (3)",
                             "Column 6"), "a column filled below the header is kept"
    assert rows(table) == [(2, ("A", "b", "c", "d", "e", "f")),
                           (3, (None, None, "x", None, None, None)),
                           (5, ("G", None, None, None, None, None))], "empty row 4 left out"


def test_a_header_only_file_is_an_empty_table(tmp_path):
    path = tmp_path / "pusta.csv"
    path.write_text("Imię;Nazwisko\r\n", encoding="utf-8")
    table = open_table(path)
    assert (table.header_row, table.headers, rows(table)) == (1, ("Imię", "Nazwisko"), [])


def test_a_chosen_encoding_overrides_detection(tmp_path):
    path = tmp_path / "lista.csv"
    path.write_bytes("Miasto\nGorzów\nŁódź\n".encode("cp1250"))
    assert open_table(path).encoding == "cp1250"
    assert column(open_table(path, encoding="cp1252"), "Miasto") == ["Gorzów", "£ódŸ"]
    message = refused(path, encoding="utf-8")
    assert "utf-8" in message and "row 2" in message


# --- Spreadsheets ----------------------------------------------------------------------

def german_workbook(path: Path) -> None:
    """A German office's member list: an empty first sheet, a title above the header, a
    postal code Excel made a number, a NIP and a phone typed as numbers, a real date."""
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet("Hinweise")
    sheet = workbook.add_worksheet("Mitglieder")
    sheet.write_row(0, 0, ["Mitgliederliste Netzwerk Lausitz"])
    sheet.write_row(2, 0, ["Vorname", "Nachname", "Firma", "USt-IdNr.", "PLZ", "Ort",
                           "Telefon", "Beitritt", "NIP", "Aktiv"])
    sheet.write_row(3, 0, ["Jörg", "Müller", "Müller & Söhne GmbH", "DE811907980", 3046,
                           "Cottbus", 4935512345678.0, None, 5261040828.0, True])
    sheet.write_datetime(3, 7, dt.datetime(2024, 3, 1),
                         workbook.add_format({"num_format": "dd.mm.yyyy"}))
    sheet.write_row(5, 0, ["Änne", "Groß", "Straßenbau AG", "DE12345", "03046", "Görlitz"])
    workbook.add_worksheet("Leer")
    workbook.close()


def test_german_xlsx_with_numbers_excel_made_of_postal_codes_and_tax_numbers(tmp_path):
    path = tmp_path / "mitglieder.xlsx"
    german_workbook(path)
    table = open_table(path)
    assert (table.format, table.encoding, table.separator) == ("xlsx", None, None)
    assert table.sheets == ("Hinweise", "Mitglieder", "Leer")
    assert table.sheet == "Mitglieder", "the first sheet that holds anything"
    assert table.header_row == 3
    assert table.headers[:5] == ("Vorname", "Nachname", "Firma", "USt-IdNr.", "PLZ")
    read = rows(table)
    assert [number for number, _ in read] == [4, 6]
    joerg = dict(zip(table.headers, read[0][1], strict=True))
    assert joerg["Beitritt"] == dt.date(2024, 3, 1)
    assert joerg["Aktiv"] is True
    assert cell_value(joerg["PLZ"], "postal_code", country="DE") == "03046"
    assert cell_value(joerg["NIP"], "nip") == "5261040828"
    assert cell_value(joerg["Telefon"], "phone", country="DE") == "4935512345678"
    assert cell_value(joerg["Beitritt"], "date") == dt.date(2024, 3, 1)
    assert dict(zip(table.headers, read[1][1], strict=True))["PLZ"] == "03046"


def test_times_of_day_and_durations_come_as_text(tmp_path):
    """Cell has no time of day or duration: calamine's time and timedelta become text."""
    path = tmp_path / "termine.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Termine")
    sheet.write_row(0, 0, ["Beginn", "Dauer"])
    sheet.write_datetime(1, 0, dt.time(10, 30), workbook.add_format({"num_format": "hh:mm"}))
    sheet.write_datetime(1, 1, dt.timedelta(hours=30),
                         workbook.add_format({"num_format": "[h]:mm"}))
    workbook.close()
    assert rows(open_table(path)) == [(2, ("10:30:00", "1 day, 6:00:00"))]


def test_columns_of_a_sheet_are_named_by_their_letters(tmp_path):
    """calamine's rows begin at the first column used: an empty header of column E is
    "Column E", and a cell too long is told by its letter."""
    path = tmp_path / "spalten.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(2, 2, ["Vorname", "Nachname", None, "Ort"])
    sheet.write_row(3, 2, ["Jörg", "Müller", "x", "Cottbus"])
    workbook.close()
    assert open_table(path).headers == ("Vorname", "Nachname", "Column E", "Ort")
    long = tmp_path / "lang.ods"  # XlsxWriter writes no cell longer than Excel's limit
    ods_file(long, {"Tabelle1": [[None, None, "Vorname", "Nachname", None, "Ort"]] * 3 + [
        [None, None, "Anna", "Schulz", "y" * (MAX_CELL_CHARS + 1)]]})
    assert "row 4, column E" in refused(long)


def test_a_sheet_is_chosen_by_name_and_an_unknown_one_is_refused_with_the_sheets(tmp_path):
    path = tmp_path / "mitglieder.xlsx"
    german_workbook(path)
    assert open_table(path, sheet="Mitglieder").header_row == 3
    message = refused(path, sheet="Tabelle1")
    assert "Tabelle1" in message and "Hinweise, Mitglieder, Leer" in message
    assert "empty" in refused(path, sheet="Leer")


def ods_file(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    """An OpenDocument spreadsheet as LibreOffice writes one, cut to what calamine reads."""
    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value='
                    f'"{value.isoformat()}"><text:p>{value:%d.%m.%Y}</text:p></table:table-cell>')
        if isinstance(value, int | float):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
                "</text:p></table:table-cell>")
    tables = "".join(
        f'<table:table table:name="{escape(name)}">' + "".join(
            "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>"
            for row in table_rows) + "</table:table>" for name, table_rows in sheets.items())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def test_ods_spreadsheet(tmp_path):
    path = tmp_path / "czlonkowie.dat"  # told by its content, not its name
    ods_file(path, {"Arkusz1": [], "Członkowie": [
        ["Lista członków 2026"],
        [None],
        ["Imię", "Nazwisko", "Kod pocztowy", "Data przystąpienia", "NIP"],
        ["Łukasz", "Żółć", 66400, dt.date(2025, 5, 6), 5261040828],
        [None, None, None],
        ["Anna", "Nowak", "69-100", None, None],
    ]})
    table = open_table(path)
    assert (table.format, table.sheets, table.sheet) == ("ods", ("Arkusz1", "Członkowie"),
                                                         "Członkowie")
    assert (table.header_row, table.headers[0], table.headers[3]) == (3, "Imię",
                                                                      "Data przystąpienia")
    read = rows(table)
    assert [number for number, _ in read] == [4, 6]
    assert read[0][1][:2] == ("Łukasz", "Żółć")
    assert cell_value(read[0][1][2], "postal_code", country="PL") == "66400"
    assert cell_value(read[0][1][3], "date") == dt.date(2025, 5, 6)
    assert cell_value(read[0][1][4], "nip") == "5261040828"
    assert read[1][1] == ("Anna", "Nowak", "69-100", None, None)


# --- vCard -----------------------------------------------------------------------------

def test_vcard_2_1_quoted_printable_as_outlook_and_thunderbird_write_it(tmp_path):
    """UTF-8 and windows-1250 quoted-printable, a soft line break, 2.1's bare TYPE words."""
    path = tmp_path / "kontakty.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BB=C3=B3=C5=82=C4=87;=C5=81ukasz;;"
        b"dr;\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:dr =C5=81ukasz =C5=BB=C3=B3=C5=82=C4=87\r\n"
        b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zak=C5=82ad =C5=9Alusarski, Gorz=C3=B3w;"
        b"Biuro\r\n"
        b"TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Kierownik, w=C5=82a=C5=9Bciciel\r\n"
        b"TEL;WORK;VOICE:+48 95 720 00 00\r\nTEL;CELL:+48 601 234 567\r\n"
        b"ADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;ul. D=C5=82uga 1, lok. 2;"
        b"Gorz=C3=B3w Wielkopolski;;66-400;Polska\r\n"
        b"EMAIL;PREF;INTERNET:lukasz@example.pl\r\n"
        b"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Pierwsza linia=0D=0Adruga, bardzo d=\r\n"
        b"=C5=82uga linia\r\n"
        b"PHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n  /9j/4AAQSkZJRgABAQAAAQABAAD\r\n  AAAAA\r\n\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=WINDOWS-1250;ENCODING=QUOTED-PRINTABLE:=8Cwi=EAtochowska;=8Fdzis=B3awa\r\n"
        b"TEL;HOME;VOICE:68 123 45 67\r\n"
        b"TITLE;CHARSET=klingon:Kierownik\r\nORG;CHARSET=rot13:W\xc4\x85ski & Syn\r\n"
        b"URL;CHARSET=x\x00y:example.pl\r\n"
        b"END:VCARD\r\n")
    table = open_table(path)
    assert (table.format, table.header_row, table.headers) == ("vcf", 0, VCARD_HEADERS)
    (first_number, first), (second_number, second) = rows(table)
    card = dict(zip(VCARD_HEADERS, first, strict=True))
    assert first_number == 1 and second_number == 2, "rows are numbered by card"
    assert (card["First name"], card["Last name"], card["Title"]) == ("Łukasz", "Żółć", "dr")
    assert card["Function"] == "Kierownik, właściciel"
    assert card["Organisation"] == "Zakład Ślusarski, Gorzów"
    assert (card["Phone"], card["Mobile phone"]) == ("+48 95 720 00 00", "+48 601 234 567")
    assert (card["Street"], card["Postal code"], card["City"], card["Country"]) == (
        "ul. Długa 1, lok. 2", "66-400", "Gorzów Wielkopolski", "Polska")
    assert card["E-mail"] == "lukasz@example.pl"
    assert card["Notes"] == "Pierwsza linia\ndruga, bardzo długa linia"
    assert second[:2] == ("Ździsława", "Świętochowska")
    assert second[3:5] == ("Kierownik", "Wąski & Syn"), "unknown CHARSETs: the file's"
    assert second[6:8] == ("68 123 45 67", None)


def test_vcard_2_1_in_the_windows_code_page_without_charset(tmp_path):
    """Outlook on a Polish Windows writes plain 2.1 lines in cp1250: the file's detected
    encoding reads them; a chosen one overrides it."""
    path = tmp_path / "outlook.vcf"
    path.write_bytes("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Żółć;Łukasz\r\nORG:Zakład Ślusarski\r\n"
                     "END:VCARD\r\n".encode("cp1250"))
    table = open_table(path)
    assert table.encoding == "cp1250"
    assert rows(table)[0][1][:5] == ("Łukasz", "Żółć", None, None, "Zakład Ślusarski")
    assert rows(open_table(path, encoding="cp1252"))[0][1][1] == "¯ó³æ"
    assert "card 1" in refused(path, encoding="utf-8")


def test_vcard_3_0_and_4_0(tmp_path):
    path = tmp_path / "adressbuch.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Jörg;;Dr.;\r\nFN:Dr. Jörg Müller\r\n"
        "ORG:Müller & Söhne GmbH;Vertrieb\r\nTITLE:Geschäftsführer\\, Inhaber\r\n"
        "ROLE:ignored\r\nTEL;TYPE=CELL:+49 171 1234567\r\nTEL;TYPE=WORK,VOICE:+49 355 12345\r\n"
        "EMAIL;TYPE=INTERNET:joerg@example.de\r\nADR;TYPE=WORK:;;Hauptstraße 5;Cottbus;;"
        "03046;Deutschland\r\nURL:https://example.de\r\nNOTE:Lange Notiz\\, die über eine\r\n"
        "  Zeile hinausgeht\r\nUID:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna Schulz\r\nN:;;;;\r\n"
        'TEL;VALUE=uri;TYPE="cell,voice":tel:+49-151-2345678\r\n'
        "TEL;VALUE=uri;TYPE=work;PREF=1:tel:+49-335-98765\r\n"
        "item1.EMAIL;TYPE=work:anna@example.de\r\nEND:VCARD\r\n", encoding="utf-8")
    (one, first), (two, second) = rows(open_table(path))
    joerg = dict(zip(VCARD_HEADERS, first, strict=True))
    assert (one, joerg["First name"], joerg["Last name"], joerg["Title"]) == (
        1, "Jörg", "Müller", "Dr.")
    assert (joerg["Function"], joerg["Organisation"]) == ("Geschäftsführer, Inhaber",
                                                          "Müller & Söhne GmbH")
    assert (joerg["Phone"], joerg["Mobile phone"]) == ("+49 355 12345", "+49 171 1234567")
    assert (joerg["Street"], joerg["Postal code"], joerg["City"]) == ("Hauptstraße 5", "03046",
                                                                       "Cottbus")
    assert joerg["Notes"] == "Lange Notiz, die über eine Zeile hinausgeht"
    assert joerg["UID"] == "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    anna = dict(zip(VCARD_HEADERS, second, strict=True))
    assert (two, anna["First name"], anna["Last name"]) == (2, "Anna", "Schulz"), "from FN"
    assert (anna["Phone"], anna["Mobile phone"]) == ("+49-335-98765", "+49-151-2345678")
    assert anna["E-mail"] == "anna@example.de"


def test_vcard_in_utf_16(tmp_path):
    """Some Windows tools write address books in UTF-16 with a BOM."""
    path = tmp_path / "kontakty.vcf"
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Żółć;Łukasz\r\nTEL;TYPE=CELL:601\r\nEND:VCARD\r\n"
    path.write_bytes((card * 2).encode("utf-16"))
    table = open_table(path)
    assert (table.format, table.encoding) == ("vcf", "utf-16")
    assert [(n, cells[:2], cells[7]) for n, cells in rows(table)] == [
        (1, ("Łukasz", "Żółć"), "601"), (2, ("Łukasz", "Żółć"), "601")]
    path.write_bytes(card.encode("utf-16") + "BEGIN:VCARD\r\n".encode("utf-16-le")
                     + b"\x00\xd8\r\x00\n\x00")  # a lone surrogate in card 2
    assert "is not utf-16 text" in refused(path)


def test_a_malformed_card_is_refused_with_its_number(tmp_path):
    path = tmp_path / "kontakty.vcf"
    good = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nowak;Anna\r\nEND:VCARD\r\n"
    path.write_text(good + good + "BEGIN:VCARD\r\nVERSION:3.0\r\nN Nowak\r\nEND:VCARD\r\n",
                    encoding="utf-8")
    assert open_table(path).headers == VCARD_HEADERS, "the first cards are fine"
    assert "card 3" in refused(path)
    path.write_text(good + "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Kowal;Jan\r\n", encoding="utf-8")
    assert "card 2" in refused(path), "a card without its END"
    path.write_text("BEGIN:VCARD\r\nEND:VCARD\r\n", encoding="utf-8")
    assert rows(open_table(path)) == [], "a card with nothing in it is an empty row"


CARD_TEXT = st.text("abcXYZ09 .-@=ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüß,;:\"'", max_size=40)


def escaped(text: str) -> str:
    """vCard 3.0's escapes."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def quoted_printable(text: str, charset: str) -> str:
    """As Outlook writes it: line breaks as =0D=0A, soft line breaks at 76 characters."""
    return binascii.b2a_qp(text.encode(charset), quotetabs=True, istext=False).decode(
        "ascii").replace("=\n", "=\r\n")


@settings(max_examples=60, deadline=None)
@given(name=st.tuples(CARD_TEXT, CARD_TEXT).filter(lambda n: n[0].strip() or n[1].strip()),
       function=CARD_TEXT, org=CARD_TEXT, city=CARD_TEXT,
       note=st.text("abc ąęß,;:\n", max_size=120), version=st.sampled_from(["2.1", "3.0"]),
       charset=st.sampled_from(["utf-8", "cp1250"]))
def test_any_card_reads_back(tmp_path_factory, name, function, org, city, note, version,
                             charset):
    """Names, function, organisation, city and notes with commas, semicolons, colons and
    line breaks come back as written: 3.0 escaped, 2.1 quoted-printable in UTF-8 or
    windows-1250 (where ";" is escaped in the structured values only)."""
    first, last = name
    if version == "2.1":
        def value(text: str, structured: bool = False) -> str:
            return quoted_printable(text.replace(";", "\\;") if structured else text,
                                    charset)
        params = f";CHARSET={charset};ENCODING=QUOTED-PRINTABLE:"
        note = note.replace("\n", "\r\n")
    else:
        def value(text: str, structured: bool = False) -> str:
            return escaped(text)
        params, charset = ":", "utf-8"
    try:
        "".join((first, last, function, org, city, note)).encode(charset)
    except UnicodeEncodeError:
        return
    path = tmp_path_factory.mktemp("vcf") / "card.vcf"
    path.write_bytes((
        f"BEGIN:VCARD\r\nVERSION:{version}\r\n"
        f"N{params}{value(last, True)};{value(first, True)};;;\r\n"
        f"TITLE{params}{value(function)}\r\nORG{params}{value(org, True)}\r\n"
        f"NOTE{params}{value(note)}\r\nADR{params};;;{value(city, True)};;;\r\n"
        "END:VCARD\r\n").encode("utf-8" if version == "3.0" else "ascii"))
    assert [number for number, _ in rows(open_table(path))] == [1]
    ((_, cells),) = rows(open_table(path))
    assert cells[:2] == (first.strip() or None, last.strip() or None)
    assert (cells[3], cells[4]) == (function.strip() or None, org.strip() or None)
    assert (cells[10], cells[13]) == (city.strip() or None,
                                      note.replace("\r\n", "\n").strip() or None)


# --- Bad input -------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00"
       b"\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
       b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages"
       b" /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize(("name", "content"), [
    ("obraz.png", PNG), ("obraz.csv", PNG), ("umowa.pdf", PDF), ("umowa.csv", PDF),
    ("leer.csv", b""), ("binary.csv", bytes(range(256)) * 4),
    ("no-nul.csv", bytes(range(1, 256)) * 40),
    ("nul.csv", b"Name;City\nAnna\x00;Cottbus\n"),
    ("damaged.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000),
    ("text.xlsx", b"Name;City\nAnna;Cottbus\n"),
])
def test_files_that_are_not_tables_are_refused(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    refused(path)


def test_an_xlsx_with_a_password_to_open_it_is_refused_as_such(tmp_path):
    """Excel keeps such a file encrypted in an OLE2 container, in an EncryptedPackage."""
    path = tmp_path / "geheim.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                     + "EncryptedPackage".encode("utf-16-le") + bytes(3000))
    assert "password" in refused(path)


def test_a_chart_sheet_before_the_data_is_passed_over(tmp_path):
    path = tmp_path / "wykres.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    chartsheet = workbook.add_chartsheet("Wykres")
    sheet = workbook.add_worksheet("Dane")
    sheet.write_row(0, 0, ["Miasto", "Członkowie"])
    sheet.write_row(1, 0, ["Gorzów Wielkopolski", 3])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "=Dane!$B$2:$B$2"})
    chartsheet.set_chart(chart)
    workbook.close()
    table = open_table(path)
    assert (table.sheets, table.sheet) == (("Wykres", "Dane"), "Dane")
    assert rows(table) == [(2, ("Gorzów Wielkopolski", 3.0))]


def test_an_xls_on_which_calamine_panics_is_refused_in_one_line(tmp_path, capfd):
    """calamine 0.37 panics on this cut XLS (a slice out of bounds in its OLE2 reader):
    refused like any damaged file, and Rust's panic note does not reach stderr."""
    path = tmp_path / "cut.xls"
    path.write_bytes(XLS_FILE.read_bytes()[:4500])
    assert "damaged" in refused(path)
    assert capfd.readouterr().err == ""


@pytest.fixture(scope="module")
def good_files(tmp_path_factory) -> list[bytes]:
    """One good file of each format, for the damage below."""
    folder = tmp_path_factory.mktemp("good")
    german_workbook(folder / "a.xlsx")
    ods_file(folder / "a.ods", {"Arkusz1": [["Imię", "Data"], ["Łukasz", dt.date(2025, 5, 6)]]})
    vcard = (b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
             b"=C5=BB=C3=B3=C5=82=C4=87;Jan\r\nTEL;CELL:601\r\nEND:VCARD\r\n")
    csv_text = semicolon_csv(POLISH_ROWS).encode("cp1250")
    return [(folder / "a.xlsx").read_bytes(), (folder / "a.ods").read_bytes(),
            XLS_FILE.read_bytes(), vcard, csv_text]


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_files_are_read_or_refused_in_one_line(tmp_path_factory, good_files, capfd,
                                                        data):
    """Bytes overwritten or cut anywhere in a good file: it is read, or refused with a
    TableFileError and nothing else on stderr (not a Rust panic's note)."""
    content = bytearray(data.draw(st.sampled_from(good_files), label="file"))
    for position, chunk in data.draw(st.lists(st.tuples(
            st.integers(0, len(content) - 1), st.binary(max_size=8)), max_size=4),
            label="overwritten"):
        content[position:position + len(chunk)] = chunk
    content = content[:data.draw(st.integers(1, len(content)), label="cut at")]
    path = tmp_path_factory.mktemp("damaged") / ("file" + data.draw(
        st.sampled_from([".xlsx", ".xls", ".ods", ".vcf", ".csv"]), label="suffix"))
    path.write_bytes(bytes(content))
    capfd.readouterr()
    try:
        rows(open_table(path))
    except TableFileError as error:
        assert "\n" not in str(error)
    assert capfd.readouterr().err == ""


def test_a_word_document_and_a_truncated_xlsx_are_refused(tmp_path):
    path = tmp_path / "umowa.docx"
    docx(path)
    assert "not a table" in refused(path)
    content = bytearray(path.read_bytes())
    directory = content.index(b"PK\x01\x02")
    content[directory + 6:directory + 8] = struct.pack("<H", 64)  # needs unzip version 6.4
    future = tmp_path / "future.xlsx"
    future.write_bytes(bytes(content))
    assert "damaged" in refused(future), "zipfile's NotImplementedError"
    workbook = tmp_path / "mitglieder.xlsx"
    german_workbook(workbook)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(workbook.read_bytes()[:3000])
    assert "damaged" in refused(cut)


def test_nul_bytes_after_the_first_megabyte_are_refused_while_reading(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(b"Name;City\n" + b"Anna;Cottbus\n" * 100_000 + b"Ewa\x00;Guben\n")
    table = open_table(path)
    assert "not a table" in refused(path) and table.headers == ("Name", "City")


def test_too_many_columns_and_too_long_cells_are_refused(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text("A;B\n" + ";".join(["x"] * 10_000) + "\n", encoding="utf-8")
    message = refused(wide)
    assert "row 2" in message and "10000" in message and str(MAX_COLUMNS) in message
    long = tmp_path / "long.csv"
    long.write_text("A;B\nx;" + "y" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    assert "row 2, column 2" in refused(long)
    fits = tmp_path / "fits.csv"
    fits.write_text("A;B\nx;" + "y" * MAX_CELL_CHARS + "\n", encoding="utf-8")
    assert len(rows(open_table(fits))[0][1][1]) == MAX_CELL_CHARS, "the limit itself fits"


def test_a_line_too_long_to_be_a_row_is_refused_before_it_fills_the_memory(tmp_path):
    path = tmp_path / "one-line.csv"
    path.write_bytes(b"A;B\n" + b"x;" * (3 * 2**20))
    tracemalloc.start()
    try:
        assert "line longer" in refused(path)
        assert tracemalloc.get_traced_memory()[1] < 40 * 2**20
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_unpacked(tmp_path):
    """A gigabyte of zeros packs into about a megabyte; it is refused by its directory."""
    path = tmp_path / "mitglieder.xlsx"
    megabyte = bytes(2**20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(1000):
                member.write(megabyte)
    assert path.stat().st_size < 5 * 2**20
    tracemalloc.start()
    try:
        assert "zip bomb" in refused(path)
        assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    finally:
        tracemalloc.stop()


def lying_zip(path: Path, name: str, inflated: int) -> None:
    """A zip whose one member inflates to ``inflated`` bytes of zeros while its headers
    state 1000 (and a CRC to match nothing): written by hand, as zipfile writes true ones."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    megabyte = bytes(2**20)
    packed = b"".join(deflate.compress(megabyte) for _ in range(inflated >> 20))
    packed += deflate.flush()
    encoded = name.encode()
    stated = struct.pack("<IIIHH", 0, len(packed), 1000, len(encoded), 0)
    local = struct.pack("<4sHHHHH", b"PK\x03\x04", 20, 0, 8, 0, 0) + stated + encoded
    central = (struct.pack("<4sHHHHHH", b"PK\x01\x02", 20, 20, 0, 8, 0, 0) + stated
               + struct.pack("<HHHII", 0, 0, 0, 0, 0) + encoded)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(packed), 0)
    path.write_bytes(local + packed + central + end)


def test_a_zip_bomb_whose_headers_understate_its_size_is_refused(tmp_path):
    """The real inflated size is measured (in bounded memory), not the stated one."""
    path = tmp_path / "mitglieder.xlsx"
    lying_zip(path, "xl/worksheets/sheet1.xml", 600 * 2**20)
    with zipfile.ZipFile(path) as archive:
        assert archive.infolist()[0].file_size == 1000, "the directory states 1000 bytes"
    tracemalloc.start()
    try:
        assert "zip bomb" in refused(path)
        assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    finally:
        tracemalloc.stop()
    small = tmp_path / "small.xlsx"
    lying_zip(small, "xl/worksheets/sheet1.xml", 2**20)
    assert "damaged" in refused(small), "a lie within the limit: calamine finds it broken"


def test_an_unknown_encoding_is_refused(tmp_path):
    path = tmp_path / "lista.csv"
    path.write_text("A;B\n1;2\n", encoding="utf-8")
    message = refused(path, encoding="klingon-1")
    assert "klingon-1" in message and ", ".join(ENCODINGS) in message
    assert "rot13" in refused(path, encoding="rot13"), "a codec, but not of text"


def test_a_spreadsheet_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "riesig.xls"
    with path.open("wb") as file:
        file.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk is filled
    assert "too large" in refused(path)


def test_refusals_are_translated(tmp_path, polish):
    path = tmp_path / "obraz.csv"
    path.write_bytes(PNG)
    assert "nie jest tabelą" in refused(path)


def test_a_large_csv_is_read_row_by_row_in_bounded_memory(tmp_path):
    """50 MB of CSV read to its end keeps under 20 MB (streamed, never read whole)."""
    path = tmp_path / "duzy.csv"
    row = ";".join(["Łukasz Żółć z Gorzowa Wielkopolskiego"] * 25) + "\r\n"
    block = (row * 1000).encode("cp1250")
    with path.open("wb") as file:
        file.write(";".join(f"Kolumna {n}" for n in range(25)).encode() + b"\r\n")
        while file.tell() < 50 * 2**20:
            file.write(block)
    tracemalloc.start()
    try:
        table = open_table(path)
        count = sum(1 for _ in table.rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.encoding == "cp1250" and count > 50_000
    assert peak < 20 * 2**20, f"peak {peak >> 20} MB"


# --- Encoding detection ----------------------------------------------------------------

WORDS = ["Łódź", "Gdańsk", "Żółć", "źdźbło", "Świętokrzyskie", "gęś", "Kraków", "zażółć",
         "ŹRÓDŁO", "Ćma", "Ślązak", "pająk", "Łąka", "Jabłoń", "Müller", "Straße", "Größe",
         "Äpfel", "Übersee", "Öl", "Köln", "Gießen", "Düsseldorf", "Cottbus", "Guben",
         "Frankfurt", "Słubice", "Zielona", "Góra", "członek", "klaster", "und", "i"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
       code_page=st.sampled_from(ENCODINGS))
def test_detected_encoding_reads_polish_and_german_words_back(words, code_page):
    text = " ".join(words)
    try:
        data = text.encode(code_page)
    except UnicodeEncodeError:  # Polish letters have no place in cp1252
        assert code_page == "cp1252"
        return
    assert data.decode(detect_encoding(data)) == text


def test_detection_of_boms_and_utf_8_cut_inside_a_letter():
    assert detect_encoding(codecs.BOM_UTF8 + b"x") == "utf-8-sig"
    assert detect_encoding("Żółć".encode("utf-16")) == "utf-16"
    assert detect_encoding(b"plain ascii") == "utf-8"
    assert detect_encoding("Łukasz Żółć".encode()[:-1]) == "utf-8", "a sample cut mid-letter"
    assert detect_encoding("Straße".encode("cp1252")) == "cp1252"


@pytest.mark.parametrize("text", ["DÓŁ", "GÓŁKA Sp. j.", "ÄŚ", "ÖŹ;ÜŻ"])
def test_a_code_page_that_happens_to_be_utf_8_is_read_as_its_letters(text):
    """Polish and German capitals in cp1250 that form valid UTF-8 (of Cyrillic, Czech,
    Armenian letters): read as the code page's letters, not as those."""
    assert detect_encoding(text.encode("cp1250")) == "cp1250"


@pytest.mark.parametrize("text", ["Łódź", "Čapek – Praha", "Café", "Zürich € 5"])
def test_utf_8_with_polish_german_or_other_letters_stays_utf_8(text):
    assert detect_encoding(text.encode()) == "utf-8"


LETTERS = "abcxyzABCXYZ0123 .-@" + "äöüßÄÖÜ"
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_table_a_csv_writer_writes_reads_back(tmp_path_factory, data):
    """Whatever the encoding, separator and line end, with quotes and line breaks in the
    cells, the rows come back as written (empty cells as None, empty rows left out)."""
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    separator = data.draw(st.sampled_from([",", ";", "\t"]), label="separator")
    alphabet = LETTERS + ("" if encoding == "cp1252" else POLISH_LETTERS) \
        + separator + '"\r\n'
    width = data.draw(st.integers(1, 6), label="width")
    headers = [f"Spalte{n} kolumna" for n in range(width)]
    body = data.draw(st.lists(st.lists(st.text(alphabet, max_size=12), min_size=width,
                                       max_size=width), max_size=15), label="rows")
    # The writer quotes a cell with a line break only where the break is in its own line
    # end: so "\r\n" quoting what needs it, or any line end quoting every cell.
    line_end, quoting = data.draw(st.sampled_from([
        ("\r\n", csv.QUOTE_MINIMAL), ("\r\n", csv.QUOTE_ALL), ("\n", csv.QUOTE_ALL),
        ("\r", csv.QUOTE_ALL)]), label="line end and quoting")
    path = tmp_path_factory.mktemp("csv") / "table.csv"
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file, delimiter=separator, lineterminator=line_end,
                   quoting=quoting).writerows([headers, *body])
    table = open_table(path)
    assert table.headers == tuple(headers) and table.header_row == 1
    expected = [(number, tuple(cell or None for cell in row))
                for number, row in enumerate(body, start=2)
                if any(cell.strip() for cell in row)]
    assert rows(table) == expected


# --- Cell values -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "country", "expected"), [
    (None, "text", None, None), ("  ", "email", None, None), ("", "date", None, None),
    ("  Anna ", "text", None, "Anna"),
    (5261040828.0, "nip", None, "5261040828"),
    (48601234567.0, "phone", "PL", "48601234567"),
    (4935512345678.0, "phone", "DE", "4935512345678"),
    (12345678901234567.0, "text", None, "12345678901234568"),  # the float's own digits
    (1e20, "regon", None, "100000000000000000000"),
    (3046, "postal_code", "DE", "03046"), (3046.0, "postal_code", "DE", "03046"),
    (66400.0, "postal_code", "PL", "66400"), (5800, "postal_code", "PL", "05800"),
    (3046, "postal_code", "XX", "3046"), ("3046", "postal_code", "DE", "3046"),
    (12.5, "text", None, "12.5"), (0.1, "longtext", None, "0.1"),
    (dt.date(2024, 3, 1), "date", None, dt.date(2024, 3, 1)),
    (dt.datetime(2024, 3, 1, 10, 30), "date", None, dt.date(2024, 3, 1)),
    (45352, "date", None, dt.date(2024, 3, 1)), (45352.75, "date", None, dt.date(2024, 3, 1)),
    (61, "date", None, dt.date(1900, 3, 1)),
    ("1.3.24", "date", None, dt.date(2024, 3, 1)), ("01.03.24", "date", None, dt.date(2024, 3, 1)),
    ("1.3.85", "date", None, dt.date(1985, 3, 1)),
    ("01.03.2024", "date", None, "01.03.2024"), ("2024-03-01", "date", None, "2024-03-01"),
    ("2024-03-01 00:00:00", "date", None, "2024-03-01"), ("31.02.24", "date", None, "31.02.24"),
    ("next year", "date", None, "next year"), (-5, "date", None, "-5"),
    (dt.datetime(2024, 3, 1, 10, 30), "datetime", None, dt.datetime(2024, 3, 1, 10, 30)),
    (45352.4375, "datetime", None, dt.datetime(2024, 3, 1, 10, 30)),
    ("1.3.24 10:30", "datetime", None, dt.datetime(2024, 3, 1, 10, 30)),
    (dt.date(2024, 3, 1), "datetime", None, "2024-03-01"),
    (True, "bool", None, True), (1.0, "bool", None, "1"), ("tak", "bool", None, "tak"),
    (12.0, "int", None, 12), (12, "int", None, 12), (12.5, "int", None, "12.5"),
    (12.5, "money", None, Decimal("12.5")), (0.1, "money", None, Decimal("0.1")),
    (7, "money", None, Decimal(7)), (float("nan"), "money", None, "nan"),
    (float("inf"), "int", None, "inf"),
    (dt.datetime(2024, 3, 1, 10, 30), "text", None, "2024-03-01 10:30"),
    (True, "text", None, "1"), ("a, b", "list", None, "a, b"),
])
def test_cell_value(value, kind, country, expected):
    result = cell_value(value, kind, country=country)
    assert result == expected and type(result) is type(expected)


KINDS = ["text", "longtext", "postal_code", "nip", "regon", "krs", "vat_id", "register",
         "phone", "email", "url", "date", "datetime", "int", "bool", "money", "enum", "list",
         "enum_list"]
ANY_CELL = st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.booleans(),
                     st.dates(), st.datetimes(), st.from_regex(r"\d{1,2}\.\d{1,2}\.\d{2}"))


@settings(max_examples=300, deadline=None)
@given(value=ANY_CELL, kind=st.sampled_from(KINDS),
       country=st.sampled_from([None, "PL", "DE", "XX"]))
def test_cell_value_never_raises(value, kind, country):
    """Odd input comes back as something the cleaning takes or refuses in words."""
    result = cell_value(value, kind, country=country)
    assert result is None or isinstance(result, str | int | bool | Decimal | dt.date)


@pytest.mark.parametrize(("entity", "field", "value", "country", "stored"), [
    ("organisation", "postal_code", 3046.0, "DE", "03046"),
    ("organisation", "postal_code", 66400.0, "PL", "66-400"),
    ("organisation", "nip", 5261040828.0, "PL", "5261040828"),
    ("contact", "phone", 48601234567.0, "PL", "+48601234567"),
    ("contact", "consent_on", 45352.0, None, dt.date(2024, 3, 1)),
    ("contact", "consent_on", "1.3.24", None, dt.date(2024, 3, 1)),
])
def test_cell_values_pass_the_field_cleaning(entity, field, value, country, stored):
    """What cell_value gives is what the forms' own cleaning accepts and stores."""
    spec = field_map(entity)[field]
    cleaning = Cleaning(country=country, ensure_ref=lambda spec, value: value)
    converted = cell_value(value, spec.kind, country=country)
    assert kind_of(spec.kind).clean(converted, spec, cleaning) == stored


# Excel 97-2003: no writer of it is installed, so a file made once with xlwt 1.3.0 (a title
# in A1, the header in row 3 from column B, a numeric postal code, a NIP as a float, a
# formatted date, an empty first sheet "Puste").
XLS_FILE = Path(__file__).parent / "data" / "czlonkowie.xls"


def test_xls_spreadsheet(tmp_path):
    path = tmp_path / "członkowie.xls"
    path.write_bytes(XLS_FILE.read_bytes())
    table = open_table(path)
    assert (table.format, table.sheets, table.sheet) == ("xls", ("Puste", "Członkowie"),
                                                         "Członkowie")
    assert table.header_row == 3
    assert table.headers == ("Column A", "Imię", "Nazwisko", "Kod pocztowy", "NIP", "Data")
    (four, first), (six, second) = rows(table)
    assert (four, six) == (4, 6)
    assert first[1:3] == ("Łukasz", "Żółć") and first[5] == dt.date(2025, 5, 6)
    assert cell_value(first[3], "postal_code", country="PL") == "66400"
    assert cell_value(first[4], "nip") == "5261040828"
    assert second == (None, "Anna", "Nowak", "69-100", None, None)
