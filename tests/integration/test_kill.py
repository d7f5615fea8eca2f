"""SIGKILL a real ``euregionet`` at random moments of import, demo data and export.

Each run kills a process on a fresh copy of a prepared profile, then checks what a person
would find after a crash: a sound database, the operation wholly done or not at all, the
profile free to open, and the same command completing when run again. More runs:
``EUREGIONET_KILL_RUNS=100``; the same delays again: ``EUREGIONET_KILL_SEED=...``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from kill_harness import (
    RUNS,
    Kill,
    KillPlan,
    Timed,
    command,
    integrity,
    kill_after,
    rows,
    table_counts,
    tables_differing,
    timed_run,
)
from test_cli import ENV, ok, ok_here, one_line_error, run

from euregionet_desktop.errors import ProfileLockedError
from euregionet_desktop.paths import Profile, ProfileLock

# Sized so each operation runs for about 1–1.5 s on a laptop, Python's start-up included.
SENDER_CONTACTS = "2000"
DEMO_CONTACTS = "2000"
BUNDLE_NAME = "bic-to-lop.zip"
PARTIAL = ".*.partial*"  # files on their way to a final name (euregionet_desktop.files)


@dataclass(frozen=True)
class World:
    """Prepared profiles to copy: BIC with demo data, LOP trusting BIC's key, a bundle."""

    sender: Path
    receiver: Path
    bundle: Path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("kill-templates")
    sender, receiver = root / "BIC", root / "LOP"
    ok_here(sender, "init", "--office", "BIC", "--advisor", "Advisor BIC")
    ok_here(receiver, "init", "--office", "LOP", "--advisor", "Advisor LOP")
    for office, data_dir in (("BIC", sender), ("LOP", receiver)):  # as partners do
        ok_here(data_dir, "keys", "export", "-o", str(root / f"{office}.json"))
    ok_here(receiver, "keys", "trust", str(root / "BIC.json"), "--yes")
    ok_here(sender, "demo-data", "--contacts", SENDER_CONTACTS)
    ok_here(sender, "bundle", "export", "--to", "LOP", "-o", str(root / BUNDLE_NAME))
    return World(sender, receiver, root / BUNDLE_NAME)


def fresh(template: Path, folder: Path) -> Path:
    """A copy of a template profile (database, -wal if any, keys, settings)."""
    folder.mkdir(parents=True)
    return Path(shutil.copytree(template, folder / "profile"))


def assert_lock_free(profile: Path, where: str) -> None:
    """The OS lock died with the killed process: a new holder gets the profile at once."""
    lock = ProfileLock(Profile(profile))
    try:
        lock.acquire("pytest after a kill")
    except ProfileLockedError as error:
        pytest.fail(f"stale profile lock after the kill: {error} — {where}")
    lock.release()


def assert_backups_sound(profile: Path, where: str) -> None:
    """A backup under its final name (an import makes one first) is whole and sound."""
    for backup in Profile(profile).backups.glob("[0-9]*.sqlite3"):
        assert integrity(backup) == "ok", f"damaged backup {backup.name} — {where}"


def temporary_files(folder: Path) -> list[str]:
    """Temporary files under ``folder``, their random part replaced by ``*``."""
    return [re.sub(r"\.[0-9a-f]{8}\.partial", ".*.partial", str(path.relative_to(folder)))
            for path in folder.rglob(PARTIAL)]


