"""The template check on real .docx files built with python-docx and edited as Word would."""

from __future__ import annotations

import html
import io
import re
import struct
import warnings
import zipfile
from collections.abc import Callable

import docx
import pytest
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from euregionet_desktop.documents import check, schema
from euregionet_desktop.errors import TemplateError

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CLUSTER = {"cluster": {"name": "Nowak & Müller <GmbH>"}}


# --- Building templates -------------------------------------------------------------------

def make_docx(*paragraphs: str, header: str | None = None, footer: str | None = None,
              table: list[list[str]] | None = None, title: str | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, texts in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    if title is not None:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, *, edit: dict[str, Callable[[str], str]] | None = None,
            add: dict[str, bytes | str] | None = None) -> bytes:
    """The same package with some parts edited as text and others added."""
    edit, add = edit or {}, add or {}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in edit:
                content = edit[info.filename](content.decode()).encode()
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return output.getvalue()


def relationship(rid: str, kind: str, target: str, *, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>'


def add_relationship(xml: str, *relationships: str) -> str:
    return xml.replace("</Relationships>", "".join(relationships) + "</Relationships>")


def run(text: str, properties: str = "") -> str:
    return f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'


def with_runs(runs: str, *, part: str = "word/document.xml") -> bytes:
    """A document whose first body (or header) paragraph holds exactly these runs."""
    data = make_docx("SLOT", header="SLOT")
    return rewrite(data, edit={part: lambda xml: xml.replace("<w:r><w:t>SLOT</w:t></w:r>", runs)})


def with_footnote(text: str) -> bytes:
    """A document with a footnotes part (python-docx writes none): a separator and one note."""
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                 f'</w:footnote><w:footnote w:id="1"><w:p>{run(text)}</w:p></w:footnote>'
                 "</w:footnotes>")
    override = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    return rewrite(make_docx("Body"), add={"word/footnotes.xml": footnotes}, edit={
        "word/_rels/document.xml.rels": lambda xml: add_relationship(
            xml, relationship("rIdNotes", f"{RELS}/footnotes", "footnotes.xml")),
        "[Content_Types].xml": lambda xml: xml.replace("</Types>", override + "</Types>"),
    })


def render(data: bytes, context: dict) -> str:
    """Fill a template the way documents/render.py does; the text of every filled part."""
    template = DocxTemplate(io.BytesIO(data))
    environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    template.render(context, jinja_env=environment, autoescape=True)
    output = io.BytesIO()
    template.save(output)
    with zipfile.ZipFile(io.BytesIO(output.getvalue())) as package:
        texts = [package.read(name).decode() for name in package.namelist()
                 if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes)\.xml", name)]
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", "".join(texts))))


def only(report: check.TemplateReport, severity: str = check.ERROR) -> check.Finding:
    found = [finding for finding in report.findings if finding.severity == severity]
    assert len(found) == 1, report.findings
    return found[0]


# --- Good templates -------------------------------------------------------------------------

def test_plain_template_passes_and_lists_its_fields():
    """Fields in body, table, header and footer are listed, sorted and unique."""
    data = make_docx("{{ action_plan.title }} – {{ cluster.name }}", "{{ cluster.name }}",
                     table=[["{%tr for m in measures %}", ""], ["{{ m.title }}", "{{ m.cost }}"],
                            ["{%tr endfor %}", ""]],
                     header="{{ office.name }}", footer="{{ loop_free|default('') }}")
    report = check.inspect_template(data)
    assert report.ok and report.findings == ()
    assert report.placeholders == ("action_plan.title", "cluster.name", "loop_free",
                                   "measures", "measures[].cost", "measures[].title",
                                   "office.name")


def test_allowed_constructs_pass_for_a_kind():
    """if/elif/else, loops with loop.*, comparisons, allowed filters and tests, [0] pass."""
    data = make_docx(
        "{{ measures[0].title }} {{ measures|length }} {{ cluster.name|upper|truncate(20) }}",
        "{% for m in measures if m.status != 'done' %}{{ loop.index }}. {{ m.title ~ '!' }}"
        "{% if loop.last %}.{% endif %}{% else %}none{% endfor %}",
        "{% if cluster.members|length > 1 and not cluster.website is none %}many"
        "{% elif 'Lub' in cluster.region %}{% endif %}",
        "{{ parties|join(', ', attribute='name') }} {{ cluster.website|replace('https://', '') }}",
        "{{ cluster.name if cluster.name is defined else '' }} {# a note #}",
        "{%p if measures %}",
        "{% for c in cluster.members %}{{ c.name|default('?') }}{% endfor %}",
        "{%p endif %}",
    )
    report = check.inspect_template(data, kind="action-plan")
    assert report.ok, report.findings
    assert {"measures[].title", "parties[].name", "cluster.members[].name",
            "cluster.website"} <= set(report.placeholders)


