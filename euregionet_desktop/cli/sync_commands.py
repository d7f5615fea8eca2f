"""``keys``, ``bundle``, ``conflicts``, ``resolve`` and ``erase``: exchanging with partners."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop import i18n
from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.files import atomic_write
from euregionet_desktop.i18n import _


def confirm(question: str, args: argparse.Namespace) -> bool:
    """Ask on a terminal; without one, only ``--yes`` says yes (DESIGN §7)."""
    if getattr(args, "yes", False):
        return True
    if not sys.stdin.isatty():
        raise ValidationError(_("{question} Run it again with --yes to confirm (there is no "
                                "terminal to ask on).").format(question=question))
    answer = input(question + " " + _("[y/N] ")).strip().lower()
    return answer in {"y", "yes", "t", "tak", "j", "ja"}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ValidationError(_("Cannot read {path}: {reason}").format(
            path=path, reason=error.strerror or error)) from None


def cmd_keys(core, args) -> int:
    from euregionet_desktop.services import partners

    if args.action == "show":
        own = core.backend.read(partners.own_public_keys, profile=core.profile)
        print(_("This installation: {office} {label} ({installation})").format(
            office=own.office_code, label=own.label or "", installation=own.installation_id))
        print(_("Fingerprint: {fingerprint}").format(fingerprint=own.fingerprint))
        print(_("Age recipient: {recipient}").format(recipient=own.age_recipient))
        for partner in core.backend.read(partners.trusted_partners):
            print(_("Trusted: {office} {label} ({installation}) {fingerprint}").format(
                office=partner.office_code, label=partner.label or "",
                installation=partner.installation_id, fingerprint=partner.fingerprint))
        return 0
    if args.action == "export":
        if args.output is None:
            raise ValidationError(_("Say where to write the key file with -o FILE."))
        own = core.backend.read(partners.own_public_keys, profile=core.profile)
        atomic_write(args.output, own.to_json())
        print(_("Public keys written to {path} (fingerprint {fingerprint}).").format(
            path=args.output, fingerprint=own.fingerprint))
        return 0
    partner = core.backend.read(partners.read_partner_keys, data=_read(args.file))
    question = _("Trust installation {installation} of office {office} ({label}) with "
                 "fingerprint {fingerprint}? Compare the fingerprint with the partner first.").format(
        installation=partner.installation_id, office=partner.office_code,
        label=partner.label or "", fingerprint=partner.fingerprint)
    if not confirm(question, args):
        print(_("Not trusted."))
        return 1
    core.backend.run(partners.trust, partner=partner)
    print(_("Trusted {office} ({fingerprint}).").format(office=partner.office_code,
                                                        fingerprint=partner.fingerprint))
    return 0


def _report_lines(report) -> list[str]:
    from euregionet_desktop.services import waits

    return [
        _("Bundle {bundle} from {office}{label}:").format(
            bundle=report.bundle_id, office=report.origin_office,
            label=f" ({report.origin_label})" if report.origin_label else ""),
        "  " + i18n.ngettext("{count} change applied", "{count} changes applied",
                             report.applied).format(count=report.applied),
        "  " + i18n.ngettext("{count} change already known", "{count} changes already known",
                             report.known).format(count=report.known),
        "  " + i18n.ngettext("{count} field in conflict", "{count} fields in conflict",
                             report.conflicts).format(count=report.conflicts),
        "  " + i18n.ngettext("{count} change waiting for an earlier one",
                             "{count} changes waiting for earlier ones",
                             report.waiting).format(count=report.waiting),
        "  " + i18n.ngettext("{count} change dropped after an erasure",
                             "{count} changes dropped after an erasure",
                             report.dropped).format(count=report.dropped),
        "  " + i18n.ngettext("{count} record erased", "{count} records erased",
                             report.erased).format(count=report.erased),
        *("  " + waits.wait_text(wait) for wait in report.long_waits),
        *(["  " + _documents_line(report.documents)] if report.documents else []),
    ]


def _documents_line(count: int) -> str:
    return i18n.ngettext(
        "{count} document or attachment naming an erased person deleted",
        "{count} documents and attachments naming an erased person deleted",
        count).format(count=count)


def _scrub_backups(core) -> None:
    """After an erasure: the backups lose the erased people too."""
    from euregionet_desktop.services import backups

    scrubbed = backups.scrub_backups(core.profile)
    if scrubbed.rewritten:
        print(i18n.ngettext("{count} backup rewritten without the erased persons.",
                            "{count} backups rewritten without the erased persons.",
                            len(scrubbed.rewritten)).format(count=len(scrubbed.rewritten)))
    for message in scrubbed.messages:
        print(message, file=sys.stderr)


def cmd_bundle(core, args) -> int:
    from euregionet_desktop.services import bundle_export, bundle_import

    if args.action == "export":
        if args.to is None or args.output is None:
            raise ValidationError(_("Use: bundle export --to OFFICE -o FILE [--encrypt]."))
        result = core.backend.run(bundle_export.export_bundle, profile=core.profile,
                                  to_office=args.to, path=args.output, encrypt=args.encrypt)
        print(_("Bundle for {office} written to {path}: {changes} changes, {erasures} "
                "erasures, {blobs} attachments{encrypted}.").format(
            office=result.to_office, path=result.path, changes=result.changes,
            erasures=result.erasures, blobs=result.blobs,
            encrypted=_(", encrypted") if result.encrypted else ""))
        return 0
    data = _read(args.file)
    if args.action == "inspect":
        summary = core.backend.read(bundle_import.inspect_bundle, profile=core.profile, data=data)
        if args.json:
            print(orjson.dumps(summary.__dict__, option=orjson.OPT_INDENT_2).decode())
            return 0
        print(_("Bundle {bundle} from {office}{label}, made {created}, for {recipients}.").format(
            bundle=summary.bundle_id, office=summary.origin_office,
            label=f" ({summary.origin_label})" if summary.origin_label else "",
            created=summary.created, recipients=", ".join(summary.recipients)))
        print(_("{changes} changes, {erasures} erasures, {blobs} attachments; {encrypted}; "
                "{signature}.").format(
            changes=summary.changes, erasures=summary.erasures, blobs=summary.blobs,
            encrypted=_("encrypted") if summary.encrypted else _("not encrypted"),
            signature=_("signed by a trusted key") if summary.signed_by_trusted_key else
            _("not signed by a trusted key (fingerprint {fingerprint})").format(
                fingerprint=summary.fingerprint)))
        return 0
    if args.dry_run:
        report = core.backend.preview(bundle_import.import_bundle, profile=core.profile, data=data,
                                      dry_run=True)
        print(_("Preview only, nothing was changed."))
    else:
        from euregionet_desktop.services import exchange

        # A backup first, then the import (and the scrub after an erasure).
        report = core.backend.run(exchange.import_and_scrub, profile=core.profile,
                                  data=data).report
        if report.erased:
            core.backend.compact()
    for line in _report_lines(report):
        print(line)
    if not args.dry_run:
        _scrub_backups(core)
    return 0


def cmd_conflicts(core, args) -> int:
    from euregionet_desktop.services import conflicts

    found = core.backend.read(conflicts.conflicts)
    if args.json:
        print(orjson.dumps([{
            "entity": c.entity, "id": c.record_id, "record": c.record_label, "field": c.field,
            "writes": [{"value": w.value, "author": w.author, "office": w.office_code,
                        "at_ms": w.at_ms, "winner": w.winner, "choice": w.choice,
                        "detail": w.detail} for w in c.writes],
        } for c in found], option=orjson.OPT_INDENT_2).decode())
        return 0
    for conflict in found:
        print(f"{conflict.entity} {conflict.record_id} {conflict.record_label}: "
              f"{conflict.field_label}")
        for write in conflict.writes:
            mark = "*" if write.winner else " "
            choice = f" ({write.choice})" if write.choice else ""
            detail = f"  {write.detail}" if write.detail else ""
            print(f"  {mark} {orjson.dumps(write.value).decode()}{choice}  "
                  f"{write.office_code or '?'} {write.author or '?'}{detail}")
    if not found:
        print(_("No conflicts."), file=sys.stderr)
    return 0


def cmd_resolve(core, args) -> int:
    from euregionet_desktop.services import conflicts
    from euregionet_desktop.services.entities import resolve_entity

    try:
        value: Any = orjson.loads(args.value)
    except orjson.JSONDecodeError:
        value = args.value  # plain text
    core.backend.run(conflicts.resolve, entity=resolve_entity(args.entity), record_id=args.id,
                     field_name=args.field, value=value)
    print(_("Resolved."))
    return 0


def cmd_erase(core, args) -> int:
    from euregionet_desktop.services import erasure, records
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)
    record = core.backend.read(records.get, entity=entity, record_id=args.id)
    question = _("Erase {name} ({id}) and everything recorded about this person, here and, "
                 "with the next bundles, at every office? This cannot be undone.").format(
        name=record.label, id=record.id)
    if not confirm(question, args):
        print(_("Nothing was erased."))
        return 1
    changes = core.backend.run(erasure.erase, entity=entity, record_id=args.id,
                               profile=core.profile)
    core.backend.run(erasure.scrub, profile=core.profile)
    finish_erasure(core, changes)
    return 0


def finish_erasure(core, changes) -> None:
    """After an erasure (and its scrub, committed): the database file rewritten so freed
    pages keep nothing, what went told, and the backups without the erased persons."""
    from euregionet_desktop.services import erasure

    core.backend.compact()
    print(i18n.ngettext("Erased {count} record.", "Erased {count} records.",
                        len(changes.record_ids)).format(count=len(changes.record_ids)))
    documents = core.backend.read(erasure.erased_attachments, record_ids=changes.record_ids)
    if documents:
        print(_documents_line(documents))
    _scrub_backups(core)


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "keys": cmd_keys,
    "bundle": cmd_bundle,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
    "erase": cmd_erase,
}


def add_parsers(sub: Any) -> None:
    actions = add_group(sub, "keys", help_text=_("this installation's keys and trusted partners"))
    add_action(actions, "show", help_text=_(
        "show this installation's fingerprint and the trusted partners"))
    p = add_action(actions, "export", help_text=_(
        "write this installation's public keys to a file for a partner"))
    p.add_argument("-o", "--output", type=Path, metavar=_("FILE"),
                   help=_("where to write the public keys"))
    p = add_action(actions, "trust", help_text=_(
        "trust a partner's public keys after comparing the fingerprint"))
    p.add_argument("file", type=Path, metavar=_("FILE"), help=_("the partner's key file (trust)"))
    p.add_argument("--yes", action="store_true", help=_("trust without asking"))

    actions = add_group(sub, "bundle", help_text=_("exchange data with a partner office"))
    p = add_action(actions, "export", help_text=_("write a bundle for a partner office"))
    p.add_argument("--to", help=_("the partner office the bundle is for"))
    p.add_argument("-o", "--output", type=Path, metavar=_("FILE"),
                   help=_("where to write the bundle"))
    p.add_argument("--encrypt", action="store_true",
                   help=_("encrypt for the partner office's trusted keys"))
    p = add_action(actions, "import", help_text=_("import a bundle from a partner office"))
    p.add_argument("file", type=Path, metavar=_("FILE"), help=_("the bundle to import or inspect"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("show what the import would do, change nothing"))
    p = add_action(actions, "inspect", help_text=_(
        "show who made a bundle and what it holds, change nothing"))
    p.add_argument("file", type=Path, metavar=_("FILE"), help=_("the bundle to import or inspect"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("conflicts", help=_("fields changed differently at two offices"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("resolve", help=_("settle a conflict: resolve ENTITY ID FIELD VALUE"))
    p.add_argument("entity")
    p.add_argument("id")
    p.add_argument("field")
    p.add_argument("value", help=_("the value to keep (JSON or plain text)"))

    p = sub.add_parser("erase", help=_("erase a person for good (GDPR)"))
    p.add_argument("entity", help=_("contact"))
    p.add_argument("id")
    p.add_argument("--yes", action="store_true", help=_("erase without asking"))

