"""Every file write failing in turn: the Nth ``os.write``, ``os.fsync`` or ``os.replace``
that ``files.py`` makes raises a disk error, for N = 1, 2, … until the operation no longer
gets that far. Each failure must leave no file under a final name, no temporary file, and
the database as it was; the run without a fault then completes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sync_network import Network, Replica

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.services import backups, bundle_export, documents
from euregionet_desktop.services.records import insert_record
from euregionet_desktop.sync.changelog import ChangeWriter

# files.py is made to see short writes of at most this many bytes (as a nearly full disk
# gives), so a failing write can leave a genuinely partial temporary file behind.
CHUNK = 16 * 1024
FAILING = ("write", "fsync", "replace")
MESSAGES = {errno.ENOSPC: "is full", errno.EIO: "was it removed?"}


class FailingOs:
    """``os`` as files.py sees it: ``failing``'s ``nth`` call raises OSError(``code``)."""

    def __init__(self, failing: str, nth: int, code: int) -> None:
        # (not "name": files.py reads os.name)
        self.failing, self.nth, self.code = failing, nth, code
        self.calls = 0

    def __getattr__(self, attribute: str) -> Any:
        return getattr(os, attribute)

    def _count(self, name: str) -> None:
        if name == self.failing:
            self.calls += 1
            if self.calls == self.nth:
                raise OSError(self.code, os.strerror(self.code))

    def write(self, fd: int, data: Any) -> int:
        self._count("write")
        return os.write(fd, memoryview(data)[:CHUNK])

    def fsync(self, fd: int) -> None:
        self._count("fsync")
        os.fsync(fd)

    def replace(self, source: Any, target: Any) -> None:
        self._count("replace")
        os.replace(source, target)

    @property
    def fired(self) -> bool:
        return self.calls >= self.nth


def fail_each_call(monkeypatch: pytest.MonkeyPatch, name: str, action: Callable[[], Any],
                   unchanged: Callable[[], None]) -> tuple[int, Any]:
    """Run ``action`` with ``name``'s 1st, 2nd, … call failing until it succeeds; after
    each failure ``unchanged`` checks what is left. Returns k (the calls it makes) and the
    successful result."""
    for nth in range(1, 500):
        code = errno.ENOSPC if nth % 2 else errno.EIO
        fault = FailingOs(name, nth, code)
        monkeypatch.setattr(files, "os", fault)
        try:
            result = action()
        except FileAccessError as error:
            monkeypatch.setattr(files, "os", os)
            assert fault.fired, f"{name} #{nth}: {error}"
            assert MESSAGES[code] in str(error), (name, nth, str(error))
            unchanged()
            continue
        finally:
            monkeypatch.setattr(files, "os", os)
        assert not fault.fired, f"{name} #{nth} failed, yet the operation went on"
        return nth - 1, result
    raise AssertionError(f"{name} never stopped failing")


# --- what "unchanged" means ----------------------------------------------------------------


