"""Tests for the field validators in euregionet_desktop.domain.validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.de import vat as de_vat
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from euregionet_desktop.domain import validation
from euregionet_desktop.errors import ValidationError

LABEL = "Numer NIP"


def refused(function, value, **kwargs) -> ValidationError:
    """Call a validator that must refuse ``value`` and return the error it raised."""
    kwargs.setdefault("field", "some_field")
    kwargs.setdefault("label", LABEL)
    with pytest.raises(ValidationError) as caught:
        function(value, **kwargs)
    return caught.value


# --- Identifiers ---------------------------------------------------------------------


def test_nip_valid_is_stored_compact():
    """A check-digit-valid NIP written with dashes is stored as 10 digits."""
    assert pl_nip.is_valid("5260001246")
    assert validation.nip(" 526-000-12-46 ", field="nip", label=LABEL) == "5260001246"


def test_nip_wrong_check_digit_refused_with_field_and_label():
    """A NIP with a wrong check digit is refused; the error names field and label."""
    assert not pl_nip.is_valid("5260001247")
    error = refused(validation.nip, "526-000-12-47", field="nip", label=LABEL)
    assert error.field == "nip"
    assert LABEL in error.message
    assert "526-000-12-47" in error.message


def test_nip_wrong_length_refused():
    """A NIP with too few digits is refused."""
    refused(validation.nip, "526000124")


@pytest.mark.parametrize("value", ["192598184", "123456785", "12345678512347"])
def test_regon_valid(value):
    """Check-digit-valid 9- and 14-digit REGONs are accepted and stored compact."""
    assert pl_regon.is_valid(value)
    spaced = f"{value[:3]} {value[3:]}"
    assert validation.regon(spaced, field="regon", label="REGON") == value


def test_regon_wrong_check_digit_refused():
    """A REGON whose check digit does not match is refused."""
    assert not pl_regon.is_valid("192598185")
    error = refused(validation.regon, "192598185", field="regon", label="REGON")
    assert error.field == "regon"
    assert "REGON" in error.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [("0000123456", "0000123456"), ("123456", "0000123456"), ("1234567890", "1234567890")],
)
def test_krs_padded_to_ten_digits(value, stored):
    """A KRS number of up to 10 digits is stored zero-padded to 10."""
    assert validation.krs(value, field="krs", label="KRS") == stored


@pytest.mark.parametrize("value", ["12345678901", "KRS 123", "0000-123456", "0", "12a"])
def test_krs_other_text_refused(value):
    """Anything but 1 to 10 digits (and not all zeros) is refused as a KRS number."""
    assert refused(validation.krs, value, field="krs").field == "krs"


def test_vat_id_german_valid():
    """The German USt-IdNr DE136695976 is valid and stored compact with its prefix."""
    assert de_vat.is_valid("DE136695976")
    assert validation.vat_id("DE 136 695 976", field="vat_id", label="USt-IdNr", country=None) == (
        "DE136695976"
    )


def test_vat_id_german_without_prefix_uses_country():
    """A German organisation's VAT ID typed without DE gets the prefix."""
    assert validation.vat_id("136695976", field="vat_id", label="USt", country="DE") == (
        "DE136695976"
    )


def test_vat_id_german_wrong_check_digit_refused():
    """A German VAT ID with a wrong check digit is refused with a German-specific message."""
    assert not de_vat.is_valid("DE136695977")
    error = refused(validation.vat_id, "DE136695977", field="vat_id", label="USt", country="DE")
    assert error.field == "vat_id"
    assert "USt" in error.message
    assert "DE136695976" in error.message  # the example of what is expected


def test_vat_id_polish_is_nip_with_prefix():
    """A Polish VAT ID is validated as a NIP and stored as PL plus 10 digits."""
    assert validation.vat_id("PL 526-000-12-46", field="vat_id", label="VAT", country=None) == (
        "PL5260001246"
    )
    assert validation.vat_id("5260001246", field="vat_id", label="VAT", country="PL") == (
        "PL5260001246"
    )
    refused(validation.vat_id, "PL5260001247", country=None)


