"""The shared glossary's terms are used in the Polish and German catalogs.

Wherever an English message uses a glossary term, its translation must use the glossary's
Polish or German term (compared by word stems after folding, so inflected forms count:
"klastra", "klastrów" for "klaster"; "Aktionspläne" for "Aktionsplan").
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from euregionet_desktop.i18n import TRANSLATIONS_DIR, fold

# The project's copy (translators and CI have it); the programme's shared original, when
# this checkout sits beside it, must say the same.
GLOSSARY = TRANSLATIONS_DIR / "glossary.tsv"
SHARED_GLOSSARY = Path(__file__).resolve().parents[2].parent / "shared" / "glossary.tsv"

# Messages where the English word is not the glossary's term, with the reason.
HOMONYMS = (
    # A "member" of a zip file (a bundle's entry), not a cluster member.
    ("member", re.compile(r"^(it |the member|its member|its manifest|a line of)|\{member\}")),
    # JSON's "duplicate keys", not a duplicate record.
    ("duplicate", re.compile(r"duplicate keys|duplicates? or |\(duplic")),
    # "report" as a verb in the photo-consent sentence.
    ("report", re.compile(r"^By signing")),
    # Command names typed on the command line stay English.
    ("bundle", re.compile(r"^Use: bundle ")),
    ("export", re.compile(r"bundle export|\(export, use\)")),
    ("import", re.compile(r"\{% (from … )?import %\}")),
    # "Follow-up tasks" is the glossary's "follow-up" (działania następcze / Wiedervorlage).
    ("task", re.compile(r"^Follow-up tasks$")),
)


def _clean(term: str) -> str:
    return re.sub(r"\(.*?\)", "", term).strip()


def _stem(word: str, language: str) -> str:
    word = fold(word)
    if language == "de":
        word = re.sub(r"ieren$", "", word)  # exportieren ~ Export
        return word[:max(4, len(word) - 2)] if len(word) > 5 else word
    return word[:max(3, len(word) - 3)] if len(word) > 4 else word[:3]


@cache
def _glossary() -> list[tuple[str, str, str]]:
    """(english, polish, german); where the English term carries its context in brackets
    ("erase (personal data)"), only the word the context qualifies must be used (the verb
    "usuń" / "löschen": a message may say whose data it erases)."""
    with GLOSSARY.open(encoding="utf-8") as file:
        rows = list(csv.reader(file, delimiter="\t"))[1:]
    entries = []
    for en, pl, de in rows:
        if not en:
            continue
        pl, de = _clean(pl), _clean(de)
        if "(" in en and ")" in en:
            pl, de = pl.split()[0], de.split()[-1]
        entries.append((_clean(en).lower(), pl, de))
    return entries


@cache
def _catalog(language: str):
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def glossary_problems(language: str) -> list[str]:
    """Messages whose translation does not use the glossary term of their English text."""
    problems = []
    entries = _glossary()
    for english, polish, german in entries:
        target = polish if language == "pl" else german
        # "Ansprechpartner/in", "Berater/in": either form; "a / b": either alternative.
        alternatives = [a.strip() for a in target.replace("/in", "").split("/") if a.strip()]
        stems = [[_stem(w, language) for w in re.findall(r"\w+", a)] for a in alternatives]
        pattern = re.compile(r"(?<![\w-])" + re.escape(english) + r"s?(?![\w-])", re.I)
        longer = [e for e, _pl, _de in entries if e != english and english in e]
        for message in _catalog(language):
            if not message.id:
                continue
            source = message.id if isinstance(message.id, str) else message.id[0]
            if any(term == english and rule.search(source) for term, rule in HOMONYMS):
                continue
            text = re.sub(r"\{[^}]*\}", " ", source)
            for term in longer:  # "cluster coordinator" is checked as itself, not as "cluster"
                text = re.sub(re.escape(term), " ", text, flags=re.I)
            if not pattern.search(text):
                continue
            translated = message.string if isinstance(message.string, str) else " ".join(
                message.string)
            folded = fold(translated)
            if not any(all(s in folded for s in words) for words in stems):
                problems.append(f"{english!r} → {target!r}: {source!r} → {translated!r}")
    return problems


@pytest.mark.parametrize("language", ["pl", "de"])
def test_translations_use_the_glossary_terms(language):
    """Every message with a glossary term uses the glossary's translation of it."""
    problems = glossary_problems(language)
    assert not problems, "\n".join(problems)


def test_the_check_notices_a_term_that_is_not_the_glossarys(monkeypatch):
    """A German "Cluster" rendered as "Gruppe" is reported."""
    catalog = _catalog("de")
    message = catalog["Clusters"]
    monkeypatch.setattr(message, "string", "Gruppen")
    assert any("'Clusters'" in p for p in glossary_problems("de"))


def test_the_projects_glossary_is_the_shared_one():
    """translations/glossary.tsv is a copy of the shared glossary, not a fork of it."""
    if not SHARED_GLOSSARY.exists():
        pytest.skip("the shared glossary is not beside this checkout")
    assert GLOSSARY.read_bytes() == SHARED_GLOSSARY.read_bytes(), (
        "copy ../shared/glossary.tsv to translations/glossary.tsv")
