"""Generic python-docx helpers: schema-ordered properties, borders, fields, a stable zip.

They know nothing of the default templates' content or look.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

_BORDER = "A6A6A6"  # a thin grey line unless told otherwise
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# Schema order of the children of w:pPr, w:rPr, w:tcPr and w:tblPr: Word refuses a file
# whose properties come in another order.
PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
       "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
       "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
       "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
       "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
       "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
       "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
       "specVanish oMath").split()
TCPR = ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark").split()
TBLPR = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
         "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook").split()
_SETTINGS_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
                                 "docVars", "rsids", "mathPr", "attachedSchema",
                                 "themeFontLang", "clrSchemeMapping")


def twips(cm: float) -> int:
    return round(cm * 1440 / 2.54)


def set_child(parent, tag: str, order: Sequence[str], **attrs: str):
    """Replace (or add) the child ``w:tag`` of ``parent`` at its place in schema order."""
    old = parent.find(qn(f"w:{tag}"))
    if old is not None:
        parent.remove(old)
    element = OxmlElement(f"w:{tag}", {qn(f"w:{k}"): v for k, v in attrs.items()})
    later = set(order[order.index(tag) + 1:])
    for child in parent:
        if child.tag.rpartition("}")[2] in later:
            child.addprevious(element)
            return element
    parent.append(element)
    return element


def borders(parent, tag: str, order: Sequence[str], sides: Sequence[str], *,
            val: str = "single", color: str = _BORDER, size: int = 4, space: int = 0):
    """A w:tblBorders/w:pBdr/w:tcBorders element with the same line on ``sides``."""
    element = set_child(parent, tag, order)
    for side in sides:
        element.append(OxmlElement(f"w:{side}", {
            qn("w:val"): val, qn("w:sz"): str(size), qn("w:space"): str(space),
            qn("w:color"): color if val != "nil" else "auto"}))
    return element


def margins(parent, tag: str, order: Sequence[str], **cm: float) -> None:
    element = set_child(parent, tag, order)
    for side in ("top", "left", "bottom", "right"):
        if side in cm:
            element.append(OxmlElement(f"w:{side}", {
                qn("w:w"): str(twips(cm[side])), qn("w:type"): "dxa"}))


def tiny(paragraph: Paragraph) -> None:
    """Make an empty paragraph 1 pt high: its mark is all that is there."""
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    mark = set_child(paragraph._p.get_or_add_pPr(), "rPr", PPR)
    for tag in ("sz", "szCs"):
        set_child(mark, tag, RPR, val="2")


def field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field (PAGE, NUMPAGES) with ``shown`` as its result until updated."""
    fld_char(paragraph, "begin")
    instr_text(paragraph, instruction)
    fld_char(paragraph, "separate")
    paragraph.add_run(shown)
    fld_char(paragraph, "end")


def fld_char(paragraph: Paragraph, kind: str, *, dirty: bool = False) -> None:
    attrs = {qn("w:fldCharType"): kind}
    if dirty:
        attrs[qn("w:dirty")] = "true"
    paragraph.add_run()._r.append(OxmlElement("w:fldChar", attrs))


def instr_text(paragraph: Paragraph, text: str) -> None:
    element = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    element.text = f" {text} "
    paragraph.add_run()._r.append(element)


def normalised_zip(data: bytes) -> bytes:
    """The package re-written with its members in a stable order, each with a fixed date."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    first = [name for name in ("[Content_Types].xml", "_rels/.rels") if name in members]
    order = first + sorted(name for name in members if name not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            target.writestr(info, members[name], compresslevel=9)
    return out.getvalue()


def restyle(style, *, size: float, color: RGBColor, bold: bool = False,
            before: float | None = None, after: float | None = None) -> None:
    """Give a style of python-docx's own template a size, colour and spacing, without
    the borders, numbering, italics and letter spacing it gives some of them."""
    element = style.element
    p_pr = element.find(qn("w:pPr"))
    if p_pr is not None:
        for tag in ("pBdr", "numPr", "contextualSpacing"):
            for child in p_pr.findall(qn(f"w:{tag}")):
                p_pr.remove(child)
    r_pr = element.find(qn("w:rPr"))
    if r_pr is not None:
        for tag in ("i", "iCs", "spacing", "kern"):
            for child in r_pr.findall(qn(f"w:{tag}")):
                r_pr.remove(child)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = color
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)


def auto_hyphenation(doc: DocxDocument) -> None:
    """Let Word and LibreOffice hyphenate words too long for their line or column."""
    settings = doc.settings.element
    for old in settings.findall(qn("w:autoHyphenation")):
        settings.remove(old)
    element = OxmlElement("w:autoHyphenation", {qn("w:val"): "true"})
    anchor = settings.find(qn("w:defaultTabStop"))
    if anchor is not None:
        anchor.addnext(element)
    else:
        settings.insert(0, element)


def update_fields_on_open(doc: DocxDocument) -> None:
    """Ask Word to update the fields (the table of contents' page numbers) on opening."""
    settings = doc.settings.element
    element = OxmlElement("w:updateFields", {qn("w:val"): "true"})
    for child in settings:
        if child.tag.rpartition("}")[2] in _SETTINGS_AFTER_UPDATE_FIELDS:
            child.addprevious(element)
            return
    settings.append(element)
