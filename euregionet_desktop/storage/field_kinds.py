"""One object per field kind: its column type, JSON form, cleaning of typed input and wire check.

The cleaning (what a form or the CLI hands in) and the wire check (what a bundle brings)
read the same limits from ``domain.field_kinds``, so a form never accepts a value that a
partner's import would refuse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import orjson
from sqlalchemy import Boolean, Date, Integer, String, Text

from euregionet_desktop.domain import programme, validation
from euregionet_desktop.domain.enums import Choice
from euregionet_desktop.domain.field_kinds import (
    INT_LIMIT,
    LIST_ITEM_MAX_LENGTH,
    LIST_MAX_ITEMS,
    MONEY_MAX_DIGITS,
    MONEY_MAX_PLACES,
    SCORE_NOTE_MAX_LENGTH,
    FieldKind,
)
from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.storage.types import DecimalText, JSONList, JSONObject


class Field(Protocol):
    """What a kind reads of a field (storage.fields.Field; a protocol here so this module
    needs no import of the one that builds fields from it)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> FieldKind: ...
    @property
    def label(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def choices(self) -> type[Choice] | None: ...
    @property
    def max_length(self) -> int | None: ...

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MONEY = re.compile(rf"^-?\d{{1,{MONEY_MAX_DIGITS}}}(\.\d{{1,{MONEY_MAX_PLACES}}})?$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
# Control characters other than tab and line feed (the only ones text may hold).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_TRUE = {"1", "true", "yes", "y", "tak", "ja", "t", "on"}
_FALSE = {"0", "false", "no", "n", "nie", "nein", "f", "off"}
_TYPED_DATETIME = re.compile(r"^\s*(\S+)[ T](\d{1,2}):(\d{2})\s*$")
# "9:30", "09.30", "9" (nine o'clock), "9.30 Uhr", "9:30 h".
_TYPED_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr|h)?\s*$", re.IGNORECASE)
_MONEY_LIMIT = Decimal(10) ** MONEY_MAX_DIGITS

JsonCheck = Callable[[Any], bool]


@dataclass(frozen=True)
class Cleaning:
    """What cleaning one value needs besides its field."""

    country: str | None  # the record's country: how phones and postal codes are read
    # The id of a live record of ``field.ref`` or ValidationError: the services hold the
    # session and the words for the message.
    ensure_ref: Callable[[Field, str], str]


class CoreKind:
    """A plain value stored as is: the base of every kind."""

    column_type: Any = Text
    # The JSON form differs from the stored Python value (so bulk writers convert it).
    json_differs = False

    def __init__(self, kind: FieldKind) -> None:
        self.kind = kind

    def to_json(self, value: Any) -> Any:
        """The change log's and dump's form of a value (JSON types only)."""
        return value

    def from_json(self, value: Any) -> Any:
        """The Python value for a JSON form written by :meth:`to_json`."""
        return value

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        """The stored value for what a person typed (not empty), or ValidationError."""
        raise NotImplementedError

    def json_check(self, spec: Field) -> JsonCheck:
        """Whether a JSON form fits ``spec``; built once per field, as a bundle import
        checks every value of every change with it."""
        required = spec.required
        fits = self.fits(spec)

        def check(value: Any) -> bool:
            return not required if value is None else fits(value)
        return check

    def fits(self, spec: Field) -> JsonCheck:
        """Whether a JSON form other than None fits ``spec``."""
        raise NotImplementedError


def _labelled(spec: Field) -> dict[str, str]:
    return {"field": spec.name, "label": _(spec.label)}


def _text_fits(limit: int) -> JsonCheck:
    search = CONTROL.search

    def fits(value: Any) -> bool:
        return type(value) is str and len(value) <= limit and search(value) is None
    return fits


def _as_list(value: Any, spec: Field) -> list[str]:
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",") if part.strip()]
    else:
        items = [str(part).strip() for part in value if str(part).strip()]
    if len(items) > LIST_MAX_ITEMS:
        raise ValidationError(ngettext(
            "{label} has too many entries: {count}, at most {maximum} entry is allowed.",
            "{label} has too many entries: {count}, at most {maximum} entries are allowed.",
            LIST_MAX_ITEMS).format(label=_(spec.label), count=len(items),
                                   maximum=LIST_MAX_ITEMS), field=spec.name)
    return items


