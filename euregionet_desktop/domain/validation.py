"""Field validators: check what a person typed and return the normalised value to store."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.de import handelsregisternummer as _de_handelsreg
from stdnum.de import vat as _de_vat
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import ValidationError as _StdnumError
from stdnum.pl import nip as _pl_nip
from stdnum.pl import regon as _pl_regon

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _, fold, format_date, ngettext

__all__ = [
    "choice",
    "date_in_range",
    "decimal_amount",
    "email",
    "format_phone_national",
    "handelsregister",
    "integer",
    "krs",
    "nip",
    "parse_date",
    "phone",
    "postal_code",
    "regon",
    "relative_date",
    "text",
    "url",
    "vat_id",
    "within_length",
]

EARLIEST_DATE = _dt.date(1900, 1, 1)
LATEST_DATE = _dt.date(2100, 12, 31)

# Longest excerpt of a refused value quoted back in a message.
_SHOWN_MAX = 60


def _shown(value: str) -> str:
    """The refused value as it can safely be quoted in a message.

    Control characters and lone surrogates would break a terminal or a log line
    (a surrogate cannot even be encoded), so they are shown as U+FFFD.
    """
    cleaned = "".join(
        "\ufffd" if unicodedata.category(char) in ("Cc", "Cs") else char for char in value
    )
    if len(cleaned) > _SHOWN_MAX:
        cleaned = cleaned[: _SHOWN_MAX - 1] + "…"
    return cleaned


# --- Company identifiers ---------------------------------------------------------------


def nip(value: str, *, field: str, label: str) -> str:
    """A Polish NIP (tax number); stored as 10 digits without separators."""
    value = value.strip()
    try:
        return _pl_nip.validate(value)
    except _StdnumError:
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid Polish NIP "
                "(10 digits with a check digit, e.g. 526-000-12-46)."
            ).format(label=label, value=_shown(value)),
            field=field,
        ) from None


def regon(value: str, *, field: str, label: str) -> str:
    """A Polish REGON (statistical number, 9 or 14 digits); stored without separators."""
    value = value.strip()
    try:
        return _pl_regon.validate(value)
    except _StdnumError:
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid REGON "
                "(9 or 14 digits with a check digit, e.g. 192598184)."
            ).format(label=label, value=_shown(value)),
            field=field,
        ) from None


def krs(value: str, *, field: str, label: str) -> str:
    """A Polish KRS (court register) number; stored as 10 digits with leading zeros."""
    value = value.strip()
    # The register prints numbers zero-padded to 10 digits, but people often drop the
    # zeros; anything other than plain digits is refused rather than guessed at.
    if re.fullmatch(r"[0-9]{1,10}", value) and int(value) > 0:
        return value.zfill(10)
    raise ValidationError(
        _(
            "{label}: “{value}” is not a valid KRS number (up to 10 digits, e.g. 0000123456)."
        ).format(label=label, value=_shown(value)),
        field=field,
    )


def _vat_prefix(value: str) -> str | None:
    """The two-letter country prefix the person typed, if any."""
    head = re.sub(r"[\s.\-/]", "", value)[:2]
    if len(head) == 2 and head.isascii() and head.isalpha():
        return head.upper()
    return None


def vat_id(value: str, *, field: str, label: str, country: str | None) -> str:
    """An EU VAT identification number; stored compact with its prefix, e.g. DE136695976.

    ``country`` (the organisation's country) is used when the person left out the prefix.
    """
    value = value.strip()
    prefix = _vat_prefix(value)
    country = (country or "").strip().upper() or None
    target = prefix or country
    try:
        if target == "DE":
            return "DE" + _de_vat.validate(value)
        if target == "PL":
            # A Polish VAT ID is the NIP with the PL prefix; stdnum's NIP drops the prefix.
            return "PL" + _pl_nip.validate(value)
        if prefix is None:
            # Greece uses EL rather than its ISO code GR as the VAT prefix.
            vat_prefix = "EL" if country == "GR" else country
            if country is None or country.lower() not in _eu_vat.MEMBER_STATES:
                raise ValidationError(
                    _(
                        "{label}: “{value}” has no country prefix; enter the VAT ID with its "
                        "two-letter prefix, e.g. DE136695976 or PL5260001246."
                    ).format(label=label, value=_shown(value)),
                    field=field,
                )
            return _eu_vat.validate(f"{vat_prefix}{value}")
        return _eu_vat.validate(value)
    except _StdnumError:
        if target == "DE":
            message = _(
                "{label}: “{value}” is not a valid German VAT ID "
                "(USt-IdNr.: DE and 9 digits with a check digit, e.g. DE136695976)."
            )
        elif target == "PL":
            message = _(
                "{label}: “{value}” is not a valid Polish VAT ID "
                "(PL and the 10-digit NIP, e.g. PL5260001246)."
            )
        else:
            message = _(
                "{label}: “{value}” is not a valid EU VAT identification number "
                "(two-letter country prefix and number, e.g. FR40303265045)."
            )
        raise ValidationError(
            message.format(label=label, value=_shown(value)), field=field
        ) from None


_REGISTRY_TYPES = {registry.casefold(): registry for registry in _de_handelsreg.REGISTRY_TYPES}
_HANDELSREG_RE = re.compile(
    r"(?P<court>.+) (?P<registry>\S+) (?P<number>[0-9]+)(?: (?P<qualifier>\S+))?"
)


def handelsregister(value: str, *, field: str, label: str) -> str:
    """A German register entry (court, register type, number), e.g. "Cottbus HRB 1234".

    Stored in stdnum's normalised form: the court's official spelling first
    ("Frankfurt (Oder) HRB 1234" becomes "Frankfurt/Oder HRB 1234").
    """
    value = value.strip()
    try:
        normalised = _de_handelsreg.validate(value)
    except _StdnumError:
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid Handelsregister number (the register "
                "court, HRA or HRB (or GnR, PR, VR) and the number, e.g. Cottbus HRB 1234)."
            ).format(label=label, value=_shown(value)),
            field=field,
        ) from None
    # stdnum keeps the register type and qualifier as typed ("hrb 12 b"); spell them
    # the way the register does so equal entries compare equal.
    match = _HANDELSREG_RE.fullmatch(normalised)
    if match is None:  # pragma: no cover - stdnum always returns "court type number [x]"
        return normalised
    parts = [
        match["court"],
        _REGISTRY_TYPES.get(match["registry"].casefold(), match["registry"]),
        match["number"],
    ]
    if match["qualifier"]:
        parts.append(match["qualifier"].upper())
    return " ".join(parts)


# --- Contact details -------------------------------------------------------------------


def phone(value: str, *, field: str, label: str, default_region: str = "PL") -> str:
    """A phone number; stored in E.164 (+48601234567).

    ``default_region`` ("PL" or "DE", from the organisation's or contact's country) says
    how to read a number typed without a country code.
    """
    value = value.strip()
    try:
        number = phonenumbers.parse(value, default_region.strip().upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.extension:
        # E.164 has no room for an extension; dropping it silently would lose data.
        raise ValidationError(
            _(
                "{label}: “{value}” includes an extension; enter the number without it "
                "and note the extension separately."
            ).format(label=label, value=_shown(value)),
            field=field,
        )
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid phone number; enter it with the country "
                "code, e.g. +48 601 234 567 or +49 30 1234567."
            ).format(label=label, value=_shown(value)),
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone_national(e164: str) -> str:
    """A stored E.164 number for display: national format for PL/DE, else international."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164  # show what is stored rather than nothing
    if phonenumbers.region_code_for_number(number) in ("PL", "DE"):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email(value: str, *, field: str, label: str) -> str:
    """An e-mail address; stored normalised (domain lower-cased, Unicode NFC)."""
    value = value.strip()
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid e-mail address "
                "(name@domain, e.g. jan.kowalski@example.pl)."
            ).format(label=label, value=_shown(value)),
            field=field,
        ) from None