def _template_lines(shape: schema.Schema, prefix: str, depth: int = 0) -> list[str]:
    lines = []
    for name, sub in shape.items():
        if sub is None:
            lines.append(f"{{{{ {prefix}{name} }}}}")
        elif isinstance(sub, dict):
            lines += _template_lines(sub, f"{prefix}{name}.", depth)
        else:
            item = f"item{depth}"
            inner = " ".join(_template_lines(sub[0], f"{item}.", depth + 1))
            lines.append(f"{{% for {item} in {prefix}{name} %}}{inner}{{% endfor %}}")
    return lines


@pytest.mark.parametrize("kind", sorted(schema.SCHEMAS))
def test_every_field_passes_the_check_and_renders_in_the_sandbox(kind):
    """A template using every field of a kind passes, and docxtpl fills every one of them."""
    shape = schema.SCHEMAS[kind]
    data = make_docx(*_template_lines(shape, ""), title="{{ document.date }}")
    report = check.inspect_template(data, kind=kind)
    assert report.ok, report.findings[:3]
    assert set(report.placeholders) == set(schema.leaf_names(shape))
    text = render(data, schema.sample_context(shape))
    names = list(schema.leaf_names(shape))
    for name in names:
        if not any(other.startswith(f"{name}[]") for other in names):  # not a list
            assert f"«{name.replace('[]', '[1]')}»" in text, name


def test_guess_kind_reads_the_fields_used():
    """The record a template names tells its kind; common fields alone do not."""
    assert check.guess_kind(make_docx("{{ consultation.subject }} {{ cluster.name }}")) \
        == "consultation"
    assert check.guess_kind(make_docx("{{ cluster.name }}")) is None
    # An initiative gives two documents: the letter names no bodies, the agreement does.
    assert check.guess_kind(make_docx("{{ initiative.letter_date }} {{ cluster.name }}")) \
        == "letter-of-intent"
    assert check.guess_kind(make_docx("{{ initiative.place }} {{ leader.name }}")) \
        == "cooperation-agreement"
    assert check.guess_kind(make_docx("{{ membership.date }} {{ organisation.registers }}")) \
        == "accession-declaration"


# --- Unsafe template code -------------------------------------------------------------------

def test_header_with_class_access_is_refused():
    """``''.__class__.__mro__`` in a header: a hidden attribute, located in header 1."""
    report = check.inspect_template(make_docx("Body", header="{{ ''.__class__.__mro__ }}"))
    finding = only(report)
    assert "header 1" in finding.location and "paragraph 1" in finding.location
    assert "__mro__" in finding.location and "“_”" in finding.message


def test_footer_with_range_loop_is_refused():
    """``range(10**9)`` in a footer: a function call (and arithmetic), located in footer 1."""
    report = check.inspect_template(
        make_docx("Body", footer="{% for i in range(10**9) %}x{% endfor %}"))
    assert not report.ok
    assert all("footer 1, paragraph 1" in finding.location for finding in report.errors)
    assert any("function call" in finding.message for finding in report.errors)


def test_footnote_with_cycler_is_refused():
    """A footnote is filled by docxtpl, so ``cycler.__init__`` there is refused too."""
    report = check.inspect_template(with_footnote("{{ cycler.__init__ }}"))
    finding = only(report)
    assert finding.location.startswith("footnotes, paragraph 2")
    assert "“_”" in finding.message


def test_footnote_fields_are_filled_by_docxtpl():
    """Why footnotes count as filled: docxtpl really replaces their placeholders."""
    data = with_footnote("{{ cluster.name }}")
    assert check.inspect_template(data, kind="action-plan").ok
    assert "Nowak & Müller <GmbH>" in render(data, CLUSTER)


def test_core_property_title_is_checked():
    """The title is one of the six properties docxtpl renders."""
    finding = only(check.inspect_template(make_docx("Body", title="{{ x.__class__ }}")))
    assert finding.location.startswith("document properties: title")


