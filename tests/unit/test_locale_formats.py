"""Dates, times, numbers and money as each language writes them (babel's forms)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from euregionet_desktop import i18n

DAY = dt.date(2026, 11, 25)
MOMENT = dt.datetime(2026, 11, 5, 14, 30)
AMOUNT = Decimal("1234.56")


@pytest.mark.parametrize(("language", "day", "moment", "money", "number"), [
    ("pl", "25.11.2026", "5.11.2026, 14:30", "1\xa0234,56\xa0zł", "1\xa0234,5"),
    ("de", "25.11.2026", "05.11.2026, 14:30", "1.234,56\xa0€", "1.234,5"),
    ("en", "25 Nov 2026", "5 Nov 2026, 14:30", "€1,234.56", "1,234.5"),
])
def test_each_language_writes_its_own_forms(language, day, moment, money, number):
    """25.11.2026 and 1 234,56 zł in Polish, 25.11.2026 and 1.234,56 € in German."""
    currency = "PLN" if language == "pl" else "EUR"
    assert i18n.format_date(DAY, language=language) == day
    assert i18n.format_datetime(MOMENT, language=language) == moment
    assert i18n.format_money(AMOUNT, currency, language=language) == money
    assert i18n.format_number(Decimal("1234.5"), language=language) == number


def test_the_active_language_is_the_default():
    """Without a language argument the language set last is used."""
    try:
        i18n.set_language("de")
        assert i18n.format_date(DAY) == "25.11.2026"
        assert i18n._("Cluster") == "Cluster" and i18n._("&File") == "&Datei"
        i18n.set_language("pl")
        assert i18n.format_money(AMOUNT, "PLN") == "1\xa0234,56\xa0zł"
        assert i18n._("&File") == "&Plik"
    finally:
        i18n.set_language("en")


def test_weeks_start_on_monday_in_every_language():
    """The calendar's first day is Monday for pl, de and the British English we use."""
    for language in i18n.LANGUAGES:
        assert i18n.babel_locale(language).first_week_day == 0
