"""The ``euregionet`` command driven as a person would, on real profiles in temporary folders."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from euregionet_desktop import i18n
from euregionet_desktop.cli import main

ENV = {
    **{k: v for k, v in os.environ.items() if k != "EUREGIONET_DATA_DIR"},
    "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LC_MESSAGES": "C.UTF-8", "LANGUAGE": "",
    # No language saved by a person using this machine reaches the commands under test.
    "EUREGIONET_CONFIG_DIR": tempfile.mkdtemp(prefix="euregionet-config-"),
}


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``euregionet --data-dir DIR ARGS...`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=ENV, timeout=120,
    )


def run_here(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """``run`` in this process: the same command line and environment (ENV), the same
    exit code and output, without the second a fresh interpreter takes to start and
    import the app. For the tests where the process itself is not under test; an error
    the command does not handle fails the test with its traceback. What the command leaves
    in this process is undone as its exit would: the environment, the language, the
    profile's log handler and the standard streams."""
    argv = ["--data-dir", str(data_dir), *map(str, args)]
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    streams = sys.stdin, sys.stdout, sys.stderr
    environ = dict(os.environ)
    language = i18n.current_language()
    root = logging.getLogger()
    handlers, level = set(root.handlers), root.level
    os.environ.clear()
    os.environ.update(ENV)
    sys.stdin = io.StringIO()
    sys.stdout, sys.stderr = stdout, stderr
    try:
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
            if isinstance(code, str):
                print(code, file=sys.stderr)
                code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        output, errors = stdout.detach().getvalue(), stderr.detach().getvalue()
        os.environ.clear()
        os.environ.update(environ)
        i18n.set_language(language)
        for handler in set(root.handlers) - handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)

    def text(data: bytes) -> str:  # decoded as subprocess.run(text=True) does
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()

    return subprocess.CompletedProcess([sys.executable, "-m", "euregionet_desktop", *argv],
                                       0 if code is None else code, text(output),
                                       text(errors))


