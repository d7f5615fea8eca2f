"""Languages: gettext (_ / ngettext / N_), babel formatting, text folding and sort keys."""

from __future__ import annotations

import datetime as _dt
import functools
import gettext as _gettext
import io
import locale as _locale
import os
import re
import unicodedata
from decimal import Decimal

from babel import Locale
from babel import dates as _babel_dates
from babel import numbers as _babel_numbers

from euregionet_desktop.package_data import data_path

LANGUAGES = ("pl", "de", "en")
DOMAIN = "messages"
# Installed: compiled catalogs in the package; a source checkout: the .po files (see below).
TRANSLATIONS_DIR = data_path("translations")
GLOSSARY_FILE = TRANSLATIONS_DIR / "glossary.tsv"

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def system_language() -> str:
    """The language of the system locale if we have it, else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            code = value.split(":")[0].split("_")[0].split(".")[0].lower()
            if code in LANGUAGES:
                return code
    try:
        code = (_locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else "en"


def set_language(language: str | None) -> str:
    """Switch the active language (None = follow the system); returns the language used."""
    global _translations, _language
    language = language or system_language()
    if language not in LANGUAGES:
        language = "en"
    _language = language
    _translations = translation(language)
    return language


def current_language() -> str:
    return _language


@functools.lru_cache(maxsize=8)
def translation(language: str) -> _gettext.NullTranslations:
    """The catalog of one language, whatever the active one is (documents are written in
    the language chosen for them, not in the language of the window)."""
    folder = TRANSLATIONS_DIR / language / "LC_MESSAGES"
    compiled, source = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if compiled.exists() and (not source.exists()
                              or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as file:
            return _gettext.GNUTranslations(file)
    if source.exists():
        # A source checkout has the .po files only; compile in memory (a few ms).
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with source.open("rb") as file:
            catalog = read_po(file, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


def _(message: str) -> str:
    """Translate a message in the active language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, using the language's plural forms."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a module-level constant for extraction; translate it with _() at use."""
    return message


def babel_locale(language: str | None = None) -> Locale:
    return Locale.parse({"pl": "pl_PL", "de": "de_DE", "en": "en_GB"}[language or _language])


# The day as each language writes it in lists and forms: 25.11.2026 in Polish (babel's
# "short") and German ("medium"; German "short" has a two-digit year), 25 Nov 2026 in English.
DATE_FORMATS = {"pl": "short", "de": "medium", "en": "medium"}


def format_date(value: _dt.date | None, *, language: str | None = None,
                fmt: str | None = None) -> str:
    if value is None:
        return ""
    fmt = fmt or DATE_FORMATS[language or _language]
    return _babel_dates.format_date(value, format=fmt, locale=babel_locale(language))


def format_stored_minute(value: str | None, *, language: str | None = None) -> str:
    """A stored "YYYY-MM-DD HH:MM" (a consultation's time) as ``format_datetime`` writes a
    moment; text that is not such a value is shown as it is."""
    if not value:
        return ""
    try:
        moment = _dt.datetime.fromisoformat(value[:16])
    except ValueError:
        return value
    if len(value.strip()) <= 10:  # a day without a time
        return format_date(moment.date(), language=language)
    return format_datetime(moment, language=language)


def format_datetime(
    value: _dt.datetime | None, *, language: str | None = None, fmt: str | None = None
) -> str:
    """A moment: by default the day as ``format_date`` writes it and the time to the minute,
    joined the language's way (25.11.2026, 14:30)."""
    if value is None:
        return ""
    locale = babel_locale(language)
    if fmt is not None:
        return _babel_dates.format_datetime(value, format=fmt, locale=locale)
    day = format_date(value.date(), language=language)
    time = _babel_dates.format_time(value, format="short", locale=locale)
    return locale.datetime_formats["short"].format(time, day)


def format_number(value: int | float | Decimal, *, language: str | None = None) -> str:
    return _babel_numbers.format_decimal(value, locale=babel_locale(language))


