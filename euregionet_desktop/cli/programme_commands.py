"""``programme show|set``: the programme's identity every document prints (issue 20)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _


def _pairs(pairs: Sequence[str], *, what: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(_("Expected {what}, got “{pair}”.").format(what=what,
                                                                            pair=pair))
        values[name.strip()] = value
    return values


def cmd_programme(core, args) -> int:
    from euregionet_desktop.services import programme

    if args.action == "set":
        logos = {name: Path(value) if value else None
                 for name, value in _pairs(args.logo or (), what=_("NAME=FILE")).items()}
        values = _pairs(args.values, what="FIELD=VALUE")
        if not values and not logos and not args.defaults:
            raise ValidationError(_("Nothing to change: give FIELD=VALUE, --logo or "
                                    "--defaults."))
        core.backend.run(programme.update_programme, profile=core.profile, values=values,
                         logos=logos, defaults=args.defaults)
    settings = core.backend.read(programme.programme_settings)
    logos = {"eu-emblem": settings.eu_emblem, "programme-logo": settings.programme_logo}
    if getattr(args, "json", False):
        data = {**{k: (None if v is None else str(v)) for k, v in settings.values.items()},
                "logos": {name: None if logo is None else {
                    "attachment_id": logo.attachment_id, "file_name": logo.file_name}
                    for name, logo in logos.items()}}
        sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2
                                             | orjson.OPT_SORT_KEYS) + b"\n")
        return 0
    _print_settings(settings, logos)
    return 0


def _print_settings(settings, logos) -> None:
    from euregionet_desktop.services.programme import LOGOS
    from euregionet_desktop.services.records import field_specs

    labels = {spec.name: spec.label for spec in field_specs("programme")}
    for key, value in settings.values.items():
        print(_("{label} ({key}): {value}").format(label=labels[key], key=key,
                                                   value="" if value is None else value))
    for name, logo in logos.items():
        print(_("{label} ({key}): {value}").format(
            label=labels[LOGOS[name]], key=name, value=logo.file_name if logo else _("none")))


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"programme": cmd_programme}


def add_parsers(sub: Any) -> None:
    group = add_group(sub, "programme", help_text=_(
        "the programme's identity every document prints (names, co-financing statement, "
        "slogan, logos)"))
    p = add_action(group, "show", help_text=_("show the programme's settings"))
    p.add_argument("--json", action="store_true")
    p = add_action(group, "set", help_text=_(
        "change the programme's settings: programme set FIELD=VALUE... (keys: see "
        "“fields programme”)"))
    p.add_argument("values", nargs="*", metavar="FIELD=VALUE")
    p.add_argument("--logo", action="append", metavar=_("NAME=FILE"), help=_(
        "eu-emblem=FILE or programme-logo=FILE (a PNG or JPEG image); an empty FILE "
        "removes the logo"))
    p.add_argument("--defaults", action="store_true", help=_(
        "use the wording of the period (given with period=… or the current one) for the "
        "programme's name, statement and slogan, except the keys given"))
