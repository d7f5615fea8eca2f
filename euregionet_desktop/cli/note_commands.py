"""``note add`` and ``note list``: notes on records, shared with every office or kept at
this office only (``--private``: never in a bundle)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.i18n import _


def cmd_note(core, args) -> int:
    from euregionet_desktop.services import notes
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)
    if args.action == "add":
        changes = core.backend.run(notes.add_note, entity=entity, record_id=args.id,
                                   body=" ".join(args.text), private=args.private)
        print(changes.record_id)
        print(_("Private note kept at this office (never sent to partners).") if args.private
              else _("Note added; it goes to the partner offices with the next exchange."),
              file=sys.stderr)
        return 0
    found = core.backend.read(notes.notes_on, entity=entity, record_id=args.id)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps([{
            "id": n.id, "private": n.private, "created_at": n.created_at, "author": n.author,
            "body": n.body} for n in found], option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    for note in found:
        kind = _("private") if note.private else _("shared")
        print(f"{note.id}  {note.created_at[:16].replace('T', ' ')}  {kind:8}  "
              f"{note.author or ''}")
        for line in note.body.splitlines() or [""]:
            print(f"    {line}")
    if not found:
        print(_("There are no notes on this record."), file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "note": cmd_note,
}


def add_parsers(sub: Any) -> None:
    actions = add_group(sub, "note", help_text=_(
        "notes on a record, shared with the partner offices or kept at this office: add, "
        "list"))
    p = add_action(actions, "add", help_text=_(
        "write a note on a record: note add TYPE ID [--private] TEXT"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("id")
    p.add_argument("--private", action="store_true", help=_(
        "keep the note at this office: it is never sent to partners"))
    p.add_argument("text", nargs="+", metavar=_("TEXT"))
    p = add_action(actions, "list", help_text=_("the notes on a record, oldest first"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
