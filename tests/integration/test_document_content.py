"""What the consultation protocol, the evaluation report and the attendance list say, read
back with python-docx in pl, de and pl+de: text kept in both languages (the other side
marked where one is missing), agreements, next meeting, "prepared by", the scoring scale,
the event's time and venue."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from euregionet_desktop.documents.marks import END, START
from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import documents, records
from euregionet_desktop.services.profile import initialise, open_profile, profile_info

LANGUAGES = ("pl", "de", "pl+de")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A LOP profile with a consultation (German subject and outcomes, Polish-only summary,
    two agreements, a next meeting), an evaluation and an event; each generated in the
    three languages."""
    root = tmp_path_factory.mktemp("content")
    core = open_profile(Profile(root / "profile"), purpose="pytest")
    core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
    me = core.backend.read(profile_info).advisor_id

    def add(entity: str, **values) -> str:
        return core.backend.run(records.create, entity=entity, values=values).record_id

    cluster = add("cluster", name_pl="Lubuski Klaster Metalowy",
                  name_de="Lebuser Metallcluster", country="PL")
    consultation = add(
        "consultation", held_at="2026-03-10 09:15", advisor_id=me, cluster_id=cluster,
        subject="Strategia eksportowa", subject_de="Exportstrategie",
        summary="Omówiono plany eksportowe.",
        outcomes="Uzgodniono plan szkoleń.", outcomes_de="Schulungsplan vereinbart.",
        next_meeting_at="2026-04-21 13:30")
    add("task", title="Przygotować ankietę", consultation_id=consultation, assignee_id=me,
        due_on="2026-03-31")
    add("task", title="Zaprosić uczelnię", consultation_id=consultation, assignee_id=me,
        due_on="2026-04-15", done=True)
    evaluation = add("evaluation", cluster_id=cluster, evaluated_on="2026-02-02",
                     scores={"structure.members": 3}, recommendations_pl="Więcej szkoleń.")
    event = add("event", kind="kickoff", title_pl="Forum klastrów", starts_on="2026-05-21",
                start_time="09:30", end_time="15:45", place="Zielona Góra",
                venue_address="ul. Wiejska 5, 65-001 Zielona Góra", cluster_id=cluster)
    ids = {"consultation": consultation, "evaluation": evaluation, "attendance": event}
    worker = RenderWorker()
    files = {}
    try:
        for kind, record_id in ids.items():
            for language in LANGUAGES:
                path = root / f"{kind}.{language}.docx"
                core.backend.run(documents.generate_document, profile=core.profile,
                                 kind=kind, record_id=record_id, language=language,
                                 output=path, worker=worker)
                files[(kind, language)] = Document(str(path))
    finally:
        worker.close()
        core.close()
    return files


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows
            for cell in row.cells]


def _text(document) -> str:
    return "\n".join(_paragraphs(document) + _cells(document))


