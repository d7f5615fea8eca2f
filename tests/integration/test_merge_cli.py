"""``euregionet merge``: shows what will happen, asks (refuses off a terminal without
--yes), merges; every refusal is one translated line and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import added_id_here as added_id
from test_cli import ok_here as ok
from test_cli import one_line_error
from test_cli import run_here as run


@pytest.fixture
def office(tmp_path: Path) -> Path:
    data_dir = tmp_path / "LOP"
    ok(data_dir, "init", "--office", "LOP", "--advisor", "Advisor LOP")
    return data_dir


def test_merge_asks_refuses_without_a_terminal_and_merges_with_yes(office: Path):
    keep = added_id(office, "organisation", name="Odrzańskie Zakłady Metalowe Sp. z o.o.",
                    country="PL", city="Gorzów Wlkp.")
    other = added_id(office, "organisation", name="ODRZANSKIE ZAKLADY METALOWE",
                     country="PL", nip="599-000-20-05", city="Słubice")
    contact = added_id(office, "contact", last_name="Nowak", organisation_id=other)
    before = ok(office, "dump")

    refused = run(office, "--lang", "en", "merge", "organisation", keep, other)
    line = one_line_error(refused)
    assert "--yes" in line
    assert "Keep: Odrzańskie" in refused.stdout  # what would happen was shown first
    assert ok(office, "dump") == before

    bad = {
        ("merge", "event", keep, other): "Only organisations",
        ("merge", "organisation", keep): "",  # argparse: OTHER_ID required
        ("merge", "organisation", keep, keep, "--yes"): "named twice",
        ("merge", "organisation", keep, "no-such-id", "--yes"): "no-such-id",
        ("merge", "organisation", keep, other, "--take", "city", "--yes"): "FIELD=RECORD_ID",
        ("merge", "organisation", keep, other, "--take", "colour=" + other, "--yes"): "colour",
        ("merge", "organisation", keep, other, "--take", "city=nope", "--yes"): "nope",
    }
    for args, words in bad.items():
        result = run(office, "--lang", "en", *args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr
        assert words in result.stderr, (args, result.stderr)
        assert ok(office, "dump") == before

    out = ok(office, "--lang", "en", "merge", "organisation", keep, other,
             "--take", f"city={other}", "--yes")
    assert "Merged 1 record into" in out
    firm = json.loads(ok(office, "show", "organisation", keep, "--json"))["record"]
    assert firm["city"] == "Słubice" and firm["nip"] == "5990002005"
    person = json.loads(ok(office, "show", "contact", contact, "--json"))["record"]
    assert person["organisation_id"] == keep
    listed = json.loads(ok(office, "list", "organisation", "--json"))
    assert [row["id"] for row in listed] == [keep]


def test_merge_speaks_polish(office: Path):
    keep = added_id(office, "contact", last_name="Kowalska", email="a.kowalska@example.pl")
    other = added_id(office, "contact", last_name="Kowalska", phone="+48 600 100 200")
    out = ok(office, "--lang", "pl", "merge", "contact", keep, other, "--yes")
    assert "Scalono" in out
