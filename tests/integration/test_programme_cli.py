"""``programme show|set`` driven as a person would, and the programme's settings travelling
to a partner office in a real bundle (issue 20, points 2 and 5)."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from euregionet_desktop.domain import programme
from tests.images import png
from tests.integration.test_cli import ok_here as ok
from tests.integration.test_cli import one_line_error
from tests.integration.test_cli import run_here as run

STATEMENT_2014_PL = programme.PERIOD_WORDINGS["2014-2020"].cofinancing_pl


def _show(data_dir: Path) -> dict:
    return json.loads(ok(data_dir, "programme", "show", "--json"))


def _integrity(data_dir: Path) -> str:
    connection = sqlite3.connect(data_dir / "euregionet.sqlite3")
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def _document(data_dir: Path, out: Path, kind: str = "directory", record: str | None = None,
              language: str = "pl") -> Document:
    ok(data_dir, "doc", kind, *([record] if record else []), "--lang", language, "-o", str(out))
    return Document(io.BytesIO(out.read_bytes()))


def _all_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for section in document.sections:
        for block in (section.header, section.footer, section.first_page_header,
                      section.first_page_footer):
            parts += [p.text for p in block.paragraphs]
            parts += [c.text for t in block.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _pictures(document: Document) -> int:
    section = document.sections[0]
    return len(section.header._element.findall(".//" + qn("w:drawing")))


def test_show_set_defaults_and_fields(tmp_path):
    """Seeded with the 2014–2020 wording; set changes what is given; a new period keeps the
    typed wording unless --defaults asks for the period's; ``fields`` lists the keys."""
    office = tmp_path / "lop"
    ok(office, "init", "--office", "LOP")
    seeded = _show(office)
    assert seeded["period"] == "2014-2020"
    assert seeded["programme_name_pl"] == "Interreg V A Brandenburgia–Polska 2014–2020"
    assert seeded["programme_name_de"] == "Interreg V A Brandenburg–Polen 2014–2020"
    assert seeded["cofinancing_pl"] == STATEMENT_2014_PL
    assert seeded["slogan_de"] == "Wir überschreiten Grenzen. Programme für Bürger."
    assert seeded["logos"] == {"eu-emblem": None, "programme-logo": None}

    text = ok(office, "programme", "set", "project_number=85030045",
              "cofinancing_pl=Projekt współfinansowany przez UE (EFRR).")
    assert "85030045" in text and "Projekt współfinansowany przez UE (EFRR)." in text
    # A new period alone changes no wording a person typed.
    changed = _show(office) | {}
    ok(office, "programme", "set", "period=2021–2027")
    now = _show(office)
    assert now["period"] == "2021-2027"
    assert now["cofinancing_pl"] == "Projekt współfinansowany przez UE (EFRR)."
    assert {k: v for k, v in now.items() if k != "period"} == \
        {k: v for k, v in changed.items() if k != "period"}
    # Asked, the period's wording replaces it, except what is given on the same line.
    ok(office, "programme", "set", "--defaults", "slogan_pl=Razem ponad granicami")
    now = _show(office)
    assert now["programme_name_de"] == "Interreg VI A Brandenburg–Polen 2021–2027"
    assert now["cofinancing_pl"] == "Współfinansowane przez Unię Europejską"
    assert now["cofinancing_de"] == "Kofinanziert von der Europäischen Union"
    assert now["slogan_pl"] == "Razem ponad granicami" and now["slogan_de"] is None
    assert now["project_number"] == "85030045"  # not the period's wording: kept

    keys = [line.split()[0] for line in ok(office, "fields", "programme").splitlines()]
    for key in ("period", "programme_name_pl", "cofinancing_de", "slogan_pl",
                "project_number", "eu_emblem_id", "programme_logo_id"):
        assert key in keys


def test_refusals_change_nothing(tmp_path):
    """Each refused ``programme set`` says why in one line, exits non-zero and leaves the
    profile as it was; the positive controls prove the refusals are for the reason named."""
    office = tmp_path / "lop"
    ok(office, "init", "--office", "LOP")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a picture", encoding="utf-8")
    logo = tmp_path / "emblem.png"
    logo.write_bytes(png(30, 20))
    before = ok(office, "dump")
    cases = [
        (("programme", "set", "colour=blue"), "Unknown programme setting “colour”"),
        (("programme", "set", "period=1999"), "Unknown programming period “1999”"),
        (("programme", "set", "period_start=31.02.2020"), ""),
        (("programme", "set", "cofinancing_pl=Nowe", "--logo", f"eu-emblem={tmp_path / 'no.png'}"),
         "does not exist"),
        (("programme", "set", "--logo", f"eu-emblem={text_file}"),
         "is not an image a document can show"),
        (("programme", "set", "--logo", f"flag={logo}"), "Unknown logo “flag”"),
        (("programme", "set", "project_number"), "Expected FIELD=VALUE"),
        (("programme", "set"), "Nothing to change"),
        (("add", "programme", "project_number=1"), "cannot be changed by hand"),
        (("delete", "programme", programme.PROGRAMME_ID), "cannot be changed by hand"),
    ]
    for args, expected in cases:
        line = one_line_error(run(office, *args))
        assert expected in line, (args, line)
        assert ok(office, "dump") == before, args
    assert _integrity(office) == "ok"
    # Positive controls: the same commands with good values succeed.
    ok(office, "programme", "set", "period=2014-2020", "period_start=2017-04-01")
    ok(office, "programme", "set", "cofinancing_pl=Nowe", "--logo", f"eu-emblem={logo}")
    shown = _show(office)
    assert shown["cofinancing_pl"] == "Nowe"
    assert shown["logos"]["eu-emblem"]["file_name"] == "emblem.png"
    ok(office, "programme", "set", "--logo", "eu-emblem=")
    assert _show(office)["logos"]["eu-emblem"] is None


