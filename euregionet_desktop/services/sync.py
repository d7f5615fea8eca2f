"""Exchanging data with the other offices: keys, bundles, conflicts and erasure."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.errors import BundleError, ValidationError
from euregionet_desktop.files import atomic_write, make_folder
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups
from euregionet_desktop.services.backend import remove_if_not_committed
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.records import _load, _row_values, labels, write_fields
from euregionet_desktop.services.values import clean_values
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.fields import field_map
from euregionet_desktop.storage.models import (
    Advisor,
    Attachment,
    BundleLog,
    Change,
    Erasure,
    Installation,
    LocalState,
    Office,
    PendingChange,
    TrustedKey,
)
from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync import clock, keys, merge, wire
from euregionet_desktop.sync.changelog import ChangeWriter

CHANGES = Change.__table__
Progress = Callable[[str, int, int], None]  # stage (marked with N_), done, total


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# --- keys ------------------------------------------------------------------------------


def own_public_keys(session: Session, *, profile: Profile) -> keys.PublicKeys:
    """This installation's public keys (made on first use)."""
    info = profile_info(session)
    private = keys.load_or_create(profile.keys)
    return keys.PublicKeys(info.installation_id, info.office_code, info.label,
                           private.signing_public, private.age_recipient)


def read_partner_keys(session: Session, *, data: bytes) -> keys.PublicKeys:
    """A partner's public key file, checked (shown to the person before trusting it)."""
    return keys.read_public(data)


def trust(session: Session, *, partner: keys.PublicKeys) -> Changes:
    """Pin a partner installation's keys (after the person compared the fingerprint)."""
    info = profile_info(session)
    if partner.installation_id == info.installation_id:
        raise ValidationError(_("This is this installation's own key file."))
    if session.execute(select(Office.id).where(Office.code == partner.office_code)).first() \
            is None:
        raise ValidationError(_("The key file names an unknown office “{office}”.").format(
            office=partner.office_code))
    session.execute(insert(TrustedKey.__table__).prefix_with("OR REPLACE").values(
        installation_id=partner.installation_id, office_code=partner.office_code,
        label=partner.label, signing_key=partner.signing_key,
        age_recipient=partner.age_recipient, fingerprint=partner.fingerprint,
        trusted_at=_now()))
    return Changes(frozenset({"trusted_key"}))


@dataclass(frozen=True)
class TrustedPartner:
    installation_id: str
    office_code: str
    label: str | None
    fingerprint: str
    trusted_at: str


def trusted_partners(session: Session) -> list[TrustedPartner]:
    rows = session.execute(select(TrustedKey).order_by(TrustedKey.office_code,
                                                       TrustedKey.trusted_at)).scalars()
    return [TrustedPartner(r.installation_id, r.office_code, r.label, r.fingerprint,
                           r.trusted_at) for r in rows]


# --- export ----------------------------------------------------------------------------


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
    private = keys.load_or_create(profile.keys)
    recipients = None
    if encrypt:
        recipients = list(session.execute(select(TrustedKey.age_recipient).where(
            TrustedKey.office_code == to_office)).scalars())
        if not recipients:
            raise ValidationError(_(
                "No key of office {office} is trusted here yet, so the bundle cannot be "
                "encrypted for it. Trust their key file first (“keys trust FILE”).").format(
                office=to_office))
    seen = merge.seen_vector(session)
    acked = merge.office_acks(session, to_office)
    members: dict[str, bytes] = {}
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
        lines = []
        for row in rows:
            change = merge.WireChange.from_row(row)
            lines.append(change.line())
            if change.entity == "attachment" and change.field == "sha256" and change.value:
                blob_ids.add(change.value)
        if lines:
            members[f"changes/{installation}.jsonl"] = b"\n".join(lines) + b"\n"
            ranges[installation] = [start, start + len(lines) - 1]
            count += len(lines)
    erasures = [merge.WireErasure(r.record_id, r.entity, r.hlc, r.installation_id, r.reason)
                for r in session.execute(select(Erasure).order_by(Erasure.record_id)).scalars()]
    if erasures:
        members["erasures.jsonl"] = b"".join(orjson.dumps(
            e.as_wire(), option=orjson.OPT_SORT_KEYS) + b"\n" for e in erasures)
    for sha in sorted(blob_ids):
        blob = profile.attachments / sha
        if blob.is_file():
            members[f"blobs/{sha}"] = blob.read_bytes()
    bundle_id = str(uuid.uuid4())
    state = session.get(LocalState, 1)
    manifest = {
        "format": bundle_file.FORMAT,
        "schema": migrate.HEAD,
        "bundle_id": bundle_id,
        "created": _now(),
        "hlc": clock.tick(state.last_hlc),
        "origin": {"installation": info.installation_id, "office": info.office_code,
                   "label": info.label, "signing_key": private.signing_public,
                   "age_recipient": private.age_recipient},
        "recipients": [to_office],
        "ranges": ranges,
        "acks": seen,
        "digest": hashlib.sha256(orjson.dumps(
            {"acks": seen, "erased": [e.record for e in erasures]},
            option=orjson.OPT_SORT_KEYS)).hexdigest(),
        "members": {name: bundle_file.member_entry(data) for name, data in members.items()},
    }
    manifest_bytes = bundle_file.encode_manifest(manifest)
    size = bundle_file.write(path, manifest=manifest_bytes, signature=private.sign(manifest_bytes),
                             members=members, recipients=recipients)
    remove_if_not_committed(session, path)  # told it failed, a person finds no bundle
    session.execute(insert(BundleLog.__table__).values(
        bundle_id=bundle_id, direction="out", office_code=to_office, at=_now(),
        file_name=path.name, sha256=None, report=orjson.dumps(
            {"changes": count, "erasures": len(erasures)}).decode()))
    return ExportResult(bundle_id, path, to_office, count, len(erasures),
                        len([n for n in members if n.startswith("blobs/")]), size,
                        recipients is not None)