def test_vat_id_other_eu_country():
    """Other EU VAT IDs go through stdnum's EU rules; Greece's prefix is EL."""
    assert validation.vat_id("FR 40 303 265 045", field="v", label="VAT", country=None) == (
        "FR40303265045"
    )
    assert validation.vat_id("094259216", field="v", label="VAT", country="GR") == "EL094259216"
    refused(validation.vat_id, "FR40303265046", country=None)


def test_vat_id_without_prefix_or_country_refused():
    """A VAT ID without a prefix is refused when the country does not say which one."""
    error = refused(validation.vat_id, "5260001246", field="vat_id", label="VAT", country=None)
    assert "prefix" in error.message


def test_handelsregister_normalised_by_stdnum():
    """A Handelsregister entry is stored in stdnum's form with the court's official name."""
    assert (
        validation.handelsregister("Frankfurt (Oder) HRB 1234", field="handelsregister", label="HR")
        == "Frankfurt/Oder HRB 1234"
    )
    assert (
        validation.handelsregister("cottbus hrb 1234 cb", field="handelsregister", label="HR")
        == "Cottbus HRB 1234 CB"
    )


@pytest.mark.parametrize("value", ["Nowhere HRB 1234", "HRB 1234", "Cottbus HRX 1234"])
def test_handelsregister_refused(value):
    """An unknown court, a missing court or an unknown register type is refused."""
    error = refused(validation.handelsregister, value, field="handelsregister", label="HR")
    assert error.field == "handelsregister"
    assert "HR" in error.message


# --- Contact details -----------------------------------------------------------------


def test_phone_polish_international_to_e164():
    """A Polish mobile number with spaces is stored as E.164."""
    assert validation.phone("+48 601 234 567", field="phone", label="Telefon") == "+48601234567"


def test_phone_german_national_with_region():
    """A German national number is read with the DE region."""
    assert (
        validation.phone("030 1234567", field="phone", label="Telefon", default_region="DE")
        == "+49301234567"
    )


def test_phone_national_uses_polish_default_region():
    """Without a country code a number is read as Polish by default."""
    assert validation.phone("601 234 567", field="phone", label="Telefon") == "+48601234567"


@pytest.mark.parametrize("value", ["12", "+48 123", "phone me", "+48 601 234 567 ext. 12"])
def test_phone_refused(value):
    """Too short, unparsable, and numbers with an extension (lost in E.164) are refused."""
    error = refused(validation.phone, value, field="phone", label="Telefon")
    assert error.field == "phone"
    assert "Telefon" in error.message


def test_format_phone_national():
    """PL and DE numbers are shown in national format, others internationally."""
    assert validation.format_phone_national("+48601234567") == "601 234 567"
    assert validation.format_phone_national("+49301234567") == "030 1234567"
    assert validation.format_phone_national("+442079460958") == "+44 20 7946 0958"


def test_email_normalised():
    """An e-mail address is stored with the domain lower-cased and the local part kept."""
    assert (
        validation.email(" Jan.Kowalski@EXAMPLE.PL ", field="email", label="E-mail")
        == "Jan.Kowalski@example.pl"
    )
    assert (
        validation.email("Jan.Kowalski@example.pl", field="email", label="E-mail")
        == "Jan.Kowalski@example.pl"
    )


@pytest.mark.parametrize("value", ["not-an-email", "jan@", "jan@localhost", "a b@example.pl"])
def test_email_refused(value):
    """Text that is not an e-mail address is refused."""
    error = refused(validation.email, value, field="email", label="E-mail")
    assert error.field == "email"
    assert "E-mail" in error.message


