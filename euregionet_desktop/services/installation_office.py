"""Correcting the partner office of this installation, allowed only while no partner knows
it: before its first bundle leaves, no partner has pinned it to an office (sync.rules
refuses a bundle that moves a known installation to another office)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ProfileError
from euregionet_desktop.i18n import _
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import office_id_for, profile_info
from euregionet_desktop.services.records import write_fields
from euregionet_desktop.storage.models import (
    MODEL_BY_ENTITY,
    BundleLog,
    Change,
    InstallationAck,
    Office,
)
from euregionet_desktop.sync.changelog import ChangeWriter


@dataclass(frozen=True)
class OfficeCorrection:
    """The office of this installation and whether it can still be corrected."""

    office_code: str
    office_name: str
    refusal: str | None  # why it can no longer change; None while it can


def _known_to_partners(session: Session, installation_id: str) -> bool:
    """A bundle left this installation, or a partner said it holds some of its changes."""
    if session.execute(select(BundleLog.bundle_id).where(
            BundleLog.direction == "out").limit(1)).first() is not None:
        return True
    return session.execute(select(InstallationAck.seq).where(
        InstallationAck.installation_id == installation_id,
        InstallationAck.seq > 0).limit(1)).first() is not None


def _refusal() -> str:
    return _("The office of this installation can no longer be changed: it has already "
             "exported a bundle, and the partners trust its keys for that office. Set up a "
             "new profile for the correct office instead.")


def office_correction(session: Session) -> OfficeCorrection:
    info = profile_info(session)
    known = _known_to_partners(session, info.installation_id)
    return OfficeCorrection(info.office_code, info.office_name, _refusal() if known else None)


def change_office(session: Session, *, office: str) -> Changes:
    """Move this installation, its advisors and the work it recorded for its office to
    ``office``; refused once a bundle has left it. Not undoable: a correction, made once."""
    info = profile_info(session)
    new_id = office_id_for(session, office)
    if _known_to_partners(session, info.installation_id):
        raise ProfileError(_refusal())
    old_id = session.execute(select(Office.id).where(Office.code == info.office_code)).scalar()
    if new_id == old_id:
        return Changes()
    writer = ChangeWriter.for_session(session)
    moved = _recorded_here(session, writer.installation_id, old_id)
    for entity, record_id in moved:
        write_fields(session, writer, entity, record_id, {"office_id": new_id})
    return Changes(frozenset(entity for entity, _id in moved),
                   info.installation_id, tuple(record_id for _e, record_id in moved))


def _recorded_here(session: Session, installation_id: str,
                   old_id: str) -> list[tuple[str, str]]:
    """The records whose office this installation wrote as ``old_id`` (its own record
    first): a partner's record of that office keeps it."""
    table = Change.__table__
    entities = session.execute(select(table.c.entity).distinct().where(
        table.c.installation_id == installation_id, table.c.field == "office_id")).scalars()
    moved = []
    for entity in sorted(entities):
        records = MODEL_BY_ENTITY[entity].__table__
        written_here = select(table.c.record_id).where(
            table.c.installation_id == installation_id, table.c.entity == entity,
            table.c.field == "office_id", table.c.current.is_(True))
        moved += [(entity, record_id) for record_id in session.execute(
            select(records.c.id).where(records.c.office_id == old_id,
                                       records.c.id.in_(written_here))).scalars()]
    moved.sort(key=lambda item: item[1] != installation_id)
    return moved
