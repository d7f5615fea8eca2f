"""Erasing a person for good: the erasure itself, the clean-up after it (search index,
attachment files), and the profile's erasure ledger that keeps an erased person from
coming back with an old backup."""

from __future__ import annotations

import html
import logging
import re
import shutil
import sqlite3
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from euregionet_desktop import files
from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.errors import BackupError, ValidationError
from euregionet_desktop.i18n import N_, _, fold
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.records import load_row
from euregionet_desktop.storage.engine import BUSY_TIMEOUT_MS
from euregionet_desktop.storage.models import (
    MODEL_BY_ENTITY,
    Attachment,
    Change,
    Contact,
    Erasure,
    LocalState,
    PendingChange,
)
from euregionet_desktop.sync import clock
from euregionet_desktop.sync import erasure as sync_erasure
from euregionet_desktop.sync.wire import WireErasure

log = logging.getLogger(__name__)

CHANGES = Change.__table__
ERASING = N_("Erasing contact persons")  # the progress dialog's stage (erase_many)


# --- erasing ---------------------------------------------------------------------------


def erase(session: Session, *, entity: str, record_id: str, reason: str = "gdpr_request",
          profile: Profile | None = None) -> Changes:
    """Erase a person for good, here and (with the next bundles) everywhere.

    With ``profile``, the erasure also goes into the profile's erasure ledger at once (else
    at the next open), so no backup restored later brings the person back.
    """
    return erase_many(session, entity=entity, record_ids=[record_id], reason=reason,
                      profile=profile)


def erase_many(session: Session, *, entity: str, record_ids: Sequence[str],
               reason: str = "gdpr_request", profile: Profile | None = None,
               progress: Callable[[str, int, int], None] | None = None) -> Changes:
    """Erase several persons as ``erase`` erases one, in the caller's transaction: each
    gets a tombstone of its own (its own clock reading); the documents that do not record
    whom they name are read once for all of them, and the ledger written once.
    ``progress(stage, done, total)`` is told after each person."""
    if entity != "contact":
        raise ValidationError(_("Only contact persons can be erased; delete other "
                                "records instead."))
    ids = list(dict.fromkeys(record_ids))
    for record_id in ids:
        load_row(session, entity, record_id, include_deleted=True)
    state = session.get(LocalState, 1)
    tombstones = []
    for record_id in ids:
        state.last_hlc = clock.tick(state.last_hlc)
        tombstones.append(WireErasure(record_id, entity, state.last_hlc,
                                      state.installation_id, reason))
    earlier = (unrecorded_document_erasures(session, profile=profile, tombstones=tombstones)
               if profile is not None else [])
    done: list[str] = []
    for number, tombstone in enumerate(tombstones, start=1):
        done += sync_erasure.erase(session, tombstone)
        if progress is not None:
            progress(ERASING, number, len(tombstones))
    for document in earlier:
        done += sync_erasure.erase(session, document)
    if profile is not None:
        sync_ledger(session, profile=profile)
    touched = {"contact", "membership", "participant", "task", "consultation", "attachment",
               "note", "private_note"}
    return Changes(frozenset(touched), ids[0] if ids else None, tuple(done))


def scrub(session: Session, *, profile: Profile | None = None) -> None:
    """After an erasure: merge the search index's segments so deleted terms are gone, and
    remove the files of erased attachments. (Then ``Backend.compact`` rewrites the file.)"""
    session.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))
    if profile is not None and profile.attachments.is_dir():
        for blob in profile.attachments.iterdir():
            if (blob.is_file() and _BLOB_NAME.match(blob.name)
                    and not blob_in_use(session, blob.name)):
                blob.unlink()
    if profile is not None:
        _remove_opened_copies(session, profile)


OPENED_FOLDER = "opened"  # profile/opened/<attachment id>/<file name>