# --- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    bundle_id: str
    origin_office: str
    origin_label: str | None
    applied: int
    known: int
    waiting: int
    dropped: int
    erased: int
    conflicts: int
    records: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    encrypted: bool = False
    changes: frozenset[str] = frozenset()


def _trusted(session: Session):
    def lookup(installation_id: str) -> tuple[str, str, str] | None:
        row = session.get(TrustedKey, installation_id)
        return (row.office_code, row.signing_key, row.age_recipient) if row else None
    return lookup


def _checked_manifest(session: Session, opened: bundle_file.OpenedBundle) -> dict[str, Any]:
    manifest = dict(opened.manifest)
    if manifest.get("format") != bundle_file.FORMAT:
        raise wire.refuse(_("its format is not one this version reads."))
    schema = manifest.get("schema")
    if not isinstance(schema, str) or schema > migrate.HEAD:
        raise BundleError(_("This bundle was made by a newer version of EuRegioNet (database "
                            "version {schema}); update the app first. Nothing was "
                            "imported.").format(schema=str(schema)[:20]))
    bundle_id = manifest.get("bundle_id")
    if not isinstance(bundle_id, str) or not wire.UUID.match(bundle_id):
        raise wire.refuse(_("its manifest has no valid bundle id."))
    info = profile_info(session)
    origin = manifest["origin"]
    # The label is shown in the report; it must fit where the sender keeps it.
    if not wire.value_ok(field_map("installation")["label"], origin.get("label")):
        raise wire.refuse(_("its manifest gives the sending installation a label that is "
                            "not text, too long or holds control characters."))
    if origin["installation"] == info.installation_id:
        raise BundleError(_("This bundle was made by this installation; it is meant for a "
                            "partner office. Nothing was imported."))
    recipients = manifest.get("recipients")
    if not isinstance(recipients, list) or info.office_code not in recipients:
        raise BundleError(_("This bundle is addressed to {offices}, not to this office "
                            "({office}). Nothing was imported.").format(
            offices=", ".join(str(r)[:10] for r in recipients or []) or "?",
            office=info.office_code))
    acks = manifest.get("acks")
    if not isinstance(acks, dict) or not all(
            isinstance(k, str) and wire.UUID.match(k) and wire._is_int(v)
            for k, v in acks.items()):
        raise wire.refuse(_("its acknowledgements are malformed."))
    earlier = session.execute(select(BundleLog.at).where(
        BundleLog.bundle_id == bundle_id, BundleLog.direction == "in")).scalar()
    if earlier is not None:
        raise BundleError(_("This bundle was already imported on {date}; nothing was "
                            "changed.").format(date=earlier[:10]))
    return manifest


# The stages an import reports to ``progress(stage, done, total)``: done counts them.
READING_STAGE = N_("Reading the bundle")
APPLYING_STAGE = N_("Applying the changes")
FILES_STAGE = N_("Storing attachment files")
IMPORT_STEPS = 4


