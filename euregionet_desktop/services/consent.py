"""A contact person's consent (GDPR/RODO/DSGVO), its rules in one place: what a consent
allows, how it is changed (one undoable edit, logged and travelling like any other), its
history and its evidence.

Only a consent given allows anything, and only for the scopes it names; asked, refused,
withdrawn or never asked allow nothing. The free-text fields ``consent_source`` and
``consent_scope`` (notes kept from before the scopes existed) are never read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from euregionet_desktop.domain.consent import ENDED, allows, may_communicate, photo_consent
from euregionet_desktop.domain.enums import (
    AttachmentKind,
    ConsentScope,
    ConsentSource,
    ConsentStatus,
)
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import evidence, records
from euregionet_desktop.services.dto import Changes, RecordWrites, UndoStep
from euregionet_desktop.storage.fields import field_map, model_for

# The short names the command line and the editor use, and the fields they write.
FIELDS: dict[str, str] = {
    "status": "consent_status",
    "on": "consent_on",
    "source": "consent_via",
    "scope": "consent_purposes",
    "evidence": "consent_evidence_id",
}
CONSENT_FIELDS: tuple[str, ...] = tuple(FIELDS.values())
# The rules themselves are pure (domain.consent, which documents read too): here for the
# services, the CLI and the window.
__all__ = ["ENDED", "allows", "may_communicate", "photo_consent"]
# --- reading what was typed -------------------------------------------------------------------


def _choice(choices: Iterable[str], typed: str, label: str, field: str) -> str:
    """A choice typed as its value, with hyphens or in another case (``event-registration``)."""
    value = typed.strip().lower().replace("-", "_").replace(" ", "_")
    allowed = list(choices)
    if value in allowed:
        return value
    raise ValidationError(
        _("{label}: “{value}” is not one of the allowed values: {choices}.").format(
            label=label, value=typed.strip(),
            choices=", ".join(c.replace("_", "-") for c in allowed)),
        field=field, entity="contact")


def _scopes(typed: Any) -> list[str]:
    items = typed.split(",") if isinstance(typed, str) else list(typed or ())
    found = [_choice((s.value for s in ConsentScope), str(item), _("Consent scope"),
                     "consent_purposes") for item in items if str(item).strip()]
    return list(dict.fromkeys(found))


def field_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The consent fields for what was typed or chosen, by short name (``status``, ``on``,
    ``source``, ``scope``, ``evidence``) or by field name; choices checked here, dates and
    the evidence's id by the record's own cleaning. Empty text clears a field."""
    fields: dict[str, Any] = {}
    for name, value in values.items():
        field = FIELDS.get(name, name)
        if field not in CONSENT_FIELDS:
            raise ValidationError(
                _("“{name}” is not part of a consent. Give {known}.").format(
                    name=name, known=", ".join(f"{short}=" for short in FIELDS)),
                field=name, entity="contact")
        empty = value is None or (isinstance(value, str) and not value.strip())
        if field == "consent_status" and not empty:
            value = _choice((s.value for s in ConsentStatus), str(value), _("Consent"), field)
        elif field == "consent_via" and not empty:
            value = _choice((s.value for s in ConsentSource), str(value), _("Consent source"),
                            field)
        elif field == "consent_purposes":
            value = _scopes(value) or None
        fields[field] = None if empty and field != "consent_purposes" else value
    return fields


# --- changing it ------------------------------------------------------------------------------


def set_consent(session: Session, *, contact_id: str, values: Mapping[str, Any],
                profile: Profile | None = None, evidence_path: Path | None = None) -> Changes:
    """Record a contact's consent: the fields given (see ``field_values``) and, with
    ``evidence_path``, the file kept as its evidence (an attachment of kind consent).
    One transaction, undone in one step. A consent withdrawn or refused without a date
    is dated today (domain.consent.dated, applied by services.records to every edit)."""
    fields = field_values(values)
    records.load_row(session, "contact", contact_id)  # NotFoundError before a file is kept
    attached: Changes | None = None
    if evidence_path is not None:
        if profile is None:
            raise ValueError("keeping evidence needs the profile")
        attached = evidence.attach_file(session, profile=profile, entity="contact",
                                        record_id=contact_id, path=evidence_path,
                                        kind=AttachmentKind.CONSENT.value)
        fields["consent_evidence_id"] = attached.record_id
    if not fields:
        raise ValidationError(_("Say what to record: status=, on=, source=, scope= or "
                                "evidence=."), entity="contact")
    changed = records.update_record(session, entity="contact", record_id=contact_id,
                                    values=fields)
    if attached is None:
        return _labelled(changed)
    undo = changed.undo.writes if changed.undo else ()
    return _labelled(Changes(
        changed.entities | attached.entities, contact_id, (contact_id, *attached.record_ids),
        UndoStep("", (RecordWrites("attachment", attached.record_id or "", {"deleted": True},
                                   {"deleted": False}), *undo))))


