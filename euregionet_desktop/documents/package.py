"""The .docx package of a template: read safely in memory, and what in it could run or fetch.

A zip is read bounded in members, size and compression ratio, with safe and unique names, and
must hold a Word document (.docx). Macros (.docm, vbaProject), ActiveX controls, OLE objects,
altChunk imports and relationships to outside targets (hyperlinks excepted) are findings.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import Any

from lxml import etree

from euregionet_desktop.documents.findings import ERROR, Finding, shorten
from euregionet_desktop.i18n import N_, _

MAX_MEMBERS = 2000
MAX_TOTAL_SIZE = 100 * 1024 * 1024
MAX_RATIO = 200
# A smaller part cannot flood the memory whatever its ratio, and small repetitive XML (an
# empty table) legitimately compresses very well.
_RATIO_FROM = 1024 * 1024
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, or .docx with a password

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OLE_ELEMENT = "{urn:schemas-microsoft-com:office:office}OLEObject"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
# python-docx reads the parts for docxtpl with these settings; entities stay unexpanded.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def w(tag: str) -> str:
    """The name of a WordprocessingML element as lxml writes it: w("p") for <w:p>."""
    return f"{{{_W}}}{tag}"


class Refused(Exception):
    """A problem after which the rest of the file cannot be looked at safely."""


def damaged(part: str) -> Refused:
    return Refused(_("The file is damaged: its part “{part}” cannot be read. Open it in Word, "
                     "save it again and load it again.").format(part=part))


class Package:
    """The members of a .docx read in memory (XML parts only), parsed on demand."""

    def __init__(self, data: bytes) -> None:
        if data.startswith(_OLE_SIGNATURE):
            raise Refused(_("The file is an old Word document (.doc) or is protected with a "
                            "password. Open it in Word and save it without a password as "
                            "“Word Document (*.docx)”."))
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise Refused(_("The file is not a Word document (.docx). Open it in Word and "
                            "save it as “Word Document (*.docx)”.")) from None
        with archive:
            infos = archive.infolist()
            _check_members(infos)
            infos = [info for info in infos if not info.is_dir()]
            self.names = [info.filename for info in infos]
            self.blobs = {info.filename: _read_member(archive, info) for info in infos
                          if info.filename.lower().endswith((".xml", ".rels"))}
        self._trees: dict[str, Any] = {}
        if "[Content_Types].xml" not in self.blobs:
            raise _not_word()
        types = self.xml("[Content_Types].xml")
        defaults = {element.get("Extension", "").lower(): element.get("ContentType", "")
                    for element in types.iter(f"{_CONTENT_TYPES}Default")}
        overrides = {element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
                     for element in types.iter(f"{_CONTENT_TYPES}Override")}
        self.declared_types = {*defaults.values(), *overrides.values()}
        self.content_types = {
            name: overrides.get(name, defaults.get(posixpath.splitext(name)[1][1:].lower(), ""))
            for name in self.names}
        targets = [target for kind, target, _external in self.relationships("")
                   if kind == _OFFICE_DOCUMENT]
        self.main = targets[0] if targets else "word/document.xml"
        if self.main not in self.blobs:
            raise _not_word()

    def xml(self, name: str) -> Any:
        if name not in self._trees:
            try:
                self._trees[name] = etree.fromstring(self.blobs[name], _PARSER)
            except etree.XMLSyntaxError:
                raise damaged(name) from None
        return self._trees[name]

    def relationships(self, part: str) -> list[tuple[str, str, bool]]:
        """(type, target, external) of each relationship of a part ("": the package)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.blobs:
            return []
        found = []
        for element in self.xml(rels).iter(_RELATIONSHIP):
            target, external = element.get("Target", ""), element.get("TargetMode") == "External"
            if not external:  # targets are relative to the folder of the part
                target = posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/")
            found.append((element.get("Type", ""), target, external))
        return found


