"""The look the default templates share: styles, page, header, footer, paragraphs, tables.

``Builder`` makes a python-docx document into one kind of template in Polish, in German, or in
both (the German under or beside the Polish).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from euregionet_desktop.documents.docx_build import (
    PPR,
    RPR,
    TBLPR,
    TCPR,
    auto_hyphenation,
    borders,
    field,
    margins,
    normalised_zip,
    restyle,
    set_child,
    tiny,
    twips,
)
from euregionet_desktop.documents.finish import (
    KEEP_WITH_PREVIOUS,
    SECOND_LANGUAGE_STYLE,
    second_language_style,
)
from euregionet_desktop.documents.schema import KINDS
from euregionet_desktop.domain.enums import DocumentKind
from euregionet_desktop.i18n import N_, translation

# The captions under the lines to sign on (the attendance list heads a column with SIGNATURE).
SIGNATURE = N_("Signature")
PLACE_AND_DATE = N_("Place and date")

# --- Look ---------------------------------------------------------------------------------
_FONT = "Calibri"
_ACCENT = RGBColor(0x1F, 0x38, 0x64)
MUTED = RGBColor(0x59, 0x59, 0x59)
_HEAD_FILL = "DCE6F1"
LABEL_FILL = "F2F2F2"
_MARGIN_CM = 2.0
_BUILT_ON = dt.datetime(2025, 1, 1)  # fixed, so that two builds give the same bytes
_LOCALES = {"pl": "pl-PL", "de": "de-DE", "en": "en-GB"}
# The table styles: a grid whose first row is the column headings, and an invisible one
# for layout (side by side, signatures, the page header).
GRID_STYLE, PLAIN_STYLE = "EuRegioNetGrid", "EuRegioNetPlain"
_GRID_XML = """<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 w:type="table" w:customStyle="1" w:styleId="{id}"><w:name w:val="{name}"/>
<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:pPr><w:spacing w:after="0"
 w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>{borders}</w:tblBorders>
