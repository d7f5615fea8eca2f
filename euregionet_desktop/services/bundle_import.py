"""Reading a partner's bundle: what it holds, checked without applying it, and the import
itself (DESIGN §4), all or nothing."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import AlreadyImportedError, BundleError, NotAddressedHereError
from euregionet_desktop.files import atomic_write, make_folder
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import waits
from euregionet_desktop.services.backend import remove_if_not_committed
from euregionet_desktop.services.conflicts import conflict_count
from euregionet_desktop.services.erasure import (
    blob_in_use,
    erased_attachments,
    sync_ledger,
    unrecorded_document_erasures,
)
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.fields import field_map
from euregionet_desktop.storage.models import BundleLog, Installation, Office, TrustedKey
from euregionet_desktop.sync import acks, clock, keys, merge, rules, wire
from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync.erasure import erased_ids

Progress = Callable[[str, int, int], None]  # stage (marked with N_), done, total


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
    # Changes that have waited through several imports for what has not come (see waits).
    long_waits: tuple[waits.Wait, ...] = ()
    documents: int = 0  # attachments erased (generated documents naming an erased person)


def _trusted(session: Session):
    def lookup(installation_id: str, signing_key: str) -> tuple[str, str, str] | None:
        row = session.get(TrustedKey, installation_id) or _predecessor(session, signing_key)
        return (row.office_code, row.signing_key, row.age_recipient) if row else None
    return lookup


def _predecessor(session: Session, signing_key: str) -> TrustedKey | None:
    """The installation whose pinned key an unknown installation signs with: a profile
    restored from a backup continues as a new installation with the same keys
    (``services.rejoin``); the office must match too (``check_signature``)."""
    return session.execute(select(TrustedKey).where(TrustedKey.signing_key == signing_key)
                           .order_by(TrustedKey.trusted_at).limit(1)).scalar()


def _pin_successor(session: Session, origin: Mapping[str, Any]) -> None:
    """Pin the keys for a restored installation's successor, as for its predecessor."""
    if session.get(TrustedKey, origin["installation"]) is not None:
        return
    if not wire.UUID.match(origin["installation"]):
        raise wire.refuse(_("its manifest does not say who made it."))
    before = _predecessor(session, origin["signing_key"])
    session.execute(insert(TrustedKey.__table__).values(
        installation_id=origin["installation"], office_code=before.office_code,
        label=origin.get("label"), signing_key=before.signing_key,
        age_recipient=before.age_recipient, fingerprint=before.fingerprint,
        trusted_at=now_iso()))


def _checked_manifest(session: Session, opened: bundle_file.OpenedBundle) -> dict[str, Any]:
    manifest = dict(opened.manifest)
    if (type(manifest.get("format")) is not int
            or manifest["format"] not in bundle_file.READABLE_FORMATS):
        raise wire.refuse(_("its format is not one this version reads."))
    schema = manifest.get("schema")
    if not isinstance(schema, str) or not schema.isdecimal():
        raise wire.refuse(_("its manifest gives no valid database version."))
    if schema > migrate.HEAD:
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
    if not isinstance(recipients, list):
        recipients = []  # named in the message as "?" (a hostile manifest: any JSON here)
    if info.office_code not in recipients:
        raise NotAddressedHereError(_("This bundle is addressed to {offices}, not to this office "
                            "({office}). Nothing was imported.").format(
            offices=_offices(recipients),
            office=info.office_code))
    acks = manifest.get("acks")
    if not isinstance(acks, dict) or not all(
            isinstance(k, str) and wire.UUID.match(k) and wire.is_int(v)
            for k, v in acks.items()):
        raise wire.refuse(_("its acknowledgements are malformed."))
    earlier = session.execute(select(BundleLog.at).where(
        BundleLog.bundle_id == bundle_id, BundleLog.direction == "in")).scalar()
    if earlier is not None:
        raise AlreadyImportedError(_("This bundle was already imported on {date}; nothing was "
                            "changed.").format(date=earlier[:10]))
    return manifest


