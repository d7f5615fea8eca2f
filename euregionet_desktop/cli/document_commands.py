"""``doc`` and ``template``: Word documents from records, and the templates behind them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from euregionet_desktop.cli.parsers import add_action, add_group
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS
from euregionet_desktop.domain.enums import DocumentKind
from euregionet_desktop.errors import TemplateError, ValidationError
from euregionet_desktop.i18n import _, ngettext

# Template commands that need no profile: they read and write files only.
PROFILE_FREE_TEMPLATE_ACTIONS = ("check", "export", "fields")


def _output(args: argparse.Namespace) -> Path:
    if args.output is None:
        raise ValidationError(_("Say where to write the document with -o FILE.docx."))
    if args.output.suffix.lower() != ".docx":
        raise ValidationError(_("The document is a Word file: give a name ending in "
                                ".docx (“{name}”).").format(name=args.output.name))
    if not args.output.parent.is_dir():
        raise ValidationError(_("The folder {folder} does not exist.").format(
            folder=args.output.parent))
    return args.output


def cmd_doc(core, args) -> int:
    from euregionet_desktop.services import documents

    if args.kind == DocumentKind.DIRECTORY and args.id:
        raise ValidationError(_("The cluster directory is made of all clusters; leave out "
                                "the id."))
    output = _output(args)
    result = core.backend.run(documents.generate_document, profile=core.profile,
                              kind=args.kind, record_id=args.id,
                              language=args.document_language,
                              output=output)
    print(_("Document written to {path} ({size} bytes).").format(path=result.path,
                                                                  size=result.size))
    return 0


def _print_report(report, file_name: str) -> None:
    print(_("{file}: checked as “{kind}”.").format(
        file=file_name, kind=_(KINDS[report.kind]) if report.kind else _("no kind")))
    print(ngettext("{count} field used:", "{count} fields used:",
                   len(report.placeholders)).format(count=len(report.placeholders)))
    for name in report.placeholders:
        print(f"  {name}")
    labels = {"error": _("Error"), "repaired": _("Repaired"), "warning": _("Warning")}
    for finding in report.findings:
        print(f"{labels.get(finding.severity, finding.severity)}: {finding.location}: "
              f"{finding.message}")


def cmd_template(core, args) -> int:
    from euregionet_desktop.documents import check, defaults
    from euregionet_desktop.documents.legend import with_legend
    from euregionet_desktop.services import documents

    if args.action == "check":
        path = Path(args.target)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TemplateError(_("“{name}” cannot be read: {reason}").format(
                name=path.name, reason=error.strerror or error)) from None
        report = check.inspect_template(data, kind=args.kind or check.guess_kind(data),
                                        file_name=path.name)
        _print_report(report, path.name)
        if not report.ok:
            sys.stderr.write(ngettext(
                "Error: the template has {count} problem; nothing can be filled with it.",
                "Error: the template has {count} problems; nothing can be filled with it.",
                len(report.errors)).format(count=len(report.errors)) + "\n")
            return 1
        print(_("The template can be used."))
        return 0
    if args.action == "fields":
        return _print_fields(_kind(args, positional=True), as_json=args.json)
    if args.action == "export":
        kind = _kind(args, positional=True)
        output = _output(args)
        if core is None:
            documents.write_file(output, with_legend(
                defaults.default_template(kind, args.document_language), kind))
        else:
            core.backend.read(documents.export_template, profile=core.profile, kind=kind,
                              language=args.document_language, output=output, default=not args.active)
        print(_("Template written to {path}. Edit it in Word or LibreOffice, then load it "
                "with “template load”.").format(path=output))
        return 0
    if args.action == "load":
        path = Path(args.target)
        kind = _kind(args)
        loaded = core.backend.run(documents.load_template, profile=core.profile,
                                  path=path, kind=kind, language=args.document_language)
        _print_report(loaded.report, path.name)
        print(_("Template stored ({id}); it is filled for “{kind}” in {language} from now "
                "on.").format(id=loaded.attachment_id, kind=_(KINDS[kind]),
                              language=_(DOCUMENT_LANGUAGES[args.document_language])))
        return 0
    if args.action == "use":
        kind = _kind(args, positional=True)
        template_id = None if args.choice in (None, "default") else args.choice
        core.backend.run(documents.choose_template, kind=kind, language=args.document_language,
                         attachment_id=template_id)
        print(_("“{kind}” in {language} is filled with {template} from now on.").format(
            kind=_(KINDS[kind]), language=_(DOCUMENT_LANGUAGES[args.document_language]),
            template=template_id or _("the default template")))
        return 0
    # list
    stored = core.backend.read(documents.stored_documents, kinds=("template",))
    if not stored:
        print(_("No templates loaded; the default templates are filled."))
    for item in stored:
        mark = "*" if item.active else " "
        print(f"{mark} {item.id}  {item.document_kind or '':<13} {item.language or '':<6} "
              f"{item.created_label:<18} {item.file_name}")
    return 0


def _print_fields(kind: str, *, as_json: bool) -> int:
    """Every field a template of `kind` may use, with its meaning and an example."""
    from euregionet_desktop.documents.schema import field_guide

    guide = field_guide(kind)
    if as_json:
        import orjson

        sys.stdout.buffer.write(orjson.dumps(
            [{"path": item.path, "written": item.written, "meaning": item.meaning,
              "example": item.example, "depth": item.depth, "list": item.is_list}
             for item in guide], option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    print(_("Fields of “{kind}” templates. Write a field as {{{{ name }}}}; a list is gone "
            "through with {{% for … %}} … {{% endfor %}}, and its entries' fields are written "
            "with the loop's name.").format(kind=_(KINDS[kind])))
    width = max(len(item.written) + 2 * item.depth for item in guide)
    for item in guide:
        written = "  " * item.depth + item.written
        line = f"{written:<{width}}  {item.meaning}"
        if item.example:
            line += "  " + _("(for example: {example})").format(example=item.example)
        print(line)
    return 0


def _kind(args: argparse.Namespace, *, positional: bool = False) -> str:
    kind = args.kind or (args.target if positional else None)
    if not kind:
        raise ValidationError(_("Say which document the template is for with --kind "
                                "({kinds}).").format(kinds=", ".join(KINDS)))
    if kind not in KINDS:
        raise ValidationError(_("“{kind}” is not a kind of document; use one of: {kinds}.")
                              .format(kind=kind, kinds=", ".join(KINDS)))
    return kind


def add_parsers(sub: Any) -> None:
    languages = tuple(DOCUMENT_LANGUAGES)
    p = sub.add_parser("doc", help=_("write a Word document: doc KIND ID --lang pl -o FILE.docx"))
    p.add_argument("kind", choices=tuple(KINDS))
    p.add_argument("id", nargs="?", help=_("the record (not for the directory)"))
    p.add_argument("--lang", dest="document_language", choices=languages, default="pl",
                   help=_("the document's language: pl, de or pl+de (side by side)"))
    p.add_argument("-o", "--output", type=Path, help=_("where to write the .docx file"))

    actions = add_group(sub, "template", help_text=_(
        "check, export, load and choose document templates"))
    p = add_action(actions, "check", help_text=_(
        "check a template: the fields it uses and what would stop it from being filled"))
    p.add_argument("target", metavar=_("FILE"))
    _kind_option(p)
    p = add_action(actions, "export", help_text=_(
        "save a template to a file, to edit it in Word or LibreOffice"))
    p.add_argument("target", nargs="?", metavar=_("KIND"), help=_("the kind of document"))
    _kind_option(p)
    _language_option(p)
    p.add_argument("-o", "--output", type=Path, metavar=_("FILE"),
                   help=_("where to write the template"))
    p.add_argument("--active", action="store_true",
                   help=_("export the template filled now instead of the default one"))
    p = add_action(actions, "load", help_text=_(
        "store an edited template; it is filled for its kind and language from now on"))
    p.add_argument("target", metavar=_("FILE"))
    _kind_option(p)
    _language_option(p)
    p = add_action(actions, "use", help_text=_(
        "choose the template filled for a kind of document and a language"))
    p.add_argument("target", nargs="?", metavar=_("KIND"), help=_("the kind of document"))
    p.add_argument("choice", nargs="?", metavar="ID",
                   help=_("use: the template id, or “default”"))
    _kind_option(p)
    _language_option(p)
    add_action(actions, "list", help_text=_("list the loaded templates; * marks those in use"))
    p = add_action(actions, "fields", help_text=_(
        "list the fields a template may use, with their meaning and an example"))
    p.add_argument("target", nargs="?", metavar=_("KIND"), help=_("the kind of document"))
    _kind_option(p)
    p.add_argument("--json", action="store_true", help=_("print the list as JSON"))


def _kind_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=tuple(KINDS), help=_("the kind of document"))


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", dest="document_language", choices=tuple(DOCUMENT_LANGUAGES),
                        default="pl", help=_("the template's language: pl, de or pl+de"))
