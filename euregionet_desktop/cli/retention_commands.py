"""``retention list|erase``: the contact persons kept past the retention setting, erased in
bulk through the normal erasure (issue 21)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

import orjson

from euregionet_desktop import i18n
from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.cli.progress import show_progress
from euregionet_desktop.cli.sync_commands import confirm, finish_erasure
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _


def cmd_retention(core, args) -> int:
    from euregionet_desktop.services import retention

    today = dt.date.today()
    review = core.backend.read(retention.due_for_review, today=today)
    if args.action == "list":
        if args.json:
            _print_json(review)
        else:
            _print_table(review)
        return 0
    return _erase(core, args, review, today)


def _print_table(review) -> None:
    rows = [(item.name, item.organisation or "",
             _("{date} ({what})").format(date=i18n.format_date(item.last_activity),
                                          what=item.activity_label),
             i18n.format_date(item.due_since)) for item in review.items]
    if rows:
        header = (_("Contact person"), _("Organisation"), _("Last activity"), _("Due since"))
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
                  .rstrip())
    for gap in review.gaps:
        print(gap.text, file=sys.stderr)
    if not review.gaps:
        print(i18n.ngettext(
            "{count} of {checked} contact persons is due for review.",
            "{count} of {checked} contact persons are due for review.",
            len(rows)).format(count=len(rows), checked=review.checked), file=sys.stderr)


def _print_json(review) -> None:
    data = {
        "today": review.today.isoformat(),
        "programme_end": review.programme_end.isoformat() if review.programme_end else None,
        "years": review.years,
        "checked": review.checked,
        "due": [{"entity": item.entity, "id": item.id, "name": item.name,
                 "organisation": item.organisation,
                 "last_activity": item.last_activity.isoformat(),
                 "activity": item.activity, "activity_label": item.activity_label,
                 "due_since": item.due_since.isoformat(), "deleted": item.deleted}
                for item in review.items],
        "gaps": [{"entity": gap.entity, "reason": gap.reason, "message": gap.text}
                 for gap in review.gaps],
    }
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def _erase(core, args, review, today: dt.date) -> int:
    from euregionet_desktop.services import retention

    if bool(args.ids) == bool(args.all):
        raise ValidationError(_("Give the ids of the contact persons to erase, or --all for "
                                "every one due for review."))
    if args.all:
        for gap in review.gaps:
            raise ValidationError(gap.text)
        ids = [item.id for item in review.items if item.entity == "contact"]
        if not ids:
            print(_("No contact person is due for review; nothing was erased."))
            return 0
    else:
        ids = list(dict.fromkeys(args.ids))
    if not confirm(retention.erase_question(len(ids)), args):
        print(_("Nothing was erased."))
        return 1
    changes = core.backend.run(retention.erase_due, profile=core.profile, record_ids=ids,
                               today=today, progress=show_progress)
    print(i18n.ngettext("{count} contact person erased after the retention period.",
                        "{count} contact persons erased after the retention period.",
                        len(ids)).format(count=len(ids)))
    finish_erasure(core, changes)
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"retention": cmd_retention}


def add_parsers(sub: Any) -> None:
    group = add_group(sub, "retention", help_text=_(
        "contact persons kept longer than the retention period in the programme settings"))
    p = add_action(group, "list", help_text=_(
        "list the contact persons due for review (no activity for the years set after the "
        "programme's end)"))
    p.add_argument("--json", action="store_true")
    p = add_action(group, "erase", help_text=_(
        "erase contact persons due for review, each through the normal erasure"))
    p.add_argument("ids", nargs="*", metavar="ID",
                   help=_("the contact persons to erase (see “retention list”)"))
    p.add_argument("--all", action="store_true",
                   help=_("erase every contact person due for review"))
    p.add_argument("--yes", action="store_true", help=_("erase without asking"))
