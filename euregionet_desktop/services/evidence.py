"""Files attached to a record by hand: the evidence behind a counted indicator item (a
signed attendance list, a photo, a signed agreement or declaration) and the programme's
logos. Content-addressed like generated documents, so they travel in bundles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import EVIDENCE_KINDS, AttachmentKind
from euregionet_desktop.errors import FileAccessError, NotFoundError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.documents import safe_file_name, store_blob
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.entities import SYSTEM_ENTITIES, resolve_entity
from euregionet_desktop.services.records import insert_record, load_row
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.storage.models import Attachment
from euregionet_desktop.sync.changelog import ChangeWriter

# What a person may attach by hand (generated documents and templates are the app's own).
ATTACHABLE_KINDS: tuple[AttachmentKind, ...] = (AttachmentKind.FILE, *EVIDENCE_KINDS,
                                                AttachmentKind.LOGO, AttachmentKind.CONSENT)
# A scan or a photo, not a video or a disk image: larger files are refused.
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


def attachable_kind(name: str) -> AttachmentKind:
    """The kind typed on the command line (``signed-attendance`` or ``signed_attendance``)."""
    value = name.strip().lower().replace("-", "_")
    for kind in ATTACHABLE_KINDS:
        if kind.value == value:
            return kind
    raise ValidationError(_("Unknown kind of attachment “{name}”. Known kinds: {known}.").format(
        name=name, known=", ".join(k.value.replace("_", "-") for k in ATTACHABLE_KINDS)),
        field="kind")


def read_attachment(path: Path) -> bytes:
    """The file's bytes, or a FileAccessError saying why it cannot be attached."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileAccessError(_("{path} is not a file.").format(path=path))
        if size > MAX_ATTACHMENT_BYTES:
            raise FileAccessError(_(
                "{path} is larger than {limit} MB and was not attached: attach a scan or "
                "a photo, not a video or an archive.").format(
                    path=path, limit=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
        return path.read_bytes()
    except FileNotFoundError:
        raise FileAccessError(_("{path} does not exist.").format(path=path)) from None
    except OSError as error:
        raise FileAccessError(_("{path} cannot be read: {reason}").format(
            path=path, reason=error.strerror or error)) from None


def attach_file(session: Session, *, profile: Profile, entity: str, record_id: str,
                path: Path, kind: str = AttachmentKind.FILE.value) -> Changes:
    """Keep the file at ``path`` as an attachment of the record (the file is copied into
    the profile); the new attachment's id is ``record_id`` of the result."""
    entity = resolve_entity(entity)
    attachment_kind = attachable_kind(kind)
    if entity in SYSTEM_ENTITIES:
        raise ValidationError(_("Files cannot be attached to this kind of record."),
                              field="entity")
    table = model_for(entity).__table__
    found = session.execute(select(table.c.deleted).where(table.c.id == record_id)).first()
    if found is None or found.deleted:
        raise NotFoundError(_("No record {id} to attach the file to.").format(id=record_id))
    data = read_attachment(path)
    sha = store_blob(profile, data, session=session)
    attachment_id = insert_record(session, ChangeWriter.for_session(session), "attachment", {
        "sha256": sha, "file_name": safe_file_name(path.name),
        "kind": attachment_kind.value, "size": len(data),
        "linked_entity": entity, "linked_id": record_id,
    })
    session.flush()
    return Changes(frozenset({"attachment"}), attachment_id, (attachment_id,))


@dataclass(frozen=True)
class RecordAttachment:
    """A file attached to one record, as ``attachments ENTITY ID`` lists it."""

    id: str
    file_name: str
    kind: str  # enums.AttachmentKind value
    kind_label: str
    size: int
    created_at: str  # ISO, UTC


def record_attachments(session: Session, *, entity: str,
                       record_id: str) -> list[RecordAttachment]:
    """The files attached to a record (evidence, generated documents), oldest first."""
    entity = resolve_entity(entity)
    load_row(session, entity, record_id)  # NotFoundError for no such record
    rows = session.execute(
        select(Attachment.id, Attachment.file_name, Attachment.kind, Attachment.size,
               Attachment.created_at)
        .where(Attachment.deleted.is_(False), Attachment.linked_entity == entity,
               Attachment.linked_id == record_id)
        .order_by(Attachment.created_at, Attachment.id)).all()
    labels = {kind.value: kind.label for kind in AttachmentKind}
    return [RecordAttachment(id=row.id, file_name=row.file_name, kind=row.kind,
                             kind_label=_(labels.get(row.kind, row.kind)), size=row.size or 0,
                             created_at=row.created_at or "") for row in rows]