def _table_with(document, heading: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text.startswith(heading)
                or heading in t.rows[0].cells[1].text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consultation_protocol_in_the_documents_language(made, language):
    """Subject and outcomes in the document's language, the summary (Polish only) marked
    in a German protocol; agreements, next meeting and "prepared by" in every language."""
    document = made[("consultation", language)]
    text = _text(document)
    subtitles = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    if language == "pl":
        assert subtitles == ["Strategia eksportowa"]
        assert "Uzgodniono plan szkoleń." in text and "Schulungsplan" not in text
        assert "Omówiono plany eksportowe." in text and "[PL]" not in text
        assert "Ustalenia" in text and "Vereinbarungen" not in text
    elif language == "de":
        assert subtitles == ["Exportstrategie"]
        assert "Schulungsplan vereinbart." in text and "Uzgodniono" not in text
        # A German protocol of a Polish-only summary: the Polish, marked as Polish.
        summary = [p for p in document.paragraphs if "Omówiono plany eksportowe." in p.text]
        assert len(summary) == 1 and START not in text
        assert summary[0].text == "[PL] Omówiono plany eksportowe."
        # Its run is tagged Polish for the spell checker, in the second-language style.
        (run,) = [r for r in summary[0].runs if "Omówiono" in r.text]
        assert run._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "pl-PL"
        assert run.style.name == "Second language"
        assert "Vereinbarungen" in text and "Ustalenia" not in text
    else:  # side by side: both sides as entered, no marks
        assert subtitles == ["Strategia eksportowa", "Exportstrategie"]
        assert "Uzgodniono plan szkoleń." in text and "Schulungsplan vereinbart." in text
        assert START not in text
        assert "Ustalenia / Vereinbarungen" in text

    agreements = next(t for t in document.tables
                      if "Przygotować ankietę" in "".join(c.text for c in t.columns[1].cells))
    header = [cell.text.split("\n") for cell in agreements.rows[0].cells]
    due = {"pl": "Termin", "de": "Fälligkeitsdatum"}
    assert header[3] == [due[code] for code in language.split("+")]
    rows = [[cell.text for cell in row.cells] for row in agreements.rows[1:]]
    assert [row[:4] for row in rows] == [
        ["1", "Przygotować ankietę", "Anna Nowak", "31.03.2026"],
        ["2", "Zaprosić uczelnię", "Anna Nowak", "15.04.2026"]]
    done = {"pl": ("nie", "tak"), "de": ("nein", "ja")}
    assert [row[4] for row in rows] == ["\n".join(done[code][n] for code in language.split("+"))
                                        for n in (0, 1)]

    next_meeting = {"pl": "Następne spotkanie", "de": "Nächstes Treffen"}
    line = [p for p in _paragraphs(document) if "21.04.2026, 13:30" in p]
    assert len(line) == 1
    for code in language.split("+"):
        assert next_meeting[code] in line[0]
    prepared = {"pl": "Sporządził(a)", "de": "Erstellt von"}
    facts = document.tables[0]
    row = next(r for r in facts.rows if prepared[language[:2]] in r.cells[0].text)
    assert row.cells[1].text == "Anna Nowak, Lubuska Organizacja Pracodawców"
    # Signed by the advisor and for the cluster.
    signatures = document.tables[-1]
    columns = ["\n".join(cell.text for cell in column.cells) for column in signatures.columns]
    assert "Anna Nowak" in columns[0]
    assert "Lubuski Klaster Metalowy" in columns[-1] or "Lebuser Metallcluster" in columns[-1]


def test_a_consultation_without_a_next_meeting_prints_no_line_for_it(tmp_path):
    """Next meeting not set: no label with nothing after it."""
    core = open_profile(Profile(tmp_path / "profile"), purpose="pytest")
    try:
        core.backend.run(initialise, office="BIC", advisor_name="Jörg Müller")
        consultation = core.backend.run(records.create, entity="consultation", values={
            "held_at": "2026-03-10 09:15", "subject": "Beratung"}).record_id
        output = tmp_path / "c.de.docx"
        core.backend.run(documents.generate_document, profile=core.profile,
                         kind="consultation", record_id=consultation, language="de",
                         output=output)
    finally:
        core.close()
    text = _text(Document(str(output)))
    assert "Nächstes Treffen" not in text
    assert "Zusammenfassung" not in text  # no heading over an empty summary
    assert "Vereinbarungen" not in text  # nor over no agreements


SCALE = {"pl": ["brak", "w pełni rozwinięty: wzór dla innych klastrów"],
         "de": ["nicht vorhanden", "voll entwickelt: ein Vorbild für andere Cluster"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_report_explains_the_scale_and_keeps_its_labels_whole(made, language):
    """The scale 0–4 with its meanings in the document's language; the score column is
    headed "Bewertung" and the facts say "Fragebogen" (short enough not to break)."""
    document = made[("evaluation", language)]
    codes = language.split("+")
    scale = next(t for t in document.tables if t.rows[1].cells[0].text == "0")
    assert [row.cells[0].text for row in scale.rows[1:]] == ["0", "1", "2", "3", "4"]
    assert scale.rows[1].cells[1].text == "\n".join(SCALE[code][0] for code in codes)
    assert scale.rows[5].cells[1].text == "\n".join(SCALE[code][1] for code in codes)
    text = _text(document)
    lines = {line for cell in _cells(document) for line in cell.split("\n")}
    if "de" in codes:
        assert {"Bewertung", "Fragebogen"} <= lines
        assert "Fragebogenversion" not in text
    # Recommendations entered in Polish only: marked in the German report.
    recommendation = [p for p in _paragraphs(document) + _cells(document)
                      if "Więcej szkoleń." in p]
    assert recommendation
    assert START not in recommendation[0] and END not in recommendation[0]
    if language == "de":
        assert recommendation[0] == "[PL] Więcej szkoleń."
    else:
        assert START not in recommendation[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_attendance_list_shows_date_time_venue_and_title(made, language):
    """Day and time from – to, the venue's address, the cluster; the Polish-only title
    marked in the German list."""
    document = made[("attendance", language)]
    facts = "\n".join(_cells(document)[:40])
    assert "21.05.2026, 09:30–15:45" in facts
    assert "ul. Wiejska 5, 65-001 Zielona Góra" in facts
    subtitles = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    if language == "de":
        assert subtitles[0] == "[PL] Forum klastrów"
        assert "Lebuser Metallcluster" in facts
    else:
        assert subtitles[0] == "Forum klastrów"
        assert "Lubuski Klaster Metalowy" in facts


def test_the_programmes_identity_is_printed_in_the_header_and_footer_of_every_page():
    """The attendance list, like every kind, names the programme and the project in its
    header and prints the co-financing statement and the slogan in its footer (issue 20);
    an empty slogan leaves no line, and no logo leaves no picture or empty paragraph."""
    from euregionet_desktop.documents import defaults, schema
    from euregionet_desktop.documents.render import render_docx

    context = schema.sample_context(schema.SCHEMAS["attendance"])
    template = defaults.default_template("attendance", "pl")
    context["programme"].update(name="Interreg V A", project="EuRegioNet, nr 85030045",
                                cofinancing="Współfinansowane przez UE", slogan="",
                                eu_emblem="", programme_logo="")
    document = Document(io.BytesIO(render_docx(template, context)))
    section = document.sections[0]
    header = [p.text for t in section.header.tables for c in t.rows[0].cells
              for p in c.paragraphs]
    footer = [p.text for p in section.footer.paragraphs]
    assert "Interreg V A" in header and "EuRegioNet, nr 85030045" in header
    assert footer[0] == "Współfinansowane przez UE"
    assert "«programme.slogan»" not in "".join(footer) and "" not in footer[:-1]
    assert not section.header._element.findall(".//" + qn("w:drawing"))
    assert "\u2003" not in "".join(header)  # the logos' paragraph is gone
    # Not printed twice: the body no longer has a line of its own for it.
    assert not [p.text for p in document.paragraphs if "EuRegioNet, nr 85030045" in p.text]
