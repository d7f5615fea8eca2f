"""SIGKILL a real ``euregionet erase`` at random moments, most of them while it rewrites the
backups without the erased person: every backup left is whole and restorable, and the
next start finishes the rewrite, so no byte of the person remains.
More runs: ``EUREGIONET_KILL_RUNS=100``; the same delays: ``EUREGIONET_KILL_SEED=...``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kill_harness import RUNS, KillPlan, command, integrity, kill_after, timed_run
from test_cli import ENV, ok, ok_here, run
from test_erasure_cli import FIRST, LAST, traces
from test_kill import assert_lock_free, fresh, temporary_files

from euregionet_desktop.paths import Profile

BACKUPS = 5  # made by hand, besides the day's and those before imports


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, str]:
    """A LOP profile of 2000 demo contacts and the person, on an attendance list, in
    several backups (made in process: only the erasure is killed)."""
    profile = tmp_path_factory.mktemp("kill-erasure") / "LOP"
    ok_here(profile, "init", "--office", "LOP", "--advisor", "Advisor LOP")
    ok_here(profile, "demo-data", "--contacts", "2000")
    person = ok_here(profile, "add", "contact", f"first_name={FIRST}", f"last_name={LAST}").strip()
    event = ok_here(profile, "add", "event", "kind=kickoff", "title_pl=Spotkanie",
               "starts_on=2018-05-15").strip()
    ok_here(profile, "add", "participant", f"event_id={event}", f"contact_id={person}")
    ok_here(profile, "doc", "attendance", event, "-o", str(profile.parent / "list.docx"))
    for _ in range(BACKUPS):
        ok_here(profile, "backup", "create")
    assert any(f.startswith("backups") for f in traces(profile))
    assert any(f.startswith("attachments") for f in traces(profile))
    return profile, person


def backups_sound(profile: Path, where: str) -> list[str]:
    found = sorted(p.name for p in Profile(profile).backups.glob("[0-9]*.sqlite3"))
    for name in found:
        assert integrity(Profile(profile).backups / name) == "ok", f"{name} — {where}"
    return found


@pytest.mark.timeout(300 + 40 * RUNS)
def test_killed_while_rewriting_backups_they_stay_restorable_and_the_next_start_finishes(
        template, tmp_path):
    """SIGKILL anywhere in ``erase``: the database and every backup sound; the person
    either still here (the erasure did not commit) or erased with the backups' rewrite
    finished by the next command; a restore of the oldest backup brings nobody back."""
    source, person = template
    measure = fresh(source, tmp_path / "measure")
    measured = timed_run(command(measure, "erase", "contact", person, "--yes"), ENV)
    assert measured.returncode == 0, measured.stderr
    assert traces(measure) == []
    backups_before = backups_sound(source, "template")

    plan = KillPlan("erase", measured.seconds)
    mid_rewrite = 0
    for n, delay in plan.delays():
        folder = tmp_path / f"run-{n}"
        profile = fresh(source, folder)
        kill = kill_after(command(profile, "erase", "contact", person, "--yes"), ENV, delay,
                          run=n, duration=plan.duration, lock_info=Profile(profile).lock_info)
        where = plan.where(kill)
        assert kill.interrupted or kill.returncode == 0, f"{kill.stderr} — {where}"
        assert "Traceback" not in kill.stderr, f"{kill.stderr} — {where}"
        assert integrity(Profile(profile).database) == "ok", where
        assert_lock_free(profile, where)
        # Each backup is the old one or the rewritten one, never half of either.
        assert backups_sound(profile, where) == backups_before, where
        marked = Profile(profile).backups_to_scrub.exists()
        erased = person not in ok(profile, "dump")  # the next start: finishes a rewrite
        if erased and Profile(profile).backups_to_scrub.exists():
            pytest.fail(f"the next start left the rewrite unfinished — {where}")
        state = "after" if erased else "before"
        if not kill.interrupted:
            assert state == "after", where
        plan.record(kill, state)
        if not erased:
            ok(profile, "erase", "contact", person, "--yes")
        else:
            mid_rewrite += kill.interrupted and marked
        assert traces(profile) == [], where
        assert temporary_files(Profile(profile).backups) == [], where
        oldest = json.loads(ok(profile, "backup", "list", "--json"))[-1]["id"]
        ok(profile, "backup", "restore", oldest, "--yes")
        assert run(profile, "show", "contact", person).returncode != 0, where
        assert traces(profile) == [], where
        shutil.rmtree(folder)
    summary = f"{plan.summary()}; killed after the erasure, before the backups: {mid_rewrite}"
    print(summary)
    assert plan.interrupted >= RUNS, f"too few runs were really interrupted: {summary}"
    assert mid_rewrite >= 1, f"no kill landed while the backups were rewritten: {summary}"
