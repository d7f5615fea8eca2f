"""Text folding for search (FTS5) and sort keys for Polish and German names."""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import closing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from euregionet_desktop.i18n import fold, fold_forms, fts_query, search_text, sort_key

POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
# Letters people here actually type, plus separators and FTS5 syntax characters.
NAME_TEXT = st.text(
    alphabet=POLISH_ALPHABET + POLISH_ALPHABET.upper() + "äöüßÄÖÜẞéčñ0123456789 -.,'\"*():@",
    max_size=30,
)


def fts_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, "
        "tokenize=\"unicode61 remove_diacritics 0\", prefix='2 3')"
    )
    return db


def matches(records: list[str], typed: str) -> list[str]:
    """The records whose search_text matches the query built from `typed`."""
    query = fts_query(typed)
    assert query is not None
    with closing(fts_db()) as db:
        db.executemany(
            "INSERT INTO t (rowid, body) VALUES (?, ?)",
            [(i, search_text(record)) for i, record in enumerate(records)],
        )
        rows = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (query,))
        return [records[rowid] for (rowid,) in rows]


# --- fold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("Müller", "muller"),
        ("Groß", "gross"),
        ("GROẞ", "gross"),
        ("Żółkiewski", "zolkiewski"),
        ("KOZŁOWSKI", "kozlowski"),
        ("Đorđević", "dordevic"),
        ("Søren Æbelø", "soren aebelo"),
        ("Œuvre", "oeuvre"),
        ("Ǣsir Ǿ", "aesir o"),  # the hand-mapped letters under an accent
        ("Mu\u0308ller", "muller"),  # decomposed (NFD) input, as macOS file names have it
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    """fold lowercases and strips diacritics, including ł, ß and the other hand-mapped letters."""
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    """Folding folded text changes nothing."""
    assert fold(fold(text)) == fold(text)


@given(NAME_TEXT)
def test_fold_of_polish_and_german_letters_is_lowercase_ascii(text: str) -> None:
    """Every Polish and German letter folds to plain lowercase ASCII."""
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()


# --- fold_forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("Müller", ["muller", "mueller"]),
        ("GÖRLITZ", ["gorlitz", "goerlitz"]),
        ("Bär", ["bar", "baer"]),
        ("Łódź", ["lodz"]),  # Polish ó has no "oe" spelling
        ("Mueller", ["mueller"]),
        ("Groß", ["gross"]),
    ],
)
def test_fold_forms(text: str, forms: list[str]) -> None:
    """fold_forms adds the ae/oe/ue spelling only when the text has a German umlaut."""
    assert fold_forms(text) == forms


@given(st.text())
def test_fold_forms_starts_with_fold_and_has_no_duplicates(text: str) -> None:
    """The first form is fold(text) and no form repeats."""
    forms = fold_forms(text)
    assert forms[0] == fold(text)
    assert len(forms) == len(set(forms)) <= 2


# --- search_text ----------------------------------------------------------------------


def test_search_text_indexes_both_umlaut_spellings() -> None:
    """Each word is stored in all its folded forms, each word once."""
    assert search_text("Müller Jan", "Jan MÜLLER") == "muller mueller jan"


def test_search_text_skips_missing_parts() -> None:
    """None and empty parts add nothing; punctuation only separates words."""
    assert search_text(None, "", "Łódź, ul. Piotrkowska 12/3") == "lodz ul piotrkowska 12 3"
    assert search_text(None, "") == ""


def test_search_text_splits_email_and_keeps_the_local_part() -> None:
    """An e-mail address is split at @ and dots, and its local part is also kept whole."""
    words = search_text("jan.kowalski@urzad.gorlitz.de").split()
    assert words == ["jan", "kowalski", "urzad", "gorlitz", "de", "jankowalski"]


# --- fts_query against a real FTS5 table ----------------------------------------------


@pytest.mark.parametrize(
    ("record", "typed"),
    [
        ("Łódź", "lodz"),
        ("Łódź", "Łódź"),
        ("Łódź", "LODZ"),
        ("Müller", "mueller"),
        ("Müller", "muller"),
        ("Müller", "Müller"),
        ("Mueller", "Mueller"),
        ("Mueller", "Müller"),
        ("Groß", "gross"),
        ("Groß", "Groß"),
        ("Strasse", "Straße"),
        ("Żółkiewski", "zolkiewski"),
        ("Kozłowski", "kozł"),
        ("Anna Kozłowska", "kozl ann"),
        ("jan.kowalski@urzad.pl", "jankowalski"),
        ("jan.kowalski@urzad.pl", "jan.kowalski@urzad.pl"),
        ("Cluster 12 Görlitz", "12 gör"),
    ],
)
def test_query_finds_record(record: str, typed: str) -> None:
    """What a person types finds the record they expect."""
    assert matches([record, "Kraków", "Schmidt"], typed) == [record]