@pytest.mark.parametrize(
    ("value", "country", "stored"),
    [
        ("66-400", "PL", "66-400"),
        ("66400", "PL", "66-400"),
        ("15230", "DE", "15230"),
        (" 15230 ", "de", "15230"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("1010", "AT", "1010"),
    ],
)
def test_postal_code_accepted(value, country, stored):
    """Postal codes in the form of their country are accepted; PL gets its dash."""
    assert validation.postal_code(value, field="postal_code", label="PLZ", country=country) == (
        stored
    )


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("6640", "PL"),
        ("66-4000", "PL"),
        ("664-00", "PL"),
        ("1523", "DE"),
        ("15-230", "DE"),
        ("152300", "DE"),
        ("AB", "GB"),
        ("---", "GB"),
        ("12345678901", "GB"),
        ("１５２３０", "DE"),
    ],
)
def test_postal_code_refused(value, country):
    """Postal codes that do not fit the country's form are refused."""
    error = refused(
        validation.postal_code, value, field="postal_code", label="Kod pocztowy", country=country
    )
    assert error.field == "postal_code"
    assert "Kod pocztowy" in error.message


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("https://www.example.pl", "https://www.example.pl"),
        ("www.example.pl", "https://www.example.pl"),
        ("example.de/impressum", "https://example.de/impressum"),
        ("HTTP://Example.DE/Pfad", "http://example.de/Pfad"),
        ("http://localhost:8080/x", "http://localhost:8080/x"),
    ],
)
def test_url_accepted(value, stored):
    """http(s) addresses with a domain are accepted; a missing scheme becomes https."""
    assert validation.url(value, field="website", label="WWW") == stored


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.pl",
        "mailto:jan@example.pl",
        "https://exa mple.pl",
        "https://example",
        "https://www.bank.pl@evil.example",
        "https://",
    ],
)
def test_url_refused(value):
    """Other schemes, spaces, hosts without a dot and user info are refused."""
    error = refused(validation.url, value, field="website", label="WWW")
    assert error.field == "website"
    assert "WWW" in error.message


# --- Dates, text and numbers ---------------------------------------------------------


@pytest.mark.parametrize("value", ["2019-04-01", "01.04.2019", "1.4.2019"])
def test_parse_date_accepted(value):
    """ISO and dotted (PL/DE) dates give the same date."""
    assert validation.parse_date(value, field="founded_on", label="Data") == dt.date(2019, 4, 1)


@pytest.mark.parametrize("value", ["2019/04/01", "04/01/2019", "1 April 2019", "20190401"])
def test_parse_date_other_forms_refused_with_expected_form(value):
    """Other date forms are refused with a message showing the expected form."""
    error = refused(validation.parse_date, value, field="founded_on", label="Data")
    assert error.field == "founded_on"
    assert "YYYY-MM-DD" in error.message
    assert "DD.MM.YYYY" in error.message


def test_parse_date_impossible_day_refused():
    """A well-formed but non-existent date is refused."""
    refused(validation.parse_date, "31.02.2019", field="founded_on", label="Data")


def test_parse_date_out_of_range_refused():
    """A date before 1900 is refused by the range check."""
    refused(validation.parse_date, "1899-12-31", field="founded_on", label="Data")


# A Saturday: "sobota" and "Samstag" mean the next one, a week later.
SATURDAY = dt.date(2026, 12, 5)


@pytest.mark.parametrize(("value", "expected"), [
    ("dziś", SATURDAY), ("dzis", SATURDAY), ("Dzisiaj", SATURDAY), ("heute", SATURDAY),
    ("today", SATURDAY), ("+0", SATURDAY),
    ("jutro", dt.date(2026, 12, 6)), ("morgen", dt.date(2026, 12, 6)),
    ("Tomorrow", dt.date(2026, 12, 6)),
    ("pojutrze", dt.date(2026, 12, 7)), ("übermorgen", dt.date(2026, 12, 7)),
    ("uebermorgen", dt.date(2026, 12, 7)),
    ("wczoraj", dt.date(2026, 12, 4)), ("gestern", dt.date(2026, 12, 4)),
    ("yesterday", dt.date(2026, 12, 4)), ("przedwczoraj", dt.date(2026, 12, 3)),
    ("vorgestern", dt.date(2026, 12, 3)),
    ("+7", dt.date(2026, 12, 12)), (" + 30 ", dt.date(2027, 1, 4)), ("-3", dt.date(2026, 12, 2)),
    ("poniedziałek", dt.date(2026, 12, 7)), ("Montag", dt.date(2026, 12, 7)),
    ("monday", dt.date(2026, 12, 7)), ("środa", dt.date(2026, 12, 9)),
    ("piatek", dt.date(2026, 12, 11)), ("Freitag", dt.date(2026, 12, 11)),
    ("sobota", dt.date(2026, 12, 12)), ("Samstag", dt.date(2026, 12, 12)),
    ("Sonnabend", dt.date(2026, 12, 12)), ("niedziela", dt.date(2026, 12, 6)),
    ("Sunday", dt.date(2026, 12, 6)),
])
def test_parse_date_relative_words_from_the_given_day(value, expected):
    """Words for days in Polish, German and English, "+N"/"-N" days and the next weekday
    of a name resolve from the day given as today."""
    assert validation.parse_date(value, field="due_on", label="Termin",
                                 today=SATURDAY) == expected