def format_money(
    value: Decimal | float | int, currency: str, *, language: str | None = None
) -> str:
    return _babel_numbers.format_currency(value, currency, locale=babel_locale(language))


def format_percent(value: float, *, language: str | None = None) -> str:
    return _babel_numbers.format_percent(value, locale=babel_locale(language))


# --- Text folding and sort keys -------------------------------------------------------
# Search folds in Python because FTS5's remove_diacritics leaves ł and ß alone and knows
# nothing of the German ä→ae spelling; sort keys are plain strings so SQLite can order and
# index them with its default BINARY collation (no ICU, no custom collation to register).

_FOLD_LETTERS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe"})
_UMLAUT_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_EMAIL = re.compile(r"([^\s@]+)@[^\s@]+")


def fold(text: str) -> str:
    """Lowercase `text` and drop its diacritics, for search: fold("Łódź") == "lodz"."""
    # casefold already turns ß and ẞ into "ss"; ł, đ, ø, æ, œ are letters of their own
    # in Unicode (no combining mark to strip), so they are mapped by hand, after the
    # marks are gone so that ǣ or ǿ reach the table as æ and ø.
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    bare = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare.translate(_FOLD_LETTERS))


def fold_forms(text: str) -> list[str]:
    """The folded spellings a person might type: fold_forms("Müller") == ["muller", "mueller"]."""
    forms = [fold(text)]
    lowered = unicodedata.normalize("NFC", text).casefold()
    if any(umlaut in lowered for umlaut in "äöü"):
        forms.append(fold(lowered.translate(_UMLAUT_SPELLING)))
    return list(dict.fromkeys(forms))


class _WordCharacters(dict):
    """A ``str.translate`` table, filled as characters come: letters, digits and marks
    stay, anything else becomes a space (worked out once per character, not per use; at
    most ``LIMIT`` characters kept, whatever texts arrive)."""

    LIMIT = 1 << 12

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = char if unicodedata.category(char)[0] in "LNM" else " "
        if len(self) < self.LIMIT:
            self[code] = kept
        return kept


_WORD_CHARACTERS = _WordCharacters()


def _words(text: str) -> list[str]:
    """Runs of letters and digits; combining marks stay inside their word."""
    return unicodedata.normalize("NFC", text).translate(_WORD_CHARACTERS).split()


@functools.lru_cache(maxsize=1 << 15)
def _search_words(text: str) -> tuple[str, ...]:
    """The words of `text`, plus each e-mail local part run together ("jan.nowak" → "jannowak")."""
    # Cached: first names, cities, functions and sectors repeat across thousands of records.
    words = _words(text)
    for match in _EMAIL.finditer(unicodedata.normalize("NFC", text)):
        local = _words(match.group(1))
        if len(local) > 1:
            words.append("".join(local))
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def _searchable_forms(word: str) -> tuple[str, ...]:
    # Names and words repeat a lot across records, so indexing 100k rows hits this cache.
    # A form without any letter or digit (a lone spacing mark, say) gives FTS5 no token;
    # as a query term it would be an empty phrase, which makes the whole AND match nothing.
    return tuple(
        form for form in fold_forms(word) if any(unicodedata.category(c)[0] in "LN" for c in form)
    )


def search_text(*parts: str | None) -> str:
    """The text to store in the FTS5 index for a record made of `parts`."""
    forms = [
        form
        for part in parts
        if part
        for word in _search_words(part)
        for form in _searchable_forms(word)
    ]
    return " ".join(dict.fromkeys(forms))


def fts_query(text: str) -> str | None:
    """A safe FTS5 MATCH expression for what a person typed; None if nothing is searchable."""
    terms = []
    for word in _search_words(text):
        # Quoted phrases: FTS5 syntax in the input ("*", "NEAR(", "-", ":") stays literal.
        prefixes = ['"{}"*'.format(form.replace('"', '""')) for form in _searchable_forms(word)]
        if len(prefixes) == 1:
            terms.append(prefixes[0])
        elif prefixes:
            terms.append(f"({' OR '.join(prefixes)})")
    # Explicit AND: FTS5 rejects implicit AND next to a parenthesised group.
    return " AND ".join(dict.fromkeys(terms)) or None