@pytest.mark.parametrize(("code", "words"), [
    ("{% set x = 1 %}", "{% set %}"),
    ("{{ cluster.name|safe }}", "“safe”"),
    ("{% autoescape false %}{{ cluster.name }}{% endautoescape %}", "autoescape"),
    ("{% macro m() %}x{% endmacro %}", "macro"),
    ("{% include 'other.docx' %}", "include"),
    ("{% with a = 1 %}{% endwith %}", "with"),
    ("{% filter upper %}x{% endfilter %}", "filter"),
    ("{{ {'a': 1} }}", "dictionary"),
    ("{{ [1, 2] }}", "list"),
    ("{{ cluster.name[1:3] }}", "slice"),
    ("{{ cluster['name'] }}", "number"),
    ("{{ 'a' * 1000000000 }}", "arithmetic"),
    ("{{ cluster.name|format(1) }}", "“format”"),
    ("{{ measures|map(attribute='title')|first }}", "“map”"),
    ("{{ cluster.name|center(1000000000) }}", "“center”"),
    ("{% if cluster.name is callable %}{% endif %}", "“callable”"),
    ("{{ cluster.name|replace('a', 'aa')|replace('a', 'aa') }}", "replace"),
    ("{{ lipsum() }}", "function call"),
])
def test_refused_constructs_are_named(code, words):
    """Each construct outside the allowed subset is an error that names it."""
    report = check.inspect_template(make_docx("Intro", code), kind="action-plan")
    assert not report.ok
    finding = report.errors[0]
    assert words in finding.message
    assert finding.location.startswith("body, after “Intro”: “")  # as Word shows it


@pytest.mark.parametrize("code", ["{{ cycler }}", "{{ self }}", "{{ range }}"])
def test_template_language_globals_are_not_fields(code):
    """Even without a kind, jinja's own globals are refused rather than listed as fields."""
    report = check.inspect_template(make_docx(code))
    assert "template language" in only(report).message and report.placeholders == ()


def test_deeply_nested_code_is_an_error_not_a_crash():
    """Hundreds of nested brackets make jinja recurse too deep: reported, not raised."""
    report = check.inspect_template(make_docx("{{ " + "(" * 500 + "x" + ")" * 500 + " }}"))
    assert "nested too deeply" in only(report).message


@pytest.mark.parametrize("code", ["{{r cluster.name }}", "{{p cluster.name }}"])
def test_rich_text_and_subdocument_tags_are_refused(code):
    """``{{r`` and ``{{p`` insert raw XML; the message shows the plain form."""
    finding = only(check.inspect_template(make_docx(code)))
    assert "{{ cluster.name }}" in finding.message


def test_paragraph_tag_with_other_text_warns():
    """``{%p`` replaces its whole paragraph: other text there would vanish."""
    report = check.inspect_template(make_docx("Lost text {%p if x %}", "{%p endif %}"))
    assert report.ok
    assert "left out" in only(report, check.WARNING).message


# --- Unknown fields -------------------------------------------------------------------------

def test_unknown_field_suggests_the_closest():
    """A typo in a field name names the field meant."""
    finding = only(check.inspect_template(make_docx("{{ cluster.nmae }}"), kind="action-plan"))
    assert "“cluster.nmae”" in finding.message and "“cluster.name”" in finding.message


def test_unknown_field_in_loop_suggests_in_the_loop_variable():
    """Inside a loop over measures, ``m.titel`` suggests ``m.title``."""
    data = make_docx("{% for m in measures %}{{ m.titel }}{% endfor %}")
    finding = only(check.inspect_template(data, kind="action-plan"))
    assert "Did you mean “m.title”?" in finding.message


def test_unknown_name_without_close_one_lists_the_fields():
    """Nothing close: the message lists the fields at that level."""
    finding = only(check.inspect_template(make_docx("{{ cluster.xyzzy }}"), kind="action-plan"))
    assert "region" in finding.message and "Did you mean" not in finding.message


def test_unknown_fields_are_fine_without_a_kind():
    """Without a kind the field check is skipped, the names are still listed."""
    report = check.inspect_template(make_docx("{{ anything.at.all }}"))
    assert report.ok and report.placeholders == ("anything.at.all",)


