"""Duplicate matching: the keys two records of the same firm, person or cluster share, and
a 0–100 score with its reasons for a pair (issue 17). Pure functions, no storage.

Identifiers are compacted with python-stdnum (and phonenumbers) whatever their spelling:
a NIP with or without dashes or a ``PL`` prefix and a Polish VAT ID are one tax key
(``PL`` + 10 digits); a 14-digit REGON (a local unit) blocks with the 9-digit REGON of its
firm; KRS numbers lose their zeros' spelling; Handelsregister entries are compared in
stdnum's form. Names are folded the project's way (``i18n.fold`` and the ``ä → ae`` forms
of ``i18n.fold_forms``: ł → l, ß → ss, never an ASCII-dropping NFKD), legal forms are
removed from the end (``sp. z o.o.``, ``GmbH & Co. KG``, ``e.V.``, …), and names are scored
with rapidfuzz.

A score is the strongest of its signals plus a little for each further one; identifiers
that are present on both sides and differ (two NIPs) pull a name-only match below the
threshold: two firms of the same name in one town with different tax numbers are two firms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from rapidfuzz import fuzz
from stdnum.de import handelsregisternummer as _de_handelsreg
from stdnum.de import vat as _de_vat
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import ValidationError as _StdnumError
from stdnum.pl import nip as _pl_nip
from stdnum.pl import regon as _pl_regon

from euregionet_desktop.i18n import N_, fold, fold_forms

# A pair is shown as a possible duplicate from this score on.
THRESHOLD = 70
# Name similarity (0–100, see ``name_similarity``) from which two names count as similar.
SIMILAR_NAME = 88
SAME_NAME = 100

# Why a pair is a candidate: code -> short text (translate at use).
REASONS: dict[str, str] = {
    "tax_id": N_("the same NIP / VAT ID"),
    "regon": N_("the same REGON"),
    "krs": N_("the same KRS number"),
    "register": N_("the same commercial register entry"),
    "website": N_("the same website"),
    "name_city": N_("similar name and the same city"),
    "same_name_city": N_("the same name and the same city"),
    "name": N_("similar name"),
    "same_name": N_("the same name"),
    "email": N_("the same e-mail"),
    "phone": N_("the same phone number"),
    "name_organisation": N_("the same name and the same organisation"),
}

# Legal forms, as folded word sequences; removed (repeatedly) from the end of a name.
_LEGAL_FORMS_TEXT = (
    "sp. z o.o.", "sp. z o. o.", "spółka z ograniczoną odpowiedzialnością", "spółka z o.o.",
    "sp. zoo", "s.a.", "spółka akcyjna", "sp. j.", "spółka jawna", "sp. k.",
    "spółka komandytowa", "sp. p.", "spółka partnerska", "s.k.a.", "sp. k. a.",
    "spółka komandytowo-akcyjna", "s.c.", "spółka cywilna", "p.p.h.u.", "p.h.u.",
    "gmbh & co. kg", "gmbh & co kg", "gmbh & co. kgaa", "gmbh", "mbh", "ggmbh", "e.v.", "e.k.",
    "e.kfm.", "e.kfr.", "ag", "kgaa", "ug (haftungsbeschränkt)", "ug haftungsbeschränkt", "ug",
    "kg", "ohg", "gbr", "eg", "partg", "partg mbb", "se", "ltd", "ltd.", "inc.",
)
_WORD = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


_LEGAL_FORMS = sorted({_words(form) for text in _LEGAL_FORMS_TEXT for form in fold_forms(text)},
                      key=len, reverse=True)


# --- Identifiers --------------------------------------------------------------------------


def tax_key(value: str | None, country: str | None = None) -> str | None:
    """A NIP or an EU VAT ID as one key (``PL5990002005``, ``DE136695976``); None when it
    is not a valid number. A bare 10-digit number is read as a NIP, a bare 9-digit one as a
    German USt-IdNr. when the country says DE."""
    if not value or not value.strip():
        return None
    text = re.sub(r"[\s.\-/]", "", value)  # any separators people type
    head = text[:2].upper()
    try:
        if head.isalpha() and head != "PL":
            return _eu_vat.compact(_eu_vat.validate(text))
        if head.isalpha() or (country or "PL").upper() != "DE":
            return "PL" + _pl_nip.validate(text)
        return "DE" + _de_vat.validate(text)
    except _StdnumError:
        return None


def regon_key(value: str | None) -> str | None:
    """The 9 digits naming the firm of a REGON (9 or 14 digits); None when not valid."""
    if not value:
        return None
    try:
        return _pl_regon.validate(value.strip())[:9]
    except _StdnumError:
        return None


def krs_key(value: str | None) -> str | None:
    digits = re.sub(r"[\s\-]", "", value or "").upper().removeprefix("KRS")
    if re.fullmatch(r"[0-9]{1,10}", digits) and int(digits) > 0:
        return digits.zfill(10)
    return None


def register_key(value: str | None) -> str | None:
    """A Handelsregister entry in one spelling (court, type, number, folded)."""
    if not value or not value.strip():
        return None
    try:
        normalised = _de_handelsreg.validate(value.strip())
    except _StdnumError:
        return None
    return " ".join(_words(fold(normalised)))


def website_domain(value: str | None) -> str | None:
    """The host of a web address, lowercase, without ``www.``, scheme, port or path."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.rstrip(".").lower()
    return host.removeprefix("www.") or None


