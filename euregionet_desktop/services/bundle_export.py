"""Writing a bundle for a partner office: every change it has not acknowledged and every
erasure, signed (and encrypted when asked)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson
from sqlalchemy import RowMapping, insert, select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import NextStep, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.backend import remove_if_not_committed
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.models import (
    BundleLog,
    Change,
    Erasure,
    LocalState,
    Office,
    TrustedKey,
)
from euregionet_desktop.sync import acks, clock, keys, wire
from euregionet_desktop.sync import bundle as bundle_file

CHANGES = Change.__table__
# Change lines encoded, then deflated, at a time: few enough to stay in the CPU caches
# (measured: 100–400 export 100k changes about a third faster than 2000 or all at once).
LINES_PER_WRITE = 256
BLOB_CHUNK = 1 << 20


@dataclass(frozen=True)
class ExportResult:
    bundle_id: str
    path: Path
    to_office: str
    changes: int
    erasures: int
    blobs: int
    size: int
    encrypted: bool


def _office_codes(session: Session) -> set[str]:
    return set(session.execute(select(Office.code)).scalars())


def _lines(rows: Sequence[RowMapping], blob_ids: set[str]) -> bytes:
    """The change log rows as change lines; ``blob_ids`` gains the attachment files named."""
    lines = []
    for row in rows:
        change = wire.WireChange.from_row(row)
        lines.append(change.line())
        if change.entity == "attachment" and change.field == "sha256" and change.value:
            blob_ids.add(change.value)
    lines.append(b"")
    return b"\n".join(lines)


def export_bundle(session: Session, *, profile: Profile, to_office: str, path: Path,
                  encrypt: bool = False) -> ExportResult:
    """Everything ``to_office`` has not acknowledged, signed (and encrypted if asked)."""
    to_office = to_office.strip().upper()
    info = profile_info(session)
    if to_office not in _office_codes(session):
        raise ValidationError(_("Unknown partner office “{code}”. Known offices: {known}.").format(
            code=to_office, known=", ".join(sorted(_office_codes(session)))), field="office")
    if to_office == info.office_code:
        raise ValidationError(_("Bundles go to another office, not to {office}.").format(
            office=to_office), field="office")
    recipients = None
    if encrypt:
        # Distinct: a restored installation's successor keeps its predecessor's keys.
        recipients = list(session.execute(select(TrustedKey.age_recipient).distinct().where(
            TrustedKey.office_code == to_office).order_by(TrustedKey.age_recipient)).scalars())
        if not recipients:
            raise ValidationError(_(
                "No key of office {office} is trusted here yet, so the bundle cannot be "
                "encrypted for it.").format(office=to_office), next_step=NextStep.TRUST_KEY)
    written = write_bundle(session, profile=profile, to_offices=[to_office], path=path,
                           recipients=recipients)
    bundle_id, count, erasures = written.bundle_id, written.changes, written.erasures
    remove_if_not_committed(session, path)  # told it failed, a person finds no bundle
    session.execute(insert(BundleLog.__table__).values(
        bundle_id=bundle_id, direction="out", office_code=to_office, at=now_iso(),
        file_name=path.name, sha256=None, report=orjson.dumps(
            {"changes": count, "erasures": erasures}).decode()))
    return ExportResult(bundle_id, path, to_office, count, erasures, written.blobs,
                        written.size, recipients is not None)


@dataclass(frozen=True)
class WrittenBundle:
    bundle_id: str
    changes: int
    erasures: int
    blobs: int
    size: int
    acks: dict[str, int]  # what this installation held (the bundle's acknowledgements)
    ranges: dict[str, list[int]]  # per writer installation, the first and last seq carried


def held_by_all(session: Session, offices: Sequence[str]) -> dict[str, int]:
    """Per writer installation, the changes every known installation of these offices
    holds (what a bundle addressed to all of them need not carry)."""
    held = [acks.office_acks(session, office) for office in offices]
    if not held:
        return {}
    return {w: min(h.get(w, 0) for h in held) for w in set.union(*(set(h) for h in held))}


def write_bundle(session: Session, *, profile: Profile, to_offices: Sequence[str], path: Path,
                 recipients: list[str] | None,
                 after: Mapping[str, int] | None = None) -> WrittenBundle:
    """Write to ``path`` everything some installation of ``to_offices`` has not
    acknowledged (or, given ``after``, each writer's changes beyond it), signed, and
    encrypted to the age ``recipients`` when given; the caller checks the offices and logs
    the bundle."""
    info = profile_info(session)
    private = keys.load_or_create(profile.keys)
    seen = acks.seen_vector(session)
    acked = held_by_all(session, to_offices) if after is None else after
    # Streamed (DESIGN §8: 100k changes within 250 MiB): the change log is read and written
    # a chunk of lines at a time, only the deflated zip is held.
    # Closed whatever happens: an export refused half way (a wrong clock, a file that
    # cannot be read) leaves no zip open behind it.
    with bundle_file.Writer() as writer:
        ranges: dict[str, list[int]] = {}
        blob_ids: set[str] = set()
        count = 0
        for installation, top in sorted(seen.items()):
            start = acked.get(installation, 0) + 1
            if start > top:
                continue
            rows = session.execute(select(CHANGES).where(
                CHANGES.c.installation_id == installation, CHANGES.c.seq >= start,
                CHANGES.c.seq <= top).order_by(CHANGES.c.seq)).mappings()
            chunks = rows.partitions(LINES_PER_WRITE)
            chunk = next(chunks, None)
            if chunk is None:
                continue
            written = 0
            with writer.member(f"changes/{installation}.jsonl") as write:
                while chunk is not None:
                    write(_lines(chunk, blob_ids))
                    written += len(chunk)
                    chunk = next(chunks, None)
            ranges[installation] = [start, start + written - 1]
            count += written
        erasures = [wire.WireErasure(r.record_id, r.entity, r.hlc, r.installation_id, r.reason)
                    for r in session.execute(select(Erasure).order_by(Erasure.record_id)).scalars()]
        if erasures:
            writer.add("erasures.jsonl", b"".join(orjson.dumps(
                e.as_wire(), option=orjson.OPT_SORT_KEYS) + b"\n" for e in erasures))
        for sha in sorted(blob_ids):
            blob = profile.attachments / sha
            if blob.is_file():
                with blob.open("rb") as handle, writer.member(f"blobs/{sha}") as write:
                    while chunk := handle.read(BLOB_CHUNK):  # an attachment need not fit twice
                        write(chunk)
        bundle_id = str(uuid.uuid4())
        state = session.get(LocalState, 1)
        manifest = {
            "format": bundle_file.FORMAT,
            "schema": migrate.HEAD,
            "bundle_id": bundle_id,
            "created": now_iso(),
            "hlc": clock.tick(state.last_hlc),
            "origin": {"installation": info.installation_id, "office": info.office_code,
                       "label": info.label, "signing_key": private.signing_public,
                       "age_recipient": private.age_recipient},
            "recipients": list(to_offices),
            "ranges": ranges,
            "acks": seen,
            "digest": hashlib.sha256(orjson.dumps(
                {"acks": seen, "erased": [e.record for e in erasures]},
                option=orjson.OPT_SORT_KEYS)).hexdigest(),
            "members": writer.entries,
        }
        manifest_bytes = bundle_file.encode_manifest(manifest)
        size = writer.finish(path, manifest=manifest_bytes, signature=private.sign(manifest_bytes),
                             recipients=recipients)
    return WrittenBundle(bundle_id, count, len(erasures),
                         len([n for n in writer.entries if n.startswith("blobs/")]), size,
                         seen, ranges)
