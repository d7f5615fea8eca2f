"""The wheel works installed non-editable, with no source tree beside it (issue 15).

The wheel is built from a copy of the checkout's files (as a clean clone has them), installed
with pip into a fresh venv, and its ``euregionet`` command is run from a folder outside the
source tree with PYTHONPATH unset: the templates, demo data, icons, compiled catalogs and
glossary must come from the installed package. The new venv reaches the test venv's
dependencies (Qt, SQLAlchemy, …) through a .pth file, so nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from euregionet_desktop import __version__
from euregionet_desktop.documents.legend import legend_controls, remove_legend

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Installed:
    venv: Path
    wheel: Path
    work: Path  # the current folder of every command: outside the source tree
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.venv / "bin" / "euregionet"), *args], cwd=self.work,
                              env=self.env, capture_output=True, text=True, timeout=300)

    def python(self, code: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.venv / "bin" / "python"), "-c", code], cwd=self.work,
                              env=self.env, capture_output=True, text=True, timeout=120)


def _checkout_files() -> list[str]:
    """The files a clean clone would have (tracked, plus new ones not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    return [name for name in listed.stdout.decode().split("\0")
            if name and (ROOT / name).is_file()]


def _check(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for name in _checkout_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    dist = base / "dist"
    _check(subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "-w", str(dist), str(source)],
        capture_output=True, text=True, timeout=600))
    (wheel,) = dist.glob("euregionet_desktop-*.whl")

    venv = base / "venv"
    _check(subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                          text=True, timeout=300))
    # The test venv's packages (not its editable euregionet_desktop: a .pth line only adds a
    # path, it does not run that folder's own .pth files), after the new venv's own.
    new_site = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, timeout=60, check=True).stdout.strip())
    (new_site / "test_venv_dependencies.pth").write_text(
        "\n".join(dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]))
        + "\n", encoding="utf-8")
    _check(subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps",
                           "--no-index", "--quiet", str(wheel)],
                          capture_output=True, text=True, timeout=300))
    # The source copy goes: nothing can be found through it (nor through the checkout).
    shutil.rmtree(source)

    work = base / "work"
    home = base / "home"
    work.mkdir()
    home.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "EUREGIONET_DATA_DIR",
                          "VIRTUAL_ENV")}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                "XDG_CONFIG_HOME": str(home / "config"),
                "EUREGIONET_CONFIG_DIR": str(home / "config" / "euregionet"),
                "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LC_MESSAGES": "C.UTF-8",
                "LANGUAGE": "", "QT_QPA_PLATFORM": "offscreen"})
    return Installed(venv=venv, wheel=wheel, work=work, env=env)


def test_the_wheel_carries_the_resources_and_the_compiled_catalogs(installed):
    """Templates, demo data, icons, the .mo catalogs and the glossary are package data."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    package = "euregionet_desktop/"
    for name in ("resources/demo/clusters.tsv", "resources/templates/action-plan.pl+de.docx",
                 "resources/icons/edit-undo.svg", "resources/icons/LICENSE",
                 "translations/pl/LC_MESSAGES/messages.mo",
                 "translations/de/LC_MESSAGES/messages.mo", "translations/glossary.tsv"):
        assert package + name in names, name
    templates = {p.name for p in (ROOT / "resources" / "templates").glob("*.docx")}
    assert {n.rsplit("/", 1)[1] for n in names
            if n.startswith(package + "resources/templates/")} == templates
    # Nothing outside the package (the old layout put resources/ beside site-packages).
    assert all(n.startswith((package, "euregionet_desktop-")) for n in names), sorted(
        n for n in names if not n.startswith(package))


def test_the_installed_copy_reads_its_own_files(installed):
    """The package, its data and its catalogs come from the new venv, never the checkout."""
    result = _check(installed.python(
        "import json, sys, euregionet_desktop\n"
        "from euregionet_desktop.package_data import data_path\n"
        "from euregionet_desktop.i18n import TRANSLATIONS_DIR, GLOSSARY_FILE\n"
        "from euregionet_desktop.documents.defaults import TEMPLATES_DIR\n"
        "print(json.dumps({'package': euregionet_desktop.__file__, 'path': sys.path,\n"
        "  'data': [str(p) for p in (data_path('resources', 'demo', 'clusters.tsv'),\n"
        "           data_path('resources', 'icons'), TRANSLATIONS_DIR, GLOSSARY_FILE,\n"
        "           TEMPLATES_DIR)]}))"))
    found = json.loads(result.stdout)
    venv = str(installed.venv.resolve())
    assert found["package"].startswith(venv), found["package"]
    for path in found["data"]:
        assert path.startswith(venv) and Path(path).exists(), path
    assert not [p for p in found["path"] if p and Path(p).resolve() == ROOT.resolve()]


def test_version(installed):
    result = _check(installed.run("--version"))
    assert result.stdout == f"euregionet {__version__}\n"


def test_self_test_of_the_installed_copy(installed):
    """Window, document worker and bundles, as an installer would check them."""
    result = _check(installed.run("--self-test"))
    lines = result.stdout.splitlines()
    assert lines[-1] == "Self-test passed." and len(lines) == 7, lines


def test_a_new_profile_with_demo_data_answers_in_polish_and_german(installed):
    """init, demo-data (the clusters' file), a list in Polish, the help in German."""
    profile = installed.work / "profile"
    _check(installed.run("--data-dir", str(profile), "init", "--office", "BIC",
                         "--advisor", "Anna Nowak"))
    _check(installed.run("--data-dir", str(profile), "demo-data"))
    listed = _check(installed.run("--lang", "pl", "--data-dir", str(profile), "list",
                                  "cluster"))
    assert "rekordów" in listed.stderr, listed.stderr  # “20 rekordów”, not “20 records”
    english = _check(installed.run("--lang", "en", "--data-dir", str(profile), "list",
                                   "cluster"))
    assert "records" in english.stderr
    german = _check(installed.run("--lang", "de", "--help"))
    assert german.stdout.startswith("Aufruf: euregionet"), german.stdout[:200]
    assert "BEFEHL" in german.stdout and "Profilverzeichnis" in german.stdout


def test_documents_and_templates_from_the_installed_package(installed):
    """A bilingual action plan through the document worker, and the default template
    exported and checked, all from the package's templates."""
    profile = installed.work / "documents"
    _check(installed.run("--data-dir", str(profile), "init", "--office", "BIC",
                         "--advisor", "Anna Nowak"))
    _check(installed.run("--data-dir", str(profile), "demo-data"))
    plans = json.loads(_check(installed.run("--data-dir", str(profile), "list",
                                            "action-plan", "--json")).stdout)
    output = installed.work / "plan.docx"
    _check(installed.run("--data-dir", str(profile), "doc", "action-plan", plans[0]["id"],
                         "--lang", "pl+de", "-o", str(output)))
    document = docx.Document(str(output))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert plans[0]["objectives_de"][:40] in text

    template = installed.work / "action-plan.docx"
    _check(installed.run("template", "export", "action-plan", "--lang", "pl", "-o",
                         str(template)))
    # The package's template, with the legend page listing the fields after it.
    exported = docx.Document(str(template))
    assert legend_controls(exported.element.body)
    assert remove_legend(exported.element.body)
    original = docx.Document(str(ROOT / "resources" / "templates" / "action-plan.pl.docx"))
    assert _texts(exported) == _texts(original)
    _check(installed.run("template", "check", str(template)))


def _texts(document) -> list[str]:
    """Every paragraph and table cell of a Word document, in order."""
    return [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells]
