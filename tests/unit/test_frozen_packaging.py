"""The frozen builds' files in packaging/ (PyInstaller spec, Windows installer, macOS
Info.plist) hold together. PyInstaller itself is not run here (minutes, not CI):
scripts/build_frozen.sh builds and smoke-tests the Linux folder."""

from __future__ import annotations

import ast
import os
import plistlib
import re
import tomllib
from pathlib import Path

from euregionet_desktop.paths import APP_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "euregionet.spec"
ENTRY = PACKAGING / "euregionet_entry.py"
ISS = PACKAGING / "windows" / "euregionet.iss"
PLIST = PACKAGING / "macos" / "Info.plist"
EXTENSION = "eurnet"
MIME = "application/x-euregionet-bundle"


def _calls(tree: ast.AST, name: str) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == name]


def test_the_spec_is_python_and_freezes_the_entry_script():
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    (analysis,) = _calls(tree, "Analysis")
    scripts = ast.unparse(analysis.args[0])
    assert ENTRY.name in scripts, scripts
    assert ENTRY.exists()
    # One folder: every EXE (Windows adds a console twin) leaves the libraries to COLLECT.
    executables = _calls(tree, "EXE")
    assert executables
    for exe in executables:
        assert any(k.arg == "exclude_binaries" and ast.literal_eval(k.value) is True
                   for k in exe.keywords), ast.unparse(exe)
    assert len(_calls(tree, "COLLECT")) == 1
    # The BUNDLE step (macOS) takes the Info.plist of packaging/macos.
    (bundle,) = _calls(tree, "BUNDLE")
    assert any(k.arg == "bundle_identifier" for k in bundle.keywords)
    assert '"macos" / "Info.plist"' in SPEC.read_text(encoding="utf-8")


def test_the_entry_calls_freeze_support_before_anything_of_ours():
    """The spawn-started document worker is the frozen executable itself: freeze_support
    must run before the CLI parses its arguments (or imports anything heavy)."""
    tree = ast.parse(ENTRY.read_text(encoding="utf-8"))
    (guard,) = [node for node in tree.body if isinstance(node, ast.If)]
    assert ast.unparse(guard.test) == "__name__ == '__main__'"
    first = guard.body[0]
    assert ast.unparse(first) == "multiprocessing.freeze_support()"
    later = ast.unparse(ast.Module(body=guard.body[1:], type_ignores=[]))
    assert "from euregionet_desktop.cli import main" in later and "main()" in later
    top_level_imports = {alias.name for node in tree.body if isinstance(node, ast.Import)
                         for alias in node.names}
    assert top_level_imports <= {"multiprocessing", "sys"}, top_level_imports


def test_the_windows_installer_is_per_user_and_owns_eurnet():
    text = ISS.read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, flags=re.MULTILINE))
    assert re.search(rf'^#define AppId "{re.escape(APP_ID)}"$', text, flags=re.MULTILINE)
    assert settings["AppId"] == "{#AppId}"
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["ChangesAssociations"] == "yes"
    assert "{autoprograms}" in text  # the Start-menu entry
    registry = [line for line in text.splitlines() if line.startswith("Root: HKA;")]
    assert any('Subkey: "Software\\Classes\\.eurnet"' in line for line in registry)
    assert re.search(rf'^#define BundleMime "{re.escape(MIME)}"$', text, flags=re.MULTILINE)
    (command,) = [line for line in registry if "shell\\open\\command" in line]
    assert 'ValueData: """{app}\\{#AppExe}"" ""%1"""' in command
    # The uninstaller removes what was installed and never the profile.
    assert "[UninstallDelete]" not in text.replace("No [UninstallDelete]", "")
    assert "{localappdata}" not in text.lower() and "{userappdata}" not in text.lower()
    assert (PACKAGING / "windows" / "build.ps1").exists()


def test_the_macos_bundle_declares_the_app_id_and_the_eurnet_type():
    with PLIST.open("rb") as file:
        info = plistlib.load(file)
    assert info["CFBundleIdentifier"] == APP_ID
    (exported,) = info["UTExportedTypeDeclarations"]
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == [EXTENSION]
    assert tags["public.mime-type"] == [MIME]
    (document,) = info["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert document["LSHandlerRank"] == "Owner"
    build = PACKAGING / "macos" / "build.sh"
    assert build.exists() and os.access(build, os.X_OK)


def test_the_build_scripts_and_the_freeze_extra():
    script = ROOT / "scripts" / "build_frozen.sh"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    for needed in ("PYTHONHASHSEED=0", "SOURCE_DATE_EPOCH", "--version", "--self-test",
                   "doc action-plan", "packaging/euregionet.spec"):
        assert needed in text, needed
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    freeze = project["optional-dependencies"]["freeze"]
    assert any(requirement.startswith("pyinstaller>=") for requirement in freeze)
    assert not any("pyinstaller" in r for r in project["optional-dependencies"]["test"])
