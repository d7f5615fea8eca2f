"""Word documents end to end: records → template → .docx → python-docx and LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from euregionet_desktop.documents.render import RenderWorker
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS
from euregionet_desktop.errors import TemplateError
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import documents, records
from euregionet_desktop.services.formation import step_id
from euregionet_desktop.services.profile import initialise, open_profile
from tests.integration.test_cli import ENV, one_line_error
from tests.integration.test_cli import ok_here as ok
from tests.integration.test_cli import run_here as run

# Everything that breaks naive XML or naive encodings, in one value.
SPECIAL = "A&B <klaster> \"Łódź\" 'Groß' ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ äöüß ẞ 🚀"


def _docx_text(data: bytes) -> str:
    """All text of a document: body, tables, headers and footers."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        for block in (section.header, section.footer):
            parts += [p.text for p in block.paragraphs]
            for table in block.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A LOP profile with one record of each kind a document is made from."""
    root = tmp_path_factory.mktemp("documents")
    core = open_profile(Profile(root / "profile"), purpose="pytest")
    core.backend.run(initialise, office="LOP", advisor_name="Anna Nowak")

    def add(entity: str, **values) -> str:
        return core.backend.run(records.create, entity=entity, values=values).record_id

    coordinator = add("organisation", name="Metal Sp. z o.o.", country="PL", nip="5260001246",
                      city="Zielona Góra", postal_code="65-001")
    cluster = add("cluster", name_pl=f"Klaster {SPECIAL}", name_de="Cluster Metall Lubuskie",
                  country="PL", coordinator_id=coordinator, region="Lubuskie")
    add("cluster", name_pl="Ąbecadło Klaster", name_de="Zeta Cluster", country="PL")
    add("cluster", name_pl="Zielony Klaster", name_de="Äpfel Netzwerk", country="DE")
    membership = add("membership", cluster_id=cluster, organisation_id=coordinator,
                     role="coordinator")
    contact = add("contact", first_name="Zofia", last_name="Żółkiewska",
                  organisation_id=coordinator, function="Prezes", email="z@metal.pl")
    plan = add("action_plan", cluster_id=cluster, title=f"Plan {SPECIAL}", status="agreed",
               objectives_pl="Cele po polsku", objectives_de="Ziele auf Deutsch")
    add("measure", action_plan_id=plan, title="Wspólne targi", cost="1234.56",
        currency="EUR", responsible="Zarząd", starts_on="2018-03-01", ends_on="2018-06-30",
        funding_source="Interreg", indicator="Wystawcy", target="12", position="1")
    add("measure", action_plan_id=plan, title="Portal", cost="5000", currency="PLN",
        position="2")
    consultation = add("consultation", held_at="2018-02-05 10:30", cluster_id=cluster,
                       organisation_id=coordinator, contact_ids=[contact],
                       subject=f"Doradztwo {SPECIAL}", summary="Omówiono plan.",
                       topics=["cluster_dialogue"], mode="site_visit")
    add("task", title="Wysłać ofertę", consultation_id=consultation, due_on="2018-03-01")
    evaluation = add("evaluation", cluster_id=cluster, evaluated_on="2018-04-10",
                     scores={"structure.members": 3, "structure.smes": 4},
                     strengths=f"Mocne strony {SPECIAL}")
    event = add("event", kind="kickoff", title_pl=f"Spotkanie {SPECIAL}",
                title_de="Auftakt", starts_on="2018-05-15", place="Gorzów Wlkp.")
    add("participant", event_id=event, contact_id=contact, photo_consent="true")
    add("participant", event_id=event, name="Jan Kowalski", organisation_name="Urząd")
    # The cluster being formed: its letter of intent signed, the agreement not yet.
    initiative = add("initiative", cluster_id=cluster, seat="Zielona Góra", duration_months="24",
                     purpose_pl=f"Cel {SPECIAL}", purpose_de="Zweck auf Deutsch")
    for step, values in (("letter_of_intent", {"status": "done", "done_on": "2018-01-15"}),
                         ("agreement", {"status": "in_progress"})):
        core.backend.run(records.update_record, entity="formation_step",
                         record_id=step_id(initiative, step), values=values)
    ids = {"action-plan": plan, "consultation": consultation, "evaluation": evaluation,
           "attendance": event, "directory": None, "letter-of-intent": initiative,
           "cooperation-agreement": initiative, "accession-declaration": membership}
    yield core, ids
    core.close()


# What each document must show of its record (a pair: the Polish and the German form).
EXPECTED = {
    "action-plan": (f"Plan {SPECIAL}", "Wspólne targi", "5260001246",
                    (f"Klaster {SPECIAL}", "Cluster Metall Lubuskie")),
    "consultation": (f"Doradztwo {SPECIAL}", "Wysłać ofertę", "Żółkiewska"),
    "evaluation": (f"Mocne strony {SPECIAL}", (f"Klaster {SPECIAL}", "Cluster Metall Lubuskie")),
    "attendance": ("Żółkiewska", "Jan Kowalski", "Urząd", (f"Spotkanie {SPECIAL}", "Auftakt")),
    "directory": ("Metal Sp. z o.o.", ("Zielony Klaster", "Äpfel Netzwerk")),
    "letter-of-intent": ("Metal Sp. z o.o.", "NIP\xa05260001246", "15.01.2018",
                         f"Klaster {SPECIAL}", (f"Cel {SPECIAL}", "Zweck auf Deutsch"),
                         ("§ 1. ", "§ 1 ")),
    "cooperation-agreement": ("Metal Sp. z o.o.", "NIP\xa05260001246", "15.01.2018",
                              f"Klaster {SPECIAL}", ("24 miesięcy", "24 Monaten"),
                              ("§ 7. Postanowienia końcowe", "§ 7 Schlussbestimmungen")),
    # The declaration refers to the letter of intent while the agreement is not signed.
    "accession-declaration": ("Metal Sp. z o.o.", "NIP\xa05260001246", f"Klaster {SPECIAL}",
                              ("listu intencyjnego z dnia 15.01.2018",
                               "der Absichtserklärung vom 15.01.2018")),
}


def expected(kind: str, language: str) -> list[str]:
    """The texts a document of ``kind`` in ``language`` must contain."""
    return [item if isinstance(item, str) else item[language == "de"]
            for item in EXPECTED[kind]]


@pytest.fixture(scope="module")
def generated(filled, tmp_path_factory):
    """Every kind in every language, generated through the service."""
    core, ids = filled
    out = tmp_path_factory.mktemp("generated")
    worker = RenderWorker()
    files = {}
    try:
        for kind in KINDS:
            for language in DOCUMENT_LANGUAGES:
                path = out / f"{kind}.{language}.docx"
                core.backend.run(documents.generate_document, profile=core.profile, kind=kind,
                                 record_id=ids[kind], language=language, output=path,
                                 worker=worker)
                files[(kind, language)] = path
    finally:
        worker.close()
    return files


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_in_every_language_and_reads_back(generated, kind):
    """python-docx reads each generated document and finds the record's data verbatim."""
    for language in DOCUMENT_LANGUAGES:
        text = _docx_text(generated[(kind, language)].read_bytes())
        for wanted in expected(kind, language):
            assert wanted in text, (kind, language, wanted)
        assert "{{" not in text and "{%" not in text
        assert "EuRegioNet" in text  # the header
        assert "Lubuska Organizacja Pracodawców" in text


