"""``report indicators``: the indicator report for the joint secretariat (XLSX or Word)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.i18n import _, ngettext


def _date(value: str | None, option: str):
    from euregionet_desktop.domain.validation import parse_date

    return parse_date(value, field=option, label=option) if value else None


def cmd_report(core, args) -> int:
    from euregionet_desktop.services import indicator_report

    indicator_report.report_format(args.output)  # before the dates: the first mistake first
    result = core.backend.read(
        indicator_report.indicator_report, path=args.output, office=args.office,
        period_start=_date(args.period_from, "--from"), period_end=_date(args.period_to, "--to"),
        language=args.document_language)
    print(ngettext("Indicator report with {count} counted record written to {path}.",
                   "Indicator report with {count} counted records written to {path}.",
                   result.items).format(count=result.items, path=result.path))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "report": cmd_report,
}


def add_parsers(sub: Any) -> None:
    report = add_group(sub, "report", help_text=_("reports for the programme"))
    p = add_action(report, "indicators", help_text=_(
        "the indicators with their targets, values and the counted records with their "
        "evidence, as XLSX or Word (.docx) for the joint secretariat"))
    p.add_argument("--office", metavar=_("CODE"), help=_("only this office's share"))
    p.add_argument("--from", dest="period_from", metavar=_("DATE"),
                   help=_("count from this date instead of the programme start"))
    p.add_argument("--to", dest="period_to", metavar=_("DATE"),
                   help=_("count up to this date instead of the programme end"))
    p.add_argument("--lang", dest="document_language", metavar=_("LANGUAGE"),
                   help=_("the report's language: pl, de, en (XLSX only) or pl+de "
                          "(default: the interface's)"))
    p.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"),
                   help=_("where to write the report (.xlsx or .docx)"))
