"""Fixtures the integration tests share."""

from __future__ import annotations

import pytest
from test_cli import ok


@pytest.fixture
def partners(tmp_path):
    """BIC and LOP profiles that trust each other's key files."""
    dirs = {code: tmp_path / code for code in ("BIC", "LOP")}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code, "--advisor", f"Advisor {code}")
        ok(data_dir, "keys", "export", "-o", str(tmp_path / f"{code}.json"))
    ok(dirs["BIC"], "keys", "trust", str(tmp_path / "LOP.json"), "--yes")
    ok(dirs["LOP"], "keys", "trust", str(tmp_path / "BIC.json"), "--yes")
    return dirs
