"""Columns recognised from the headers offices write, in Polish, German and English."""

from __future__ import annotations

import pytest

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.services.table_import import check_mapping, suggest_mapping, targets


@pytest.mark.parametrize("headers, expected", [
    (["Imię", "Nazwisko", "Firma", "NIP firmy", "E-mail", "Telefon", "Miasto",
      "Kod pocztowy", "Stanowisko"],
     ["first_name", "last_name", "organisation.name", "organisation.nip", "email", "phone",
      "organisation.city", "organisation.postal_code", "function"]),
    (["Vorname", "Nachname", "Unternehmen", "USt-IdNr.", "E-Mail-Adresse", "Tel.", "Ort", "PLZ",
      "Funktion", "Handy"],
     ["first_name", "last_name", "organisation.name", "organisation.vat_id", "email", "phone",
      "organisation.city", "organisation.postal_code", "function", "mobile"]),
    (["First Name", "Last Name", "Company", "Email Address", "Mobile Phone", "Job Title"],
     ["first_name", "last_name", "organisation.name", "email", "mobile", "function"]),
    # The fields' own labels and names are recognised too.
    (["Preferred language", "first_name", "E-MAIL:"], ["language", "first_name", "email"]),
])
def test_contact_headers_in_three_languages(headers, expected):
    assert [suggest_mapping("contact", headers).get(h) for h in headers] == expected


def test_organisation_headers_take_the_organisations_own_fields():
    headers = ["Firma", "NIP", "PLZ", "Ort", "Straße", "Land", "USt-IdNr.", "Webseite"]
    assert suggest_mapping("organisation", headers) == {
        "Firma": "name", "NIP": "nip", "PLZ": "postal_code", "Ort": "city",
        "Straße": "street", "Land": "country", "USt-IdNr.": "vat_id", "Webseite": "website"}


def test_one_column_per_field_and_unknown_headers_left_alone():
    mapping = suggest_mapping("contact", ["E-mail", "Email", "Lieblingsfarbe"])
    assert mapping == {"E-mail": "email"}


def test_every_target_is_offered_with_a_translated_label(polish):
    labels = {t.key: t.label for t in targets("contact")}
    assert labels["organisation.nip"] == "Organizacja: NIP"
    assert labels["last_name"] == "Nazwisko"


def test_a_field_mapped_twice_is_refused():
    with pytest.raises(ValidationError, match="both mapped"):
        check_mapping("contact", ["A", "B"], {"A": "email", "B": "email"})