def test_documents_are_kept_as_attachments_of_their_records(filled, generated):
    """Each generated document is listed with its record, language and kind."""
    core, ids = filled
    stored = core.backend.read(documents.stored_documents)
    made = [s for s in stored if s.kind in ("document", "directory")]
    assert len(made) == len(KINDS) * len(DOCUMENT_LANGUAGES)
    plans = [s for s in made if s.document_kind == "action-plan"]
    assert {s.language for s in plans} == set(DOCUMENT_LANGUAGES)
    assert all(s.linked_id == ids["action-plan"] and SPECIAL in s.record_label for s in plans)
    # An initiative's documents are listed with it, named by its cluster; a declaration
    # with its membership, named by the organisation joining and the cluster.
    forming = [s for s in made if s.document_kind in ("letter-of-intent",
                                                      "cooperation-agreement")]
    assert len(forming) == 2 * len(DOCUMENT_LANGUAGES)
    assert all(s.linked_entity == "initiative" and s.linked_id == ids["letter-of-intent"]
               and s.record_label == f"Klaster {SPECIAL}" for s in forming)
    declarations = [s for s in made if s.document_kind == "accession-declaration"]
    assert {s.record_label for s in declarations} == {f"Metal Sp. z o.o. – Klaster {SPECIAL}"}
    assert all(s.linked_entity == "membership" for s in declarations)
    blob = core.profile.attachments / documents.hashlib.sha256(
        generated[("action-plan", "pl")].read_bytes()).hexdigest()
    assert blob.exists()


