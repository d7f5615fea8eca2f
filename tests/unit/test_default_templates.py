"""The default Word templates: built reproducibly, rendered on every field of their schema."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from euregionet_desktop.documents import schema
from euregionet_desktop.documents.defaults import (
    TEMPLATES_DIR,
    build_template,
    default_template,
    template_file_name,
)
from euregionet_desktop.i18n import translation

TEMPLATES = [(kind, language) for kind in schema.KINDS for language in schema.DOCUMENT_LANGUAGES]
ITEMS = 3
# Jinja in a template: names, loops, conditions, comparisons; no calls, no other filters.
ALLOWED_FILTERS = {"default", "length"}


def render(kind: str, language: str) -> docx.document.Document:
    """A default template rendered as the app renders, on a context of every field."""
    template = DocxTemplate(io.BytesIO(default_template(kind, language)))
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    template.render(schema.sample_context(schema.SCHEMAS[kind], items=ITEMS), jinja_env=env,
                    autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return docx.Document(io.BytesIO(buffer.getvalue()))


def texts(element) -> str:
    return "".join(node.text or "" for node in element.iter(qn("w:t")))


def parts_text(document: docx.document.Document) -> Iterator[tuple[str, str]]:
    """The text of the body, headers and footers of a document."""
    yield "body", texts(document.element.body)
    for section in document.sections:
        for name in ("header", "footer", "first_page_header", "first_page_footer"):
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                yield name, texts(part._element)


def members(data: bytes) -> list[tuple[str, tuple[int, ...], int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, info.date_time, info.compress_type, package.read(info))
                for info in package.infolist()]


def template_xml(kind: str, language: str) -> str:
    with zipfile.ZipFile(io.BytesIO(default_template(kind, language))) as package:
        return "".join(package.read(name).decode("utf-8") for name in package.namelist()
                       if name.startswith("word/") and name.endswith(".xml"))


def test_every_template_is_committed() -> None:
    """All fifteen templates are in resources/templates and nothing else is."""
    expected = {template_file_name(kind, language) for kind, language in TEMPLATES}
    assert {path.name for path in TEMPLATES_DIR.glob("*.docx")} == expected
    assert template_file_name("action-plan", "pl+de") == "action-plan.pl+de.docx"


@pytest.mark.parametrize(("kind", "language"), TEMPLATES)
def test_committed_template_is_its_build(kind: str, language: str) -> None:
    """The committed file holds what build_template makes (scripts/build_templates.py)."""
    built = build_template(kind, language)
    assert built == build_template(kind, language)
    # Compared member by member: another zlib may compress the same members differently.
    assert members(default_template(kind, language)) == members(built), (
        "out of date: run scripts/build_templates.py (after a code or catalog change)")


def test_build_is_reproducible_zip() -> None:
    """Members come in a stable order, deflated, with a fixed date; properties are fixed."""
    data = build_template("consultation", "pl+de")
    listing = members(data)
    assert [name for name, *_ in listing][:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {(date, method) for _, date, method, _ in listing} == {
        ((1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED)}
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.author == "EuRegioNet"
    assert properties.created == properties.modified
    assert properties.created.year == 2025
    title = [translation(lang).gettext(schema.KINDS["consultation"]) for lang in ("pl", "de")]
    assert properties.title == " / ".join(dict.fromkeys(title))


@pytest.mark.parametrize(("kind", "language"), TEMPLATES)
def test_template_renders_every_part(kind: str, language: str) -> None:
    """The template renders in the sandbox with strict names; no tag is left anywhere."""
    document = render(kind, language)
    text = dict(parts_text(document))
    assert "«programme.name»" in text["header"]
    # The office's name is a proper name: written once, also side by side.
    assert text["header"].count("«office.name»") == 1
    assert "«office.name_de»" not in text["header"]
    assert "«document.date»" in text["footer"]
    footer = document.sections[0].footer._element
    assert [node.text.strip() for node in footer.iter(qn("w:instrText"))] == [
        "PAGE", "NUMPAGES"]
    for part, content in text.items():
        assert "{{" not in content and "{%" not in content, part
        assert "}}" not in content and "%}" not in content, part


@pytest.mark.parametrize(("kind", "language"), TEMPLATES)
def test_template_uses_only_plain_jinja(kind: str, language: str) -> None:
    """Tags are names, loops and conditions: no calls, set, macros, or other filters."""
    tags = re.findall(r"\{[{%](.*?)[}%]\}", template_xml(kind, language))
    assert tags
    for tag in tags:
        assert "(" not in tag, tag
        statement = re.sub(r"^\s*(?:tr|tc|p|r)\s+", "", tag).strip()
        assert statement.split(" ")[0] not in {"set", "macro", "call", "import", "include",
                                               "extends", "filter", "with"}, tag
        assert set(re.findall(r"\|\s*(\w+)", tag)) <= ALLOWED_FILTERS, tag
    assert "{{r " not in template_xml(kind, language)
    assert "{{p " not in template_xml(kind, language)


@pytest.mark.parametrize(("kind", "language"), TEMPLATES)
def test_template_fits_the_page(kind: str, language: str) -> None:
    """A4 with 2 cm margins; no table wider than the text, every column width set."""
    document = docx.Document(io.BytesIO(default_template(kind, language)))
    section = document.sections[0]
    landscape = kind == "attendance"
    size = (round(section.page_width.cm, 1), round(section.page_height.cm, 1))
    assert size == ((29.7, 21.0) if landscape else (21.0, 29.7))
    margins = {section.left_margin, section.right_margin, section.top_margin,
               section.bottom_margin}
    assert {round(margin.cm, 2) for margin in margins} == {2.0}
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635
    tables = list(document.element.body.iter(qn("w:tbl")))
    assert tables
    for table in tables:
        grid = [int(col.get(qn("w:w"))) for col in table.iter(qn("w:gridCol"))]
        width = int(table.find(qn("w:tblPr")).find(qn("w:tblW")).get(qn("w:w")))
        assert sum(grid) == width <= text_width + 1  # widths in twips, EMU / 635


@pytest.mark.parametrize(("kind", "language"), TEMPLATES)
def test_table_headings_repeat_on_every_page(kind: str, language: str) -> None:
    """A table with column headings repeats them and never splits a row across pages."""
    document = docx.Document(io.BytesIO(default_template(kind, language)))
    headed = 0
    for table in document.element.body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        assert all(row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for row in rows)
        if rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None:
            headed += 1
    # A declaration names one organisation (a table of facts): it has no list with headings.
    assert headed >= 1 if kind != "accession-declaration" else headed == 0


@pytest.mark.parametrize("language", list(schema.DOCUMENT_LANGUAGES))
def test_action_plan_lists_every_measure(language: str) -> None:
    """The action plan shows its title, every party and one table row per measure."""
    document = render("action-plan", language)
    body = texts(document.element.body)
    titles = (["«action_plan.title_pl»", "«action_plan.title_de»"] if language == "pl+de"
              else ["«action_plan.title»"])
    assert all(title in body for title in titles)
    assert all(f"«parties[{i}].name»" in body for i in range(ITEMS))
    rows = [row for table in document.tables for row in table.rows
            if "«measures[" in texts(row._tr)]
    assert len(rows) == ITEMS
    assert [texts(row.cells[0]._tc) for row in rows] == [
        f"«measures[{i}].number»" for i in range(ITEMS)]
    assert "«action_plan.total_cost»" in body
    objectives = (["«action_plan.objectives_pl»", "«action_plan.objectives_de»"]
                  if language == "pl+de" else ["«action_plan.objectives»"])
    assert all(objective in body for objective in objectives)


@pytest.mark.parametrize("language", list(schema.DOCUMENT_LANGUAGES))
def test_action_plan_members_are_an_annex_after_the_signatures(language: str) -> None:
    """The goals come first; the members follow the signatures in an annex table with
    their number, country, tax number and role; one signature column per signatory."""
    document = render("action-plan", language)
    body = texts(document.element.body)
    signatures = body.index(translation("pl" if language != "de" else "de").gettext(
        "Signatures"))
    assert body.index("«action_plan.objectives") < body.index("«measures[0].") < signatures
    assert signatures < body.index("«parties[0].name»")
    annex = document.tables[-1]
    assert [texts(row.cells[3]._tc) for row in annex.rows[1:]] == [
        f"«parties[{i}].tax_id»" for i in range(ITEMS)]
    assert "«action_plan.cluster_signatory»" in body and "«document.advisor»" in body
    assert "«action_plan.duration»" in body


def test_consultation_lists_participants_and_follow_ups() -> None:
    """The protocol has a row per participant and per follow-up task."""
    body = texts(render("consultation", "de").element.body)
    for i in range(ITEMS):
        assert f"«participants[{i}].name»" in body
        assert f"«tasks[{i}].title»" in body and f"«tasks[{i}].due_on»" in body
    assert "«consultation.summary»" in body and "«consultation.outcomes»" in body


def test_evaluation_has_a_table_per_area() -> None:
    """Each area brings its questions, its total and its average."""
    document = render("evaluation", "pl+de")
    body = texts(document.element.body)
    for area in range(ITEMS):
        assert f"«areas[{area}].name_pl»" in body and f"«areas[{area}].average»" in body
        for question in range(ITEMS):
            assert f"«areas[{area}].questions[{question}].score»" in body
    assert "«evaluation.total»" in body and "«evaluation.recommendations_de»" in body


def test_attendance_rows_leave_room_to_sign() -> None:
    """One row per participant and five for walk-ins, each at least 1.2 cm high."""
    document = render("attendance", "pl")
    table = document.tables[-1]
    body_rows = table.rows[1:]
    assert len(body_rows) == ITEMS + 5
    assert all(row.height is not None and round(row.height.cm, 2) >= 1.2 for row in body_rows)
    # The photo consent a participant's recorded consent decides is printed (the sample
    # sets photo_consent_recorded); a walk-in ticks the box.
    assert [texts(row.cells[-1]._tc) for row in body_rows] == [
        f"«participants[{n}].photo_consent»" for n in range(ITEMS)] + ["\u2610"] * 5


@pytest.mark.parametrize("language", list(schema.DOCUMENT_LANGUAGES))
def test_directory_has_a_page_per_cluster_and_a_table_of_contents(language: str) -> None:
    """Each cluster starts a page (no empty last one); the table of contents lists them, each
    entry a paragraph of the "toc 1" style (no TOC field: LibreOffice would print it as saved)
    linked to its heading's bookmark, with a PAGEREF field to it for the page."""
    document = render("directory", language)
    body = document.element.body
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == ITEMS
    assert all(p.paragraph_format.page_break_before for p in headings)
    assert not [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    entries = [p for p in document.paragraphs if p.style.style_id == "TOC1"]
    # Each entry: the heading's text, a link to its bookmark, the page (a PAGEREF field).
    assert [texts(p._p) for p in entries] == [
        f"«clusters[{i}].number». {texts(h._p)}"
        for i, h in enumerate(headings)]
    # The headings are numbered by a list of numbering.xml, not by typed numbers.
    num_ids = {h._p.pPr.numPr.numId.val for h in headings}
    assert len(num_ids) == 1
    numbering = document.part.numbering_part.element
    assert numbering.xpath(f'w:num[@w:numId="{num_ids.pop()}"]')
    assert all(p._p.find(qn("w:hyperlink")).find(qn("w:r") + "/" + qn("w:tab")) is not None
               for p in entries)  # the tab to the page number, inside the link
    kinds = [f.get(qn("w:fldCharType")) for f in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * ITEMS
    # Each page reference inside its entry's link, marked for Word to update.
    assert all(p._p.find(qn("w:hyperlink")).find(f".//{qn('w:instrText')}") is not None
               for p in entries)
    assert all(f.get(qn("w:dirty")) == "true" for f in body.iter(qn("w:fldChar"))
               if f.get(qn("w:fldCharType")) == "begin")
    bookmarks = [b.get(qn("w:name")) for h in headings for b in h._p.iter(qn("w:bookmarkStart"))]
    assert [i.text.strip() for i in body.iter(qn("w:instrText"))] == [
        f"PAGEREF {name} \\h" for name in bookmarks]
    links = [link.get(qn("w:anchor")) for p in entries for link in p._p.iter(qn("w:hyperlink"))]
    assert links == bookmarks and len(set(bookmarks)) == ITEMS
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(set(ids)) == len(ids) == ITEMS
    assert len(set(ids)) == len([b for b in body.iter(qn("w:bookmarkEnd"))
                                 if b.get(qn("w:id")) in ids])
    settings = document.settings.element
    assert settings.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    # The name as registered, the other language's name in brackets.
    assert "«clusters[2].official_name» («clusters[2].other_name»)" in headings[2].text
    for i in range(ITEMS):
        assert f"«clusters[{i}].members[2].name»" in texts(body)
        assert f"«clusters[{i}].contacts[2].email»" in texts(body)
    assert "«cluster_count»" in texts(body)


@pytest.mark.parametrize("language", ["pl", "de"])
def test_fixed_text_comes_from_the_catalog(language: str) -> None:
    """Headings are the catalog's translation of the English source."""
    body = texts(docx.Document(io.BytesIO(default_template("action-plan", language))
                               ).element.body)
    assert translation(language).gettext("Measures") in body
    assert translation(language).gettext("Signatures") in body
