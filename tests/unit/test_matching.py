"""domain.matching: keys in any spelling, folded names without legal forms, and scores
that make a pair a candidate or not (issue 17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.pl import nip as pl_nip
from stdnum.pl import regon as pl_regon

from euregionet_desktop.domain import matching

ODRA_PL = {"name": "Odrzańskie Zakłady Metalowe Sp. z o.o.", "nip": "599-000-20-05",
           "city": "Gorzów Wielkopolski", "country": "PL"}
ODRA_DE = {"name": "ODRZANSKIE ZAKLADY METALOWE", "nip": "PL5990002005",
           "city": "Gorzów Wlkp.", "country": "PL"}


def org(**values):
    return matching.organisation_keys(values)


def person(**values):
    return matching.contact_keys(values)


def pair_score(first, second):
    match = matching.score_organisations(org(**first), org(**second))
    return match.score if match else 0


# --- Identifiers in any spelling ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["5990002005", "599-000-20-05", "599 000 20 05",
                                   "PL5990002005", "PL 599-000-20-05", "pl5990002005"])
def test_a_nip_in_any_spelling_is_one_tax_key(typed):
    assert matching.tax_key(typed) == "PL5990002005"


def test_a_polish_vat_id_and_the_nip_are_the_same_key_a_german_one_is_its_own():
    assert org(vat_id="PL5990002005").tax == org(nip="5990002005").tax
    assert matching.tax_key("DE 136 695 976") == "DE136695976"
    assert matching.tax_key("136695976", "DE") == "DE136695976"
    assert matching.tax_key("599-000-20-06") is None  # wrong check digit: no key at all


@given(st.integers(min_value=0, max_value=10**9 - 1),
       st.lists(st.sampled_from(["", "-", " ", ".", "/"]), min_size=9, max_size=9),
       st.sampled_from(["", "PL", "pl", "PL "]))
def test_every_valid_nip_keys_the_same_however_it_is_written(number, separators, prefix):
    digits = f"{number:09d}"
    check = str(sum(w * int(d) for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), digits,
                                                strict=True)) % 11)
    if check == "10":  # no NIP has these nine digits
        return
    assert pl_nip.is_valid(digits + check)
    written = prefix + "".join(d + s for d, s in zip(digits, separators, strict=True)) + check
    assert matching.tax_key(written) == "PL" + digits + check


@given(st.integers(min_value=0, max_value=10**8 - 1), st.integers(min_value=0, max_value=9999))
def test_a_local_unit_regon_blocks_with_its_firm(firm, unit):
    nine = f"{firm:08d}" + pl_regon.calc_check_digit(f"{firm:08d}")
    thirteen = nine + f"{unit:04d}"
    fourteen = thirteen + pl_regon.calc_check_digit(thirteen)
    assert matching.regon_key(fourteen) == matching.regon_key(nine) == nine


def test_towns_written_short_are_one_place():
    def place(a, b):
        return matching.same_place(matching.name_forms(a, legal_forms=False),
                                   matching.name_forms(b, legal_forms=False))

    assert place("Gorzów Wielkopolski", "Gorzów Wlkp.")
    assert place("Frankfurt (Oder)", "Frankfurt/Oder")
    assert place("Gorzów", "GORZOW WIELKOPOLSKI")
    assert not place("Nowa Sól", "Nowa Wieś")
    assert not place("Frankfurt (Oder)", "Frankfurt am Main")
    assert not place("Gubin", "Guben")


def test_krs_register_and_website_spellings():
    assert matching.krs_key("123456") == matching.krs_key("0000123456") == "0000123456"
    assert matching.krs_key("0") is None
    assert (matching.register_key("Frankfurt (Oder) HRB 1234")
            == matching.register_key("HRB 1234 Frankfurt/Oder"))
    for url in ("https://www.odra.pl/kontakt", "HTTP://ODRA.PL", "odra.pl", "www.odra.pl/",
                "https://odra.pl:8443/a?b=c"):
        assert matching.website_domain(url) == "odra.pl"
    assert matching.website_domain("localhost") is None
    assert matching.email_key(" Jan.Kowalski@Odra.PL ") == "jan.kowalski@odra.pl"
    assert matching.phone_key("601 234 567") == matching.phone_key("+48 601-234-567") \
        == "+48601234567"
    assert matching.phone_key("0335 123456", "DE") == "+49335123456"


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Odra Sp. z o.o.", "Odra sp. z o. o.", "ODRA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
    "Odra S.A.", "Odra spółka akcyjna", "Odra sp. j.", "Odra Sp.k.", "Odra s.c.",
    "Odra GmbH", "Odra GmbH & Co. KG", "Odra e.V.", "Odra e.K.", "Odra AG",
    "Odra UG (haftungsbeschränkt)", "Odra KG", "Odra OHG", "Odra Sp. z o.o. Sp. k."])
def test_legal_forms_are_removed(name):
    assert matching.name_forms(name) == ("odra",)


def test_a_name_that_is_only_a_legal_form_word_keeps_it():
    assert matching.name_forms("AG") == ("ag",)
    assert matching.name_forms("KG Kowalski") == ("kg kowalski",)  # only at the end


def test_folding_is_the_projects_not_ascii_dropping():
    assert matching.name_forms("Łódzka Pracownia") == ("lodzka pracownia",)
    assert matching.name_forms("Großbäckerei Müller") == ("grossbackerei muller",
                                                          "grossbaeckerei mueller")
    # Müller meets Mueller (ae form) and Muller (plain form).
    assert matching.name_similarity(matching.name_forms("Müller Metall"),
                                    matching.name_forms("Mueller Metall")) == 100
    assert matching.name_similarity(matching.name_forms("Müller Metall"),
                                    matching.name_forms("MULLER METALL")) == 100


@given(st.text(alphabet="abcłóżźäößü ABCŁÓŻ.-&", min_size=1, max_size=30))
def test_name_forms_ignore_case(name):
    assert matching.name_forms(name) == matching.name_forms(name.upper()) \
        or "ß" in name  # ẞ/SS: upper() of ß is "SS", which folds to "ss" too
    assert all(form == form.casefold() and "  " not in form for form in matching.name_forms(name))


# --- Scores -------------------------------------------------------------------------------


def test_the_same_firm_from_two_offices_is_a_candidate_by_nip_and_by_name():
    match = matching.score_organisations(org(**ODRA_PL), org(**ODRA_DE))
    assert match.score == 100 and match.reasons[0] == "tax_id"
    without_numbers = {**ODRA_PL, "nip": None}, {**ODRA_DE, "nip": None}
    match = matching.score_organisations(org(**without_numbers[0]), org(**without_numbers[1]))
    assert match.score >= 90 and match.reasons == ("same_name_city",)  # Gorzów Wlkp.
    no_city = {**without_numbers[1], "city": None}
    match = matching.score_organisations(org(**without_numbers[0]), org(**no_city))
    assert matching.is_candidate(match) and match.reasons == ("same_name",)


def test_a_typo_in_the_name_in_the_same_city_is_a_candidate():
    first = {"name": "Odrzańskie Zakłady Metalowe Sp. z o.o.", "city": "Słubice"}
    second = {"name": "Odrzanskie Zaklady Metalowy", "city": "SŁUBICE"}
    assert pair_score(first, second) >= matching.THRESHOLD


@pytest.mark.parametrize(("first", "second"), [
    ("Zakład Mechaniczny Kowalski sp. j.", "Zakład Stolarski Kowalski s.c."),
    ("Piekarnia Szewczyk s.c.", "Piekarnia"),
    ("Spedycja Nowa Sól sp. z o.o.", "Transport Nowa Sól sp. z o.o."),
    ("Müller Metallbau GmbH", "Müller Holzbau GmbH"),
    ("Stadtwerke Frankfurt (Oder) GmbH", "Sparkasse Frankfurt (Oder)"),
])
def test_two_different_firms_in_one_city_are_not(first, second):
    assert pair_score({"name": first, "city": "Gorzów Wlkp."},
                      {"name": second, "city": "Gorzów Wlkp."}) < matching.THRESHOLD


def test_the_same_name_with_different_nips_is_two_firms():
    first = {"name": "Piekarnia Szewczyk s.c.", "city": "Międzyrzecz", "nip": "4699991778"}
    second = {**first, "nip": "5990002005"}
    assert pair_score(first, second) < matching.THRESHOLD
    assert pair_score(first, {**first, "nip": None}) >= matching.THRESHOLD
    # The same name in another town is not enough either.
    assert pair_score({"name": "Piekarnia Szewczyk", "city": "Międzyrzecz"},
                      {"name": "Piekarnia Szewczyk", "city": "Cottbus"}) < matching.THRESHOLD


def test_a_shared_identifier_with_a_different_tax_number_is_not_enough():
    first = {"name": "Winter Metallbau GmbH", "register_number": "Cottbus HRB 1234",
             "vat_id": "DE136695976", "country": "DE"}
    second = {"name": "Köhler Transporte e.K.", "register_number": "Cottbus HRB 1234",
              "vat_id": "DE811569869", "country": "DE"}
    assert pair_score(first, second) < matching.THRESHOLD
    assert pair_score(first, {**second, "vat_id": None}) >= matching.THRESHOLD
    assert pair_score({"name": "A", "website": "https://www.odra.pl"},
                      {"name": "B", "website": "odra.pl/kontakt"}) >= matching.THRESHOLD


def test_contacts_by_email_phone_and_name_within_an_organisation():
    anna = person(first_name="Anna", last_name="Nowak", email="a.nowak@odra.pl",
                  phone="+48 601 234 567", organisation_id="o1")
    assert matching.score_contacts(anna, person(first_name="A.", last_name="Nowak-Kowalska",
                                                email="A.NOWAK@ODRA.PL")).reasons[0] == "email"
    # One line for a whole firm: the same phone and two e-mails are two people.
    colleague = person(first_name="Jan", last_name="Kowalski", email="j.kowalski@odra.pl",
                       phone="601234567", organisation_id="o1")
    assert not matching.is_candidate(matching.score_contacts(anna, colleague))
    # The same phone and the same name is the same person with a new e-mail.
    moved = person(first_name="Anna", last_name="Nowak", email="anna@gmail.com",
                   mobile="601 234 567")
    assert matching.is_candidate(matching.score_contacts(anna, moved))
    # The same name at the same organisation; not at another one.
    namesake = person(first_name="ANNA", last_name="NOWAK", organisation_id="o1")
    assert matching.score_contacts(anna, namesake).reasons == ("name_organisation",)
    elsewhere = person(first_name="Anna", last_name="Nowak", organisation_id="o2")
    assert not matching.is_candidate(matching.score_contacts(anna, elsewhere))
    assert matching.score_contacts(person(first_name="Jürgen", last_name="Müller",
                                          organisation_id="o3"),
                                   person(first_name="Juergen", last_name="Mueller",
                                          organisation_id="o3")).score >= 85


def test_clusters_by_either_name():
    polish = matching.cluster_keys({"name_pl": "Lubuski Klaster Metalowy",
                                    "name_de": "Lebuser Metallcluster"})
    german = matching.cluster_keys({"name_pl": "Klaster Metalowy Lubuskie",
                                    "name_de": "Lebuser Metallcluster e.V."})
    assert matching.is_candidate(matching.score_clusters(polish, german))
    other = matching.cluster_keys({"name_pl": "Klaster Turystyki Historycznej"})
    assert matching.score_clusters(polish, other) is None


_values = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["Odra Sp. z o.o.", "ODRA", "Odra Metal GmbH", "Warta S.A."]),
    "city": st.sampled_from(["Gubin", "Guben", "Słubice"]),
    "nip": st.sampled_from(["5990002005", "4699991778"]),
    "regon": st.sampled_from(["123456785", "12345678512347"]),
    "website": st.sampled_from(["odra.pl", "https://www.warta.pl"]),
})


@given(_values, _values)
def test_scores_are_symmetric_and_within_0_to_100(first, second):
    one = matching.score_organisations(org(**first), org(**second))
    other = matching.score_organisations(org(**second), org(**first))
    assert (one and one.score) == (other and other.score)
    assert one is None or 0 <= one.score <= 100
    assert one is None or set(one.reasons) <= set(matching.REASONS)
