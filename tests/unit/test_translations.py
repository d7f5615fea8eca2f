"""The pl and de catalogs are complete and match their source; no UI or CLI text escapes _()."""

from __future__ import annotations

import ast
import gettext
import io
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from euregionet_desktop import errors, i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "euregionet_desktop"
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# The keywords the project's extraction command adds to babel's defaults.
EXTRA_KEYWORDS = ["N_", "ngettext:1,2"]
UPDATE_COMMANDS = (
    ".venv/bin/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --project EuRegioNet "
    "--no-location --sort-output -o translations/messages.pot euregionet_desktop\n"
    ".venv/bin/pybabel update -i translations/messages.pot -d translations"
)


def catalog_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalog(data: bytes, language: str | None = None) -> Catalog:
    return read_po(io.BytesIO(data), locale=language)


@cache
def template() -> Catalog:
    return read_catalog(TEMPLATE.read_bytes())


# --- Catalog checks --------------------------------------------------------------------

def _polish_plural(n: int) -> int:
    return 0 if n == 1 else 1 if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else 2


def _german_plural(n: int) -> int:
    return 0 if n == 1 else 1


PLURAL_RULES: dict[str, tuple[int, Callable[[int], int]]] = {
    "pl": (3, _polish_plural),
    "de": (2, _german_plural),
}
# "{{" and "}}" are literal braces for str.format, not placeholders.
_BRACE_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[sdr]")


def _brace_placeholders(text: str) -> set[str]:
    return set(_BRACE_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def _percent_placeholders(text: str) -> list[str]:
    return sorted(_PERCENT_PLACEHOLDER.findall(text.replace("%%", "")))


def _accelerators(text: str) -> int:
    return text.replace("&&", "").count("&")


def _edges(text: str) -> tuple[str, str, int]:
    """Leading whitespace, trailing whitespace and line breaks: a translation keeps them."""
    return (text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):],
            text.count("\n"))


def _form_problems(original: str, translated: str) -> list[str]:
    problems = []
    names, expected_names = _brace_placeholders(translated), _brace_placeholders(original)
    if names != expected_names:
        problems.append(f"placeholders {sorted(names)} instead of {sorted(expected_names)}")
    percent, expected_percent = _percent_placeholders(translated), _percent_placeholders(original)
    if percent != expected_percent:
        problems.append(f"%-placeholders {percent} instead of {expected_percent}")
    if _edges(translated) != _edges(original):
        problems.append(f"leading/trailing whitespace or line breaks {_edges(translated)!r} "
                        f"instead of {_edges(original)!r}")
    if _accelerators(translated) != _accelerators(original):
        problems.append(f"{_accelerators(translated)} “&” accelerators instead of "
                        f"{_accelerators(original)}")
    return problems


def _message_problems(source: Message, translated: Message | None, nplurals: int) -> list[str]:
    if translated is None:
        return ["missing (run pybabel update)"]
    problems = ["marked fuzzy"] if translated.fuzzy else []
    if translated.id != source.id:
        return [*problems, f"msgid {translated.id!r} differs from the template's"]
    plural = isinstance(source.id, tuple)
    forms = list(translated.string) if plural else [translated.string]
    if plural and len(forms) != nplurals:
        problems.append(f"{len(forms)} plural forms instead of {nplurals}")
    if not all(forms):
        problems.append("untranslated" if not plural else "untranslated plural form(s) "
                        + ", ".join(str(n) for n, form in enumerate(forms) if not form))
    for n, form in enumerate(forms):
        # Form 0 is the n == 1 form in pl and de, the others the plural msgid's.
        original = (source.id[0] if n == 0 else source.id[1]) if plural else source.id
        if form:
            label = f"form {n}: " if plural else ""
            problems += [label + problem for problem in _form_problems(original, form)]
    return problems


def catalog_problems(catalog: Catalog, template: Catalog) -> list[str]:
    """Every way `catalog` falls short of `template`, one line each (empty when complete)."""
    problems = []
    language = catalog.locale.language if catalog.locale else None
    if language in PLURAL_RULES:
        nplurals, rule = PLURAL_RULES[language]
        try:
            header_rule = gettext.c2py(catalog.plural_expr)
        except ValueError:
            header_rule = None
        if catalog.num_plurals != nplurals or header_rule is None or any(
                header_rule(n) != rule(n) for n in range(1001)):
            problems.append(f"Plural-Forms “{catalog.plural_forms}” is not the standard "
                            f"{language} rule with nplurals={nplurals}")
    for source in template:
        if not source.id:
            continue  # the header
        translated = catalog.get(source.id, context=source.context)
        msgid = source.id[0] if isinstance(source.id, tuple) else source.id
        where = repr(msgid) + (f" (context {source.context!r})" if source.context else "")
        problems += [f"{where}: {problem}"
                     for problem in _message_problems(source, translated, catalog.num_plurals)]
    return problems