def test_money_and_dates_follow_the_document_language(generated):
    """Polish writes 1 234,56 €, German 1.234,56 €; both write the day as 01.03.2018."""
    polish = _docx_text(generated[("action-plan", "pl")].read_bytes())
    german = _docx_text(generated[("action-plan", "de")].read_bytes())
    assert "1\xa0234,56\xa0€" in polish and "5\xa0000,00\xa0zł" in polish
    assert "1.234,56\xa0€" in german
    assert "01.03.2018" in polish and "01.03.2018" in german


def test_directory_is_sorted_by_the_name_each_language_prints(generated):
    """Each cluster under its name as registered (Polish for a Polish cluster, German for a
    German one), the other name in brackets; both books sorted by that name, Ą after every
    A (Ä included), as the Polish alphabet has it."""
    polish = _docx_text(generated[("directory", "pl")].read_bytes())
    german = _docx_text(generated[("directory", "de")].read_bytes())
    assert "Äpfel Netzwerk (Zielony Klaster)" in polish
    assert "Ąbecadło Klaster (Zeta Cluster)" in german
    assert polish.index("Äpfel Netzwerk") < polish.index("Ąbecadło Klaster") \
        < polish.index(f"Klaster {SPECIAL}")
    assert german.index("Äpfel Netzwerk") < german.index("Ąbecadło Klaster") \
        < german.index(f"Klaster {SPECIAL}")


def test_libreoffice_converts_every_document_to_pdf_with_the_data(generated, tmp_path):
    """soffice --headless --convert-to pdf; the PDFs' text holds the record's data."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("EUREGIONET_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    from pypdf import PdfReader

    # Its own user profile: parallel test workers must not share LibreOffice's lock.
    profile_dir = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile_dir}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, generated.values())],
        check=True, capture_output=True, timeout=600, env={**ENV, "HOME": str(tmp_path)})
    for (kind, language), path in generated.items():
        pdf = tmp_path / (path.stem + ".pdf")
        assert pdf.exists(), (kind, language)
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        flat = " ".join(text.split())
        for text_wanted in expected(kind, language):
            # PDF text extraction drops the emoji's font fallback at times; the rest must be there.
            wanted = " ".join(text_wanted.replace("🚀", "").split())
            assert wanted in flat, (kind, language, text_wanted)


def _with_body_text(template: bytes, text: str) -> bytes:
    """A copy of a .docx whose first body paragraph's first text is ``text``."""
    source = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode()
                start = xml.index("<w:t", xml.index("<w:body"))
                start = xml.index(">", start) + 1
                xml = xml[:start] + text + xml[start:]
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_a_runaway_loop_is_stopped_and_leaves_nothing(filled, tmp_path):
    """Nested loops over the clusters pass the check but hit the time bound: no file, no record."""
    core, _ids = filled
    from euregionet_desktop.documents import defaults

    # 3 clusters, 20 loops deep: 3**20 turns, writing nothing (so time, not memory, ends it).
    loops = "".join("{% for c" + str(n) + " in clusters %}" for n in range(20))
    ends = "{% endfor %}" * 20
    template = _with_body_text(defaults.default_template("directory", "pl"),
                               loops + "{% if c0 == c19 %}{% endif %}" + ends)
    path = tmp_path / "runaway.docx"
    path.write_bytes(template)
    core.backend.run(documents.load_template, profile=core.profile, path=path,
                     kind="directory", language="pl")
    before = len(core.backend.read(documents.stored_documents))
    output = tmp_path / "out.docx"
    worker = RenderWorker(time_limit=3)
    try:
        with pytest.raises(TemplateError, match="longer than 3 seconds"):
            core.backend.run(documents.generate_document, profile=core.profile,
                             kind="directory", record_id=None, language="pl", output=output,
                             worker=worker)
        # The worker was stopped and starts afresh for the next document.
        core.backend.run(documents.choose_template, kind="directory", language="pl",
                         attachment_id=None)
        core.backend.run(documents.generate_document, profile=core.profile, kind="directory",
                         record_id=None, language="pl", output=output, worker=worker)
    finally:
        worker.close()
    assert output.exists()
    after = core.backend.read(documents.stored_documents)
    assert len(after) == before + 1  # the directory made with the default template only
    assert not list(tmp_path.glob(".*.partial"))


