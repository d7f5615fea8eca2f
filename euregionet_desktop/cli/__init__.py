"""The ``euregionet`` command: no subcommand opens the app; subcommands do headless work."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop import i18n, preferences
from euregionet_desktop.cli import (
    backup_commands,
    consent_commands,
    document_commands,
    duplicate_commands,
    evidence_commands,
    export_commands,
    hub_commands,
    import_commands,
    initiative_commands,
    merge_commands,
    note_commands,
    person_report_commands,
    programme_commands,
    publish_commands,
    report_commands,
    retention_commands,
    sync_commands,
    translation_commands,
)
from euregionet_desktop.cli.argparse_text import translate_argparse
from euregionet_desktop.cli.parsers import Parser, add_action, add_group
from euregionet_desktop.cli.parsers import assignments as _assignments
from euregionet_desktop.cli.progress import show_progress
from euregionet_desktop.errors import UserFacingError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile, default_data_dir
from euregionet_desktop.sync.file_type import FILE_SUFFIX

log = logging.getLogger(__name__)


def _print_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS,
                                         default=str) + b"\n")


# --- Commands ------------------------------------------------------------------------------
# Each takes the open Core and the parsed arguments, and returns the exit code.


def cmd_init(core, args) -> int:
    from euregionet_desktop.services.profile import initialise, profile_info

    core.backend.run(initialise, office=args.office, label=args.label,
                     advisor_name=args.advisor)
    info = core.backend.read(profile_info)
    print(_("Profile set up for {office} ({code}) in {path}.").format(
        office=info.office_name, code=info.office_code, path=core.profile.root))
    return 0


def cmd_office(core, args) -> int:
    from euregionet_desktop.services.installation_office import change_office, office_correction

    if args.action == "set":
        core.backend.run(change_office, office=args.code)
    state = core.backend.read(office_correction)
    print(_("This installation belongs to {office} ({code}).").format(
        office=state.office_name, code=state.office_code))
    return 0


def cmd_demo_data(core, args) -> int:
    from euregionet_desktop.services import demo

    changes = core.backend.run(demo.generate, contacts=args.contacts, progress=show_progress)
    print(_("Demo data added: {kinds}.").format(kinds=", ".join(sorted(changes.entities))))
    return 0


def cmd_fields(core, args) -> int:
    from euregionet_desktop.services.entities import resolve_entity
    from euregionet_desktop.services.records import field_specs

    specs = field_specs(resolve_entity(args.entity))
    if args.json:
        _print_json([{"name": s.name, "kind": s.kind, "label": s.label, "required": s.required,
                      "choices": [c for c, _label in s.choices], "ref": s.ref,
                      "vocabulary": [c for c, _label in s.vocabulary]} for s in specs])
        return 0
    for spec in specs:
        flags = _("required") if spec.required else _("optional")
        extra = ""
        if spec.choices:
            extra = " [" + ", ".join(value for value, _label in spec.choices) + "]"
        elif spec.vocabulary:  # known codes; other text is kept as typed
            extra = " [" + ", ".join(value for value, _label in spec.vocabulary) + ", …]"
        elif spec.ref:
            extra = " → " + spec.ref.replace("_", "-")
        print(f"{spec.name:28} {spec.kind:12} {flags:10} {spec.label}{extra}")
    return 0


def cmd_add(core, args) -> int:
    from euregionet_desktop.services import records
    from euregionet_desktop.services.entities import resolve_entity

    changes = core.backend.run(records.create, entity=resolve_entity(args.entity),
                               values=_assignments(args.values))
    print(changes.record_id)
    return 0


def cmd_edit(core, args) -> int:
    from euregionet_desktop.services import records
    from euregionet_desktop.services.entities import resolve_entity

    changes = core.backend.run(records.update_record, entity=resolve_entity(args.entity),
                               record_id=args.id, values=_assignments(args.values))
    if not changes.entities:
        print(_("Nothing changed."))
    return 0


def cmd_delete(core, args) -> int:
    from euregionet_desktop.services import records
    from euregionet_desktop.services.entities import resolve_entity

    changes = core.backend.run(records.delete, entity=resolve_entity(args.entity),
                               record_id=args.id)
    count = len(changes.record_ids)
    print(i18n.ngettext("Deleted {count} record.", "Deleted {count} records.", count).format(
        count=count))
    return 0


def cmd_list(core, args) -> int:
    from euregionet_desktop.services import records
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)
    page = core.backend.read(records.list_page, entity=entity, filter_text=args.filter or "",
                             order_by=args.sort, limit=None)
    if args.json:
        _print_json([records.as_json(row) for row in page.rows])
        return 0
    for row in page.rows:
        print(f"{row.id}  {row.label}")
    print(i18n.ngettext("{count} record", "{count} records", page.total).format(
        count=page.total), file=sys.stderr)
    return 0


def cmd_show(core, args) -> int:
    from euregionet_desktop.domain.bilingual import value_labels
    from euregionet_desktop.services import records
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)

    def load(session):
        return (records.get(session, entity=entity, record_id=args.id),
                records.history(session, entity=entity, record_id=args.id))

    record, history = core.backend.read(load)
    if args.json:
        _print_json({
            "record": records.as_json(record),
            "conflicts": list(record.conflicts),
            "needs_translation": list(record.needs_translation),
            "history": [{
                "field": h.field, "old": h.old_value, "new": h.new_value,
                "at": _iso_ms(h.at_ms), "office": h.office_code, "author": h.author,
                "installation": h.installation_id, "seq": h.seq,
            } for h in history],
        })
        return 0
    specs = {s.name: s for s in records.field_specs(entity)}
    print(record.label)
    for name, value in records.as_json(record).items():
        if value is not None and name in specs:
            # Sectors and regions stored as codes read as their labels.
            shown = value_labels(entity, name, value)
            if isinstance(shown, list):
                shown = ", ".join(shown)
            print(f"  {specs[name].label}: {shown}")
    if record.conflicts:
        print(_("Conflicts in: {fields}").format(fields=", ".join(record.conflicts)))
    if record.needs_translation:
        print(_("Needs translation: {fields}").format(fields=", ".join(
            specs[name].label for name in record.needs_translation)))
    print(_("History:"))
    for h in history:
        when = i18n.format_datetime(_datetime_ms(h.at_ms))
        print("  " + _("{when} {office} {author}: {field} {old} → {new}").format(
            when=when, office=h.office_code or "?", author=h.author or "?", field=h.field,
            old=_short(h.old_value), new=_short(h.new_value)))
    return 0


def _datetime_ms(ms: int):
    import datetime as dt

    return dt.datetime.fromtimestamp(ms / 1000)


def _iso_ms(ms: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat(timespec="milliseconds")


def _short(value: Any) -> str:
    if value is None:
        return "∅"
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= 60 else text[:57] + "…"


def cmd_search(core, args) -> int:
    from euregionet_desktop.services.entities import ENTITY_LABELS
    from euregionet_desktop.services.search import search

    hits = core.backend.read(search, text=" ".join(args.text), limit=args.limit)
    if args.json:
        _print_json([{"entity": h.entity, "id": h.id, "label": h.label, "detail": h.detail,
                      **({"note_id": h.note_id, "private": h.private} if h.note_id else {})}
                     for h in hits])
        return 0
    current = None
    for hit in hits:
        # A hit on a note names the record it is on, under a heading of its own.
        kind = (_("Private notes (this office only)") if hit.private else _("Shared notes")
                if hit.note_id else _(ENTITY_LABELS[hit.entity]))
        if kind != current:
            current = kind
            print(kind + ":")
        print(f"  {hit.id}  {hit.label}" + (f" ({hit.detail})" if hit.detail else ""))
    if not hits:
        print(_("Nothing found."), file=sys.stderr)
    return 0


def cmd_dump(core, args) -> int:
    from euregionet_desktop.services.dump import dump

    sys.stdout.buffer.write(core.backend.read(dump))
    return 0


def cmd_indicators(core, args) -> int:
    from euregionet_desktop.services.indicators import indicators

    values = core.backend.read(indicators, office=args.office,
                               period_start=_date_option(args.period_from, "--from"),
                               period_end=_date_option(args.period_to, "--to"))
    if args.json:
        _print_json([{"code": v.code, "name": v.name, "target": v.target, "value": v.value,
                      "period_start": v.period_start, "period_end": v.period_end,
                      "by_office": v.by_office, "with_evidence": v.with_evidence,
                      "items": [_counted_item(item) for item in v.items]} for v in values])
        return 0
    for v in values:
        print(f"{v.value:>5} / {v.target:<5} {v.name}  " + _("(with evidence: {count})").format(
            count=v.with_evidence))
        if args.missing:
            for item in v.items:
                if item.evidence_missing:
                    print("        " + _("evidence missing: {label} ({entity} {id})").format(
                        label=item.label, entity=item.entity.replace("_", "-"), id=item.id))
    return 0


def _counted_item(item) -> dict[str, Any]:
    return {"entity": item.entity, "id": item.id, "label": item.label, "office": item.office,
            "on": item.on, "evidence_missing": item.evidence_missing,
            "evidence": [{"attachment_id": e.attachment_id, "file_name": e.file_name,
                          "kind": e.kind} for e in item.evidence]}


def _date_option(value: str | None, option: str):
    from euregionet_desktop.domain.validation import parse_date

    return parse_date(value, field=option, label=option) if value else None


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "init": cmd_init,
    "office": cmd_office,
    "demo-data": cmd_demo_data,
    "fields": cmd_fields,
    "add": cmd_add,
    "edit": cmd_edit,
    "delete": cmd_delete,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "dump": cmd_dump,
    "indicators": cmd_indicators,
    **sync_commands.COMMANDS,
    "doc": document_commands.cmd_doc,
    "template": document_commands.cmd_template,
    **backup_commands.COMMANDS,
    **import_commands.COMMANDS,
    **export_commands.COMMANDS,
    **duplicate_commands.COMMANDS,
    **merge_commands.COMMANDS,
    **hub_commands.COMMANDS,
    **publish_commands.COMMANDS,
    **programme_commands.COMMANDS,
    **translation_commands.COMMANDS,
    **evidence_commands.COMMANDS,
    **report_commands.COMMANDS,
    **initiative_commands.COMMANDS,
    **person_report_commands.COMMANDS,
    **retention_commands.COMMANDS,
    **consent_commands.COMMANDS,
    **note_commands.COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="euregionet", description=_(
        "EuRegioNet Desktop: clusters, members, consultations, evaluations, action plans "
        "and events of the partner offices. Without a command the app opens."), epilog=_(
        "With a bundle file instead of a command (euregionet FILE{suffix}, as a double click "
        "on one does) the app opens on what importing it would do.").format(
            suffix=FILE_SUFFIX))
    parser.add_argument("--data-dir", type=Path, help=_("profile directory (default: {path})")
                        .format(path=default_data_dir()))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of the interface"))
    parser.add_argument("--demo", action="store_true",
                        help=_("open the app on a new demo profile in a temporary folder"))
    parser.add_argument("--version", action="store_true",
                        help=_("print the version and exit (opens nothing)"))
    parser.add_argument("--self-test", action="store_true", help=_(
        "check the installation on a temporary profile (database, window, documents, "
        "bundles), one line per step"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=Parser)

    p = sub.add_parser("init", help=_("set up this profile for a partner office"))
    p.add_argument("--office", required=True, help=_("office code: BIC, LOP, SNB or CIT"))
    p.add_argument("--label", help=_("a name for this laptop"))
    p.add_argument("--advisor", help=_("your name"))

    office = add_group(sub, "office", help_text=_(
        "the partner office of this installation (correctable until its first bundle)"))
    add_action(office, "show", help_text=_("show the office of this installation"))
    p = add_action(office, "set", help_text=_(
        "change the office of this installation (only before its first bundle is exported)"))
    p.add_argument("code", help=_("office code: BIC, LOP, SNB or CIT"))

    p = sub.add_parser("demo-data", help=_("fill the profile with invented demo records"))
    p.add_argument("--contacts", type=int, help=_("scale to this many contact persons"))

    p = sub.add_parser("fields", help=_("list the fields of a record type"))
    p.add_argument("entity")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("add", help=_("add a record: add ENTITY FIELD=VALUE..."))
    p.add_argument("entity")
    p.add_argument("values", nargs="*", metavar="FIELD=VALUE")

    p = sub.add_parser("edit", help=_("change fields: edit ENTITY ID FIELD=VALUE..."))
    p.add_argument("entity")
    p.add_argument("id")
    p.add_argument("values", nargs="+", metavar="FIELD=VALUE")

    p = sub.add_parser("delete", help=_("delete a record"))
    p.add_argument("entity")
    p.add_argument("id")

    p = sub.add_parser("list", help=_("list records of a type"))
    p.add_argument("entity")
    p.add_argument("--filter", help=_("only records matching this text"))
    p.add_argument("--sort", help=_("field to sort by"))
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help=_("show a record with its history"))
    p.add_argument("entity")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("search", help=_("search all records"))
    p.add_argument("text", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")

    sub.add_parser("dump", help=_("print all shared data as canonical JSON"))

    p = sub.add_parser("indicators", help=_("programme indicators against their targets"))
    p.add_argument("--office", help=_("only this office's share"))
    p.add_argument("--from", dest="period_from", metavar=_("DATE"),
                   help=_("count from this date instead of the programme start"))
    p.add_argument("--to", dest="period_to", metavar=_("DATE"),
                   help=_("count up to this date instead of the programme end"))
    p.add_argument("--missing", action="store_true",
                   help=_("under each indicator, the counted records without evidence"))
    p.add_argument("--json", action="store_true")

    sync_commands.add_parsers(sub)
    document_commands.add_parsers(sub)
    backup_commands.add_parsers(sub)
    import_commands.add_parsers(sub)
    export_commands.add_parsers(sub)
    duplicate_commands.add_parsers(sub)
    merge_commands.add_parsers(sub)
    hub_commands.add_parsers(sub)
    publish_commands.add_parsers(sub)
    programme_commands.add_parsers(sub)
    translation_commands.add_parsers(sub)
    evidence_commands.add_parsers(sub)
    report_commands.add_parsers(sub)
    initiative_commands.add_parsers(sub)
    person_report_commands.add_parsers(sub)
    retention_commands.add_parsers(sub)
    consent_commands.add_parsers(sub)
    note_commands.add_parsers(sub)
    return parser


def _language_from_argv(argv: Sequence[str]) -> str | None:
    # The language must be set before the parser is built, so its help is translated.
    for n, arg in enumerate(argv):
        if not arg.startswith("-") and (n == 0 or argv[n - 1] not in ("--data-dir", "--lang")):
            break  # the command: a --lang after it is the document's language (doc, template)
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _wants_version(argv: Sequence[str]) -> bool:
    """``--version`` among the options before the command (as ``--lang`` is found)."""
    for n, arg in enumerate(argv):
        if not arg.startswith("-") and (n == 0 or argv[n - 1] not in ("--data-dir", "--lang")):
            return False
        if arg == "--version":
            return True
    return False


def _takes_value(option: str) -> bool:
    """Whether this global option (or argparse's abbreviation of it) is followed by its
    value as the next argument."""
    return "=" not in option and (
        (len(option) >= 3 and "--lang".startswith(option))
        or (len(option) >= 4 and "--data-dir".startswith(option)))


def bundle_to_open(argv: Sequence[str]) -> tuple[list[str], Path | None]:
    """``euregionet [OPTIONS] FILE``: a bundle file as the only argument (as a file manager
    passes it on a double click) opens the app on its import preview. The arguments
    without it, and the file (None if there is none).

    Only an argument that is no command and names a file (one that exists, a path with a
    folder, or a name with the bundle suffix) is taken for one, so a mistyped command is
    still refused as one."""
    places = [n for n, arg in enumerate(argv)
              if not arg.startswith("-") and not (n and _takes_value(argv[n - 1]))]
    if len(places) != 1 or argv[places[0]] in COMMANDS or "--" in argv:
        return list(argv), None
    where = places[0]
    path = Path(argv[where])
    if not (path.exists() or path.suffix.lower() == FILE_SUFFIX or len(path.parts) > 1):
        return list(argv), None
    return [*argv[:where], *argv[where + 1:]], path


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_version(argv):
        # Before anything else: no catalog, no profile, no Qt (installers and support ask).
        from euregionet_desktop import installed_version

        print(f"euregionet {installed_version()}")
        return 0
    # A restart after a language change starts without the bundle: it was shown once.
    argv, bundle = bundle_to_open(argv)
    # --lang wins, then the language chosen in the window's settings, then the system's.
    i18n.set_language(_language_from_argv(argv) or preferences.saved_language())
    translate_argparse()
    args = build_parser().parse_args(argv)
    if args.self_test:
        from euregionet_desktop.self_test import run_self_test

        return run_self_test()
    data_dir = args.data_dir or default_data_dir()
    if args.command is None:
        from euregionet_desktop import app

        return app.run(data_dir=None if args.demo else data_dir, demo=args.demo, argv=argv,
                       bundle=bundle)
    from euregionet_desktop.services.profile import lock_profile, open_profile

    profile = Profile(data_dir)
    if (args.command == "template" and not profile.database.exists()
            and args.action in document_commands.PROFILE_FREE_TEMPLATE_ACTIONS):
        return _without_profile(document_commands.cmd_template, args)
    if (args.command != "init" and not profile.database.exists()
            and not (args.command in backup_commands.COMMANDS and profile.backups.is_dir())):
        sys.stderr.write(_("Error: there is no EuRegioNet profile in {path}. Set one up with "
                           "“euregionet --data-dir {path} init --office CODE”.").format(
            path=data_dir) + "\n")
        return 1
    try:
        if args.command in backup_commands.COMMANDS:
            # They must work on a damaged database: the profile is locked, not opened.
            lock = lock_profile(profile, purpose="euregionet " + args.command)
            try:
                backup_commands.warn_about_storage(profile)
                return COMMANDS[args.command](profile, args)
            finally:
                lock.release()
        with open_profile(profile, purpose="euregionet " + args.command) as core:
            for notice in core.notices:
                sys.stderr.write(notice + "\n")
            backup = backup_commands.before_command(profile, args)
            code = COMMANDS[args.command](core, args)
            if code == 0:  # a failed command's one line stays the only one
                backup_commands.tell_daily_backup(backup)
            return code
    except UserFacingError as error:
        sys.stderr.write(_("Error: {message}").format(message=error) + "\n")
        return 1
    except BrokenPipeError:
        return 0
    except Exception as error:
        # Damage found while a command runs (after the check at open): the same one line,
        # naming the backup to restore, instead of a traceback.
        from euregionet_desktop.services import backups, sqlite_errors

        if not sqlite_errors.is_damage(error):
            raise
        message = backups.damaged_database_error(profile)
        sys.stderr.write(_("Error: {message}").format(message=message) + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(_("Interrupted; nothing was changed by the unfinished command.") + "\n")
        return 130


def _without_profile(command: Callable[[Any, argparse.Namespace], int],
                     args: argparse.Namespace) -> int:
    """A command that works on files only (checking a template), run with no profile."""
    try:
        return command(None, args)
    except UserFacingError as error:
        sys.stderr.write(_("Error: {message}").format(message=error) + "\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
