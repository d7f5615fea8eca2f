"""``initiative show ID [--json]`` and ``initiative step ID STEP FIELD=VALUE...``: a cluster
being formed, step by step (add and edit it with the generic commands)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop.cli.parsers import add_action, add_group, assignments
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, format_date

STEP_NAMES = "letter-of-intent|accession|agreement|statute-strategy|brand"




def _as_json(view: Any) -> dict[str, Any]:
    current = view.current
    return {
        "id": view.id, "cluster_id": view.cluster_id, "cluster": view.cluster_name,
        "office": view.office_code, "advisor": view.advisor_name,
        "started_on": view.started_on.isoformat() if view.started_on else None,
        "stage": view.stage, "countries": list(view.countries),
        "current_step": current.step if current else None,
        "steps": [{"id": s.id, "step": s.step, "status": s.status,
                   "done_on": s.done_on.isoformat() if s.done_on else None,
                   "advisor": s.advisor_name} for s in view.steps],
    }


def _print(view: Any) -> None:
    current = view.current
    print(view.cluster_name)
    print("  " + _("Partner office: {office}").format(office=view.office_code or "–"))
    print("  " + _("Responsible advisor: {name}").format(name=view.advisor_name or "–"))
    print("  " + _("Current step: {step}").format(
        step=current.step_label if current else _("Formed")))
    for step in view.steps:
        when = format_date(step.done_on) if step.done_on else ""
        print("  " + _("{step}: {status} {date}").format(
            step=step.step_label, status=step.status_label, date=when).rstrip())


def cmd_initiative(core, args) -> int:
    from euregionet_desktop.services.initiatives import initiative_view, set_step

    if args.action == "step":
        if not args.values:
            raise ValidationError(_("Say what changes: initiative step ID STEP status=done "
                                    "[done_on=DATE]."))
        core.backend.run(set_step, initiative_id=args.id, step=args.step,
                         values=assignments(args.values))
    view = core.backend.read(initiative_view, initiative_id=args.id)
    if getattr(args, "json", False):
        sys.stdout.buffer.write(orjson.dumps(
            _as_json(view), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    else:
        _print(view)
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "initiative": cmd_initiative,
}


def add_parsers(sub: Any) -> None:
    group = add_group(sub, "initiative", help_text=_(
        "a new cluster being formed: its steps (add it with “add initiative cluster_id=…”)"))
    p = add_action(group, "show", help_text=_("show an initiative with its steps"))
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p = add_action(group, "step", help_text=_(
        "change a step: initiative step ID STEP status=done [done_on=DATE]"))
    p.add_argument("id")
    p.add_argument("step", metavar=_("STEP"), help=STEP_NAMES)
    p.add_argument("values", nargs="*", metavar="FIELD=VALUE")