def import_bundle(session: Session, *, profile: Profile, data: bytes,
                  dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
    """The import pipeline of DESIGN §4 in the caller's transaction (roll back for a
    preview); BundleError leaves nothing changed. ``progress`` hears of each stage; an
    exception it raises (a cancel) rolls the import back like any other."""
    # Hundreds of thousands of short-lived objects and no cycles among them: the cyclic
    # collector would only walk them again and again (about 0.2 s per 100k changes).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_bundle(session, profile=profile, data=data, dry_run=dry_run,
                              progress=progress or _no_progress)
    finally:
        if collecting:
            gc.enable()


def _no_progress(_stage: str, _done: int, _total: int) -> None:
    pass


def _import_bundle(session: Session, *, profile: Profile, data: bytes,
                   dry_run: bool, progress: Progress) -> ImportReport:
    progress(READING_STAGE, 0, IMPORT_STEPS)
    private = keys.load_or_create(profile.keys)
    opened = bundle_file.open_bundle(data, identity=private.identity,
                                     trusted=_trusted(session))
    manifest = _checked_manifest(session, opened)
    changes: list[merge.WireChange] = []
    keys_seen: set[tuple[str, int]] = set()
    erasures: list[merge.WireErasure] = []
    for name, content in sorted(opened.members.items()):
        if name.startswith("changes/"):
            for change in wire.parse_changes(content, name, name[8:-6]):
                if change.key in keys_seen:
                    raise wire.refuse(_("it holds two changes with the same number "
                                        "({installation}, {seq}).").format(
                        installation=change.installation, seq=change.seq))
                keys_seen.add(change.key)
                changes.append(change)
        elif name == "erasures.jsonl":
            erasures = wire.parse_erasures(content, name)
    erased_here = merge.erased_ids(session) | {e.record for e in erasures}
    for change in changes:
        if change.field == "" and change.record not in erased_here:
            raise wire.refuse(_("it holds an emptied change for a record that was not "
                                "erased."))
    progress(APPLYING_STAGE, 1, IMPORT_STEPS)
    report = merge.apply_changes(session, changes, erasures)
    progress(APPLYING_STAGE, 2, IMPORT_STEPS)
    origin = manifest["origin"]
    merge.record_acks(session, peer=origin["installation"], office_code=origin["office"],
                      acks={origin["installation"]: 0, **manifest["acks"]})
    conflicts = report.fresh_conflicts + conflict_count(session, record_ids=report.existing)
    if report.erased and not dry_run:
        # Before the commit: an erasure in the ledger but not in the database (the commit
        # failed) is only carried out again, never a person brought back.
        backups.sync_ledger(session, profile=profile)
    session.execute(insert(BundleLog.__table__).values(
        bundle_id=manifest["bundle_id"], direction="in", office_code=origin["office"],
        at=_now(), file_name=None, sha256=hashlib.sha256(data).hexdigest(),
        report=orjson.dumps(report.as_dict()).decode()))
    progress(FILES_STAGE, 3, IMPORT_STEPS)
    if not dry_run:
        _store_blobs(session, profile=profile, members=opened.members)
    progress(FILES_STAGE, IMPORT_STEPS, IMPORT_STEPS)
    return ImportReport(
        manifest["bundle_id"], origin["office"], origin.get("label"), report.applied,
        report.known, report.waiting, report.dropped, report.erased, conflicts,
        report.records, dry_run, opened.encrypted, frozenset(report.records))


def _store_blobs(session: Session, *, profile: Profile,
                 members: Mapping[str, bytes]) -> None:
    """The bundle's attachment files, each whole or not at all. If one cannot be written
    (full disk, drive gone), or the import does not commit, the files it added are removed
    again, so the attachments folder is as it was."""
    make_folder(profile.attachments)
    for name, content in members.items():
        # Not the files of attachments erased here (their changes were dropped).
        if (name.startswith("blobs/") and not (profile.attachments / name[6:]).exists()
                and _blob_in_use(session, name[6:])):
            target = profile.attachments / name[6:]
            atomic_write(target, content)
            remove_if_not_committed(session, target)


@dataclass(frozen=True)
class BundleSummary:
    bundle_id: str
    origin_office: str
    origin_label: str | None
    recipients: tuple[str, ...]
    created: str
    changes: int
    erasures: int
    blobs: int
    encrypted: bool
    signed_by_trusted_key: bool
    fingerprint: str


