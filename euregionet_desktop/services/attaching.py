"""Files a person attaches to a record in the window (dropped on it or chosen): several at
once as one undoable action, and the list of a record's attachments."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.errors import FileAccessError, UserFacingError
from euregionet_desktop.i18n import N_, _, ngettext
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.dto import Changes, RecordWrites, UndoStep
from euregionet_desktop.services.evidence import attach_file, attachable_kind, read_attachment
from euregionet_desktop.services.records import load_row, write_fields
from euregionet_desktop.storage.fields import model_for
from euregionet_desktop.sync.changelog import ChangeWriter

# The evidence a record of each type usually gets (what the kind dialog offers first).
DEFAULT_KINDS: dict[str, AttachmentKind] = {
    "event": AttachmentKind.SIGNED_ATTENDANCE,
    "participant": AttachmentKind.SIGNED_ATTENDANCE,
    "action_plan": AttachmentKind.SIGNED_AGREEMENT,
    "initiative": AttachmentKind.SIGNED_AGREEMENT,
    "formation_step": AttachmentKind.SIGNED_AGREEMENT,
    "membership": AttachmentKind.DECLARATION,
}

ATTACHING = N_("Copying the files into the profile")  # the progress dialog's stage


@dataclass(frozen=True)
class AttachmentInfo:
    """One file attached to a record, as its Attachments tab lists it."""

    id: str
    file_name: str
    kind: str  # enums.AttachmentKind value
    kind_label: str  # translated
    size: int | None
    added_at: str  # ISO timestamp


def default_kind(entity: str) -> AttachmentKind:
    return DEFAULT_KINDS.get(entity, AttachmentKind.FILE)


def attachments_of(session: Session, *, entity: str,
                   record_id: str) -> tuple[AttachmentInfo, ...]:
    """The live files attached to a record (generated documents too), newest first."""
    table = model_for("attachment").__table__
    rows = session.execute(select(table).where(
        table.c.linked_entity == entity, table.c.linked_id == record_id,
        table.c.deleted.is_(False)).order_by(table.c.created_at.desc(), table.c.id)).mappings()
    return tuple(AttachmentInfo(id=row["id"], file_name=row["file_name"], kind=row["kind"],
                                kind_label=_kind_label(row["kind"]), size=row["size"],
                                added_at=row["created_at"] or "")
                 for row in rows)


def _kind_label(kind: str) -> str:
    try:
        return _(AttachmentKind(kind).label)
    except ValueError:
        return kind


def attach_files(session: Session, *, profile: Profile, entity: str, record_id: str,
                 paths: Sequence[Path], kind: str,
                 progress: Callable[[str, int, int], None] | None = None) -> Changes:
    """Attach every file to the record as one action (undone as one), or none of them:
    each file is checked first, and if any cannot be attached (too large, unreadable,
    not a file), the error names every such file and nothing is kept."""
    attachable_kind(kind)
    load_row(session, entity, record_id)
    refused = []
    for path in paths:
        try:
            read_attachment(path)
        except UserFacingError as error:
            refused.append(str(error))
    if refused:
        raise FileAccessError(_("Nothing was attached. {reasons}").format(
            reasons=" ".join(refused)))
    ids = []
    for done, path in enumerate(paths):
        if progress is not None:
            progress(ATTACHING, done, len(paths))
        ids.append(attach_file(session, profile=profile, entity=entity, record_id=record_id,
                               path=path, kind=kind).record_id)
    if progress is not None:
        progress(ATTACHING, len(paths), len(paths))
    label = (_("Attach {file}").format(file=paths[0].name) if len(paths) == 1 else
             ngettext("Attach {count} file", "Attach {count} files", len(paths)).format(
                 count=len(paths)))
    return Changes(frozenset({"attachment"}), record_id, tuple(ids), UndoStep(
        label, tuple(RecordWrites("attachment", i, {"deleted": True}, {"deleted": False})
                     for i in ids)))


def remove_attachment(session: Session, *, attachment_id: str) -> Changes:
    """Take a file off its record (undoable; the stored file stays for the undo)."""
    row = load_row(session, "attachment", attachment_id)
    write_fields(session, ChangeWriter.for_session(session), "attachment", attachment_id,
                 {"deleted": True})
    return Changes(frozenset({"attachment"}), row["linked_id"], (attachment_id,), UndoStep(
        _("Remove {file}").format(file=row["file_name"]),
        (RecordWrites("attachment", attachment_id, {"deleted": False}, {"deleted": True}),)))
