"""Shared fixtures: a real, initialised profile on a temporary SQLite database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from euregionet_desktop import i18n, preferences
from euregionet_desktop.logs import LOG_NAME
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import records
from euregionet_desktop.services.profile import Core, initialise, open_profile

ADVISOR_NAME = "Anna Nowak"


@pytest.fixture(autouse=True)
def _own_user_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own user settings folder; none reads or writes the real one."""
    monkeypatch.setenv(preferences.ENV_CONFIG_DIR, str(tmp_path / "user-config"))


@pytest.fixture(autouse=True)
def _close_profile_logs() -> Iterator[None]:
    """Close the log file handlers that profiles opened during a test added to the root."""
    root = logging.getLogger()
    before = set(root.handlers)
    yield
    for handler in set(root.handlers) - before:
        if str(getattr(handler, "baseFilename", "")).endswith(LOG_NAME):
            root.removeHandler(handler)
            handler.close()



@pytest.fixture
def polish() -> Iterator[None]:
    """The interface in Polish for one test; the language before is restored after."""
    before = i18n.current_language()
    i18n.set_language("pl")
    yield
    i18n.set_language(before)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Core]:
    """An open profile set up for the LOP office, with advisor Anna Nowak."""
    opened = open_profile(Profile(tmp_path / "profile"), purpose="pytest")
    try:
        opened.backend.run(initialise, office="LOP", advisor_name=ADVISOR_NAME)
        yield opened
    finally:
        opened.close()


@pytest.fixture
def add(core: Core) -> Callable[..., str]:
    """``add(entity, **values)``: create a record through the service, return its id."""

    def add_record(entity: str, **values: Any) -> str:
        changes = core.backend.run(records.create, entity=entity, values=values)
        assert changes.record_id
        return changes.record_id

    return add_record