def inspect_bundle(session: Session, *, profile: Profile, data: bytes) -> BundleSummary:
    """What a bundle holds, checked as far as possible without applying it."""
    private = keys.load_or_create(profile.keys)
    opened = bundle_file.open_bundle(data, identity=private.identity)
    manifest = opened.manifest
    origin = manifest.get("origin") if isinstance(manifest.get("origin"), dict) else {}
    try:
        bundle_file.check_signature(opened, _trusted(session))
        trusted = True
    except BundleError:
        trusted = False
    ranges = manifest.get("ranges") if isinstance(manifest.get("ranges"), dict) else {}
    changes = sum(r[1] - r[0] + 1 for r in ranges.values()
                  if isinstance(r, list) and len(r) == 2 and all(wire._is_int(v) for v in r))
    members = opened.members
    return BundleSummary(
        str(manifest.get("bundle_id", "")), str(origin.get("office", "?")), origin.get("label"),
        tuple(str(r) for r in manifest.get("recipients") or []),
        str(manifest.get("created", "")), changes,
        len([line for line in members.get("erasures.jsonl", b"").split(b"\n") if line]),
        len([n for n in members if n.startswith("blobs/")]), opened.encrypted, trusted,
        keys.fingerprint(str(origin.get("signing_key", "")), str(origin.get("age_recipient",
                                                                              ""))))


@dataclass(frozen=True)
class BundleRecord:
    bundle_id: str
    direction: str
    office_code: str
    at: str
    file_name: str | None
    report: dict[str, Any]


def bundle_history(session: Session) -> list[BundleRecord]:
    rows = session.execute(select(BundleLog).order_by(BundleLog.at.desc())).scalars()
    return [BundleRecord(r.bundle_id, r.direction, r.office_code, r.at, r.file_name,
                         orjson.loads(r.report)) for r in rows]


# --- conflicts -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictWrite:
    value: Any  # JSON form
    author: str | None
    office_code: str | None
    at_ms: int
    winner: bool


@dataclass(frozen=True)
class Conflict:
    entity: str
    record_id: str
    record_label: str
    field: str
    field_label: str
    writes: tuple[ConflictWrite, ...]


# A field is in conflict when its current writes hold different values (two offices
# typing the same value concurrently agree; there is nothing to choose).
_CONFLICTED = ("SELECT record_id, field FROM change_log WHERE current = 1 "
               "GROUP BY record_id, field HAVING count(DISTINCT value) > 1")
# A delete concurrent with an edit (DESIGN §4): the record's winning current delete, and
# per installation the newest current write to another field made later by the clock,
# which the deleting office cannot have seen (nobody edits a record deleted in front of
# them; a restore replaces the delete). An edit made earlier by the clock but not yet seen
# is not detected: the hybrid clock tells "after", not "concurrent".
_EDITED_AFTER_DELETE = """
SELECT d.record_id, d.entity, d.installation_id, d.author_id, d.hlc,
       e.installation_id AS e_installation, e.author_id AS e_author, max(e.hlc) AS e_hlc
FROM change_log AS d JOIN change_log AS e
  ON e.record_id = d.record_id AND e.current = 1 AND e.field NOT IN ('deleted', '')
  AND e.hlc > d.hlc
WHERE d.current = 1 AND d.field = 'deleted' AND d.value = 'true' AND NOT EXISTS (
  SELECT 1 FROM change_log AS w WHERE w.record_id = d.record_id AND w.field = 'deleted'
  AND w.current = 1 AND (w.hlc > d.hlc OR (w.hlc = d.hlc AND w.installation_id > d.installation_id)))
GROUP BY d.record_id, e.installation_id
ORDER BY d.record_id, e_hlc DESC, e_installation DESC
"""


