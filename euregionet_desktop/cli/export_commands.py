"""``export TYPE -o FILE``: a list as CSV or XLSX, contacts as vCards, events and tasks as
an iCalendar file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext

FORMATS = ("csv", "xlsx", "vcf", "ics")
CALENDAR_TYPES = ("event", "task")


def _format(args: argparse.Namespace) -> str:
    """The format asked for, else the one the file's suffix names."""
    if args.format:
        return args.format
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(_("Say which format to write with --format (csv, xlsx, vcf or "
                                "ics), or give the file one of these endings."))
    return suffix


def _check(entity: str, file_format: str, args: argparse.Namespace) -> None:
    if file_format == "vcf" and entity != "contact":
        raise ValidationError(_("Only contact persons can be exported as vCards (vcf)."))
    if file_format == "ics" and entity not in CALENDAR_TYPES:
        raise ValidationError(_("Only events and tasks can be exported as a calendar (ics)."))
    if file_format == "ics" and (args.search or args.sort or args.descending):
        raise ValidationError(_("A calendar holds all events or tasks in date order: "
                                "--search and --sort apply to lists and address books."))
    if file_format in ("csv", "xlsx", "vcf") and (args.open or args.mine):
        raise ValidationError(_("--open and --mine choose the tasks of a calendar (ics)."))
    if args.mailing and entity != "contact":
        raise ValidationError(_("--mailing exports contact persons: export contact --mailing."))
    if file_format == "vcf" and (args.sort or args.descending):
        raise ValidationError(_("An address book is written in the contacts list's order; "
                                "leave out --sort."))


def cmd_export(core, args) -> int:
    from euregionet_desktop.services import table_export
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)
    file_format = _format(args)
    _check(entity, file_format, args)
    output: Path = args.output
    if file_format == "vcf":
        result = core.backend.read(table_export.export_vcards, path=output,
                                   filter_text=args.search or "", mailing=args.mailing)
        message = ngettext("{count} contact exported to {path}.",
                           "{count} contacts exported to {path}.", result.count)
    elif file_format == "ics":
        result = core.backend.read(
            table_export.export_calendar, path=output, events=entity == "event",
            tasks=entity == "task", only_open_tasks=args.open, mine=args.mine)
        message = ngettext("{count} calendar entry exported to {path}.",
                           "{count} calendar entries exported to {path}.", result.count)
    else:
        result = core.backend.read(
            table_export.export_list, entity=entity, path=output, format=file_format,
            filter_text=args.search or "", order_by=args.sort, descending=args.descending,
            mailing=args.mailing)
        message = ngettext("{count} record exported to {path}.",
                           "{count} records exported to {path}.", result.count)
        if entity == "contact":
            message = ngettext("{count} contact exported to {path}.",
                               "{count} contacts exported to {path}.", result.count)
    print(message.format(count=result.count, path=result.path))
    if args.mailing:
        print(left_out_text(result.left_out), file=sys.stderr)
    return 0


def left_out_text(count: int) -> str:
    """How many contact persons a mailing export left out, and why."""
    return ngettext("{count} contact person left out: no consent to programme communication.",
                    "{count} contact persons left out: no consent to programme communication.",
                    count).format(count=count)


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "export": cmd_export,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("export", help=_(
        "write a list to a spreadsheet (csv, xlsx), contacts to an address book (vcf), "
        "events or tasks to a calendar (ics)"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("--format", choices=FORMATS,
                   help=_("the file's format (default: from the file's ending)"))
    p.add_argument("--search", metavar=_("TEXT"),
                   help=_("only the records the list's filter finds for this text"))
    p.add_argument("--sort", metavar=_("FIELD"), help=_("field to sort by"))
    p.add_argument("--descending", action="store_true", help=_("sort in reverse order"))
    p.add_argument("--open", action="store_true", help=_("calendar: only tasks not done"))
    p.add_argument("--mailing", action="store_true", help=_(
        "for a mailing: only the contact persons who consented to the programme's "
        "communication (those left out are counted)"))
    p.add_argument("--mine", action="store_true",
                   help=_("calendar: only the tasks of this installation's advisor"))
    p.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"),
                   help=_("where to write the file"))
