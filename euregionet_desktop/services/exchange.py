"""What the Sync view shows before a person acts (partners, what a bundle would carry, the
bundles sent and received), and the import and erasure steps it and the CLI share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, bundle_import, erasure, waits
from euregionet_desktop.services.dto import Changes, ProfileInfo
from euregionet_desktop.services.partners import TrustedPartner, own_public_keys, trusted_partners
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.storage.models import BundleLog, Change, Erasure, Office, TrustedKey
from euregionet_desktop.sync import acks
from euregionet_desktop.sync.keys import PublicKeys


@dataclass(frozen=True)
class PartnerOffice:
    code: str
    name: str
    trusted_keys: int  # installations of the office pinned here
    unsent_changes: int  # changes the office has not acknowledged


def partner_offices(session: Session) -> list[PartnerOffice]:
    """The other offices, each with what a bundle for it would carry now."""
    own = profile_info(session).office_code
    seen = acks.seen_vector(session)
    result = []
    for code, name in session.execute(select(Office.code, Office.name).where(
            Office.code != own).order_by(Office.code)).all():
        acked = acks.office_acks(session, code)
        unsent = sum(max(0, top - acked.get(installation, 0))
                     for installation, top in seen.items())
        keys = session.execute(select(func.count()).select_from(TrustedKey).where(
            TrustedKey.office_code == code)).scalar()
        result.append(PartnerOffice(code, name, keys, unsent))
    return result


@dataclass(frozen=True)
class ChangeLogTotals:
    changes: int
    erasures: int


def change_log_totals(session: Session) -> ChangeLogTotals:
    return ChangeLogTotals(
        session.execute(select(func.count()).select_from(Change)).scalar(),
        session.execute(select(func.count()).select_from(Erasure)).scalar())


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


@dataclass(frozen=True)
class ImportOutcome:
    report: bundle_import.ImportReport
    changes: Changes


def import_and_scrub(session: Session, *, profile: Profile, data: bytes,
                     progress: Callable[[str, int, int], None] | None = None) -> ImportOutcome:
    """Back the database up, import a bundle, and when it erased someone clean the search
    index in the same step (the caller compacts the file afterwards). The window and
    ``euregionet bundle import`` both import through here."""
    # Before this transaction writes anything, so the backup is the database as it was.
    backups.create_backup(profile, reason="before-import")
    report = bundle_import.import_bundle(session, profile=profile, data=data,
                                         progress=progress)
    if report.erased:
        erasure.scrub(session, profile=profile)
    return ImportOutcome(report, Changes(frozenset(report.records) | (
        {"contact"} if report.erased else set())))


def erase_and_scrub(session: Session, *, profile: Profile, entity: str,
                    record_id: str) -> Changes:
    """Erase a person, clean the search index and remove their attachments' files in one
    step (the caller compacts the database file)."""
    changes = erasure.erase(session, entity=entity, record_id=record_id, profile=profile)
    erasure.scrub(session, profile=profile)
    return changes


@dataclass(frozen=True)
class SyncOverview:
    """Everything the Sync view shows, read in one snapshot."""

    info: ProfileInfo
    keys: PublicKeys
    totals: ChangeLogTotals
    offices: list[PartnerOffice]
    partners: list[TrustedPartner]
    history: list[BundleRecord]
    waits: list[waits.Wait] = field(default_factory=list)  # changes waiting too long


def sync_overview(session: Session, *, profile: Profile) -> SyncOverview:
    return SyncOverview(profile_info(session),
                        own_public_keys(session, profile=profile),
                        change_log_totals(session), partner_offices(session),
                        trusted_partners(session), bundle_history(session),
                        waits.long_waits(session))
