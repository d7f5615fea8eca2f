"""The documents of forming a new cluster, from the CLI as an advisor makes them: a letter of
intent, an accession declaration and a cooperation agreement of an initiative with a Polish
and a German organisation, in pl, de and pl+de, opened by LibreOffice (converted to PDF) and
read back: the parties with the register numbers their countries use, the cluster, the
dates of the steps, the numbered paragraphs in each language's style.

Skips without LibreOffice unless EUREGIONET_REQUIRE_DESKTOP_TOOLS or
EUREGIONET_REQUIRE_LIBREOFFICE is set (CI sets them: a missing soffice fails there).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import records
from euregionet_desktop.services.formation import step_id
from euregionet_desktop.services.profile import initialise, open_profile
from tests.integration.test_cli import ENV, one_line_error
from tests.integration.test_cli import ok_here as ok
from tests.integration.test_cli import run_here as run

LANGUAGES = ("pl", "de", "pl+de")
KINDS = ("letter-of-intent", "accession-declaration", "cooperation-agreement")
POLISH = "Wodór Lubuski Sp. z o.o."
GERMAN = "Wasserstoff Lausitz GmbH"
CLUSTER = "Transgraniczny Klaster Wodorowy"
# The register numbers as each country's registers name them.
POLISH_REGISTERS = ("NIP 5260001246", "REGON 192598184", "KRS 0000123456")
GERMAN_REGISTERS = ("USt-IdNr. DE136695976", "Handelsregister Cottbus HRB 12345")
LETTER_DAY, AGREEMENT_DAY, DECLARATION_DAY = "12.03.2026", "15.09.2026", "20.04.2026"


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("EUREGIONET_REQUIRE_DESKTOP_TOOLS") \
                or os.environ.get("EUREGIONET_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    return soffice


@pytest.fixture(scope="module")
def initiative(tmp_path_factory):
    """A profile with a cluster being formed by a Polish and a German organisation: the
    letter of intent and the agreement signed, the German firm joined by declaration."""
    root = tmp_path_factory.mktemp("formation")
    data_dir = root / "profile"
    core = open_profile(Profile(data_dir), purpose="pytest")
    try:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")

        def add(entity: str, **values) -> str:
            return core.backend.run(records.create, entity=entity, values=values).record_id

        polish = add("organisation", name=POLISH, country="PL", nip="5260001246",
                     regon="192598184", krs="0000123456", street="ul. Przemysłowa 5",
                     postal_code="65-001", city="Zielona Góra")
        german = add("organisation", name=GERMAN, country="DE", vat_id="DE136695976",
                     register_number="Cottbus HRB 12345", street="Bahnhofstraße 1",
                     postal_code="03046", city="Cottbus")
        cluster = add("cluster", name_pl=CLUSTER, name_de="Grenzüberschreitender "
                      "Wasserstoffcluster", country="PL", coordinator_id=polish)
        kowalski = add("contact", first_name="Jan", last_name="Kowalski",
                       function="Prezes zarządu", organisation_id=polish)
        mueller = add("contact", first_name="Jörg", last_name="Müller",
                      function="Geschäftsführer", organisation_id=german)
        add("membership", cluster_id=cluster, organisation_id=polish, contact_id=kowalski,
            role="coordinator")
        joined = add("membership", cluster_id=cluster, organisation_id=german,
                     contact_id=mueller, declaration_signed_on="2026-04-20")
        initiative_id = add(
            "initiative", cluster_id=cluster, seat="Zielona Góra", duration_months="36",
            purpose_pl="Wspólny rozwój technologii wodorowych.",
            purpose_de="Gemeinsame Entwicklung von Wasserstofftechnologien.",
            leader_id=german, council_ids=[kowalski, mueller])
        for step, status, day in (("letter_of_intent", "done", "2026-03-12"),
                                  ("accession", "done", "2026-04-20"),
                                  ("agreement", "done", "2026-09-15"),
                                  ("statute_strategy", "not_started", None),
                                  ("brand", "not_started", None)):
            # The initiative comes with its steps: the advisor marks them.
            core.backend.run(records.update_record, entity="formation_step",
                             record_id=step_id(initiative_id, step),
                             values={"status": status, **({"done_on": day} if day else {})})
    finally:
        core.close()
    return data_dir, {"letter-of-intent": initiative_id, "cooperation-agreement": initiative_id,
                      "accession-declaration": joined, "people": sorted([kowalski, mueller])}


@pytest.fixture(scope="module")
def pdf_texts(initiative, tmp_path_factory):
    """{(kind, language): the text of the PDF LibreOffice made of the document}."""
    soffice = _soffice()
    from pypdf import PdfReader

    data_dir, ids = initiative
    out = tmp_path_factory.mktemp("formation-docs")
    files = []
    for kind in KINDS:
        for language in LANGUAGES:
            path = out / f"{kind}.{language}.docx"
            written = ok(data_dir, "doc", kind, ids[kind], "--lang", language, "-o", str(path))
            assert str(path) in written
            files.append(path)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(out / 'lo-profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=600, env={**ENV, "HOME": str(out)})
    texts = {}
    for path in files:
        reader = PdfReader(out / (path.stem + ".pdf"))
        text = " ".join(page.extract_text() for page in reader.pages)
        kind, language = path.stem.split(".", 1)
        texts[(kind, language)] = " ".join(text.replace("\xa0", " ").replace("\xad", "").split())
    return texts


def _headings(language: str, pairs: list[tuple[str, str]]) -> list[str]:
    """The § headings as each language writes them ("§ 1. …" Polish, "§ 1 …" German)."""
    wanted = []
    for pl, de in pairs:
        if language != "de":
            wanted.append(pl)
        if language != "pl":
            wanted.append(de)
    return wanted


@pytest.mark.parametrize("language", LANGUAGES)
def test_letter_of_intent_names_the_founders_with_their_registers(pdf_texts, language):
    text = pdf_texts[("letter-of-intent", language)]
    for wanted in (POLISH, GERMAN, CLUSTER, *POLISH_REGISTERS, *GERMAN_REGISTERS,
                   "Zielona Góra, " + LETTER_DAY, "Jan Kowalski, Prezes zarządu",
                   "Jörg Müller, Geschäftsführer"):
        assert wanted in text, (language, wanted)
    for wanted in _headings(language, [("§ 1. Przedmiot listu", "§ 1 Gegenstand der Erklärung"),
                                       ("§ 4. Postanowienia końcowe", "§ 4 Schlussbestimmungen")]):
        assert wanted in text, (language, wanted)
    if language != "de":
        assert "Wspólny rozwój technologii wodorowych." in text
    if language != "pl":
        assert "Gemeinsame Entwicklung von Wasserstofftechnologien." in text
    # Two parties: two signature blocks, each with its lines to sign on.
    caption = "Unterschrift" if language == "de" else "Podpis"
    assert text.count(caption) >= 2 + (language == "pl+de"), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_cooperation_agreement_names_parties_bodies_and_term(pdf_texts, language):
    text = pdf_texts[("cooperation-agreement", language)]
    for wanted in (POLISH, GERMAN, CLUSTER, *POLISH_REGISTERS, *GERMAN_REGISTERS,
                   "Zielona Góra, " + AGREEMENT_DAY, LETTER_DAY):
        assert wanted in text, (language, wanted)
    for wanted in _headings(language, [
            ("§ 1. Postanowienia ogólne", "§ 1 Allgemeine Bestimmungen"),
            ("§ 4. Organy Klastra", "§ 4 Organe des Clusters"),
            ("§ 6. Okres obowiązywania", "§ 6 Laufzeit"),
            ("§ 7. Postanowienia końcowe", "§ 7 Schlussbestimmungen")]):
        assert wanted in text, (language, wanted)
    if language != "de":
        assert f"Liderem Klastra jest {GERMAN}" in text
        assert f"Koordynatorem Klastra jest {POLISH}" in text
        assert "na okres 36 miesięcy" in text
        assert f"Jan Kowalski ({POLISH}); Jörg Müller ({GERMAN})" in text
    if language != "pl":
        assert f"Leitorganisation des Clusters ist {GERMAN}" in text
        assert "Dauer von 36 Monaten" in text
    assert ("Die polnische und die deutsche Fassung" in text) == (language == "pl+de")


@pytest.mark.parametrize("language", LANGUAGES)
def test_accession_declaration_of_the_german_member(pdf_texts, language):
    """The joining organisation with its German registers and its signatory, the date it
    signed, and the agreement it accepts (signed before it, so named with its date)."""
    text = pdf_texts[("accession-declaration", language)]
    for wanted in (GERMAN, CLUSTER, *GERMAN_REGISTERS, "Bahnhofstraße 1, 03046 Cottbus",
                   "Cottbus, " + DECLARATION_DAY, "Jörg Müller, Geschäftsführer", POLISH):
        assert wanted in text, (language, wanted)
    assert "NIP" not in text and "KRS" not in text  # a German firm has no Polish numbers
    if language != "de":
        assert f"porozumienia o współpracy z dnia {AGREEMENT_DAY}" in text
    if language != "pl":
        assert f"der Kooperationsvereinbarung vom {AGREEMENT_DAY}" in text


def test_the_signatories_named_are_kept_with_each_document(initiative, pdf_texts):
    """Who a document names (the parties' signatories, the members' council, the person
    who declares) is kept with it, so that erasing the person erases the document."""
    from sqlalchemy import select

    from euregionet_desktop.storage.models import Attachment

    data_dir, ids = initiative
    core = open_profile(Profile(data_dir), purpose="pytest")
    try:
        rows = core.backend.read(lambda session: [
            (a.document_kind, a.person_ids) for a in session.execute(
                select(Attachment).where(Attachment.kind == "document")).scalars()])
    finally:
        core.close()
    assert len(rows) == len(KINDS) * len(LANGUAGES)
    # (The declaration's context holds the cluster's contact persons too, as every
    # document about a cluster does: Kowalski with Müller.)
    for kind, people in rows:
        assert sorted(people) == ids["people"], (kind, people)


def test_a_document_of_another_record_is_refused(initiative, tmp_path):
    """An agreement asked for a membership's id: one translated line, no file."""
    data_dir, ids = initiative
    target = tmp_path / "agreement.docx"
    error = one_line_error(run(data_dir, "--lang", "de", "doc", "cooperation-agreement",
                               ids["accession-declaration"], "-o", str(target)))
    assert ids["accession-declaration"] in error and "Clusterinitiative" in error
    assert not target.exists()
    error = one_line_error(run(data_dir, "doc", "accession-declaration", "-o", str(target)))
    assert "id" in error
    assert not target.exists()


