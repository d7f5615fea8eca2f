"""What the app exports imports back as it was: a list saved for Excel and brought into a
new profile (an office that starts from another office's spreadsheet)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_table_export import cli_in
from test_table_import import ok


def people(data_dir: Path) -> set[tuple]:
    organisations = {o["id"]: o["name"] for o in json.loads(ok(data_dir, "list",
                                                              "organisation", "--json"))}
    return {(c["first_name"], c["last_name"], c["email"], c["phone"], c["function"],
             organisations.get(c["organisation_id"]))
            for c in json.loads(ok(data_dir, "list", "contact", "--json"))}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("round-trip") / "LOP"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    ok(data_dir, "demo-data", "--contacts", "60")
    ok(data_dir, "add", "contact", "first_name=Eve", "last_name=-Minus",
       "phone=+48 68 123 45 67")
    return data_dir


@pytest.mark.parametrize("language, suffix", [("pl", "csv"), ("de", "xlsx"), ("en", "csv")])
def test_exported_contacts_import_into_a_new_profile(tmp_path, source, language, suffix):
    organisations = tmp_path / f"organisations.{suffix}"
    contacts = tmp_path / f"contacts.{suffix}"
    assert cli_in(language, source, "export", "organisation", "-o", organisations) == 0
    assert cli_in(language, source, "export", "contact", "-o", contacts) == 0
    target = tmp_path / "BIC"
    ok(target, "init", "--office", "BIC", "--advisor", "Bernd Schulz")
    assert cli_in(language, target, "import", organisations, "--type", "organisation") == 0
    assert cli_in(language, target, "import", contacts, "--type", "contact") == 0
    assert people(target) == people(source)
    # Each contact found its organisation: none was made twice from the contact list.
    count = len(json.loads(ok(source, "list", "organisation", "--json")))
    assert len(json.loads(ok(target, "list", "organisation", "--json"))) == count
    before = ok(target, "dump")
    assert cli_in(language, target, "import", contacts, "--type", "contact") == 0
    assert ok(target, "dump") == before
