"""The sync commands as a person types them: keys, bundles, conflicts, erase."""

from __future__ import annotations

import json

from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run


def test_trust_without_a_terminal_needs_yes(tmp_path, partners):
    """Trusting a key asks; with no terminal and no --yes it refuses and trusts nothing."""
    ok(tmp_path / "SNB", "init", "--office", "SNB")
    ok(tmp_path / "SNB", "keys", "export", "-o", str(tmp_path / "SNB.json"))
    line = one_line_error(run(partners["LOP"], "keys", "trust", str(tmp_path / "SNB.json")))
    assert "--yes" in line and "SNB" in line
    assert "SNB" not in ok(partners["LOP"], "keys", "show")


def test_a_bundle_travels_and_a_second_import_says_so(tmp_path, partners):
    """Export for LOP (encrypted), inspect, preview, import, import again."""
    contact = ok(partners["BIC"], "add", "contact", "first_name=Jan",
                 "last_name=Kowalski").strip()
    bundle = tmp_path / "bic-to-lop.zip"
    assert "encrypted" in ok(partners["BIC"], "bundle", "export", "--to", "LOP", "-o",
                             str(bundle), "--encrypt")
    assert "signed by a trusted key" in ok(partners["LOP"], "bundle", "inspect", str(bundle))
    preview = ok(partners["LOP"], "bundle", "import", str(bundle), "--dry-run")
    assert "Preview only" in preview
    assert json.loads(ok(partners["LOP"], "list", "contact", "--json")) == []
    assert "changes applied" in ok(partners["LOP"], "bundle", "import", str(bundle))
    before = ok(partners["LOP"], "dump")
    line = one_line_error(run(partners["LOP"], "bundle", "import", str(bundle)))
    assert "already imported" in line
    assert ok(partners["LOP"], "dump") == before
    assert [c["id"] for c in json.loads(ok(partners["LOP"], "list", "contact", "--json"))] == [
        contact]


def test_conflict_listed_and_resolved_from_the_command_line(tmp_path, partners):
    """The same field changed at both offices is listed with both values; resolve settles it."""
    org = ok(partners["BIC"], "add", "organisation", "name=Odra", "country=PL").strip()
    ok(partners["BIC"], "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "1.zip"))
    ok(partners["LOP"], "bundle", "import", str(tmp_path / "1.zip"))
    ok(partners["BIC"], "edit", "organisation", org, "city=Słubice")
    ok(partners["LOP"], "edit", "organisation", org, "city=Gubin")
    ok(partners["BIC"], "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "2.zip"))
    assert "1 field in conflict" in ok(partners["LOP"], "bundle", "import",
                                       str(tmp_path / "2.zip"))
    [conflict] = json.loads(ok(partners["LOP"], "conflicts", "--json"))
    assert conflict["field"] == "city"
    assert sorted(w["value"] for w in conflict["writes"]) == ["Gubin", "Słubice"]
    ok(partners["LOP"], "resolve", "organisation", org, "city", "Słubice")
    assert json.loads(ok(partners["LOP"], "conflicts", "--json")) == []


def test_erase_needs_yes_without_a_terminal(tmp_path, partners):
    """erase refuses without --yes (nothing erased); with it the person is gone."""
    person = ok(partners["BIC"], "add", "contact", "first_name=Ewa",
                "last_name=Qwertzuiopowska").strip()
    one_line_error(run(partners["BIC"], "erase", "contact", person))
    assert "Qwertzuiopowska" in ok(partners["BIC"], "dump")
    assert "Erased" in ok(partners["BIC"], "erase", "contact", person, "--yes")
    assert "Qwertzuiopowska" not in ok(partners["BIC"], "dump")


def test_a_delete_after_an_unseen_edit_is_listed_and_resolved(tmp_path, partners):
    """LOP edits notes and phone, then BIC, not knowing, deletes (the later clock): both
    list the conflict with its two choices; a wrong word is refused with one line and
    changes nothing; "restore with the edit" (in Polish) settles it at both offices."""
    bic, lop = partners["BIC"], partners["LOP"]
    org = ok(bic, "add", "organisation", "name=Odra", "country=PL").strip()
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "1.zip"))
    ok(lop, "bundle", "import", str(tmp_path / "1.zip"))
    ok(lop, "edit", "organisation", org, "notes=Wants a study trip", "phone=+48 95 722 10 00")
    ok(bic, "delete", "organisation", org)
    ok(lop, "bundle", "export", "--to", "BIC", "-o", str(tmp_path / "2.zip"))
    ok(bic, "bundle", "export", "--to", "LOP", "-o", str(tmp_path / "3.zip"))
    assert "1 field in conflict" in ok(bic, "bundle", "import", str(tmp_path / "2.zip"))
    assert "1 field in conflict" in ok(lop, "bundle", "import", str(tmp_path / "3.zip"))
    for office in (bic, lop):
        [conflict] = json.loads(ok(office, "conflicts", "--json"))
        assert (conflict["id"], conflict["field"]) == (org, "deleted")
        assert [(w["value"], w["office"], w["choice"]) for w in conflict["writes"]] == [
            (True, "BIC", "keep deleted"), (False, "LOP", "restore with the edit")]
    assert "keep deleted" in ok(lop, "conflicts")
    before = ok(lop, "dump")
    line = one_line_error(run(lop, "resolve", "organisation", org, "deleted", "perhaps"))
    assert "restore with the edit" in line
    assert ok(lop, "dump") == before
    ok(lop, "--lang", "pl", "resolve", "organisation", org, "deleted", "przywróć ze zmianą")
    assert json.loads(ok(lop, "conflicts", "--json")) == []
    ok(lop, "bundle", "export", "--to", "BIC", "-o", str(tmp_path / "4.zip"))
    ok(bic, "bundle", "import", str(tmp_path / "4.zip"))
    assert json.loads(ok(bic, "conflicts", "--json")) == []
    [row] = [o for o in json.loads(ok(bic, "dump"))["organisation"] if o["id"] == org]
    assert (row["deleted"], row["notes"]) == (False, "Wants a study trip")
    assert ok(bic, "dump") == ok(lop, "dump")