def test_an_injected_template_is_refused_and_nothing_is_written(filled, tmp_path):
    """Template code reaching Python internals is refused by load, doc writes no file."""
    core, _ids = filled
    from euregionet_desktop.documents import defaults

    bad = tmp_path / "bad.docx"
    bad.write_bytes(_with_body_text(defaults.default_template("action-plan", "pl"),
                                    "{{ action_plan.__class__.__mro__ }}"))
    before = core.backend.read(documents.stored_documents)
    with pytest.raises(TemplateError):
        core.backend.run(documents.load_template, profile=core.profile, path=bad,
                         kind="action-plan", language="pl")
    assert core.backend.read(documents.stored_documents) == before


def test_cli_doc_template_check_and_export(tmp_path):
    """doc, template export and template check as a person types them."""
    data_dir = tmp_path / "p"
    ok(data_dir, "init", "--office", "CIT", "--advisor", "Jörg Müller")
    cluster = ok(data_dir, "add", "cluster", "name_pl=Klaster Test", "country=DE").strip()
    plan = ok(data_dir, "add", "action_plan", f"cluster_id={cluster}",
              "title=Aktionsplan & Ziele").strip()
    output = tmp_path / "plan.docx"
    ok(data_dir, "--lang", "en", "doc", "action-plan", plan, "--lang", "de", "-o", str(output))
    assert "Aktionsplan & Ziele" in _docx_text(output.read_bytes())

    template = tmp_path / "template.docx"
    # No profile needed to export a default template or to check one.
    ok(tmp_path / "none", "template", "export", "evaluation", "--lang", "pl+de",
       "-o", str(template))
    out = ok(tmp_path / "none", "template", "check", str(template))
    assert "evaluation.evaluated_on" in out

    misspelt = tmp_path / "misspelt.docx"
    misspelt.write_bytes(_with_body_text(template.read_bytes(), "{{ cluster.nmae }}"))
    result = run(tmp_path / "none", "template", "check", str(misspelt))
    assert result.returncode == 1
    assert "cluster.nmae" in result.stdout and "cluster.name" in result.stdout

    error = one_line_error(run(data_dir, "doc", "action-plan", plan, "-o",
                               str(tmp_path / "plan.pdf")))
    assert ".docx" in error
    error = one_line_error(run(data_dir, "doc", "action-plan", "no-such-id", "-o",
                               str(tmp_path / "x.docx")))
    assert "no-such-id" in error
    assert not (tmp_path / "x.docx").exists()


def _hostile_templates() -> dict[str, tuple[str, bytes]]:
    """Templates a person might be sent, each with its file name."""
    from tests.unit.test_template_check import (
        RELS,
        add_relationship,
        make_docx,
        relationship,
        rewrite,
        with_footnote,
    )

    external = rewrite(make_docx("{{ action_plan.title }}"), edit={
        "word/_rels/document.xml.rels": lambda xml: add_relationship(
            xml, relationship("rIdX", f"{RELS}/image", "http://example.org/t.png",
                              external=True))})
    return {
        "body": ("body.docx", make_docx("{{ action_plan.title.__class__.__mro__ }}")),
        "header": ("header.docx", make_docx("x", header="{{ ''.__class__ }}")),
        "footer": ("footer.docx", make_docx("x", footer="{% for i in range(10**9) %}{% endfor %}")),
        "footnote": ("footnote.docx", with_footnote("{{ cycler.__init__.__globals__ }}")),
        "properties": ("title.docx", make_docx("x", title="{{ self.__dict__ }}")),
        "docm": ("plan.docm", make_docx("{{ action_plan.title }}")),
        "macro": ("macro.docx", rewrite(make_docx("{{ action_plan.title }}"),
                                        add={"word/vbaProject.bin": b"\x00" * 64})),
        "external": ("external.docx", external),
    }


