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
from euregionet_desktop.storage.field_kinds import UUID, JsonCheck
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
# What a partner may erase: persons (contact persons, and participants, who may be a person
# known by name only) and the records that went with an erased person (its memberships,
# attachments and the notes on it: sync.erasure.PERSONAL_DEPENDANTS, checked against the
# person in sync.rules); never offices, installations, advisors or anything else.
ERASABLE = frozenset({"contact", "participant", "membership", "attachment", "note"})
# Records only their own installation writes (its office and label) and reference data
# no one deletes: a bundle may not delete them, nor change another installation's record.
UNDELETABLE = frozenset({"installation", "office", "indicator", "programme"})


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


def place(member: str, number: int) -> str:
    """Where in a bundle a line is, as a refusal names it: “changes/….jsonl, line 3”."""
    return _("{member}, line {line}").format(member=member, line=number) if number else member


def _lines(member: bytes, where: str) -> Iterator[tuple[int, bytes]]:
    """The member's lines with their numbers (from 1). The exporter ends every line with a
    newline and writes no empty ones, so an empty line is refused: numbers stay honest."""
    lines = member.split(b"\n")
    if lines[-1]:
        raise refuse(_("{member} does not end with a complete line (cut short or "
                       "altered).").format(member=place(where, len(lines))))
    for number, line in enumerate(lines[:-1], start=1):
        if not line:
            raise refuse(_("{member} is an empty line, which the exporter never "
                           "writes.").format(member=place(where, number)))
        yield number, line


def _json_line(line: bytes, where: str, number: int = 0) -> dict[str, Any]:
    if len(line) > MAX_LINE:
        raise refuse(_("a line of {member} is too long.").format(member=place(where, number)))
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise refuse(_("{member} holds text that is not valid JSON (or not UTF-8).").format(
            member=place(where, number))) from None
    if not isinstance(data, dict) or orjson.dumps(data, option=orjson.OPT_SORT_KEYS) != line:
        raise refuse(_("{member} holds a line that is not in the exporter's exact form "
                       "(duplicate keys, extra spaces or altered).").format(
            member=place(where, number)))
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


def parse_change(line: bytes, where: str, number: int = 0) -> WireChange:
    return _checked_change(_json_line(line, where, number), line, where, number)


def _checked_change(data: dict[str, Any], line: bytes, member: str, number: int
                    ) -> WireChange:
    if data.keys() != CHANGE_KEYS:
        raise refuse(_("{member} holds a change with unexpected fields.").format(
            member=place(member, number)))
    if not (_is_uuid(data["i"]) and is_int(data["s"]) and data["s"] >= 1
            and is_hlc(data["h"]) and _is_uuid(data["r"])
            and (data["a"] is None or _is_uuid(data["a"]))
            and type(data["x"]) is list and len(data["x"]) <= MAX_LIST):
        raise _malformed(place(member, number))
    for pair in data["x"]:
        if not (type(pair) is list and len(pair) == 2 and _is_uuid(pair[0])
                and is_int(pair[1])):
            raise _malformed(place(member, number))
    entity, name = data["e"], data["f"]
    if entity == "" and name == "":  # an erased record's change: only its place travels
        if data["v"] is not None or data["x"]:
            raise _malformed(place(member, number))
        return WireChange.from_wire(data)
    if type(entity) is not str or entity not in MODEL_BY_ENTITY or type(name) is not str:
        raise refuse(_("{member} holds a change to an unknown kind of record.").format(
            member=place(member, number)))
    if entity in UNDELETABLE:
        _check_managed(data, place(member, number))
    if name == "deleted":
        if not isinstance(data["v"], bool):
            raise _malformed(place(member, number))
        return WireChange.from_wire(data)
    spec = _spec(entity, name)
    if spec is None:
        raise refuse(_("{member} holds a change to an unknown field “{field}”.").format(
            member=place(member, number), field=name[:60]))
    if not spec.accepts_json(data["v"]):  # the field's kind check, limits bound once
        raise refuse(_("{member} holds a value that does not fit the field {entity}.{field} "
                       "(wrong type, too long or not allowed).").format(
            member=place(member, number), entity=entity, field=name))
    change = WireChange.from_wire(data)
    change.line_received = line
    return change


