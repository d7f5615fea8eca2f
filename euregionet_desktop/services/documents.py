"""Word documents: filling templates from records, and the templates an office uses.

Generated documents and loaded templates are stored as attachments (their files under the
profile's attachments folder, named by checksum), so they travel to the other offices in
bundles. Which template is filled for a kind and language is this installation's choice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from euregionet_desktop.documents import check, context, defaults, finish, render
from euregionet_desktop.documents.legend import with_legend
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, IMAGES, KINDS, RECORD_ENTITY
from euregionet_desktop.domain.enums import AttachmentKind, DocumentKind
from euregionet_desktop.domain.field_kinds import LIST_MAX_ITEMS
from euregionet_desktop.domain.programme import PROGRAMME_ID
from euregionet_desktop.errors import (
    NotFoundError,
    TemplateError,
    ValidationError,
)
from euregionet_desktop.files import atomic_write, make_folder
from euregionet_desktop.i18n import _, format_date, format_datetime, translation
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.backend import remove_if_not_committed
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.erasure import OPENED_FOLDER
from euregionet_desktop.services.records import insert_record, labels
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import Attachment, Programme, TemplateChoice
from euregionet_desktop.sync.changelog import ChangeWriter
from euregionet_desktop.sync.erasure import EVERYONE

MAX_TEMPLATE_SIZE = 50 * 1024 * 1024
# Checked templates by checksum: a template that arrived in a bundle is checked here too,
# once per run.
_checked: set[str] = set()


@dataclass(frozen=True)
class GeneratedDocument:
    path: Path
    attachment_id: str
    size: int
    changes: Changes


@dataclass(frozen=True)
class LoadedTemplate:
    attachment_id: str
    report: check.TemplateReport
    changes: Changes


@dataclass(frozen=True)
class StoredDocument:
    """A generated document or a template, as the Documents view lists it."""

    id: str
    file_name: str
    kind: str  # AttachmentKind value
    kind_label: str
    document_kind: str | None
    document_label: str
    record_label: str
    linked_entity: str | None
    linked_id: str | None
    language: str | None
    language_label: str
    created_at: str  # ISO, UTC
    created_label: str
    size: int
    active: bool  # a template this installation fills


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(_("“{kind}” is not a kind of document; use one of: {kinds}.")
                              .format(kind=kind, kinds=", ".join(KINDS)))
    return kind


def check_language(language: str) -> str:
    if language not in DOCUMENT_LANGUAGES:
        raise ValidationError(_("“{language}” is not a document language; use one of: "
                                "{languages}.").format(language=language,
                                                      languages=", ".join(DOCUMENT_LANGUAGES)))
    return language


def write_file(path: Path, data: bytes) -> None:
    """A file is whole or not there; FileAccessError says why it could not be written."""
    atomic_write(path, data)


def store_blob(profile: Profile, data: bytes, *, session: Session | None = None) -> str:
    """The file of an attachment, named by its checksum; with ``session``, a new file is
    removed again if the action storing its record does not commit."""
    sha = hashlib.sha256(data).hexdigest()
    make_folder(profile.attachments)
    target = profile.attachments / sha
    if not target.exists():
        write_file(target, data)
        if session is not None:
            remove_if_not_committed(session, target)
    return sha


def _blob(profile: Profile, sha: str) -> bytes:
    try:
        return (profile.attachments / sha).read_bytes()
    except FileNotFoundError:
        raise NotFoundError(_("The file of this document is not in this profile yet (it "
                              "arrives with the bundle that carries it).")) from None


# --- Templates ----------------------------------------------------------------------


def template_bytes(session: Session, *, profile: Profile, kind: str, language: str) -> bytes:
    """The template filled for ``kind`` in ``language``: the one chosen here, else the
    default. A chosen template is checked before its first use in this run."""
    choice = session.get(TemplateChoice, (kind, language))
    if choice is not None:
        row = session.execute(select(Attachment.sha256).where(
            Attachment.id == choice.attachment_id, Attachment.deleted.is_(False))).first()
        if row is not None and (profile.attachments / row.sha256).exists():
            data = _blob(profile, row.sha256)
            if row.sha256 not in _checked:
                check.check_template(data, kind=kind)
                _checked.add(row.sha256)
            return data
    return defaults.default_template(kind, language)


def load_template(session: Session, *, profile: Profile, path: Path, kind: str,
                  language: str, use: bool = True) -> LoadedTemplate:
    """Check a template a person edited, store it, and (with ``use``) fill it from now on
    for ``kind`` in ``language``. A refused template changes nothing."""
    check_kind(kind)
    check_language(language)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_SIZE:
            raise TemplateError(_("“{name}” is larger than 50 MB; a template is usually "
                                  "well under 1 MB.").format(name=path.name))
        data = path.read_bytes()
    except OSError as error:
        raise TemplateError(_("“{name}” cannot be read: {reason}").format(
            name=path.name, reason=error.strerror or error)) from None
    report = check.check_template(data, kind=kind, file_name=path.name)
    sha = store_blob(profile, data, session=session)
    _checked.add(sha)
    writer = ChangeWriter.for_session(session)
    attachment_id = insert_record(session, writer, "attachment", {
        "sha256": sha, "file_name": path.name, "kind": AttachmentKind.TEMPLATE.value,
        "size": len(data), "language": language, "document_kind": kind,
    })
    if use:
        choose_template(session, kind=kind, language=language, attachment_id=attachment_id)
    return LoadedTemplate(attachment_id, report,
                          Changes(frozenset({"attachment"}), attachment_id, (attachment_id,)))


def choose_template(session: Session, *, kind: str, language: str,
                    attachment_id: str | None) -> Changes:
    """Fill this template for ``kind`` in ``language`` (None: the default one again)."""
    check_kind(kind)
    check_language(language)
    session.execute(delete(TemplateChoice).where(TemplateChoice.document_kind == kind,
                                                 TemplateChoice.language == language))
    if attachment_id is not None:
        row = session.execute(select(Attachment.kind, Attachment.document_kind).where(
            Attachment.id == attachment_id, Attachment.deleted.is_(False))).first()
        if row is None or row.kind != AttachmentKind.TEMPLATE.value:
            raise NotFoundError(_("There is no template with the id “{id}”.").format(
                id=attachment_id))
        if row.document_kind != kind:
            raise ValidationError(_("This template is for a different kind of document "
                                    "({kind}).").format(kind=_(KINDS.get(row.document_kind or "",
                                                                         "?"))))
        session.execute(insert(TemplateChoice).values(
            document_kind=kind, language=language, attachment_id=attachment_id))
    return Changes(frozenset({"attachment"}))


def export_template(session: Session, *, profile: Profile, kind: str, language: str,
                    output: Path, default: bool = True) -> Path:
    """Save the default template (or, without ``default``, the one filled now) to a file
    to edit in Word."""
    check_kind(kind)
    check_language(language)
    data = (defaults.default_template(kind, language) if default
            else template_bytes(session, profile=profile, kind=kind, language=language))
    write_file(output, with_legend(data, kind))  # a last page listing the fields
    return output


def save_copy(session: Session, *, profile: Profile, attachment_id: str, output: Path) -> Path:
    """Save a stored document or template to a file."""
    row = session.execute(select(Attachment.sha256).where(
        Attachment.id == attachment_id, Attachment.deleted.is_(False))).first()
    if row is None:
        raise NotFoundError(_("There is no document with the id “{id}”.").format(
            id=attachment_id))
    write_file(output, _blob(profile, row.sha256))
    return output


def openable_copy(session: Session, *, profile: Profile, attachment_id: str) -> Path:
    """A copy of a stored file under its own name, for the system's word processor."""
    row = session.execute(select(Attachment.file_name).where(
        Attachment.id == attachment_id)).first()
    if row is None:
        raise NotFoundError(_("There is no document with the id “{id}”.").format(
            id=attachment_id))
    folder = profile.root / OPENED_FOLDER / attachment_id
    folder.mkdir(parents=True, exist_ok=True)
    return save_copy(session, profile=profile, attachment_id=attachment_id,
                     output=folder / safe_file_name(row.file_name))