def _list_fits(item_fits: JsonCheck) -> JsonCheck:
    def fits(value: Any) -> bool:
        return type(value) is list and len(value) <= LIST_MAX_ITEMS and all(
            item_fits(v) for v in value)
    return fits


def _uuid_fits(value: Any) -> bool:
    return type(value) is str and UUID.match(value) is not None


def _date_fits(value: Any) -> bool:
    if type(value) is not str:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


class TextKind(CoreKind):
    """Free text, one line or several, as long as the field allows."""

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        return validation.text(str(value), max_length=spec.max_length, **_labelled(spec))

    def fits(self, spec: Field) -> JsonCheck:
        return _text_fits(spec.max_length)


class CheckedTextKind(CoreKind):
    """Text read by a validator that stores it normalised (e-mail, phone, web address,
    company and tax numbers, postal code)."""

    def __init__(self, kind: FieldKind, read: Callable[..., str]) -> None:
        super().__init__(kind)
        self.read = read  # read(text, cleaning, field=, label=) -> normalised text

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        labelled = _labelled(spec)
        return validation.within_length(self.read(str(value), cleaning, **labelled),
                                        max_length=spec.max_length, **labelled)

    def fits(self, spec: Field) -> JsonCheck:
        return _text_fits(spec.max_length)


def _phone(text: str, cleaning: Cleaning, **labelled: str) -> str:
    region = cleaning.country or "PL"
    return validation.phone(text, default_region=region if region != "XX" else "PL", **labelled)


class ChoiceKind(CoreKind):
    column_type = String(40)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        return validation.choice(str(value).strip(), choices=[c.value for c in spec.choices],
                                 **_labelled(spec))

    def fits(self, spec: Field) -> JsonCheck:
        allowed = frozenset(c.value for c in spec.choices)
        return lambda value: type(value) is str and value in allowed


class ListKind(CoreKind):
    """A list stored as a JSON array."""

    column_type = JSONList

    def to_json(self, value: Any) -> Any:
        return None if value is None else list(value)


class ChoiceListKind(ListKind):
    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        allowed = [c.value for c in spec.choices]
        labelled = _labelled(spec)
        return [validation.choice(v, choices=allowed, **labelled) for v in _as_list(value, spec)]

    def fits(self, spec: Field) -> JsonCheck:
        allowed = frozenset(c.value for c in spec.choices)
        return _list_fits(lambda v: type(v) is str and v in allowed)


class TextListKind(ListKind):
    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        labelled = _labelled(spec)
        return [validation.text(v, max_length=LIST_ITEM_MAX_LENGTH, **labelled)
                for v in _as_list(value, spec)]

    def fits(self, spec: Field) -> JsonCheck:
        return _list_fits(_text_fits(LIST_ITEM_MAX_LENGTH))


class RefKind(CoreKind):
    column_type = String(36)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        return cleaning.ensure_ref(spec, str(value))

    def fits(self, spec: Field) -> JsonCheck:
        return _uuid_fits


class RefListKind(ListKind):
    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        return [cleaning.ensure_ref(spec, v) for v in _as_list(value, spec)]

    def fits(self, spec: Field) -> JsonCheck:
        return _list_fits(_uuid_fits)


class DateKind(CoreKind):
    column_type = Date
    json_differs = True

    def to_json(self, value: Any) -> Any:
        return None if value is None else value.isoformat()

    def from_json(self, value: Any) -> Any:
        return None if value is None else dt.date.fromisoformat(value)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        if isinstance(value, dt.date):
            return validation.date_in_range(value, **_labelled(spec))
        return validation.parse_date(str(value), **_labelled(spec))

    def fits(self, spec: Field) -> JsonCheck:
        return _date_fits


