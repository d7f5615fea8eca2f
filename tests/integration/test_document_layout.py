"""The documents as a programme officer reads them: every kind in pl, de and pl+de made from
the demo data, converted to PDF by LibreOffice (one call for all fifteen) and read page by
page. Nothing a reader needs breaks: dates, amounts and the words of the tables' labels
stand whole on some page; a signature block shares its page with its heading and the text
before it; the directory's table of contents gives the page each cluster starts on.

Skips without LibreOffice unless EUREGIONET_REQUIRE_DESKTOP_TOOLS or
EUREGIONET_REQUIRE_LIBREOFFICE is set (CI sets them: a missing soffice fails there).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from sqlalchemy import func, select

from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS
from euregionet_desktop.i18n import translation
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import demo, documents, records
from euregionet_desktop.services.formation import step_id
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.storage.models import (
    ActionPlan,
    Cluster,
    Consultation,
    Evaluation,
    Event,
    Measure,
    Membership,
    Participant,
    Task,
)
from tests.integration.test_cli import ENV

DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
AMOUNT = re.compile(r"\d{1,3}(?:[\xa0 .]\d{3})*,\d{2}\xa0(?:zł|€|PLN|EUR)")
LABEL_STYLES = ("Table Heading", "Table Label")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("EUREGIONET_REQUIRE_DESKTOP_TOOLS") \
                or os.environ.get("EUREGIONET_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    return soffice


def _records(session) -> dict[str, str]:
    """The richest record of each kind: a Polish cluster's plan with the most measures, a
    consultation with tasks, an evaluation, the event with the most participants."""
    plan = session.execute(
        select(ActionPlan.id).join(Cluster, Cluster.id == ActionPlan.cluster_id)
        .join(Measure, Measure.action_plan_id == ActionPlan.id)
        .where(Cluster.country == "PL").group_by(ActionPlan.id)
        .order_by(func.count(Measure.id).desc(), ActionPlan.id)).scalars().first()
    consultation = session.execute(
        select(Consultation.id).join(Task, Task.consultation_id == Consultation.id)
        .group_by(Consultation.id).order_by(func.count(Task.id).desc(), Consultation.id)
    ).scalars().first()
    evaluation = session.execute(select(Evaluation.id).order_by(Evaluation.id)).scalars().first()
    event = session.execute(
        select(Event.id).join(Participant, Participant.event_id == Event.id)
        .group_by(Event.id).order_by(func.count(Participant.id).desc(), Event.id)
    ).scalars().first()
    return {"action-plan": plan, "consultation": consultation, "evaluation": evaluation,
            "attendance": event, "directory": None}


def _forming_cluster(session) -> tuple[str, str]:
    """The Polish cluster with the most current members, being formed, and one of its
    organisations' memberships (one with a contact person, a signatory, if there is)."""
    cluster = session.execute(
        select(Cluster.id).join(Membership, Membership.cluster_id == Cluster.id)
        .where(Cluster.country == "PL", Membership.left_on.is_(None))
        .group_by(Cluster.id).order_by(func.count(Membership.id).desc(), Cluster.id)
    ).scalars().first()
    membership = session.execute(
        select(Membership.id).where(Membership.cluster_id == cluster,
                                    Membership.organisation_id.is_not(None))
        .order_by(Membership.contact_id.is_(None), Membership.id)).scalars().first()
    return cluster, membership


def _lengthen_descriptions(session) -> None:
    """Three clusters with descriptions of several pages, of a different length each."""
    clusters = session.execute(select(Cluster).order_by(Cluster.id)).scalars().all()
    for times, cluster in zip((9, 25, 14), clusters[1:8:3], strict=True):
        cluster.description_pl = "\n".join(["Klaster łączy firmy i uczelnie regionu. " * 12]
                                           * times)
        cluster.description_de = "\n".join(["Der Cluster verbindet Firmen der Region. " * 12]
                                           * times)