# --- Generating ---------------------------------------------------------------------


def _record_for(session: Session, kind: str, record_id: str | None) -> tuple[str | None, str]:
    entity = RECORD_ENTITY[kind]
    if entity is None:
        return None, ""
    if not record_id:
        raise ValidationError(_("Which {entity}? Give its id.").format(
            entity=entity_label(entity)))
    table = model_for(entity).__table__
    row = session.execute(select(table).where(table.c.id == record_id)).mappings().first()
    if row is None or row["deleted"]:
        raise NotFoundError(_("There is no {entity} with the id “{id}”.").format(
            entity=entity_label(entity), id=record_id))
    return entity, _subject(session, entity, row)


def _subject(session: Session, entity: str, row) -> str:
    """What a document is about, as its file name and the generate dialog name it: the
    record's name (an initiative's is its cluster's, a membership's its organisation's and
    cluster's: records.labels)."""
    return labels(session, entity=entity, record_ids=[row["id"]]).get(row["id"], "")


def document_subject(session: Session, *, kind: str, record_id: str | None) -> str:
    """What a document of ``kind`` about ``record_id`` is about (its file name's part)."""
    return _record_for(session, check_kind(kind), record_id)[1]


def suggested_file_name(session: Session, *, kind: str, record_id: str | None,
                        language: str, today: dt.date | None = None) -> str:
    """A file name a person recognises, the kind named once: "Action plan – <title> –
    2026-12-06 (pl).docx", or "<title> – …" when the title says already what it is (a
    plan called "Plan działań – Klaster …")."""
    _entity, label = _record_for(session, check_kind(kind), record_id)
    title = _(KINDS[kind]).split(" / ")[0]
    parts = [label] if label and names_kind(label, kind) else [title, label] if label \
        else [title]
    day = (today or dt.date.today()).isoformat()
    return safe_file_name(f"{' – '.join(parts)} – {day} ({language}).docx")


