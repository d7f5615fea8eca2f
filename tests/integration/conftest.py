"""Fixtures the integration tests share."""

from __future__ import annotations

import os
import shutil

import pytest
from test_cli import ok_here as ok


@pytest.fixture(scope="session")
def _partners_made(tmp_path_factory):
    """BIC and LOP made once per test process: six CLI runs take seconds, a copy does not."""
    root = tmp_path_factory.mktemp("partners")
    dirs = {code: root / code for code in ("BIC", "LOP")}
    for code, data_dir in dirs.items():
        ok(data_dir, "init", "--office", code, "--advisor", f"Advisor {code}")
        ok(data_dir, "keys", "export", "-o", str(root / f"{code}.json"))
    ok(dirs["BIC"], "keys", "trust", str(root / "LOP.json"), "--yes")
    ok(dirs["LOP"], "keys", "trust", str(root / "BIC.json"), "--yes")
    return root


@pytest.fixture
def partners(tmp_path, _partners_made):
    """BIC and LOP profiles that trust each other's key files (a fresh copy per test)."""
    for code in ("BIC", "LOP"):
        shutil.copytree(_partners_made / code, tmp_path / code)
        shutil.copy2(_partners_made / f"{code}.json", tmp_path / f"{code}.json")
    return {code: tmp_path / code for code in ("BIC", "LOP")}


@pytest.fixture
def soffice() -> str:
    """LibreOffice's soffice; the test skips without it, unless EUREGIONET_REQUIRE_LIBREOFFICE
    or EUREGIONET_REQUIRE_DESKTOP_TOOLS is set (CI: a missing soffice fails there)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("EUREGIONET_REQUIRE_DESKTOP_TOOLS") \
                or os.environ.get("EUREGIONET_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui)")
    return found
