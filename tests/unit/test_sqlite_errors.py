"""The one SQLite error classifier, on errors real SQLite raises (bare and wrapped by
SQLAlchemy), and the words each disk problem gets for the profile and for another file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from euregionet_desktop.services.sqlite_errors import (
    Problem,
    classify,
    file_error,
    is_damage,
    profile_error,
)


def raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    return path


def full(database: Path) -> sqlite3.Error:
    connection = sqlite3.connect(database)
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return raised(lambda: connection.execute(
            "INSERT INTO t SELECT zeroblob(100000) FROM (SELECT 1 UNION ALL SELECT 2)"))
    finally:
        connection.close()


def read_only(database: Path) -> sqlite3.Error:
    connection = sqlite3.connect(database.as_uri() + "?mode=ro", uri=True)
    try:
        return raised(lambda: connection.execute("INSERT INTO t VALUES (1)"))
    finally:
        connection.close()


def not_a_database(tmp_path: Path) -> sqlite3.Error:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"not a database at all " * 200)
    connection = sqlite3.connect(path)
    try:
        return raised(lambda: connection.execute("SELECT * FROM sqlite_master"))
    finally:
        connection.close()


def test_each_kind_of_sqlite_error_is_told_apart(database: Path, tmp_path: Path):
    """A full database, a read-only one, a missing file, a file that is not a database and
    a mistake in the SQL: five different verdicts, from SQLite's own error codes."""
    missing = tmp_path / "gone" / "data.sqlite3"
    assert classify(full(database)) is Problem.FULL
    assert classify(read_only(database)) is Problem.READ_ONLY
    assert classify(raised(lambda: sqlite3.connect(missing.as_uri() + "?mode=rw", uri=True))
                    ) is Problem.CANT_OPEN
    damaged = not_a_database(tmp_path)
    assert classify(damaged) is Problem.DAMAGED and is_damage(damaged)
    connection = sqlite3.connect(database)
    mistake = raised(lambda: connection.execute("SELECT * FROM nope"))
    connection.close()
    assert classify(mistake) is Problem.OTHER and not is_damage(mistake)
    assert classify(ValueError("not SQLite")) is Problem.OTHER


def test_an_error_wrapped_by_sqlalchemy_is_classified_as_itself(database: Path):
    """SQLAlchemy's DBAPIError is looked through to the SQLite error it carries."""
    engine = create_engine(f"sqlite:///file:{database}?mode=ro&uri=true")
    try:
        with pytest.raises(DBAPIError) as caught, engine.begin() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        engine.dispose()
    assert classify(caught.value) is Problem.READ_ONLY


def test_errors_without_a_code_are_read_from_their_message():
    """Errors made without SQLite's code (as a driver or a test raises them) are classified
    by their text; an unknown text is not taken for a disk problem."""
    assert classify(sqlite3.OperationalError("database or disk is full")) is Problem.FULL
    assert classify(sqlite3.OperationalError("disk I/O error")) is Problem.IO
    assert classify(sqlite3.DatabaseError("file is not a database")) is Problem.DAMAGED
    assert classify(sqlite3.OperationalError("database is locked")) is Problem.OTHER


def test_the_profile_and_a_file_get_the_words_for_their_problem(database: Path, tmp_path):
    """The open profile's database: "the profile … Nothing was changed"; another file SQLite
    wrote or checked (a backup): the words every file write uses. Not a disk problem: None."""
    folder = database.parent
    error = full(database)
    assert str(profile_error(error, database)).startswith(
        f"The disk holding the profile {folder} is full. Nothing was changed;")
    assert str(file_error(error, folder)).startswith(
        f"The disk holding {folder} is full. Nothing was saved there;")
    locked = read_only(database)
    assert "read-only" in str(profile_error(locked, database))
    assert str(file_error(locked, database)).startswith(f"You may not write to {database}.")
    gone = sqlite3.OperationalError("disk I/O error")
    assert "(was it removed?)" in str(profile_error(gone, database))
    assert "(was it removed?)" in str(file_error(gone, database))
    damaged = not_a_database(tmp_path)
    assert profile_error(damaged, database) is None and file_error(damaged, database) is None
