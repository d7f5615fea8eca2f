"""The field-kind registry: every kind has one core object, and the form's cleaning never
accepts a value that a bundle's wire check would refuse (nor the other way round)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Boolean, Date, Integer, String, Text

from euregionet_desktop.domain import programme
from euregionet_desktop.domain.field_kinds import (
    INT_LIMIT,
    LIST_ITEM_MAX_LENGTH,
    LIST_MAX_ITEMS,
    SCORE_NOTE_MAX_LENGTH,
    FieldKind,
)
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services.profile import Core
from euregionet_desktop.services.values import clean_value
from euregionet_desktop.storage.field_kinds import CORE_KINDS, Cleaning, kind_of
from euregionet_desktop.storage.fields import Field, field_map, fields_of
from euregionet_desktop.storage.models import MODEL_BY_ENTITY
from euregionet_desktop.storage.types import DecimalText, JSONList, JSONObject
from euregionet_desktop.sync import wire

ALL_FIELDS = [f for entity in MODEL_BY_ENTITY for f in fields_of(entity)]
SQL_TYPES = {  # what each kind is stored as in SQLite
    FieldKind.TEXT: Text, FieldKind.LONGTEXT: Text, FieldKind.ENUM: String,
    FieldKind.ENUM_LIST: JSONList, FieldKind.LIST: JSONList, FieldKind.REF: String,
    FieldKind.REF_LIST: JSONList, FieldKind.DATE: Date, FieldKind.DATETIME: String, FieldKind.TIME: String,
    FieldKind.INT: Integer, FieldKind.BOOL: Boolean, FieldKind.MONEY: DecimalText,
    FieldKind.SCORES: JSONObject,
}
QUESTION = programme.QUESTION_CODES[0]


def a_field(kind: FieldKind, *, entity: str | None = None) -> Field:
    """The first field of this kind (of ``entity`` if given)."""
    return next(f for f in ALL_FIELDS if f.kind is kind
                and (entity is None or f in fields_of(entity)))


def test_every_column_kind_has_one_core_object():
    """Each field's kind is a FieldKind with a core object whose column type the model uses."""
    used = {f.kind for f in ALL_FIELDS}
    assert used == set(FieldKind), "a kind nobody uses, or a field of an undeclared kind"
    for spec in ALL_FIELDS:
        assert isinstance(spec.kind, FieldKind)
        core = CORE_KINDS[spec.kind]
        assert core.kind is spec.kind
        column = MODEL_BY_ENTITY[next(e for e in MODEL_BY_ENTITY
                                      if spec in fields_of(e))].__table__.c[spec.name]
        assert isinstance(column.type, SQL_TYPES.get(spec.kind, Text)), spec.name


def test_text_fields_all_have_a_limit():
    """Cleaning and wire check read ``max_length``: no text-like field is without one."""
    for spec in ALL_FIELDS:
        if spec.kind.default_max_length is not None:
            assert spec.max_length is not None and spec.max_length <= (
                spec.kind.default_max_length), spec.name


def test_json_forms_round_trip():
    """to_json then from_json gives the stored value back, for the kinds that convert."""
    assert kind_of(FieldKind.DATE).to_json(dt.date(2019, 4, 1)) == "2019-04-01"
    assert kind_of(FieldKind.DATE).from_json("2019-04-01") == dt.date(2019, 4, 1)
    assert kind_of(FieldKind.MONEY).to_json(Decimal("1234.50")) == "1234.50"
    assert kind_of(FieldKind.MONEY).from_json("1234.50") == Decimal("1234.50")
    assert kind_of(FieldKind.LIST).to_json(("a", "b")) == ["a", "b"]
    for kind in FieldKind:
        assert kind_of(kind).to_json(None) is None and kind_of(kind).from_json(None) is None


# --- Typed inputs: what a form or the CLI hands in, near and beyond every limit ----------


