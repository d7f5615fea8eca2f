"""Bundles as a file type: the name a bundle argument is told by on the command line, and
the shared-mime-info file that gives ``*.eurnet`` its MIME type on Linux."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from euregionet_desktop import cli
from euregionet_desktop.sync.file_type import FILE_SUFFIX, MIME_TYPE

ROOT = Path(__file__).resolve().parents[2]
MIME_XML = ROOT / "packaging" / "linux" / "eu.euregionet.Desktop-mime.xml"
NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def test_a_lone_bundle_path_is_taken_out_of_the_arguments(tmp_path):
    """An existing file, a name with the bundle suffix (even one not there any more) or a
    path with a folder, alone after the global options, is the bundle to open."""
    existing = tmp_path / "from-bic.zip"
    existing.write_bytes(b"PK")
    folder = str(tmp_path / "D")
    assert cli.bundle_to_open([str(existing)]) == ([], existing)
    assert cli.bundle_to_open(["--data-dir", folder, "--lang", "pl", "gone.eurnet"]) == (
        ["--data-dir", folder, "--lang", "pl"], Path("gone.eurnet"))
    assert cli.bundle_to_open(["--lang=de", "FROM-LOP.EURNET", "--data", folder]) == (
        ["--lang=de", "--data", folder], Path("FROM-LOP.EURNET"))
    assert cli.bundle_to_open(["--la", "de", "usb/x"]) == (["--la", "de"], Path("usb/x"))


@pytest.mark.parametrize("argv", [
    ["--data-dir", "D", "list", "cluster"],  # a command with its argument
    ["--data-dir", "D", "dump"],  # a command, even with a file of its name beside it
    ["dmup"],  # a mistyped command stays one argparse refuses
    ["--data-dir", "x.eurnet"],  # the profile folder, however it is named
    ["bundle", "import", "x.eurnet"],
    ["--", "x.eurnet"],
    [],
    ["--demo"],
])
def test_commands_and_options_are_left_as_they_are(argv, tmp_path, monkeypatch):
    """Everything that is not a lone bundle path parses as before."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dump").write_text("a file called dump")
    assert cli.bundle_to_open(argv) == (argv, None)


def test_a_mistyped_command_is_still_refused_in_one_line(tmp_path, capsys):
    """``euregionet dmup``: argparse's one-line refusal naming the choices, no window."""
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lang", "en", "--data-dir", str(tmp_path), "dmup"])
    assert exit_info.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "dmup" in lines[0]


def test_the_mime_file_declares_the_type_the_app_uses():
    """One MIME type, the app's, for the app's suffix, named in en, pl and de."""
    root = ET.parse(MIME_XML).getroot()
    types = root.findall("m:mime-type", NS)
    assert [t.get("type") for t in types] == [MIME_TYPE]
    assert [g.get("pattern") for g in types[0].findall("m:glob", NS)] == [f"*{FILE_SUFFIX}"]
    languages = {c.get("{http://www.w3.org/XML/1998/namespace}lang")
                 for c in types[0].findall("m:comment", NS)}
    assert languages == {None, "pl", "de"}


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="update-mime-database (shared-mime-info) is not installed")
def test_update_mime_database_accepts_the_file(tmp_path):
    """shared-mime-info's own tool reads the file without complaint and maps *.eurnet to
    the type (it exits 0 even on a broken file, so what it wrote is checked)."""
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(MIME_XML, packages)
    done = subprocess.run(["update-mime-database", str(tmp_path / "mime")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert "error" not in done.stderr.lower() and "failed" not in done.stderr.lower()
    globs = (tmp_path / "mime" / "globs2").read_text().splitlines()
    assert f"50:{MIME_TYPE}:*{FILE_SUFFIX}" in globs
    assert (tmp_path / "mime" / f"{MIME_TYPE}.xml").is_file()


def test_desktop_files_that_open_bundles_name_the_type_and_take_a_file():
    """A .desktop file under packaging/ that declares MIME types declares the bundle's and
    passes one file on (%f: the app opens one bundle at a time), so a double click reaches
    ``euregionet FILE``. (Checked after merging with the desktop files' branch.)"""
    for desktop in ROOT.joinpath("packaging").rglob("*.desktop"):
        entries = dict(line.split("=", 1) for line in desktop.read_text().splitlines()
                       if "=" in line and not line.startswith("#"))
        if "MimeType" in entries:
            assert MIME_TYPE in entries["MimeType"].split(";"), desktop
            assert "%f" in entries["Exec"].split(), desktop
