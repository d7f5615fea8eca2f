"""``hub set URL [--every MINUTES]``, ``hub sync``, ``hub status``, ``hub prune`` and
``hub setup-sql``: sync through a shared folder or the office hub on PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.i18n import _, ngettext


def _print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2
                                         | orjson.OPT_SORT_KEYS) + b"\n")


def cmd_hub(core, args) -> int:
    from euregionet_desktop.services import hub

    if args.action == "set":
        core.backend.run(hub.set_hub, url=args.url, auto_minutes=args.every)
        settings = core.backend.read(hub.hub_settings)
        print(_("This installation syncs through {location} from now on.").format(
            location=settings.location))
        return 0
    if args.action == "setup-sql":
        print(core.backend.read(hub.setup_sql))
        return 0
    if args.action == "status":
        status = core.backend.read(hub.hub_status)
        if args.json:
            settings = status.settings
            _print_json({
                "hub": settings.location if settings else None,
                "kind": settings.kind if settings else None,
                "auto_minutes": settings.auto_minutes if settings else None,
                "last_sync": settings.last_sync_at if settings else None,
                "last_attempt": settings.last_attempt_at if settings else None,
                "last_report": settings.last_report if settings else None,
                "pending_out": status.pending_out, "set_aside": status.set_aside})
            return 0
        for line in status_lines(status):
            print(line)
        return 0
    if args.action == "prune":
        removed = hub.prune(core.backend)
        print(ngettext("{count} bundle every office holds removed from the hub.",
                       "{count} bundles every office holds removed from the hub.",
                       removed).format(count=removed))
        return 0
    report = hub.sync(core.backend, profile=core.profile)
    if args.json:
        _print_json(report.as_dict())
        return 0
    for line in report_lines(report):
        print(line)
    return 0


def status_lines(status) -> list[str]:
    settings = status.settings
    if settings is None:
        return [_("No hub is set up here yet: “euregionet hub set URL” (a postgresql://… URL "
                  "or a shared folder).")]
    lines = [_("Hub: {location}").format(location=settings.location),
             _("Last sync: {when}").format(when=settings.last_sync_at or _("never"))]
    if settings.last_attempt_at and settings.last_attempt_at != settings.last_sync_at:
        lines.append(_("Last attempt: {when}").format(when=settings.last_attempt_at))
    lines.append(ngettext("{count} change to send", "{count} changes to send",
                          status.pending_out).format(count=status.pending_out))
    if status.set_aside:
        lines.append(ngettext("{count} bundle set aside (see hub sync)",
                              "{count} bundles set aside (see hub sync)",
                              status.set_aside).format(count=status.set_aside))
    if settings.auto_minutes:
        lines.append(_("Synced automatically every {minutes} minutes while the app is "
                       "open.").format(minutes=settings.auto_minutes))
    return lines


def report_lines(report) -> list[str]:
    from euregionet_desktop.services import hub

    return hub.report_lines(report)  # the Sync view says it in the same words


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"hub": cmd_hub}


def add_parsers(sub: Any) -> None:
    actions = add_group(sub, "hub", help_text=_(
        "sync through a shared folder or the office hub on PostgreSQL"))
    p = add_action(actions, "set", help_text=_(
        "sync through this hub: a postgresql://ROLE@SERVER/DATABASE URL or a folder path"))
    p.add_argument("url", metavar=_("URL"))
    p.add_argument("--every", type=int, metavar=_("MINUTES"),
                   help=_("sync automatically every MINUTES while the app is open"))
    p = add_action(actions, "sync", help_text=_(
        "send this office's changes and import what partners sent"))
    p.add_argument("--json", action="store_true")
    p = add_action(actions, "status", help_text=_("the hub, the last sync and what is waiting"))
    p.add_argument("--json", action="store_true")
    add_action(actions, "prune", help_text=_(
        "remove from the hub the bundles from here that every office holds"))
    add_action(actions, "setup-sql", help_text=_(
        "print the SQL that sets the hub up on a PostgreSQL server (for its administrator)"))