# Weights are private-use characters (U+E000 up, never surrogates), so UTF-8 byte order
# = code-point order: level break "\x01" < word break < digits < a ą … ż < other letters.
# The level break sorting first puts a name before its extensions ("Nowak" < "Nowaka").
_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_LEVEL = "\x01"
_WORD_BREAK = "\ue002"
_DIGIT_0 = 0xE010
_LETTER_WEIGHTS = {letter: chr(0xE020 + i) for i, letter in enumerate(_ALPHABET)}
# Any other letter (Cyrillic, Greek, …) sorts after ż, among its kind by code point.
_OTHER_LETTER = chr(0xE020 + len(_ALPHABET))
# Letters that NFKD does not split into base letter + mark.
_SORT_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i"})
# Secondary and tertiary weights: unaccented before accented, lowercase before uppercase.
_PLAIN, _MARKED = "\ue000", "\ue001"


def _primary(char: str) -> str | None:
    if char in _LETTER_WEIGHTS:
        return _LETTER_WEIGHTS[char]
    if char.isdecimal():
        return chr(_DIGIT_0 + unicodedata.decimal(char))
    if unicodedata.category(char)[0] in "LN":
        return _OTHER_LETTER + char
    return None


def sort_key(text: str | None) -> str:
    """A key whose code-point order sorts names the Polish/German way (a ą … ä with a, ß = ss)."""
    if not text:
        return ""
    return _sort_key(text)


_BREAK, _MARK = "break", "mark"  # a space or dash (a word break); a lone mark


@functools.lru_cache(maxsize=1 << 12)
def _char_weights(char: str) -> tuple[tuple[str, str, str], ...] | str:
    """(primary, secondary, tertiary) weights of one character (letters such as ß give
    two), or ``_BREAK`` / ``_MARK``; cached: a few hundred characters make up the names
    of 100k records, and working a character out is most of a sort key's cost."""
    category = unicodedata.category(char)
    if char.isspace() or category == "Pd":
        return _BREAK
    if category[0] == "M":
        return _MARK
    weights = []
    case = _MARKED if char.isupper() or char.istitle() else _PLAIN
    for folded in char.casefold():  # ß → ss, Ł → ł
        if folded in _LETTER_WEIGHTS or folded.isdecimal():
            bases, accent = folded, _PLAIN
        else:  # ä → a + mark, é → e + mark, ﬁ → fi, ø → o
            decomposed = unicodedata.normalize("NFKD", folded)
            bases = "".join(c for c in decomposed if unicodedata.category(c)[0] != "M")
            bases = bases.translate(_SORT_LETTERS)
            accent = _MARKED if bases != folded else _PLAIN
        for base in bases:
            weight = _primary(base)
            if weight is not None:
                weights.append((weight, accent, case))
    return tuple(weights)


@functools.lru_cache(maxsize=1 << 15)
def _sort_key(text: str) -> str:
    # Cached: names, cities and titles repeat across thousands of records in bulk paths.
    primary: list[str] = []
    accents: list[str] = []  # secondary level: one weight per primary letter/digit
    cases: list[str] = []  # tertiary level: lowercase first
    for char in unicodedata.normalize("NFC", text):
        weights = _char_weights(char)
        if weights is _BREAK:
            # Word by word: "Nowak Zenon" before "Nowaka Anna".
            if primary and primary[-1] != _WORD_BREAK:
                primary.append(_WORD_BREAK)
        elif weights is _MARK:  # a mark NFC could not compose onto the letter before it
            if accents:
                accents[-1] = _MARKED
        else:
            for weight, accent, case in weights:
                primary.append(weight)
                accents.append(accent)
                cases.append(case)
    if primary and primary[-1] == _WORD_BREAK:
        primary.pop()
    # The original text last makes the order total: equal keys only for equal texts.
    return _LEVEL.join(("".join(primary), "".join(accents), "".join(cases), text))