def _lengthen_text(session, *, kind: str, record_id: str, variant: str, lines: int) -> None:
    """The last text before the signatures ``lines`` sentences long: a protocol without
    agreed actions, without (bare) or with the next meeting; an evaluation report."""
    if kind == "evaluation":
        evaluation = session.get(Evaluation, record_id)
        evaluation.strengths = "Aktywne zarządzanie klastrem. " * lines
        evaluation.recommendations_pl = "Rozwinąć usługi dla członków. " * lines
        evaluation.recommendations_de = "Angebote für Mitglieder ausbauen. " * lines
        return
    consultation = session.get(Consultation, record_id)
    consultation.summary = "Omówiono potrzeby członków klastra i możliwe projekty. " * lines
    consultation.summary_de = "Die Bedarfe der Mitglieder und Projekte wurden besprochen. " \
        * lines
    consultation.outcomes = "Uzgodniono dalsze kroki. " * 3
    consultation.outcomes_de = "Weitere Schritte vereinbart. " * 3
    consultation.next_meeting_at = "2027-03-12T10:00" if variant == "meeting" else None
    for task in session.execute(select(Task).where(Task.consultation_id == record_id)
                                ).scalars():
        task.consultation_id = None


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """{(kind, language): (the .docx, [text of each PDF page])} for all fifteen; the
    directory in pl and pl+de again, as "directory-long", with clusters of several pages;
    protocols and reports in pl+de with texts of growing length before the signatures."""
    soffice = _soffice()
    from pypdf import PdfReader

    root = tmp_path_factory.mktemp("layout")
    core = open_profile(Profile(root / "profile"), purpose="pytest")
    worker = RenderWorker()
    files = {}
    try:
        core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")
        core.backend.run(demo.generate)
        ids = core.backend.read(_records)
        # A cluster being formed: its letter of intent and agreement signed.
        cluster, membership = core.backend.read(_forming_cluster)
        initiative = core.backend.run(records.create, entity="initiative", values={
            "cluster_id": cluster, "seat": "Zielona Góra", "duration_months": "36",
            "purpose_pl": "Wspólny rozwój technologii wodorowych w regionie przygranicznym.",
            "purpose_de": "Gemeinsame Entwicklung von Wasserstofftechnologien in der "
                          "Grenzregion."}).record_id
        for step, day in (("letter_of_intent", "2026-03-12"), ("agreement", "2026-09-15")):
            core.backend.run(records.update_record, entity="formation_step",
                             record_id=step_id(initiative, step),
                             values={"status": "done", "done_on": day})
        ids.update({"letter-of-intent": initiative, "cooperation-agreement": initiative,
                    "accession-declaration": membership})
        for kind in KINDS:
            for language in DOCUMENT_LANGUAGES:
                path = root / f"{kind}.{language}.docx"
                core.backend.run(documents.generate_document, profile=core.profile,
                                 kind=kind, record_id=ids[kind], language=language,
                                 output=path, worker=worker)
                files[(kind, language)] = path
        # Clusters that span pages, so that no count of clusters gives the pages.
        core.backend.run(_lengthen_descriptions)
        for language in ("pl", "pl+de"):
            path = root / f"directory-long.{language}.docx"
            core.backend.run(documents.generate_document, profile=core.profile,
                             kind="directory", record_id=None, language=language,
                             output=path, worker=worker)
            files[("directory-long", language)] = path
        # Protocols and reports whose text before the signatures grows step by step, so
        # that the block meets the end of a page after every kind of last section.
        for variant in ("bare", "meeting", "report"):
            for lines in range(4, 40, 4):
                kind = "evaluation" if variant == "report" else "consultation"
                core.backend.run(_lengthen_text, kind=kind, record_id=ids[kind],
                                 variant=variant, lines=lines)
                path = root / f"{kind}-{variant}-{lines}.pl+de.docx"
                core.backend.run(documents.generate_document, profile=core.profile,
                                 kind=kind, record_id=ids[kind], language="pl+de",
                                 output=path, worker=worker)
                files[(f"{kind}-{variant}-{lines}", "pl+de")] = path
    finally:
        worker.close()
        core.close()
    profile_dir = (root / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile_dir}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(root), *map(str, files.values())],
        check=True, capture_output=True, timeout=900, env={**ENV, "HOME": str(root)})
    result = {}
    for key, path in files.items():
        reader = PdfReader(root / (path.stem + ".pdf"))
        result[key] = (path, [page.extract_text() for page in reader.pages])
    return result


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


# The page header's last text (its right cell): the programme's name and the project stand
# before it, on as many lines as they take (issue 20).
OFFICE = "Lubuska Organizacja Pracodawców"


def _page_header(text: str) -> str:
    head, found, _body = text.partition(OFFICE)
    assert found, text[:300]
    return head + found


def _page_body(text: str) -> str:
    return text[len(_page_header(text)):].lstrip()


