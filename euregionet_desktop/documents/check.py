"""The template check: which fields a .docx template uses, and whether it is safe to fill.

Templates are edited in Word or LibreOffice and filled by docxtpl inside a sandboxed jinja2
environment (documents/render.py). ``inspect_template`` looks at a template the way docxtpl
will and collects findings instead of failing on the first one:

* the package: a zip read in memory only, bounded in members, size and compression ratio,
  with safe and unique names, holding a Word document (.docx);
* what could run or fetch something: macros (.docm, vbaProject), ActiveX controls, OLE
  objects, altChunk imports, relationships to outside targets (hyperlinks excepted);
* the template code in the parts docxtpl fills (body, headers, footers, footnotes and six
  core properties): each tag opens and closes in one paragraph, and each part, parsed as
  docxtpl parses it, uses only a small subset of jinja2 (fields, for, if, comparisons, a few
  filters and tests). Template code in parts docxtpl does not fill is only a warning;
* with a kind of document, every name is a field of that kind (schema.SCHEMAS).

Split tags: Word often stores a tag in several runs (after a spelling check or a formatting
change). docxtpl's ``patch_xml`` joins such a tag when its runs are siblings, whatever lies
between them (proofErr, bookmarks, other formatting): a "repaired" finding. When the pieces
sit in different containers (one inside a hyperlink, a tracked change or a content control),
patch_xml joins the text but leaves unbalanced XML behind, which breaks headers and footers
and survives in the body only through lxml's recovery: that is reported as an error with its
location, not repaired.

Locations: jinja2 gives line numbers. docxtpl puts a line break before each ``<w:p`` after
patching, but patch_xml removes whole paragraphs and rows (``{%p``, ``{%tr``), so those lines
drift. We also parse a copy in which an XML comment, on a line of its own, marks each paragraph
(and each table row and cell, with the number of their first paragraph). The comments sit
between elements, never inside a tag, so both copies give the same syntax tree; that is
checked, and if they ever differ the tree of docxtpl's own source is walked instead.

The package checks live in documents/package.py, the allowed template code in
documents/template_code.py.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from euregionet_desktop.documents import schema as schemas
from euregionet_desktop.documents.findings import ERROR, REPAIRED, WARNING, Finding, shorten
from euregionet_desktop.documents.legend import remove_legend
from euregionet_desktop.documents.package import Package, Refused, damaged, package_findings, w
from euregionet_desktop.documents.template_code import Walker
from euregionet_desktop.errors import TemplateError
from euregionet_desktop.i18n import N_, _, ngettext


@dataclass(frozen=True)
class TemplateReport:
    """What the check found: the kind checked against, the fields used, the findings."""

    kind: str | None
    placeholders: tuple[str, ...]  # "action_plan.title", "measures[].cost", ... sorted
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class TemplatePart:
    """A part docxtpl fills: its zip member, its label and the XML text docxtpl patches."""

    name: str
    label: str
    xml: str
    root: Any = field(compare=False, repr=False)  # the parsed element (the body, a header…)
    # Paragraphs whose typographic quotes inside template code were made plain, as they were.
    plain_quotes: tuple[_Paragraph, ...] = ()
    legend: bool = False  # the legend of the fields (documents/legend.py) was taken out


def inspect_template(data: bytes, *, kind: str | None = None,
                     file_name: str = "") -> TemplateReport:
    """Check a template; problems in the file become findings (kind None: any field name)."""
    if kind is not None and kind not in schemas.SCHEMAS:
        raise ValueError(f"unknown kind of document: {kind!r}")
    findings: list[Finding] = []
    walker = Walker(schemas.SCHEMAS[kind] if kind else None, findings)
    try:
        package = Package(data)
        findings.extend(package_findings(package, file_name))
        parts = _filled_parts(package)
        for part in parts:
            _check_part(part, walker)
        _check_properties(package, walker)
        findings.extend(_unfilled_findings(package, {part.name for part in parts}))
    except Refused as refused:
        findings.append(Finding(ERROR, _("file"), str(refused)))
    return TemplateReport(kind, tuple(sorted(walker.used)), tuple(dict.fromkeys(findings)))


def check_template(data: bytes, *, kind: str | None = None,
                   file_name: str = "") -> TemplateReport:
    """Check a template; raise TemplateError naming the first problem unless it can be used."""
    report = inspect_template(data, kind=kind, file_name=file_name)
    if report.ok:
        return report
    first, more = report.errors[0], len(report.errors) - 1
    problem = _("{location}: {message}").format(location=first.location, message=first.message)
    if more:
        problem = ngettext("{problem} (and {count} more problem)",
                           "{problem} (and {count} more problems)", more).format(
                               problem=problem, count=more)
    raise TemplateError(" ".join(problem.split()))


def template_parts(data: bytes) -> tuple[TemplatePart, ...]:
    """The XML parts docxtpl fills (body, headers, footers, footnotes), in that order."""
    try:
        return tuple(_filled_parts(Package(data)))
    except Refused as refused:
        raise TemplateError(str(refused)) from None


def guess_kind(data: bytes) -> str | None:
    """The kind of document a template seems made for, from its fields; None when unclear."""
    used = {re.split(r"[.\[]", name, maxsplit=1)[0]
            for name in inspect_template(data).placeholders}
    fitting = [kind for kind, fields in schemas.SCHEMAS.items() if used <= fields.keys()]
    if len(fitting) > 1:  # cluster, office, ... are common to several kinds
        fitting = [kind for kind in fitting
                   if (schemas.RECORD_ENTITY[kind] or "clusters") in used]
    if len(fitting) > 1:  # kinds of one record (an initiative's letter and agreement):
        fewest = min(len(schemas.SCHEMAS[kind]) for kind in fitting)  # the closest fit
        fitting = [kind for kind in fitting if len(schemas.SCHEMAS[kind]) == fewest]
    return fitting[0] if len(fitting) == 1 else None


# --- The parts docxtpl fills ----------------------------------------------------------------

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _filled_parts(package: Package) -> list[TemplatePart]:
    """Body, headers and footers of the main document, and footnotes, as docxtpl reads them
    (with the typographic quotes inside template code made plain, see ``plain_quotes``)."""
    body = package.xml(package.main).find(w("body"))
    if body is None:
        raise damaged(package.main)
    legend = remove_legend(body)  # the exported list of fields: neither checked nor filled
    changed = _plain_quotes_in(body)
    parts = [TemplatePart(package.main, _("body"), etree.tostring(body, encoding="unicode"),
                          body, changed, legend)]
    labels = {DocxTemplate.HEADER_URI: N_("header {number}"),
              DocxTemplate.FOOTER_URI: N_("footer {number}")}
    for kind, target, external in package.relationships(package.main):
        if kind in labels and not external and target in package.blobs:
            number = (re.findall(r"\d+", posixpath.basename(target)) or ["1"])[-1]
            root = package.xml(target)
            changed = _plain_quotes_in(root)
            parts.append(TemplatePart(target, _(labels[kind]).format(number=number),
                                      etree.tostring(root, encoding="unicode"), root, changed))
    for name, content_type in package.content_types.items():
        if content_type == _FOOTNOTES and name in package.blobs:
            try:  # docxtpl patches the stored text of the footnotes, not a re-serialisation
                xml = package.blobs[name].decode("utf-8")
            except UnicodeDecodeError:
                raise damaged(name) from None
            root = package.xml(name)
            changed = _plain_quotes_in(root)
            if changed:  # filled from the text with plain quotes (plain_template_quotes)
                xml = etree.tostring(root, encoding="unicode")
            parts.append(TemplatePart(name, _("footnotes"), xml, root, changed))
    return list({part.name: part for part in parts}.values())


# --- Word's typographic quotes inside template code -------------------------------------
# Word's AutoCorrect turns " into „…” or “…” (and ' into ‚…‘ or ’) while a tag is typed;
# jinja knows only plain quotes. Inside tags they are made plain, outside they are text.
_DOUBLE, _SINGLE = '"„“”‟«»″', "'‚‘’‛‹›′"
_QUOTE_CLASS = {**dict.fromkeys(_DOUBLE, '"'), **dict.fromkeys(_SINGLE, "'")}


def plain_quotes(text: str) -> str:
    """``text`` with the quotes of its template code plain, the same length. Inside a quoted
    text the other kind of quote is left as it is ("Müller’s" keeps its apostrophe)."""
    result, position = list(text), 0
    while match := _OPENING.search(text, position):
        end = text.find(_CLOSER[match.group()], match.end())
        if end < 0:
            break
        literal = None  # the kind of quote a quoted text inside the tag opened with
        for index in range(match.end(), end):
            kind = _QUOTE_CLASS.get(text[index])
            if kind is not None and literal in (None, kind):
                literal = kind if literal is None else None
                result[index] = kind
        position = end + 2
    return "".join(result)


def _open_quote(code: str) -> bool:
    """Whether template code leaves a quoted text open (it would swallow what follows)."""
    literal = None
    for char in code:
        kind = _QUOTE_CLASS.get(char)
        if kind is not None and literal in (None, kind):
            literal = kind if literal is None else None
    return literal is not None


def _plain_quotes_in(root: Any) -> tuple[_Paragraph, ...]:
    """Make the quotes inside template code plain in each paragraph (in place, run by run);
    the paragraphs changed, with their text as it was."""
    changed = []
    for paragraph in _paragraphs(root).values():
        if not _OPENING.search(paragraph.text):
            continue
        plain = plain_quotes(paragraph.text)
        if plain == paragraph.text:
            continue
        changed.append(_Paragraph(paragraph.number, paragraph.in_table, paragraph.text, [],
                                  paragraph.reference, paragraph.under_heading,
                                  paragraph.row, paragraph.column))
        for text, start, end in paragraph.pieces:
            text.text = plain[start:end]
    return tuple(changed)


def plain_template_quotes(data: bytes) -> bytes:
    """The template as the check reads it: the quotes inside its template code plain and the
    legend of the fields taken out; the same bytes when there was nothing to change."""
    try:
        package = Package(data)
        parts = [part for part in _filled_parts(package) if part.plain_quotes or part.legend]
    except Refused as refused:
        raise TemplateError(str(refused)) from None
    if not parts:
        return data
    replaced = {part.name: etree.tostring(part.root.getroottree(), xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                for part in parts}
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, replaced.get(info.filename) or source.read(info))
    return output.getvalue()


_DC = "{http://purl.org/dc/elements/1.1/}"
# The six core properties docxtpl renders, by element, with their python-docx names.
_FILLED_PROPERTIES = {f"{_DC}title": N_("title"), f"{_DC}subject": N_("subject"),
                      f"{_DC}creator": N_("author"), f"{_DC}description": N_("comments"),
                      f"{_DC}identifier": N_("identifier"), f"{_DC}language": N_("language")}
_UNFILLED_LABELS = {"word/endnotes.xml": N_("endnotes"), "word/comments.xml": N_("comments"),
                    "docProps/app.xml": N_("document properties (application)"),
                    "docProps/custom.xml": N_("custom document properties")}
_NOT_FILLED = N_("This part contains template code, which is printed as it is, not filled in. "
                 "Move it to the body, a header, a footer or a footnote.")


def _check_properties(package: Package, walker: Walker) -> None:
    if "docProps/core.xml" not in package.blobs:
        return
    for element in package.xml("docProps/core.xml"):
        text = (element.text or "") if isinstance(element.tag, str) else ""  # not comments
        if not (_OPENING.search(text) or _CLOSING.search(text)):
            continue
        name = _FILLED_PROPERTIES.get(element.tag) or etree.QName(element).localname
        label = _("document properties: {name}").format(name=_(name))
        paragraph = _Paragraph(0, False, text)
        if element.tag not in _FILLED_PROPERTIES:
            walker.findings.append(Finding(WARNING, _where(label, paragraph), _(_NOT_FILLED)))
        elif _scan_paragraph(paragraph, label, walker.findings):
            try:
                tree = _parse(text)
            except TemplateSyntaxError as error:
                walker.findings.append(Finding(ERROR, _where(label, paragraph),
                                               _syntax_message(error)))
                continue
            walker.walk(tree, lambda _lineno, needle, label=label, paragraph=paragraph:
                        _where(label, paragraph, needle))


def _unfilled_findings(package: Package, filled: set[str]) -> list[Finding]:
    """Warn about template code in parts docxtpl leaves as they are (endnotes, comments…)."""
    findings = []
    for name, blob in package.blobs.items():
        if (name in filled or name == "docProps/core.xml" or name.endswith(".rels")
                or not name.startswith(("word/", "docProps/")) or b"{" not in blob):
            continue
        if _OPENING.search("".join(package.xml(name).itertext())):
            label = _(_UNFILLED_LABELS[name]) if name in _UNFILLED_LABELS else name
            findings.append(Finding(WARNING, label, _(_NOT_FILLED)))
    return findings


# --- Paragraphs and tags ------------------------------------------------------------------

_OPENING = re.compile(r"\{[{%#]")
_CLOSING = re.compile(r"[}%#]\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
_RICH_TAG = re.compile(r"\{\{(?:p|r|tr|tc)\s")  # docxtpl inserts such a value as raw XML
_PARAGRAPH_TAG = re.compile(r"\{%p\s")


@dataclass
class _Paragraph:
    number: int  # 1-based among the w:p of its part; 0 for a document property
    in_table: bool
    text: str = ""
    pieces: list[tuple[Any, int, int]] = field(default_factory=list)  # (w:t, start, end)
    # Where Word shows it: the last heading or text before it (outside tables, without
    # template code), and for a table cell its row and column (1-based; 0 outside tables).
    reference: str = ""
    under_heading: bool = False
    row: int = 0
    column: int = 0


_HEADING_STYLE = re.compile(r"heading|title|berschrift|nag[lł]|tytu", re.IGNORECASE)


def _is_heading(element: Any) -> bool:
    properties = element.find(w("pPr"))
    if properties is None:
        return False
    style = properties.find(w("pStyle"))
    return properties.find(w("outlineLvl")) is not None or (
        style is not None and bool(_HEADING_STYLE.search(style.get(w("val"), ""))))


def _paragraphs(root: Any) -> dict[int, _Paragraph]:
    """The paragraphs of a part by number, with the text of their own w:t (not nested ones)
    and the heading or text before them, as a person finds them in Word."""
    found = {element: _Paragraph(number, next(element.iterancestors(w("tc")), None) is not None)
             for number, element in enumerate(root.iter(w("p")), 1)}
    for text in root.iter(w("t")):
        paragraph = found.get(next(text.iterancestors(w("p")), None))
        if paragraph is not None and text.text:
            start = len(paragraph.text)
            paragraph.text += text.text
            paragraph.pieces.append((text, start, len(paragraph.text)))
    reference, heading = "", False
    for element, paragraph in found.items():
        paragraph.reference, paragraph.under_heading = reference, heading
        cell = next(element.iterancestors(w("tc")), None)
        if cell is not None:
            row = cell.getparent()
            cells, rows = list(row.iterchildren(w("tc"))), list(row.getparent().iterchildren(
                w("tr")))
            paragraph.column = cells.index(cell) + 1 if cell in cells else 0
            paragraph.row = rows.index(row) + 1 if row in rows else 0
        elif paragraph.text.strip() and not (_OPENING.search(paragraph.text)
                                             or _CLOSING.search(paragraph.text)):
            reference, heading = paragraph.text, _is_heading(element)
    return {paragraph.number: paragraph for paragraph in found.values()}


def _place(label: str, paragraph: _Paragraph) -> str:
    """"body, table under “Measures”, row 3, column 2", "body, after “Dear Sir”"…"""
    if not paragraph.reference:
        return (_("{part}, paragraph {number} (table)") if paragraph.in_table
                else _("{part}, paragraph {number}")).format(part=label,
                                                            number=paragraph.number)
    near = shorten(" ".join(paragraph.reference.split()), 40)
    if paragraph.row:
        message = (_("{part}, table under “{text}”, row {row}, column {column}")
                   if paragraph.under_heading
                   else _("{part}, table after “{text}”, row {row}, column {column}"))
    else:
        message = (_("{part}, under “{text}”") if paragraph.under_heading
                   else _("{part}, after “{text}”"))
    return message.format(part=label, text=near, row=paragraph.row, column=paragraph.column)


def _where(label: str, paragraph: _Paragraph | None, needle: str = "", at: int = -1) -> str:
    """"body, under “Measures”: “quote”", the quote around `needle` or position `at`."""
    if paragraph is None:
        return label
    place = _place(label, paragraph) if paragraph.number else label
    text, width = paragraph.text, 60
    if needle and needle in text:
        at = text.index(needle)
    if len(text) > width:
        start = max(0, min(at - 15, len(text) - width)) if at >= 0 else 0
        text = (("…" if start else "") + text[start:start + width]
                + ("…" if start + width < len(text) else ""))
    text = " ".join(text.split())
    return _("{place}: “{quote}”").format(place=place, quote=text) if text else place


def _scan_paragraph(paragraph: _Paragraph, label: str, findings: list[Finding]) -> bool:
    """Check the tags of one paragraph; False if one is left open or closed without opening
    (jinja would then only report the same broken tag, less clearly)."""
    text, position, outside = paragraph.text, 0, []  # outside: (start, end) between tags
    while match := _OPENING.search(text, position):
        outside.append((position, match.start()))
        end = text.find(_CLOSER[match.group()], match.end())
        if end < 0:
            findings.append(Finding(ERROR, _where(label, paragraph, at=match.start()), _(
                "A tag opened with “{opening}” is not closed in this paragraph. Close it with "
                "“{closing}” in the same paragraph: a tag cannot go on into the next one.").format(
                    opening=match.group(), closing=_CLOSER[match.group()])))
            return False
        position = end + 2
        if match.group() != "{#" and _open_quote(text[match.end():end]):
            findings.append(Finding(ERROR, _where(label, paragraph, at=match.start()), _(
                "A quote opened in “{tag}” is not closed before the end of the tag. Close the "
                "text with the same kind of quote it starts with.").format(
                    tag=shorten(text[match.start():position]))))
            return False
        _check_tag(paragraph, label, match.start(), position, findings)
    outside.append((position, len(text)))
    for start, end in outside:
        if stray := _CLOSING.search(text, start, end):
            findings.append(Finding(ERROR, _where(label, paragraph, at=stray.start()), _(
                "“{closing}” closes a tag that was not opened in this paragraph. Add the "
                "missing opening in this paragraph or delete it.").format(closing=stray.group())))
            return False
    return True


def _check_tag(paragraph: _Paragraph, label: str, start: int, end: int,
               findings: list[Finding]) -> None:
    tag = paragraph.text[start:end]
    where = _where(label, paragraph, at=start)
    if rich := _RICH_TAG.match(tag):
        findings.append(Finding(ERROR, where, _(
            "“{tag}” would insert raw document code, which templates may not do. Write it as "
            "“{plain}”.").format(tag=shorten(tag), plain=f"{{{{ {tag[rich.end():-2].strip()} }}}}")))
    if _PARAGRAPH_TAG.match(tag) and (paragraph.text[:start] + paragraph.text[end:]).strip():
        findings.append(Finding(WARNING, where, _(
            "“{tag}” stands for its whole paragraph, so the rest of the paragraph's text is left "
            "out of the document. Move that text to a paragraph of its own.").format(
                tag=shorten(tag))))
    pieces = [text for text, first, last in paragraph.pieces if first < end and last > start]
    if len(pieces) < 2:
        return
    if len({piece.getparent().getparent() for piece in pieces}) > 1:
        # Runs in different containers: patch_xml would drop the closing tag of the container.
        findings.append(Finding(ERROR, where, _(
            "The tag “{tag}” lies partly inside a link, a tracked change or a content control, "
            "so it cannot be read. Accept the tracked changes or remove the link, then type the "
            "tag again in one go.").format(tag=shorten(tag))))
    else:
        findings.append(Finding(REPAIRED, where, _(
            "The tag “{tag}” is stored in several pieces (Word does this after a spelling check "
            "or a change of formatting). It is joined when the document is made and takes the "
            "formatting of its first character.").format(tag=shorten(tag))))


# --- Parsing a part as docxtpl does --------------------------------------------------------

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
_DOCXTPL = DocxTemplate(None)  # patch_xml uses nothing of the instance
_MARKABLE = re.compile(r"<w:(p|tr|tc)[ >/]")  # "<w:p/>": an empty paragraph counts too
_MARK = re.compile(r"<!--tpl-p(\d+)-->")


def _docxtpl_source(xml: str) -> str:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _DOCXTPL.patch_xml(xml))


def _marked_source(xml: str) -> str:
    """docxtpl's source with each paragraph (row, cell) starting a line with its number."""
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        count += match.group(1) == "p"
        number = count if match.group(1) == "p" else count + 1  # a row's first paragraph
        return f"<!--tpl-p{number}-->{match.group(0)}"

    patched = _DOCXTPL.patch_xml(_MARKABLE.sub(mark, xml))
    return _MARK.sub(lambda match: "\n" + match.group(0), patched)


