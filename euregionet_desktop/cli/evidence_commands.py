"""``attach`` and ``attachments``: files kept with a record (the evidence behind an indicator:
a signed attendance list, a photo, a signed agreement or declaration)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop.i18n import _, format_number

KIND_NAMES = ("file", "signed-attendance", "photo", "signed-agreement", "declaration", "logo",
              "consent")


def cmd_attach(core, args) -> int:
    from euregionet_desktop.services import evidence, records
    from euregionet_desktop.services.entities import resolve_entity
    from euregionet_desktop.services.values import entity_label

    entity = resolve_entity(args.entity)
    kind = evidence.attachable_kind(args.kind)  # refused before anything is read
    changes = core.backend.run(evidence.attach_file, profile=core.profile, entity=entity,
                               record_id=args.id, path=args.file, kind=kind.value)
    label = core.backend.read(records.labels, entity=entity, record_ids=[args.id]).get(
        args.id, args.id)
    print(changes.record_id)
    print(_("“{file}” attached to {entity} “{record}” as {kind}.").format(
        file=args.file.name, entity=entity_label(entity), record=label, kind=_(kind.label)),
        file=sys.stderr)
    return 0


def cmd_attachments(core, args) -> int:
    from euregionet_desktop.services import evidence

    found = core.backend.read(evidence.record_attachments, entity=args.entity,
                              record_id=args.id)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps([{
            "id": a.id, "file_name": a.file_name, "kind": a.kind, "size": a.size,
            "created_at": a.created_at} for a in found], option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    for a in found:
        print(f"{a.id}  {a.created_at[:10]}  {a.kind_label:28} {format_number(a.size):>12}  "
              f"{a.file_name}")
    if not found:
        print(_("No files are attached to this record."), file=sys.stderr)
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "attach": cmd_attach,
    "attachments": cmd_attachments,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("attach", help=_(
        "keep a file with a record: attach ENTITY ID FILE (a scan of a signed attendance "
        "list, a photo, a signed agreement or declaration)"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("id")
    p.add_argument("file", type=Path, metavar=_("FILE"))
    p.add_argument("--kind", default="file", metavar=_("KIND"), help=_(
        "what the file is: {kinds} (default: file)").format(kinds=", ".join(KIND_NAMES)))

    p = sub.add_parser("attachments", help=_("list the files attached to a record"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