def postal_code(value: str, *, field: str, label: str, country: str) -> str:
    """A postal code, kept as text: PL "66-400", DE "15230", others loosely checked."""
    value = value.strip()
    country = country.strip().upper()
    if country == "PL":
        if re.fullmatch(r"[0-9]{2}-[0-9]{3}", value):
            return value
        if re.fullmatch(r"[0-9]{5}", value):
            return f"{value[:2]}-{value[2:]}"
        message = _("{label}: “{value}” is not a valid Polish postal code (NN-NNN, e.g. 66-400).")
    elif country == "DE":
        if re.fullmatch(r"[0-9]{5}", value):
            return value
        message = _("{label}: “{value}” is not a valid German postal code (5 digits, e.g. 15230).")
    else:
        if re.fullmatch(r"(?=.*[A-Za-z0-9])[A-Za-z0-9 \-]{3,10}", value):
            return value
        message = _(
            "{label}: “{value}” is not a valid postal code "
            "(3 to 10 letters, digits, spaces or dashes)."
        )
    raise ValidationError(message.format(label=label, value=_shown(value)), field=field)


# A scheme without "//" after it (javascript:, mailto:, data:); "localhost:8080" is a port.
_OPAQUE_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?![0-9])")
_HOST_LABEL_RE = re.compile(r"[^\W_](?:[\w\-]*[^\W_])?")