def test_parse_date_relative_word_without_today_counts_from_the_computer_date():
    """Without an injected day, "jutro" is the computer's tomorrow."""
    assert validation.parse_date("jutro", field="due_on", label="Termin") == (
        dt.date.today() + dt.timedelta(days=1))


@pytest.mark.parametrize("value", ["jutroo", "morgen früh", "+", "+7 Tage", "next monday",
                                   "++7", "+123456", "pon"])
def test_parse_date_other_words_still_refused_with_expected_form(value):
    """Words that are not among the relative ones are refused with the usual message."""
    error = refused(validation.parse_date, value, field="due_on", label="Termin",
                    today=SATURDAY)
    assert error.field == "due_on" and "DD.MM.YYYY" in error.message


def test_parse_date_relative_day_outside_the_range_refused():
    """"+99999" days is a valid offset but lands after 2100: the range check names it."""
    error = refused(validation.parse_date, "+99999", field="due_on", label="Termin",
                    today=SATURDAY)
    assert "2100" in error.message and "Termin" in error.message


def test_date_in_range_bounds():
    """Both bounds are included; a day outside is refused."""
    early, late = dt.date(2017, 4, 1), dt.date(2020, 8, 31)
    kwargs = {"field": "held_on", "label": "Termin", "earliest": early, "latest": late}
    assert validation.date_in_range(early, **kwargs) == early
    assert validation.date_in_range(late, **kwargs) == late
    error = refused(validation.date_in_range, dt.date(2020, 9, 1), **kwargs)
    assert error.field == "held_on"
    assert "Termin" in error.message


def test_text_nfc_normalised_and_stripped():
    """Text is stripped and NFC-normalised; newlines and tabs are kept."""
    stored = validation.text(
        " Zaz\u0301o\u0301\u0142k\u0105\nA\tB ", field="notes", label="Notatki", max_length=100
    )
    assert stored == "Zaźółką\nA\tB"


def test_text_windows_line_breaks_kept_as_newlines():
    """CR LF from pasted text becomes a plain newline instead of being refused."""
    assert validation.text("a\r\nb", field="notes", label="Notatki", max_length=10) == "a\nb"


@pytest.mark.parametrize("value", ["a\x00b", "a\ud800b", "a\udfffb", "a\x1bb", "a\x7fb", "a\x85b"])
def test_text_control_characters_and_lone_surrogates_refused(value):
    """NUL, lone surrogates and other control characters are refused."""
    error = refused(validation.text, value, field="notes", label="Notatki", max_length=100)
    assert error.field == "notes"
    assert "Notatki" in error.message
    assert "position 2" in error.message
    error.message.encode("utf-8")  # the message itself can be printed and logged


def test_text_too_long_states_maximum():
    """Over-long text is refused with the maximum in the message."""
    assert validation.text("x" * 20, field="name", label="Nazwa", max_length=20) == "x" * 20
    error = refused(validation.text, "x" * 21, field="name", label="Nazwa", max_length=20)
    assert "20" in error.message
    assert "Nazwa" in error.message


def test_text_length_counted_after_nfc():
    """A decomposed accent does not count twice against the maximum."""
    assert validation.text("e\u0301", field="name", label="Nazwa", max_length=1) == "\u00e9"


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567,8", "1234567.80"),
        ("1,234", "1234.00"),
        ("0,5", "0.50"),
        ("0", "0.00"),
    ],
)
def test_decimal_amount_accepted(value, amount):
    """Amounts in PL, DE and English writing give the same Decimal with two places."""
    result = validation.decimal_amount(value, field="cost", label="Koszt")
    assert result == Decimal(amount)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    ["NaN", "Infinity", "-Infinity", "1e5", "1.234.56", "12,34,56", "1234.567", "abc", "1,2,3"],
)
def test_decimal_amount_refused(value):
    """NaN, infinities, exponents, mixed-up separators and 3+ decimals are refused."""
    error = refused(validation.decimal_amount, value, field="cost", label="Koszt")
    assert error.field == "cost"
    assert "Koszt" in error.message


