"""The backend when SQLite cannot write: a clear error, nothing kept, and the next action
runs on a sound connection (DESIGN §9: after a full disk SQLite may have rolled back)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.services import records
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.storage import engine as storage_engine

FULL = "is full"


def contacts(core) -> int:
    return core.backend.read(records.list_page, entity="contact", filter_text="",
                             order_by=None, limit=None).total


def fill_up(session: Session) -> None:
    """Make this connection's database "full" where it stands (a real SQLITE_FULL)."""
    pages = session.execute(text("PRAGMA page_count")).scalar()
    session.execute(text(f"PRAGMA max_page_count = {pages}"))
    session.execute(text("CREATE TABLE filler (x)"))
    session.execute(text("INSERT INTO filler SELECT zeroblob(100000) FROM "
                         "(SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)"))


def a_big_contact(core) -> None:
    core.backend.run(records.create, entity="contact", values={
        "first_name": "Ewa", "last_name": "Nowak", "notes": "x" * 19_000})


def test_a_full_disk_mid_action_is_one_clear_error_and_keeps_nothing(core, add):
    """SQLITE_FULL in the middle of an action: FileAccessError saying the disk is full, the
    action's earlier writes rolled back, and the connection (which still has the page
    limit) is not handed to the next action."""
    before = contacts(core)

    def action(session: Session) -> None:
        records.create(session, entity="contact", values={"first_name": "Jan",
                                                          "last_name": "Kowalski"})
        fill_up(session)

    with pytest.raises(FileAccessError, match=FULL) as raised:
        core.backend.run(action)
    assert str(core.profile.root) in str(raised.value)
    assert contacts(core) == before
    a_big_contact(core)  # a connection with the page limit would fail here
    assert contacts(core) == before + 1


def test_after_sqlite_rolled_back_by_itself_the_error_is_still_the_real_one(core, add):
    """When SQLite has already ended the transaction (as after some disk-full errors), no
    ROLLBACK is sent, nothing of the action stays, and the next action works."""
    before = contacts(core)
    seen = {}

    def action(session: Session) -> None:
        records.create(session, entity="contact", values={"first_name": "Jan",
                                                          "last_name": "Kowalski"})
        session.flush()
        driver = session.connection().connection.driver_connection
        driver.execute("ROLLBACK")  # what SQLite does by itself on some I/O errors
        seen["in_transaction"] = driver.in_transaction
        fill_up(session)  # now in autocommit mode: a real SQLITE_FULL on its own

    with pytest.raises(FileAccessError, match=FULL):
        core.backend.run(action)
    assert seen == {"in_transaction": False}
    assert contacts(core) == before
    a_big_contact(core)
    assert contacts(core) == before + 1


class FlakyConnection(sqlite3.Connection):
    """A SQLite connection whose ROLLBACK fails while ``failing`` is set (a drive gone)."""

    failing = False
    refused = 0

    def rollback(self) -> None:
        if FlakyConnection.failing:
            FlakyConnection.refused += 1
            raise sqlite3.OperationalError("disk I/O error")
        super().rollback()


@pytest.fixture
def flaky_backend(core) -> Iterator[Backend]:
    """A backend on the profile's database whose connections are FlakyConnections."""
    engine = create_engine(f"sqlite:///{core.profile.database}", poolclass=QueuePool,
                           connect_args={"check_same_thread": False,
                                         "factory": FlakyConnection})
    event.listen(engine, "connect", storage_engine._apply_pragmas)
    event.listen(engine, "begin", storage_engine._begin)
    FlakyConnection.refused = 0
    yield Backend(engine)
    FlakyConnection.failing = False
    engine.dispose()


def test_a_failing_rollback_does_not_hide_the_disk_full_error(core, flaky_backend):
    """The rollback itself fails (the drive went too): the person still hears that the disk
    is full, nothing of the action stays, and the broken connection is discarded."""
    before = contacts(core)

    def action(session: Session) -> None:
        records.create(session, entity="contact", values={"first_name": "Jan",
                                                          "last_name": "Kowalski"})
        FlakyConnection.failing = True
        fill_up(session)

    with pytest.raises(FileAccessError, match=FULL):
        flaky_backend.run(action)
    assert FlakyConnection.refused == 1
    FlakyConnection.failing = False
    assert contacts(core) == before
    flaky_backend.run(records.create, entity="contact", values={
        "first_name": "Ewa", "last_name": "Nowak", "notes": "x" * 19_000})
    assert contacts(core) == before + 1


def test_other_errors_pass_through_unchanged(core):
    """Only disk problems are translated: a plain SQL mistake still reaches the crash
    report as itself, and the backend goes on working."""
    with pytest.raises(Exception, match="no such table") as raised:
        core.backend.run(lambda session: session.execute(text("SELECT * FROM nope")))
    assert not isinstance(raised.value, FileAccessError)
    a_big_contact(core)


@pytest.mark.parametrize(("message", "expected"), [
    ("database or disk is full", "is full"),
    ("attempt to write a readonly database", "read-only"),
    ("disk I/O error", "was it removed?"),
    ("unable to open database file", "was it removed?"),
])
def test_each_kind_of_disk_problem_has_its_message(core, message, expected):
    """The four SQLite errors about the disk become the message for their cause (a read
    too); an I/O error with room to spare is taken for a drive gone."""
    def action(session: Session) -> None:
        session.execute(text("SELECT 1"))
        raise sqlite3.OperationalError(message)

    for run in (core.backend.run, core.backend.read, core.backend.preview):
        with pytest.raises(FileAccessError, match=expected.replace("?", r"\?")):
            run(action)
    assert isinstance(core.backend, Backend)
    a_big_contact(core)
