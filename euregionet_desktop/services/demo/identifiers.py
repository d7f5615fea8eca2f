"""Small demo generators: valid tax and register numbers, phones, mail names, dates, money."""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
import uuid
from decimal import Decimal

from stdnum.de import handelsregisternummer
from stdnum.iso7064 import mod_11_10
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from euregionet_desktop.i18n import fold
from euregionet_desktop.services.demo.vocabulary import DE_MOBILE, PL_MOBILE, City


def new_id() -> str:
    """A new record id (random, as records made by hand get)."""
    return str(uuid.uuid4())


def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10 ** count):0{count}d}"


def make_nip(rng: random.Random) -> str:
    """A check-digit-valid NIP (tax office prefix 1xx–9xx)."""
    while True:
        body = f"{rng.randint(100, 999)}{_digits(rng, 6)}"
        check = pl_nip.checksum(body + "0")  # the check digit has weight -1: 0 adds nothing
        if check < 10:
            return f"{body}{check}"


def make_regon(rng: random.Random) -> str:
    """A check-digit-valid 9-digit REGON (08: the Lubuskie voivodeship code)."""
    body = "08" + _digits(rng, 6)
    return body + pl_regon.calc_check_digit(body)


def make_de_vat(rng: random.Random) -> str:
    """A check-digit-valid USt-IdNr. (DE and 9 digits, ISO 7064 Mod 11,10)."""
    body = f"{rng.randint(1, 9)}{_digits(rng, 7)}"
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


@functools.cache
def _court(name: str) -> str:
    # Stored in stdnum's normalised spelling, as the validator stores what people type.
    return handelsregisternummer.validate(f"{name} HRB 1").rsplit(" HRB ", 1)[0]


def make_register(rng: random.Random, city: City) -> str:
    kind = rng.choice(("HRB", "HRB", "HRB", "HRA"))
    return f"{_court(city.court)} {kind} {rng.randint(1000, 29999)}"


def make_phone(rng: random.Random, country: str, city: City | None = None, *,
               mobile: bool = False) -> str:
    """A valid E.164 number: a landline of the city, or a mobile number."""
    if country == "PL":
        if mobile or city is None:
            return f"+48{rng.choice(PL_MOBILE)}{_digits(rng, 6)}"
        return f"+48{city.area_code}{rng.randint(2, 8)}{_digits(rng, 6)}"
    if mobile or city is None:
        prefix, length = rng.choice(DE_MOBILE)
        return f"+49{prefix}{rng.randint(1, 9)}{_digits(rng, length - 1)}"
    # National significant numbers of ten digits are valid for every area code used here.
    return f"+49{city.area_code}{rng.randint(2, 9)}{_digits(rng, 9 - len(city.area_code))}"


_NOT_LOCAL = re.compile(r"[^a-z0-9]+")
# German addresses spell umlauts out (Schütze → schuetze); fold() drops the marks.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _ascii(text: str) -> str:
    return _NOT_LOCAL.sub("-", fold(text.translate(_UMLAUTS))).strip("-")


def mail_local(*words: str) -> str:
    """"Małgorzata", "Kozłowska" → "malgorzata.kozlowska"; "Schütze" → "schuetze"."""
    return ".".join(_ascii(w) for w in words if w)


def slug(text: str) -> str:
    return _ascii(text)[:40].strip("-")


def date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def workday_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = date_between(rng, start, end)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return max(day, start)


def money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 250).quantize(Decimal("0.01"))


def domain_for(country: str) -> str:
    """The reserved example domain for invented addresses in a country."""
    return {"PL": "example.pl", "DE": "example.de"}.get(country, "example.com")
