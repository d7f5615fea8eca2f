"""The kinds of field a record has, and the limits that forms, storage and bundles share."""

from __future__ import annotations

from enum import StrEnum


class FieldKind(StrEnum):
    """What a field holds; the storage and UI registries are keyed by these."""

    TEXT = "text"
    LONGTEXT = "longtext"
    ENUM = "enum"
    ENUM_LIST = "enum_list"
    LIST = "list"
    REF = "ref"
    REF_LIST = "ref_list"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    INT = "int"
    BOOL = "bool"
    MONEY = "money"
    SCORES = "scores"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    NIP = "nip"
    REGON = "regon"
    KRS = "krs"
    VAT_ID = "vat_id"
    REGISTER = "register"
    POSTAL_CODE = "postal_code"

    @property
    def is_reference(self) -> bool:
        """Points to other records by id (one or several)."""
        return self in _REFERENCES

    @property
    def is_list(self) -> bool:
        """Holds a list of values rather than one."""
        return self in _LISTS

    @property
    def filtered_as_text(self) -> bool:
        """A list's filter looks for what was typed in it (tables outside the search index)."""
        return self in _FILTERED

    @property
    def default_max_length(self) -> int | None:
        """The longest value when the field names no limit of its own."""
        return _DEFAULT_MAX_LENGTH.get(self)


_REFERENCES = frozenset({FieldKind.REF, FieldKind.REF_LIST})
_LISTS = frozenset({FieldKind.ENUM_LIST, FieldKind.LIST, FieldKind.REF_LIST})
_FILTERED = frozenset({FieldKind.TEXT, FieldKind.LONGTEXT, FieldKind.EMAIL})

# --- Limits: the form's cleaning and the bundle's check both read these -------------------
# If the two disagreed, a form would accept what a partner's import later refuses.

TEXT_MAX_LENGTH = 300  # one line of text, and the identifiers, addresses and numbers
LONGTEXT_MAX_LENGTH = 20_000
LIST_ITEM_MAX_LENGTH = 200  # one sector or tag
LIST_MAX_ITEMS = 1000
SCORE_NOTE_MAX_LENGTH = 5000  # the comment or evidence on one question of an evaluation
# Whole numbers are SQLite's 64-bit integers: anything from -(2**63 - 1) to 2**63 - 1.
INT_LIMIT = 2**63
# An amount has at most 12 digits before the point (a trillion less a cent) and, as
# written by any version so far, at most 4 after it.
MONEY_MAX_DIGITS = 12
MONEY_MAX_PLACES = 4

_DEFAULT_MAX_LENGTH: dict[FieldKind, int] = {
    FieldKind.LONGTEXT: LONGTEXT_MAX_LENGTH,
    **dict.fromkeys((FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.URL,
                     FieldKind.NIP, FieldKind.REGON, FieldKind.KRS, FieldKind.VAT_ID,
                     FieldKind.REGISTER, FieldKind.POSTAL_CODE), TEXT_MAX_LENGTH),
}
