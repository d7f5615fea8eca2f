"""Build step: compile the gettext catalogs (translations/*/LC_MESSAGES/*.po → .mo) and put
what the app ships besides its code into the built package.

The .mo files are build output (not committed); the app compiles a catalog in memory when
its .mo is missing or older than the .po, so a source checkout works without this step. An
installed (non-editable) copy has no repository beside it: resources/ (templates, demo
data, icons) and translations/ (compiled catalogs, glossary) are copied into
euregionet_desktop/resources and euregionet_desktop/translations of the built package,
where euregionet_desktop/package_data.py looks first.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
TRANSLATIONS = ROOT / "translations"
RESOURCES = ROOT / "resources"
# The folders of resources/ the app reads (package_data.data_path("resources", ...)).
RESOURCE_FOLDERS = ("templates", "demo", "icons")


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        language = source.parent.parent.name
        with source.open("rb") as file:
            catalog = read_po(file, locale=language)
        with source.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)


def copy_resources(build_lib: str) -> None:
    """resources/{templates,demo,icons} into euregionet_desktop/resources of the build."""
    package = Path(build_lib) / "euregionet_desktop"
    for folder in RESOURCE_FOLDERS:
        target = package / "resources" / folder
        if target.exists():
            shutil.rmtree(target)  # nothing stale from an earlier build
        shutil.copytree(RESOURCES / folder, target)


def copy_translations(build_lib: str) -> None:
    """The compiled catalogs (no .po: the app reads the .mo) and the glossary into
    euregionet_desktop/translations of the build."""
    target = Path(build_lib) / "euregionet_desktop" / "translations"
    if target.exists():
        shutil.rmtree(target)
    for compiled in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.mo")):
        destination = target / compiled.relative_to(TRANSLATIONS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(compiled, destination)
    shutil.copyfile(TRANSLATIONS / "glossary.tsv", target / "glossary.tsv")


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()
        super().run()
        copy_resources(self.build_lib)
        copy_translations(self.build_lib)


setup(cmdclass={"build_py": BuildWithCatalogs})