def test_a_cluster_without_members_yet_and_a_person_who_joins(tmp_path):
    """The agreement of a cluster with no member yet counts no copies ("0 copies"); a
    person who joins in their own right declares for themself, not for an organisation."""
    from euregionet_desktop.documents.context import build_context

    core = open_profile(Profile(tmp_path / "p"), purpose="pytest")
    try:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")

        def add(entity: str, **values) -> str:
            return core.backend.run(records.create, entity=entity, values=values).record_id

        cluster = add("cluster", name_pl="Klaster Nowy", country="PL")
        empty = add("initiative", cluster_id=cluster)
        for language in LANGUAGES:
            values = core.backend.read(build_context, kind="cooperation-agreement",
                                       record_id=empty, language=language)
            final = values["paragraphs"][-1]
            texts = [c["content_pl"] + c["content_de"] for c in final["clauses"]]
            assert values["parties"] == [] and not any(" 0 " in t for t in texts), texts
            assert values["initiative"]["term_pl"] == "czas nieokreślony"
            assert values["initiative"]["term_de"] == "unbefristet"
        person = add("contact", first_name="Ewa", last_name="Zając", function="ekspertka")
        joined = add("membership", cluster_id=cluster, contact_id=person)
        values = core.backend.read(build_context, kind="accession-declaration",
                                   record_id=joined, language="pl+de")
        first = values["points"][0]
        assert first["content_pl"] == ("Oświadczam, że przystępuję do klastra „Klaster Nowy” "
                                       "jako jego członek.")
        assert first["content_de"].startswith("Ich erkläre meinen Beitritt")
        assert values["organisation"]["representative"] == "Ewa Zając, ekspertka"
        assert values["membership"]["reference_pl"] == "porozumienia o współpracy Klastra"
    finally:
        core.close()


def test_an_agreement_without_a_council_named_says_who_it_is(tmp_path):
    """No council members chosen yet: the agreement's table of bodies says the council is
    one representative of each member (as its § does), not an empty cell."""
    import io

    from docx import Document

    from euregionet_desktop.services import documents

    core = open_profile(Profile(tmp_path / "p"), purpose="pytest")
    try:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        cluster = core.backend.run(records.create, entity="cluster", values={
            "name_pl": "Klaster Nowy", "country": "PL"}).record_id
        initiative = core.backend.run(records.create, entity="initiative", values={
            "cluster_id": cluster}).record_id
        for language, wanted in (("pl", "po jednym przedstawicielu każdego członka"),
                                 ("de", "je ein Vertreter oder eine Vertreterin jedes "
                                        "Mitglieds")):
            data = core.backend.read(documents.render_document, profile=core.profile,
                                     kind="cooperation-agreement", record_id=initiative,
                                     language=language)
            document = Document(io.BytesIO(data))
            cells = [cell.text for table in document.tables for row in table.rows
                     for cell in row.cells]
            assert wanted in cells, (language, cells)
    finally:
        core.close()
