"""Build step: compile the gettext catalogs (translations/*/LC_MESSAGES/*.po → .mo).

The .mo files are build output (not committed); the app compiles a catalog in memory when
its .mo is missing or older than the .po, so a source checkout works without this step.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
TRANSLATIONS = ROOT / "translations"


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        language = source.parent.parent.name
        with source.open("rb") as file:
            catalog = read_po(file, locale=language)
        with source.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)


def copy_icons(build_lib: str) -> None:
    """resources/icons into the built package (euregionet_desktop/resources/icons), where
    ui/icons.py looks first: an installed (non-editable) copy has no repository beside it."""
    target = Path(build_lib) / "euregionet_desktop" / "resources" / "icons"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "resources" / "icons").iterdir()):
        (target / source.name).write_bytes(source.read_bytes())


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()
        super().run()
        copy_icons(self.build_lib)


setup(cmdclass={"build_py": BuildWithCatalogs})