<w:tblCellMar><w:top w:w="34" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
<w:bottom w:w="34" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
{first_row}</w:style>"""
_GRID_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_FIRST_ROW = (f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
              f'<w:tcPr><w:shd w:val="clear" w:color="auto" '
              f'w:fill="{_HEAD_FILL}"/><w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>')


_LIST_ID = 90  # the numbered list of the default templates in numbering.xml
_HEADING_PT, _LABEL_PT = 8.0, 8.5  # the sizes of the styles Table Heading and Table Label
_CELL_MARGINS_CM = 0.35
# Where a word may be hyphenated: before the last consonant between two vowels, or before
# the group of consonants that starts a syllable (Pro-gramm, Fäl-lig-keits-da-tum).
_VOWELS = set("aeiouyäöüóąęéàáAEIOUYÄÖÜÓĄĘÉ")
_ONSETS = ("schr", "str", "spr", "sch", "ch", "ck", "cz", "sz", "rz", "dz", "dź", "dż", "cj",
           "ph", "th", "st", "sp", "pr", "br", "tr", "dr", "kr", "gr", "fr", "pl", "bl", "kl",
           "gl", "fl")


def _bold_width_cm(text: str, size_pt: float) -> float:
    """A generous estimate of a bold word's width, for fonts wider than Calibri too (an
    office without Calibri gets DejaVu Sans from LibreOffice)."""
    return len(text) * size_pt * 0.62 / 72 * 2.54


def soft_hyphens(text: str, column_cm: float, size_pt: float) -> str:
    """``text`` with soft hyphens (U+00AD, invisible unless the line breaks there) at the
    syllable breaks of every word too wide for the column, so Word and LibreOffice
    hyphenate "Fällig-keitsdatum" instead of breaking it anywhere."""
    room = column_cm - _CELL_MARGINS_CM
    words = []
    for word in text.split(" "):
        if _bold_width_cm(word, size_pt) > room and len(word) > 5:
            word = _syllables(word)
        words.append(word)
    return " ".join(words)


def _syllables(word: str) -> str:
    lower, breaks = word.lower(), []
    index = 1
    while index < len(word):
        if lower[index] in _VOWELS or not lower[index].isalpha() \
                or lower[index - 1] not in _VOWELS:
            index += 1
            continue
        end = index  # a run of consonants after a vowel, up to the next vowel
        while end < len(word) and lower[end].isalpha() and lower[end] not in _VOWELS:
            end += 1
        if end < len(word) and lower[end] in _VOWELS:
            onset = end - 1
            for group in _ONSETS:
                if end - len(group) >= index and lower[end - len(group):end] == group:
                    onset = end - len(group)
                    break
            if onset >= 2 and len(word) - onset >= 2:
                breaks.append(onset)
        index = end
    parts, start = [], 0
    for index in breaks:
        parts.append(word[start:index])
        start = index
    parts.append(word[start:])
    return "\u00ad".join(parts)


class Builder:
    """A python-docx document being made into one kind of template in one language."""

    def __init__(self, kind: str, language: str) -> None:
        self.kind = kind
        self.languages = ("pl", "de") if language == "pl+de" else (language,)
        self.both = len(self.languages) == 2
        self._gettext = [translation(lang).gettext for lang in self.languages]
        self.landscape = kind == DocumentKind.ATTENDANCE
        self.width = (29.7 if self.landscape else 21.0) - 2 * _MARGIN_CM
        self.doc: DocxDocument = Document()
        self._setup_package()
        self._setup_styles()
        self._setup_section()

    # Text --------------------------------------------------------------------------------

    def tr(self, message: str) -> list[str]:
        """``message`` in the template's languages (once when both say the same)."""
        texts = []
        for gettext in self._gettext:
            text = gettext(message)
            if any(mark in text for mark in ("{{", "{%", "{#", "%}", "}}", "#}")):
                raise ValueError(f"a translation of {message!r} holds template syntax")
            if text not in texts:
                texts.append(text)
        return texts

    def joined(self, message: str, separator: str = " / ") -> str:
        return separator.join(self.tr(message))

    def values(self, name: str) -> list[str]:
        """The tags of a value kept per language: ``status`` or ``status_pl``, ``status_de``."""
        if self.both:
            return [f"{{{{ {name}_pl }}}}", f"{{{{ {name}_de }}}}"]
        return [f"{{{{ {name} }}}}"]

    def value(self, name: str, separator: str = " / ") -> str:
        return separator.join(self.values(name))

    # Paragraphs ---------------------------------------------------------------------------

    def para(self, text: str = "", *, container=None, style: str | None = None,
             bold: bool = False, size: float | None = None, second: bool = False,
             align: WD_ALIGN_PARAGRAPH | None = None, before: float | None = None,
             after: float | None = None, keep_next: bool = False,
             paragraph: Paragraph | None = None) -> Paragraph:
        """A paragraph of one run; ``second`` marks the German line under a Polish one."""
        if paragraph is None:
            paragraph = (container or self.doc).add_paragraph(style=style)
        elif style:
            paragraph.style = self.doc.styles[style]
        if text:
            self.run(paragraph, text, bold=bold, size=size, second=second)
        fmt = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if keep_next:
            fmt.keep_with_next = True
        return paragraph

    def run(self, paragraph: Paragraph, text: str, *, bold: bool = False,
            size: float | None = None, second: bool = False):
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if size:
            run.font.size = Pt(size)
        if second and self.both:
            # The German line under a Polish one: its character style and language tag.
            r_pr = run._r.get_or_add_rPr()
            set_child(r_pr, "rStyle", RPR, val=SECOND_LANGUAGE_STYLE)
            set_child(r_pr, "lang", RPR, val=_LOCALES["de"])
        return run

    def lines(self, texts: Sequence[str], *, container=None, first: Paragraph | None = None,
              **fmt) -> Paragraph:
        """One paragraph per text; in a side-by-side template the second is the German one."""
        paragraph = first
        for index, text in enumerate(texts):
            paragraph = self.para(text, container=container, second=index > 0,
                                  paragraph=first if index == 0 else None, **fmt)
        assert paragraph is not None
        return paragraph

    def tag(self, tag: str, *, container=None) -> Paragraph:
        """A paragraph holding only a docxtpl paragraph tag (``{%p ... %}``): gone once rendered."""
        return self.para(tag, container=container, size=8, after=0)

    def heading(self, message: str, level: int = 1) -> Paragraph:
        return self.para(self.joined(message), style=f"Heading {level}")

    def title(self, subtitles: Sequence[str]) -> None:
        """The kind of document as the title, the record's name under it."""
        for index, text in enumerate(self.tr(KINDS[self.kind])):
            self.para(text, style="Title", second=index > 0,
                      size=15 if index else None, after=0 if index == 0 and self.both else None)
        self.lines(subtitles, style="Subtitle")

    def text_section(self, message: str, name: str, *, per_language: bool, level: int = 1
                     ) -> None:
        """A heading and a text; a text kept per language is shown side by side."""
        self.heading(message, level)
        if per_language and self.both:
            self.side_by_side([[f"{{{{ {name}_pl }}}}"]], [[f"{{{{ {name}_de }}}}"]])
        else:
            self.para(f"{{{{ {name} }}}}")

    def end(self) -> None:
        """Word needs a paragraph after a last table; keep it small so it adds no page."""
        tiny(self.para())

    # Tables -------------------------------------------------------------------------------

    def table(self, widths: Sequence[float], *, container=None, grid: bool = True) -> Table:
        container = container or self.doc
        if isinstance(container, DocxDocument):
            table = container.add_table(rows=0, cols=len(widths))
        else:
            table = container.add_table(0, len(widths), Cm(sum(widths)))
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        for child in list(tbl_pr):
            tbl_pr.remove(child)
        # The look comes from the table style (borders, margins, the headings' row); the
        # columns keep the widths given, whatever their content (fixed layout).
        set_child(tbl_pr, "tblStyle", TBLPR, val=GRID_STYLE if grid else PLAIN_STYLE)
        set_child(tbl_pr, "tblW", TBLPR, w=str(sum(twips(w) for w in widths)), type="dxa")
        set_child(tbl_pr, "tblLayout", TBLPR, type="fixed")
        self._look(table, first_row=False)
        for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths,
                                 strict=True):
            column.set(qn("w:w"), str(twips(width)))
        table._widths = list(widths)  # type: ignore[attr-defined]
        return table

    @staticmethod
    def _look(table: Table, *, first_row: bool) -> None:
        """Whether the table style's first-row look (the column headings) applies."""
        set_child(table._tbl.tblPr, "tblLook", TBLPR, val="0620" if first_row else "0600",
                  firstRow="1" if first_row else "0", lastRow="0", firstColumn="0",
                  lastColumn="0", noHBand="1", noVBand="1")

    def row(self, table: Table, *, header: bool = False, height: float | None = None) -> _Row:
        """A row that never splits across pages; a header row repeats on every page."""
        row = table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if height:
            tr_pr.append(OxmlElement("w:trHeight", {
                qn("w:val"): str(twips(height)), qn("w:hRule"): "atLeast"}))
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, width in zip(row.cells, table._widths, strict=True):  # type: ignore[attr-defined]
            cell.width = Cm(width)
            cell.paragraphs[0].style = self.doc.styles[
                "Table Heading" if header else "Table Text"]
        return row

    def shade(self, cell: _Cell, fill: str) -> None:
        set_child(cell._tc.get_or_add_tcPr(), "shd", TCPR, val="clear", color="auto", fill=fill)

    def cell(self, cell: _Cell, texts: Sequence[str], *, bold: bool = False,
             align: WD_ALIGN_PARAGRAPH | None = None, size: float | None = None,
             style: str = "Table Text") -> Paragraph:
        """Write stacked lines into an empty cell; returns the last paragraph."""
        return self.lines(texts, container=cell, first=cell.paragraphs[0], style=style,
                          bold=bold, align=align, size=size)

    def add_to_cell(self, cell: _Cell, text: str, **fmt) -> Paragraph:
        return self.para(text, container=cell, style="Table Text", **fmt)

    def header_row(self, table: Table, messages: Sequence[str | None], *,
                   centred: Sequence[int] = ()) -> None:
        """Column headings; a side-by-side template has the German heading under the Polish."""
        row = self.row(table, header=True)
        self._look(table, first_row=True)
        widths = table._widths  # type: ignore[attr-defined]
        for index, (cell, message) in enumerate(zip(row.cells, messages, strict=True)):
            if message:  # bold and shaded by the table style's first row
                texts = [soft_hyphens(text, widths[index], _HEADING_PT)
                         for text in self.tr(message)]
                self.cell(cell, texts, style="Table Heading",
                          align=WD_ALIGN_PARAGRAPH.CENTER if index in centred else None)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM

    def loop_row(self, table: Table, tag: str) -> None:
        """A row holding a docxtpl row tag (``{%tr for ... %}``): gone once rendered."""
        row = self.row(table)
        merged = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
        self.para(tag, paragraph=merged.paragraphs[0], size=8)

    def fact_rows(self, items: Sequence[tuple[str, Sequence[str], str | None]], *,
                  label: float = 4.2) -> Table:
        """A table of labelled values, one to a row; a row with a condition (a template
        expression) is left out of the document where the condition is false (no empty
        rows for values not held)."""
        table = self.table([label, self.width - label])
        for message, texts, condition in items:
            if condition:
                self.loop_row(table, f"{{%tr if {condition} %}}")
            row = self.row(table)
            self.shade(row.cells[0], LABEL_FILL)
            self.cell(row.cells[0], [soft_hyphens(text, label, _LABEL_PT)
                                     for text in self.tr(message)], style="Table Label")
            self.cell(row.cells[1], texts)
            if condition:
                self.loop_row(table, "{%tr endif %}")
        return table

    def facts(self, items: Sequence[tuple[str, Sequence[str]]], *, wide: Sequence[int] = ()
              ) -> Table:
        """A table of labelled values, two to a row; the items in ``wide`` take a row each."""
        label = 3.9  # "Clustermanagement", "Fragebogenversion" in bold, unbroken
        value = (self.width - 2 * label) / 2
        table = self.table([label, value, label, value])
        row: _Row | None = None
        column = 4  # the next free column of the current row; 4 = the row is full

        def close_row() -> None:
            if row is not None and column == 2:  # half a row left empty
                self.shade(row.cells[2], LABEL_FILL)

        for index, (message, texts) in enumerate(items):
            if index in wide or column == 4:
                close_row()
                row, column = self.row(table), 0
            label_cell, value_cell = row.cells[column], row.cells[column + 1]
            if index in wide:
                value_cell = value_cell.merge(row.cells[3])
                column = 4
            else:
                column += 2
            self.shade(label_cell, LABEL_FILL)
            self.cell(label_cell, [soft_hyphens(text, label, _LABEL_PT)
                                   for text in self.tr(message)], style="Table Label")
            self.cell(value_cell, texts)
        close_row()
        return table

    def side_by_side(self, left: Sequence[Sequence[str]], right: Sequence[Sequence[str]]
                     ) -> Table:
        """Polish on the left, German on the right, one paragraph per inner list."""
        half = self.width / 2
        table = self.table([half, half], grid=False)
        row = self.row(table)
        tbl_pr = table._tbl.tblPr
        borders(tbl_pr, "tblBorders", TBLPR, ("insideV",))
        for cell, blocks, locale, edge in ((row.cells[0], left, "pl", "left"),
                                           (row.cells[1], right, "de", "right")):
            cell.paragraphs[0].style = self.doc.styles["Normal"]
            inner = "right" if edge == "left" else "left"
            margins(cell._tc.get_or_add_tcPr(), "tcMar", TCPR, **{edge: 0, inner: 0.35})
            for index, block in enumerate(blocks):
                paragraph = self.lines(block, container=cell,
                                       first=cell.paragraphs[0] if index == 0 else None)
                for run in paragraph.runs:
                    set_child(run._r.get_or_add_rPr(), "lang", RPR, val=_LOCALES[locale])
        return table

    def signatures(self, parties: Sequence[tuple[str, Sequence[str]]]) -> None:
        """A column to sign in per party: who signs for whom, a line for place and date, one
        to sign. One table row per line, so the lines of all columns stand at the same
        height; the rows never split and keep with each other and with the heading before
        them, and the heading keeps with the text before it."""
        gap = 1.0
        side = (self.width - gap * (len(parties) - 1)) / len(parties)
        widths: list[float] = []
        for index in range(len(parties)):
            widths += [side] if index == 0 else [gap, side]
        table = self.table(widths, grid=False)
        columns = range(0, len(widths), 2)
        previous = table._tbl.getprevious()
        if previous is not None:
            self.keep_with_previous(previous)
        rows = [self.row(table) for _line in range(6)]
        for column, (message, names) in zip(columns, parties, strict=True):
            edge = {0: "left", len(widths) - 1: "right"}.get(column)
            for row in rows:
                if edge:
                    margins(row.cells[column]._tc.get_or_add_tcPr(), "tcMar", TCPR,
                            **{edge: 0})
            self.cell(rows[0].cells[column], self.tr(message), style="Table Label")
            self.cell(rows[1].cells[column], names)
            for line_row, caption_row, caption, space in ((rows[2], rows[3], PLACE_AND_DATE, 26),
                                                          (rows[4], rows[5], SIGNATURE, 34)):
                line = self.para(paragraph=line_row.cells[column].paragraphs[0], before=space)
                borders(line._p.get_or_add_pPr(), "pBdr", PPR, ("bottom",), color="7F7F7F")
                self.cell(caption_row.cells[column], [self.joined(caption)],
                          style="Table Caption")
        for row in rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    def party_signatures(self, loop: str, names: Sequence[str]) -> None:
        """A signature block per party of a list (``loop`` is the for-tag over it), each a
        table of its own (LibreOffice keeps a small table with what follows, not the rows
        of a long one): the party's lines (``names``) across the width, a line for place
        and date and one to sign beside it, their captions under them. A party's rows never
        split from each other; the first party keeps with the heading before it, and the
        heading with the text before that (as ``signatures``); a page may break between
        two parties."""
        gap = 1.0
        side = (self.width - gap) / 2
        self.tag(f"{{%p {loop} %}}")
        table = self.table([side, gap, side], grid=False)
        self.keep_with_previous(table._tbl.getprevious())
        rows = [self.row(table) for _line in range(3)]
        for row in rows:
            for cell, edge in ((row.cells[0], "left"), (row.cells[2], "right")):
                margins(cell._tc.get_or_add_tcPr(), "tcMar", TCPR, **{edge: 0})
        party = rows[0].cells[0].merge(rows[0].cells[2])
        self.cell(party, names[:1], style="Table Label")
        for text in names[1:]:
            self.add_to_cell(party, text)
        party.paragraphs[0].paragraph_format.space_before = Pt(8)
        for column, caption in ((0, PLACE_AND_DATE), (2, SIGNATURE)):
            line = self.para(paragraph=rows[1].cells[column].paragraphs[0], before=24)
            borders(line._p.get_or_add_pPr(), "pBdr", PPR, ("bottom",), color="7F7F7F")
            self.cell(rows[2].cells[column], [self.joined(caption)], style="Table Caption")
        for row in rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        tiny(self.para())  # the parties' tables stay apart (Word joins adjacent tables)
        self.tag("{%p endfor %}")

    def numbered(self, paragraph: Paragraph) -> None:
        """Number ``paragraph`` (1., 2., 3.) from a list in numbering.xml, not typed text;
        every paragraph numbered so counts on in the same list."""
        numbering = self.doc.part.numbering_part.element
        if numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{_LIST_ID}']") is None:
            abstract = parse_xml(
                f'<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                f'2006/main" w:abstractNumId="{_LIST_ID}"><w:multiLevelType '
                f'w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt '
                f'w:val="decimal"/><w:suff w:val="space"/><w:lvlText w:val="%1."/><w:lvlJc '
                f'w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>'
                f'</w:abstractNum>')
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            numbering.append(parse_xml(
                f'<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                f' w:numId="{_LIST_ID}"><w:abstractNumId w:val="{_LIST_ID}"/></w:num>'))
        num_pr = set_child(paragraph._p.get_or_add_pPr(), "numPr", PPR)
        num_pr.append(OxmlElement("w:ilvl", {qn("w:val"): "0"}))
        num_pr.append(OxmlElement("w:numId", {qn("w:val"): str(_LIST_ID)}))

    def keep_with_previous(self, element) -> None:
        """Keep ``element`` and what stands before it up to its heading, and the last
        paragraph or table row before that heading, on the page of what follows (skipping
        the paragraphs of template tags, gone once filled); the heading is bookmarked for
        finish.keep_with_previous, which keeps what stands before it once filled."""
        passed_heading = False
        while element is not None:
            if element.tag == qn("w:tbl"):
                last = element.findall(qn("w:tr"))[-1]
                for p in last.iter(qn("w:p")):
                    Paragraph(p, self.doc._body).paragraph_format.keep_with_next = True
                if passed_heading:
                    return
            elif element.tag == qn("w:p"):
                text = "".join(t.text or "" for t in element.iter(qn("w:t")))
                if not (text.startswith("{%") and text.endswith("%}")):
                    Paragraph(element, self.doc._body).paragraph_format.keep_with_next = True
                    style = element.pPr.pStyle if element.pPr is not None else None
                    if style is not None and style.val.startswith("Heading") \
                            and not passed_heading:
                        passed_heading = True
                        # What stands before the heading once filled keeps with it too
                        # (finish.keep_with_previous): the section here may be left out.
                        runs = element.findall(qn("w:r"))
                        runs[0].addprevious(OxmlElement("w:bookmarkStart", {
                            qn("w:id"): "9000", qn("w:name"): KEEP_WITH_PREVIOUS}))
                        runs[-1].addnext(OxmlElement("w:bookmarkEnd", {qn("w:id"): "9000"}))
                    elif passed_heading and text:
                        return
            element = element.getprevious()

    # Setup --------------------------------------------------------------------------------

    def _setup_package(self) -> None:
        """Fixed properties, no thumbnail of python-docx's own template, newer compat mode."""
        props = self.doc.core_properties
        props.title = self.joined(KINDS[self.kind])
        props.author = props.last_modified_by = "EuRegioNet"
        props.created = props.modified = _BUILT_ON
        props.revision = 1
        props.comments = props.subject = props.keywords = props.category = ""
        props.language = ", ".join(_LOCALES[lang] for lang in self.languages)
        package = self.doc.part.package
        for rels, dropped in ((package.rels, {RT.THUMBNAIL}),
                              (self.doc.part.rels, {RT.CUSTOM_XML,
                               "http://schemas.microsoft.com/office/2007/relationships/"
                               "stylesWithEffects"})):
            for r_id, rel in list(rels.items()):
                if rel.reltype in dropped:
                    rels.pop(r_id)
                elif rel.reltype == RT.EXTENDED_PROPERTIES:
                    rel.target_part._blob = (
                        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                        b'2006/extended-properties"><Application>EuRegioNet Desktop'
                        b'</Application><DocSecurity>0</DocSecurity></Properties>')
        settings = self.doc.settings.element
        for tag in ("w:proofState", "w:savePreviewPicture", "w:attachedTemplate"):
            for element in settings.findall(qn(tag)):
                settings.remove(element)
        auto_hyphenation(self.doc)  # long German words break at a hyphen, not anywhere
        for setting in settings.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")  # tables start at the margin, as people expect
        fonts = self.doc.part.part_related_by(RT.FONT_TABLE)
        if fonts is not None:
            self._describe_font(fonts)

    @staticmethod
    def _describe_font(part) -> None:
        """Tell applications without Calibri that it is a proportional sans-serif font."""
        from lxml import etree

        root = etree.fromstring(part.blob)
        for font in root.findall(qn("w:font")):
            if font.get(qn("w:name")) == _FONT:
                for child in font:
                    if child.tag == qn("w:family"):
                        child.set(qn("w:val"), "swiss")
                    elif child.tag == qn("w:panose1"):
                        child.set(qn("w:val"), "020F0502020204030204")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        root = styles.element
        # Explicit fonts instead of the theme's, so every style shows the same family.
        for fonts in root.iter(qn("w:rFonts")):
            for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                fonts.attrib.pop(qn(f"w:{attr}"), None)
        defaults = root.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_child(r_pr, "rFonts", RPR, ascii=_FONT, hAnsi=_FONT, eastAsia=_FONT, cs=_FONT)
        set_child(r_pr, "sz", RPR, val="20")
        set_child(r_pr, "szCs", RPR, val="20")
        set_child(r_pr, "lang", RPR, val=_LOCALES[self.languages[0]], eastAsia="en-US",
                  bidi="ar-SA")
        p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        set_child(p_pr, "spacing", PPR, after="80", line="264", lineRule="auto")

        restyle(styles["Title"], size=20, bold=True, color=_ACCENT, after=2)
        restyle(styles["Subtitle"], size=13, color=MUTED, after=10)
        restyle(styles["Heading 1"], size=14, bold=True, color=_ACCENT, before=14, after=5)
        restyle(styles["Heading 2"], size=12, bold=True, color=_ACCENT, before=10, after=4)
        restyle(styles["TOC Heading"], size=14, bold=True, color=_ACCENT, before=0, after=10)
        for name in ("Header", "Footer"):
            restyle(styles[name], size=8, color=MUTED, after=0)
            tabs = styles[name].paragraph_format.tab_stops
            tabs.clear_all()
            tabs.add_tab_stop(Cm(self.width), WD_TAB_ALIGNMENT.RIGHT)
        table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = styles["Normal"]
        table_text.font.size = Pt(8.5)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.0
        # Column headings, the labels of a table of facts, the captions under lines to sign.
        for name, bold, size in (("Table Heading", True, 8), ("Table Label", True, None),
                                 ("Table Caption", False, 7.5)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = table_text
            style.font.bold = bold or None
            if size:
                style.font.size = Pt(size)
            if name == "Table Caption":
                style.font.color.rgb = MUTED
        # Text in the other language (the German line under a Polish one, a value not
        # translated yet) and the table styles.
        root.append(second_language_style())
        for style_id, name, lines, first_row in (
                (GRID_STYLE, "EuRegioNet Grid", _GRID_BORDERS, _FIRST_ROW),
                (PLAIN_STYLE, "EuRegioNet Plain", "", "")):
            root.append(parse_xml(_GRID_XML.format(id=style_id, name=name, borders=lines,
                                                   first_row=first_row).replace("\n", "")))
        toc = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
        toc.element.name_val = "toc 1"  # Word's built-in name, so its TOC field uses it
        toc.style_id = "TOC1"
        toc.base_style = styles["Normal"]
        toc.next_paragraph_style = styles["Normal"]
        toc.font.size = Pt(10.5)
        toc.paragraph_format.space_after = Pt(5)
        # A long name wraps under itself, not under its number. (No right indent to keep
        # it off the numbers' column: LibreOffice then drops the number past the indent.)
        toc.paragraph_format.left_indent = Cm(0.7)
        toc.paragraph_format.first_line_indent = Cm(-0.7)
        toc.paragraph_format.tab_stops.add_tab_stop(
            Cm(self.width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    def _setup_section(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE if self.landscape else WD_ORIENT.PORTRAIT
        long_side, short_side = Cm(29.7), Cm(21.0)
        section.page_width, section.page_height = (
            (long_side, short_side) if self.landscape else (short_side, long_side))
        for side in ("top", "bottom", "left", "right"):
            setattr(section, f"{side}_margin", Cm(_MARGIN_CM))
        # Close to the edge: the programme's identity makes the header and footer taller.
        section.header_distance = section.footer_distance = Cm(0.7)
        self._header(section.header)
        self._footer(section.footer)

    def _header(self, header) -> None:
        """The programme's logos, its name and the project on the left (from the
        programme's settings), the partner office on the right, a thin line under both."""
        left_cell, right_cell = self.header_cells(header, round(self.width * 0.6, 2))
        self.logos(left_cell, first=left_cell.paragraphs[0], after=3)
        # The programme's name is an official name in each language; the project too.
        names = ["{{ programme.name }}"] + (["{{ programme.name_de }}"] if self.both else [])
        self.lines(names, container=left_cell, style="Header", bold=True)
        self.lines(self.values("programme.project"), container=left_cell, style="Header")
        self.lines(["{{ office.name }}"], container=right_cell,
                   first=right_cell.paragraphs[0], style="Header",
                   align=WD_ALIGN_PARAGRAPH.RIGHT)
        right_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM

    def header_cells(self, header, left: float):
        """A page header's two cells side by side (``left`` cm wide, then the rest), a thin
        line under both; the header's first paragraph after them, tiny."""
        table = self.table([left, self.width - left], container=header, grid=False)
        borders(table._tbl.tblPr, "tblBorders", TBLPR, ("bottom",))
        row = table.add_row()
        for cell, width in zip(row.cells, table._widths, strict=True):  # type: ignore[attr-defined]
            cell.width = Cm(width)
        left_cell, right_cell = row.cells
        margins(left_cell._tc.get_or_add_tcPr(), "tcMar", TCPR, left=0, bottom=0.1)
        margins(right_cell._tc.get_or_add_tcPr(), "tcMar", TCPR, right=0, bottom=0.1)
        # The paragraph python-docx starts a header with goes after the table (Word wants one).
        first = header.paragraphs[0]
        table._tbl.addnext(first._p)
        tiny(first)
        return left_cell, right_cell

    def logos(self, container, *, first: Paragraph | None = None, after: float = 0,
              align: WD_ALIGN_PARAGRAPH | None = None) -> None:
        """The EU emblem and the programme's logo side by side at equal height
        (documents.logos), in a paragraph that is gone when neither is set."""
        self.para("{%p if programme.eu_emblem or programme.programme_logo %}",
                  container=container, paragraph=first, size=8, after=0)
        self.para("{{ programme.eu_emblem }}\u2003{{ programme.programme_logo }}",
                  container=container, style="Header", after=after, align=align)
        self.para("{%p endif %}", container=container, size=8, after=0)

    def statement(self, container, *, first: Paragraph | None = None) -> Paragraph:
        """The EU co-financing statement and the programme's slogan (from the programme's
        settings), in the template's languages; the slogan's lines are gone when it is
        empty. Returns the statement's first paragraph."""
        lines = self.values("programme.cofinancing") if self.both \
            else ["{{ programme.cofinancing }}"]
        count = len(container.paragraphs)
        self.lines(lines, container=container, first=first, style="Footer", size=7)
        top = first if first is not None else container.paragraphs[count]
        self.para("{%p if programme.slogan %}", container=container, size=8, after=0)
        # The slogan is short: both languages on one line, so the footer takes little room.
        slogan = self.para(container=container, style="Footer", after=2)
        for index, text in enumerate(self.values("programme.slogan") if self.both
                                     else ["{{ programme.slogan }}"]):
            if index:
                self.run(slogan, "\u2003", size=7)
            self.run(slogan, text, size=7, second=index > 0).italic = True
        self.para("{%p endif %}", container=container, size=8, after=0)
        for paragraph in container.paragraphs[count:]:
            paragraph.paragraph_format.line_spacing = 1.0
        return top

    def _footer(self, footer) -> None:
        """A thin line, the co-financing statement and the slogan, then the document's date
        on the left, page n / total on the right."""
        top = self.statement(footer, first=footer.paragraphs[0])
        borders(top._p.get_or_add_pPr(), "pBdr", PPR, ("top",), space=4)
        top.paragraph_format.space_before = Pt(0)
        paragraph = footer.add_paragraph(style="Footer")
        self.run(paragraph, "{{ document.date }}")
        paragraph.add_run("\t")
        field(paragraph, "PAGE", "1")
        paragraph.add_run(" / ")
        field(paragraph, "NUMPAGES", "1")

    def cover_footer(self, footer) -> None:
        """A cover page's footer: the logos and the co-financing statement, no page number."""
        self.logos(footer, first=footer.paragraphs[0], after=3)
        self.statement(footer)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalised_zip(buffer.getvalue())
