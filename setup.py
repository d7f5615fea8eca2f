"""Build step: compile the gettext catalogs (translations/*/LC_MESSAGES/*.po → .mo).

The .mo files are build output (not committed); the app compiles a catalog in memory when
its .mo is missing or older than the .po, so a source checkout works without this step.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        language = source.parent.parent.name
        with source.open("rb") as file:
            catalog = read_po(file, locale=language)
        with source.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)


class BuildWithCatalogs(build_py):
    def run(self) -> None:
        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