@pytest.mark.parametrize("value", ["-5", "-1,50", "\u221212"])
def test_decimal_amount_negative_refused(value):
    """Negative amounts are refused with their own message."""
    error = refused(validation.decimal_amount, value, field="cost", label="Koszt")
    assert "negative" in error.message


def test_integer_accepted_within_bounds():
    """Whole numbers within the bounds are returned as int."""
    assert validation.integer(" 16 ", field="target", label="Cel", minimum=0, maximum=100) == 16
    assert validation.integer("-3", field="offset", label="Przesunięcie") == -3


@pytest.mark.parametrize("value", ["1.5", "1_000", "\u0667", "ten", "0x10"])
def test_integer_not_a_number_refused(value):
    """Fractions, underscores, non-ASCII digits and words are refused."""
    error = refused(validation.integer, value, field="target", label="Cel")
    assert error.field == "target"
    assert "Cel" in error.message


def test_integer_out_of_bounds_refused_with_limits():
    """Numbers outside the bounds are refused and the message states the limits."""
    below = refused(validation.integer, "-1", field="score", label="Ocena", minimum=0, maximum=4)
    above = refused(validation.integer, "5", field="score", label="Ocena", minimum=0, maximum=4)
    for error in (below, above):
        assert "0" in error.message and "4" in error.message
    only_max = refused(validation.integer, "11", field="n", label="Liczba", maximum=10)
    assert "10" in only_max.message


def test_choice_accepted_and_case_folded():
    """A listed value is accepted; a case variant returns the listed spelling."""
    languages = ("pl", "de", "en")
    assert validation.choice("de", field="language", label="Język", choices=languages) == "de"
    assert validation.choice("PL", field="language", label="Język", choices=languages) == "pl"


def test_choice_refused_lists_allowed_values():
    """An unlisted value is refused and the message lists the allowed values."""
    error = refused(
        validation.choice, "fr", field="language", label="Język", choices=("pl", "de", "en")
    )
    assert error.field == "language"
    assert "Język" in error.message
    for option in ("pl", "de", "en"):
        assert option in error.message


# --- Any input: a value or a ValidationError, never a crash --------------------------

STRING_VALIDATORS = [
    (validation.nip, {}),
    (validation.regon, {}),
    (validation.krs, {}),
    (validation.vat_id, {"country": "DE"}),
    (validation.vat_id, {"country": None}),
    (validation.handelsregister, {}),
    (validation.phone, {}),
    (validation.email, {}),
    (validation.postal_code, {"country": "PL"}),
    (validation.postal_code, {"country": "FR"}),
    (validation.url, {}),
    (validation.parse_date, {}),
    (validation.text, {"max_length": 50}),
    (validation.decimal_amount, {}),
    (validation.integer, {}),
    (validation.choice, {"choices": ("a", "b")}),
]


@given(value=st.text(max_size=40))
def test_any_text_gives_value_or_validation_error(value):
    """Whatever is typed, each validator returns a value or raises ValidationError."""
    for function, extra in STRING_VALIDATORS:
        try:
            function(value, field="f", label="L", **extra)
        except ValidationError as error:
            assert error.field == "f"
            error.message.encode("utf-8")


@pytest.mark.parametrize(
    ("function", "value", "extra"),
    [
        (validation.nip, "526-000-12-46", {}),
        (validation.regon, "192 598 184", {}),
        (validation.krs, "123", {}),
        (validation.vat_id, "136695976", {"country": "DE"}),
        (validation.vat_id, "094259216", {"country": "GR"}),
        (validation.handelsregister, "Frankfurt (Oder) hrb 1234", {}),
        (validation.phone, "030 1234567", {"default_region": "DE"}),
        (validation.email, "Jan.Kowalski@EXAMPLE.PL", {}),
        (validation.postal_code, "66400", {"country": "PL"}),
        (validation.url, "www.example.pl", {}),
        (validation.text, " e\u0301 ", {"max_length": 5}),
        (validation.choice, "PL", {"choices": ("pl", "de")}),
    ],
)
def test_stored_value_validates_to_itself(function, value, extra):
    """A stored value passes its validator unchanged (imports and merges re-validate)."""
    stored = function(value, field="f", label="L", **extra)
    assert function(stored, field="f", label="L", **extra) == stored