@pytest.mark.parametrize(("code", "words"), [
    ("{{ measures }}", "is a list"),
    ("{{ cluster }}", "group of fields"),
    ("{% for c in cluster.name %}{% endfor %}", "not a list"),
    ("{{ measures.title }}", "is a list"),
    ("{{ cluster.name.first }}", "is a text"),
    ("{{ loop.index }}", "inside a for loop"),
    ("{% for m in measures %}{{ loop.cycle }}{% endfor %}", "loop.cycle"),
    ("{{ cluster.name if cluster.name }}", "else"),
    ("{{ parties|join(', ') }}", "attribute"),
])
def test_misused_fields_are_errors(code, words):
    """Lists shown as text, loops over texts, loop outside a loop: errors saying so."""
    finding = only(check.inspect_template(make_docx(code), kind="action-plan"))
    assert words in finding.message


# --- Tags in paragraphs ---------------------------------------------------------------------

def test_unclosed_tag_is_located_and_quoted():
    """A tag not closed in its paragraph names the paragraph and quotes it."""
    data = make_docx("First", "Dear {{ cluster.name", "}} regards")
    report = check.inspect_template(data)
    assert [finding.location for finding in report.errors] == [
        "body, after “First”: “Dear {{ cluster.name”", "body, after “First”: “}} regards”"]
    assert "not closed" in report.errors[0].message


def test_long_paragraph_is_quoted_around_the_problem():
    """The quote is short and shows the broken tag, not the start of the paragraph."""
    data = make_docx("Lorem ipsum " * 20 + "{{ cluster.name" + " dolor" * 20)
    finding = only(check.inspect_template(data))
    quote = finding.location.split("“", 1)[1]
    assert len(quote) < 70 and "{{ cluster.name" in quote


def test_syntax_error_is_mapped_to_its_paragraph():
    """Jinja's line number becomes the paragraph, also after {%p paragraphs are removed."""
    data = make_docx("{%p if x %}", "{%p endif %}", "ok", "{{ cluster name }}")
    finding = only(check.inspect_template(data))
    assert finding.location.startswith("body, after “ok”: “{{ cluster name }}”")


def test_refused_code_after_a_table_row_loop_is_located():
    """{%tr removes rows with their paragraphs; later locations still count them."""
    data = make_docx("Intro", table=[["{%tr for m in measures %}"], ["{{ m.title }}"],
                                     ["{%tr endfor %}"], ["{{ m.__dict__ }}"]])
    finding = only(check.inspect_template(data))
    assert finding.location.startswith("body, table after “Intro”, row 4, column 1: “")


def test_locations_name_the_heading_and_the_table_cell_word_shows():
    """No paragraph numbers Word does not show: the heading above, the row and the column."""
    document = docx.Document()
    document.add_heading("Cele planu", level=1)
    document.add_paragraph("Wstęp do celów")
    document.add_paragraph("{{ action_plan.titel }}")
    document.add_heading("Działania", level=2)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 1).text = "Tytuł"
    table.cell(2, 1).text = "{{ cluster.nmae }}"
    buffer = io.BytesIO()
    document.save(buffer)
    report = check.inspect_template(buffer.getvalue(), kind="action-plan")
    assert [finding.location for finding in report.errors] == [
        "body, after “Wstęp do celów”: “{{ action_plan.titel }}”",
        "body, table under “Działania”, row 3, column 2: “{{ cluster.nmae }}”"]
    assert "paragraph" not in " ".join(finding.location for finding in report.errors)


def test_unclosed_block_names_the_block():
    """An ``if`` never closed: the message says which end tag to add."""
    finding = only(check.inspect_template(make_docx("{% if x %}", "text")))
    assert "{% endif %}" in finding.message and finding.location == "body"


@pytest.mark.parametrize("runs", [
    run("{{ cl") + run("uster.name }}"),
    run("{") + run("{ cluster.name }}"),
    run("{{ cluster.name }") + run("}"),
    run("{{ clu") + '<w:proofErr w:type="spellStart"/>' + run("ster.name }}")
    + '<w:proofErr w:type="spellEnd"/>',
    run("{{ cluster.") + run("name }}", "<w:rPr><w:b/><w:i/></w:rPr>"),
    run("{{ cluster.") + '<w:bookmarkStart w:id="0" w:name="m"/>' + run("name }}")
    + '<w:bookmarkEnd w:id="0"/>',
], ids=["middle", "between-braces", "closing-braces", "proofErr", "formatting", "bookmark"])
@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml"])
def test_split_tags_are_repaired_by_docxtpl(runs, part):
    """A tag split across sibling runs is a "repaired" finding, and docxtpl fills it."""
    data = with_runs(runs, part=part)
    report = check.inspect_template(data, kind="action-plan")
    assert report.ok and "several pieces" in only(report, check.REPAIRED).message
    assert report.placeholders == ("cluster.name",)
    assert "Nowak & Müller <GmbH>" in render(data, {**CLUSTER, "SLOT": ""})


