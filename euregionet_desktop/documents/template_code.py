"""The allowed template code: a jinja2 syntax tree walked, names resolved to fields.

``Walker`` refuses every construct outside a small subset of jinja2 (fields, for, if,
comparisons, a few filters and tests), resolves each name against the schema of the kind of
document (schema.SCHEMAS) and collects the fields a template uses.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from euregionet_desktop.documents import schema as schemas
from euregionet_desktop.documents.findings import ERROR, Finding
from euregionet_desktop.i18n import N_, _

# Not "center" (spaces line nothing up in a proportional font, and center(10**9) builds a
# gigabyte); not safe/e/escape (they defeat or duplicate autoescaping), nor format, attr,
# map, select, reject, groupby, sort, xmlattr, indent, tojson, pprint (they reach attributes,
# build structures or write markup).
_FILTERS = frozenset({"default", "upper", "lower", "title", "capitalize", "trim", "length",
                      "count", "join", "first", "last", "replace", "truncate", "wordcount"})
_TESTS = frozenset({"defined", "undefined", "none", "number", "string", "even", "odd",
                    "divisibleby", "eq", "ne", "in"})
_LOOP_FIELDS = ("index", "index0", "first", "last", "length", "revindex")
_CONSTRUCTS: dict[type, str] = {
    nodes.Call: N_("a function call, such as range(…)"),
    nodes.Macro: N_("a macro ({% macro %})"), nodes.CallBlock: N_("a call block ({% call %})"),
    nodes.Import: N_("an import ({% import %})"),
    nodes.FromImport: N_("an import ({% from … import %})"),
    nodes.Include: N_("an include ({% include %})"),
    nodes.Extends: N_("template inheritance ({% extends %})"),
    nodes.Block: N_("a block ({% block %})"),
    nodes.Assign: N_("a variable ({% set %})"), nodes.AssignBlock: N_("a variable ({% set %})"),
    nodes.With: N_("a {% with %} block"), nodes.FilterBlock: N_("a {% filter %} block"),
    nodes.ExprStmt: N_("a {% do %} statement"),
    nodes.Scope: N_("an {% autoescape %} block"),
    nodes.EvalContextModifier: N_("an {% autoescape %} block"),
    nodes.Dict: N_("a dictionary ({…})"), nodes.List: N_("a list ([…])"),
    nodes.Tuple: N_("a tuple (…, …)"), nodes.Slice: N_("a slice, such as [1:3]"),
    nodes.BinExpr: N_("arithmetic (+, -, *, /, **, //, %)"),
    nodes.UnaryExpr: N_("arithmetic (+, -, *, /, **, //, %)"),
}
# range, lipsum, cycler, joiner, namespace, dict… and the template itself: never fields.
_BUILT_INS = frozenset({*SandboxedEnvironment().globals, "self"})
_ANY = object()  # the shape of a field when no kind is given: anything may follow


@dataclass(frozen=True)
class _Field:
    path: str  # in schema terms: "cluster.name", "measures[].title"
    shape: Any  # None (a text), a schema dict, a one-element list of one, or _ANY


# Other values: something computed (a comparison, a filter's result, a constant), the loop
# variable, and a name already reported (so one typo gives one finding).
_PLAIN, _LOOP, _UNKNOWN = "plain", "loop", "unknown"


def _written(node: nodes.Node) -> str:
    """How the template writes an expression, as far as it is a name: "m.title", "x[0]"."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_written(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_written(node.node)}|{node.name}"
    if isinstance(node, nodes.Call):
        return _written(node.node)
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return ""


def _dotted(shape: Any, prefix: str = "") -> Iterable[str]:
    """Every name a schema offers as a text or a list, as a template writes it
    ("cluster.name", "measures", "measures[0].title")."""
    for name, sub in shape.items() if isinstance(shape, dict) else ():
        if not isinstance(sub, dict):
            yield f"{prefix}{name}"
        if isinstance(sub, dict):
            yield from _dotted(sub, f"{prefix}{name}.")
        elif isinstance(sub, list):
            yield from _dotted(sub[0], f"{prefix}{name}[0].")