def refusal(result: subprocess.CompletedProcess, where: str) -> str:
    """The one stderr line of a command refused as expected (exit 1)."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, f"{result.stderr} — {where}"
    assert "Traceback" not in result.stderr, where
    return lines[0]


def short_diff(got: str, expected: str) -> str:
    return "\n".join(list(difflib.unified_diff(expected.splitlines(), got.splitlines(),
                                               "expected", "got", lineterm="", n=1))[:40])


# --- The operations ---------------------------------------------------------------------
# Each knows its command, learns the states before and after from one uninterrupted run,
# and checks a killed run's profile: ``check_killed`` returns "before" or "after".


class BundleImport:
    name = "bundle import"

    def __init__(self, world: World) -> None:
        self.world = world
        self.template = world.receiver

    def args(self, folder: Path) -> tuple[str, ...]:
        return ("bundle", "import", str(self.world.bundle))

    def learn_before(self, profile: Path) -> None:
        self.before = ok(profile, "dump")

    def learn(self, profile: Path, measured: Timed) -> None:
        self.after = ok(profile, "dump")

    def check_killed(self, profile: Path, folder: Path, kill: Kill, where: str) -> str:
        dumped = run(profile, "dump")
        assert dumped.returncode == 0, f"{dumped.stderr} — {where}"
        if dumped.stdout == self.before:
            return "before"
        assert dumped.stdout == self.after, (
            f"the import was half applied: the dump is neither the one before nor the one "
            f"after it — {where}\n{short_diff(dumped.stdout, self.after)}")
        return "after"

    def check_again(self, profile: Path, folder: Path, state: str, where: str) -> None:
        again = run(profile, *self.args(folder))
        if state == "before":
            assert again.returncode == 0, f"{again.stderr} — {where}"
            assert "changes applied" in again.stdout, where
        else:  # the killed import had committed; a second one is refused as such
            assert "already imported" in refusal(again, where), where
        assert ok(profile, "dump") == self.after, where


class DemoData:
    name = "demo-data"

    def __init__(self, world: World) -> None:
        self.template = world.receiver  # set up for LOP, no clusters yet

    def args(self, folder: Path) -> tuple[str, ...]:
        return ("demo-data", "--contacts", DEMO_CONTACTS)

    def learn_before(self, profile: Path) -> None:
        self.before = table_counts(Profile(profile).database)
        assert self.before["cluster"] == 0

    def learn(self, profile: Path, measured: Timed) -> None:
        self.after = table_counts(Profile(profile).database)
        assert self.after["cluster"] > 0 and self.after["contact"] == int(DEMO_CONTACTS)

    def check_killed(self, profile: Path, folder: Path, kill: Kill, where: str) -> str:
        counts = table_counts(Profile(profile).database)
        if counts == self.before:
            return "before"
        assert counts == self.after, (
            f"demo data half written: {_count_diff(counts, self.before, self.after)} — {where}")
        return "after"

    def check_again(self, profile: Path, folder: Path, state: str, where: str) -> None:
        again = run(profile, *self.args(folder))
        if state == "before":
            assert again.returncode == 0, f"{again.stderr} — {where}"
        else:
            assert "already holds clusters" in refusal(again, where), where
        assert table_counts(Profile(profile).database) == self.after, where


class BundleExport:
    name = "bundle export"

    def __init__(self, world: World) -> None:
        self.template = world.sender

    def args(self, folder: Path) -> tuple[str, ...]:
        return ("bundle", "export", "--to", "LOP", "-o", str(folder / BUNDLE_NAME))

    def learn_before(self, profile: Path) -> None:
        self.logged = _exports(Profile(profile).database)

    def learn(self, profile: Path, measured: Timed) -> None:
        self.changes = _changes_written(measured.stdout)

    def check_killed(self, profile: Path, folder: Path, kill: Kill, where: str) -> str:
        database = Profile(profile).database
        differing = tables_differing(database, Profile(self.template).database)
        assert set(differing) <= {"bundle_log"}, (
            f"an export changed the database: {differing} — {where}")
        logged = _exports(database)
        bundle = folder / BUNDLE_NAME
        if bundle.exists():
            inspected = run(profile, "bundle", "inspect", str(bundle), "--json")
            assert inspected.returncode == 0, (
                f"an incomplete bundle under its final name: {inspected.stderr} — {where}")
            assert json.loads(inspected.stdout)["changes"] == self.changes, where
        if logged == self.logged:
            return "after" if bundle.exists() else "before"
        assert logged[:-1] == self.logged and logged[-1][1] == BUNDLE_NAME, where
        assert bundle.exists(), f"the export was logged but its bundle is missing — {where}"
        return "after"

    def check_again(self, profile: Path, folder: Path, state: str, where: str) -> None:
        again = run(profile, *self.args(folder))
        assert again.returncode == 0, f"{again.stderr} — {where}"
        assert _changes_written(again.stdout) == self.changes, where
        with zipfile.ZipFile(folder / BUNDLE_NAME) as bundle:
            assert bundle.testzip() is None, where


def _exports(database: Path) -> list[tuple]:
    return rows(database, "SELECT direction, file_name FROM bundle_log "
                          "WHERE direction = 'out' ORDER BY rowid")


def _changes_written(stdout: str) -> int:
    found = re.search(r": (\d+) changes,", stdout)
    assert found, stdout
    return int(found[1])


def _count_diff(got: dict[str, int], before: dict[str, int], after: dict[str, int]) -> str:
    return ", ".join(f"{name} {got[name]} (before {before[name]}, after {after[name]})"
                     for name in sorted(got) if got[name] not in (before[name], after[name]))


OPERATIONS = {op.name: op for op in (BundleImport, DemoData, BundleExport)}


@pytest.mark.timeout(240 + 20 * RUNS)
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_killed_at_a_random_moment_the_operation_is_all_or_nothing(name, world, tmp_path):
    """SIGKILL anywhere: integrity ok, all or nothing, no stale lock, the rerun succeeds."""
    op = OPERATIONS[name](world)
    measure = fresh(op.template, tmp_path / "measure")
    op.learn_before(measure)
    measured = timed_run(command(measure, *op.args(tmp_path / "measure")), ENV)
    assert measured.returncode == 0, measured.stderr
    op.learn(measure, measured)

    plan = KillPlan(name, measured.seconds)
    leftovers: dict[str, Counter[str]] = {"kill": Counter(), "rerun": Counter()}
    for n, delay in plan.delays():
        folder = tmp_path / f"run-{n}"
        profile = fresh(op.template, folder)
        kill = kill_after(command(profile, *op.args(folder)), ENV, delay, run=n,
                          duration=plan.duration, lock_info=Profile(profile).lock_info)
        where = plan.where(kill)
        assert kill.interrupted or kill.returncode == 0, f"{kill.stderr} — {where}"
        assert "Traceback" not in kill.stderr, f"{kill.stderr} — {where}"

        assert integrity(Profile(profile).database) == "ok", where
        assert_lock_free(profile, where)
        state = op.check_killed(profile, folder, kill, where)
        if not kill.interrupted:
            assert state == "after", f"a completed run left the state before — {where}"
        plan.record(kill, state)
        assert_backups_sound(profile, where)
        leftovers["kill"].update(temporary_files(folder))
        op.check_again(profile, folder, state, where)
        assert_backups_sound(profile, where)
        leftovers["rerun"].update(temporary_files(folder))
        shutil.rmtree(folder)  # 100 copies of a 20 MB profile add up

    summary = (f"{plan.summary()}; temporary files left after the kill: "
               f"{dict(leftovers['kill']) or 'none'}, after the rerun: "
               f"{dict(leftovers['rerun']) or 'none'}")
    print(summary)
    assert plan.interrupted >= RUNS, f"too few runs were really interrupted: {summary}"


def test_a_second_process_is_refused_while_demo_data_holds_the_profile(world, tmp_path):
    """While demo-data works on a profile, ``dump`` there exits 1 naming its pid and task."""
    profile = fresh(world.receiver, tmp_path / "held")
    holder = subprocess.Popen(command(profile, "demo-data", "--contacts", DEMO_CONTACTS),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env=ENV)
    try:
        first_stage = holder.stderr.readline()  # progress: the profile is open and locked
        os.kill(holder.pid, signal.SIGSTOP)  # held there for as long as the check takes
        assert holder.poll() is None, (first_stage, holder.stderr.read())
        line = one_line_error(run(profile, "dump"))
        host = socket.gethostname()
        assert f"process {holder.pid} on {host}: euregionet demo-data" in line, line
    finally:
        holder.kill()  # SIGKILL ends a stopped process too
        holder.wait(timeout=60)
        holder.stderr.close()
    assert integrity(Profile(profile).database) == "ok"
    assert table_counts(Profile(profile).database)["cluster"] == 0
    ok(profile, "dump")  # and the lock went with it