def typed_inputs(ids: dict[str, str]) -> list[tuple[Field, Any, str | None, bool]]:
    """(field, typed value, record's country, whether the cleaning must accept it)."""
    text = a_field(FieldKind.TEXT, entity="contact")  # 300 characters
    long = a_field(FieldKind.LONGTEXT)
    country = field_map("cluster")["country"]
    topics = field_map("consultation")["topics"]
    topic = next(iter(topics.choices)).value
    tags = field_map("contact")["tags"]
    cluster_ref = field_map("task")["cluster_id"]
    contact_refs = field_map("consultation")["contact_ids"]
    date = field_map("task")["due_on"]
    held = field_map("consultation")["held_at"]
    number = field_map("consultation")["duration_minutes"]
    start = field_map("event")["start_time"]
    flag = field_map("task")["done"]
    cost = field_map("measure")["cost"]
    scores = field_map("evaluation")["scores"]
    email, phone = field_map("contact")["email"], field_map("contact")["phone"]
    website = field_map("organisation")["website"]
    postal = field_map("organisation")["postal_code"]
    org = field_map("organisation")
    return [
        (text, "Jan", None, True),
        (text, "x" * text.max_length, None, True),
        (text, "x" * (text.max_length + 1), None, False),
        (text, "tab\there\nand a line", None, True),
        (text, "bell\x07", None, False),
        (text, "c1\x85control", None, False),
        (text, "e\u0301 decomposed", None, True),
        (long, "line\r\nline\rline", None, True),
        (long, "y" * long.max_length, None, True),
        (long, "y" * (long.max_length + 1), None, False),
        (country, "pl", None, True),
        (country, "Poland", None, False),
        (topics, [topic, topic.upper()], None, True),
        (topics, [topic] * LIST_MAX_ITEMS, None, True),
        (topics, [topic] * (LIST_MAX_ITEMS + 1), None, False),
        (tags, "energy, logistics, ", None, True),
        (tags, ["z" * LIST_ITEM_MAX_LENGTH], None, True),
        (tags, ["z" * (LIST_ITEM_MAX_LENGTH + 1)], None, False),
        (tags, [f"tag {i}" for i in range(LIST_MAX_ITEMS)], None, True),
        (tags, [f"tag {i}" for i in range(LIST_MAX_ITEMS + 1)], None, False),
        (tags, ["nul\x00"], None, False),
        (cluster_ref, ids["cluster"], None, True),
        (cluster_ref, f" {ids['cluster']} ", None, True),
        (cluster_ref, str(uuid.uuid4()), None, False),
        (contact_refs, [ids["contact"], ids["contact"]], None, True),
        (contact_refs, f"{ids['contact']}, {uuid.uuid4()}", None, False),
        (date, "2019-04-01", None, True),
        (date, "01.04.2019", None, True),
        (date, dt.date(1900, 1, 1), None, True),
        (date, dt.date(2100, 12, 31), None, True),
        (date, dt.date(1, 1, 1), None, False),
        (date, "1899-12-31", None, False),
        (date, "31.02.2019", None, False),
        (held, "2019-04-01 10:30", None, True),
        (held, "01.04.2019 9:05", None, True),
        (held, "2019-04-01", None, True),
        (held, dt.datetime(2019, 4, 1, 10, 30), None, True),
        (held, dt.datetime(999, 1, 1, 10, 30), None, False),
        (held, "2019-04-01 24:00", None, False),
        (number, "12", None, True),
        (number, "-5", None, True),
        (number, str(INT_LIMIT - 1), None, True),
        (number, str(1 - INT_LIMIT), None, True),
        (number, str(INT_LIMIT), None, False),
        (number, str(-INT_LIMIT), None, False),
        (number, "1_000", None, False),
        (start, "9:30", None, True),
        (start, "09.30 Uhr", None, True),
        (start, "18", None, True),
        (start, dt.time(7, 5), None, True),
        (start, "24:00", None, False),
        (start, "9:60", None, False),
        (start, "half past nine", None, False),
        (flag, "tak", None, True),
        (flag, False, None, True),
        (flag, "maybe", None, False),
        (cost, "1 234,56", None, True),
        (cost, Decimal("12.5"), None, True),
        (cost, "999999999999.99", None, True),
        (cost, "1000000000000", None, False),
        (cost, "-1", None, False),
        (scores, {QUESTION: 3}, None, True),
        (scores, f'{{"{QUESTION}": {{"score": 4, "comment": "ok"}}}}', None, True),
        (scores, {QUESTION: {"score": None, "evidence": "e" * SCORE_NOTE_MAX_LENGTH}},
         None, True),
        (scores, {QUESTION: {"score": 1, "comment": "e" * (SCORE_NOTE_MAX_LENGTH + 1)}},
         None, False),
        (scores, {QUESTION: 5}, None, False),
        (scores, {QUESTION: True}, None, False),
        (scores, {"no.such.question": 1}, None, False),
        (email, "Jan.Kowalski@Example.PL", None, True),
        (email, "jan@", None, False),
        (phone, "+48 601 234 567", None, True),
        (phone, "601 234 567", "PL", True),
        (phone, "030 1234567", "DE", True),
        (phone, "12", None, False),
        (website, "www.example.pl", None, True),
        (website, "https://example.pl/" + "p" * 300, None, False),
        (website, "javascript:alert(1)", None, False),
        (postal, "66400", "PL", True),
        (postal, "15230", "DE", True),
        (postal, "AB 123", "XX", True),
        (postal, "1234567890X", "XX", False),
        (org["nip"], "526-000-12-46", None, True),
        (org["nip"], "526-000-12-47", None, False),
        (org["regon"], "123456785", None, True),
        (org["krs"], "12345", None, True),
        (org["vat_id"], "DE 136 695 976", None, True),
        (org["vat_id"], "136695976", "DE", True),
        (org["register_number"], "Frankfurt (Oder) HRB 1234", None, True),
    ]


