"""Duplicates between offices, as people type the commands (issue 17, Done when 1 and the
"not a duplicate" half of 3): the same firm added offline at two offices is listed after
the exchange at both, and a decision made at one office hides the pair at the other."""

from __future__ import annotations

import json

from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run


def exchange(tmp_path, partners, name):
    """Bundles both ways: BIC → LOP, then LOP → BIC."""
    for sender, receiver in (("BIC", "LOP"), ("LOP", "BIC")):
        bundle = tmp_path / f"{name}-{sender}-{receiver}.zip"
        ok(partners[sender], "bundle", "export", "--to", receiver, "-o", str(bundle))
        ok(partners[receiver], "bundle", "import", str(bundle))


def add_firm(data_dir, name, nip, person):
    firm = ok(data_dir, "add", "organisation", f"name={name}", "country=PL",
              f"nip={nip}").strip()
    contact = ok(data_dir, "add", "contact", f"first_name={person[0]}",
                 f"last_name={person[1]}", f"organisation_id={firm}").strip()
    ok(data_dir, "add", "consultation", "held_at=2026-12-01 10:00", f"organisation_id={firm}",
       "subject=Targi")
    return firm, contact


def duplicates(data_dir, entity="organisation"):
    return json.loads(ok(data_dir, "--lang", "en", "duplicates", entity, "--json"))


def test_the_same_firm_from_two_offices_is_listed_at_both_and_a_decision_travels(
        tmp_path, partners):
    lop_firm, _ = add_firm(partners["LOP"], "Odrzańskie Zakłady Metalowe Sp. z o.o.",
                           "599-000-20-05", ("Jan", "Kowalski"))
    bic_firm, _ = add_firm(partners["BIC"], "ODRZANSKIE ZAKLADY METALOWE", "PL5990002005",
                           ("Anna", "Nowak"))
    assert duplicates(partners["LOP"]) == [] and duplicates(partners["BIC"]) == []
    exchange(tmp_path, partners, "first")
    for office in ("LOP", "BIC"):
        [pair] = duplicates(partners[office])
        assert pair["ids"] == sorted([lop_firm, bic_firm])
        assert pair["reason_codes"][0] == "tax_id"
        assert pair["reasons"][0] == "the same NIP / VAT ID"
        assert pair["score"] == 100
        assert sorted(pair["labels"]) == ["ODRZANSKIE ZAKLADY METALOWE",
                                          "Odrzańskie Zakłady Metalowe Sp. z o.o."]
    # One line per pair without --json, in the chosen language.
    line = ok(partners["BIC"], "--lang", "pl", "duplicates", "organisation")
    assert line.count("\n") == 1 and "ten sam NIP" in line and lop_firm in line
    assert duplicates(partners["BIC"], "contact") == []  # different people

    # LOP says they are different firms after all; after the next exchange BIC agrees.
    assert lop_firm in ok(partners["LOP"], "not-duplicate", "organisation", bic_firm, lop_firm)
    assert duplicates(partners["LOP"]) == []
    assert len(duplicates(partners["BIC"])) == 1
    exchange(tmp_path, partners, "second")
    assert duplicates(partners["BIC"]) == [] and duplicates(partners["LOP"]) == []
    assert ok(partners["BIC"], "dump") == ok(partners["LOP"], "dump")


def test_refusals_are_one_line_and_change_nothing(tmp_path, partners):
    data_dir = partners["LOP"]
    firm, contact = add_firm(data_dir, "Odra", "599-000-20-05", ("Jan", "Kowalski"))
    before = ok(data_dir, "dump")
    for args in (("duplicates", "event"), ("duplicates", "nonsense"),
                 ("not-duplicate", "organisation", firm, firm),
                 ("not-duplicate", "organisation", firm, contact),
                 ("not-duplicate", "task", firm, contact)):
        line = one_line_error(run(data_dir, "--lang", "en", *args))
        assert line.startswith("Error: ")
    line = one_line_error(run(data_dir, "--lang", "de", "duplicates", "event"))
    assert "Duplikate" in line
    one_line_error(run(data_dir, "not-duplicate", "organisation", firm), code=2)
    assert ok(data_dir, "dump") == before