class Walker:
    """Walks parsed template code: refuses what is not allowed, resolves names against the
    schema of the document (None: any name) and collects the fields used."""

    def __init__(self, schema: schemas.Schema | None, findings: list[Finding]) -> None:
        self.schema, self.findings = schema, findings
        self.used: set[str] = set()
        self.locate: Callable[[int, str], str] = lambda _lineno, _needle: ""

    def walk(self, tree: nodes.Template, locate: Callable[[int, str], str]) -> None:
        self.locate = locate
        try:
            self.statements(tree.body, {})
        except RecursionError:  # jinja parsed it, but only just
            self.findings.append(Finding(ERROR, locate(0, ""), _(
                "The template code here is nested too deeply to be checked. Simplify it.")))

    def error(self, node: nodes.Node, message: str, needle: str | None = None) -> None:
        # Some nodes ({% autoescape %}) carry no line number; their contents do.
        lineno = node.lineno or next((inner.lineno for inner in node.find_all(nodes.Node)
                                      if inner.lineno), 0)
        where = self.locate(lineno, _written(node) if needle is None else needle)
        self.findings.append(Finding(ERROR, where, message))

    def refuse(self, node: nodes.Node, construct: str | None = None) -> str:
        if construct is None:
            known = next((_CONSTRUCTS[kind] for kind in type(node).__mro__
                          if kind in _CONSTRUCTS), None)
            construct = _(known) if known else f"“{type(node).__name__}”"
        self.error(node, _("The template uses {construct}, which templates may not contain. "
                           "Remove it: a template only shows fields, repeats parts with “for” "
                           "and chooses parts with “if”.").format(construct=construct))
        return _UNKNOWN

    # Statements -------------------------------------------------------------------------

    def statements(self, body: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if not isinstance(child, nodes.TemplateData):
                        self.printable(child, self.expr(child, scope))
            elif isinstance(node, nodes.If):
                self.expr(node.test, scope)
                self.statements(node.body, scope)
                self.statements([*node.elif_, *node.else_], scope)
            elif isinstance(node, nodes.For):
                self.loop(node, scope)
            else:
                self.refuse(node)

    def loop(self, node: nodes.For, scope: dict[str, Any]) -> None:
        if node.recursive:
            self.refuse(node, _("a recursive loop"))
        element = self.element_of(self.expr(node.iter, scope), node.iter)
        inner = dict(scope)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = element
        elif isinstance(node.target, nodes.Tuple) and all(
                isinstance(item, nodes.Name) for item in node.target.items):
            inner.update((item.name, _UNKNOWN) for item in node.target.items)
        else:
            self.refuse(node.target)
        if node.test is not None:
            self.expr(node.test, inner)
        self.statements(node.body, {**inner, "loop": _LOOP})
        self.statements(node.else_, scope)

    # Expressions ------------------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: dict[str, Any], tail: str = "") -> Any:
        """The value of an expression; `tail` is what the template writes after it."""
        if isinstance(node, nodes.Name):
            value = self.name(node, scope, tail)
        elif isinstance(node, nodes.Getattr):
            value = self.getattr(node, scope, tail)
        elif isinstance(node, nodes.Getitem):
            value = self.getitem(node, scope, tail)
        else:
            return self.operation(node, scope)
        if not tail and isinstance(value, _Field):
            self.used.add(value.path)
        return value

    def name(self, node: nodes.Name, scope: dict[str, Any], tail: str) -> Any:
        if node.name in scope:
            return scope[node.name]
        if node.name == "loop":
            self.error(node, _("“loop” can only be used inside a for loop."))
            return _UNKNOWN
        if node.name in _BUILT_INS:
            self.error(node, _("“{name}” is part of the template language, not a field; "
                               "templates may not use it.").format(name=node.name))
            return _UNKNOWN
        if self.schema is None:
            return _Field(node.name, _ANY)
        if node.name in self.schema:
            return _Field(node.name, self.schema[node.name])
        self.unknown(node, node.name + tail, scope, [*scope, *self.schema])
        return _UNKNOWN

    def getattr(self, node: nodes.Getattr, scope: dict[str, Any], tail: str) -> Any:
        if node.attr.startswith("_"):
            return self.refuse(node, _("a hidden attribute (a name starting with “_”)"))
        base = self.expr(node.node, scope, f".{node.attr}{tail}")
        owner = _written(node.node)
        if base == _LOOP and node.attr in _LOOP_FIELDS:
            return _PLAIN
        if base == _LOOP:
            self.error(node, _("“loop.{name}” does not exist. Inside a for loop you can use "
                               "{fields}.").format(name=node.attr, fields=", ".join(
                                   f"loop.{name}" for name in _LOOP_FIELDS)))
        elif isinstance(base, _Field) and base.shape is _ANY:
            return _Field(f"{base.path}.{node.attr}", _ANY)
        elif isinstance(base, _Field) and isinstance(base.shape, dict):
            if node.attr in base.shape:
                return _Field(f"{base.path}.{node.attr}", base.shape[node.attr])
            self.unknown(node, _written(node) + tail, scope, base.shape, owner, node.attr)
        elif isinstance(base, _Field) and isinstance(base.shape, list):
            self.error(node, _("“{name}” is a list: use its entries inside a for loop, or one "
                               "entry, such as “{example}”.").format(
                                   name=owner, example=f"{owner}[0].{node.attr}"))
        elif base != _UNKNOWN:
            self.error(node, _("“{name}” is a text and has no fields, so “{written}” does not "
                               "exist.").format(name=owner, written=_written(node)))
        return _UNKNOWN

    def getitem(self, node: nodes.Getitem, scope: dict[str, Any], tail: str) -> Any:
        index = node.arg
        if isinstance(index, nodes.Slice):
            return self.refuse(index)
        if not (isinstance(index, nodes.Const) and type(index.value) is int and index.value >= 0):
            return self.refuse(node, _("square brackets with something other than a number, "
                                       "such as [0]"))
        return self.element_of(self.expr(node.node, scope, f"[{index.value}]{tail}"), node.node)

    def element_of(self, value: Any, node: nodes.Node) -> Any:
        """An entry of a list (for a loop or [0])."""
        if isinstance(value, _Field) and value.shape is _ANY:
            return _Field(f"{value.path}[]", _ANY)
        if isinstance(value, _Field) and isinstance(value.shape, list):
            return _Field(f"{value.path}[]", value.shape[0])
        if value != _UNKNOWN:
            self.error(node, _("“{name}” is not a list: a for loop cannot go through it and "
                               "[0] cannot pick from it.").format(name=_written(node)))
        return _UNKNOWN

    def operation(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Const):
            return _PLAIN if node.value is None or type(node.value) in (
                str, int, float, bool) else self.refuse(node)
        if isinstance(node, nodes.Compare):
            for operand in (node.expr, *(op.expr for op in node.ops)):
                self.expr(operand, scope)
        elif isinstance(node, nodes.And | nodes.Or):
            self.expr(node.left, scope)
            self.expr(node.right, scope)
        elif isinstance(node, nodes.Not):
            self.expr(node.node, scope)
        elif isinstance(node, nodes.Concat):
            for part in node.nodes:
                self.printable(part, self.expr(part, scope))
        elif isinstance(node, nodes.CondExpr):
            return self.condition(node, scope)
        elif isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        elif isinstance(node, nodes.Test):
            self.test(node, scope)
        elif isinstance(node, nodes.Neg | nodes.Pos) and isinstance(node.node, nodes.Const) \
                and type(node.node.value) in (int, float):
            pass  # a negative number
        elif (isinstance(node, nodes.Mul) and isinstance(node.left, nodes.Const)
              and type(node.left.value) is int and _written(node.right) == "loop.length"):
            self.expr(node.right, scope)  # written by docxtpl for {% hm %}
        else:
            return self.refuse(node)
        return _PLAIN

    def condition(self, node: nodes.CondExpr, scope: dict[str, Any]) -> Any:
        self.expr(node.test, scope)
        first = self.expr(node.expr1, scope)
        if node.expr2 is None:  # StrictUndefined: fails whenever the condition is false
            self.error(node, _("“… if …” without “else” fails when its condition is false. "
                               "Add an “else”, for example “… else ''”."))
            return first
        return first if self.expr(node.expr2, scope) == first else _UNKNOWN

    def filter(self, node: nodes.Filter, scope: dict[str, Any]) -> Any:
        if node.name not in _FILTERS:
            self.error(node, _("The template uses the filter “{name}”, which templates may not "
                               "use. The filters allowed are: {allowed}.").format(
                                   name=node.name, allowed=", ".join(sorted(_FILTERS))),
                       needle=node.name)
            return _UNKNOWN
        if node.node is None or node.dyn_args or node.dyn_kwargs:
            return self.refuse(node, _("arguments passed with * or **"))
        value = self.expr(node.node, scope)
        for argument in (*node.args, *(keyword.value for keyword in node.kwargs)):
            self.printable(argument, self.expr(argument, scope))
        if node.name in ("length", "count", "wordcount"):
            return _PLAIN
        if node.name == "default":
            return value
        if node.name in ("first", "last") and isinstance(value, _Field) and (
                isinstance(value.shape, list)):
            return self.element_of(value, node.node)
        if node.name == "join":
            return self.join(node, value)
        if node.name == "replace":
            self.replace(node)
        self.printable(node.node, value)  # the other filters work on a text
        return _PLAIN

    def join(self, node: nodes.Filter, value: Any) -> Any:
        attribute = next((keyword.value for keyword in node.kwargs
                          if keyword.key == "attribute"), None)
        if attribute is None:
            if isinstance(value, _Field) and isinstance(value.shape, list):
                name = _written(node.node)
                self.error(node, _("The entries of “{name}” have several fields; say which one "
                                   "to join, for example “{example}”.").format(
                                       name=name, example=f'{name}|join(", ", attribute="…")'))
            return _PLAIN
        if not (isinstance(attribute, nodes.Const) and isinstance(attribute.value, str)
                and re.fullmatch(r"[A-Za-z]\w*", attribute.value)):
            return self.refuse(node, _("a join over something other than a field name"))
        entry = self.element_of(value, node.node)
        if isinstance(entry, _Field) and (entry.shape is _ANY or attribute.value in entry.shape):
            self.used.add(f"{entry.path}.{attribute.value}")
        elif isinstance(entry, _Field):
            name = _written(node.node)
            self.unknown(node, f"{name}[0].{attribute.value}", {}, entry.shape, f"{name}[0]",
                         attribute.value)
        return _PLAIN

    def replace(self, node: nodes.Filter) -> None:
        # One fixed replacement per placeholder: chained ones could multiply a text's length.
        arguments = node.args
        fixed = (len(arguments) in (2, 3) and not node.kwargs
                 and all(isinstance(argument, nodes.Const) for argument in arguments)
                 and isinstance(arguments[0].value, str) and arguments[0].value != ""
                 and isinstance(arguments[1].value, str))
        inner = [node.node, *node.node.find_all(nodes.Filter)]
        if not fixed or any(isinstance(filter_, nodes.Filter) and filter_.name == "replace"
                            for filter_ in inner):
            self.error(node, _("“replace” may only swap one fixed text for another, once per "
                               "placeholder, as in replace(\"old\", \"new\")."), needle="replace")

    def test(self, node: nodes.Test, scope: dict[str, Any]) -> None:
        if node.name not in _TESTS:
            self.error(node, _("The template uses the test “{name}”, which templates may not "
                               "use. The tests allowed are: {allowed}.").format(
                                   name=node.name, allowed=", ".join(sorted(_TESTS))),
                       needle=node.name)
        elif node.dyn_args or node.dyn_kwargs:
            self.refuse(node, _("arguments passed with * or **"))
        for argument in (node.node, *node.args, *(keyword.value for keyword in node.kwargs)):
            self.expr(argument, scope)

    def printable(self, node: nodes.Node, value: Any) -> None:
        """Report a value that cannot be shown as a text: a list, a group of fields, loop."""
        name = _written(node) or (value.path if isinstance(value, _Field) else "")
        if value == _LOOP:
            self.error(node, _("“loop” itself cannot be shown; use loop.index, for example."))
        elif isinstance(value, _Field) and isinstance(value.shape, list):
            self.error(node, _("“{name}” is a list, not a text. Show its entries with “{loop}”, "
                               "or their number with “{count}”.").format(
                                   name=name, loop=f"{{% for item in {name} %}}…{{% endfor %}}",
                                   count=f"{{{{ {name}|length }}}}"))
        elif isinstance(value, _Field) and isinstance(value.shape, dict):
            example = next(iter(schemas.leaf_names(value.shape, f"{name}.")), name)
            self.error(node, _("“{name}” is a group of fields, not a text. Show one of its "
                               "fields, such as “{example}”.").format(name=name, example=example))

    def unknown(self, node: nodes.Node, written: str, scope: dict[str, Any],
                level: Iterable[str], owner: str = "", attr: str = "") -> None:
        """Report an unknown name with the closest known one. Asked of a group (`owner`),
        only that group's fields are compared, on the last name alone: compared in full,
        "cluster.xyzzy" would look like any "cluster.…"."""
        names = [name for name in level if name != "loop"]
        if owner:
            close = [f"{owner}.{name}" for name in difflib.get_close_matches(attr, names, 1, 0.6)]
        else:
            candidates = [name for name in _dotted(self.schema)
                          if re.split(r"[.\[]", name, maxsplit=1)[0] not in scope]
            for variable, value in scope.items():
                if value == _LOOP:
                    candidates += [f"loop.{name}" for name in _LOOP_FIELDS]
                elif isinstance(value, _Field):
                    candidates += [variable, *_dotted(value.shape, f"{variable}.")]
            close = difflib.get_close_matches(written, candidates, n=1, cutoff=0.6)
        if close:
            message = _("“{name}” is not a field of this document. Did you mean “{suggestion}”?"
                        ).format(name=written, suggestion=close[0])
        else:
            message = (_("“{name}” is not a field of this document. The fields here include "
                         "{fields}.") if len(names) > 8 else _(
                "“{name}” is not a field of this document. The fields here are {fields}.")
            ).format(name=written, fields=", ".join(names[:8]))
        self.error(node, message, needle=written)
