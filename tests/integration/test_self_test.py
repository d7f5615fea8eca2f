"""``euregionet --self-test``: every step on a temporary profile, one line each, exit 0,
and nothing left behind or touched outside its temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from euregionet_desktop import __version__
from tests.integration.test_cli import ENV

STEPS = {
    "en": ["Temporary profile and database schema", "Demo data",
           "Main window shown and closed", "Document rendered in the worker process",
           "Bundle exported and read back"],
    "pl": ["Tymczasowy profil i schemat bazy danych", "Dane demonstracyjne",
           "Okno główne otwarte i zamknięte", "Dokument wypełniony w procesie roboczym",
           "Pakiet danych wyeksportowany i odczytany z powrotem"],
}
LAST = {"en": "Self-test passed.", "pl": "Autotest zakończony pomyślnie."}


@pytest.mark.parametrize("language", ["en", "pl"])
def test_self_test_passes_one_line_per_step(tmp_path, language):
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {**ENV, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "EUREGIONET_CONFIG_DIR": str(home / "cfg"),
           "TMPDIR": str(temp), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "euregionet_desktop", "--lang", language,
                             "--self-test"], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, (result.stdout, result.stderr[-3000:])
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"EuRegioNet Desktop {__version__}: ")
    assert [line.split(": ok (", 1)[0] for line in lines[1:-1]] == STEPS[language], lines
    assert lines[-1] == LAST[language]
    assert "offscreen" in lines[3]
    # The temporary profile, document and bundle are gone; no profile or settings were made.
    assert os.listdir(temp) == []
    assert os.listdir(home) == []


def test_the_default_profile_is_not_touched(tmp_path):
    """--data-dir names a profile; the self-test still works on its own temporary one."""
    profile = tmp_path / "profile"
    result = subprocess.run([sys.executable, "-m", "euregionet_desktop", "--data-dir",
                             str(profile), "--self-test"], capture_output=True, text=True,
                            env={**ENV, "QT_QPA_PLATFORM": "offscreen",
                                 "TMPDIR": str(tmp_path)}, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not Path(profile).exists()
