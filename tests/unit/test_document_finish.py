"""The last touches on a filled document: text in the other language in runs of its own,
language-tagged and styled, no mark left; what stands before the signatures kept with them;
the advisor and the time of making as properties."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
from docx.oxml.ns import qn

from euregionet_desktop.documents.defaults import build_template, default_template
from euregionet_desktop.documents.finish import (
    KEEP_WHOLE_TABLE_ROWS,
    KEEP_WITH_PREVIOUS,
    SECOND_LANGUAGE_STYLE,
    keep_with_previous,
    language_runs,
    set_properties,
)
from euregionet_desktop.documents.marks import END, SEPARATOR, START, in_language
from euregionet_desktop.documents.render import render_docx
from euregionet_desktop.documents.schema import SCHEMAS, sample_context

MARKS = re.compile(f"[{START}{SEPARATOR}{END}]")


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name).decode("utf-8", "replace")
                for name in package.namelist() if name.endswith((".xml", ".rels"))}


def _plain_docx(text: str, *, bold: bool = True) -> bytes:
    """A document of python-docx's own (no "Second language" style) with one run."""
    document = docx.Document()
    run = document.add_paragraph().add_run(text)
    run.bold = bold
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_marked_span_becomes_a_run_with_its_language_and_style():
    """The text around keeps the run's formatting; the span gets it too, plus de-DE and the
    character style, which is added to a template that lacks it."""
    data = language_runs(_plain_docx(f"Cel: {in_language('Ziele auf Deutsch', 'de')}.\nEnde"))
    document = docx.Document(io.BytesIO(data))
    runs = document.paragraphs[0].runs
    assert [run.text for run in runs] == ["Cel: ", "[DE] Ziele auf Deutsch", ".\nEnde"]
    assert all(run.bold for run in runs)
    marked = runs[1]._r.rPr
    assert marked.find(qn("w:rStyle")).get(qn("w:val")) == SECOND_LANGUAGE_STYLE
    assert marked.find(qn("w:lang")).get(qn("w:val")) == "de-DE"
    assert runs[0]._r.rPr.find(qn("w:lang")) is None
    style = document.styles.element.xpath(f'w:style[@w:styleId="{SECOND_LANGUAGE_STYLE}"]')
    assert len(style) == 1 and style[0].get(qn("w:type")) == "character"
    assert not any(MARKS.search(text) for text in _parts(data).values())


def test_every_kind_filled_with_marked_values_keeps_no_mark():
    """All fifteen default templates filled with every value marked as Polish: no mark
    character survives in any part, and the marked text is tagged pl-PL."""
    for kind, schema in SCHEMAS.items():
        for language in ("pl", "de", "pl+de"):
            context = sample_context(schema)

            def mark(value):
                if isinstance(value, dict):
                    return {k: mark(v) for k, v in value.items()}
                if isinstance(value, list):
                    return [mark(v) for v in value]
                return in_language(value, "pl")

            data = render_docx(default_template(kind, language), mark(context))
            parts = _parts(data)
            assert not any(MARKS.search(text) for text in parts.values()), (kind, language)
            assert '<w:lang w:val="pl-PL"/>' in parts["word/document.xml"]
            assert f'w:val="{SECOND_LANGUAGE_STYLE}"' in parts["word/document.xml"]


def test_a_document_without_marks_is_left_as_it_is():
    data = _plain_docx("Nur Deutsch")
    assert language_runs(data) == data


def test_the_german_line_of_a_side_by_side_template_has_the_style_not_direct_italics():
    """pl+de: the German line under a Polish one carries the character style and de-DE,
    no direct italic or colour; the document's default language is Polish."""
    document = docx.Document(io.BytesIO(build_template("consultation", "pl+de")))
    styled = [r for r in document.element.body.iter(qn("w:r"))
              if r.rPr is not None and r.rPr.find(qn("w:rStyle")) is not None
              and r.rPr.find(qn("w:rStyle")).get(qn("w:val")) == SECOND_LANGUAGE_STYLE]
    assert styled
    for run in styled:
        assert run.rPr.find(qn("w:lang")).get(qn("w:val")) == "de-DE"
        assert run.rPr.find(qn("w:i")) is None and run.rPr.find(qn("w:color")) is None
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "pl-PL"