def url(value: str, *, field: str, label: str) -> str:
    """A web address, http or https only; "www.example.pl" is stored as https://www.example.pl."""
    value = value.strip()
    shown = _shown(value)
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise ValidationError(
            _(
                "{label}: “{value}” contains spaces or control characters; "
                "a web address has none (write a space as %20)."
            ).format(label=label, value=shown),
            field=field,
        )
    if "://" not in value and not _OPAQUE_SCHEME_RE.match(value):
        value = "https://" + value  # "www.example.pl" as people type it
    try:
        # Raises ValueError for an unbalanced "[" (IPv6) or a port that is not a number.
        parts = urlsplit(value)
        host = parts.hostname or ""
        _port = parts.port
    except ValueError:
        parts, host = None, ""
    scheme = parts.scheme.lower() if parts is not None else ""
    if scheme and scheme not in ("http", "https"):
        raise ValidationError(
            _(
                "{label}: “{value}” is a “{scheme}:” address; only web addresses "
                "starting with http:// or https:// are accepted."
            ).format(label=label, value=shown, scheme=scheme),
            field=field,
        )
    # "https://www.bank.pl@evil.example" shows one site and opens another: no user info.
    if (
        parts is None
        or not scheme
        or "@" in parts.netloc
        or not (host == "localhost" or "." in host)
        or not all(_HOST_LABEL_RE.fullmatch(part) for part in host.split("."))
    ):
        raise ValidationError(
            _(
                "{label}: “{value}” is not a valid web address "
                "(http:// or https:// and a domain, e.g. https://www.example.pl)."
            ).format(label=label, value=shown),
            field=field,
        )
    return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, parts.fragment))


# --- Dates, text and numbers -------------------------------------------------------------


def date_in_range(
    value: _dt.date,
    *,
    field: str,
    label: str,
    earliest: _dt.date = EARLIEST_DATE,
    latest: _dt.date = LATEST_DATE,
) -> _dt.date:
    """A date between ``earliest`` and ``latest`` (both included)."""
    if earliest <= value <= latest:
        return value
    raise ValidationError(
        _("{label}: {value} is outside the accepted range, {earliest} to {latest}.").format(
            label=label,
            value=format_date(value),
            earliest=format_date(earliest),
            latest=format_date(latest),
        ),
        field=field,
    )


