"""Every dialog fits a 1366×768 laptop screen with a title bar and a taskbar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("small_screen_probe.py")


def run_probe(tmp_path: Path, width: int, height: int, *only: str
              ) -> subprocess.CompletedProcess:
    """small_screen_probe.py (``only`` its tests named so) in a process whose (offscreen)
    screen is width × height."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PROBE_SCREEN=f"{width}x{height}")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0",
         "--basetemp", str(tmp_path / "probe"), str(PROBE),
         *(("-k", " or ".join(only)) if only else ())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)


def test_every_dialog_keeps_its_save_button_on_a_laptop_screen(tmp_path):
    """Record forms (new and edit), row forms, settings, documents, trust, import preview,
    first run, restore offer and crash dialog on 1366×728 (a 1366×768 screen less a 40 px
    taskbar) with a 30 px title bar: Save/OK is on the screen."""
    result = run_probe(tmp_path, 1366, 728)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in summary and "skipped" not in summary, summary


def test_the_import_wizard_fits_a_1280_by_720_screen(tmp_path):
    """The import wizard, on every page, on the 1280×680 a 1280×720 screen leaves."""
    result = run_probe(tmp_path, 1280, 680, "import_wizard", "main_window")
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "2 passed" in summary and "skipped" not in summary, summary
