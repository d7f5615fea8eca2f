"""``euregionet --version``: the version, and nothing opened, created or imported besides."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from euregionet_desktop import __version__
from tests.integration.test_cli import ENV

HEAVY = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "docx", "docxtpl")


def run_version(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**ENV, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "EUREGIONET_CONFIG_DIR": str(home / "cfg")}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "euregionet_desktop",
                             *args], capture_output=True, text=True, env=env, timeout=60)
    return result, time.perf_counter() - started


def imported(importtime_log: str) -> set[str]:
    """The top-level modules a ``-X importtime`` log names."""
    names = set()
    for line in importtime_log.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("args", [
    ("--version",),
    ("--lang", "pl", "--version"),
    ("--data-dir", "PROFILE", "--version"),
])
def test_version_prints_the_version_and_opens_nothing(tmp_path, args):
    """One line with the version; no Qt, SQLAlchemy or document library imported; no profile,
    settings or data folder made (the time is measured by the report, not asserted)."""
    profile = tmp_path / "profile"
    args = tuple(str(profile) if arg == "PROFILE" else arg for arg in args)
    result, seconds = run_version(tmp_path, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == f"euregionet {__version__}\n"
    modules = imported(result.stderr)
    assert "euregionet_desktop" in modules  # the log is read right
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert not profile.exists()
    assert sorted(os.listdir(tmp_path / "home")) == []
    print(f"--version took {seconds:.3f} s (with -X importtime)")


def test_version_after_a_command_is_not_the_programs(tmp_path):
    """``--version`` belongs to the program, before the command; after one it is refused
    like any unknown option, and nothing is printed on stdout."""
    result, _seconds = run_version(tmp_path, "--data-dir", str(tmp_path / "p"), "list",
                                   "cluster", "--version")
    assert result.returncode != 0
    assert result.stdout == ""
    assert not (tmp_path / "p").exists()
