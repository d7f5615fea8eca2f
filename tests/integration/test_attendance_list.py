"""The attendance list as a programme officer prints it: columns, notice, order, tick boxes.

Made through the real CLI (``doc attendance``) on a real profile and read with python-docx.
"""

from __future__ import annotations

import pytest
from docx import Document

from tests.integration.test_cli import ok_here as ok

TICK_BOX = "\u2610"

# Column headings of the participants' table in each language of the document.
HEADINGS = {
    "pl": ["Lp.", "Imię i nazwisko", "Organizacja", "Kraj", "E-mail", "Podpis",
           "Zgoda na zdjęcia"],
    "de": ["Nr.", "Vor- und Nachname", "Organisation", "Land", "E-Mail", "Unterschrift",
           "Einwilligung zu Fotos"],
}
# Surname order: Ö sorts as O, Ś after S, Ź and Ż after Z (Ź before Ż); Müller before
# Öztürk; a walk-in typed as "Anna Zawada" sorts under Zawada, not under Anna.
ORDER = ["Jürgen Müller", "Ömer Öztürk", "Łukasz Ślęzak", "Anna Zawada", "Żaneta Źrebiec",
         "Zbigniew Żak"]
NOTICE = {"pl": "Ochrona danych osobowych (RODO): administratorem",
          "de": "Datenschutzhinweis (DSGVO): Verantwortlicher"}
COUNTRY = {"pl": ("Polska", "Niemcy"), "de": ("Polen", "Deutschland")}


@pytest.fixture(scope="module")
def event(tmp_path_factory):
    """A profile with an event of the office CIT and its participants, most of them in
    an order that neither first names nor plain code points would give."""
    data_dir = tmp_path_factory.mktemp("attendance") / "p"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    offices = dict(reversed(line.split(None, 1)) for line in
                   ok(data_dir, "list", "office").splitlines() if "  " in line)
    cit = offices["Centrum für Innovation und Technologie GmbH"]

    def add(entity: str, *values: str) -> str:
        return ok(data_dir, "add", entity, *values).strip()

    polish = add("organisation", "name=Metal Sp. z o.o.", "country=PL")
    german = add("organisation", "name=Stahl GmbH", "country=DE")
    cluster = add("cluster", "name_pl=Lubuski Klaster Metalowy", "name_de=Lebuser Metallcluster",
                  "country=PL")
    event_id = add("event", "kind=kickoff", "title_pl=Forum klastrów", "title_de=Clusterforum",
                   "starts_on=2026-05-21", "start_time=09:30", "end_time=15:45",
                   "place=Zielona Góra, ul. Przemysłowa 5",
                   "venue_address=ul. Wiejska 5, 65-001 Zielona Góra",
                   f"office_id={cit}", f"cluster_id={cluster}")
    for first, last, organisation, email in [
            ("Żaneta", "Źrebiec", polish, "z.zrebiec@metal.pl"),
            ("Łukasz", "Ślęzak", polish, "l.slezak@metal.pl"),
            ("Jürgen", "Müller", german, "mueller@stahl.de"),
            ("Ömer", "Öztürk", german, "oeztuerk@stahl.de"),
            ("Zbigniew", "Żak", polish, "z.zak@metal.pl")]:
        contact = add("contact", f"first_name={first}", f"last_name={last}",
                      f"organisation_id={organisation}", f"email={email}")
        # Consent given in the database is not printed: the participant ticks the box.
        add("participant", f"event_id={event_id}", f"contact_id={contact}",
            "photo_consent=true")
    add("participant", f"event_id={event_id}", "name=Anna Zawada", "organisation_name=Urząd")
    return data_dir, event_id


def _generate(event, tmp_path, language: str):
    data_dir, event_id = event
    output = tmp_path / f"attendance.{language}.docx"
    ok(data_dir, "doc", "attendance", event_id, "--lang", language, "-o", str(output))
    return Document(str(output))