def test_cleaning_accepts_only_what_the_wire_check_accepts(core: Core, add):
    """Every value the cleaning accepts passes the wire check in its JSON form; every
    value it must refuse is refused."""
    ids = {"cluster": add("cluster", name_pl="Klaster", country="PL"),
           "contact": add("contact", last_name="Nowak")}
    inputs = typed_inputs(ids)
    assert {spec.kind for spec, *_rest in inputs} == set(FieldKind), "every kind is walked"

    def clean_all(session):
        results = []
        for spec, value, country, _accept in inputs:
            entity = next(e for e in MODEL_BY_ENTITY if spec in fields_of(e))
            try:
                results.append(clean_value(session, entity, spec, value,
                                           {"_country": country}))
            except ValidationError as error:
                assert error.field == spec.name and error.entity == entity
                results.append(error)
        return results

    for (spec, value, _country, accept), result in zip(
            inputs, core.backend.read(clean_all), strict=True):
        shown = f"{spec.name} {str(value)[:40]!r}"
        if not accept:
            assert isinstance(result, ValidationError), f"{shown} was accepted"
            continue
        assert not isinstance(result, ValidationError), f"{shown}: {result}"
        assert spec.accepts_json(kind_of(spec.kind).to_json(result)), (
            f"{shown} cleaned to {result!r}, which a bundle refuses")
        assert wire.value_ok(spec, kind_of(spec.kind).to_json(result))


# --- The other way round: what a bundle refuses, a form refuses too ----------------------


def wire_refusals() -> list[tuple[Field, Any]]:
    """JSON forms the wire check refuses, each also a value a person could type."""
    text = a_field(FieldKind.TEXT, entity="contact")
    tags = field_map("contact")["tags"]
    return [
        (text, "x" * (text.max_length + 1)),
        (text, "nul\x00inside"),
        (a_field(FieldKind.LONGTEXT), "y" * (a_field(FieldKind.LONGTEXT).max_length + 1)),
        (tags, ["z" * (LIST_ITEM_MAX_LENGTH + 1)]),
        (tags, [f"t{i}" for i in range(LIST_MAX_ITEMS + 1)]),
        (field_map("measure")["cost"], "1000000000000.00"),
        (field_map("consultation")["duration_minutes"], INT_LIMIT),
        (field_map("consultation")["held_at"], "2019-02-30 10:00"),
        (field_map("task")["due_on"], "2019-13-01"),
        (field_map("evaluation")["scores"],
         {QUESTION: {"score": 2, "comment": "c" * (SCORE_NOTE_MAX_LENGTH + 1)}}),
        (field_map("organisation")["website"], "https://example.pl/" + "p" * 300),
    ]


@pytest.mark.parametrize("case", range(len(wire_refusals())))
def test_what_a_bundle_refuses_a_form_refuses(case: int):
    """A value the wire check refuses is refused by the cleaning as well."""
    spec, value = wire_refusals()[case]
    assert not spec.accepts_json(value)
    with pytest.raises(ValidationError):
        kind_of(spec.kind).clean(value, spec, _no_references("PL"))


def test_positive_controls_pass_both():
    """The refusals above are for the limit, not the shape: one less passes both checks."""
    text = a_field(FieldKind.TEXT, entity="contact")
    tags = field_map("contact")["tags"]
    for spec, value in [(text, "x" * text.max_length),
                        (tags, [f"t{i}" for i in range(LIST_MAX_ITEMS)]),
                        (field_map("measure")["cost"], "999999999999.99"),
                        (field_map("consultation")["duration_minutes"], INT_LIMIT - 1)]:
        assert spec.accepts_json(value), spec.name
        cleaned = kind_of(spec.kind).clean(
            value if not isinstance(value, int) else str(value), spec, _no_references("PL"))
        assert spec.accepts_json(kind_of(spec.kind).to_json(cleaned)), spec.name


def _no_references(country: str | None) -> Cleaning:
    def refuse(spec: Field, record_id: str) -> str:
        raise AssertionError(f"{spec.name} is not a reference field")
    return Cleaning(country=country, ensure_ref=refuse)


# --- Random input: whatever the cleaning accepts, the wire check accepts -----------------

PROPERTY_FIELDS = [f for f in ALL_FIELDS if not f.kind.is_reference]
# Characters near the edges: controls, C1, surrogate, combining, separators, digits.
TYPED = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(
        "\x00\x07\t\n\r\x85\u0301\ud800 ,.-:+0123456789"), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.lists(st.text(max_size=8), max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(spec=st.sampled_from(PROPERTY_FIELDS), value=TYPED,
       country=st.sampled_from([None, "PL", "DE", "XX"]))
def test_random_input_cleaned_fits_the_wire(spec: Field, value: Any, country: str | None):
    """Random typed input: accepted means storable and sendable."""
    try:
        cleaned = kind_of(spec.kind).clean(value, spec, _no_references(country))
    except ValidationError:
        return
    assert spec.accepts_json(kind_of(spec.kind).to_json(cleaned)), (spec.name, cleaned)
