"""``person-report contact ID -o FILE``: what the programme holds about a person (GDPR
Art. 15 as a Word document, Art. 20 as JSON)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import LANGUAGES, _


def cmd_person_report(core, args) -> int:
    from euregionet_desktop.services import person_report, person_report_files

    if args.entity.replace("-", "_") != "contact":
        raise ValidationError(_("A person report is made for a contact person: "
                                "person-report contact ID -o FILE."))
    person_report_files.check_format(args.output)  # before reading: the first mistake first
    language = person_report.check_language(args.document_language)
    path = core.backend.read(person_report_files.person_report_file, contact_id=args.id,
                             path=args.output, lang=language)
    print(_("Person report written to {path}.").format(path=path))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "person-report": cmd_person_report,
}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("person-report", help=_(
        "everything held about a contact person (GDPR Art. 15 and 20), as a Word document "
        "or JSON"))
    p.add_argument("entity", metavar=_("TYPE"), help=_("contact"))
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", type=Path, required=True, metavar=_("FILE"),
                   help=_("where to write the report (.docx or .json)"))
    p.add_argument("--lang", dest="document_language", choices=LANGUAGES,
                   metavar=_("LANGUAGE"),
                   help=_("the report's language: pl, de or en (default: the interface's)"))