def email_key(value: str | None) -> str | None:
    text = (value or "").strip()
    return text.casefold() if "@" in text else None


def phone_key(value: str | None, region: str | None = None) -> str | None:
    """A phone number in E.164; None when it is not a valid number."""
    if not value or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value.strip(), (region or "PL").upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Names --------------------------------------------------------------------------------


def _strip_legal_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    changed = True
    while changed and words:
        changed = False
        for form in _LEGAL_FORMS:
            if len(form) < len(words) and words[-len(form):] == form:
                words = words[:-len(form)]
                changed = True
                break
    return words


@functools.lru_cache(maxsize=1 << 16)
def name_forms(name: str | None, *, legal_forms: bool = True) -> tuple[str, ...]:
    """The folded spellings of a name (plain and ``ae`` forms), words joined by one space,
    without legal forms at the end (``legal_forms``); () for an empty name."""
    if not name:
        return ()
    forms = []
    for form in fold_forms(name):
        words = _words(form)
        if legal_forms:
            words = _strip_legal_forms(words)
        if words:
            forms.append(" ".join(words))
    return tuple(dict.fromkeys(forms))


def name_keys(forms: Iterable[str]) -> frozenset[str]:
    """Blocking keys of a name: its words sorted (word order does not matter)."""
    return frozenset(" ".join(sorted(form.split())) for form in forms)


