"""Retention (issue 21, Done-when 4): ``retention list`` shows the contact persons past the
retention setting, and ``retention erase`` erases them in bulk, each through the normal
erasure, so that the erasures travel to a partner like any other.

The records are made in 2019 (this process's clock and creation time set back, as if the
profile had been kept since), the programme ends on 31 August 2020, and contact persons
are kept 5 years after their last activity or the end: those untouched since 2019 are due
now, the one met in a consultation half a year ago is not."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import shutil
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from test_cli import cli

from euregionet_desktop.services import records
from euregionet_desktop.sync import clock

IN_2019_MS = int(dt.datetime(2019, 6, 3, 9, tzinfo=dt.UTC).timestamp() * 1000)
RECENT = dt.date.today() - dt.timedelta(days=180)  # after the programme's end


def _run(data_dir: Path, *args: str) -> tuple[int, str, str]:
    """A command in this process: its exit code, stdout and stderr."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # JSON is written as bytes
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli(data_dir, *args)
    out.flush()
    return code, out.buffer.getvalue().decode(), err.getvalue()


def _out(data_dir: Path, *args: str) -> str:
    """Run a command that must succeed; its stdout."""
    code, out, err = _run(data_dir, *args)
    assert code == 0, err
    return out


def _error(data_dir: Path, *args: str) -> str:
    """Run a command that must fail with one line on stderr; that line."""
    code, _out_text, err = _run(data_dir, *args)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _new(data_dir: Path, entity: str, **values: str) -> str:
    return _out(data_dir, "add", entity, *(f"{k}={v}" for k, v in values.items())).strip()


def _erasures(data_dir: Path) -> dict[str, tuple[str, str]]:
    """The profile's erasure tombstones: record id -> (entity, reason)."""
    connection = sqlite3.connect(data_dir / "euregionet.sqlite3")
    try:
        return {r: (e, c) for r, e, c in connection.execute(
            "SELECT record_id, entity, reason FROM erasure")}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def _made(tmp_path_factory):
    """BIC and LOP set up in 2019 (trusting each other), five contact persons recorded at
    BIC then, and a bundle for LOP, imported there. Made once per module; each test works
    on a copy (``offices``)."""
    root = tmp_path_factory.mktemp("retention")
    dirs = {code: root / code for code in ("BIC", "LOP")}
    ticks = itertools.count()
    people: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now_ms", lambda: IN_2019_MS + 1000 * next(ticks))
        patch.setattr(records, "now_iso", lambda: "2019-06-03T09:00:00+00:00")
        for code, data_dir in dirs.items():
            _out(data_dir, "init", "--office", code, "--advisor", f"Advisor {code}")
            _out(data_dir, "keys", "export", "-o", str(root / f"{code}.json"))
        _out(dirs["BIC"], "keys", "trust", str(root / "LOP.json"), "--yes")
        _out(dirs["LOP"], "keys", "trust", str(root / "BIC.json"), "--yes")
        bic = dirs["BIC"]
        organisation = _new(bic, "organisation", name="Odlewnia Lubuska",
                            country="PL")
        cluster = _new(bic, "cluster", name_pl="Klaster Metalowy", country="PL")
        for key, last in (("dormant", "Uśpiona"), ("member", "Członkowska"),
                          ("participant", "Uczestnik"), ("recent", "Świeża"),
                          ("bystander", "Obok")):
            people[key] = _new(bic, "contact", first_name="Ewa", last_name=last,
                               organisation_id=organisation)
        _new(bic, "membership", cluster_id=cluster, contact_id=people["member"],
             role="member", joined_on="2019-03-01")
        event = _new(bic, "event", kind="study_trip", title_pl="Wizyta studyjna",
                     starts_on="2019-05-20")
        _new(bic, "participant", event_id=event, contact_id=people["participant"])
        # The bystander's consultation is older than the recent one: it is due, too.
        _new(bic, "consultation", held_at="2019-04-02 10:00",
             contact_ids=people["bystander"], subject="Doradztwo")
    # Half a year ago, at today's clock: the recent person is not due.
    _new(bic, "consultation", held_at=f"{RECENT} 11:00",
         contact_ids=people["recent"], subject="Spotkanie po programie")
    _out(bic, "programme", "set", "period_end=2020-08-31",
         "retention_contact_years=5")
    bundle = root / "BIC-LOP.zip"
    _out(bic, "bundle", "export", "--to", "LOP", "-o", str(bundle))
    _out(dirs["LOP"], "bundle", "import", str(bundle))
    return root, people


@pytest.fixture
def offices(tmp_path, _made):
    root, people = _made
    dirs = {}
    for code in ("BIC", "LOP"):
        dirs[code] = shutil.copytree(root / code, tmp_path / code)
    return dirs, people


DUE = ("dormant", "member", "participant", "bystander")