def _labelled(changes: Changes) -> Changes:
    """The step as the Edit menu names it."""
    if changes.undo is None:
        return changes
    return Changes(changes.entities, changes.record_id, changes.record_ids,
                   UndoStep(_("Change consent"), changes.undo.writes))


def attach_evidence(session: Session, *, profile: Profile, contact_id: str,
                    path: Path) -> Changes:
    """Keep the file at ``path`` as the evidence of the contact's consent (a signed form,
    an e-mail) and point the consent at it; one undoable step."""
    return set_consent(session, contact_id=contact_id, values={}, profile=profile,
                       evidence_path=path)


# --- reading it -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentChange:
    """One change of a consent field, as the history lists it (values in their JSON form:
    a status or source by its value, a date as ISO text, the scopes as a list)."""

    at_ms: int  # wall-clock milliseconds of the change
    field: str
    old_value: Any
    new_value: Any
    office: str | None  # the code of the office whose installation made it
    author: str | None


@dataclass(frozen=True)
class ConsentState:
    """A contact's consent now, with the name of its evidence file, and its history."""

    contact_id: str
    label: str
    status: str | None
    on: dt.date | None
    source: str | None
    scopes: tuple[str, ...]
    evidence_id: str | None
    evidence_file: str | None
    history: tuple[ConsentChange, ...]
    # The file names of the evidence the history names (attachment id -> file name).
    evidence_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def may_communicate(self) -> bool:
        return may_communicate({"consent_status": self.status,
                                "consent_purposes": self.scopes})


def consent_history(session: Session, *, contact_id: str) -> list[ConsentChange]:
    """The changes of the contact's consent fields, oldest first, from every office."""
    return [ConsentChange(entry.at_ms, entry.field, entry.old_value, entry.new_value,
                          entry.office_code, entry.author)
            for entry in records.history(session, entity="contact", record_id=contact_id)
            if entry.field in CONSENT_FIELDS]


def consent_of(session: Session, *, contact_id: str) -> ConsentState:
    """The contact's consent and its history (``consent contact ID``, the editor)."""
    row = records.load_row(session, "contact", contact_id)
    history = consent_history(session, contact_id=contact_id)
    wanted = {row["consent_evidence_id"]} | {
        value for change in history if change.field == "consent_evidence_id"
        for value in (change.old_value, change.new_value)}
    table = model_for("attachment").__table__
    names = dict(session.execute(select(table.c.id, table.c.file_name).where(
        table.c.id.in_(sorted(w for w in wanted if w)))).all())
    return ConsentState(
        contact_id=contact_id,
        label=records.labels(session, entity="contact", record_ids=[contact_id])[contact_id],
        status=row["consent_status"], on=row["consent_on"], source=row["consent_via"],
        scopes=tuple(row["consent_purposes"] or ()), evidence_id=row["consent_evidence_id"],
        evidence_file=names.get(row["consent_evidence_id"] or ""),
        history=tuple(history), evidence_names=names)


def consenting(session: Session, ids: Sequence[str], *,
               scope: ConsentScope = ConsentScope.COMMUNICATION) -> tuple[list[str], int]:
    """Of the contacts ``ids`` (in their order), those whose consent allows ``scope``, and
    how many were left out; read in chunks, two columns."""
    table = model_for("contact").__table__
    allowed: set[str] = set()
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        allowed.update(row.id for row in session.execute(
            select(table.c.id, table.c.consent_status, table.c.consent_purposes)
            .where(table.c.id.in_(chunk),
                   table.c.consent_status == ConsentStatus.GIVEN.value))
            if allows(row._mapping, scope))
    kept = [record_id for record_id in ids if record_id in allowed]
    return kept, len(ids) - len(kept)


_CHOICES: dict[str, type] = {"consent_status": ConsentStatus, "consent_via": ConsentSource,
                             "consent_purposes": ConsentScope}


def value_text(field: str, value: Any, names: Mapping[str, str] | None = None) -> str:
    """A consent field's value as a person reads it (a status, source or scope by its
    translated label, a date in the interface's way); an evidence by its file name in
    ``names`` (``ConsentState.evidence_names``), else its id."""
    if value is None or value == []:
        return ""
    choice = _CHOICES.get(field)
    if choice is not None:
        labels = {c.value: _(c.label) for c in choice}
        items = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(labels.get(item, str(item)) for item in items)
    if field == "consent_on":
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        return format_date(day)
    return (names or {}).get(str(value), str(value))


def field_label(field: str) -> str:
    """The translated label of a consent field."""
    return _(field_map("contact")[field].label)
