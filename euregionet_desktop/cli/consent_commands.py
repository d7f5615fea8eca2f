"""``consent contact ID [FIELD=VALUE...]``: a contact person's consent (GDPR), shown with its
history or recorded (status=, on=, source=, scope=, evidence=FILE)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, format_datetime


def cmd_consent(core, args) -> int:
    from euregionet_desktop.cli.parsers import assignments
    from euregionet_desktop.services import consent
    from euregionet_desktop.services.entities import resolve_entity

    if resolve_entity(args.entity) != "contact":
        raise ValidationError(_("Only contact persons give consent: consent contact ID."))
    values: dict[str, Any] = assignments(args.values)
    evidence = values.pop("evidence", None)
    if values or evidence is not None:
        if evidence is not None and not evidence.strip():
            raise ValidationError(_("Give the file to keep as the evidence: evidence=FILE."))
        consent.field_values(values)  # refused before a file is read
        changes = core.backend.run(
            consent.set_consent, contact_id=args.id, values=values, profile=core.profile,
            evidence_path=Path(evidence) if evidence is not None else None)
        if not changes.entities:
            print(_("Nothing changed."))
    state = core.backend.read(consent.consent_of, contact_id=args.id)
    if args.json:
        _print_json(state)
    elif not (values or evidence is not None):
        _print_text(state)
    return 0


def _print_json(state) -> None:
    data = {
        "id": state.contact_id, "name": state.label, "status": state.status,
        "on": state.on.isoformat() if state.on else None, "source": state.source,
        "scope": list(state.scopes), "evidence_id": state.evidence_id,
        "evidence_file": state.evidence_file, "may_communicate": state.may_communicate,
        "history": [{
            "at": dt.datetime.fromtimestamp(c.at_ms / 1000, dt.UTC).isoformat(
                timespec="milliseconds"),
            "field": c.field, "old": c.old_value, "new": c.new_value, "office": c.office,
            "author": c.author} for c in state.history],
    }
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def _print_text(state) -> None:
    from euregionet_desktop.services.consent import field_label, value_text

    print(state.label)
    shown = [("consent_status", state.status or "unknown"), ("consent_on", state.on),
             ("consent_via", state.source), ("consent_purposes", list(state.scopes))]
    for field, value in shown:
        text = value_text(field, value)
        if text:
            print(f"  {field_label(field)}: {text}")
    if state.evidence_file:
        print(f"  {field_label('consent_evidence_id')}: {state.evidence_file}")
    print("  " + (_("May receive the programme's communication.") if state.may_communicate
                  else _("No consent to programme communication.")))
    print(_("History:"))
    for change in state.history:
        when = format_datetime(dt.datetime.fromtimestamp(change.at_ms / 1000))
        print("  " + _("{when} {office} {author}: {field} {old} → {new}").format(
            when=when, office=change.office or "?", author=change.author or "?",
            field=field_label(change.field),
            old=value_text(change.field, change.old_value, state.evidence_names) or "∅",
            new=value_text(change.field, change.new_value, state.evidence_names) or "∅"))
    if not state.history:
        print("  " + _("No changes recorded."))


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "consent": cmd_consent,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("consent", help=_(
        "show a contact person's consent and its history, or record it: consent contact ID "
        "status=given source=form scope=communication,photos on=DATE evidence=FILE"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("id")
    p.add_argument("values", nargs="*", metavar="FIELD=VALUE", help=_(
        "status= (unknown, asked, given, refused, withdrawn), on= (a date), source= (form, "
        "email, event-registration, signed-list), scope= (communication, newsletter, "
        "photos, directory, separated by commas), evidence= (a file kept as the evidence)"))
    p.add_argument("--json", action="store_true")