@pytest.mark.parametrize("case", list(_hostile_templates()))
def test_cli_refuses_hostile_templates_and_stores_nothing(tmp_path, case):
    """template load refuses each with one line; template list and the profile stay as they were."""
    data_dir = tmp_path / "p"
    ok(data_dir, "init", "--office", "BIC")
    name, data = _hostile_templates()[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = ok(data_dir, "template", "list")
    line = one_line_error(run(data_dir, "template", "load", str(path), "--kind", "action-plan",
                              "--lang", "de"))
    assert line.startswith("Error: ")
    assert ok(data_dir, "template", "list") == before
    check = run(data_dir, "template", "check", str(path))
    assert check.returncode == 1 and "Error" in check.stdout


def test_a_hostile_template_that_arrived_in_a_bundle_is_refused_before_filling(filled, tmp_path):
    """A chosen template stored without the check here (e.g. from a partner) is checked first."""
    core, ids = filled
    from euregionet_desktop.services.records import insert_record
    from euregionet_desktop.sync.changelog import ChangeWriter

    data = _hostile_templates()["header"][1]
    sha = documents.store_blob(core.profile, data)

    def arrive(session):
        attachment = insert_record(session, ChangeWriter.for_session(session), "attachment", {
            "sha256": sha, "file_name": "partner.docx", "kind": "template", "size": len(data),
            "language": "de", "document_kind": "action-plan"})
        documents.choose_template(session, kind="action-plan", language="de",
                                  attachment_id=attachment)

    core.backend.run(arrive)
    output = tmp_path / "plan.docx"
    try:
        with pytest.raises(TemplateError, match="header"):
            core.backend.run(documents.generate_document, profile=core.profile,
                             kind="action-plan", record_id=ids["action-plan"], language="de",
                             output=output)
    finally:
        core.backend.run(documents.choose_template, kind="action-plan", language="de",
                         attachment_id=None)
    assert not output.exists()
    assert not list(tmp_path.iterdir())


def test_a_placeholder_word_split_across_runs_is_filled(filled, tmp_path):
    """Word's split of {{ action_plan.title }} into three runs is repaired; the title comes out."""
    from tests.unit.test_template_check import run as word_run
    from tests.unit.test_template_check import with_runs

    core, ids = filled
    runs = (word_run("Plan: {{ action_") + '<w:proofErr w:type="spellStart"/>'
            + word_run("plan.ti", "<w:rPr><w:b/></w:rPr>") + word_run("tle }}"))
    path = tmp_path / "split.docx"
    path.write_bytes(with_runs(runs))
    loaded = core.backend.run(documents.load_template, profile=core.profile, path=path,
                              kind="action-plan", language="pl")
    repaired = [f for f in loaded.report.findings if f.severity == "repaired"]
    assert repaired and "paragraph 1" in repaired[0].location
    output = tmp_path / "out.docx"
    try:
        core.backend.run(documents.generate_document, profile=core.profile, kind="action-plan",
                         record_id=ids["action-plan"], language="pl", output=output)
    finally:
        core.backend.run(documents.choose_template, kind="action-plan", language="pl",
                         attachment_id=None)
    assert f"Plan: Plan {SPECIAL}" in _docx_text(output.read_bytes())


def test_text_missing_in_the_documents_language_is_the_other_side_marked(generated):
    """A German plan whose title was entered in Polish only prints it marked "[PL]", in a
    run of its own tagged pl-PL with the "Second language" style; the objectives entered in
    German print in German; no mark character is left."""
    data = generated[("action-plan", "de")].read_bytes()
    document = Document(io.BytesIO(data))
    text = _docx_text(data)
    assert "Ziele auf Deutsch" in text and "Cele po polsku" not in text
    marked = [run for paragraph in document.paragraphs for run in paragraph.runs
              if run.text.startswith(f"[PL] Plan {SPECIAL}")]
    assert marked
    properties = marked[0]._r.rPr
    assert properties.find(qn("w:lang")).get(qn("w:val")) == "pl-PL"
    assert properties.find(qn("w:rStyle")).get(qn("w:val")) == "SecondLanguage"
    assert not any(mark in text for mark in "\ue000\ue001\ue002")


def test_a_document_names_its_advisor_and_the_time_it_was_made(generated):
    """Not the template's fixed author and date: the profile's advisor, made just now."""
    import datetime as dt

    for path in generated.values():
        properties = Document(io.BytesIO(path.read_bytes())).core_properties
        assert properties.author == properties.last_modified_by == "Anna Nowak"
        age = dt.datetime.now(dt.UTC) - properties.created
        assert dt.timedelta(0) <= age < dt.timedelta(hours=1), (path.name, properties.created)
