"""What each replica holds: this one's seen vector (the acknowledgements its bundles carry)
and what partner installations said they hold (what a bundle for an office must carry)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from euregionet_desktop.storage.models import (
    Installation,
    InstallationAck,
    LocalState,
    Office,
    SeenSeq,
    TrustedKey,
)

# --- what this replica holds -----------------------------------------------------------


def seen_vector(session: Session) -> dict[str, int]:
    """Per installation, the highest seq applied here (every earlier one is applied too)."""
    seen = dict(session.execute(select(SeenSeq.installation_id, SeenSeq.seq)).all())
    state = session.get(LocalState, 1)
    if state is not None:
        seen[state.installation_id] = max(seen.get(state.installation_id, 0), state.last_seq)
    return seen


# --- what the partners hold ------------------------------------------------------------


def record_acks(session: Session, *, peer: str, office_code: str,
                acks: Mapping[str, int]) -> None:
    """Remember what a partner installation said it holds (its bundle's ack vector)."""
    rows = [{"p": peer, "o": office_code, "i": i, "s": s} for i, s in acks.items()]
    if rows:
        session.execute(text(
            "INSERT INTO installation_ack (peer_installation_id, office_code, installation_id,"
            " seq) VALUES (:p, :o, :i, :s) ON CONFLICT(peer_installation_id, installation_id)"
            " DO UPDATE SET seq = max(seq, excluded.seq), office_code = excluded.office_code"),
            rows)


def office_acks(session: Session, office_code: str) -> dict[str, int]:
    """Per writer installation, the changes every known installation of an office holds.

    A bundle for an office may be imported by any of its installations, so it has to
    carry what the least up-to-date of them lacks; an installation known here (by its
    record, its trusted key or its bundles) that never said what it holds holds nothing.
    An installation whose record is deleted was retired (its profile restored from a
    backup continues as a new installation, ``services.rejoin``) and imports nothing more.
    """
    peers = office_peers(session, office_code)
    if not peers:
        return {}
    held: dict[str, dict[str, int]] = {peer: {} for peer in peers}
    for peer, installation, seq in session.execute(select(
            InstallationAck.peer_installation_id, InstallationAck.installation_id,
            InstallationAck.seq).where(InstallationAck.peer_installation_id.in_(peers))):
        held[peer][installation] = seq
    writers = set.intersection(*(set(acks) for acks in held.values()))
    return {w: min(acks[w] for acks in held.values()) for w in sorted(writers)}


def office_peers(session: Session, office_code: str) -> set[str]:
    """The installations of an office known here (by their record, their trusted key or
    their bundles), this one and retired ones aside."""
    own = session.get(LocalState, 1)
    peers = set(session.execute(
        select(Installation.id).join(Office, Office.id == Installation.office_id)
        .where(Office.code == office_code)).scalars())
    peers |= set(session.execute(select(TrustedKey.installation_id).where(
        TrustedKey.office_code == office_code)).scalars())
    peers |= set(session.execute(select(InstallationAck.peer_installation_id).where(
        InstallationAck.office_code == office_code)).scalars())
    peers.discard(own.installation_id if own is not None else None)
    peers -= set(session.execute(select(Installation.id).where(
        Installation.deleted.is_(True))).scalars())
    return peers