@pytest.mark.parametrize("container", [
    '<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">{}</w:ins>',
    '<w:hyperlink w:anchor="top">{}</w:hyperlink>',
])
def test_split_tag_across_containers_is_an_error(container):
    """A tag split into a tracked change or a link breaks docxtpl's XML: an error."""
    runs = run("{{ cluster.") + container.format(run("name }}"))
    data = with_runs(runs, part="word/header1.xml")
    finding = only(check.inspect_template(data))
    assert finding.location.startswith("header 1, paragraph 1")
    assert "tracked change" in finding.message
    with pytest.raises(Exception, match="mismatch"):
        render(data, CLUSTER)


def test_template_code_in_unfilled_parts_warns():
    """Endnotes and extended properties are printed as they are: a warning, not an error."""
    endnotes = f"<w:endnotes {W}><w:endnote w:id='1'><w:p>{run('{{ x }}')}</w:p></w:endnote>" \
               "</w:endnotes>"
    data = rewrite(make_docx("Body"), add={"word/endnotes.xml": endnotes}, edit={
        "docProps/app.xml": lambda xml: xml.replace("</Properties>",
                                                    "<Company>{{ office.name }}</Company>"
                                                    "</Properties>")})
    report = check.inspect_template(data)
    assert report.ok
    warnings_ = [finding for finding in report.findings if finding.severity == check.WARNING]
    assert [finding.location for finding in warnings_] == [
        "document properties (application)", "endnotes"]
    assert all("not filled in" in finding.message for finding in warnings_)


# --- Macros, embedded objects, links --------------------------------------------------------

def _content_type(xml: str, part: str, content_type: str) -> str:
    return xml.replace("</Types>",
                       f'<Override PartName="{part}" ContentType="{content_type}"/></Types>')


def test_macro_enabled_content_type_is_refused():
    """A .docm main part is refused with what to do."""
    data = rewrite(make_docx("Body"), edit={"[Content_Types].xml": lambda xml: xml.replace(
        "wordprocessingml.document.main+xml", "..").replace(
        'ContentType="application/vnd.openxmlformats-officedocument..',
        'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml')})
    finding = only(check.inspect_template(data))
    assert "macros" in finding.message and "Word Document (*.docx)" in finding.message


def test_docm_file_name_and_vba_project_are_refused():
    """A vbaProject.bin part (and a .docm name) means macros."""
    data = rewrite(make_docx("Body"), add={"word/vbaProject.bin": b"\x00" * 64})
    finding = only(check.inspect_template(data, file_name="plan.docx"))
    assert "vbaProject.bin" in finding.message
    assert "plan.docm" in only(check.inspect_template(make_docx("x"), file_name="plan.docm")
                               ).message


def test_activex_part_is_refused():
    """An ActiveX part is refused."""
    data = rewrite(make_docx("Body"), add={"word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='x'/>"})
    assert "ActiveX" in only(check.inspect_template(data)).message


def test_ole_object_is_refused():
    """An embedded OLE object is refused."""
    data = rewrite(make_docx("Body"), add={"word/embeddings/oleObject1.bin": b"\x00" * 10})
    assert "embedded object" in only(check.inspect_template(data)).message


def test_alt_chunk_is_refused():
    """An altChunk (an imported document) is refused."""
    data = rewrite(make_docx("Body"), add={"word/afchunk.htm": "<html>x</html>"}, edit={
        "word/document.xml": lambda xml: xml.replace(
            "<w:sectPr", '<w:altChunk r:id="rIdChunk"/><w:sectPr', 1),
        "word/_rels/document.xml.rels": lambda xml: add_relationship(
            xml, relationship("rIdChunk", f"{RELS}/aFChunk", "afchunk.htm"))})
    assert "another document" in only(check.inspect_template(data)).message