@pytest.mark.parametrize("language", ["pl", "de"])
def test_catalog_is_complete(language):
    """Every template message is translated in pl and de, not fuzzy, with the source's shape."""
    catalog = read_catalog(catalog_path(language).read_bytes(), language)
    problems = catalog_problems(catalog, template())
    assert not problems, f"{len(problems)} problems in {catalog_path(language)}:\n" + "\n".join(
        problems)


def _pick(catalog: Catalog, wanted: Callable[[Message], bool]) -> Message:
    return next(message for message in catalog if message.id and wanted(message))


def test_catalog_problems_reports_each_kind_of_mistake():
    """Blanked, fuzzy, missing, wrong-placeholder, short-plural or no-"&" messages are reported."""
    data = catalog_path("pl").read_bytes()
    catalog = read_catalog(data, "pl")
    plain = [m for m in catalog if m.id and isinstance(m.id, str) and "{" not in m.id
             and "&" not in m.id and m.id == m.id.strip()]
    blanked, fuzzy, missing = plain[0], plain[1], plain[2]
    blanked.string = ""
    fuzzy.flags.add("fuzzy")
    del catalog[missing.id]
    placeholder = _pick(catalog, lambda m: isinstance(m.id, str) and "{" in m.id
                        and "{{" not in m.id)
    name = sorted(_brace_placeholders(placeholder.id))[0]
    placeholder.string = placeholder.string.replace("{" + name + "}", "{" + name + "_x}")
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    plural, blank_form = plurals[0], plurals[1]
    plural.string = plural.string[:2]
    blank_form.string = (blank_form.string[0], "", blank_form.string[2])
    accelerated = _pick(catalog, lambda m: isinstance(m.id, str) and "&" in m.id)
    accelerated.string = accelerated.string.replace("&", "")

    problems = catalog_problems(catalog, template())

    def reported(message: Message, kind: str) -> bool:
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        return any(p.startswith(repr(msgid) + ":") and kind in p for p in problems)

    assert reported(blanked, "untranslated")
    assert reported(fuzzy, "fuzzy")
    assert reported(missing, "missing")
    assert reported(placeholder, "placeholders")
    assert reported(plural, "2 plural forms instead of 3")
    assert reported(blank_form, "untranslated plural form(s) 1")
    assert reported(accelerated, "accelerators")
    german_rule = re.sub(rb'"Plural-Forms:.*?\\n"',
                         rb'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', data, count=1,
                         flags=re.DOTALL)
    assert german_rule != data
    assert any(p.startswith("Plural-Forms") for p in catalog_problems(
        read_catalog(german_rule, "pl"), template()))


# --- The template is current ------------------------------------------------------------

def extracted_messages() -> Catalog:
    """What `pybabel extract` with the project's options would write now."""
    with (ROOT / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(EXTRA_KEYWORDS)}
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map, options_map, keywords=keywords):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _message_keys(catalog: Catalog) -> set[tuple[str | None, str | tuple[str, ...]]]:
    return {(m.context, tuple(m.id) if isinstance(m.id, list | tuple) else m.id)
            for m in catalog if m.id}


def test_template_is_current():
    """translations/messages.pot holds exactly the messages the source has now."""
    current, stored = _message_keys(extracted_messages()), _message_keys(template())
    new, gone = sorted(current - stored, key=repr), sorted(stored - current, key=repr)
    assert not new and not gone, (
        "translations/messages.pot is out of date; update it and the catalogs with\n"
        f"{UPDATE_COMMANDS}\nthen translate the new messages.\n"
        f"Not in the template: {[m for _c, m in new]}\nNo longer in the source: "
        f"{[m for _c, m in gone]}")


# --- No unwrapped text in ui/ and cli/ --------------------------------------------------

