"""Spreadsheets imported as a person brings them from Excel: ``euregionet import``."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from table_samples import POLISH_CSV
from test_cli import cli, run


def ok(data_dir: Path, *args: str | Path) -> str:
    """A command that must succeed, run in this process (the import's tests run many);
    its stdout."""
    printed = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(printed):
        assert cli(data_dir, *args) == 0
    printed.flush()
    return printed.buffer.getvalue().decode("utf-8")


@pytest.fixture
def profile(tmp_path) -> Path:
    data_dir = tmp_path / "LOP"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    return data_dir


def polish_csv(tmp_path: Path) -> Path:
    path = tmp_path / "członkowie.csv"
    path.write_bytes(POLISH_CSV.encode("cp1250"))
    return path


def listed(data_dir: Path, entity: str) -> list[dict]:
    return json.loads(ok(data_dir, "list", entity, "--json"))


def test_polish_csv_imports_the_valid_rows_with_skip_invalid(tmp_path, profile, capsys):
    path = polish_csv(tmp_path)
    report = tmp_path / "odrzucone.xlsx"
    assert cli(profile, "import", path, "--type", "contact", "--skip-invalid",
               "--report", report) == 0
    out = capsys.readouterr().out
    assert "Row 4, column “E-mail”" in out
    assert "Row 5: skipped as a duplicate of row 2 of this file" in out
    assert "created 2" in out and "refused 1" in out
    contacts = {c["last_name"]: c for c in listed(profile, "contact")}
    assert set(contacts) == {"Żółkiewski", "Częścik"}
    assert contacts["Żółkiewski"]["first_name"] == "Łukasz"
    assert contacts["Żółkiewski"]["function"] == "Kierownik działu"
    assert contacts["Żółkiewski"]["phone"] == "+48957201234"
    organisations = listed(profile, "organisation")
    assert [(o["name"], o["city"], o["nip"], o["postal_code"], o["country"])
            for o in organisations] == [("Przedsiębiorstwo Łąka Sp. z o.o.",
                                         "Gorzów Wielkopolski", "5260250274", "66-400", "PL")]
    assert {c["organisation_id"] for c in contacts.values()} == {organisations[0]["id"]}
    # The refused row, with its error and row number, in a file to fix and import again.
    sheet = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert len(sheet) == 2
    assert sheet[0][2:] == POLISH_CSV.splitlines()[0].split(";")
    assert sheet[1][0].startswith("E-mail: “jan.wisniewski@@laka” is not a valid e-mail")
    assert int(sheet[1][1]) == 4
    assert sheet[1][2:4] == ["Jan", "Wiśniewski"]


def test_without_skip_invalid_nothing_is_written_and_dry_run_says_the_same(
        tmp_path, profile, capsys):
    path = polish_csv(tmp_path)
    before = ok(profile, "dump")
    assert cli(profile, "import", path, "--type", "contact") == 1
    refused = capsys.readouterr()
    assert "Row 4, column “E-mail”" in refused.out
    assert "nothing was imported" in refused.err
    assert ok(profile, "dump") == before
    assert cli(profile, "import", path, "--type", "contact", "--dry-run") == 0
    dry = capsys.readouterr().out
    assert "Row 4, column “E-mail”" in dry
    assert "would create 2" in dry and "Nothing was written" in dry
    assert ok(profile, "dump") == before


def test_german_xlsx_with_a_numeric_postal_code(tmp_path, profile, capsys):
    path = tmp_path / "Mitglieder.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Mitglieder")
    sheet.write_row(0, 0, ["Vorname", "Nachname", "Firma", "USt-IdNr.", "E-Mail", "Telefon",
                           "Ort", "PLZ", "Funktion"])
    sheet.write_row(1, 0, ["Jürgen", "Weiß", "Lausitzer Straßenbau GmbH", "DE136695976",
                           "j.weiss@lsb.de", "0355 4912345", "Cottbus"])
    sheet.write_number(1, 7, 3046)  # Excel made the postal code 03046 a number
    sheet.write_string(1, 8, "Geschäftsführer")
    sheet.write_row(2, 0, ["Käthe", "Groß", "Spreewald Öko e.V.", "DE123456789",
                           "k.gross@oeko.de", "", "Lübbenau"])
    sheet.write_number(2, 7, 3222)
    book.close()
    assert cli(profile, "import", path, "--type", "contact", "--skip-invalid") == 0
    out = capsys.readouterr().out
    assert "Row 3, column “USt-IdNr.”" in out
    [contact] = listed(profile, "contact")
    assert (contact["first_name"], contact["last_name"], contact["function"]) == (
        "Jürgen", "Weiß", "Geschäftsführer")
    [organisation] = listed(profile, "organisation")
    assert (organisation["name"], organisation["postal_code"], organisation["country"],
            organisation["vat_id"]) == ("Lausitzer Straßenbau GmbH", "03046", "DE",
                                        "DE136695976")
    assert contact["phone"] == "+493554912345"


def test_importing_the_same_file_again_changes_nothing(tmp_path, profile, capsys):
    path = polish_csv(tmp_path)
    assert cli(profile, "import", path, "--type", "contact", "--skip-invalid") == 0
    first = ok(profile, "dump")
    capsys.readouterr()
    assert cli(profile, "import", path, "--type", "contact", "--skip-invalid") == 0
    out = capsys.readouterr().out
    assert "created 0" in out and "skipped 3" in out
    assert ok(profile, "dump") == first
    # With --on-duplicate update the same values change nothing either.
    assert cli(profile, "import", path, "--type", "contact", "--skip-invalid",
               "--on-duplicate", "update") == 0
    assert ok(profile, "dump") == first


def test_the_import_travels_to_a_partner_office(tmp_path, profile):
    bic = tmp_path / "BIC"
    ok(bic, "init", "--office", "BIC", "--advisor", "Bernd Schulz")
    for data_dir, code in ((bic, "BIC"), (profile, "LOP")):
        ok(data_dir, "keys", "export", "-o", str(tmp_path / f"{code}.json"))
    ok(bic, "keys", "trust", str(tmp_path / "LOP.json"), "--yes")
    ok(profile, "keys", "trust", str(tmp_path / "BIC.json"), "--yes")
    assert cli(profile, "import", polish_csv(tmp_path), "--type", "contact",
               "--skip-invalid") == 0
    bundle = tmp_path / "lop-to-bic.eurnet"
    ok(profile, "bundle", "export", "--to", "BIC", "-o", str(bundle))
    ok(bic, "bundle", "import", str(bundle))
    assert sorted(c["last_name"] for c in listed(bic, "contact")) == ["Częścik", "Żółkiewski"]
    assert [o["nip"] for o in listed(bic, "organisation")] == ["5260250274"]


def test_a_mapping_file_and_notes_for_unmapped_columns(tmp_path, profile, capsys):
    path = tmp_path / "crm.csv"
    path.write_text("Kontakt-Nr,Vorname,Name,Firma,Interessen\n"
                    "K-17,Anke,Schröder,Oderland Holz GmbH,Holzbau; Export\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Vorname": "first_name", "Name": "last_name",
                                   "Firma": "organisation.name", "Kontakt-Nr": "@notes",
                                   "Interessen": "@notes"}), encoding="utf-8")
    assert cli(profile, "import", path, "--type", "contact", "--mapping", mapping) == 0
    [contact] = listed(profile, "contact")
    assert contact["last_name"] == "Schröder"
    assert contact["notes"] == "Kontakt-Nr: K-17\nInteressen: Holzbau; Export"
    capsys.readouterr()
    # The mapping is remembered for the next file with the same headers.
    again = tmp_path / "crm-2.csv"
    again.write_text("Kontakt-Nr,Vorname,Name,Firma,Interessen\n"
                     "K-18,Uwe,Lehmann,Oderland Holz GmbH,\n", encoding="utf-8")
    assert cli(profile, "import", again, "--type", "contact") == 0
    names = {c["last_name"]: c for c in listed(profile, "contact")}
    assert names["Lehmann"]["notes"] == "Kontakt-Nr: K-18"
    assert len(listed(profile, "organisation")) == 1


def test_organisations_clusters_and_memberships(tmp_path, profile, capsys):
    clusters = tmp_path / "klastry.csv"
    clusters.write_text("Nazwa;Nazwa niemiecka;Kraj;Region\n"
                        "Lubuski Klaster Metalowy;Lebuser Metallcluster;Polska;Lubuskie\n",
                        encoding="utf-8-sig")
    assert cli(profile, "import", clusters, "--type", "cluster") == 0
    [cluster] = listed(profile, "cluster")
    assert (cluster["name_pl"], cluster["name_de"], cluster["country"]) == (
        "Lubuski Klaster Metalowy", "Lebuser Metallcluster", "PL")
    members = tmp_path / "czlonkowie.csv"
    members.write_text("Klaster;Firma;NIP;Miasto;Data przystąpienia\n"
                       "Lubuski Klaster Metalowy;Metal-Gorzów S.A.;5993023456;Gorzów;3.4.19\n"
                       "Lebuser Metallcluster;Przedsiębiorstwo Łąka;5260250274;Zielona Góra;"
                       "2020-01-15\n"
                       "Klaster Nieistniejący;Metal-Gorzów S.A.;5993023456;Gorzów;\n",
                       encoding="utf-8")
    assert cli(profile, "import", members, "--type", "membership", "--skip-invalid") == 0
    out = capsys.readouterr().out
    assert "Row 4, column “Klaster”: There is no cluster named “Klaster Nieistniejący”" in out
    memberships = listed(profile, "membership")
    assert len(memberships) == 2
    assert sorted(str(m["joined_on"]) for m in memberships) == ["2019-04-03", "2020-01-15"]
    assert len(listed(profile, "organisation")) == 2
    before = ok(profile, "dump")
    assert cli(profile, "import", members, "--type", "membership", "--skip-invalid") == 0
    assert ok(profile, "dump") == before


def test_participants_of_one_event(tmp_path, profile, capsys):
    event = ok(profile, "add", "event", "kind=cluster_congress", "title_pl=Kongres Klastrów",
               "starts_on=2026-11-20").strip()
    contact = ok(profile, "add", "contact", "first_name=Ewa", "last_name=Zając",
                 "email=ewa.zajac@example.pl").strip()
    path = tmp_path / "rejestracja.csv"
    path.write_text("Imię,Nazwisko,E-mail,Firma\n"
                    "Ewa,Zając,EWA.ZAJAC@example.pl,UZ\n"
                    "Tomasz,Król,t.krol@example.pl,Lubuski Klaster Metalowy\n",
                    encoding="utf-8")
    assert cli(profile, "import", path, "--type", "participant") == 1
    assert "--event" in capsys.readouterr().err
    assert cli(profile, "import", path, "--type", "participant", "--event", event) == 0
    participants = {p["name"]: p for p in listed(profile, "participant")}
    assert set(participants) == {"Ewa Zając", "Tomasz Król"}
    assert participants["Ewa Zając"]["contact_id"] == contact
    assert participants["Tomasz Król"]["organisation_name"] == "Lubuski Klaster Metalowy"


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "table"),
    (b"Name;Vorname\nA\x00B;C\n", "NUL"),
])
def test_a_file_that_is_no_table_is_refused_in_one_line(tmp_path, profile, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = ok(profile, "dump")
    result = run(profile, "--lang", "en", "import", str(path), "--type", "contact")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert ok(profile, "dump") == before


def test_a_wrong_mapping_is_refused(tmp_path, profile, capsys):
    path = polish_csv(tmp_path)
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"Imię": "shoe_size"}), encoding="utf-8")
    assert cli(profile, "import", path, "--type", "contact", "--mapping", mapping) == 1
    assert "shoe_size" in capsys.readouterr().err
    mapping.write_text("[1, 2]", encoding="utf-8")
    assert cli(profile, "import", path, "--type", "contact", "--mapping", mapping) == 1
    assert "JSON object" in capsys.readouterr().err


# As Thunderbird and old Outlook write an address book: vCard 2.1, quoted-printable UTF-8.
VCARD_21 = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BB=C3=B3=C5=82kiewski;=C5=81ukasz;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=81ukasz =C5=BB=C3=B3=C5=82kiewski\r\n"
    "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Przedsi=C4=99biorstwo =C5=81=C4=85ka\r\n"
    "TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Kierownik dzia=C5=82u\r\n"
    "EMAIL;INTERNET:l.zolkiewski@laka.pl\r\nTEL;WORK:+48 95 720 12 34\r\n"
    "TEL;CELL:+48 601 234 567\r\nEND:VCARD\r\n"
)
VCARD_40 = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Käthe Groß\r\nN:Groß;Käthe;;;\r\n"
    "ORG:Spreewald Öko e.V.\r\nEMAIL;TYPE=work:k.gross@oeko.de\r\n"
    "TEL;TYPE=\"cell,voice\";VALUE=uri:tel:+49-171-2345678\r\n"
    "ADR;TYPE=work:;;Hauptstraße 1;Lübbenau;;03222;Deutschland\r\nEND:VCARD\r\n"
)


def test_address_books_import_with_their_names(tmp_path, profile, capsys):
    old = tmp_path / "adresy.vcf"
    old.write_bytes(VCARD_21.encode("ascii"))
    new = tmp_path / "kontakte.vcf"
    new.write_text(VCARD_40, encoding="utf-8")
    assert cli(profile, "import", old, "--type", "contact") == 0
    assert cli(profile, "import", new, "--type", "contact") == 0
    contacts = {c["last_name"]: c for c in listed(profile, "contact")}
    assert set(contacts) == {"Żółkiewski", "Groß"}
    assert (contacts["Żółkiewski"]["first_name"], contacts["Żółkiewski"]["function"],
            contacts["Żółkiewski"]["mobile"]) == ("Łukasz", "Kierownik działu", "+48601234567")
    assert contacts["Groß"]["first_name"] == "Käthe"
    assert contacts["Groß"]["mobile"] == "+491712345678"
    organisations = {o["name"]: o for o in listed(profile, "organisation")}
    assert set(organisations) == {"Przedsiębiorstwo Łąka", "Spreewald Öko e.V."}
    oeko = organisations["Spreewald Öko e.V."]
    assert (oeko["city"], oeko["postal_code"], oeko["country"]) == ("Lübbenau", "03222", "DE")
    # The same cards again: duplicates, nothing changes.
    before = ok(profile, "dump")
    assert cli(profile, "import", old, "--type", "contact") == 0
    assert ok(profile, "dump") == before


def test_the_whole_import_is_one_undo_step(tmp_path, core):
    from euregionet_desktop.services import records, table_import, undo

    path = polish_csv(tmp_path)
    info = table_import.inspect_file(path=path, kind="contact",
                                     mappings_file=core.profile.import_mappings)
    assert info.encoding == "cp1250" and info.separator == ";"
    assert info.sample[0] == (2, tuple(POLISH_CSV.splitlines()[1].split(";")))
    assert info.mapping["Imię"] == "first_name"
    assert info.mapping["NIP firmy"] == "organisation.nip"
    assert info.mapping["Kod pocztowy"] == "organisation.postal_code"
    assert info.mapping["Stanowisko"] == "function"
    assert not info.remembered
    preview = core.backend.preview(table_import.import_table, path=path, kind="contact",
                                   limit=200, refuse_errors=False)
    assert [o.action for o in preview.outcomes] == ["create", "create", "error", "skip"]
    assert core.backend.read(records.list_ids, entity="contact") == []
    report = core.backend.run(table_import.import_table, path=path, kind="contact",
                              skip_invalid=True)
    assert report.created == 2 and report.organisations_created == 1
    assert report.changes.entities == {"contact", "organisation"}
    assert len(core.backend.read(records.list_ids, entity="contact")) == 2
    core.backend.run(undo.undo, step=report.changes.undo)
    assert core.backend.read(records.list_ids, entity="contact") == []
    assert core.backend.read(records.list_ids, entity="organisation") == []
    core.backend.run(undo.redo, step=report.changes.undo)
    assert len(core.backend.read(records.list_ids, entity="contact")) == 2


def test_json_report_for_scripts(tmp_path, profile, capsys):
    path = polish_csv(tmp_path)
    assert cli(profile, "import", path, "--type", "contact", "--dry-run", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["created"], report["skipped"], report["refused"],
            report["written"]) == (4, 2, 1, 1, False)
    [refused] = [o for o in report["outcomes"] if o["action"] == "error"]
    assert refused["row"] == 4 and refused["problems"][0]["column"] == "E-mail"
    [skipped] = [o for o in report["outcomes"] if o["action"] == "skip"]
    assert skipped["row"] == 5 and skipped["reason"] == "the same e-mail address"
    assert listed(profile, "contact") == []


def test_a_german_firm_in_a_polish_office_list_is_known_by_its_phone(tmp_path, profile):
    path = tmp_path / "targi.csv"
    path.write_text("Imię;Nazwisko;Firma;Miasto;Kod pocztowy;Telefon\n"
                    "Jörg;Müller;Oder Holz GmbH;Frankfurt (Oder);15230;0335 123456\n"
                    "Anna;Lis;Lis i Syn;Słubice;69100;95 758 12 34\n", encoding="utf-8")
    assert cli(profile, "import", path, "--type", "contact") == 0
    organisations = {o["name"]: o for o in listed(profile, "organisation")}
    assert (organisations["Oder Holz GmbH"]["country"],
            organisations["Oder Holz GmbH"]["postal_code"]) == ("DE", "15230")
    assert (organisations["Lis i Syn"]["country"],
            organisations["Lis i Syn"]["postal_code"]) == ("PL", "69-100")
    phones = {c["last_name"]: c["phone"] for c in listed(profile, "contact")}
    assert phones == {"Müller": "+49335123456", "Lis": "+48957581234"}
