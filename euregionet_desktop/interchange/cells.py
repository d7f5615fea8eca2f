"""One spreadsheet cell as the field cleaning takes it: undoing what Excel did to numbers
and dates (a postal code 3046 that was 03046, a NIP 5261040828.0, a date serial 45293)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

Cell = str | int | float | bool | dt.date | dt.datetime | None
MAX_CELL_CHARS = 32767  # Excel's limit for one cell

# Excel's 1900 date system: day 1 is 1900-01-01, and it counts a 29 February 1900 that
# never was, so from day 61 on 1899-12-30 + serial is right (days 1 to 59 are one off,
# which no office list reaches).
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_LAST_SERIAL = 2958465  # 9999-12-31
_SHORT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?")
# A date with a time where only the date is wanted ("2024-01-02 00:00:00" from a CRM).
_DATE_WITH_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_FIVE_DIGIT_POSTAL = frozenset({"DE", "PL"})  # a leading 0 lost when Excel made it a number


def cell_value(value: Cell, kind: str, *, country: str | None = None) -> Any:
    """What the cleaning of a field of ``kind`` (storage.field_kinds) accepts for a cell;
    None for an empty one. Never raises: odd input comes back as text for the validator
    to refuse with its own message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return _converted(value, kind, country)
    except (ValueError, OverflowError, InvalidOperation, TypeError):
        return _text(value)


def _converted(value: Cell, kind: str, country: str | None) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if kind == "date":
        return _date(value)
    if kind == "datetime":
        return _datetime(value)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "money" and isinstance(value, int | float) and not isinstance(value, bool) \
            and math.isfinite(value):
        return _decimal(value)
    if kind == "postal_code" and isinstance(value, int | float) and not isinstance(value, bool):
        return _postal_code(_text(value), country)
    return value if kind in ("int", "bool") and isinstance(value, int) else _text(value)


def _text(value: Cell) -> str:
    """A cell as the text a person would have typed into it."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isfinite(value):
            # The float's exact digits: no ".0", no exponent, nothing rounded away.
            return str(int(value)) if value.is_integer() else format(_decimal(value), "f")
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _decimal(value: int | float) -> Decimal:
    # repr is the shortest text that reads back as the same float: 0.1 stays 0.1.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _postal_code(digits: str, country: str | None) -> str:
    if country and country.upper() in _FIVE_DIGIT_POSTAL and digits.isdigit() \
            and len(digits) == 4:
        return digits.zfill(5)
    return digits


def _serial(value: int | float) -> dt.datetime | None:
    if isinstance(value, bool) or not 1 <= value <= _EXCEL_LAST_SERIAL:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=value)


def _date(value: Cell) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and (moment := _serial(value)) is not None:
        return moment.date()
    text = _text(value)
    if match := _DATE_WITH_TIME.fullmatch(text):
        text = match.group(1)
    if (moment := _short_date(text)) is not None:
        return moment.date()
    return text


def _datetime(value: Cell) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and (moment := _serial(value)) is not None:
        # To the minute, as the field holds it; a serial's float is a hair off.
        return (moment + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    text = _text(value)
    return moment if (moment := _short_date(text)) is not None else text


def _short_date(text: str) -> dt.datetime | None:
    """D.M.YY (and DD.MM.YY, with a time or not) read with a two-digit year window: up to
    ten years ahead is this century, the rest the last one."""
    match = _SHORT_DATE.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(match.group(i)) for i in (1, 2, 3))
    year += 2000 if year <= dt.date.today().year % 100 + 10 else 1900
    hour, minute = (int(match.group(4)), int(match.group(5))) if match.group(4) else (0, 0)
    return dt.datetime(year, month, day, hour, minute)