@pytest.mark.parametrize("language", ["pl", "de", "pl+de"])
def test_attendance_list_columns_order_notice_and_tick_boxes(event, tmp_path, language):
    document = _generate(event, tmp_path, language)
    table = document.tables[-1]
    languages = language.split("+")
    header = [cell.text.split("\n") for cell in table.rows[0].cells]
    assert header == [list(dict.fromkeys(HEADINGS[code][column] for code in languages))
                      for column in range(7)]

    rows = table.rows[1:]
    names = [row.cells[1].text for row in rows if row.cells[1].text]
    assert names == ORDER
    assert [row.cells[0].text for row in rows[:len(ORDER)]] == [
        str(n) for n in range(1, len(ORDER) + 1)]
    assert len(rows) == len(ORDER) + 5  # blank rows for walk-ins
    assert all(not row.cells[1].text for row in rows[len(ORDER):])
    # The consent column holds an empty box in every row, walk-ins included.
    assert [row.cells[6].text for row in rows] == [TICK_BOX] * len(rows)

    by_name = {row.cells[1].text: row for row in rows}
    # The country in the document's language (both, one under the other, side by side).
    assert by_name["Łukasz Ślęzak"].cells[3].text == "\n".join(
        COUNTRY[code][0] for code in languages)
    assert by_name["Jürgen Müller"].cells[3].text == "\n".join(
        COUNTRY[code][1] for code in languages)
    assert by_name["Jürgen Müller"].cells[4].text == "mueller@stahl.de"
    assert by_name["Anna Zawada"].cells[2].text == "Urząd"

    paragraphs = [p.text for p in document.paragraphs]
    for code in languages:
        notice = [p for p in paragraphs if p.startswith(NOTICE[code])]
        assert len(notice) == 1, (code, paragraphs)
        # The controller is the office that organises the event, named in the notice.
        assert "Centrum für Innovation und Technologie GmbH" in notice[0]
    for code in {"pl", "de"} - set(languages):
        assert not [p for p in paragraphs if p.startswith(NOTICE[code])]

    facts = "\n".join(cell.text for t in document.tables[:-1] for row in t.rows
                      for cell in row.cells)
    # The day and the time from – to, in one cell; the place and the venue's address.
    assert "21.05.2026, 09:30–15:45" in facts
    assert "Zielona Góra, ul. Przemysłowa 5" in facts
    assert "ul. Wiejska 5, 65-001 Zielona Góra" in facts
    # The cluster's cell filled with its name as registered (a Polish cluster's Polish
    # name) and the German name in brackets, in every language: a proper name.
    assert facts.count("Lubuski Klaster Metalowy (Lebuser Metallcluster)") == 1
    # The event's title under the document's title, in its language.
    titles = {"pl": "Forum klastrów", "de": "Clusterforum"}
    subtitles = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert subtitles == [titles[code] for code in languages]
    # No programme settings yet: no line of the programme's identity, and no stray dash.
    assert not [p for p in paragraphs if p.startswith("EuRegioNet –")]


def test_a_german_list_of_an_event_without_a_german_title_prints_the_polish_one_marked(
        event, tmp_path):
    """title_pl is required, title_de is not: the German list shows the Polish title with
    its language marked, never an empty title."""
    data_dir, _event_id = event
    event_id = ok(data_dir, "add", "event", "kind=workshop", "title_pl=Dzień otwarty",
                  "starts_on=2026-06-02", "start_time=10:00").strip()
    output = tmp_path / "attendance.de.docx"
    ok(data_dir, "doc", "attendance", event_id, "--lang", "de", "-o", str(output))
    document = Document(str(output))
    subtitles = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert len(subtitles) == 1 and "[PL] Dzień otwarty" in subtitles[0]
    facts = "\n".join(cell.text for t in document.tables[:-1] for row in t.rows
                      for cell in row.cells)
    assert "02.06.2026, 10:00" in facts  # a start time without an end time