def _partners(tmp_path: Path) -> tuple[Path, Path]:
    lop, cit = tmp_path / "lop", tmp_path / "cit"
    ok(lop, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(cit, "init", "--office", "CIT", "--advisor", "Jens Schulz")
    ok(lop, "keys", "export", "-o", str(tmp_path / "lop.json"))
    ok(cit, "keys", "export", "-o", str(tmp_path / "cit.json"))
    ok(cit, "keys", "trust", str(tmp_path / "lop.json"), "--yes")
    ok(lop, "keys", "trust", str(tmp_path / "cit.json"), "--yes")
    return lop, cit


def test_settings_and_logos_travel_to_a_partner_and_its_next_document(tmp_path):
    """LOP changes the statement and sets both logos; CIT imports the bundle: its settings
    show them and the next document it makes prints the statement and both pictures. CIT's
    own seeded values never win: a bundle back changes nothing at LOP, and a slogan CIT
    edits meanwhile merges with LOP's statement without a conflict."""
    lop, cit = _partners(tmp_path)
    emblem, logo = tmp_path / "ue.png", tmp_path / "interreg.png"
    emblem.write_bytes(png(60, 40))
    logo.write_bytes(png(150, 40, (0, 110, 60)))
    ok(lop, "programme", "set", "cofinancing_pl=Współfinansowane przez UE – wersja LOP",
       "cofinancing_de=Kofinanziert von der EU – Fassung LOP",
       "--logo", f"eu-emblem={emblem}", "--logo", f"programme-logo={logo}")
    # CIT edits another field meanwhile (its seeded statement stays unwritten).
    ok(cit, "programme", "set", "slogan_pl=Hasło CIT")
    document = _document(cit, tmp_path / "before.docx")
    assert STATEMENT_2014_PL in _all_text(document) and _pictures(document) == 0

    ok(lop, "bundle", "export", "--to", "CIT", "-o", str(tmp_path / "lop-1.zip"))
    assert "changes applied" in ok(cit, "bundle", "import", str(tmp_path / "lop-1.zip"))
    shown = _show(cit)
    assert shown["cofinancing_pl"] == "Współfinansowane przez UE – wersja LOP"
    assert shown["slogan_pl"] == "Hasło CIT"
    assert shown["logos"]["eu-emblem"]["file_name"] == "ue.png"
    assert shown["logos"]["programme-logo"]["file_name"] == "interreg.png"
    for language, statement in (("pl", "Współfinansowane przez UE – wersja LOP"),
                                ("de", "Kofinanziert von der EU – Fassung LOP")):
        document = _document(cit, tmp_path / f"after.{language}.docx", language=language)
        text = _all_text(document)
        assert statement in text and STATEMENT_2014_PL not in text
        assert _pictures(document) == 2  # the emblem and the logo, at equal height
        extents = {(e.get("cy")) for e in document.sections[0].header._element.iter(
            qn("wp:extent"))}
        assert len(extents) == 1, extents
    assert "conflict" not in ok(cit, "show", "programme", programme.PROGRAMME_ID).lower()

    # Back to LOP: CIT's slogan arrives, LOP's statement stays (no seeded value wins).
    ok(cit, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "cit-1.zip"))
    ok(lop, "bundle", "import", str(tmp_path / "cit-1.zip"))
    back = _show(lop)
    assert back["cofinancing_pl"] == "Współfinansowane przez UE – wersja LOP"
    assert back["slogan_pl"] == "Hasło CIT"
    assert ok(lop, "dump") == ok(cit, "dump")


def test_a_partner_set_up_after_the_edit_shows_it(tmp_path):
    """An office set up after LOP's edit seeds the same record with the old wording; the
    bundle's edit wins over the seeded value there too."""
    lop = tmp_path / "lop"
    ok(lop, "init", "--office", "LOP")
    ok(lop, "programme", "set", "cofinancing_de=Neuer Hinweis")
    ok(lop, "keys", "export", "-o", str(tmp_path / "lop.json"))
    snb = tmp_path / "snb"
    ok(snb, "init", "--office", "SNB")
    ok(snb, "keys", "trust", str(tmp_path / "lop.json"), "--yes")
    ok(snb, "keys", "export", "-o", str(tmp_path / "snb.json"))
    ok(lop, "keys", "trust", str(tmp_path / "snb.json"), "--yes")
    ok(lop, "bundle", "export", "--to", "SNB", "-o", str(tmp_path / "b.zip"))
    ok(snb, "bundle", "import", str(tmp_path / "b.zip"))
    assert _show(snb)["cofinancing_de"] == "Neuer Hinweis"
    document = _document(snb, tmp_path / "d.docx", language="de")
    assert "Neuer Hinweis" in _all_text(document)
