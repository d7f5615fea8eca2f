"""The window's field-kind registry: an editor and a formatter for every kind a model uses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.i18n import format_date, format_money
from euregionet_desktop.services import records
from euregionet_desktop.services.entities import ENTITY_LABELS
from euregionet_desktop.ui.field_editors import (
    ChoiceEditor,
    DateEditor,
    FieldEditor,
    FlagEditor,
    LongTextEditor,
    RefListEditor,
    TextEditor,
)
from euregionet_desktop.ui.field_kinds import KIND_VIEWS, display_value, editor_for, view_of

SAMPLES = {  # a stored value of each kind, as the services hand it to the window
    FieldKind.TEXT: "Jan", FieldKind.LONGTEXT: "one\ntwo", FieldKind.LIST: ["a", "b"],
    FieldKind.REF: "0f0e0d0c-0b0a-4000-8000-000000000001",
    FieldKind.REF_LIST: ["0f0e0d0c-0b0a-4000-8000-000000000001"],
    FieldKind.DATE: dt.date(2019, 4, 1), FieldKind.DATETIME: "2019-04-01 10:30",
    FieldKind.TIME: "09:30",
    FieldKind.INT: 12, FieldKind.BOOL: True, FieldKind.MONEY: Decimal("1234.50"),
    FieldKind.SCORES: {"structure.members": {"score": 3}}, FieldKind.EMAIL: "jan@example.pl",
    FieldKind.PHONE: "+48601234567", FieldKind.URL: "https://example.pl",
    FieldKind.NIP: "5260001246", FieldKind.REGON: "123456785", FieldKind.KRS: "0000012345",
    FieldKind.VAT_ID: "DE136695976", FieldKind.REGISTER: "Cottbus HRB 1234 CB",
    FieldKind.POSTAL_CODE: "66-400",
}


def all_specs():
    return [spec for entity in ENTITY_LABELS for spec in records.field_specs(entity)]


def test_every_kind_a_model_uses_has_an_editor_and_a_formatter(qtbot, core):
    """Each field of each entity gets an editor from the registry and reads as text."""
    specs = all_specs()
    assert {s.kind for s in specs} == set(FieldKind) == set(KIND_VIEWS)
    for spec in specs:
        editor = editor_for(spec, core.backend)
        qtbot.addWidget(editor)
        assert isinstance(editor, FieldEditor) and editor.spec is spec
        value = (spec.choices[0][0] if spec.kind is FieldKind.ENUM
                 else [c for c, _label in spec.choices[:2]] if spec.kind is FieldKind.ENUM_LIST
                 else SAMPLES[spec.kind])
        text = display_value(spec, value, currency="EUR")
        assert isinstance(text, str) and text, spec.name
        assert display_value(spec, None) == ""


def test_editors_and_formats_per_kind(qtbot, core):
    """The registry picks the widget and the format each kind had before."""
    specs = {(s.name, s.kind): s for s in records.field_specs("contact")}
    by_kind = {kind: spec for (_name, kind), spec in specs.items()}
    expected = {FieldKind.TEXT: TextEditor, FieldKind.LONGTEXT: LongTextEditor,
                FieldKind.ENUM: ChoiceEditor, FieldKind.DATE: DateEditor,
                FieldKind.LIST: TextEditor, FieldKind.PHONE: TextEditor}
    for kind, widget in expected.items():
        editor = editor_for(by_kind[kind], core.backend)
        qtbot.addWidget(editor)
        assert type(editor) is widget, kind
    phone = editor_for(by_kind[FieldKind.PHONE], core.backend)
    qtbot.addWidget(phone)
    phone.set_value("+48601234567")
    assert phone.edit.text() == "601 234 567"  # shown nationally, as in the list
    assert display_value(by_kind[FieldKind.PHONE], "+48601234567") == "601 234 567"
    assert phone.edit.placeholderText()
    tags = editor_for(by_kind[FieldKind.LIST], core.backend)
    qtbot.addWidget(tags)
    assert tags.edit.placeholderText() and tags.edit.placeholderText() != (
        phone.edit.placeholderText())
    consultation = {s.name: s for s in records.field_specs("consultation")}
    participants = editor_for(consultation["contact_ids"], core.backend)
    qtbot.addWidget(participants)
    assert type(participants) is RefListEditor and view_of(FieldKind.REF_LIST).multi_line
    task = {s.name: s for s in records.field_specs("task")}
    done = editor_for(task["done"], core.backend)
    qtbot.addWidget(done)
    assert type(done) is FlagEditor
    cost = {s.name: s for s in records.field_specs("measure")}["cost"]
    assert display_value(cost, Decimal("1234.5"), currency="EUR") == format_money(
        Decimal("1234.50"), "EUR")
    assert view_of(cost.kind).row_text_from_value
    assert display_value(task["due_on"], dt.date(2019, 4, 1)) == format_date(
        dt.date(2019, 4, 1))


def test_history_reads_json_forms(core):
    """Change-log values (JSON forms) read like the fields: dates, names, scores."""
    task = {s.name: s for s in records.field_specs("task")}
    assert view_of(FieldKind.DATE).logged(task["due_on"], "2019-04-01", {}) == format_date(
        dt.date(2019, 4, 1))
    assert view_of(FieldKind.DATE).logged(task["due_on"], "someday", {}) == "someday"
    assert view_of(FieldKind.REF).logged(task["cluster_id"], "id-1", {"id-1": "Klaster"}) == (
        "Klaster")
    evaluation = {s.name: s for s in records.field_specs("evaluation")}
    assert not view_of(FieldKind.SCORES).among_fields
    assert view_of(FieldKind.SCORES).logged(evaluation["scores"], {}, {}) != str({})
