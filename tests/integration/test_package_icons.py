"""A built (non-editable) package carries the bundled icons where ui/icons.py looks first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_build_puts_the_icons_into_the_package(tmp_path):
    """setup.py's build step copies resources/icons into euregionet_desktop/resources/icons
    (an installed copy has no repository beside it), with the licence note."""
    result = subprocess.run(
        [sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    built = tmp_path / "euregionet_desktop" / "resources" / "icons"
    source = ROOT / "resources" / "icons"
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in source.iterdir())
    assert (built / "edit-undo.svg").read_bytes() == (source / "edit-undo.svg").read_bytes()
    assert (built / "LICENSE").is_file()
    # ui/icons.py imported from the built tree (no repository beside it) finds them there.
    found = subprocess.run(
        [sys.executable, "-c", "from euregionet_desktop.ui.icons import bundled_path; "
         "print(bundled_path('edit-undo'))"],
        cwd=tmp_path, env={"PYTHONPATH": str(tmp_path), "PATH": ""}, capture_output=True,
        text=True, timeout=60)
    assert found.returncode == 0, found.stderr[-2000:]
    assert Path(found.stdout.strip()) == built / "edit-undo.svg"
