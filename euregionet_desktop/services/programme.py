"""The programme's identity (name, project, co-financing statement, slogan, logos): read
and changed by a person; every document prints it (documents.context)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.documents.logos import LOGO_FORMATS, is_printable_image
from euregionet_desktop.domain import programme
from euregionet_desktop.domain.enums import AttachmentKind, ProgrammePeriod
from euregionet_desktop.errors import FileAccessError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import evidence
from euregionet_desktop.services.dto import Changes, ProgrammeLogo, ProgrammeSettings
from euregionet_desktop.services.records import load_row, row_values, update_record
from euregionet_desktop.storage.models import Attachment

ENTITY = "programme"
# What ``programme set KEY=VALUE`` and the settings page change (the logos have their own
# option and buttons: they are files, not text).
KEYS: tuple[str, ...] = (
    "period", "programme_name_pl", "programme_name_de", "project_name_pl", "project_name_de",
    "project_number", "cofinancing_pl", "cofinancing_de", "slogan_pl", "slogan_de",
    "period_start", "period_end", "retention_contact_years")
# The two logos: the name on the command line -> the field holding its attachment.
LOGOS: dict[str, str] = {"eu-emblem": "eu_emblem_id", "programme-logo": "programme_logo_id"}


def programme_settings(session: Session) -> ProgrammeSettings:
    values = row_values(ENTITY, load_row(session, ENTITY, programme.PROGRAMME_ID))
    logos = {name: _logo(session, values[name]) for name in LOGOS.values()}
    return ProgrammeSettings({name: values[name] for name in KEYS},
                             eu_emblem=logos["eu_emblem_id"],
                             programme_logo=logos["programme_logo_id"])


def _logo(session: Session, attachment_id: str | None) -> ProgrammeLogo | None:
    if not attachment_id:
        return None
    row = session.execute(select(Attachment.file_name, Attachment.sha256).where(
        Attachment.id == attachment_id, Attachment.deleted.is_(False))).first()
    return ProgrammeLogo(attachment_id, row.file_name, row.sha256) if row else None


def logo_bytes(session: Session, *, profile: Profile, sha256: str) -> bytes | None:
    """The logo's image, or None while its file has not arrived (it travels in a bundle)."""
    try:
        return (profile.attachments / sha256).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileAccessError(_("The logo's file cannot be read: {reason}").format(
            reason=error.strerror or error)) from None


def period_wording(period: str) -> dict[str, str | None]:
    """The names, statement and slogan the rules of ``period`` prescribe."""
    return programme.PERIOD_WORDINGS[check_period(period)].values()


def check_period(period: str) -> str:
    value = period.strip().replace("–", "-")
    if value not in programme.PERIOD_WORDINGS:
        raise ValidationError(_("Unknown programming period “{period}”. Known periods: "
                                "{known}.").format(period=period, known=", ".join(
                                    p.value for p in ProgrammePeriod)), field="period",
                              entity=ENTITY)
    return value


def update_programme(session: Session, *, profile: Profile, values: Mapping[str, Any],
                     logos: Mapping[str, Path | None] | None = None,
                     defaults: bool = False) -> Changes:
    """Change the programme's settings in one step: ``values`` by field name (as typed),
    ``logos`` by ``LOGOS`` name (a file to use, or None to remove the logo); ``defaults``
    fills the names, statement and slogan of the period chosen, except those given in
    ``values`` (what a person typed is never overwritten unless asked)."""
    unknown = [key for key in values if key not in KEYS]
    if unknown:
        raise ValidationError(_("Unknown programme setting “{key}”. Known settings: "
                                "{known}.").format(key=unknown[0], known=", ".join(KEYS)),
                              field=unknown[0], entity=ENTITY)
    wanted = dict(values)
    if wanted.get("period"):
        wanted["period"] = check_period(str(wanted["period"]))
    if defaults:
        period = wanted.get("period") or programme_settings(session).values["period"] \
            or programme.DEFAULT_PERIOD
        wanted = {**period_wording(period), "period": period, **wanted}
    files = {}
    for name, path in (logos or {}).items():
        if name not in LOGOS:
            raise ValidationError(_("Unknown logo “{name}”. Known logos: {known}.").format(
                name=name, known=", ".join(LOGOS)), field="logo", entity=ENTITY)
        if path is not None:
            _check_logo(path)
        files[name] = path
    attached = frozenset()
    for name, path in files.items():
        if path is None:
            wanted[LOGOS[name]] = None
            continue
        added = evidence.attach_file(session, profile=profile, entity=ENTITY,
                                     record_id=programme.PROGRAMME_ID, path=path,
                                     kind=AttachmentKind.LOGO.value)
        wanted[LOGOS[name]] = added.record_id
        attached = frozenset({"attachment"})
    changes = update_record(session, entity=ENTITY, record_id=programme.PROGRAMME_ID,
                            values=wanted)
    return Changes(changes.entities | attached | {ENTITY}, changes.record_id,
                   changes.record_ids, changes.undo)


def _check_logo(path: Path) -> None:
    """A logo must be an image a document can hold; anything else is refused here, not
    when the next document is made."""
    data = evidence.read_attachment(path)
    if not is_printable_image(data):
        raise FileAccessError(_("{path} is not an image a document can show. Choose a "
                                "{formats} file.").format(path=path,
                                                          formats=", ".join(LOGO_FORMATS)))