def names_kind(label: str, kind: str) -> bool:
    """Whether a record's name starts with its document's kind, in any language."""
    folded = label.casefold()
    return any(folded.startswith(translation(code).gettext(KINDS[kind]).split(" / ")[0]
                                 .casefold())
               for code in ("pl", "de", "en"))


def safe_file_name(name: str) -> str:
    cleaned = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", name).strip(" .")
    return cleaned[:150].strip() or "document.docx"


def render_document(session: Session, *, profile: Profile, kind: str, record_id: str | None,
                    language: str, worker: render.RenderWorker | None = None) -> bytes:
    """The filled document's bytes (nothing stored)."""
    return _rendered(session, profile=profile, kind=kind, record_id=record_id,
                     language=language, worker=worker)[0]


def _rendered(session: Session, *, profile: Profile, kind: str, record_id: str | None,
              language: str, worker: render.RenderWorker | None
              ) -> tuple[bytes, tuple[str, ...]]:
    """The filled document's bytes and the ids of the people it names."""
    check_kind(kind)
    check_language(language)
    _record_for(session, kind, record_id)
    template = template_bytes(session, profile=profile, kind=kind, language=language)
    filled = context.document_context(session, kind=kind, record_id=record_id,
                                      language=language)
    values = {**filled.values, render.IMAGES_KEY: _logo_images(session, profile)}
    data = (worker or render.shared_worker()).render(template, values)
    # The advisor who made it, when it was made (a template keeps its fixed build time).
    data = finish.set_properties(data, author=filled.values["document"]["advisor"],
                                 moment=dt.datetime.now(dt.UTC))
    return data, filled.person_ids


def _logo_images(session: Session, profile: Profile) -> dict[str, bytes]:
    """The programme's logos by their place in the context; a logo whose file has not
    arrived yet (it travels in a bundle) is left out, as when none is set."""
    row = session.get(Programme, PROGRAMME_ID)
    images: dict[str, bytes] = {}
    if row is None:
        return images
    for (group, name), attachment_id in zip(
            IMAGES, (row.eu_emblem_id, row.programme_logo_id), strict=True):
        sha = session.execute(select(Attachment.sha256).where(
            Attachment.id == attachment_id, Attachment.deleted.is_(False))).scalar() \
            if attachment_id else None
        if sha and (profile.attachments / sha).is_file():
            images[f"{group}.{name}"] = _blob(profile, sha)
    return images


