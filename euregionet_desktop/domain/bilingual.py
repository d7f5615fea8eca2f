"""Text kept in both languages (the Polish and German sides of a field) and the fields whose
known values are codes of a translated list (sectors, regions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from euregionet_desktop.domain.enums import Choice, Region, Sector
from euregionet_desktop.i18n import _, fold, translation

# The free text both nations read: entity -> (Polish field, German field) pairs. The
# "needs translation" state, the side-by-side form and the documents all read this table.
TEXT_PAIRS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "cluster": (("description_pl", "description_de"),),
    "consultation": (("subject", "subject_de"), ("summary", "summary_de"),
                     ("outcomes", "outcomes_de")),
    "evaluation": (("recommendations_pl", "recommendations_de"),),
    "action_plan": (("title", "title_de"), ("objectives_pl", "objectives_de"),
                    ("baseline_pl", "baseline_de")),
    "measure": (("title", "title_de"), ("description", "description_de")),
    "event": (("title_pl", "title_de"), ("agenda_pl", "agenda_de")),
}

# Fields whose known values are stored as codes of a translated list; anything else typed
# there (partners' older free text) is kept as typed.
VOCABULARIES: Mapping[tuple[str, str], type[Choice]] = {
    ("cluster", "sectors"): Sector,
    ("organisation", "sectors"): Sector,
    ("cluster", "region"): Region,
}

LANGUAGES = ("pl", "de", "en")


def pair_of(entity: str, name: str) -> tuple[str, str] | None:
    """The (Polish, German) pair a field belongs to, or None."""
    for pair in TEXT_PAIRS.get(entity, ()):
        if name in pair:
            return pair
    return None


def side_of(entity: str, name: str) -> str | None:
    """"pl" or "de" for a field of a text pair, None for any other field."""
    pair = pair_of(entity, name)
    if pair is None:
        return None
    return "pl" if pair[0] == name else "de"


def bilingual_value(values: Mapping[str, object], polish: str, german: str,
                    language: str) -> str:
    """The side in ``language`` ("de" reads German first), else the other side, else ""."""
    order = (german, polish) if language == "de" else (polish, german)
    for name in order:
        value = values.get(name)
        if value:
            return str(value)
    return ""


def vocabulary_of(entity: str, name: str) -> type[Choice] | None:
    return VOCABULARIES.get((entity, name))


def _words_of(vocabulary: type[Choice]) -> dict[str, str]:
    """Folded code and labels (in every language) -> code."""
    words: dict[str, str] = {}
    for choice in vocabulary:
        words.setdefault(fold(choice.value), choice.value)
        words.setdefault(fold(choice.value.replace("_", " ")), choice.value)
        for language in LANGUAGES:
            words.setdefault(fold(translation(language).gettext(choice.label)), choice.value)
    return words


_WORDS: dict[type[Choice], dict[str, str]] = {}


def to_code(vocabulary: type[Choice], typed: str) -> str:
    """The code for a code or a label in pl, de or en (case and diacritics ignored);
    anything else comes back as typed (stripped)."""
    words = _WORDS.get(vocabulary)
    if words is None:
        words = _WORDS[vocabulary] = _words_of(vocabulary)
    typed = typed.strip()
    return words.get(fold(typed), typed)


def stored_codes(entity: str, name: str, value: object) -> object:
    """A cleaned value of a field with a translated list, its known labels as codes (a list
    once each); any other field's value unchanged. Forms, the CLI and imports all store
    through this."""
    vocabulary = vocabulary_of(entity, name)
    if vocabulary is None or value is None:
        return value
    if isinstance(value, list):
        return list(dict.fromkeys(to_code(vocabulary, str(v)) for v in value))
    return to_code(vocabulary, str(value))


def code_label(vocabulary: type[Choice], value: str, *, language: str | None = None) -> str:
    """A code as its label in ``language`` (the interface's when None); free text as is."""
    try:
        choice = vocabulary(value)
    except ValueError:
        return value
    if language is None:
        return _(choice.label)
    return translation(language).gettext(choice.label)


def value_labels(entity: str, name: str, value: object, *,
                 language: str | None = None) -> object:
    """A stored value of a vocabulary field with its codes as labels (a list stays a list);
    any other field's value unchanged."""
    vocabulary = vocabulary_of(entity, name)
    if vocabulary is None or value is None:
        return value
    if isinstance(value, list):
        return [code_label(vocabulary, str(v), language=language) for v in value]
    return code_label(vocabulary, str(value), language=language)


def all_labels(vocabulary: type[Choice], values: Iterable[str]) -> list[str]:
    """The labels in pl, de and en of the codes among ``values`` (for the search index)."""
    found: list[str] = []
    for value in values:
        try:
            choice = vocabulary(value)
        except ValueError:
            continue
        found.extend(translation(language).gettext(choice.label) for language in LANGUAGES)
    return found


def side_needing_translation(polish: object, german: object, polish_hlc: int | None,
                             german_hlc: int | None) -> tuple[str, bool] | None:
    """Which side of a pair needs translating, and whether it is missing (empty) rather
    than outdated: ("de", True) when only Polish is there; ("pl", False) when the German
    side was written after the Polish one. Sides written in the same action (one clock
    value) are in step; None when nothing is to be done."""
    if not polish and not german:
        return None
    if not german:
        return "de", True
    if not polish:
        return "pl", True
    polish_hlc, german_hlc = polish_hlc or 0, german_hlc or 0
    if polish_hlc < german_hlc:
        return "pl", False
    if german_hlc < polish_hlc:
        return "de", False
    return None
