"""Test help for profiles of an older schema."""

from __future__ import annotations

from pathlib import Path

from euregionet_desktop.storage import migrate
from euregionet_desktop.storage.engine import make_engine


def downgrade(database: Path, revision: str) -> None:
    """Take the profile's database back to ``revision`` (as an older version left it)."""
    engine = make_engine(database)
    try:
        migrate.downgrade(engine, revision)
    finally:
        engine.dispose()
