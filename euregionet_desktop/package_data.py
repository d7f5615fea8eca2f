"""The files the app ships besides its code: templates, demo data and icons (``resources/``),
the compiled catalogs and the glossary (``translations/``).

An installed copy carries them inside the package (setup.py's build step copies them to
``euregionet_desktop/resources`` and ``euregionet_desktop/translations``, compiling the
catalogs); a source checkout (the editable install) has them in the repository beside the
package. The package's copy wins; the repository's is the fallback.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = __name__.rpartition(".")[0]
# The repository root when this is a source checkout; in an installed copy it is
# site-packages, which holds no resources/ or translations/ of ours.
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def data_path(*parts: str) -> Path:
    """The shipped file or folder ``parts`` (``"resources", "demo", "clusters.tsv"``): the
    package's copy if it has one, else the source checkout's, else where the package's
    copy would be (so that a missing file is reported where it was looked for)."""
    packaged = resources.files(PACKAGE).joinpath(*parts)
    packaged_path = Path(str(packaged)) if isinstance(packaged, Path) else None
    if packaged_path is not None and packaged_path.exists():
        return packaged_path
    source = SOURCE_ROOT.joinpath(*parts)
    if source.exists() or packaged_path is None:
        return source
    return packaged_path
