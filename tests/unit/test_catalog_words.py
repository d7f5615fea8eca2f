"""The catalogs' words: no key names written into messages (Qt names keys in the window's
language at run time), erasing personal data said as the glossary says it, and German
refusal reasons that read as the sentences they are after „abgelehnt:“."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"


def catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def _ids(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


def _strings(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


# --- key names ----------------------------------------------------------------------------

# A key written into a message: "Ctrl+Z", "Strg+Z", "(Del)", "Entf", "Escape", "Esc". Such a
# text is wrong in the other language and on a Mac; the window fills a placeholder with
# QKeySequence(...).toString(QKeySequence.NativeText) instead.
KEY_NAME = re.compile(r"\b(?:Ctrl|Strg|Shift|Umschalt|Alt|Cmd)\+|\b(?:Del|Entf|Escape|Esc)\b")


def key_name_problems(messages: Catalog) -> list[str]:
    return [f"{text!r} names a key" for message in messages if message.id
            for text in (*_ids(message), *_strings(message)) if KEY_NAME.search(text)]


@pytest.mark.parametrize("language", ["pl", "de", "en"])
def test_no_message_names_a_key(language):
    """No msgid or msgstr spells out Ctrl+, Strg+, Del, Entf, Escape or Esc."""
    assert key_name_problems(catalog(language)) == []


def test_key_names_are_found():
    """Positive control: each way of writing a key is caught, ordinary words are not."""
    planted = Catalog(locale="de")
    for number, (source, translated) in enumerate([
            ("You can undo this with Ctrl+Z.", "Mit Strg+Z rückgängig machen."),
            ("Delete (Del)", "Löschen (Entf)"), ("Escape closes it", "Esc schließt es"),
            ("Delete the escape route", "Die Alternative löschen")]):
        planted.add(source, translated, locations=[("x.py", number)])
    assert len(key_name_problems(planted)) == 6


# --- erasing personal data, as the glossary says it --------------------------------------

def glossary_row(term: str) -> dict[str, str]:
    with (TRANSLATIONS / "glossary.tsv").open(encoding="utf-8") as file:
        return next(row for row in csv.DictReader(file, delimiter="\t") if row["en"] == term)


# An English message about erasure (GDPR: a person's data removed for good, everywhere).
ERASE = re.compile(r"\b(?:erase[sd]?|erasures?|erasing)\b", re.IGNORECASE)
# Each language's glossary term, as the stems every form of it keeps: „personenbezogene
# Daten löschen“ / „Löschung personenbezogener Daten“ / „… gelöscht“; „usuń dane osobowe“ /
# „usunięto dane osobowe“ / „danych osobowych … usunięte“.
ERASE_STEMS = {
    "de": ("personenbezogen", "lösch"),
    "pl": ("osobow", "usu"),
}


def test_the_erase_stems_are_the_glossary_s():
    """The stems checked below are those of the glossary's words (a changed glossary
    changes this test)."""
    row = glossary_row("erase (personal data)")
    assert row["de"] == "personenbezogene Daten löschen"
    assert row["pl"] == "usuń dane osobowe"
    for language, stems in ERASE_STEMS.items():
        assert all(stem in row[language].lower() for stem in stems)


def erase_problems(messages: Catalog, language: str) -> list[str]:
    """Translations of erasure messages without both stems of the glossary's term; in
    German also a bare „Löschung(en)“ (it must say of what: personenbezogener Daten)."""
    problems = []
    for message in messages:
        if not message.id or not any(ERASE.search(text) for text in _ids(message)):
            continue
        for text in _strings(message):
            lowered = text.lower()
            if not all(stem in lowered for stem in ERASE_STEMS[language]):
                problems.append(f"{_ids(message)[0]!r} → {text!r}")
            elif language == "de" and re.search(
                    r"Löschung(?:en)?\b(?! personenbezogener Daten)", text):
                problems.append(f"{_ids(message)[0]!r} → {text!r}: Löschung of what?")
    return problems


@pytest.mark.parametrize("language", ["pl", "de"])
def test_erasing_personal_data_is_said_as_the_glossary_says(language):
    """Every message about erasing a person's data says „personenbezogene Daten löschen“
    (or its noun) in German and „usuń dane osobowe“ (in any form) in Polish, never a bare
    „löschen“/„usuń“ that reads like deleting a record."""
    assert erase_problems(catalog(language), language) == []


def test_erase_drift_is_found():
    """Positive control: the drifts the native review found are caught."""
    planted = Catalog(locale="de")
    planted.add("Nothing was erased.", "Es wurde nichts gelöscht.", locations=[("x", 1)])
    planted.add("{count} erasures", "{count} Löschungen", locations=[("x", 2)])
    planted.add("erase without asking", "ohne Rückfrage löschen", locations=[("x", 3)])
    planted.add("{count} erasures of personal data",
                "{count} Löschungen personenbezogener Daten", locations=[("x", 4)])
    assert len(erase_problems(planted, "de")) == 3
    polish = Catalog(locale="pl")
    polish.add("Nothing was erased.", "Nic nie zostało usunięte.", locations=[("x", 1)])
    polish.add("Erase {name}?", "Usunąć dane osobowe osoby {name}?", locations=[("x", 2)])
    assert len(erase_problems(polish, "pl")) == 1


# --- German refusal reasons ---------------------------------------------------------------

def _is_reason(message_id: str) -> bool:
    """A refusal reason: a sentence the source writes lower-case because it follows
    "The bundle was refused:" / "The file is refused:" (not a CLI help line)."""
    return (message_id[:1].islower() and message_id.rstrip().endswith(".")
            and "ENTITY" not in message_id)


def test_german_refusal_reasons_start_with_a_capital():
    """After „Das Datenpaket wurde abgelehnt:“ a reason is a full sentence, so it starts
    with a capital in German (Polish and English keep the lower case)."""
    lower = [f"{m.id!r} → {m.string!r}" for m in catalog("de")
             if isinstance(m.id, str) and m.id and _is_reason(m.id)
             and m.string[:1].islower()]
    assert lower == []
    assert sum(1 for m in catalog("de") if isinstance(m.id, str) and m.id
               and _is_reason(m.id)) > 25  # the rule still finds the reasons