# Qt methods that show their text arguments, with the positions of those arguments
# (None: every positional argument).
TEXT_METHODS: dict[str, tuple[int, ...] | None] = {
    name: None for name in (
        "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis",
        "setPlaceholderText", "setLabelText", "setCancelButtonText", "setInformativeText",
        "setDetailedText", "setTitle", "setSubTitle", "addAction", "addMenu", "addSection",
        "addTab", "insertTab", "setTabText", "setTabToolTip", "showMessage", "setHeaderLabels",
        "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "addItems", "addRow",
        "addButton", "setAccessibleName", "setAccessibleDescription", "setSpecialValueText",
        "setPrefix", "setSuffix", "setIconText")
} | {
    # The user data after a combo box item's text is not shown.
    "addItem": (0,), "insertItem": (1,), "insertItems": (1,), "setItemText": (1,),
}
TEXT_CONSTRUCTORS = frozenset({
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "QToolBar", "QDockWidget", "QCommandLinkButton", "QMessageBox", "QProgressDialog",
    "QTreeWidgetItem", "QListWidgetItem", "QTableWidgetItem", "QStandardItem",
})
# Our own helpers that pass a text argument on to Qt, with its positions.
PROJECT_TEXT_CALLS: dict[str, tuple[int, ...]] = {
    "_action": (0,), "_button": (0, 3), "_tell": (0,), "DashboardPanel": (0, 1),
}
# Static dialogs: class → positions of their texts (QFileDialog: caption and filter; its
# directory argument may hold a suggested file name).
TEXT_DIALOGS: dict[str, tuple[int, ...] | None] = {
    "QMessageBox": None, "QInputDialog": None, "QFileDialog": (1, 3),
}
DIALOG_KEYWORDS = frozenset({"title", "text", "label", "caption", "filter", "items"})
# Keyword arguments that are shown, to Qt (constructor properties) and to our own helpers.
TEXT_KEYWORDS = frozenset({
    "text", "title", "windowTitle", "toolTip", "statusTip", "whatsThis", "placeholderText",
    "accessibleName", "accessibleDescription", "labelText", "informativeText",
    "detailedText", "iconText", "specialValueText", "prefix", "suffix",
    "intro", "accept_text",  # TemplateTargetDialog.ask
})
# In cli/: argparse's texts, and what is printed.
CONSOLE_KEYWORDS = frozenset({"help", "description", "epilog", "metavar", "usage", "version"})
CONSOLE_CALLS = frozenset({"print", "input", "add_argument_group"})
TRANSLATING = frozenset({"_", "gettext", "ngettext", "N_", "pgettext", "npgettext"})
USER_FACING_ERRORS = frozenset(
    cls.__name__ for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.UserFacingError))