_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DOTTED_DATE_RE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


# Days from today as the three languages say them, folded as fold() writes them (so "dzis",
# "ubermorgen" and "uebermorgen" are understood too). Every language's words are taken in
# every window: a German advisor in a Polish window still types "morgen".
_RELATIVE_DAYS = {
    "dzis": 0, "dzisiaj": 0, "jutro": 1, "pojutrze": 2, "wczoraj": -1, "przedwczoraj": -2,
    "heute": 0, "morgen": 1, "ubermorgen": 2, "uebermorgen": 2, "gestern": -1,
    "vorgestern": -2,
    "today": 0, "tomorrow": 1, "yesterday": -1,
}
# Monday is 0, as date.weekday() counts.
_WEEKDAYS = {
    "poniedzialek": 0, "wtorek": 1, "sroda": 2, "czwartek": 3, "piatek": 4, "sobota": 5,
    "niedziela": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonnabend": 5, "sonntag": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# "+7" or "-3": days after or before today (five digits at most: the range check names
# anything further off).
_DAYS_OFFSET_RE = re.compile(r"([+-])\s*([0-9]{1,5})")


def relative_date(value: str, *, today: _dt.date) -> _dt.date | None:
    """The day a word such as "jutro", "morgen", "today", "+7" or a weekday's name means
    (the next such weekday after ``today``); None when ``value`` is no such word."""
    word = fold(value.strip())
    if word in _RELATIVE_DAYS:
        return today + _dt.timedelta(days=_RELATIVE_DAYS[word])
    if word in _WEEKDAYS:
        return today + _dt.timedelta(days=(_WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    if match := _DAYS_OFFSET_RE.fullmatch(word):
        days = int(match.group(2))
        return today + _dt.timedelta(days=days if match.group(1) == "+" else -days)
    return None


def parse_date(value: str, *, field: str, label: str,
               today: _dt.date | None = None) -> _dt.date:
    """A date typed as YYYY-MM-DD or DD.MM.YYYY (as written in Poland and Germany), or as
    a day relative to ``today`` (the computer's date unless given): see relative_date."""
    value = value.strip()
    if (relative := relative_date(value, today=today or _dt.date.today())) is not None:
        return date_in_range(relative, field=field, label=label)
    if match := _ISO_DATE_RE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DOTTED_DATE_RE.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValidationError(
            _(
                "{label}: “{value}” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY, "
                "e.g. 2019-04-01 or 01.04.2019."
            ).format(label=label, value=_shown(value)),
            field=field,
        )
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("{label}: “{value}” is not a day in the calendar; check the day and month.").format(
                label=label, value=_shown(value)
            ),
            field=field,
        ) from None
    return date_in_range(date, field=field, label=label)


def text(value: str, *, field: str, label: str, max_length: int) -> str:
    """Free text: NFC-normalised, no control characters except line breaks and tabs."""
    # Text pasted from Windows or old Mac files carries \r; keep the line breaks.
    value = value.strip().replace("\r\n", "\n").replace("\r", "\n")
    for position, char in enumerate(value, start=1):
        category = unicodedata.category(char)
        if category == "Cs":
            raise ValidationError(
                _(
                    "{label} contains an invalid character (unpaired surrogate U+{code}) "
                    "at position {position}; remove it and try again."
                ).format(label=label, code=f"{ord(char):04X}", position=position),
                field=field,
            )
        if category == "Cc" and char not in "\n\t":
            raise ValidationError(
                _(
                    "{label} contains the control character U+{code} at position "
                    "{position}; remove it and try again."
                ).format(label=label, code=f"{ord(char):04X}", position=position),
                field=field,
            )
    return within_length(unicodedata.normalize("NFC", value), field=field, label=label,
                         max_length=max_length)


def within_length(value: str, *, field: str, label: str, max_length: int) -> str:
    """``value`` unchanged if it has at most ``max_length`` characters."""
    if len(value) > max_length:
        raise ValidationError(
            ngettext(
                "{label} is too long: {length} characters, at most {maximum} character is allowed.",
                "{label} is too long: {length} characters, at most {maximum} characters "
                "are allowed.",
                max_length,
            ).format(label=label, length=len(value), maximum=max_length),
            field=field,
        )
    return value


# Spaces people and babel use between groups of thousands (incl. no-break and thin spaces).
_GROUP_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
# Integer part with an optional thousands separator (the same one throughout), then an
# optional decimal separator that differs from it. One separator followed by exactly three
# digits ("1.234", "1,234") is read as thousands: money has no third decimal place.
_AMOUNT_RE = re.compile(
    r"(?P<integer>[1-9][0-9]{0,2}(?:(?P<group>[ .,'])[0-9]{3})(?:(?P=group)[0-9]{3})*|[0-9]+)"
    r"(?:(?!(?P=group))(?P<decimal>[.,])(?P<fraction>[0-9]{1,2}))?"
)
_CENT = Decimal("0.01")


def decimal_amount(value: str, *, field: str, label: str) -> Decimal:
    """A money amount such as 1234.56, 1 234,56, 1.234,56 or 1,234.56; two decimal places."""
    value = value.strip().translate(_GROUP_SPACES)
    shown = _shown(value)
    if value[:1] in ("-", "\u2212"):
        raise ValidationError(
            _("{label}: “{value}” is negative; enter an amount of 0 or more.").format(
                label=label, value=shown
            ),
            field=field,
        )
    match = _AMOUNT_RE.fullmatch(value)
    if match is not None:
        integer_part = re.sub(r"[ .,']", "", match["integer"])
        fraction = match["fraction"] or ""
        try:
            return Decimal(f"{integer_part}.{fraction or '0'}").quantize(_CENT)
        except InvalidOperation:
            pass  # too many digits to hold; refused below
    raise ValidationError(
        _(
            "{label}: “{value}” is not an amount of money; write it with at most two "
            "decimal places, e.g. 1234,56 or 1 234.56."
        ).format(label=label, value=shown),
        field=field,
    )


def integer(
    value: str,
    *,
    field: str,
    label: str,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number, optionally between ``minimum`` and ``maximum`` (both included)."""
    value = value.strip()
    # int() alone would also take "1_000", " 7 " and non-ASCII digits such as "٧".
    number: int | None = None
    if re.fullmatch(r"[+-]?[0-9]+", value):
        try:
            number = int(value)
        except ValueError:  # more digits than Python converts
            number = None
    if number is None:
        raise ValidationError(
            _("{label}: “{value}” is not a whole number (digits only, e.g. 12).").format(
                label=label, value=_shown(value)
            ),
            field=field,
        )
    too_small = minimum is not None and number < minimum
    too_large = maximum is not None and number > maximum
    if too_small or too_large:
        if minimum is not None and maximum is not None:
            message = _(
                "{label}: {value} is out of range; "
                "enter a whole number from {minimum} to {maximum}."
            )
        elif minimum is not None:
            message = _(
                "{label}: {value} is too small; enter a whole number of at least {minimum}."
            )
        else:
            message = _("{label}: {value} is too large; enter a whole number of at most {maximum}.")
        raise ValidationError(
            message.format(label=label, value=number, minimum=minimum, maximum=maximum),
            field=field,
        )
    return number


def choice(value: str, *, field: str, label: str, choices: Sequence[str]) -> str:
    """One of ``choices``; a match that differs only in case returns the listed spelling."""
    value = value.strip()
    if value in choices:
        return value
    folded = [option for option in choices if option.casefold() == value.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ValidationError(
        _("{label}: “{value}” is not one of the allowed values: {choices}.").format(
            label=label, value=_shown(value), choices=", ".join(choices)
        ),
        field=field,
    )
