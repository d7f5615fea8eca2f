"""``translations [--office CODE] [--json]`` and ``translations done ENTITY ID FIELD``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext


def _side_text(need: Any) -> str:
    if need.missing:
        return _("missing")
    return _("outdated")


def cmd_translations(core, args) -> int:
    if args.words:
        return _mark_done(core, args.words)
    from euregionet_desktop.services.entities import cli_name
    from euregionet_desktop.services.translation import needs_translation

    needs = core.backend.read(needs_translation, office=args.office)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps([
            {"entity": cli_name(n.entity), "id": n.record_id, "label": n.record_label,
             "field": n.field, "other_field": n.other_field, "language": n.side,
             "missing": n.missing, "other_changed_ms": n.other_changed_ms}
            for n in needs], option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        return 0
    for need in needs:
        print(_("{entity} {id}  {label}: {field} ({state}, from {other})").format(
            entity=cli_name(need.entity), id=need.record_id, label=need.record_label,
            field=need.field_label, state=_side_text(need), other=need.other_label))
    print(ngettext("{count} text needs translating", "{count} texts need translating",
                   len(needs)).format(count=len(needs)), file=sys.stderr)
    return 0


def _mark_done(core, words: list[str]) -> int:
    from euregionet_desktop.services.translation import mark_translated

    if words[0] != "done" or len(words) != 4:
        raise ValidationError(_(
            "Use “translations” to list what needs translating, or “translations done "
            "ENTITY ID FIELD” to mark a side as translated."))
    entity, record_id, field = words[1:]
    core.backend.run(mark_translated, entity=entity, record_id=record_id, field=field)
    print(_("Marked as translated: {field} of {id}.").format(field=field, id=record_id))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "translations": cmd_translations,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("translations", help=_(
        "list the texts whose other language needs translating; “translations done ENTITY "
        "ID FIELD” says the translation still fits"))
    p.add_argument("words", nargs="*", metavar=_("done ENTITY ID FIELD"))
    p.add_argument("--office", help=_("only this office's records"))
    p.add_argument("--json", action="store_true")