class DateTimeKind(CoreKind):
    """A local date and minute as text ("YYYY-MM-DD HH:MM"), as a meeting is noted."""

    column_type = String(16)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        labelled = _labelled(spec)
        if isinstance(value, dt.datetime):
            # The same years as a typed date: "%Y" writes year 999 in three digits.
            validation.date_in_range(value.date(), **labelled)
            return value.strftime("%Y-%m-%d %H:%M")
        match = _TYPED_DATETIME.match(str(value))
        day = validation.parse_date(match.group(1) if match else str(value), **labelled)
        hour, minute = (int(match.group(2)), int(match.group(3))) if match else (0, 0)
        if hour > 23 or minute > 59:
            raise ValidationError(
                _("{field}: “{value}” is not a time of day (HH:MM).").format(
                    field=labelled["label"], value=value), field=spec.name)
        return f"{day.isoformat()} {hour:02d}:{minute:02d}"

    def fits(self, spec: Field) -> JsonCheck:
        match = DATETIME.match
        return lambda value: (type(value) is str and match(value) is not None
                              and _date_fits(value[:10]))


class TimeKind(CoreKind):
    """A time of day as "HH:MM" (an event's start), typed as 9:30, 9.30 or 9."""

    column_type = String(5)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        match = _TYPED_TIME.match(str(value))
        hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 99)
        if hour > 23 or minute > 59:
            raise ValidationError(
                _("{field}: “{value}” is not a time of day (HH:MM).").format(
                    field=_(spec.label), value=value), field=spec.name)
        return f"{hour:02d}:{minute:02d}"

    def fits(self, spec: Field) -> JsonCheck:
        match = TIME.match
        return lambda value: type(value) is str and match(value) is not None


class IntKind(CoreKind):
    column_type = Integer

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        return validation.integer(str(value), minimum=1 - INT_LIMIT, maximum=INT_LIMIT - 1,
                                  **_labelled(spec))

    def fits(self, spec: Field) -> JsonCheck:
        return lambda value: type(value) is int and abs(value) < INT_LIMIT


class BoolKind(CoreKind):
    column_type = Boolean

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValidationError(
            _("{field}: expected yes or no, not “{value}”.").format(field=_(spec.label),
                                                                     value=value),
            field=spec.name)

    def fits(self, spec: Field) -> JsonCheck:
        return lambda value: type(value) is bool


class MoneyKind(CoreKind):
    """An exact amount; decimal text in JSON, as a float would round it."""

    column_type = DecimalText
    json_differs = True

    def to_json(self, value: Any) -> Any:
        return None if value is None else format(Decimal(value), "f")

    def from_json(self, value: Any) -> Any:
        return None if value is None else Decimal(value)

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        if isinstance(value, Decimal):
            value = format(value, "f")
        amount = validation.decimal_amount(str(value), **_labelled(spec))
        if amount >= _MONEY_LIMIT:
            raise ValidationError(
                _("{label}: “{value}” is too large; an amount has at most {digits} digits "
                  "before the decimal point.").format(label=_(spec.label), value=value,
                                                      digits=MONEY_MAX_DIGITS),
                field=spec.name)
        return amount

    def fits(self, spec: Field) -> JsonCheck:
        match = MONEY.match
        return lambda value: type(value) is str and match(value) is not None


class ScoresKind(CoreKind):
    """An evaluation's answers: per question code a score (0 to 4), comment and evidence."""

    column_type = JSONObject

    def clean(self, value: Any, spec: Field, cleaning: Cleaning) -> Any:
        label = _(spec.label)
        if isinstance(value, str):
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError:
                value = None
        if not isinstance(value, dict):
            raise ValidationError(
                _("{field}: expected an object like {{\"structure.members\": 3}}.").format(
                    field=label), field=spec.name)
        result: dict[str, Any] = {}
        for code, item in value.items():
            if code not in programme.QUESTION_CODES:
                raise ValidationError(
                    _("{field}: “{code}” is not a question of the questionnaire.").format(
                        field=label, code=code), field=spec.name)
            entry = item if isinstance(item, dict) else {"score": item}
            score = entry.get("score")
            if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                                      or not 0 <= score <= programme.MAX_SCORE):
                raise ValidationError(
                    _("{field}: the score for “{code}” must be a whole number from 0 to "
                      "{max}.").format(field=label, code=code, max=programme.MAX_SCORE),
                    field=spec.name)
            clean = {"score": score}
            for key in ("comment", "evidence"):
                if entry.get(key):
                    clean[key] = validation.text(str(entry[key]), field=spec.name, label=label,
                                                 max_length=SCORE_NOTE_MAX_LENGTH)
            result[code] = clean
        return result

    def fits(self, spec: Field) -> JsonCheck:
        return _scores_fit


