"""The last touches on a filled document: text in the other language as runs of its own, a
signature block kept on the page of what stands before it, and who made it when.

A value printed in the other language arrives inside a string, wrapped in the marks of
documents.marks. Here each wrapped span becomes a run of its own that keeps the formatting of
the run it was in, plus the language tag (so Word's spell checker reads it in its language)
and the character style "Second language" (added to the styles when a person's own template
lacks it). No mark character is left anywhere in the package.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile

from lxml import etree

from euregionet_desktop.documents.docx_build import PPR, RPR
from euregionet_desktop.documents.marks import END, SEPARATOR, SPAN, START

SECOND_LANGUAGE_STYLE = "SecondLanguage"
# The bookmark on a paragraph (the default templates' signature heading) that keeps on the
# page of what stands before it once the document is filled; hidden in Word (leading "_").
KEEP_WITH_PREVIOUS = "_KeepWithPrevious"
SECOND_LANGUAGE_NAME = "Second language"
LOCALES = {"pl": "pl-PL", "de": "de-DE", "en": "en-GB"}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MARKS = re.compile(f"[{START}{SEPARATOR}{END}]")
# A mark as it stands in the XML text: the start, the language, the separator; or the end.
_TOKEN = re.compile(f"{START}([a-z]{{2}}){SEPARATOR}|{END}")
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def second_language_style() -> etree._Element:
    """The character style of text in the other language: italic and grey."""
    return etree.fromstring(
        f'<w:style xmlns:w="{_W}" w:type="character" w:customStyle="1" '
        f'w:styleId="{SECOND_LANGUAGE_STYLE}"><w:name w:val="{SECOND_LANGUAGE_NAME}"/>'
        '<w:uiPriority w:val="20"/><w:qFormat/>'
        '<w:rPr><w:i/><w:iCs/><w:color w:val="595959"/></w:rPr></w:style>')


def _set_in_order(r_pr: etree._Element, tag: str, **attrs: str) -> None:
    old = r_pr.find(_w(tag))
    if old is not None:
        r_pr.remove(old)
    element = etree.SubElement(r_pr, _w(tag))
    r_pr.remove(element)
    for key, value in attrs.items():
        element.set(_w(key), value)
    later = set(RPR[RPR.index(tag) + 1:])
    for child in r_pr:
        if etree.QName(child).localname in later:
            child.addprevious(element)
            return
    r_pr.append(element)


def _split_run(run: etree._Element) -> bool:
    """Replace ``run`` by runs without marks; True if it held any."""
    texts = [t for t in run.findall(_w("t")) if t.text and _MARKS.search(t.text)]
    if not texts:
        return False
    r_pr = run.find(_w("rPr"))
    segments: list[tuple[str | None, list[etree._Element]]] = [(None, [])]
    language: str | None = None
    for child in list(run):
        if child is r_pr:
            continue
        if child.tag != _w("t") or not child.text or not _MARKS.search(child.text):
            segments[-1][1].append(child)
            continue
        position = 0
        text = child.text
        for match in _TOKEN.finditer(text):
            if match.start() > position:
                segments[-1][1].append(_text_element(text[position:match.start()]))
            language = match.group(1)  # None at an end mark
            segments.append((language, []))
            position = match.end()
        if position < len(text):
            segments[-1][1].append(_text_element(text[position:]))
    parent = run.getparent()
    anchor = run
    for segment_language, children in segments:
        if not children:
            continue
        new = etree.Element(_w("r"))
        if r_pr is not None or segment_language:
            properties = copy.deepcopy(r_pr) if r_pr is not None else etree.Element(_w("rPr"))
            if segment_language:
                _set_in_order(properties, "rStyle", val=SECOND_LANGUAGE_STYLE)
                _set_in_order(properties, "lang", val=LOCALES.get(segment_language,
                                                                   segment_language))
            new.append(properties)
        for element in children:
            new.append(element)
        anchor.addnext(new)
        anchor = new
    parent.remove(run)
    return True


def _text_element(text: str) -> etree._Element:
    element = etree.Element(_w("t"))
    element.text = _MARKS.sub("", text)
    element.set(_XML_SPACE, "preserve")
    return element


def _language_runs(xml: bytes) -> tuple[bytes, bool]:
    root = etree.fromstring(xml)
    changed = False
    for run in list(root.iter(_w("r"))):
        changed = _split_run(run) or changed
    for element in root.iter():  # marks outside a run's text (fields, attributes): dropped
        if element.text and _MARKS.search(element.text):
            element.text = _unmarked(element.text)
            changed = True
        for key, value in element.attrib.items():
            if _MARKS.search(value):
                element.set(key, _unmarked(value))
                changed = True
    if not changed:
        return xml, False
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), True


def _unmarked(text: str) -> str:
    return _MARKS.sub("", SPAN.sub(lambda m: m.group(2), text))


def _with_style(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    if any(style.get(_w("styleId")) == SECOND_LANGUAGE_STYLE
           for style in root.findall(_w("style"))):
        return xml
    root.append(second_language_style())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _plain(data: bytes) -> bytes:
    """Any other part (core properties, comments…): the marks dropped, the text kept."""
    text = data.decode("utf-8")
    if not _MARKS.search(text):
        return data
    return _unmarked(text).encode("utf-8")


def language_runs(data: bytes) -> bytes:
    """The filled document with every marked span in runs of its own (documents.marks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        members = {info.filename: source.read(info) for info in infos}
    if not any(START.encode() in body or END.encode() in body for body in members.values()):
        return data
    styled = False
    for name, body in members.items():
        if _TEXT_PARTS.fullmatch(name):
            members[name], changed = _language_runs(body)
            styled = styled or changed
        elif name.endswith(".xml") or name.endswith(".rels"):
            members[name] = _plain(body)
    if styled and "word/styles.xml" in members:
        members["word/styles.xml"] = _with_style(members["word/styles.xml"])
    return _rezip(infos, members)


# A table before the signatures up to this many rows keeps with them whole (see below).
KEEP_WHOLE_TABLE_ROWS = 8


def keep_with_previous(data: bytes) -> bytes:
    """What stands before a paragraph bookmarked KEEP_WITH_PREVIOUS keeps with it (past
    paragraphs that keep with the next already): a paragraph, or a table — a short one whole,
    a long one by its last row (Word and LibreOffice keep a row with the next by its
    paragraphs' keep-with-next). Only the filled document knows what that is: a section
    before may have been left out, and a loop's last row is one of its repeats.

    LibreOffice (7.4) never keeps a table of one row with what follows (it does one of
    more rows): the paragraph above such a table (a side-by-side text's heading) becomes
    its first row, across its columns, and keeps with the row under it."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        members = {info.filename: source.read(info) for info in infos}
    root = etree.fromstring(members["word/document.xml"])
    marks = [mark for mark in root.iter(_w("bookmarkStart"))
             if mark.get(_w("name")) == KEEP_WITH_PREVIOUS]
    for mark in marks:
        paragraph = mark.getparent()
        before = paragraph.getprevious() if paragraph.tag == _w("p") else None
        # A paragraph the template keeps with the next already (a closing line such as
        # the next meeting) goes along, and what stands before it keeps with it too.
        while before is not None and before.tag == _w("p") and _keeps_with_next(before):
            before = before.getprevious()
        if before is not None and before.tag == _w("p"):
            _keep_with_next(before)
        elif before is not None and before.tag == _w("tbl"):
            rows = before.findall(_w("tr"))
            above = before.getprevious()
            if len(rows) == 1 and above is not None and above.tag == _w("p"):
                rows.insert(0, _first_row(before, above))
                _keep_with_next(above)
            # LibreOffice keeps only a table whose every row keeps with the next (its
            # last rows move along once the table spans two pages); a short table, as a
            # plan's measures, goes along whole, which Word does alike.
            kept = rows if len(rows) <= KEEP_WHOLE_TABLE_ROWS else rows[-1:]
            for row in kept:
                for inner in row.iter(_w("p")):
                    _keep_with_next(inner)
    if not marks:
        return data
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    return _rezip(infos, members)


def _keeps_with_next(paragraph: etree._Element) -> bool:
    p_pr = paragraph.find(_w("pPr"))
    return p_pr is not None and p_pr.find(_w("keepNext")) is not None


def _keep_with_next(paragraph: etree._Element) -> None:
    p_pr = paragraph.find(_w("pPr"))
    if p_pr is None:
        p_pr = etree.Element(_w("pPr"))
        paragraph.insert(0, p_pr)
    if p_pr.find(_w("keepNext")) is not None:
        return
    keep = etree.Element(_w("keepNext"))
    later = PPR[PPR.index("keepNext") + 1:]
    following = next((child for child in p_pr
                      if etree.QName(child).localname in later), None)
    if following is not None:
        following.addprevious(keep)
    else:
        p_pr.append(keep)


def _first_row(table: etree._Element, paragraph: etree._Element) -> etree._Element:
    """``paragraph`` moved into a new first row of ``table``, across all its columns."""
    columns = table.find(_w("tblGrid")).findall(_w("gridCol"))
    row = etree.Element(_w("tr"))
    etree.SubElement(etree.SubElement(row, _w("trPr")), _w("cantSplit"))
    cell = etree.SubElement(row, _w("tc"))
    tc_pr = etree.SubElement(cell, _w("tcPr"))
    etree.SubElement(tc_pr, _w("tcW"), {
        _w("w"): str(sum(int(column.get(_w("w"))) for column in columns)), _w("type"): "dxa"})
    etree.SubElement(tc_pr, _w("gridSpan"), {_w("val"): str(len(columns))})
    margins = etree.SubElement(tc_pr, _w("tcMar"))
    for side in ("left", "right"):
        etree.SubElement(margins, _w(side), {_w("w"): "0", _w("type"): "dxa"})
    cell.append(paragraph)  # moved from before the table
    table.find(_w("tr")).addprevious(row)
    return row


def _rezip(infos: list[zipfile.ZipInfo], members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in infos:
            target.writestr(info, members[info.filename])
    return out.getvalue()


def set_properties(data: bytes, *, author: str, moment: dt.datetime) -> bytes:
    """The document's author (the advisor who made it) and its time of making, in its
    core properties (a template keeps the fixed ones it was built with)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        members = {info.filename: source.read(info) for info in infos}
    core = members.get("docProps/core.xml")
    if core is None:
        return data
    root = etree.fromstring(core)
    stamp = moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    people = [("dc:creator", author), ("cp:lastModifiedBy", author)] if author else []
    for tag, value in (*people, ("dcterms:created", stamp), ("dcterms:modified", stamp)):
        prefix, local = tag.split(":")
        element = root.find(f"{{{_CORE_NS[prefix]}}}{local}")
        if element is None:
            element = etree.SubElement(root, f"{{{_CORE_NS[prefix]}}}{local}")
            if prefix == "dcterms":
                element.set(f"{{{_CORE_NS['xsi']}}}type", "dcterms:W3CDTF")
        element.text = value
    members["docProps/core.xml"] = etree.tostring(root, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    return _rezip(infos, members)