def _offices(recipients: list[Any]) -> str:
    """The offices a bundle names, for a message: at most five, each cut short (a
    manifest may name a thousand)."""
    shown = ", ".join(str(r)[:10] for r in recipients[:5]) or "?"
    return shown + (", …" if len(recipients) > 5 else "")


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
    _pin_successor(session, manifest["origin"])
    changes, erasures = _parsed(session, opened.members)
    rules.check_erasures(session, erasures, changes)
    # Only the attachment files are needed further on: the change lines (parsed now) go.
    blobs = {name: content for name, content in opened.members.items()
             if name.startswith("blobs/")}
    encrypted = opened.encrypted
    del opened
    erased_here = erased_ids(session)
    # Documents made before they recorded whom they name, found by the name they print.
    erasures += unrecorded_document_erasures(
        session, profile=profile, tombstones=[e for e in erasures if e.record not in erased_here])
    erased_here |= {e.record for e in erasures}
    for change in changes:
        if change.field == "" and change.record not in erased_here:
            raise wire.refuse(_("it holds an emptied change for a record that was not "
                                "erased."))
    _refuse_clock_ahead(session, manifest, changes, erasures)
    progress(APPLYING_STAGE, 1, IMPORT_STEPS)
    documents_before = erased_attachments(session)
    report = merge.apply_changes(session, changes, erasures)
    progress(APPLYING_STAGE, 2, IMPORT_STEPS)
    origin = manifest["origin"]
    acks.record_acks(session, peer=origin["installation"], office_code=origin["office"],
                     acks={origin["installation"]: 0, **manifest["acks"]})
    conflicts = report.fresh_conflicts + conflict_count(session, record_ids=report.existing,
                                                           arrived=report.touched)
    if report.erased and not dry_run:
        # Before the commit: an erasure in the ledger but not in the database (the commit
        # failed) is only carried out again, never a person brought back.
        sync_ledger(session, profile=profile)
    session.execute(insert(BundleLog.__table__).values(
        bundle_id=manifest["bundle_id"], direction="in", office_code=origin["office"],
        at=now_iso(), file_name=None, sha256=hashlib.sha256(data).hexdigest(),
        report=orjson.dumps({**report.as_dict(),
                             "waiting_for": waits.waiting_for(session)}).decode()))
    long_waits = tuple(waits.long_waits(session))
    progress(FILES_STAGE, 3, IMPORT_STEPS)
    if not dry_run:
        _store_blobs(session, profile=profile, members=blobs)
    progress(FILES_STAGE, IMPORT_STEPS, IMPORT_STEPS)
    return ImportReport(
        manifest["bundle_id"], origin["office"], origin.get("label"), report.applied,
        report.known, report.waiting, report.dropped, report.erased, conflicts,
        report.records, dry_run, encrypted, frozenset(report.records), long_waits,
        erased_attachments(session) - documents_before)


def _parsed(session: Session, members: Mapping[str, bytes]
            ) -> tuple[list[wire.WireChange], list[wire.WireErasure]]:
    """The change lines and erasures of the bundle's members, each checked (also against
    what a partner may change, sync.rules)."""
    changes: list[wire.WireChange] = []
    erasures: list[wire.WireErasure] = []
    for name in sorted(members):
        if name.startswith("changes/"):
            parsed = wire.parse_changes(members[name], name, name[8:-6])
            rules.check_changes(session, parsed, name)
            seqs: set[int] = set()  # one installation per member (parse_changes checks)
            for change in parsed:
                if change.seq in seqs:
                    raise wire.refuse(_("it holds two changes with the same number "
                                        "({installation}, {seq}).").format(
                        installation=change.installation, seq=change.seq))
                seqs.add(change.seq)
                changes.append(change)
        elif name == "erasures.jsonl":
            erasures = wire.parse_erasures(members[name], name)
    return changes, erasures