def test_external_image_and_attached_template_are_refused():
    """Outside links are refused and named; a hyperlink is fine."""
    data = rewrite(make_docx("Body"), add={
        "word/_rels/settings.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.'
        'org/package/2006/relationships">' + relationship(
            "rId1", f"{RELS}/attachedTemplate", "https://evil.example/corp.dotm",
            external=True) + "</Relationships>"}, edit={
        "word/_rels/document.xml.rels": lambda xml: add_relationship(
            xml, relationship("rIdImg", f"{RELS}/image", "http://tracker.example/pixel.png",
                              external=True),
            relationship("rIdLink", f"{RELS}/hyperlink", "https://example.org", external=True))})
    report = check.inspect_template(data)
    messages = [finding.message for finding in report.errors]
    assert len(messages) == 2
    assert any("http://tracker.example/pixel.png" in message for message in messages)
    assert any("attached to another template" in message and "evil.example" in message
               for message in messages)
    assert not any("example.org" in message for message in messages)


def test_hyperlink_passes():
    """An ordinary link to a web page is no problem."""
    data = rewrite(make_docx("Body"), edit={
        "word/_rels/document.xml.rels": lambda xml: add_relationship(
            xml, relationship("rIdLink", f"{RELS}/hyperlink", "https://example.org",
                              external=True))})
    assert check.inspect_template(data).findings == ()


# --- Damaged and hostile files --------------------------------------------------------------

def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are what one test wants
        for name, content in members.items():
            for one in name.split("|"):
                archive.writestr(one, content)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "words"), [
    (b"plain text, not a zip", "not a Word document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old Word document"),
    (_zip({"hello.txt": b"hi"}), "not a Word document"),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml|word/document.xml": b"<x/>"}),
     "twice"),
    (_zip({"[Content_Types].xml": b"<Types/>", "../evil.xml": b"<x/>"}), "outside"),
    (_zip({"[Content_Types].xml": b"<Types/>", "/etc/evil.xml": b"<x/>"}), "outside"),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(20 * 2**20)}),
     "times its packed size"),
    (_zip({f"p{number}.xml": b"<x/>" for number in range(2001)}), "2001 parts"),
])
def test_hostile_or_broken_packages_are_refused(data, words):
    """Not a zip, a .doc, a zip without Word document, duplicates, bad names, bombs."""
    report = check.inspect_template(data)
    finding = only(report)
    assert words in finding.message and finding.location == "file"


def test_declared_size_beyond_the_limit_is_refused():
    """A central directory claiming 200 MB is refused before anything is unpacked."""
    data = bytearray(make_docx("Body"))
    entry = data.find(b"PK\x01\x02")  # the first central directory entry
    struct.pack_into("<I", data, entry + 24, 200 * 2**20)
    assert "MB" in only(check.inspect_template(bytes(data))).message


def test_damaged_xml_is_refused():
    """Broken XML in the main document names the part."""
    data = rewrite(make_docx("Body"), edit={"word/document.xml": lambda xml: xml[:-40]})
    finding = only(check.inspect_template(data))
    assert "word/document.xml" in finding.message and "damaged" in finding.message


# --- check_template -------------------------------------------------------------------------

def test_check_template_raises_with_the_first_problem_and_a_count():
    """One line: where, what, and how many more problems there are."""
    data = make_docx("{{ cluster.nmae }}", "{% set x = 1 %}", "{{ x|safe }}")
    with pytest.raises(TemplateError) as raised:
        check.check_template(data, kind="action-plan")
    message = str(raised.value)
    assert message.startswith("body, paragraph 1: “{{ cluster.nmae }}”: ")
    assert message.endswith("(and 2 more problems)") and "\n" not in message


def test_check_template_returns_the_report_when_ok():
    """A usable template gives its report back, repaired findings included."""
    report = check.check_template(with_runs(run("{{ cl") + run("uster.name }}")),
                                  kind="action-plan")
    assert report.ok and report.kind == "action-plan"


def test_template_parts_lists_filled_parts():
    """Body, header and footer in docxtpl's order, with their labels."""
    parts = check.template_parts(make_docx("x", header="h", footer="f"))
    assert [part.label for part in parts] == ["body", "header 1", "footer 1"]
    with pytest.raises(TemplateError):
        check.template_parts(b"nope")
