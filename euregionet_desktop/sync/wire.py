"""Changes and erasures as they travel in a bundle, read strictly: every line canonical JSON,
every value its type.

A change line must be exactly what the exporter writes (orjson, sorted keys, no spaces):
that refuses duplicate keys, NaN/Infinity, lone surrogates and anything re-encoded on the
way in one comparison. Values are then checked against the field they are written to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson

from euregionet_desktop.errors import BundleError
from euregionet_desktop.i18n import _
from euregionet_desktop.storage.field_kinds import UUID
from euregionet_desktop.storage.fields import Field, field_map
from euregionet_desktop.storage.models import MODEL_BY_ENTITY
from euregionet_desktop.sync import clock

ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CHANGE_KEYS = frozenset("aefhirsvx")
ERASURE_KEYS = frozenset("cehir")
MAX_LINE = 1_000_000
MAX_INT = 2**63  # seq numbers and hybrid clock readings (ms << 16) are 64-bit
MAX_LIST = 1000  # replaced changes per change
NOTHING_REPLACED = b',"x":[]}'  # how a change line that replaces nothing ends
ERASURE_REASONS = frozenset({"gdpr_request", "gdpr_consent_withdrawn", "gdpr_retention"})


def refuse(problem: str) -> BundleError:
    return BundleError(_("The bundle was refused: {problem} Nothing was imported.").format(
        problem=problem))


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to create, 100k at a time
class WireChange:
    """One change as it travels: the change log row of its writer."""

    installation: str
    seq: int
    hlc: int
    author: str | None
    entity: str
    record: str
    field: str
    value: Any
    replaces: tuple[tuple[str, int], ...]
    # The canonical line it arrived as (parse_change checked it), so storing it needs
    # no second encoding of its value; not part of what the change is.
    line_received: bytes | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, int]:
        return self.installation, self.seq

    def as_wire(self) -> dict[str, Any]:
        return {"a": self.author, "e": self.entity, "f": self.field, "h": self.hlc,
                "i": self.installation, "r": self.record, "s": self.seq, "v": self.value,
                "x": [list(pair) for pair in self.replaces]}

    def line(self) -> bytes:
        return orjson.dumps(self.as_wire(), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> WireChange:
        return cls(row["installation_id"], row["seq"], row["hlc"], row["author_id"],
                   row["entity"], row["record_id"], row["field"], orjson.loads(row["value"]),
                   tuple((i, s) for i, s in orjson.loads(row["replaces"])))

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> WireChange:
        replaces = data["x"]
        return cls(data["i"], data["s"], data["h"], data["a"], data["e"], data["r"],
                   data["f"], data["v"], tuple(map(tuple, replaces)) if replaces else ())

    def emptied(self) -> WireChange:
        """The change as kept for an erased record: only its place in the sequence (no
        author, entity, field or value), so later changes of its writer still apply in
        order and nothing about the person is left."""
        return WireChange(self.installation, self.seq, self.hlc, None, "", self.record, "",
                          None, ())

    @property
    def is_emptied(self) -> bool:
        return self.field == ""

    def agrees(self, other: WireChange) -> bool:
        """The same change, possibly emptied on one side after an erasure."""
        if self.is_emptied or other.is_emptied:
            return self.emptied() == other.emptied()
        return self == other

    def as_tuple(self, *, erased: bool, current: bool) -> tuple[Any, ...]:
        """The change log row in the column order of merge's ``_INSERT_CHANGE`` (emptied
        when erased)."""
        change = self.emptied() if erased else self
        line = change.line_received
        if line is not None:
            # Keys are sorted: …,"v":VALUE,"x":REPLACES} — the value and replaces as sent.
            value_at = line.index(b',"v":') + 5
            if line.endswith(NOTHING_REPLACED):  # most changes: no search for "x"
                value = line[value_at:-len(NOTHING_REPLACED)].decode()
                replaces = "[]"
            else:
                replaces_at = line.rindex(b',"x":')
                value = line[value_at:replaces_at].decode()
                replaces = line[replaces_at + 5:-1].decode()
        else:
            value = orjson.dumps(change.value, option=orjson.OPT_SORT_KEYS).decode()
            replaces = orjson.dumps([list(p) for p in change.replaces]).decode()
        return (change.installation, change.seq, change.hlc, change.author, change.entity,
                change.record, change.field, value, replaces,
                current and not change.is_emptied)

    def row(self, *, erased: bool = False) -> dict[str, Any]:
        """The change log row (emptied for an erased record)."""
        change = self.emptied() if erased else self
        return {
            "installation_id": change.installation, "seq": change.seq, "hlc": change.hlc,
            "author_id": change.author, "entity": change.entity, "record_id": change.record,
            "field": change.field,
            "value": orjson.dumps(change.value, option=orjson.OPT_SORT_KEYS).decode(),
            "replaces": orjson.dumps([list(p) for p in change.replaces]).decode(),
            "current": not change.is_emptied,
        }


@dataclass(frozen=True)
class WireErasure:
    record: str
    entity: str
    hlc: int
    installation: str
    reason: str

    def as_wire(self) -> dict[str, Any]:
        return {"c": self.reason, "e": self.entity, "h": self.hlc, "i": self.installation,
                "r": self.record}


def _json_line(line: bytes, where: str) -> dict[str, Any]:
    if len(line) > MAX_LINE:
        raise refuse(_("a line of {member} is too long.").format(member=where))
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise refuse(_("{member} holds text that is not valid JSON (or not UTF-8).").format(
            member=where)) from None
    if not isinstance(data, dict) or orjson.dumps(data, option=orjson.OPT_SORT_KEYS) != line:
        raise refuse(_("{member} holds a line that is not in the exporter's exact form "
                       "(duplicate keys, extra spaces or altered).").format(member=where))
    return data


def is_int(value: Any) -> bool:
    """A whole number a bundle may carry as a seq or a clock reading: 0 <= value < 2**63
    (and not a bool)."""
    return type(value) is int and 0 <= value < MAX_INT


def is_hlc(value: Any) -> bool:
    """A clock reading a sane clock could have made (see ``clock.MAX_HLC``): a larger one
    would outrun every clock that hears it, or SQLite's integers."""
    return type(value) is int and 0 <= value <= clock.MAX_HLC


