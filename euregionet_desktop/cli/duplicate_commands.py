"""``duplicates organisation|contact|cluster [--json]`` and ``not-duplicate TYPE ID ID``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop.i18n import _, ngettext


def _entity(name: str) -> str:
    from euregionet_desktop.services.duplicates import check_entity
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(name)
    check_entity(entity)
    return entity


def cmd_duplicates(core, args) -> int:
    from euregionet_desktop.services.duplicates import candidates

    pairs = core.backend.read(candidates, entity=_entity(args.entity))
    if args.json:
        sys.stdout.buffer.write(orjson.dumps([
            {"entity": p.entity, "ids": list(p.ids), "labels": list(p.labels),
             "score": p.score, "reasons": list(p.reasons), "reason_codes": list(p.reason_codes),
             "group": list(p.group)} for p in pairs],
            option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        return 0
    for pair in pairs:
        print(f"{pair.score:3d}  {pair.ids[0]}  {pair.ids[1]}  {pair.labels[0]} | "
              f"{pair.labels[1]}  ({', '.join(pair.reasons)})")
    print(ngettext("{count} possible duplicate", "{count} possible duplicates",
                   len(pairs)).format(count=len(pairs)), file=sys.stderr)
    return 0


def cmd_not_duplicate(core, args) -> int:
    from euregionet_desktop.services.duplicates import not_duplicate

    core.backend.run(not_duplicate, entity=_entity(args.entity), first_id=args.first_id,
                     second_id=args.second_id)
    print(_("Marked as not duplicates: {first} and {second}.").format(
        first=args.first_id, second=args.second_id))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "duplicates": cmd_duplicates,
    "not-duplicate": cmd_not_duplicate,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("duplicates", help=_(
        "list possible duplicates of organisations, contact persons or clusters, best first"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("not-duplicate", help=_(
        "mark two records as different, so they are not offered as duplicates again"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("first_id", metavar=_("ID"))
    p.add_argument("second_id", metavar=_("ID"))