def _parse(source: str) -> nodes.Template:
    """Parse as docxtpl's environment does; code nested too deeply is a syntax error."""
    try:
        return _ENV.parse(source)
    except RecursionError:
        raise TemplateSyntaxError(_("it is nested too deeply"), 0) from None


def _shape(tree: nodes.Template) -> list[tuple[Any, ...]]:
    """What matters of a syntax tree: its nodes, names and constants, without the XML."""
    return [(type(node).__name__, getattr(node, "name", None), getattr(node, "attr", None),
             node.value if isinstance(node, nodes.Const) else None)
            for node in tree.find_all(nodes.Node)
            if not isinstance(node, nodes.TemplateData | nodes.Output)]


def _syntax_message(error: TemplateSyntaxError) -> str:
    """What jinja could not read, in the interface language (never jinja's English)."""
    message = " ".join((error.message or "").split())
    block = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if block:
        return _("A “{tag}” block is never closed. Add “{closing}” where it should end.").format(
            tag=block.group(1), closing=f"{{% end{block.group(1)} %}}")
    if message == _("it is nested too deeply"):
        return _("The template code here is nested too deeply to be checked. Simplify it.")
    if char := re.match(r"unexpected char '(.)'", message):
        return _("The character “{char}” cannot be used in template code. Quotes around a "
                 "text are written plain (\" or '), and every quote opened is closed.").format(
                     char=char.group(1))
    if tag := re.match(r"Encountered unknown tag '(\w+)'", message):
        if tag.group(1).startswith("end"):
            return _("“{tag}” closes a block that was not opened before it.").format(
                tag=f"{{% {tag.group(1)} %}}")
        return _("“{tag}” is not a tag templates know; the tags are if, elif, else, endif, "
                 "for and endfor.").format(tag=tag.group(1))
    got = re.match(r"(?:expected token '[^']*', got|unexpected|Expected an expression, got) "
                   r"'([^']*)'", message)
    if got and got.group(1) in ("end of statement block", "end of print statement"):
        return _("The tag ends too early: a name, a value or a word such as “in” is missing "
                 "before its end.")
    if got:
        return _("“{word}” does not fit here. Check the spelling and the spaces in this "
                 "tag.").format(word=got.group(1))
    return _("The template code here cannot be read. Check its spelling: a field is written "
             "{field}, a condition {condition} and a loop {loop}.").format(
                 field="{{ cluster.name }}", condition="{% if … %} … {% endif %}",
                 loop="{% for … in … %} … {% endfor %}")