def _person_list(person_ids: tuple[str, ...]) -> list[str] | None:
    """The attachment's record of whom it names; a document naming more people than a
    list field holds (a large booklet) names "*": any erasure deletes it."""
    if not person_ids:
        return None
    return list(person_ids) if len(person_ids) <= LIST_MAX_ITEMS else [EVERYONE]


def generate_document(session: Session, *, profile: Profile, kind: str,
                      record_id: str | None, language: str, output: Path,
                      worker: render.RenderWorker | None = None) -> GeneratedDocument:
    """Fill the template for a record, write the document to ``output`` and keep it as an
    attachment of the record. A refused template leaves no file and no record."""
    data, person_ids = _rendered(session, profile=profile, kind=kind, record_id=record_id,
                                 language=language, worker=worker)
    entity = RECORD_ENTITY[kind]
    sha = store_blob(profile, data, session=session)
    writer = ChangeWriter.for_session(session)
    attachment_id = insert_record(session, writer, "attachment", {
        "sha256": sha, "file_name": safe_file_name(output.name),
        "kind": (AttachmentKind.DIRECTORY if kind == DocumentKind.DIRECTORY
                 else AttachmentKind.DOCUMENT).value,
        "size": len(data), "language": language, "document_kind": kind,
        "linked_entity": entity, "linked_id": record_id,
        "person_ids": _person_list(person_ids),
    })
    session.flush()
    write_file(output, data)
    remove_if_not_committed(session, output)  # no document without its attachment record
    return GeneratedDocument(output, attachment_id, len(data),
                             Changes(frozenset({"attachment"}), attachment_id, (attachment_id,)))


# --- Listing ------------------------------------------------------------------------


def stored_documents(session: Session, *, kinds: tuple[str, ...] = ()) -> list[StoredDocument]:
    """Generated documents and templates, newest first, with their record's name."""
    table = Attachment.__table__
    query = select(table).where(table.c.deleted.is_(False))
    if kinds:
        query = query.where(table.c.kind.in_(kinds))
    rows = list(session.execute(query.order_by(table.c.created_at.desc(),
                                               table.c.id)).mappings())
    active = set(session.execute(select(TemplateChoice.attachment_id)).scalars())
    labels: dict[tuple[str, str], str] = {}
    for row in rows:
        entity, record_id = row["linked_entity"], row["linked_id"]
        if entity and record_id and (entity, record_id) not in labels:
            try:
                linked = model_for(entity).__table__
            except KeyError:
                continue
            found = session.execute(select(linked).where(linked.c.id == record_id)
                                    ).mappings().first()
            labels[(entity, record_id)] = _subject(session, entity, found) if found else ""
    result = []
    for row in rows:
        created = row["created_at"] or ""
        kind, document_kind, language = row["kind"], row["document_kind"], row["language"]
        result.append(StoredDocument(
            id=row["id"], file_name=row["file_name"], kind=kind,
            kind_label=_label(AttachmentKind._value2member_map_, kind),
            document_kind=document_kind,
            document_label=_label(KINDS, document_kind),
            record_label=labels.get((row["linked_entity"], row["linked_id"]), ""),
            linked_entity=row["linked_entity"], linked_id=row["linked_id"],
            language=language,
            language_label=_label(DOCUMENT_LANGUAGES, language),
            created_at=created, created_label=_created_label(created),
            size=row["size"] or 0, active=row["id"] in active,
        ))
    return result


def _label(labels: dict, value: str | None) -> str:
    """The translated label of a stored value; the value itself if it is not known here."""
    label = labels.get(value or "")
    if label is None:
        return value or ""
    return _(getattr(label, "label", label))


def _created_label(created: str) -> str:
    import datetime as dt
    try:
        moment = dt.datetime.fromisoformat(created)
    except ValueError:
        return created
    if moment.tzinfo is not None:
        moment = moment.astimezone()
        return format_datetime(moment.replace(tzinfo=None))
    return format_date(moment.date())