def _check_managed(data: Mapping[str, Any], where: str) -> None:
    """What a partner may not change: another installation's record (the office its keys
    are trusted for), nor the existence of installations, offices and indicators."""
    entity = data["e"]
    # The one exception: a restored profile, continuing as a new installation, retires the
    # one it replaces (services.rejoin); sync.rules checks that both are of one office.
    retiring = (entity == "installation" and data["f"] == "deleted" and data["v"] is True
                and data["r"] != data["i"])
    if entity == "installation" and data["r"] != data["i"] and not retiring:
        raise refuse(_("{member} changes the record of another installation ({record}); "
                       "only an installation itself writes its record.").format(
            member=where, record=data["r"]))
    if entity == "office" and data["f"] == "code":
        raise refuse(_("{member} changes the code of an office ({record}); an office's "
                       "code never changes.").format(member=where, record=data["r"]))
    if data["f"] == "deleted" and not retiring:
        raise refuse(_("{member} deletes or restores a record of kind {entity}, which no "
                       "one deletes.").format(member=where, entity=entity))


@lru_cache(maxsize=1024)
def _spec(entity: str, name: str) -> Field | None:
    return field_map(entity).get(name)


def parse_changes(member: bytes, where: str, installation: str) -> list[WireChange]:
    """The member's changes, in line order (the change on line n is at index n - 1)."""
    changes = []
    # Ids, entities and field names repeat from line to line: 100k changes held at once
    # share one string for each (DESIGN §8: an import of 100k changes within 250 MiB).
    shared: dict[Any, Any] = {None: None}
    share = shared.setdefault
    # The usual line (a field of a record, by this member's installation, replacing
    # nothing) is accepted here with the same checks inlined; any other line, and any line
    # the short way does not accept, goes the long way (``parse_change``), which accepts
    # or refuses it naming what is wrong. The short way accepts a subset of what the long
    # way does, never more.
    checks = _usual_value_checks()
    usual = _is_uuid(installation)
    ids = {installation}  # texts known to be ids
    loads, dumps, sort_keys, keys = orjson.loads, orjson.dumps, orjson.OPT_SORT_KEYS, CHANGE_KEYS
    for number, line in _lines(member, where):
        change = None
        try:
            data = loads(line) if len(line) <= MAX_LINE else None
        except orjson.JSONDecodeError:
            data = None
        if (usual and type(data) is dict and dumps(data, option=sort_keys) == line
                and data.keys() == keys and not data["x"] and data["i"] == installation):
            seq, hlc, record, author = data["s"], data["h"], data["r"], data["a"]
            entity, name, value = data["e"], data["f"], data["v"]
            check = (checks.get((entity, name)) if type(entity) is str and type(name) is str
                     else None)
            if (check is not None and type(seq) is int and 1 <= seq < MAX_INT
                    and type(hlc) is int and 0 <= hlc <= clock.MAX_HLC
                    and type(data["x"]) is list
                    and type(record) is str
                    and (record in ids or (_is_uuid(record) and not ids.add(record)))
                    and (author is None or (type(author) is str and (
                        author in ids or (_is_uuid(author) and not ids.add(author)))))
                    and check(value)):
                change = WireChange(installation, seq, hlc, share(author, author),
                                    share(entity, entity), share(record, record),
                                    share(name, name), value, (), line)
        if change is None:
            change = parse_change(line, where, number)
            if change.installation != installation:
                raise refuse(_("{member} holds a change of another installation.").format(
                    member=place(where, number)))
            change.installation = installation
            change.entity, change.field = share(change.entity, change.entity), share(
                change.field, change.field)
            change.record, change.author = share(change.record, change.record), share(
                change.author, change.author)
        changes.append(change)
    return changes


@lru_cache(maxsize=1)
def _usual_value_checks() -> dict[tuple[str, str], JsonCheck]:
    """(entity, field) -> the check of its value, for every field a change line may write
    without more checks than its value's: not of the records only their installation
    writes or no one deletes (UNDELETABLE, see ``_check_managed``)."""
    checks: dict[tuple[str, str], JsonCheck] = {}
    for entity in MODEL_BY_ENTITY:
        if entity in UNDELETABLE:
            continue
        checks[entity, "deleted"] = _is_bool
        for name, spec in field_map(entity).items():
            checks[entity, name] = spec.accepts_json
    return checks


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def parse_erasures(member: bytes, where: str) -> list[WireErasure]:
    """The member's erasures, in line order; each checked field by field before use (a
    list or object where text belongs is malformed, not a crash)."""
    erasures = []
    for number, line in _lines(member, where):
        data = _json_line(line, where, number)
        if not (data.keys() == ERASURE_KEYS and _is_uuid(data["r"]) and _is_uuid(data["i"])
                and is_hlc(data["h"]) and type(data["e"]) is str
                and data["e"] in MODEL_BY_ENTITY and type(data["c"]) is str
                and data["c"] in ERASURE_REASONS):
            raise refuse(_("{member} holds a malformed erasure.").format(
                member=place(where, number)))
        if data["e"] not in ERASABLE:
            raise refuse(_("{member} erases a record of kind {entity}; a bundle may erase "
                           "only persons and what goes with them.").format(
                member=place(where, number), entity=data["e"]))
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
