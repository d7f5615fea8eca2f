"""A bundle's change lines read the short way and the long way alike (sync/wire.py).

``parse_changes`` accepts the usual line (a field of a record by the member's installation,
replacing nothing) with the checks inlined, and sends every other line to ``parse_change``,
which accepts or refuses it naming the problem. The short way must accept a subset of what
the long way does, never more, and build the same change: every line here, valid or
hostile, goes both ways and the outcomes are compared.
"""

from __future__ import annotations

import uuid

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from euregionet_desktop.errors import BundleError
from euregionet_desktop.storage.fields import field_map
from euregionet_desktop.sync import clock, wire

INSTALLATION = str(uuid.UUID(int=1))
RECORD = str(uuid.UUID(int=2))
AUTHOR = str(uuid.UUID(int=3))
MEMBER = f"changes/{INSTALLATION}.jsonl"

JSON_SCALARS = (st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12))
JSON = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=6)
IDS = st.sampled_from([INSTALLATION, RECORD, AUTHOR, str(uuid.UUID(int=4)), "not-an-id",
                       RECORD.upper(), ""])
ENTITIES = st.sampled_from(["contact", "cluster", "event", "office", "installation",
                            "indicator", "no_such_entity", ""])
FIELDS = st.sampled_from(["last_name", "email", "starts_on", "deleted", "name_pl", "code",
                          "office_id", "tags", "no_such_field", ""])


def _usual() -> dict:
    return {"a": AUTHOR, "e": "contact", "f": "last_name", "h": 1 << 50,
            "i": INSTALLATION, "r": RECORD, "s": 1, "v": "Kowalski", "x": []}


def _line(data: dict) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _both_ways(line: bytes) -> tuple[object, object]:
    """(what parse_changes gives for a member of this one line, what parse_change gives):
    a WireChange or the refusal's text."""
    def outcome(read):
        try:
            return read()
        except BundleError as error:
            return str(error)

    short = outcome(lambda: wire.parse_changes(line + b"\n", MEMBER, INSTALLATION)[0])
    long = outcome(lambda: wire.parse_change(line, MEMBER, 1))
    if not isinstance(long, str) and long.installation != INSTALLATION:
        long = "another installation"
    return short, long


def _agree(line: bytes) -> None:
    short, long = _both_ways(line)
    if isinstance(long, str):
        assert isinstance(short, str), (line, short)
    else:
        assert short == long and short.line_received == line, (line, short, long)


def test_the_usual_line_is_read_alike():
    short, long = _both_ways(_line(_usual()))
    assert not isinstance(short, str) and short == long


@pytest.mark.parametrize("key,value", [
    ("r", {}), ("r", []), ("r", ["x"]), ("a", {}), ("a", [AUTHOR]), ("a", 5),
    ("e", {}), ("e", ["contact"]), ("f", []), ("s", 0), ("s", True), ("s", 2**63),
    ("h", -1), ("h", clock.MAX_HLC + 1), ("h", 1.5), ("x", {}), ("x", [[]]),
    ("v", ["Kowalski"]), ("v", 2**63 - 1), ("e", "office"), ("f", "deleted"),
    ("i", str(uuid.UUID(int=9))), ("r", "not-an-id"),
])
def test_a_hostile_field_is_refused_both_ways(key, value):
    line = _line({**_usual(), key: value})
    short, long = _both_ways(line)
    assert isinstance(long, str) and isinstance(short, str), (short, long)


@settings(max_examples=400, deadline=None)
@given(a=st.none() | IDS | JSON, e=ENTITIES | JSON, f=FIELDS | JSON,
       h=st.integers(-1, clock.MAX_HLC + 1) | JSON, i=IDS, r=IDS | JSON,
       s=st.integers(-1, 2**63) | JSON, v=JSON, x=st.just([]) | JSON)
def test_any_line_is_read_alike(a, e, f, h, i, r, s, v, x):
    _agree(_line({"a": a, "e": e, "f": f, "h": h, "i": i, "r": r, "s": s, "v": v, "x": x}))


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(sorted(field_map("contact"))), v=JSON)
def test_any_value_of_a_contact_field_is_read_alike(name, v):
    _agree(_line({**_usual(), "f": name, "v": v}))