def _refuse_clock_ahead(session: Session, manifest: Mapping[str, Any],
                        changes: list[wire.WireChange],
                        erasures: list[wire.WireErasure]) -> None:
    """Refuse a bundle whose clock readings are more than ``clock.MAX_AHEAD_MS`` ahead of
    this computer's clock, naming the installation that made the furthest one: heard, they
    would date every later edit here as far ahead.

    The readings heard are those of the changes and erasures not yet here (one already
    applied or carried out is not heard again). The manifest's reading is checked for its
    range only: it is the sender's clock after hearing others, so it would blame the sender
    for a third office's clock, and it is not heard here.
    """
    if "hlc" in manifest and not wire.is_hlc(manifest["hlc"]):
        raise wire.refuse(_("its manifest holds a clock reading out of range."))
    wall = clock.checked_wall_ms()
    # Readings at or past ``limit`` are more than the offset ahead; one comparison per
    # change (100k of them) before anything is looked up.
    limit = (wall + clock.MAX_AHEAD_MS + 1) << clock.COUNTER_BITS
    suspects: list[tuple[int, str]] = []
    far_changes = [c for c in changes if c.hlc >= limit]
    if far_changes:
        seen = acks.seen_vector(session)
        suspects += [(c.hlc, c.installation) for c in far_changes
                     if c.seq > seen.get(c.installation, 0)]
    far_erasures = [e for e in erasures if e.hlc >= limit]
    if far_erasures:
        erased = erased_ids(session)
        suspects += [(e.hlc, e.installation) for e in far_erasures if e.record not in erased]
    if suspects:
        latest, whose = max(suspects)
        ahead = clock.ahead_ms(latest, wall_ms=wall)
        office, label = _installation_name(session, whose, manifest["origin"])
        raise wire.refuse(_(
            "the clock of office {office} (installation {installation}) is {offset} ahead "
            "of this computer's clock. Check the date and time on both computers.").format(
            office=office, installation=label, offset=clock.offset_text(ahead)))


def _installation_name(session: Session, installation_id: str,
                       origin: Mapping[str, Any]) -> tuple[str, str]:
    """Office code and label (or shortened id) of an installation, as far as known here."""
    if installation_id == origin["installation"]:
        office, label = origin["office"], origin.get("label")
    else:
        row = session.execute(select(Office.code, Installation.label).join(
            Office, Office.id == Installation.office_id).where(
            Installation.id == installation_id)).first()
        trusted = session.get(TrustedKey, installation_id)
        office, label = row or ((trusted.office_code, trusted.label) if trusted else ("?", None))
    return str(office)[:10], str(label or installation_id[:8])[:100]


def _store_blobs(session: Session, *, profile: Profile,
                 members: Mapping[str, bytes]) -> None:
    """The bundle's attachment files, each whole or not at all. If one cannot be written
    (full disk, drive gone), or the import does not commit, the files it added are removed
    again, so the attachments folder is as it was."""
    make_folder(profile.attachments)
    for name, content in members.items():
        # Not the files of attachments erased here (their changes were dropped).
        if (name.startswith("blobs/") and not (profile.attachments / name[6:]).exists()
                and blob_in_use(session, name[6:])):
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
    # Nothing here is trusted yet: each value is shown only if it has the type it should.
    label = origin.get("label") if isinstance(origin.get("label"), str) else None
    recipients = manifest.get("recipients")
    recipients = recipients if isinstance(recipients, list) else []
    try:
        bundle_file.check_signature(opened, _trusted(session))
        trusted = True
    except BundleError:
        trusted = False
    ranges = manifest.get("ranges") if isinstance(manifest.get("ranges"), dict) else {}
    changes = sum(max(0, r[1] - r[0] + 1) for r in ranges.values()
                  if isinstance(r, list) and len(r) == 2 and all(wire.is_int(v) for v in r))
    members = opened.members
    return BundleSummary(
        _text(manifest.get("bundle_id", "")), _text(origin.get("office", "?")), label,
        tuple(_text(r) for r in recipients),
        _text(manifest.get("created", "")), changes,
        len([line for line in members.get("erasures.jsonl", b"").split(b"\n") if line]),
        len([n for n in members if n.startswith("blobs/")]), opened.encrypted, trusted,
        keys.fingerprint(_text(origin.get("signing_key", "")),
                         _text(origin.get("age_recipient", ""))))


def _text(value: Any) -> str:
    """A manifest value to show: text as it is (cut short), anything else as ``?``."""
    return value[:200] if isinstance(value, str) else "?"
