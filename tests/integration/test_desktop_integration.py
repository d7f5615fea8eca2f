"""Linux desktop integration (packaging/linux/): the desktop entry, the AppStream metainfo and
the icons pass the freedesktop validators, and agree with each other and with pyproject.toml.

The validators are Debian's desktop-file-utils and appstream; .ci/run installs them and sets
EUREGIONET_REQUIRE_DESKTOP_TOOLS=1, so in CI a missing tool fails instead of skipping.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from euregionet_desktop import __version__
from euregionet_desktop.paths import APP_ID
from euregionet_desktop.ui.icons import bundled_path

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = LINUX / "icons" / "hicolor"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
BUNDLE_TYPE = "application/x-euregionet-bundle"
LANGUAGES = ("pl", "de")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("EUREGIONET_REQUIRE_DESKTOP_TOOLS"):
            pytest.fail(f"{name} is required here but not installed (Debian: {package})")
        pytest.skip(f"{name} is not installed (Debian: {package})")
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive: Name[pl]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def installed_tree(root: Path) -> Path:
    """The files laid out as a package installs them (DESTDIR=root, prefix /usr)."""
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir()
    shutil.copy(DESKTOP_FILE, share / "applications")
    shutil.copy(METAINFO, share / "metainfo")
    shutil.copytree(ICONS, share / "icons" / "hicolor")
    return root


def test_desktop_entry_passes_desktop_file_validate():
    """No error, warning or hint at all: desktop-file-validate prints nothing."""
    result = run(tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP_FILE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout


@pytest.mark.parametrize("command", ["validate", "validate-tree"])
def test_metainfo_passes_appstreamcli_strict(command, tmp_path):
    """--strict fails on any error, warning or info. Only pedantic hints are left out: the
    one there is, cid-contains-uppercase-letter, is the id's CamelCase last part, which the
    desktop entry, icon and Wayland app id share (org.gnome.Nautilus does the same).
    validate-tree also checks the metainfo against the installed desktop entry and icons."""
    appstreamcli = tool("appstreamcli", "appstream")
    target = METAINFO if command == "validate" else installed_tree(tmp_path)
    result = run(appstreamcli, command, "--no-net", "--strict", "--explain", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    issues = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:", "I:")]
    assert issues == [], result.stdout


def test_desktop_entry_names_the_app_the_bundle_type_and_the_command():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].split(";")[0] == "Office"
    assert BUNDLE_TYPE in entry["MimeType"].split(";")
    command, *arguments = entry["Exec"].split()
    assert command in PYPROJECT["scripts"], "Exec runs the installed console script"
    assert arguments == ["%f"], "a double-clicked bundle is passed as one file"
    assert entry["StartupWMClass"] == "EuRegioNet"  # Qt's X11 class: the application name
    for key in ("Name", "GenericName", "Comment", "Keywords"):
        assert entry[key].strip(), key
        for language in LANGUAGES:
            assert entry[f"{key}[{language}]"].strip(), f"{key}[{language}]"
    assert entry["GenericName[pl]"] != entry["GenericName"] != entry["GenericName[de]"]


def test_metainfo_matches_the_desktop_entry_and_pyproject():
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert component.findtext("icon[@type='stock']") == APP_ID
    assert component.findtext("metadata_license") == "CC0-1.0"
    # pyproject's licence is "Proprietary"; SPDX spells a non-free licence LicenseRef-….
    assert PYPROJECT["license"]["text"] == "Proprietary"
    assert component.findtext("project_license") == "LicenseRef-proprietary"
    versions = [release.get("version") for release in component.iter("release")]
    # pyproject takes its version from the package (dynamic), so compare with that.
    assert versions[0] == __version__, "the newest release is the package's version"
    assert component.findtext("provides/mediatype") == BUNDLE_TYPE
    assert component.findtext("provides/binary") in PYPROJECT["scripts"]
    assert component.find("content_rating").get("type") == "oars-1.1"

    def languages(elements) -> set[str | None]:
        return {element.get(XML_LANG) for element in elements}

    everyone = {None, *LANGUAGES}
    assert languages(component.findall("summary")) == everyone
    assert languages(component.findall("description/p")) == everyone
    assert languages(component.findall("description/ul/li")) == everyone
    screenshots = component.findall("screenshots/screenshot")
    assert screenshots and [s.get("type") for s in screenshots].count("default") == 1
    for screenshot in screenshots:
        assert languages(screenshot.findall("caption")) == everyone
        assert screenshot.findtext("image").startswith("https://")


def test_icons_are_the_window_icon_in_every_size():
    """The scalable icon is the window's (resources/icons); the PNGs are rendered from it
    (scripts/render_app_icons.py) in the sizes the hicolor theme asks for, and small."""
    window_icon = bundled_path(APP_ID)  # where the window takes it from
    assert window_icon is not None
    scalable = ICONS / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == window_icon.read_bytes()
    for size in PNG_SIZES:
        data = (ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        assert struct.unpack(">II", data[16:24]) == (size, size)
        assert len(data) < 16_000, f"{size}px icon is {len(data)} bytes"
    folders = {path.name for path in ICONS.iterdir()}
    assert folders == {"scalable", *(f"{size}x{size}" for size in PNG_SIZES)}


def test_readme_and_ci_install_the_same_qt_libraries():
    """The README's list for people and the one .ci/run installs are the same."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    in_readme = readme.split("sudo apt-get install ", 1)[1].split("```", 1)[0]
    in_ci = ci.split('QT_LIBS="', 1)[1].split('"', 1)[0]
    readme_packages = in_readme.replace("\\", " ").split()
    ci_packages = in_ci.split()
    assert sorted(readme_packages) == sorted(ci_packages)
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"} <= set(ci_packages)


def test_qt_xcb_plugin_finds_every_library():
    """PySide6's X11 plugin loads only when every library it links to is there: the README
    lists them and .ci/run installs them (EUREGIONET_REQUIRE_QT_XCB=1 makes it count)."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = shutil.which("ldd")
    if ldd is None or not plugin.is_file():
        pytest.skip("not a Linux PySide6 with its X11 plugin")
    result = run(ldd, str(plugin))
    missing = [line.split()[0] for line in result.stdout.splitlines() if "not found" in line]
    if missing and not os.environ.get("EUREGIONET_REQUIRE_QT_XCB"):
        pytest.skip(f"Qt's X11 plugin lacks {', '.join(missing)} (see the README's list)")
    assert result.returncode == 0, result.stderr
    assert missing == []
