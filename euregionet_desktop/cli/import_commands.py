"""``import FILE --type …``: spreadsheets and address books in, with a report per row."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from euregionet_desktop.i18n import _, ngettext

TYPES = ("organisation", "contact", "cluster", "membership", "participant")


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("import", help=_(
        "import records from a spreadsheet (CSV, XLSX, XLS, ODS) or an address book (vCard)"))
    p.add_argument("file", type=Path, metavar=_("FILE"))
    p.add_argument("--type", required=True, choices=TYPES, dest="kind",
                   help=_("what each row is"))
    p.add_argument("--event", help=_("the event whose participants the rows are"))
    p.add_argument("--mapping", type=Path, help=_(
        "a JSON file mapping column headers to fields (default: recognised from the headers, "
        "or the mapping last used for the same headers)"))
    p.add_argument("--encoding", help=_("the text encoding of a CSV file (default: detected)"))
    p.add_argument("--sheet", help=_("the sheet of a workbook (default: the first with data)"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("say what the import would do, and write nothing"))
    p.add_argument("--skip-invalid", action="store_true",
                   help=_("import the valid rows even if others are refused"))
    p.add_argument("--on-duplicate", choices=("skip", "update", "create"), default="skip",
                   help=_("what to do with a row that matches a record (default: skip)"))
    p.add_argument("--report", type=Path, metavar=_("FILE"), help=_(
        "write the refused rows, with their errors, to this CSV or XLSX file"))
    p.add_argument("--json", action="store_true")


def cmd_import(core, args: argparse.Namespace) -> int:
    from euregionet_desktop.interchange.reading import open_table
    from euregionet_desktop.services import table_import

    path: Path = args.file
    table = open_table(path, encoding=args.encoding, sheet=args.sheet)
    remembered = core.profile.import_mappings
    if args.mapping is not None:
        mapping = table_import.load_mapping_file(args.mapping)
    else:
        mapping = (table_import.remembered_mapping(remembered, args.kind, table.headers)
                   or table_import.suggest_mapping(args.kind, table.headers))
    options = dict(path=path, kind=args.kind, mapping=mapping, encoding=table.encoding,
                   sheet=table.sheet, on_duplicate=args.on_duplicate,
                   skip_invalid=args.skip_invalid, event_id=args.event)
    try:
        if args.dry_run:
            report = core.backend.preview(table_import.import_table, refuse_errors=False,
                                          **options)
        else:
            report = core.backend.run(table_import.import_table, **options)
    except table_import.ImportRefused as refused:
        _tell(refused.report, args, dry_run=False)
        _save_report(refused.report, args)
        sys.stderr.write(_("Error: {message}").format(message=refused) + "\n")
        return 1
    _tell(report, args, dry_run=args.dry_run)
    _save_report(report, args)
    if not args.dry_run:
        table_import.remember_mapping(remembered, args.kind, table.headers,
                                      table_import.check_mapping(args.kind, table.headers,
                                                                 mapping))
    return 0


def _save_report(report, args: argparse.Namespace) -> None:
    from euregionet_desktop.services import table_import

    if args.report is None:
        return
    count = table_import.save_refused_rows(report, args.report)
    sys.stderr.write(ngettext("{count} refused row written to {file}.",
                              "{count} refused rows written to {file}.", count).format(
        count=count, file=args.report) + "\n")


def _tell(report, args: argparse.Namespace, *, dry_run: bool) -> None:
    if args.json:
        print(orjson.dumps({
            "file": report.file_name, "type": report.kind, "rows": report.rows,
            "created": report.created, "updated": report.updated, "skipped": report.skipped,
            "refused": report.refused, "written": report.written and not dry_run,
            "outcomes": [{
                "row": o.row, "action": o.action, "label": o.label,
                "problems": [{"column": p.column, "message": p.message} for p in o.problems],
                "duplicate_of": o.duplicate_of or None, "reason": o.reason or None,
                "id": o.record_id,
            } for o in report.outcomes if o.action in ("error", "skip", "update")],
        }, option=orjson.OPT_INDENT_2).decode())
        return
    for outcome in report.outcomes:
        if outcome.action == "error":
            for problem in outcome.problems:
                if problem.column:
                    line = _("Row {row}, column “{column}”: {message}").format(
                        row=outcome.row, column=problem.column, message=problem.message)
                else:
                    line = _("Row {row}: {message}").format(row=outcome.row,
                                                           message=problem.message)
                print(line)
        elif outcome.action in ("skip", "update"):
            words = (_("Row {row}: skipped as a duplicate of {other} ({reason}).")
                     if outcome.action == "skip" else
                     _("Row {row}: updates {other} ({reason})."))
            print(words.format(row=outcome.row, other=outcome.duplicate_of,
                               reason=outcome.reason))
    counts = dict(created=report.created, updated=report.updated, skipped=report.skipped,
                  refused=report.refused, rows=report.rows, file=report.file_name)
    if dry_run:
        print(ngettext(
            "{file}: {rows} row; would create {created}, update {updated}, skip {skipped} "
            "as duplicates, refuse {refused}. Nothing was written (dry run).",
            "{file}: {rows} rows; would create {created}, update {updated}, skip {skipped} "
            "as duplicates, refuse {refused}. Nothing was written (dry run).",
            report.rows).format(**counts))
    elif report.written:
        print(ngettext(
            "{file}: {rows} row; created {created}, updated {updated}, skipped {skipped} "
            "as duplicates, refused {refused}.",
            "{file}: {rows} rows; created {created}, updated {updated}, skipped {skipped} "
            "as duplicates, refused {refused}.", report.rows).format(**counts))
    else:
        print(ngettext(
            "{file}: {rows} row; {created} to create, {updated} to update, {skipped} "
            "duplicates, {refused} refused.",
            "{file}: {rows} rows; {created} to create, {updated} to update, {skipped} "
            "duplicates, {refused} refused.", report.rows).format(**counts))


COMMANDS = {"import": cmd_import}
