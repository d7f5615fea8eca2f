"""Shared fixtures: a real, initialised profile on a temporary SQLite database."""

from __future__ import annotations

import logging
import os
import shutil
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

# The command-line tests start the app hundreds of times: with bytecode writing turned off
# in the environment, each start compiled every module of the app from source again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


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


@pytest.fixture(scope="session")
def _core_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The profile ``core`` opens, set up once per test process: creating the database runs
    every schema migration (most of half a second), a copy of the folder takes milliseconds."""
    made = tmp_path_factory.mktemp("core") / "profile"
    opened = open_profile(Profile(made), purpose="pytest")
    try:
        opened.backend.run(initialise, office="LOP", advisor_name=ADVISOR_NAME)
    finally:
        opened.close()
    return made


@pytest.fixture
def core(tmp_path: Path, _core_made: Path) -> Iterator[Core]:
    """An open profile set up for the LOP office, with advisor Anna Nowak (a fresh copy
    of the one set up for this test process; its log starts empty)."""
    shutil.copytree(_core_made, tmp_path / "profile",
                    ignore=shutil.ignore_patterns("profile.lock*", f"{LOG_NAME}*"))
    opened = open_profile(Profile(tmp_path / "profile"), purpose="pytest")
    try:
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


# --- a real PostgreSQL server (the office hub, issue 18) ----------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """A PostgreSQL server of this test session (each xdist worker its own), stopped and
    removed at the end; skipped where PostgreSQL is not installed, unless .ci/run asks for it
    (EUREGIONET_REQUIRE_POSTGRESQL=1)."""
    import pg_server

    bindir = pg_server.find_bindir()
    if bindir is None:
        message = ("PostgreSQL 13 or newer (initdb, pg_ctl, pg_dump) is not installed "
                   "(Debian: postgresql)")
        if pg_server.required():
            pytest.fail(message)
        pytest.skip(message)
    server = pg_server.start_server(bindir)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def pg_hub(postgres_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A fresh hub database on the session's server with a login role per office (BIC, LOP,
    SNB, CIT); PGPASSFILE points at their passwords, as on a laptop."""
    if not postgres_server.running:  # a test that stopped it and failed before starting it
        postgres_server.start()
    monkeypatch.setenv("PGPASSFILE", str(postgres_server.pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return postgres_server.create_hub()