@pytest.mark.parametrize(
    ("record", "typed"),
    [
        ("Łódź", "lodzkie"),
        ("Müller", "moller"),
        ("Kozłowski", "kozlowska"),
        ("Jan Nowak", "jan kowal"),
    ],
)
def test_query_does_not_find_other_records(record: str, typed: str) -> None:
    """A query does not find a record that lacks one of its words."""
    assert matches([record], typed) == []


def test_query_words_are_prefix_terms_joined_with_and() -> None:
    """Each typed word becomes a quoted prefix term; umlaut words offer both spellings."""
    assert fts_query("Müller kozł") == '("muller"* OR "mueller"*) AND "kozl"*'


@pytest.mark.parametrize("typed", ["", "   ", '"', "*", ":", "-", "()", "@", "''"])
def test_query_of_nothing_searchable_is_none(typed: str) -> None:
    """Empty or punctuation-only input gives no query rather than a broken one."""
    assert fts_query(typed) is None


@pytest.mark.parametrize(
    "typed",
    ['"', "*", "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "-x", ":", "body:x", 'a"b', "^x", "{a}"],
)
def test_fts5_syntax_in_input_cannot_break_the_query(typed: str) -> None:
    """FTS5 operators typed by a person are searched for as words, never parsed."""
    query = fts_query(typed)
    with closing(fts_db()) as db:
        db.execute("INSERT INTO t (body) VALUES (?)", (search_text("x and or not near a b body"),))
        if query is not None:
            db.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()


@given(st.text())
def test_any_query_runs(typed: str) -> None:
    """Whatever is typed, the query is None or valid FTS5 syntax."""
    query = fts_query(typed)
    if query is not None:
        with closing(fts_db()) as db:
            db.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,)).fetchall()