def _remove_opened_copies(session: Session, profile: Profile) -> None:
    """The copies of erased documents once opened in a word processor go too."""
    opened = profile.root / OPENED_FOLDER
    if not opened.is_dir():
        return
    for folder in opened.iterdir():
        if folder.is_dir() and session.get(Erasure, folder.name) is not None:
            shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():
                log.warning("cannot remove the opened copy %s", folder)


_BLOB_NAME = re.compile(r"^[0-9a-f]{64}$")


# --- documents generated before they recorded whom they name -----------------------------

GENERATED_KINDS = (AttachmentKind.DOCUMENT.value, AttachmentKind.DIRECTORY.value)
_MAX_PART = 50 * 1024 * 1024  # a document's XML part read whole (a booklet is far smaller)
_TAG = re.compile(r"<[^>]+>")


def unrecorded_document_erasures(session: Session, *, profile: Profile,
                                 tombstones: Iterable[WireErasure]) -> list[WireErasure]:
    """Erasures for the generated documents that do not record whom they name (made by a
    version before that) and whose text holds the full name of a contact erased by one of
    ``tombstones`` (still here): they go with the person, and their erasures travel."""
    people = {t.record: t for t in tombstones if t.entity == "contact"}
    if not people:
        return []
    names = {}
    for record_id, first, last in session.execute(select(
            Contact.id, Contact.first_name, Contact.last_name).where(
            Contact.id.in_(list(people)))):
        name = fold(" ".join(p for p in (first, last) if p))
        if name:
            names[record_id] = name
    if not names:
        return []
    found = []
    for document_id, sha256 in session.execute(select(Attachment.id, Attachment.sha256).where(
            Attachment.person_ids.is_(None), Attachment.kind.in_(GENERATED_KINDS))):
        text = _document_text(profile.attachments / sha256)
        for record_id, name in names.items():
            if name in text:
                cause = people[record_id]
                found.append(WireErasure(document_id, "attachment", cause.hlc,
                                         cause.installation, cause.reason))
                break
    return found


