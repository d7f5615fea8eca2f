"""How the window edits and shows each field kind: one editor and one formatter per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.domain.validation import format_phone_national
from euregionet_desktop.i18n import (
    _,
    babel_locale,
    format_date,
    format_money,
    format_stored_minute,
)
from euregionet_desktop.services.dto import FieldSpec
from euregionet_desktop.ui.field_editors import (
    ChoiceEditor,
    ChoicesEditor,
    DateEditor,
    DateTimeEditor,
    FieldEditor,
    FlagEditor,
    LongTextEditor,
    RefEditor,
    RefListEditor,
    TextEditor,
)
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.vocabulary_editor import VocabularyEditor

EditorFactory = Callable[[FieldSpec, OpRunner], FieldEditor]
# A value (not None) as a list cell shows it; money in the row's currency if it names one.
Formatter = Callable[[FieldSpec, Any, "str | None"], str]


def _plain(spec: FieldSpec, value: Any, currency: str | None) -> str:
    if spec.vocabulary:  # a region stored as a code reads as its label
        return dict(spec.vocabulary).get(str(value), str(value))
    return str(value)


def _joined(spec: FieldSpec, value: Any, currency: str | None) -> str:
    labels = dict(spec.vocabulary)
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


def _chosen(spec: FieldSpec, value: Any, currency: str | None) -> str:
    labels = dict(spec.choices)
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    return labels.get(value, value)


def _yes_no(spec: FieldSpec, value: Any, currency: str | None) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _date(spec: FieldSpec, value: Any, currency: str | None) -> str:
    # A date typed on a child row but not a date after all is shown as typed.
    return format_date(value) if isinstance(value, dt.date) else str(value)


def _minute(spec: FieldSpec, value: Any, currency: str | None) -> str:
    return format_stored_minute(value) if isinstance(value, str) else str(value)


def _phone(spec: FieldSpec, value: Any, currency: str | None) -> str:
    return format_phone_national(value)


def _money(spec: FieldSpec, value: Any, currency: str | None) -> str:
    """An amount with two decimals the language's way: 54.000,00 € or 54 000,00."""
    try:
        amount = Decimal(str(value))  # a row not yet saved holds the text as typed
    except InvalidOperation:
        return str(value)
    if currency:
        return format_money(amount, currency)
    return format_decimal(amount, format="#,##0.00", locale=babel_locale())


def _text_editor(placeholder: Callable[[], str] | None = None, *,
                 shown: Callable[[Any], str] | None = None) -> EditorFactory:
    """A line edit; the placeholder is translated when the editor is made. A field with a
    translated list of known values (sectors, regions) offers it."""
    return lambda spec, runner: VocabularyEditor(spec) if spec.vocabulary else TextEditor(
        spec, placeholder=placeholder() if placeholder else None, shown=shown)


@dataclass(frozen=True)
class KindView:
    """The window's side of one field kind."""

    editor: EditorFactory
    display: Formatter = _plain
    # Taller than a line: placed on the form's tail, its label level with its first line.
    multi_line: bool = False
    # Shown and edited among the other fields (the scores have a tab and an editor of their
    # own).
    among_fields: bool = True
    # A child row shows it from its value each time rather than as the editor's text:
    # an amount typed as "1234,5" reads in the row's currency.
    row_text_from_value: bool = False

    def logged(self, spec: FieldSpec, value: Any, names: Mapping[str, str]) -> str:
        """A value (not None) in its JSON form, from the change log, as a person reads it."""
        return self.display(spec, value, None)


class _ReferenceView(KindView):
    def logged(self, spec: FieldSpec, value: Any, names: Mapping[str, str]) -> str:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get(i, str(i)) for i in ids)


class _DateView(KindView):
    def logged(self, spec: FieldSpec, value: Any, names: Mapping[str, str]) -> str:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:  # not a date after all: show what was written
                return value
        return self.display(spec, value, None)


class _ScoresView(KindView):
    def logged(self, spec: FieldSpec, value: Any, names: Mapping[str, str]) -> str:
        return _("(scores)")


KIND_VIEWS: Mapping[FieldKind, KindView] = {
    FieldKind.TEXT: KindView(_text_editor()),
    FieldKind.LONGTEXT: KindView(lambda spec, runner: LongTextEditor(spec), multi_line=True),
    FieldKind.ENUM: KindView(lambda spec, runner: ChoiceEditor(spec), _chosen),
    FieldKind.ENUM_LIST: KindView(lambda spec, runner: ChoicesEditor(spec), _chosen),
    FieldKind.LIST: KindView(_text_editor(lambda: _("separate entries with commas")), _joined),
    FieldKind.REF: _ReferenceView(lambda spec, runner: RefEditor(spec, runner)),
    FieldKind.REF_LIST: _ReferenceView(lambda spec, runner: RefListEditor(spec, runner),
                                       _joined, multi_line=True),
    FieldKind.DATE: _DateView(lambda spec, runner: DateEditor(spec), _date),
    FieldKind.DATETIME: KindView(lambda spec, runner: DateTimeEditor(spec), _minute),
    FieldKind.TIME: KindView(_text_editor(lambda: _("HH:MM"))),
    FieldKind.INT: KindView(_text_editor()),
    FieldKind.BOOL: KindView(lambda spec, runner: FlagEditor(spec), _yes_no),
    FieldKind.MONEY: KindView(_text_editor(lambda: _("1234.56")), _money,
                              row_text_from_value=True),
    FieldKind.SCORES: _ScoresView(_text_editor(), among_fields=False),
    FieldKind.EMAIL: KindView(_text_editor(lambda: _("name@example.org"))),
    FieldKind.PHONE: KindView(_text_editor(lambda: _("+48 68 123 45 67"),
                                           shown=format_phone_national), _phone),
    FieldKind.URL: KindView(_text_editor(lambda: "https://")),
    FieldKind.NIP: KindView(_text_editor(lambda: "526-000-12-46")),
    FieldKind.REGON: KindView(_text_editor()),
    FieldKind.KRS: KindView(_text_editor()),
    FieldKind.VAT_ID: KindView(_text_editor(lambda: "DE123456789")),
    FieldKind.REGISTER: KindView(_text_editor()),
    FieldKind.POSTAL_CODE: KindView(_text_editor(lambda: _("66-400 or 15230"))),
}


def view_of(kind: str) -> KindView:
    """The window's editor and formatter for a field kind."""
    return KIND_VIEWS[kind]


def editor_for(spec: FieldSpec, runner: OpRunner) -> FieldEditor:
    """The input widget for a field of the given kind."""
    return KIND_VIEWS[spec.kind].editor(spec, runner)


def display_value(spec: FieldSpec, value: Any, *, currency: str | None = None) -> str:
    """How a field value reads in a list cell; money with the row's ``currency`` if known."""
    if value is None:
        return ""
    return KIND_VIEWS[spec.kind].display(spec, value, currency)