def _printed_in_tables(path) -> tuple[set[str], set[str]]:
    """The dates and amounts the document's tables print, and the words of their labels."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    values: set[str] = set()
    words: set[str] = set()

    def visit(table) -> None:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    text = paragraph.text
                    values.update(DATE.findall(text))
                    values.update(AMOUNT.findall(text))
                    if paragraph.style is not None and paragraph.style.name in LABEL_STYLES:
                        words.update(w.strip("()/:,") for w in text.replace("\xad", "").split())
                for inner in cell.tables:
                    visit(inner)

    for table in document.tables:
        visit(table)
    return values, {w for w in words if len(w) > 1}


@pytest.mark.parametrize("kind", list(KINDS))
def test_dates_amounts_and_labels_stand_whole_on_a_page(pages, kind):
    for language in DOCUMENT_LANGUAGES:
        path, texts = pages[(kind, language)]
        values, words = _printed_in_tables(path)
        # (A letter of intent's only date is in its place-and-date line, not in a table.)
        assert values or kind in ("evaluation", "directory", "letter-of-intent"), (kind,
                                                                                  language)
        flat_pages = [_flat(text) for text in texts]
        for value in values:
            assert any(_flat(value) in page for page in flat_pages), (kind, language, value)
        # A label may wrap between words (or at a hyphen), never inside a word.
        page_words = set()
        for text in texts:
            # A soft hyphen where a word broke: the word joined again.
            page_words.update(w.strip("()/:,") for w in re.sub(r"[-\xad]\n", "", text)
                              .replace("\xad", "").split())
        broken = sorted(word for word in words if word not in page_words)
        assert not broken, (kind, language, broken)


def _joined(message: str, language: str) -> str:
    codes = ("pl", "de") if language == "pl+de" else (language,)
    return " / ".join(dict.fromkeys(translation(code).gettext(message) for code in codes))


SIGNED = ["action-plan", "consultation", "evaluation", "letter-of-intent",
          "accession-declaration", "cooperation-agreement"]


def _signature_page(texts: list[str], kind: str, language: str) -> tuple[str, str]:
    """The text of the page with the signature heading, before and after the heading."""
    heading, caption = _joined("Signatures", language), _joined("Signature", language)
    on = [index for index, text in enumerate(texts) if heading in _flat(text)]
    assert len(on) == 1, (kind, language, on)
    page = _flat(texts[on[0]])
    before, after = page.split(heading, 1)
    assert caption in after, (kind, language)  # the lines to sign on, under the heading
    return _flat(_page_header(texts[on[0]])), before


@pytest.mark.parametrize("kind", SIGNED)
def test_signature_lines_share_a_page_with_their_heading(pages, kind):
    for language in DOCUMENT_LANGUAGES:
        _signature_page(pages[(kind, language)][1], kind, language)


@pytest.mark.parametrize("kind", SIGNED)
def test_a_signature_block_is_not_alone_on_its_page(pages, kind):
    """The heading keeps with what stands before it (keep-with-next back to the previous
    section's last paragraph or table row, through sections a record may leave out), in
    LibreOffice as in Word: text stands on the page before the heading."""
    alone = []
    for language in DOCUMENT_LANGUAGES:
        header, before = _signature_page(pages[(kind, language)][1], kind, language)
        if len(before.replace(header, "").split()) <= 8:
            alone.append(language)
    assert not alone, f"{kind}: the signature block alone on its page in {alone}"


def test_a_signature_block_keeps_with_any_last_section_of_any_length(pages):
    """Whatever stands last before the signatures (a side-by-side text, the next meeting, a
    report's recommendations) and however long the text above is: never alone."""
    alone = []
    grown = [key for key in pages if key[0].startswith(("consultation-", "evaluation-"))]
    assert len(grown) == 27
    for key in grown:
        kind = key[0].split("-", 1)[0]
        header, before = _signature_page(pages[key][1], kind, key[1])
        if len(before.replace(header, "").split()) <= 8:
            alone.append(key[0])
    assert not alone, alone


def test_the_directory_contents_give_each_clusters_page(pages):
    """The table of contents (page 2) ends each entry with a page number, and it is the page
    the cluster's heading stands on in the PDF: also where clusters span several pages of
    different lengths (the page references are computed as the document is laid out)."""
    books = [("directory", language) for language in DOCUMENT_LANGUAGES]
    books += [("directory-long", "pl"), ("directory-long", "pl+de")]
    for kind, language in books:
        _path, texts = pages[(kind, language)]
        contents = _page_body(texts[1])
        assert _joined("Table of contents", language) in _flat(contents)
        numbers = [int(match.group(1)) for line in contents.splitlines()
                   if " / " not in line and (match := re.search(r"(\d+)\s*$", line))]
        starts = [index + 1 for index, text in enumerate(texts)
                  if index >= 2 and re.match(r"\d+\. \S", _page_body(text))]
        assert len(starts) == 20 and numbers == starts, (kind, language, numbers, starts)
        if kind == "directory-long":  # some clusters take more than a page, not all alike
            spans = {b - a for a, b in zip(starts, [*starts[1:], len(texts) + 1], strict=True)}
            assert len(spans) >= 3, (language, starts)