# Literals that look like text but are the same in every language, with why.
ALLOWED = {
    "FIELD=VALUE": "CLI syntax token (metavar); the translated help and errors quote it as is",
    "ID": "CLI syntax token (metavar); the translated help texts quote it as is",
    "FILE|KIND|ID": "CLI syntax tokens (metavar), as quoted in the translated help texts",
    "{{ cluster.name }}": "template field syntax shown as an example; typed as is in Word",
    "euregionet ": "the command's name before its version (`euregionet 0.1.0`), as --version "
                   "prints it in every language",
}
# Terminal control sequences ("\033[K": clear to the end of the line) are not text.
_TERMINAL_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _has_letters(text: str) -> bool:
    return re.search(r"[^\W\d_]", _TERMINAL_CONTROL.sub("", text)) is not None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _literals(node: ast.expr) -> Iterator[ast.Constant]:
    """The string literals of an expression that end up in its text as they are."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            yield node
    elif isinstance(node, ast.JoinedStr):
        for value in node.values:  # format specs ({n:>5}) are not text
            yield from _literals(value.value if isinstance(value, ast.FormattedValue)
                                 else value)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literals(value)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from _literals(element)
    elif isinstance(node, ast.Starred):
        yield from _literals(node.value)
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
          and node.func.attr in ("format", "join")):
        # "…".format(...) and ", ".join(...): both the string and what goes into it.
        yield from _literals(node.func.value)
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            yield from _literals(argument)
    # Anything else (names, other calls, subscripts, _()) is not a literal shown as is.


def _text_arguments(call: ast.Call, *, console: bool) -> list[ast.expr]:
    """The arguments of `call` that a person reads."""
    name = _name(call.func)
    positions: tuple[int, ...] | bool | None = False  # False: no positional text
    keywords = TEXT_KEYWORDS | (CONSOLE_KEYWORDS if console else frozenset())
    owner = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(owner, ast.Name) and owner.id in TEXT_DIALOGS:
        positions, keywords = TEXT_DIALOGS[owner.id], keywords | DIALOG_KEYWORDS
    elif name in PROJECT_TEXT_CALLS:
        positions = PROJECT_TEXT_CALLS[name]
    elif name in TEXT_CONSTRUCTORS:
        positions = None
    elif isinstance(call.func, ast.Attribute) and name in TEXT_METHODS:
        positions = TEXT_METHODS[name]
    elif name in USER_FACING_ERRORS:
        positions, keywords = (0,), keywords | {"message"}
    elif console and (name in CONSOLE_CALLS or (
            name == "write" and isinstance(owner, ast.Attribute)
            and owner.attr in ("stdout", "stderr"))):
        positions = None
    texts = [k.value for k in call.keywords if k.arg in keywords]
    if positions is not False:
        texts += [arg for n, arg in enumerate(call.args) if positions is None or n in positions]
    return texts


def unwrapped_strings(source: str, filename: str, *, console: bool) -> list[str]:
    """Literals that reach a person without _() / ngettext, as "file:line: 'text' in call()"."""
    findings = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in TRANSLATING:
            # _(f"…") or _("…" + x) is looked up as built at run time: never in the catalog.
            for argument in node.args:
                if isinstance(argument, ast.JoinedStr) or (
                        isinstance(argument, ast.BinOp) and any(_literals(argument))):
                    findings.append(f"{filename}:{node.lineno}: {name}() of a built string; "
                                    "use a literal with named placeholders and .format()")
            continue
        for argument in _text_arguments(node, console=console):
            for literal in _literals(argument):
                if _has_letters(literal.value) and literal.value not in ALLOWED:
                    findings.append(f"{filename}:{literal.lineno}: {literal.value!r} in {name}()")
    return findings


def test_ui_and_cli_text_is_translated():
    """Every literal text in ui/ and cli/ goes through _() or ngettext (or is allow-listed)."""
    findings = []
    for folder, console in (("ui", False), ("cli", True)):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            findings += unwrapped_strings(path.read_text(encoding="utf-8"),
                                          str(path.relative_to(ROOT)), console=console)
    assert not findings, (
        "Text a person reads must be wrapped: _(\"{count} rows\").format(count=n), or "
        "ngettext for counts; add a technical string to ALLOWED with a reason.\n"
        + "\n".join(findings))


def test_scanner_finds_planted_unwrapped_text():
    """The scanner reports QLabel("Hello"), f-strings, prints and help=; it lets _() pass."""
    planted = (
        'QLabel("Hello")\n'
        'self.button.setToolTip(f"Delete {count} rows")\n'
        'QMessageBox.warning(self, _("Title"), "Something failed")\n'
        'raise ValidationError("Bad value")\n'
    )
    assert unwrapped_strings(planted, "ui.py", console=False) == [
        "ui.py:1: 'Hello' in QLabel()",
        "ui.py:2: 'Delete ' in setToolTip()",
        "ui.py:2: ' rows' in setToolTip()",
        "ui.py:3: 'Something failed' in warning()",
        "ui.py:4: 'Bad value' in ValidationError()",
    ]
    console = 'print("Done.")\np.add_argument("--x", help="the x")\nsys.stderr.write(_(f"{a}"))\n'
    assert unwrapped_strings(console, "cli.py", console=True) == [
        "cli.py:1: 'Done.' in print()",
        "cli.py:2: 'the x' in add_argument()",
        "cli.py:3: _() of a built string; use a literal with named placeholders and .format()",
    ]
    clean = (
        'QLabel(_("Hello"), objectName="greeting")\n'
        'label.setText(_("{count} rows").format(count=n) + " …")\n'
        'label.setText(i18n.ngettext("{n} row", "{n} rows", n).format(n=n))\n'
        'QLabel(f"{office.name} ({office.city})")\n'
        'QFileDialog.getSaveFileName(self, _("Save"), "name.zip", _("Bundles (*.zip)"))\n'
        'sys.stderr.write("\\r" + line + "\\033[K")\n'
        'combo.addItem(_("Polish"), "pl")\n'
        'label.setText(format(value, "f"))\n'
    )
    assert unwrapped_strings(clean, "ui.py", console=True) == []


# --- Runtime behaviour --------------------------------------------------------------------


def test_untranslated_message_falls_back_to_the_source(polish):
    """A message the catalog lacks is shown in English, not lost."""
    assert i18n._("A sentence no catalog has, {name}.") == "A sentence no catalog has, {name}."
    assert i18n.ngettext("{count} unknown thing", "{count} unknown things", 5) == (
        "{count} unknown things")


def test_polish_ngettext_uses_the_three_forms(polish):
    """ngettext picks the Polish form for 1, 2, 5 and 22 (one, few, many, few)."""
    catalog = read_catalog(catalog_path("pl").read_bytes(), "pl")
    message = _pick(catalog, lambda m: isinstance(m.id, tuple) and not m.fuzzy
                    and len(set(m.string)) == 3 and all(m.string))
    singular, plural = message.id
    for n, form in ((1, 0), (2, 1), (5, 2), (22, 1)):
        assert i18n.ngettext(singular, plural, n) == message.string[form], n