@lru_cache(maxsize=1 << 16)
def _uuid_text(value: str) -> bool:
    return UUID.match(value) is not None


def _is_uuid(value: Any) -> bool:
    # Ids repeat line after line (installation, author, record): check each text once.
    return type(value) is str and _uuid_text(value)


def _malformed(where: str) -> BundleError:
    return refuse(_("{member} holds a malformed change.").format(member=where))


def value_ok(spec: Field, value: Any) -> bool:
    """Whether ``value`` (JSON form) can be stored in the field."""
    return spec.accepts_json(value)


def parse_change(line: bytes, where: str) -> WireChange:
    return _checked_change(_json_line(line, where), line, where)


def _checked_change(data: dict[str, Any], line: bytes, where: str) -> WireChange:
    if data.keys() != CHANGE_KEYS:
        raise refuse(_("{member} holds a change with unexpected fields.").format(member=where))
    if not (_is_uuid(data["i"]) and is_int(data["s"]) and data["s"] >= 1
            and is_hlc(data["h"]) and _is_uuid(data["r"])
            and (data["a"] is None or _is_uuid(data["a"]))
            and type(data["x"]) is list and len(data["x"]) <= MAX_LIST):
        raise _malformed(where)
    for pair in data["x"]:
        if not (type(pair) is list and len(pair) == 2 and _is_uuid(pair[0])
                and is_int(pair[1])):
            raise _malformed(where)
    entity, name = data["e"], data["f"]
    if entity == "" and name == "":  # an erased record's change: only its place travels
        if data["v"] is not None or data["x"]:
            raise _malformed(where)
        return WireChange.from_wire(data)
    if entity not in MODEL_BY_ENTITY or not isinstance(name, str):
        raise refuse(_("{member} holds a change to an unknown kind of record.").format(
            member=where))
    if name == "deleted":
        if not isinstance(data["v"], bool):
            raise _malformed(where)
        return WireChange.from_wire(data)
    spec = _spec(entity, name)
    if spec is None:
        raise refuse(_("{member} holds a change to an unknown field “{field}”.").format(
            member=where, field=name[:60]))
    if not spec.accepts_json(data["v"]):  # the field's kind check, limits bound once
        raise refuse(_("{member} holds a value that does not fit the field {entity}.{field} "
                       "(wrong type, too long or not allowed).").format(
            member=where, entity=entity, field=name))
    change = WireChange.from_wire(data)
    change.line_received = line
    return change


