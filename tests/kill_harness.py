"""Killing a real ``euregionet`` process at random moments, and looking at what it left.

Used by tests/integration/test_kill.py. The delays are drawn from a seeded ``random.Random``
(``EUREGIONET_KILL_SEED``, printed in every message) over the operation's measured duration
and a little beyond, so a kill can land in Python's start-up, in the work itself, in the
commit, or after the process has already finished. The timing of a real process never
repeats exactly; the seed repeats the delays.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

RUNS = int(os.environ.get("EUREGIONET_KILL_RUNS", "4"))
SEED = int(os.environ.get("EUREGIONET_KILL_SEED") or random.SystemRandom().randrange(2**32))
# Kills up to 10 % after the measured end, so some land on a process that already finished.
LATE_FACTOR = 1.1
# Runs whose process finished before its kill do not count towards RUNS; this bounds the
# extra runs should the operation be much faster than measured.
MAX_RUNS_FACTOR = 3


def command(data_dir: Path, *args: str) -> list[str]:
    """``euregionet --data-dir DIR ARGS...`` as the tests start it."""
    return [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(data_dir), *args]


@dataclass(frozen=True)
class Timed:
    """An uninterrupted run and how long it took, start of the process to its exit."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


def timed_run(args: list[str], env: Mapping[str, str]) -> Timed:
    started = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    return Timed(result.returncode, result.stdout, result.stderr, time.monotonic() - started)


@dataclass(frozen=True)
class Kill:
    """One run: SIGKILL sent ``delay`` seconds after the process was started."""

    run: int
    delay: float
    duration: float  # the operation's duration the delay was drawn for
    returncode: int
    stderr: str
    # Whether the process had the profile open when it died: the lock's info file is
    # written once the lock is taken and removed on a clean release, so only a process
    # killed while holding the profile leaves it behind.
    held_profile: bool
    finished_after: float | None  # seconds, for a process that exited before its kill

    @property
    def interrupted(self) -> bool:
        return self.returncode == -signal.SIGKILL


def kill_after(args: list[str], env: Mapping[str, str], delay: float, *, run: int,
               duration: float, lock_info: Path) -> Kill:
    """Start the process, SIGKILL it ``delay`` seconds after, and wait for it.

    Waiting with a timeout rather than sleeping tells when a process that was faster than
    the delay finished, and never signals a pid that was already reaped (and may be reused).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env)
        try:
            process.wait(timeout=max(0.0, started + delay - time.monotonic()))
            finished_after = time.monotonic() - started
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            finished_after = None
        err.seek(0)
        return Kill(run, delay, duration, process.returncode, err.read(), lock_info.exists(),
                    finished_after)


@dataclass
class KillPlan:
    """The delays of one operation's runs, and what became of them.

    The first ``RUNS`` delays are stratified (one in each of ``RUNS`` equal slices of
    [0, LATE_FACTOR × duration], in random order) so even a handful of runs covers start-up
    and the end; further runs, needed only while fewer than ``RUNS`` processes were really
    interrupted, draw from the whole interval. A process that finishes before its kill is
    one more uninterrupted run: a shorter time than the one measured replaces it, so a
    measurement slowed by a busy machine does not waste the runs that follow.
    """

    operation: str
    duration: float
    runs: int = RUNS
    seed: int = SEED
    kills: list[Kill] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def delays(self) -> Iterator[tuple[int, float]]:
        rng = random.Random(f"{self.seed}:{self.operation}")
        slices = list(range(self.runs))
        rng.shuffle(slices)
        run = 0
        while self.interrupted < self.runs and run < MAX_RUNS_FACTOR * self.runs:
            span = LATE_FACTOR * self.duration
            if run < self.runs:
                delay = (slices[run] + rng.random()) * span / self.runs
            else:
                delay = rng.uniform(0, span)
            yield run, delay
            run += 1

    def record(self, kill: Kill, state: str) -> None:
        """What one run left: the state "before" or "after" the operation."""
        self.kills.append(kill)
        self.states.append(state)
        if kill.finished_after is not None:
            self.duration = min(self.duration, kill.finished_after)

    @property
    def interrupted(self) -> int:
        return sum(kill.interrupted for kill in self.kills)

    def where(self, kill: Kill) -> str:
        """The context of an assertion message: enough to reproduce the delays."""
        return (f"{self.operation}: run {kill.run}, SIGKILL after {kill.delay:.3f} s of a "
                f"{kill.duration:.3f} s run, exit {kill.returncode} — seed {self.seed} "
                f"(EUREGIONET_KILL_SEED={self.seed} EUREGIONET_KILL_RUNS={self.runs})")

    def summary(self) -> str:
        killed = [(k, s) for k, s in zip(self.kills, self.states, strict=True) if k.interrupted]
        open_ = sum(k.held_profile for k, _s in killed)
        start_up = sum(not k.held_profile and s == "before" for k, s in killed)
        closing = len(killed) - open_ - start_up
        delays = [kill.delay for kill in self.kills]
        return (f"{self.operation}: {len(self.kills)} runs in "
                f"{time.monotonic() - self.started:.1f} s (uninterrupted run "
                f"{self.kills[0].duration:.2f} s, at the end {self.duration:.2f} s; delays {min(delays):.3f}–{max(delays):.3f} s); "
                f"{len(killed)} killed before completion ({start_up} before taking the "
                f"profile, {open_} with the profile open, {closing} after releasing it), "
                f"{len(self.kills) - len(killed)} completed before the kill; profile left as "
                f"before {self.states.count('before')}, as after {self.states.count('after')}; "
                f"seed {self.seed}")


# --- Looking into the database a killed process left (sqlite3, not the app) -------------


def integrity(database: Path) -> str:
    """``PRAGMA integrity_check``; opening the database replays its -wal file."""
    with _connect(database) as conn:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def table_counts(database: Path) -> dict[str, int]:
    """Rows in every table of the database.

    The search index counts as its rows; its shadow tables are left out, because how
    FTS5 splits the same rows into segments depends on their ids (uuid4) and timing.
    """
    with _connect(database) as conn:
        tables = _tables(conn)
        virtual = set(tables) - set(_tables(conn, virtual=False))
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for name in tables if not any(name.startswith(f"{v}_") for v in virtual)}


def tables_differing(database: Path, reference: Path) -> list[str]:
    """The ordinary tables whose rows differ between two databases of the same schema."""
    with _connect(database) as conn:
        conn.execute("ATTACH DATABASE ? AS reference", (reference.as_uri() + "?mode=ro",))
        differing = []
        for name in _tables(conn, virtual=False):
            for first, second in (("main", "reference"), ("reference", "main")):
                query = (f'SELECT 1 FROM (SELECT * FROM {first}."{name}" '
                         f'EXCEPT SELECT * FROM {second}."{name}") LIMIT 1')
                if conn.execute(query).fetchone():
                    differing.append(name)
                    break
        return differing


def rows(database: Path, query: str) -> list[tuple]:
    with _connect(database) as conn:
        return conn.execute(query).fetchall()


class _connect:
    """A sqlite3 connection that is closed (not only committed) on leaving the block."""

    def __init__(self, database: Path) -> None:
        if not database.exists():  # sqlite3 would quietly create an empty one
            raise FileNotFoundError(database)
        self.conn = sqlite3.connect(database.as_uri(), uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _tables(conn: sqlite3.Connection, *, virtual: bool = True) -> list[str]:
    return [name for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if virtual or not (sql or "").upper().startswith("CREATE VIRTUAL")]
