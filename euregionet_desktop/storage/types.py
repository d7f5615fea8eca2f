"""Column types for values SQLite has no native form for: exact money and JSON lists."""

from __future__ import annotations

from decimal import Decimal

import orjson
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """Money as exact decimal text ("1234.56"); SQLite would round-trip through float."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


class JSONList(TypeDecorator[list]):
    """A short list of strings (sectors, tags, topics, ids) stored as a JSON array."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else orjson.dumps(list(value)).decode()

    def process_result_value(self, value, dialect):
        return None if value is None else orjson.loads(value)


class JSONObject(TypeDecorator[dict]):
    """A small JSON object (evaluation scores) stored with sorted keys."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()

    def process_result_value(self, value, dialect):
        return None if value is None else orjson.loads(value)