def name_similarity(first: Iterable[str], second: Iterable[str]) -> float:
    """0–100: how alike two names are (best over their folded forms): the mean of
    rapidfuzz's token-set and token-sort ratios, so that a name wholly inside a longer one
    ("Piekarnia" in "Piekarnia Szewczyk") is not taken for the same name."""
    best = 0.0
    for a in first:
        for b in second:
            if a == b:
                return 100.0
            best = max(best, (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2)
    return best


def _abbreviates(short: str, long: str) -> bool:
    """Whether a word is the other or shortens it ("wlkp" for "wielkopolski", "ffo")."""
    if len(short) > len(long):
        short, long = long, short
    if short[:1] != long[:1]:
        return False
    letters = iter(long)
    return all(letter in letters for letter in short)


def same_place(first: Iterable[str], second: Iterable[str]) -> bool:
    """Whether two folded town names name one place: word by word equal or shortened
    ("Gorzów Wlkp." and "Gorzów Wielkopolski", "Frankfurt (Oder)" and "Frankfurt/Oder");
    a missing second word counts as the same ("Gorzów")."""
    for a in first:
        for b in second:
            if all(_abbreviates(x, y) for x, y in zip(a.split(), b.split(), strict=False)):
                return True
    return False


# --- Keys of a record ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationKeys:
    tax: str | None = None
    regon: str | None = None
    krs: str | None = None
    register: str | None = None
    domain: str | None = None
    names: tuple[str, ...] = ()
    city: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactKeys:
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    names: tuple[str, ...] = ()
    organisation_id: str | None = None


@dataclass(frozen=True)
class ClusterKeys:
    names: tuple[str, ...] = ()


def organisation_keys(values: Mapping[str, Any]) -> OrganisationKeys:
    """The keys of an organisation from its stored values or what a person typed."""
    country = values.get("country")
    tax = tax_key(values.get("nip"), "PL") or tax_key(values.get("vat_id"), country)
    return OrganisationKeys(
        tax=tax, regon=regon_key(values.get("regon")), krs=krs_key(values.get("krs")),
        register=register_key(values.get("register_number")),
        domain=website_domain(values.get("website")), names=name_forms(values.get("name")),
        city=name_forms(values.get("city"), legal_forms=False))


def contact_keys(values: Mapping[str, Any]) -> ContactKeys:
    region = values.get("country") or "PL"
    return ContactKeys(
        emails=frozenset(k for k in (email_key(values.get("email")),) if k),
        phones=frozenset(k for k in (phone_key(values.get("phone"), region),
                                     phone_key(values.get("mobile"), region)) if k),
        names=person_name_forms(values.get("first_name"), values.get("last_name")),
        organisation_id=values.get("organisation_id") or None)


def cluster_keys(values: Mapping[str, Any]) -> ClusterKeys:
    names = name_forms(values.get("name_pl")) + name_forms(values.get("name_de"))
    return ClusterKeys(names=tuple(dict.fromkeys(names)))


# --- Scores -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]  # codes of ``REASONS``, strongest first


def _combine(signals: list[tuple[float, str]]) -> Match | None:
    """The strongest signal, plus 5 for each further one (at most 100)."""
    if not signals:
        return None
    signals.sort(key=lambda s: -s[0])
    score = min(100, round(signals[0][0] + 5 * (len(signals) - 1)))
    return Match(score, tuple(code for _score, code in signals))


def _differ(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def score_organisations(a: OrganisationKeys, b: OrganisationKeys) -> Match | None:
    signals: list[tuple[float, str]] = []
    if a.tax and a.tax == b.tax:
        signals.append((100, "tax_id"))
    if a.regon and a.regon == b.regon:
        signals.append((95, "regon"))
    if a.krs and a.krs == b.krs:
        signals.append((95, "krs"))
    if a.register and a.register == b.register:
        signals.append((95, "register"))
    if a.domain and a.domain == b.domain:
        signals.append((80, "website"))
    similarity = name_similarity(a.names, b.names)
    if similarity >= SIMILAR_NAME:
        same = similarity >= SAME_NAME
        if a.city and b.city and same_place(a.city, b.city):
            signals.append((0.9 * similarity, "same_name_city" if same else "name_city"))
        elif not (a.city and b.city):
            signals.append((0.8 * similarity, "same_name" if same else "name"))
        else:
            signals.append((0.6 * similarity, "same_name" if same else "name"))
    # Different tax numbers are different firms, whatever else they share (a REGON typed
    # wrong, a register entry copied from the parent company); without tax numbers, any
    # other differing identifier undoes a match that rests on names and websites alone.
    identified = any(code in ("tax_id", "regon", "krs", "register") for _score, code in signals)
    if _differ(a.tax, b.tax) or (not identified and (
            _differ(a.regon, b.regon) or _differ(a.krs, b.krs)
            or _differ(a.register, b.register))):
        signals = [(score * 0.6, code) for score, code in signals]
    return _combine(signals)


def score_contacts(a: ContactKeys, b: ContactKeys) -> Match | None:
    signals: list[tuple[float, str]] = []
    if a.emails & b.emails:
        signals.append((95, "email"))
    similarity = name_similarity(a.names, b.names)
    if a.phones & b.phones:
        # A switchboard number is shared by a firm's people: on its own, just a candidate.
        signals.append((90 if similarity >= 80 else THRESHOLD, "phone"))
    if similarity >= SIMILAR_NAME:
        if a.organisation_id and a.organisation_id == b.organisation_id:
            signals.append((0.9 * similarity, "name_organisation"))
        elif not (a.organisation_id and b.organisation_id):
            signals.append((0.65 * similarity, "same_name" if similarity >= SAME_NAME else "name"))
        else:
            signals.append((0.5 * similarity, "same_name" if similarity >= SAME_NAME else "name"))
    if a.emails and b.emails and not a.emails & b.emails:
        # Two e-mail addresses: two people sharing a line, unless their names agree too.
        signals = [(score * 0.8, code) for score, code in signals]
    return _combine(signals)


def score_clusters(a: ClusterKeys, b: ClusterKeys) -> Match | None:
    similarity = name_similarity(a.names, b.names)
    if similarity < SIMILAR_NAME:
        return None
    return _combine([(0.9 * similarity if similarity < SAME_NAME else 95,
                      "same_name" if similarity >= SAME_NAME else "name")])


def is_candidate(match: Match | None) -> bool:
    return match is not None and match.score >= THRESHOLD


# --- Keys of stored records (values already normalised by the field kinds) ----------------


def stored_organisation_keys(values: Mapping[str, Any]) -> OrganisationKeys:
    """``organisation_keys`` for a stored row, without re-validating what the field kinds
    stored normalised (NIP 10 digits, VAT ID with its prefix, REGON, KRS 10 digits)."""
    nip, vat_id, regon = values.get("nip"), values.get("vat_id"), values.get("regon")
    register = values.get("register_number")
    return OrganisationKeys(
        tax=("PL" + nip) if nip else (vat_id or None), regon=regon[:9] if regon else None,
        krs=values.get("krs") or None,
        register=" ".join(_words(fold(register))) if register else None,
        domain=website_domain(values.get("website")), names=name_forms(values.get("name")),
        city=name_forms(values.get("city"), legal_forms=False))


def stored_contact_keys(values: Mapping[str, Any]) -> ContactKeys:
    email = values.get("email")
    return ContactKeys(
        emails=frozenset((email.casefold(),)) if email else frozenset(),
        phones=frozenset(p for p in (values.get("phone"), values.get("mobile")) if p),
        names=person_name_forms(values.get("first_name"), values.get("last_name")),
        organisation_id=values.get("organisation_id") or None)


@functools.lru_cache(maxsize=1 << 16)
def person_name_forms(first: str | None, last: str | None) -> tuple[str, ...]:
    """The folded forms of a person's full name (cached: names repeat a lot)."""
    return name_forms(f"{first} {last}" if first and last else (first or last),
                      legal_forms=False)


@functools.lru_cache(maxsize=1 << 16)
def person_name_keys(first: str | None, last: str | None) -> frozenset[str]:
    return name_keys(person_name_forms(first, last))