def conflict_count(session: Session, *, record_ids: set[str] | None = None) -> int:
    """Fields in conflict, in all records or in ``record_ids`` only."""
    if record_ids is None:
        fields = set(session.execute(text(_CONFLICTED)).all())
        deletes = {(row.record_id, "deleted")
                   for row in session.execute(text(_EDITED_AFTER_DELETE))}
        return len(fields | deletes)
    found: set[tuple[str, str]] = set()
    ids = sorted(record_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(f":r{n}" for n in range(len(chunk)))
        params = {f"r{n}": record_id for n, record_id in enumerate(chunk)}
        found.update((r, f) for r, f in session.execute(text(_CONFLICTED.replace(
            "WHERE current = 1", f"WHERE current = 1 AND record_id IN ({marks})")), params))
        found.update((row.record_id, "deleted") for row in session.execute(text(
            _EDITED_AFTER_DELETE.replace(
                "WHERE d.current = 1", f"WHERE d.record_id IN ({marks}) AND d.current = 1")),
            params))
    return len(found)


def conflicts(session: Session) -> list[Conflict]:
    """Every field whose current writes disagree, and every delete concurrent with an
    edit (as a conflict of ``deleted``: true, or false to keep the edited record); the
    provisional winner first."""
    keys_found = session.execute(text(_CONFLICTED + " ORDER BY record_id, field")).all()
    offices = dict(session.execute(select(Installation.id, Office.code).join(
        Office, Office.id == Installation.office_id)).all())
    advisors = dict(session.execute(select(Advisor.id, Advisor.name)).all())

    def write(value: Any, author: str | None, installation: str, hlc: int,
              winner: bool) -> ConflictWrite:
        return ConflictWrite(value, advisors.get(author), offices.get(installation),
                             clock.wall_time_ms(hlc), winner)

    result = []
    for record_id, name in keys_found:
        rows = session.execute(select(CHANGES).where(
            CHANGES.c.record_id == record_id, CHANGES.c.field == name,
            CHANGES.c.current.is_(True)).order_by(
            CHANGES.c.hlc.desc(), CHANGES.c.installation_id.desc())).mappings().all()
        entity = rows[0]["entity"]
        spec = field_map(entity).get(name)
        label = labels(session, entity=entity, record_ids=[record_id]).get(record_id, record_id)
        result.append(Conflict(entity, record_id, label, name,
                               _(spec.label) if spec else _("Deleted"), tuple(
            write(orjson.loads(r["value"]), r["author_id"], r["installation_id"], r["hlc"],
                  index == 0) for index, r in enumerate(rows))))
    listed = {(c.record_id, c.field) for c in result}
    edited: dict[str, list[Any]] = {}
    for row in session.execute(text(_EDITED_AFTER_DELETE)):
        if (row.record_id, "deleted") not in listed:
            edited.setdefault(row.record_id, []).append(row)
    for record_id, rows in edited.items():
        first = rows[0]
        label = labels(session, entity=first.entity, record_ids=[record_id]).get(
            record_id, record_id)
        result.append(Conflict(first.entity, record_id, label, "deleted", _("Deleted"), (
            write(True, first.author_id, first.installation_id, first.hlc, True),
            *(write(False, r.e_author, r.e_installation, r.e_hlc, False) for r in rows))))
    result.sort(key=lambda c: (c.record_id, c.field))
    return result


def resolve(session: Session, *, entity: str, record_id: str, field_name: str,
            value: Any) -> Changes:
    """Settle a conflict with one value (picked or typed): a new write replacing all."""
    row = _load(session, entity, record_id, include_deleted=True)
    if field_name == "deleted":
        clean = {"deleted": bool(value)}
    else:
        # The JSON form of a write (ISO dates, decimal text) is also what a person types.
        clean = clean_values(session, entity, {field_name: value},
                             existing=_row_values(entity, row))
    # Written even when equal to the shown value: the write replaces every current one.
    write_fields(session, ChangeWriter.begin(session), entity, record_id, clean)
    return Changes(frozenset({entity}), record_id, (record_id,))


# --- erasure ---------------------------------------------------------------------------


def erase(session: Session, *, entity: str, record_id: str, reason: str = "gdpr_request",
          profile: Profile | None = None) -> Changes:
    """Erase a person for good, here and (with the next bundles) everywhere.

    With ``profile``, the erasure also goes into the profile's erasure ledger at once (else
    at the next open), so no backup restored later brings the person back.
    """
    if entity != "contact":
        raise ValidationError(_("Only contact persons can be erased; delete other "
                                "records instead."))
    _load(session, entity, record_id, include_deleted=True)
    state = session.get(LocalState, 1)
    hlc = clock.tick(state.last_hlc)
    state.last_hlc = hlc
    done = merge.erase(session, merge.WireErasure(record_id, entity, hlc,
                                                  state.installation_id, reason))
    if profile is not None:
        backups.sync_ledger(session, profile=profile)
    touched = {"contact", "membership", "participant", "task", "consultation"}
    return Changes(frozenset(touched), record_id, tuple(done))


def scrub(session: Session, *, profile: Profile | None = None) -> None:
    """After an erasure: merge the search index's segments so deleted terms are gone, and
    remove the files of erased attachments. (Then ``Backend.compact`` rewrites the file.)"""
    session.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))
    if profile is not None and profile.attachments.is_dir():
        for blob in profile.attachments.iterdir():
            if (blob.is_file() and _BLOB_NAME.match(blob.name)
                    and not _blob_in_use(session, blob.name)):
                blob.unlink()


_BLOB_NAME = re.compile(r"^[0-9a-f]{64}$")


def _blob_in_use(session: Session, sha256: str) -> bool:
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
