"""``merge TYPE SURVIVOR_ID OTHER_ID... [--take FIELD=RECORD_ID ...] [--yes]``: duplicates
merged into the record kept, after showing what will happen (DESIGN §10)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from euregionet_desktop.cli.sync_commands import confirm
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext


def _takes(items: list[str]) -> dict[str, str]:
    """``FIELD=RECORD_ID`` pairs: which record a field's value is taken from."""
    takes: dict[str, str] = {}
    for item in items:
        name, sep, record_id = item.partition("=")
        if not sep or not name.strip() or not record_id.strip():
            raise ValidationError(_("--take needs FIELD=RECORD_ID, e.g. --take city=ID; got "
                                    "“{text}”.").format(text=item))
        if name.strip() in takes:
            raise ValidationError(_("--take names the field “{field}” twice.").format(
                field=name.strip()))
        takes[name.strip()] = record_id.strip()
    return takes


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _describe(preview) -> None:
    """What the merge will do: the record kept, those merged into it, each field's value."""
    kept, *others = preview.records
    print(_("Keep: {name} ({id})").format(name=kept.label, id=kept.id))
    for record, count in zip(others, preview.references[1:], strict=True):
        print(ngettext("Merge into it: {name} ({id}), {count} reference re-pointed",
                       "Merge into it: {name} ({id}), {count} references re-pointed",
                       count).format(name=record.label, id=record.id, count=count))
    labels = {record.id: record.label for record in preview.records}
    for field in preview.fields:
        if all(v in (None, "", []) for v in field.values):
            continue
        if field.united:
            united = list(dict.fromkeys(v for value in field.values for v in (value or [])))
            print("  " + _("{field}: {value} (all united)").format(field=field.label,
                                                                    value=_shown(united)))
        else:
            chosen = field.values[[r.id for r in preview.records].index(field.default_from)]
            print("  " + _("{field}: {value} (from {name})").format(
                field=field.label, value=_shown(chosen), name=labels[field.default_from]))


def cmd_merge(core, args) -> int:
    from euregionet_desktop.services import merging
    from euregionet_desktop.services.entities import resolve_entity

    entity = resolve_entity(args.entity)
    takes = _takes(args.take or [])
    ids = [args.survivor, *args.others]
    preview = core.backend.read(merging.merge_preview, entity=entity, ids=ids, take=takes)
    _describe(preview)
    count = len(args.others)
    if not confirm(ngettext("Merge {count} record into the one kept? Every reference will "
                            "point at the record kept.",
                            "Merge {count} records into the one kept? Every reference will "
                            "point at the record kept.", count).format(count=count), args):
        print(_("Nothing was merged."))
        return 1
    core.backend.run(merging.merge, entity=entity, survivor_id=args.survivor,
                     other_ids=args.others, take=takes)
    print(ngettext("Merged {count} record into {name} ({id}).",
                   "Merged {count} records into {name} ({id}).", count).format(
        count=count, name=preview.records[0].label, id=args.survivor))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "merge": cmd_merge,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("merge", help=_(
        "merge duplicates (organisations, contact persons or clusters) into the record kept"))
    p.add_argument("entity", metavar=_("TYPE"))
    p.add_argument("survivor", metavar=_("SURVIVOR_ID"), help=_("the record kept"))
    p.add_argument("others", nargs="+", metavar=_("OTHER_ID"),
                   help=_("the records merged into it"))
    p.add_argument("--take", action="append", metavar=_("FIELD=RECORD_ID"),
                   help=_("take this field's value from this record (repeatable)"))
    p.add_argument("--yes", action="store_true", help=_("merge without asking"))
