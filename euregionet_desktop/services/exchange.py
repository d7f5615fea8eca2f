"""What the Sync view shows before a person acts: partners, what a bundle would carry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, sync
from euregionet_desktop.services.dto import Changes, ProfileInfo
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.storage.models import Change, Erasure, Office, TrustedKey
from euregionet_desktop.sync import merge
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
    seen = merge.seen_vector(session)
    result = []
    for code, name in session.execute(select(Office.code, Office.name).where(
            Office.code != own).order_by(Office.code)).all():
        acked = merge.office_acks(session, code)
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
class ImportOutcome:
    report: sync.ImportReport
    changes: Changes


def import_and_scrub(session: Session, *, profile: Profile, data: bytes,
                     progress: Callable[[str, int, int], None] | None = None) -> ImportOutcome:
    """Back the database up, import a bundle, and when it erased someone clean the search
    index in the same step (the caller compacts the file afterwards). The window and
    ``euregionet bundle import`` both import through here."""
    # Before this transaction writes anything, so the backup is the database as it was.
    backups.create_backup(profile, reason="before-import")
    report = sync.import_bundle(session, profile=profile, data=data, progress=progress)
    if report.erased:
        sync.scrub(session, profile=profile)
    return ImportOutcome(report, Changes(frozenset(report.records) | (
        {"contact"} if report.erased else set())))


def erase_and_scrub(session: Session, *, profile: Profile, entity: str,
                    record_id: str) -> Changes:
    """Erase a person, clean the search index and remove their attachments' files in one
    step (the caller compacts the database file)."""
    changes = sync.erase(session, entity=entity, record_id=record_id, profile=profile)
    sync.scrub(session, profile=profile)
    return changes


@dataclass(frozen=True)
class SyncOverview:
    """Everything the Sync view shows, read in one snapshot."""

    info: ProfileInfo
    keys: PublicKeys
    totals: ChangeLogTotals
    offices: list[PartnerOffice]
    partners: list[sync.TrustedPartner]
    history: list[sync.BundleRecord]


def sync_overview(session: Session, *, profile: Profile) -> SyncOverview:
    return SyncOverview(profile_info(session), sync.own_public_keys(session, profile=profile),
                        change_log_totals(session), partner_offices(session),
                        sync.trusted_partners(session), sync.bundle_history(session))