@lru_cache(maxsize=1024)
def _spec(entity: str, name: str) -> Field | None:
    return field_map(entity).get(name)


def parse_changes(member: bytes, where: str, installation: str) -> list[WireChange]:
    changes = []
    # Ids, entities and field names repeat from line to line: 100k changes held at once
    # share one string for each (DESIGN §8: an import of 100k changes within 250 MiB).
    shared: dict[Any, Any] = {None: None}
    share = shared.setdefault
    for line in member.split(b"\n"):
        if not line:
            continue
        change = parse_change(line, where)
        if change.installation != installation:
            raise refuse(_("{member} holds a change of another installation.").format(
                member=where))
        change.installation = installation
        change.entity, change.field = share(change.entity, change.entity), share(
            change.field, change.field)
        change.record, change.author = share(change.record, change.record), share(
            change.author, change.author)
        changes.append(change)
    return changes


def parse_erasures(member: bytes, where: str) -> list[WireErasure]:
    erasures = []
    for line in member.split(b"\n"):
        if not line:
            continue
        data = _json_line(line, where)
        if (set(data) != ERASURE_KEYS or not isinstance(data["r"], str)
                or not UUID.match(data["r"]) or data["e"] not in MODEL_BY_ENTITY
                or not is_hlc(data["h"]) or not isinstance(data["i"], str)
                or not UUID.match(data["i"]) or data["c"] not in ERASURE_REASONS):
            raise refuse(_("{member} holds a malformed erasure.").format(member=where))
        erasures.append(WireErasure(data["r"], data["e"], data["h"], data["i"], data["c"]))
    return erasures


def strict_json(data: bytes, where: str) -> Mapping[str, Any]:
    """A small JSON document (the manifest): duplicate keys, NaN and infinities refused,
    nesting bounded, every text valid Unicode without control characters."""
    import json

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _v in items]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(items)

    def constant(name: str) -> Any:
        raise ValueError(name)

    def finite(text: str) -> float:
        number = float(text)
        if not math.isfinite(number):  # 1e999 parses as infinity
            raise ValueError(text)
        return number

    try:
        parsed = json.loads(data.decode("utf-8"), object_pairs_hook=pairs,
                            parse_constant=constant, parse_float=finite)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise refuse(_("{member} is not valid JSON (duplicate keys, NaN or infinity, not "
                       "UTF-8 or too deeply nested).").format(member=where)) from None
    if not isinstance(parsed, dict):
        raise refuse(_("{member} is not a JSON object.").format(member=where))
    texts = list(_texts(parsed))
    if not all(_encodable(text) for text in texts):
        raise refuse(_("{member} holds text that is not valid Unicode (a lone "
                       "surrogate).").format(member=where))
    if any(ANY_CONTROL.search(text) for text in texts):
        raise refuse(_("{member} holds a control character (such as NUL) in its "
                       "text.").format(member=where))
    return parsed


def _texts(value: Any) -> Iterator[str]:
    """Every key and string in a parsed JSON document (without recursion: the document
    may be nested as deep as the parser allows)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _encodable(text: str) -> bool:
    """No lone surrogates (Python's json lets "\ud800" through)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