def _not_word() -> Refused:
    return Refused(_("The file is a zip archive but not a Word document. Open it in Word and "
                     "save it as “Word Document (*.docx)”."))


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse archives built to flood memory or to write outside a folder (Python 3.11's
    zipfile checks neither sizes nor duplicate names)."""
    if len(infos) > MAX_MEMBERS:
        raise Refused(_("The file is refused: it holds {count} parts, more than a Word "
                        "document needs ({limit} at most). Open it in Word, save it again "
                        "and load it again.").format(count=len(infos), limit=MAX_MEMBERS))
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        raise Refused(_("The file is refused: unpacked it would take {size} MB, more than "
                        "the {limit} MB a template may take. Make its pictures smaller and "
                        "save it again.").format(size=total // 2**20,
                                                 limit=MAX_TOTAL_SIZE // 2**20))
    seen: set[str] = set()
    for info in infos:
        name, pieces = info.filename, re.split(r"[\\/]", info.filename)
        if name.startswith(("/", "\\")) or ":" in pieces[0] or ".." in pieces:
            raise Refused(_("The file is refused: its part name “{part}” points outside the "
                            "document. Open it in Word, save it again and load it "
                            "again.").format(part=shorten(name)))
        if name.casefold() in seen:  # part names are case-insensitive
            raise Refused(_("The file is refused: it contains the part “{part}” twice. Open "
                            "it in Word, save it again and load it again.").format(
                                part=shorten(name)))
        seen.add(name.casefold())
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise Refused(_("The file is refused: its part “{part}” unpacks to more than "
                            "{ratio} times its packed size, the way files made to flood the "
                            "memory are built. Save the template again in Word.").format(
                                part=shorten(name), ratio=MAX_RATIO))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as member:  # never more than the size it declares
            content = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError):
        raise damaged(info.filename) from None
    if len(content) != info.file_size:
        raise damaged(info.filename)
    return content


_MACROS = N_("The template contains macros ({evidence}). Save it in Word as “Word Document "
             "(*.docx)” and load it again.")
_ACTIVEX = N_("The template contains ActiveX controls ({evidence}). Delete them in Word "
              "(Developer → Design Mode), save the template and load it again.")
_OLE = N_("The template contains an embedded object ({evidence}), such as an Excel sheet. "
          "Replace it with a picture or a Word table, save the template and load it again.")
_ALTCHUNK = N_("The template imports a piece of another document ({evidence}). Copy that "
               "text into the template itself, save it and load it again.")
_EXTERNAL = N_("The template links to an outside file or address ({target}). Remove the link "
               "(insert pictures themselves, not links to them), save the template and load "
               "it again.")
_ATTACHED = N_("The template is attached to another template ({target}). In Word, open "
               "Developer → Document Template, attach “Normal” instead, save it and load it "
               "again.")
_RELATIONSHIP_MESSAGES = {"vbaProject": _MACROS, "wordVbaData": _MACROS, "control": _ACTIVEX,
                          "oleObject": _OLE, "aFChunk": _ALTCHUNK}
_ELEMENT_MESSAGES = {w("control"): (_ACTIVEX, "w:control"),
                     _OLE_ELEMENT: (_OLE, "o:OLEObject"), w("altChunk"): (_ALTCHUNK, "w:altChunk")}


def package_findings(package: Package, file_name: str) -> list[Finding]:
    """Macros, ActiveX, OLE objects, imported documents and outside links."""
    evidence: dict[str, str] = {}  # message → the first thing that shows it
    findings = []
    if file_name.lower().endswith((".docm", ".dotm")):
        evidence[_MACROS] = posixpath.basename(file_name)
    for declared in package.declared_types:
        if "macroenabled" in declared.lower():
            evidence.setdefault(_MACROS, declared)
    main_type = package.content_types.get(package.main, "")
    if main_type != _DOCX_MAIN and "macroenabled" not in main_type.lower():
        findings.append(Finding(ERROR, _("file"), _(
            "The file is a Word template (.dotx) or another kind of document, not a Word "
            "document. Open it in Word and save it as “Word Document (*.docx)”.")))
    for name in package.names:
        lowered = name.lower()
        base = posixpath.basename(lowered)
        if base.startswith(("vbaproject", "vbadata")):
            evidence.setdefault(_MACROS, posixpath.basename(name))
        elif lowered.startswith("word/activex/"):
            evidence.setdefault(_ACTIVEX, name)
        elif base.startswith("oleobject"):
            evidence.setdefault(_OLE, name)
    for rels in (name for name in package.blobs if name.endswith(".rels")):
        for element in package.xml(rels).iter(_RELATIONSHIP):
            kind, target = element.get("Type", ""), element.get("Target", "")
            special = _RELATIONSHIP_MESSAGES.get(kind.rsplit("/", 1)[-1])
            if special:
                evidence.setdefault(special, shorten(target))
            elif element.get("TargetMode") == "External" and not kind.endswith("/hyperlink"):
                message = _ATTACHED if kind.endswith("/attachedTemplate") else _EXTERNAL
                findings.append(Finding(ERROR, _("file"),
                                        _(message).format(target=shorten(target))))
    for name, blob in package.blobs.items():
        if name.startswith("word/") and re.search(rb"control|OLEObject|altChunk", blob):
            for element in package.xml(name).iter(*_ELEMENT_MESSAGES):
                message, shown = _ELEMENT_MESSAGES[element.tag]
                evidence.setdefault(message, shown)
    return [Finding(ERROR, _("file"), _(message).format(evidence=shown))
            for message, shown in evidence.items()] + findings