_NOTE_FITS = _text_fits(SCORE_NOTE_MAX_LENGTH)
_SCORE_KEYS = frozenset({"score", "comment", "evidence"})


def _scores_fit(value: Any) -> bool:
    if type(value) is not dict or len(value) > len(programme.QUESTION_CODES):
        return False
    for code, entry in value.items():
        if code not in programme.QUESTION_CODES or type(entry) is not dict:
            return False
        if entry.keys() - _SCORE_KEYS:
            return False
        score = entry.get("score")
        if score is not None and not (type(score) is int and 0 <= score <= programme.MAX_SCORE):
            return False
        if any(k in entry and not _NOTE_FITS(entry[k]) for k in ("comment", "evidence")):
            return False
    return True


def _checked(read: Callable[..., str]) -> Callable[..., str]:
    """A validator that needs nothing but the text."""
    return lambda text, cleaning, **labelled: read(text, **labelled)


CORE_KINDS: Mapping[FieldKind, CoreKind] = {
    FieldKind.TEXT: TextKind(FieldKind.TEXT),
    FieldKind.LONGTEXT: TextKind(FieldKind.LONGTEXT),
    FieldKind.ENUM: ChoiceKind(FieldKind.ENUM),
    FieldKind.ENUM_LIST: ChoiceListKind(FieldKind.ENUM_LIST),
    FieldKind.LIST: TextListKind(FieldKind.LIST),
    FieldKind.REF: RefKind(FieldKind.REF),
    FieldKind.REF_LIST: RefListKind(FieldKind.REF_LIST),
    FieldKind.DATE: DateKind(FieldKind.DATE),
    FieldKind.DATETIME: DateTimeKind(FieldKind.DATETIME),
    FieldKind.TIME: TimeKind(FieldKind.TIME),
    FieldKind.INT: IntKind(FieldKind.INT),
    FieldKind.BOOL: BoolKind(FieldKind.BOOL),
    FieldKind.MONEY: MoneyKind(FieldKind.MONEY),
    FieldKind.SCORES: ScoresKind(FieldKind.SCORES),
    FieldKind.EMAIL: CheckedTextKind(FieldKind.EMAIL, _checked(validation.email)),
    FieldKind.PHONE: CheckedTextKind(FieldKind.PHONE, _phone),
    FieldKind.URL: CheckedTextKind(FieldKind.URL, _checked(validation.url)),
    FieldKind.NIP: CheckedTextKind(FieldKind.NIP, _checked(validation.nip)),
    FieldKind.REGON: CheckedTextKind(FieldKind.REGON, _checked(validation.regon)),
    FieldKind.KRS: CheckedTextKind(FieldKind.KRS, _checked(validation.krs)),
    FieldKind.VAT_ID: CheckedTextKind(
        FieldKind.VAT_ID, lambda text, cleaning, **labelled: validation.vat_id(
            text, country=cleaning.country, **labelled)),
    FieldKind.REGISTER: CheckedTextKind(FieldKind.REGISTER,
                                        _checked(validation.handelsregister)),
    FieldKind.POSTAL_CODE: CheckedTextKind(
        FieldKind.POSTAL_CODE, lambda text, cleaning, **labelled: validation.postal_code(
            text, country=cleaning.country or "XX", **labelled)),
}


def kind_of(kind: str) -> CoreKind:
    """The core's object for a field kind (a ``FieldKind`` or its name)."""
    return CORE_KINDS[kind]
