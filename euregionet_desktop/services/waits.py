"""Changes that wait for earlier ones, and those that have waited too long to be normal.

A change waits while an earlier change of its installation is missing (a gap) or while the
record it changes has not been received here (``sync.merge``). Lost or late bundles close
such waits within an exchange or two; a wait that survives several imports without the
missing change arriving needs a person, so the import report and the Sync view name the
installation it waits for and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from euregionet_desktop.i18n import ngettext
from euregionet_desktop.storage.models import (
    BundleLog,
    Installation,
    Office,
    PendingChange,
    TrustedKey,
)
from euregionet_desktop.sync.acks import seen_vector

# Imports in a row that did not bring what a change waits for, after which it is shown:
# two full exchange rounds of the four offices (three bundles a round for each laptop).
# Any network is quiet within two rounds, so a wait that outlives them will not end alone.
LONG_WAIT_IMPORTS = 6


@dataclass(frozen=True)
class Wait:
    """Changes of one installation that have waited through ``imports`` imports."""

    installation_id: str
    office_code: str | None
    label: str | None
    changes: int  # how many of its changes wait here
    missing_seq: int | None  # the change they wait for; None: a record not received here
    imports: int


def waiting_for(session: Session) -> dict[str, int]:
    """Per installation with waiting changes, the number of the change it needs next (the
    first after the ones applied here); kept with each import in the bundle log."""
    seen = seen_vector(session)
    return {installation: seen.get(installation, 0) + 1 for installation in session.execute(
        select(PendingChange.installation_id).distinct()).scalars()}


def long_waits(session: Session, *, after: int = LONG_WAIT_IMPORTS) -> list[Wait]:
    """Installations whose changes have waited for the same change through at least
    ``after`` imports in a row (the newest included)."""
    needed = waiting_for(session)
    if not needed:
        return []
    reports = [orjson.loads(report) for report in session.execute(
        select(BundleLog.report).where(BundleLog.direction == "in")
        .order_by(text("bundle_log.rowid DESC")).limit(after)).scalars()]
    pending = dict(session.execute(select(PendingChange.installation_id, func.min(
        PendingChange.seq)).group_by(PendingChange.installation_id)).all())
    counts = dict(session.execute(select(PendingChange.installation_id, func.count())
                                  .group_by(PendingChange.installation_id)).all())
    result = []
    for installation, seq in sorted(needed.items()):
        imports = 0
        for report in reports:
            if report.get("waiting_for", {}).get(installation) != seq:
                break
            imports += 1
        if imports < after:
            continue
        office, label = _who(session, installation)
        result.append(Wait(installation, office, label, counts[installation],
                           None if pending[installation] == seq else seq, imports))
    return result


def _who(session: Session, installation: str) -> tuple[str | None, str | None]:
    row = session.execute(select(Office.code, Installation.label).join(
        Office, Office.id == Installation.office_id).where(
        Installation.id == installation)).first()
    if row is not None:
        return row[0], row[1]
    key = session.get(TrustedKey, installation)
    return (key.office_code, key.label) if key is not None else (None, None)


def wait_text(wait: Wait) -> str:
    """What waits, for what, and what to do — for the import report and the Sync view."""
    office = wait.office_code or "?"
    who = f"{wait.label} ({wait.installation_id})" if wait.label else wait.installation_id
    if wait.missing_seq is None:
        return ngettext(
            "{count} change from installation {installation} of office {office} has waited "
            "through {imports} imports for a record not received here yet. Send a bundle "
            "to {office} (so that it learns what this installation holds) and import the "
            "one it sends back.",
            "{count} changes from installation {installation} of office {office} have "
            "waited through {imports} imports for a record not received here yet. Send a "
            "bundle to {office} (so that it learns what this installation holds) and import "
            "the one it sends back.", wait.changes).format(
            count=wait.changes, installation=who, office=office, imports=wait.imports)
    return ngettext(
        "{count} change from installation {installation} of office {office} has waited "
        "through {imports} imports for its change number {seq}. Send a bundle to {office} "
        "and import the one it sends back; if the change still does not come, ask {office} "
        "whether that installation lost data or was restored from a backup by an older "
        "version of EuRegioNet.",
        "{count} changes from installation {installation} of office {office} have waited "
        "through {imports} imports for its change number {seq}. Send a bundle to {office} "
        "and import the one it sends back; if the change still does not come, ask {office} "
        "whether that installation lost data or was restored from a backup by an older "
        "version of EuRegioNet.", wait.changes).format(
        count=wait.changes, installation=who, office=office, imports=wait.imports,
        seq=wait.missing_seq)
