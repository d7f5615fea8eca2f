"""Keys: this installation's public keys for the partners, and the partners' keys it
trusts (pinned after a person compared the fingerprint)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import profile_info
from euregionet_desktop.services.records import now_iso
from euregionet_desktop.storage.models import Office, TrustedKey
from euregionet_desktop.sync import keys


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
        trusted_at=now_iso()))
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