def _document_text(path: Path) -> str:
    """The folded text of a .docx file (body, headers, footers); "" when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [archive.read(info).decode("utf-8", "replace")
                     for info in archive.infolist()
                     if info.filename.startswith("word/") and info.filename.endswith(".xml")
                     and info.file_size <= _MAX_PART]
    except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError,
            zlib.error, EOFError):
        return ""
    # Runs of one paragraph join without a space ("Zbig" "niewa"); paragraphs and cells
    # end in closing tags, so words of different ones may touch: at worst a false match,
    # and a document too many deleted, never one too few.
    text = html.unescape(_TAG.sub("", "".join(parts)))
    return fold(" ".join(text.split()))


def blob_in_use(session: Session, sha256: str) -> bool:
    """Whether a stored file is an attachment's (also one deleted, or one waiting for an
    earlier change); erased attachments keep no reference to their file."""
    if session.execute(select(Attachment.id).where(Attachment.sha256 == sha256)
                       .limit(1)).first() is not None:
        return True
    quoted = orjson.dumps(sha256).decode()
    if session.execute(select(CHANGES.c.seq).where(
            CHANGES.c.entity == "attachment", CHANGES.c.field == "sha256",
            CHANGES.c.value == quoted).limit(1)).first() is not None:
        return True
    return session.execute(select(PendingChange.seq).where(
        PendingChange.line.contains(quoted)).limit(1)).first() is not None


def erasure_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Erasure)).scalar()


def erased_attachments(session: Session, *, record_ids: Iterable[str] | None = None) -> int:
    """How many attachments (generated documents among them) were erased: all of them, or
    those among ``record_ids``."""
    query = select(func.count()).select_from(Erasure).where(Erasure.entity == "attachment")
    if record_ids is not None:
        query = query.where(Erasure.record_id.in_(list(record_ids)))
    return session.execute(query).scalar()


# --- the erasure ledger ----------------------------------------------------------------


def _ledger_line(tombstone: WireErasure) -> bytes:
    return orjson.dumps({"entity": tombstone.entity, "hlc": tombstone.hlc,
                         "installation_id": tombstone.installation,
                         "reason": tombstone.reason, "record_id": tombstone.record},
                        option=orjson.OPT_SORT_KEYS)


def _tombstone(data: Any) -> WireErasure | None:
    if not isinstance(data, dict):
        return None
    record, entity, hlc = data.get("record_id"), data.get("entity"), data.get("hlc")
    installation, reason = data.get("installation_id"), data.get("reason")
    if (isinstance(record, str) and 0 < len(record) <= 36 and entity in MODEL_BY_ENTITY
            and isinstance(hlc, int) and not isinstance(hlc, bool) and hlc >= 0
            and isinstance(installation, str) and len(installation) <= 36
            and isinstance(reason, str) and len(reason) <= 40):
        return WireErasure(record, entity, hlc, installation, reason)
    return None


def _read_ledger_bytes(profile: Profile) -> bytes:
    try:
        return profile.erasure_ledger.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise BackupError(_("The record of erasures {path} cannot be read: {reason}").format(
            path=profile.erasure_ledger, reason=error.strerror or error)) from None


def read_ledger(profile: Profile) -> list[WireErasure]:
    """Every erasure the ledger holds (one per record id)."""
    found: dict[str, WireErasure] = {}
    for number, line in enumerate(_read_ledger_bytes(profile).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            tombstone = _tombstone(orjson.loads(line))
        except orjson.JSONDecodeError:
            tombstone = None
        if tombstone is None:
            log.warning("erasure ledger line %d unreadable; skipped", number)
        elif tombstone.record not in found:
            found[tombstone.record] = tombstone
    return list(found.values())


def record_erasures(profile: Profile, tombstones: Iterable[WireErasure]) -> int:
    """Add to the ledger the erasures it does not hold yet; returns how many."""
    data = _read_ledger_bytes(profile)
    known = {t.record for t in read_ledger(profile)} if data else set()
    new: list[WireErasure] = []
    for tombstone in tombstones:
        if tombstone.record not in known:
            known.add(tombstone.record)
            new.append(tombstone)
    if not new:
        return 0
    if data and not data.endswith(b"\n"):
        data += b"\n"
    # First the mark that the backups must lose these people too (backups.scrub_backups
    # removes it when done), so no crash can leave a backup unnoticed.
    mark_backups_to_scrub(profile)
    # Rewritten whole (it is small), so a crash leaves the old ledger or the new one.
    files.atomic_write(profile.erasure_ledger,
                       data + b"".join(_ledger_line(t) + b"\n" for t in new))
    return len(new)


def mark_backups_to_scrub(profile: Profile) -> None:
    """Mark that the backups may hold someone erased (a fresh mark each time, so a scrub
    that began before it does not take it away)."""
    files.atomic_write(profile.backups_to_scrub, uuid.uuid4().hex.encode())


def sync_ledger(session: Session, *, profile: Profile) -> int:
    """Add the database's erasures missing from the ledger (also those made before the
    ledger existed); returns how many were added."""
    return record_erasures(profile, (
        WireErasure(record, entity, hlc, installation, reason)
        for record, entity, hlc, installation, reason in session.execute(select(
            Erasure.record_id, Erasure.entity, Erasure.hlc, Erasure.installation_id,
            Erasure.reason).order_by(Erasure.hlc, Erasure.record_id))))


def erasures_in(database: Path) -> list[WireErasure]:
    """The erasures of a (readable) database file, read without the app's engine."""
    uri = database.resolve().as_uri() + "?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        rows = connection.execute(
            "SELECT record_id, entity, hlc, installation_id, reason FROM erasure").fetchall()
    except sqlite3.OperationalError:
        return []  # a database from before erasures existed
    finally:
        connection.close()
    found = [_tombstone({"record_id": r, "entity": e, "hlc": h, "installation_id": i,
                         "reason": c}) for r, e, h, i, c in rows]
    return [t for t in found if t is not None]
