"""Reports the app writes whole (the indicator report): the default templates' look, with
the header, footer and title given as text instead of template tags.

A report is not a template people edit: its tables grow with what is counted and its text
is final when written, so it is built directly with python-docx (no docxtpl pass, so a
record's name holding ``{{`` prints as it is)."""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from euregionet_desktop.documents.docx_build import PPR, borders, field
from euregionet_desktop.documents.template_builder import Builder
from euregionet_desktop.domain.enums import DocumentKind


class ReportBuilder(Builder):
    """A portrait document in ``language`` (pl, de or pl+de) whose page header names
    ``header_left`` and ``header_right`` and whose footer shows ``footer_left`` and the
    page number."""

    def __init__(self, language: str, *, title: str, header_left: Sequence[str],
                 header_right: Sequence[str], footer_left: str) -> None:
        self._header_left, self._header_right = list(header_left), list(header_right)
        self._footer_left = footer_left
        # The directory's page (portrait); the title is the report's own.
        super().__init__(DocumentKind.DIRECTORY.value, language)
        self.doc.core_properties.title = title

    def report_title(self, titles: Sequence[str], subtitles: Sequence[str]) -> None:
        for index, text in enumerate(titles):
            self.para(text, style="Title", second=index > 0, size=15 if index else None,
                      after=0 if index == 0 and len(titles) > 1 else None)
        for text in subtitles:
            self.para(text, style="Subtitle", after=2)

    def _header(self, header) -> None:
        left_cell, right_cell = self.header_cells(header, 8.5)
        self.lines(self._header_left or [""], first=left_cell.paragraphs[0], style="Header")
        self.lines(self._header_right or [""], container=right_cell,
                   first=right_cell.paragraphs[0], style="Header",
                   align=WD_ALIGN_PARAGRAPH.RIGHT)

    def _footer(self, footer) -> None:
        paragraph = footer.paragraphs[0]
        borders(paragraph._p.get_or_add_pPr(), "pBdr", PPR, ("top",), space=4)
        paragraph.paragraph_format.space_before = Cm(0)
        self.run(paragraph, self._footer_left)
        paragraph.add_run("\t")
        field(paragraph, "PAGE", "1")
        paragraph.add_run(" / ")
        field(paragraph, "NUMPAGES", "1")