def test_retention_list_shows_exactly_the_persons_past_the_setting(offices):
    """The four untouched since 2019 are due since 31 August 2025 (5 years after the
    programme's end, later than their activity); the one met half a year ago is not."""
    dirs, people = offices
    listed = json.loads(_out(dirs["BIC"], "retention", "list", "--json"))
    due = {item["id"]: item for item in listed["due"]}
    assert set(due) == {people[key] for key in DUE}
    assert listed["years"] == {"contact": 5} and listed["checked"] == 5
    assert listed["gaps"] == []
    assert {item["due_since"] for item in due.values()} == {"2025-08-31"}
    member = due[people["member"]]
    assert (member["name"], member["organisation"]) == ("Ewa Członkowska", "Odlewnia Lubuska")
    # The latest of the person's dates: the record made in June (after the membership
    # joined in March), the consultation in April for the bystander less than that.
    assert member["last_activity"] == "2019-06-03"
    table = _out(dirs["BIC"], "retention", "list")
    assert "Ewa Uśpiona" in table and "Świeża" not in table
    assert "31 Aug 2025" in table


def test_retention_erase_all_erases_each_through_the_normal_erasure(offices):
    """``retention erase --all --yes``: a tombstone with reason gdpr_retention for each
    person and what went with them (membership, participation); the persons are gone, the
    recent one stays, the list is then empty, and a bundle carries the erasures to LOP,
    which no longer has them."""
    dirs, people = offices
    bic, lop = dirs["BIC"], dirs["LOP"]
    assert {people[key] for key in DUE} <= set(_out(lop, "list", "contact").split())
    out = _out(bic, "retention", "erase", "--all", "--yes")
    assert "4 contact persons erased after the retention period." in out
    erased = _erasures(bic)
    for key in DUE:
        assert erased[people[key]] == ("contact", "gdpr_retention")
    dependants = {entity for entity, _reason in erased.values()} - {"contact"}
    assert dependants == {"membership", "participant"}
    assert {reason for _entity, reason in erased.values()} == {"gdpr_retention"}
    left = _out(bic, "list", "contact")
    assert people["recent"] in left
    assert not any(people[key] in left for key in DUE)
    assert _out(bic, "list", "membership").strip() == ""
    assert json.loads(_out(bic, "retention", "list", "--json"))["due"] == []

    bundle = dirs["BIC"].parent / "erasures.zip"
    _out(bic, "bundle", "export", "--to", "LOP", "-o", str(bundle))
    report = _out(lop, "bundle", "import", str(bundle))
    assert "records erased" in report
    at_lop = _out(lop, "list", "contact")
    assert people["recent"] in at_lop
    assert not any(people[key] in at_lop for key in DUE)
    assert {r for r, (_e, reason) in _erasures(lop).items() if reason == "gdpr_retention"} \
        == set(erased)


def test_retention_erase_asks_once_and_refuses_without_a_terminal(offices):
    """Without --yes and without a terminal: one line that says to confirm with --yes, and
    nothing erased."""
    dirs, _people = offices
    error = _error(dirs["BIC"], "retention", "erase", "--all")
    assert "Erase 4 contact persons for good" in error and "--yes" in error
    assert _erasures(dirs["BIC"]) == {}


def test_retention_erase_refuses_a_person_not_due(offices):
    """A person not due (the recent one) among the ids: refused, nothing erased."""
    dirs, people = offices
    error = _error(dirs["BIC"], "retention", "erase", people["dormant"], people["recent"],
                   "--yes")
    assert "not due for review" in error and people["recent"] in error
    assert _erasures(dirs["BIC"]) == {}
    out = _out(dirs["BIC"], "retention", "erase", people["dormant"], "--yes")
    assert "1 contact person erased" in out
    assert set(_erasures(dirs["BIC"])) == {people["dormant"]}


def test_without_the_setting_the_list_says_where_to_set_it(offices):
    """The years emptied: nothing is due, and the line names the programme settings."""
    dirs, _people = offices
    _out(dirs["BIC"], "programme", "set", "retention_contact_years=")
    code, out, err = _run(dirs["BIC"], "retention", "list")
    assert (code, out) == (0, "")
    assert "Set the retention period in the programme settings" in err
    listed = json.loads(_out(dirs["BIC"], "retention", "list", "--json"))
    assert listed["due"] == [] and listed["gaps"][0]["reason"] == "no_years"
    assert "programme settings" in _error(dirs["BIC"], "retention", "erase", "--all", "--yes")


@pytest.mark.parametrize("years", ["-3", "51", "viele"])
def test_programme_set_refuses_an_absurd_retention_period(offices, years):
    """One line naming the range; the setting stays."""
    dirs, _people = offices
    error = _error(dirs["BIC"], "programme", "set", f"retention_contact_years={years}")
    assert "Keep contact persons" in error
    shown = json.loads(_out(dirs["BIC"], "programme", "show", "--json"))
    assert shown["retention_contact_years"] == "5"