def ok_here(data_dir: Path, *args: str | Path) -> str:
    """``ok`` in this process (see ``run_here``)."""
    result = run_here(data_dir, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def cli(data_dir: Path, *args: str | Path) -> int:
    """``euregionet --data-dir DIR --lang en ARGS...`` in this process (for a clock or
    anything else set in this process); the exit code. The language before is restored."""
    language = i18n.current_language()
    try:
        return main(["--data-dir", str(data_dir), "--lang", "en", *map(str, args)])
    finally:
        i18n.set_language(language)


def ok(data_dir: Path, *args: str) -> str:
    """Run a command that must succeed; return its stdout."""
    result = run(data_dir, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess, code: int = 1) -> str:
    """The single stderr line of a command that failed as expected."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def added_id(data_dir: Path, entity: str, **values: str) -> str:
    """``add ENTITY FIELD=VALUE...``; the printed id is a UUID."""
    out = ok(data_dir, "add", entity, *(f"{k}={v}" for k, v in values.items())).strip()
    assert str(uuid.UUID(out)) == out
    return out


def added_id_here(data_dir: Path, entity: str, **values: str) -> str:
    """``added_id`` in this process (see ``run_here``)."""
    out = ok_here(data_dir, "add", entity, *(f"{k}={v}" for k, v in values.items())).strip()
    assert str(uuid.UUID(out)) == out
    return out


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """One profile set up for LOP, shared by the tests of this module."""
    data_dir = tmp_path_factory.mktemp("cli") / "profile"
    out = ok(data_dir, "init", "--office", "LOP", "--advisor", "Anna Nowak")
    assert "LOP" in out
    return data_dir


@pytest.fixture(scope="module")
def offices(profile) -> dict[str, str]:
    """Office code → id, as ``list office --json`` shows them."""
    rows = json.loads(ok(profile, "list", "office", "--json"))
    return {row["code"]: row["id"] for row in rows}


def test_add_prints_an_id_for_every_user_entity(profile, offices):
    """Every user entity can be added from the command line, each printing its new id."""
    lop = offices["LOP"]
    advisor = added_id(profile, "advisor", name="Piotr Zieliński", office_id=offices["BIC"])
    cluster = added_id(profile, "cluster", name_pl="Lubuski Klaster Metalowy",
                       name_de="Lebuser Metallcluster", country="PL", cross_border="tak",
                       office_id=lop)
    organisation = added_id(profile, "organisation", name="Łódź Metal Sp. z o.o.",
                            country="PL", city="Łódź", nip="526-000-12-46",
                            postal_code="66-400")
    contact = added_id(profile, "contact", first_name="Jürgen", last_name="Müller",
                       email="j.mueller@example.de", phone="+49 30 1234567")
    added_id(profile, "membership", cluster_id=cluster, organisation_id=organisation,
             role="founding_member", joined_on="2018-02-01", recruited_by_programme="yes")
    consultation = added_id(profile, "consultation", held_at="2018-05-03 10:30",
                            cluster_id=cluster, contact_ids=contact, advisor_id=advisor,
                            topics="cluster_dialogue,projects_funding", mode="site_visit")
    added_id(profile, "task", title="Wysłać ankietę", consultation_id=consultation,
             assignee_id=advisor, due_on="10.05.2018")
    added_id(profile, "evaluation", cluster_id=cluster, evaluated_on="2018-06-01",
             scores='{"structure.members": 3, "services.use": 2}', office_id=lop)
    plan = added_id(profile, "action-plan", cluster_id=cluster, title="Plan działań 2018",
                    status="agreed")
    added_id(profile, "measure", action_plan_id=plan, title="Wizyta studyjna",
             cost="1200.50", currency="EUR", starts_on="2018-10-01", ends_on="2018-10-03")
    event = added_id(profile, "event", kind="study_trip", title_pl="Podróż studyjna",
                     starts_on="2018-04-10", office_id=lop)
    added_id(profile, "participant", event_id=event, contact_id=contact, attended="yes")


def test_edit_shows_old_and_new_value_in_history(profile):
    """After an edit, ``show --json`` has the new value and a history entry old → new."""
    contact = added_id(profile, "contact", first_name="Jan", last_name="Kowalski")
    out = ok(profile, "edit", "contact", contact, "last_name=Kowalski-Nowak")
    assert "Nothing changed" not in out
    shown = json.loads(ok(profile, "show", "contact", contact, "--json"))
    assert shown["record"]["last_name"] == "Kowalski-Nowak"
    edits = [h for h in shown["history"] if h["field"] == "last_name"]
    assert [(h["old"], h["new"]) for h in edits] == [
        (None, "Kowalski"), ("Kowalski", "Kowalski-Nowak")]
    assert {(h["office"], h["author"]) for h in edits} == {("LOP", "Anna Nowak")}


def test_deleted_record_is_no_longer_listed(profile):
    """``delete`` removes a record from ``list --json``."""
    keep = added_id(profile, "task", title="Zostaje")
    task = added_id(profile, "task", title="Do usunięcia")
    assert ok(profile, "delete", "task", task).strip() == "Deleted 1 record."
    listed = {row["id"] for row in json.loads(ok(profile, "list", "task", "--json"))}
    assert task not in listed
    assert keep in listed


def test_fields_lists_contact_fields_with_required_flags(profile):
    """``fields contact`` shows first/last name, e-mail and phone, last name required."""
    rows = {line.split()[0]: line.split() for line in ok(profile, "fields", "contact")
            .splitlines() if line.strip()}
    assert rows["last_name"][1:3] == ["text", "required"]
    assert rows["first_name"][1:3] == ["text", "optional"]
    assert rows["email"][1:3] == ["email", "optional"]
    assert rows["phone"][1:3] == ["phone", "optional"]


INVALID_VALUES = [
    (("organisation", "name=Firma", "country=PL", "nip=526-000-12-47"), "NIP"),
    (("organisation", "name=Firma", "country=DE", "vat_id=DE123456789"), "USt-IdNr"),
    (("contact", "last_name=Kowalski", "phone=+48 12"), "Phone"),
    (("contact", "last_name=Kowalski", "email=jan.kowalski@"), "E-mail"),
    (("organisation", "name=Firma", "country=PL", "postal_code=66400-1"), "Postal code"),
]


def test_invalid_values_refused_with_one_line_naming_the_field(profile):
    """Bad NIP, USt-IdNr, phone, e-mail and postal code: exit 1, one line, nothing stored."""
    before = run(profile, "dump")
    again = run(profile, "dump")
    assert before.returncode == 0 and before.stdout
    assert again.stdout == before.stdout  # dump is canonical: same data, same bytes
    for args, label in INVALID_VALUES:
        line = one_line_error(run(profile, "add", *args))
        assert label in line, (args, line)
    assert run(profile, "dump").stdout == before.stdout


def test_list_cluster_json_is_valid_json_with_the_cluster(profile):
    """``list cluster --json`` parses and contains a cluster just added, name intact."""
    cluster = added_id(profile, "cluster", name_pl="Żagań Klaster", country="PL")
    rows = json.loads(ok(profile, "list", "cluster", "--json"))
    assert isinstance(rows, list)
    assert {row["id"]: row["name_pl"] for row in rows}[cluster] == "Żagań Klaster"


def test_unknown_entity_exits_1_with_one_line(profile):
    """An unknown record type is one clear line listing the known types."""
    line = one_line_error(run(profile, "list", "klaster"))
    assert "klaster" in line and "cluster" in line


def test_bad_usage_exits_2_with_one_line(profile):
    """A missing argument is a usage error: exit 2, one line, no traceback."""
    line = one_line_error(run(profile, "show", "contact"), code=2)
    assert "euregionet" in line


def test_indicators_json_changes_after_adding_matching_event(profile, offices):
    """``indicators --json`` has 11 entries; a kick-off meeting raises its value by one."""
    before = {row["code"]: row for row in json.loads(ok(profile, "indicators", "--json"))}
    assert len(before) == 11
    added_id(profile, "event", kind="kickoff", title_pl="Spotkanie startowe",
             starts_on="2019-03-01", office_id=offices["SNB"])
    after = {row["code"]: row for row in json.loads(ok(profile, "indicators", "--json"))}
    assert after["kickoff_meetings"]["value"] == before["kickoff_meetings"]["value"] + 1
    assert after["kickoff_meetings"]["by_office"].get("SNB", 0) == (
        before["kickoff_meetings"]["by_office"].get("SNB", 0) + 1)
    assert after["kickoff_meetings"]["target"] == 4


def test_command_on_uninitialised_profile_explains_how_to_set_it_up(tmp_path):
    """Adding to a profile nobody set up is one line pointing to ``init --office``."""
    line = one_line_error(run(tmp_path / "fresh", "add", "contact", "last_name=Kowalski"))
    assert "init --office" in line


def test_init_with_unknown_office_lists_known_codes(tmp_path):
    """``init --office XYZ`` is refused with the known office codes."""
    line = one_line_error(run(tmp_path / "fresh", "init", "--office", "XYZ"))
    assert "XYZ" in line and "BIC, CIT, LOP, SNB" in line


def test_add_and_edit_take_relative_dates_and_refuse_other_words(profile):
    """``add``/``edit`` clean dates as the forms do: "jutro", "morgen 10:00" and "+7" are
    days from today; a word that is no date is one line and stores nothing."""
    today = dt.date.today()
    task = added_id(profile, "task", title="Zadzwonić", due_on="jutro")
    consultation = added_id(profile, "consultation", held_at="morgen 10:00")
    ok(profile, "edit", "task", task, "due_on=+7")
    shown = json.loads(ok(profile, "show", "task", task, "--json"))["record"]
    held = json.loads(ok(profile, "show", "consultation", consultation, "--json"))["record"]
    # Run across midnight, the commands' today may be one day later than the test's.
    assert shown["due_on"] in {(today + dt.timedelta(days=d)).isoformat() for d in (7, 8)}
    assert held["held_at"] in {f"{(today + dt.timedelta(days=d)).isoformat()} 10:00"
                               for d in (1, 2)}
    before = run(profile, "dump").stdout
    line = one_line_error(run(profile, "edit", "task", task, "due_on=bald"))
    assert "bald" in line and "DD.MM.YYYY" in line
    assert run(profile, "dump").stdout == before