def database_state(replica: Replica) -> tuple[bytes, str]:
    """The shared data (``dump``) and a digest of every row of every table, after checking
    the database file with SQLite."""
    with sqlite3.connect(replica.profile.database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        digest = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    conn.close()
    return replica.dump(), digest


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def network(tmp_path: Path) -> Iterator[Network]:
    """BIC, with contacts, an organisation and two attached files, and LOP."""
    network = Network.create(tmp_path / "net", ("BIC", "LOP"))
    bic = network.replicas[0]
    organisation = bic.add("organisation", name="Odra Metal Sp. z o.o.", country="PL")
    for n in range(5):
        bic.add("contact", first_name=f"Jan {n}", last_name="Kowalski",
                organisation_id=organisation)
    # Sizes that take several short writes each: 3 and 2 chunks.
    attach(bic, linked_id=organisation, content=os.urandom(2 * CHUNK + 100), name="a.pdf")
    attach(bic, linked_id=organisation, content=os.urandom(CHUNK + 100), name="b.pdf")
    yield network
    network.close()


def attach(replica: Replica, *, linked_id: str, content: bytes, name: str) -> str:
    """A file attached to a record, stored as the app stores documents (by checksum)."""

    def add(session):
        sha = documents.store_blob(replica.profile, content, session=session)
        insert_record(session, ChangeWriter.for_session(session), "attachment", {
            "sha256": sha, "file_name": name, "kind": "file", "size": len(content),
            "linked_entity": "organisation", "linked_id": linked_id})
        return sha

    return replica.run(add)


# --- the operations --------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAILING)
def test_a_failing_bundle_export_leaves_no_file_and_changes_nothing(
        network: Network, monkeypatch: pytest.MonkeyPatch, name: str):
    """Export for LOP with each write, fsync and rename failing in turn: FileAccessError,
    no bundle and no temporary file in the folder, the database as it was."""
    bic, lop = network.replicas
    folder = network.root / "out"
    folder.mkdir()
    bundle = folder / "bic-to-lop.zip"
    before = database_state(bic)

    def unchanged() -> None:
        assert folder_listing(folder) == []
        assert database_state(bic) == before

    k, result = fail_each_call(monkeypatch, name, lambda: bic.run(
        bundle_export.export_bundle, profile=bic.profile, to_office="LOP", path=bundle), unchanged)
    chunks = -(-result.size // CHUNK)
    assert k == {"write": chunks, "fsync": 2, "replace": 1}[name]
    assert chunks >= 3  # the two attachments alone are five chunks before compression
    assert folder_listing(folder) == [bundle.name]
    assert lop.import_(bundle).applied == result.changes


@pytest.mark.parametrize("name", FAILING)
def test_a_failing_bundle_import_stores_no_file_and_no_record(
        network: Network, monkeypatch: pytest.MonkeyPatch, name: str):
    """Import a bundle carrying two attachment files with each write, fsync and rename
    failing in turn: the database as it was, no file (whole or partial) in attachments/;
    then the import without a fault brings everything."""
    bic, lop = network.replicas
    bundle = network.send(bic, "LOP")
    blobs = {p.name: p.read_bytes() for p in bic.profile.attachments.iterdir()}
    assert len(blobs) == 2
    before = database_state(lop)
    listing = folder_listing(lop.profile.attachments)

    def unchanged() -> None:
        assert folder_listing(lop.profile.attachments) == listing
        assert database_state(lop) == before

    k, report = fail_each_call(monkeypatch, name, lambda: lop.import_(bundle), unchanged)
    assert k == {"write": 5, "fsync": 4, "replace": 2}[name]  # 3 + 2 chunks; 2 files
    assert report.applied > 0 and report.records.get("attachment") == 2
    assert folder_listing(lop.profile.attachments) == sorted(blobs)
    for sha, content in blobs.items():
        assert (lop.profile.attachments / sha).read_bytes() == content
    assert database_state(lop) != before
    network.send(lop, "BIC")  # LOP's database took the import whole: it can go on


@pytest.mark.parametrize("name", FAILING)
def test_a_failing_backup_leaves_no_backup_and_changes_nothing(
        network: Network, monkeypatch: pytest.MonkeyPatch, name: str):
    """``backup create`` with each fsync and rename of files.py failing in turn (SQLite's
    VACUUM INTO writes the copy itself, so files.py makes no write): no backup under a
    final name, no temporary file, the database as it was; then a sound backup."""
    bic = network.replicas[0]
    folder = bic.profile.backups
    listing = folder_listing(folder)
    before = database_state(bic)

    def unchanged() -> None:
        assert folder_listing(folder) == listing
        assert database_state(bic) == before

    k, info = fail_each_call(monkeypatch, name, lambda: backups.create_backup(bic.profile),
                             unchanged)
    assert k == {"write": 0, "fsync": 2, "replace": 1}[name]
    assert folder_listing(folder) == sorted([*listing, info.path.name])
    copy = sqlite3.connect(info.path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        copy.close()
    assert database_state(bic) == before


def test_an_export_whose_database_write_fails_leaves_no_bundle(network: Network):
    """The bundle was written, then the database refuses the record of it (full): the
    export fails as a whole, so the bundle it wrote is removed again."""
    bic = network.replicas[0]
    bundle = network.root / "bic-to-lop.zip"
    before = database_state(bic)

    def export_then_fill_up(session) -> None:
        bundle_export.export_bundle(session, profile=bic.profile, to_office="LOP", path=bundle)
        assert bundle.exists()
        pages = session.execute(text("PRAGMA page_count")).scalar()
        session.execute(text(f"PRAGMA max_page_count = {pages}"))
        session.execute(text("CREATE TABLE filler (x)"))
        session.execute(text("INSERT INTO filler VALUES (zeroblob(100000))"))

    with pytest.raises(FileAccessError, match="is full"):
        bic.run(export_then_fill_up)
    assert not bundle.exists()
    assert database_state(bic) == before