@given(NAME_TEXT)
def test_record_is_found_by_its_own_text(text: str) -> None:
    """Typing a record's text (or any prefix of its words) finds that record."""
    for typed in (text, text[: len(text) // 2]):
        if fts_query(typed) is not None:
            assert matches([text], typed) == [text]


# --- sort_key -----------------------------------------------------------------------


def test_polish_order() -> None:
    """Polish letters with diacritics are letters of their own, right after their base."""
    names = ["Żak", "Zając", "Łukasz", "Lis", "Ćwik", "Czarnecki", "Ąbc", "Abc", "Śliwa"]
    names += ["Sikora", "Źrebiec"]
    assert sorted(names, key=sort_key) == [
        "Abc", "Ąbc", "Czarnecki", "Ćwik", "Lis", "Łukasz",
        "Sikora", "Śliwa", "Zając", "Źrebiec", "Żak",
    ]  # fmt: skip


def test_german_order() -> None:
    """German umlauts sort with their base letter and ß as ss (DIN 5007-1)."""
    names = ["Müller", "Mueller", "Muller", "Möller", "Moller", "Mahler", "Mähler"]
    names += ["Straße", "Strasse", "Strauss"]
    ordered = sorted(names, key=sort_key)
    assert ordered == [
        "Mahler", "Mähler", "Moller", "Möller", "Mueller", "Muller", "Müller",
        "Strasse", "Straße", "Strauss",
    ]  # fmt: skip


def test_other_accents_sort_with_their_base_letter() -> None:
    """é, č and friends sort with e, c; the unaccented name comes first."""
    names = ["Ewa", "Émile", "Emile", "Čapek", "Capek", "Ćwik", "Dvořák"]
    assert sorted(names, key=sort_key) == [
        "Capek",
        "Čapek",
        "Ćwik",
        "Dvořák",
        "Emile",
        "Émile",
        "Ewa",
    ]


def test_digits_before_letters() -> None:
    """Digits sort before letters, in plain digit order."""
    names = ["Cluster A", "Cluster 2", "Cluster 10", "2Pac"]
    assert sorted(names, key=sort_key) == ["2Pac", "Cluster 10", "Cluster 2", "Cluster A"]


def test_names_compare_word_by_word() -> None:
    """A shorter surname comes before a longer one whatever the first names are."""
    names = ["Nowaka Anna", "Nowak Zenon", "Nowak", "Nowak-Kowalska Ewa", "Nowak, Adam"]
    assert sorted(names, key=sort_key) == [
        "Nowak", "Nowak, Adam", "Nowak-Kowalska Ewa", "Nowak Zenon", "Nowaka Anna"
    ]  # fmt: skip


def test_case_only_breaks_ties() -> None:
    """Case is ignored at the primary level, and lowercase wins a tie."""
    assert sorted(["Nowak", "nowak", "NOWAKA", "nowaka"], key=sort_key) == [
        "nowak", "Nowak", "nowaka", "NOWAKA"
    ]  # fmt: skip


def test_empty_sort_key() -> None:
    """None and the empty string give the empty key, which sorts first."""
    assert sort_key(None) == sort_key("") == ""
    assert sort_key("") < sort_key("-") < sort_key("0") < sort_key("a")


def letter_index(text: str) -> tuple[int, ...]:
    return tuple(POLISH_ALPHABET.index(c) for c in text.lower())


@given(
    st.text(alphabet=POLISH_ALPHABET + POLISH_ALPHABET.upper()),
    st.text(alphabet=POLISH_ALPHABET + POLISH_ALPHABET.upper()),
)
def test_sort_key_follows_the_polish_alphabet(a: str, b: str) -> None:
    """Whenever two names differ by more than case, the alphabet decides their order."""
    if letter_index(a) < letter_index(b):
        assert sort_key(a) < sort_key(b)


DIN_5007 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@given(st.text(alphabet="aäoöuüsßbz "), st.text(alphabet="aäoöuüsßbz "))
def test_sort_key_treats_umlauts_as_base_letters(a: str, b: str) -> None:
    """ä, ö, ü sort as a, o, u and ß as ss: only accents decide between equal spellings."""
    if a.translate(DIN_5007).split() < b.translate(DIN_5007).split():
        assert sort_key(a) < sort_key(b)


@given(st.text(), st.text())
def test_sort_key_is_a_total_order(a: str, b: str) -> None:
    """Keys are equal only for equal texts, so every sort is deterministic."""
    assert (sort_key(a) == sort_key(b)) == (a == b)


@given(st.text())
def test_sort_key_is_valid_utf8(text: str) -> None:
    """A key can be stored as SQLite TEXT: no surrogates, and it encodes as UTF-8."""
    key = sort_key(text)
    key.encode("utf-8")
    assert not any(unicodedata.category(c) == "Cs" for c in key)


def sql_order(names: list[str]) -> list[str]:
    """The names in the order SQLite gives them by their stored sort key."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE person (name TEXT, name_sort TEXT)")
        db.execute("CREATE INDEX person_name_sort ON person (name_sort)")
        db.executemany("INSERT INTO person VALUES (?, ?)", [(n, sort_key(n)) for n in names])
        return [name for (name,) in db.execute("SELECT name FROM person ORDER BY name_sort")]


def test_sqlite_orders_by_sort_key_like_python() -> None:
    """ORDER BY the stored key (BINARY collation) gives the Polish/German order: empty and
    punctuation first, digits before letters, ć and ł after c and l, ä and ß with a and ss,
    lowercase first on a tie, other scripts after the Latin letters."""
    names = ["Żak", "Müller", "Mahler", "Łukasz", "Lis", "Mähler", "Straße", "Strasse", "2Pac"]
    names += ["Ćwik", "Czarnecki", "Émile", "Борис", "nowak", "Nowak", "Nowak Jan", "", "-"]
    expected = [
        "", "-", "2Pac", "Czarnecki", "Ćwik", "Émile", "Lis", "Łukasz", "Mahler", "Mähler",
        "Müller", "nowak", "Nowak", "Nowak Jan", "Strasse", "Straße", "Żak", "Борис",
    ]  # fmt: skip
    assert sql_order(names) == expected
    assert sorted(names, key=sort_key) == expected


@given(st.lists(st.text()))
def test_sqlite_and_python_agree_on_any_text(names: list[str]) -> None:
    """UTF-8 byte order of the keys is their code-point order, for any text."""
    assert sql_order(names) == sorted(names, key=sort_key)