def _check_part(part: TemplatePart, walker: Walker) -> None:
    paragraphs = _paragraphs(part.root)
    for before in part.plain_quotes:
        # Quoted as the person sees them in Word (the same length, so positions hold).
        paragraphs[before.number].text = before.text
        first = next(index for index, (old, new) in enumerate(
            zip(before.text, plain_quotes(before.text), strict=True)) if old != new)
        walker.findings.append(Finding(REPAIRED, _where(part.label, before, at=first), _(
            "Word's typographic quotes („…”, “…”, ‚…‘, «…») inside the template code here are "
            "read as plain quotes (\"…\", '…'); the text outside the tags keeps its quotes.")))
    scans = [_scan_paragraph(paragraph, part.label, walker.findings)
             for paragraph in paragraphs.values()]
    if not all(scans):
        return
    marked = _marked_source(part.xml)
    lines = [0]  # lines[n] = the paragraph that line n (1-based) belongs to
    for line in re.split(r"\r\n|\r|\n", marked):  # jinja counts all three as line breaks
        mark = _MARK.match(line)
        lines.append(int(mark.group(1)) if mark else lines[-1])

    def locate(lineno: int, needle: str = "") -> str:
        number = lines[lineno] if 0 < lineno < len(lines) else 0
        return _where(part.label, paragraphs.get(number), needle)

    try:
        tree = _parse(_docxtpl_source(part.xml))
    except TemplateSyntaxError as error:
        try:
            _parse(marked)
            where = part.label
        except TemplateSyntaxError as located:
            where = (part.label if "end of template" in (located.message or "")
                     else locate(located.lineno or 0))
        walker.findings.append(Finding(ERROR, where, _syntax_message(error)))
        return
    try:
        located_tree: nodes.Template | None = _parse(marked)
    except TemplateSyntaxError:
        located_tree = None
    if located_tree is not None and _shape(located_tree) == _shape(tree):
        walker.walk(located_tree, locate)
    else:  # never seen; keep the tree docxtpl renders, placed by part only
        walker.walk(tree, lambda _lineno, _needle: part.label)
