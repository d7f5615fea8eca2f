"""The legend of an exported template: a last page listing the fields the template may use.

It sits in a content control tagged ``LEGEND_TAG``; the template check and the filling take
that control out before reading the template (documents/check.py), so the legend's examples of
template code are never checked nor printed, and a person may also simply delete the page.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from euregionet_desktop.documents.package import w
from euregionet_desktop.documents.schema import KINDS, field_guide
from euregionet_desktop.i18n import _

LEGEND_TAG = "euregionet-field-legend"


def legend_controls(body: Any) -> list[Any]:
    """The legend's content controls among the children of a document's body."""
    return [child for child in body.iterchildren(w("sdt"))
            if any(tag.get(w("val")) == LEGEND_TAG
                   for tag in child.iterfind(f"{w('sdtPr')}/{w('tag')}"))]


def remove_legend(body: Any) -> bool:
    """Take the legend out of a body (in place); whether there was one."""
    controls = legend_controls(body)
    for control in controls:
        body.remove(control)
    return bool(controls)


def with_legend(data: bytes, kind: str) -> bytes:
    """The template with a last page listing its fields (an older legend replaced)."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    remove_legend(body)
    before = set(body.iterchildren())
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title = document.add_paragraph()
    title.add_run(_("Fields of “{kind}” templates").format(kind=_(KINDS[kind]))).bold = True
    document.add_paragraph(_(
        "This page is left out of every document made from this template; you may delete it. "
        "Write a field as shown in the first column, a list with its loop: "
        "{{% for … %}} … {{% endfor %}}."))
    guide = field_guide(kind)
    table = document.add_table(rows=1 + len(guide), cols=3)
    if "Table Grid" in {style.name for style in document.styles}:
        table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, (_("Field"), _("Meaning"), _("Example")),
                          strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row, item in zip(table.rows[1:], guide, strict=True):
        written = item.written if item.is_list else f"{{{{ {item.written} }}}}"
        row.cells[0].text = "\u00a0" * 3 * item.depth + written
        row.cells[1].text = item.meaning
        row.cells[2].text = item.example
    added = [child for child in body.iterchildren()
             if child not in before and child.tag != qn("w:sectPr")]
    control, properties, content = (OxmlElement("w:sdt"), OxmlElement("w:sdtPr"),
                                    OxmlElement("w:sdtContent"))
    alias, tag = OxmlElement("w:alias"), OxmlElement("w:tag")
    alias.set(qn("w:val"), _("Legend of the fields"))
    tag.set(qn("w:val"), LEGEND_TAG)
    properties.extend([alias, tag])
    added[0].addprevious(control)
    control.extend([properties, content])
    content.extend(added)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
