"""EuRegioNet Desktop."""

# The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"


def installed_version() -> str:
    """The version of the installed distribution, or this package's own when it is not
    installed (a bare source tree on PYTHONPATH, a frozen build without metadata)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("euregionet-desktop")
    except PackageNotFoundError:
        return __version__
