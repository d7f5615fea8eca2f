"""Correcting the office of an installation set up in a hurry (issue 14, point 2): allowed
until its first bundle leaves, and that bundle is then accepted by a partner; refused after."""

from __future__ import annotations

import json

from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run


def _record(data_dir, entity: str, record_id: str) -> dict:
    return json.loads(ok(data_dir, "show", entity, record_id, "--json"))["record"]


def _installation_office(data_dir, installation_id: str) -> str:
    offices = {o["id"]: o["code"] for o in json.loads(ok(data_dir, "list", "office", "--json"))}
    [row] = [i for i in json.loads(ok(data_dir, "list", "installation", "--json"))
             if i["id"] == installation_id]
    return offices[row["office_id"]]


def test_corrected_before_the_first_bundle_then_refused(tmp_path):
    """A Gorzów laptop set up as BIC moves to LOP with its advisor and its first record; a
    CIT partner imports its first bundle; a second correction is refused, nothing changed."""
    laptop, partner = tmp_path / "laptop", tmp_path / "cit"
    ok(laptop, "init", "--office", "BIC", "--advisor", "Anna Nowak")
    ok(partner, "init", "--office", "CIT", "--advisor", "Jens Schulz")
    cluster = ok(laptop, "add", "cluster", "name_pl=Klaster Winiarski",
                 "name_de=Weincluster", "country=PL").strip()
    assert "(BIC)" in ok(laptop, "office", "show")

    assert "(LOP)" in ok(laptop, "office", "set", "lop")
    assert "(LOP)" in ok(laptop, "office", "show")
    offices = {o["code"]: o["id"] for o in json.loads(ok(laptop, "list", "office", "--json"))}
    [advisor] = json.loads(ok(laptop, "list", "advisor", "--json"))
    assert advisor["office_id"] == offices["LOP"]
    assert _record(laptop, "cluster", cluster)["office_id"] == \
        offices["LOP"]

    # The key file exported after the correction names LOP; the partner trusts it.
    ok(laptop, "keys", "export", "-o", str(tmp_path / "laptop.json"))
    ok(partner, "keys", "export", "-o", str(tmp_path / "cit.json"))
    ok(partner, "keys", "trust", str(tmp_path / "laptop.json"), "--yes")
    ok(laptop, "keys", "trust", str(tmp_path / "cit.json"), "--yes")
    bundle = tmp_path / "first.zip"
    ok(laptop, "bundle", "export", "--to", "CIT", "-o", str(bundle))
    assert "changes applied" in ok(partner, "bundle", "import", str(bundle))
    installation = json.loads(ok(laptop, "list", "installation", "--json"))
    own = [i["id"] for i in installation if i["office_id"] == offices["LOP"]]
    assert len(own) == 1
    assert _installation_office(partner, own[0]) == "LOP"
    assert _record(partner, "cluster", cluster)["office_id"] == \
        offices["LOP"]

    # After the first export: one translated line, exit != 0, nothing changed.
    before = ok(laptop, "dump")
    line = one_line_error(run(laptop, "office", "set", "SNB"))
    assert "already exported a bundle" in line
    assert ok(laptop, "dump") == before
    assert "(LOP)" in ok(laptop, "office", "show")

    # A later bundle (carrying both office writes again, unacknowledged) is still accepted.
    ok(laptop, "edit", "cluster", cluster, "name_de=Weinbaucluster")
    ok(laptop, "bundle", "export", "--to", "CIT", "-o", str(tmp_path / "second.zip"))
    assert "1 change applied" in ok(partner, "bundle", "import", str(tmp_path / "second.zip"))
    assert _record(partner, "cluster", cluster)["name_de"] == \
        "Weinbaucluster"


def test_unknown_office_and_same_office(tmp_path):
    """An unknown code is refused with the known ones, nothing changed; the same office is
    no change."""
    laptop = tmp_path / "laptop"
    ok(laptop, "init", "--office", "SNB")
    before = ok(laptop, "dump")
    line = one_line_error(run(laptop, "office", "set", "XYZ"))
    assert "XYZ" in line and "LOP" in line
    assert ok(laptop, "dump") == before
    ok(laptop, "office", "set", "SNB")
    assert ok(laptop, "dump") == before


def test_a_partner_still_refuses_a_move_of_a_known_installation(tmp_path):
    """The rule stands for an installation a partner knows by its key file (pinned to the
    office it named): refused until the partner trusts the key file made after the fix."""
    laptop, partner = tmp_path / "laptop", tmp_path / "cit"
    ok(laptop, "init", "--office", "BIC")
    ok(partner, "init", "--office", "CIT")
    # The partner trusted the key file made before the correction (BIC): the bundle that
    # says LOP is refused (the person sends the new key file, as the Office page says).
    ok(laptop, "keys", "export", "-o", str(tmp_path / "laptop.json"))
    ok(partner, "keys", "export", "-o", str(tmp_path / "cit.json"))
    ok(partner, "keys", "trust", str(tmp_path / "laptop.json"), "--yes")
    ok(laptop, "keys", "trust", str(tmp_path / "cit.json"), "--yes")
    ok(laptop, "office", "set", "LOP")
    ok(laptop, "bundle", "export", "--to", "CIT", "-o", str(tmp_path / "b.zip"))
    before = ok(partner, "dump")
    line = one_line_error(run(partner, "bundle", "import", str(tmp_path / "b.zip")))
    assert "office other than the one trusted for its installation" in line
    assert ok(partner, "dump") == before
    # Trusting the key file made after the correction, the partner accepts the bundle.
    ok(laptop, "keys", "export", "-o", str(tmp_path / "laptop-lop.json"))
    ok(partner, "keys", "trust", str(tmp_path / "laptop-lop.json"), "--yes")
    assert "changes applied" in ok(partner, "bundle", "import", str(tmp_path / "b.zip"))