def _before_signatures(data: bytes):
    """The element before the signatures' heading in the filled document."""
    body = docx.Document(io.BytesIO(data)).element.body
    marks = [m for m in body.iter(qn("w:bookmarkStart"))
             if m.get(qn("w:name")) == KEEP_WITH_PREVIOUS]
    assert len(marks) == 1
    heading = marks[0].getparent()
    assert "Podpisy" in _text(heading)
    return heading.getprevious()


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _keeps(paragraph) -> bool:
    return paragraph.find(qn("w:pPr") + "/" + qn("w:keepNext")) is not None


def _agreed_actions(items: int) -> list:
    context = sample_context(SCHEMAS["consultation"], items=items)
    before = _before_signatures(render_docx(default_template("consultation", "pl"),
                                                  context))
    assert "«consultation.next_meeting»" in _text(before)
    assert _keeps(before)
    table = before.getprevious()
    assert table.tag == qn("w:tbl")
    rows = table.findall(qn("w:tr"))
    assert f"«tasks[{items - 1}].title»" in _text(rows[-1])
    return rows


def test_the_last_task_and_the_next_meeting_keep_with_the_signatures():
    """The protocol's next meeting (kept with the signatures by the template) and the last
    row of a long table of agreed actions before it, not the rows above (the table may
    break there)."""
    rows = _agreed_actions(KEEP_WHOLE_TABLE_ROWS + 1)
    assert all(_keeps(p) for p in rows[-1].iter(qn("w:p")))
    assert not any(_keeps(p) for row in rows[1:-1] for p in row.iter(qn("w:p")))


def test_a_short_table_before_the_signatures_keeps_with_them_whole():
    """LibreOffice keeps a table with what follows only when every row keeps with the next
    (once the table spans two pages, a last row alone does not): a short table of agreed
    actions goes along whole, in Word as in LibreOffice."""
    rows = _agreed_actions(3)
    assert all(_keeps(p) for row in rows for p in row.iter(qn("w:p")))


def test_a_side_by_side_text_before_the_signatures_takes_its_heading_in():
    """No agreed actions, no next meeting: the outcomes stand before the signatures, a table
    of one row side by side; its heading becomes its first row across both columns (so
    LibreOffice keeps the table with what follows, as Word does), both rows keep."""
    context = sample_context(SCHEMAS["consultation"])
    context["tasks"] = []
    context["consultation"]["next_meeting"] = ""
    data = render_docx(default_template("consultation", "pl+de"), context)
    table = _before_signatures(data)
    assert table.tag == qn("w:tbl")
    heading, text = table.findall(qn("w:tr"))
    cell = heading.find(qn("w:tc"))
    assert len(heading.findall(qn("w:tc"))) == 1
    assert cell.find(qn("w:tcPr") + "/" + qn("w:gridSpan")).get(qn("w:val")) == "2"
    paragraph = cell.find(qn("w:p"))
    assert paragraph.find(qn("w:pPr") + "/" + qn("w:pStyle")).get(qn("w:val")) == "Heading1"
    assert _text(paragraph) == "Rezultaty / Ergebnisse"
    assert "«consultation.outcomes_de»" in _text(text)
    assert all(_keeps(p) for row in (heading, text) for p in row.iter(qn("w:p")))
    assert all(row.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None
               for row in (heading, text))
    # Word reads it: the heading is the table's, no longer a paragraph before it.
    assert "Rezultaty" not in _text(table.getprevious())
    docx.Document(io.BytesIO(data))


def test_a_document_without_the_bookmark_is_left_as_it_is():
    data = _plain_docx("Ein Absatz")
    assert keep_with_previous(data) == data


def test_properties_name_the_advisor_and_the_time_of_making():
    moment = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    data = set_properties(default_template("action-plan", "de"), author="Anna Nowak",
                          moment=moment)
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.author == properties.last_modified_by == "Anna Nowak"
    assert properties.created == properties.modified == moment
