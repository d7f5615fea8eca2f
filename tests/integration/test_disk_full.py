"""A real full disk: ``euregionet`` run with a file-size limit (RLIMIT_FSIZE, SIGXFSZ
ignored) so that its writes fail with EFBIG part-way, as on a full USB stick.

The command must fail with one clear line saying the disk is full, and afterwards the
database must be sound and unchanged, no partial file left, and the same command must
succeed once there is room again.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_network import Network, Replica
from test_cli import ENV, one_line_error

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import backups, demo, documents
from euregionet_desktop.services.records import insert_record
from euregionet_desktop.sync.changelog import ChangeWriter

resource = pytest.importorskip("resource")  # POSIX only

BLOB_SIZE = 1_500_000  # more than LOP's whole database, so the attachment can fail alone
PROFILE_FULL = "The disk holding the profile {path} is full."
FILE_FULL = "The disk holding {path} is full."


def run_limited(data_dir: Path, limit: int | None, *args: str) -> subprocess.CompletedProcess:
    """``euregionet --data-dir DIR ARGS...`` unable to write any file beyond ``limit``
    bytes (writes past it fail with EFBIG instead of killing the process)."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run(
        [sys.executable, "-m", "euregionet_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size,
        env={**ENV, "PYTHONDONTWRITEBYTECODE": "1"})


@dataclass(frozen=True)
class Offices:
    """Closed profiles to copy: BIC with demo data and an attachment, LOP, a bundle."""

    bic: Path
    lop: Path
    bundle: Path


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Offices:
    root = tmp_path_factory.mktemp("disk-full")
    network = Network.create(root / "net", ("BIC", "LOP"))
    bic, _lop = network.replicas
    bic.run(demo.generate)
    blob = os.urandom(BLOB_SIZE)  # random: the bundle's zip cannot shrink it

    def attach(session) -> None:
        sha = documents.store_blob(bic.profile, blob, session=session)
        insert_record(session, ChangeWriter.for_session(session), "attachment", {
            "sha256": sha, "file_name": "scan.pdf", "kind": "file", "size": len(blob)})

    bic.run(attach)
    bundle = network.send(bic, "LOP")
    network.close()
    for replica in network.replicas:  # today's backup: no daily one before each command
        backups.create_backup(replica.profile)
    return Offices(bic.profile.root, network.replicas[1].profile.root, bundle)


@pytest.fixture
def offices(prepared: Offices, tmp_path: Path) -> Iterator[Offices]:
    """Fresh copies of the prepared profiles for one test."""
    copies = Offices(tmp_path / "BIC", tmp_path / "LOP", tmp_path / prepared.bundle.name)
    shutil.copytree(prepared.bic, copies.bic)
    shutil.copytree(prepared.lop, copies.lop)
    shutil.copyfile(prepared.bundle, copies.bundle)
    yield copies


def snapshot(root: Path) -> tuple[bytes, list[str]]:
    """The profile's shared data (``dump``) and its files, after SQLite's own check."""
    profile = Profile(root)
    with sqlite3.connect(profile.database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    replica = Replica(root.name, "", profile)
    try:
        data = replica.dump()
    finally:
        replica.close()
    names = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                   if p.is_file() and p.parent.name in ("attachments", "keys", root.name)
                   and not p.name.startswith(("profile.lock", "euregionet.sqlite3")))
    return data, names


def partial_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*.partial")]


def test_an_import_that_fills_the_disk_says_so_and_changes_nothing(offices: Offices):
    """``bundle import`` with the disk filling up while an attachment is written, and
    while the database commits (at two sizes): one line saying the disk is full, the
    database sound and as before, no attachment file; then the import works.

    Every limit lets the backup made before the import (a copy of the database) through.
    """
    lop = offices.lop
    size = Profile(lop).database.stat().st_size
    assert size + 64 * 1024 < BLOB_SIZE
    before = snapshot(lop)
    attachments = lop / "attachments"
    limits = {
        "the attachment": size + 64 * 1024,
        # The database only grows at the commit; the import brings several megabytes.
        "the commit": BLOB_SIZE + 64 * 1024,
        "the commit, later": BLOB_SIZE + 1024 * 1024,
    }
    assert Profile(offices.bic).database.stat().st_size > 2 * max(limits.values())
    for moment, limit in limits.items():
        line = one_line_error(run_limited(lop, limit, "bundle", "import",
                                          str(offices.bundle)))
        if moment == "the attachment":
            assert line.startswith("Error: " + FILE_FULL.format(path=attachments)[:-10]), line
            assert line.endswith(" is full. Nothing was saved there; free some space and "
                                 "try again."), line
        else:
            assert PROFILE_FULL.format(path=lop) in line, (moment, line)
        assert snapshot(lop) == before, moment
        assert partial_files(lop) == [], moment
    imported = run_limited(lop, None, "bundle", "import", str(offices.bundle))
    assert imported.returncode == 0, imported.stderr
    assert "changes applied" in imported.stdout
    data, names = snapshot(lop)
    assert data != before[0]
    assert len([n for n in names if n.startswith("attachments/")]) == 1


def test_an_export_that_fills_the_disk_leaves_no_bundle(offices: Offices, tmp_path: Path):
    """``bundle export`` to a drive that fills up half-way through the bundle: one line
    saying that disk is full, no bundle and no partial file, the database as before; then
    the export works."""
    out = tmp_path / "stick"
    out.mkdir()
    target = out / "bic-to-lop.zip"
    before = snapshot(offices.bic)
    limit = offices.bundle.stat().st_size // 2
    line = one_line_error(run_limited(offices.bic, limit, "bundle", "export", "--to", "LOP",
                                      "-o", str(target)))
    assert FILE_FULL.format(path=target) in line, line
    assert list(out.iterdir()) == []
    assert snapshot(offices.bic) == before
    done = run_limited(offices.bic, None, "bundle", "export", "--to", "LOP", "-o", str(target))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as whole, zipfile.ZipFile(offices.bundle) as earlier:
        assert whole.testzip() is None
        assert whole.namelist() == earlier.namelist()


def test_a_backup_that_fills_the_disk_says_so_and_leaves_no_copy(offices: Offices):
    """``backup create`` on a disk that fills up part-way through the copy: one line
    saying the disk is full, no backup (whole or partial), the database as before."""
    bic = offices.bic
    folder = Profile(bic).backups
    listing = sorted(p.name for p in folder.iterdir())
    before = snapshot(bic)
    line = one_line_error(run_limited(bic, Profile(bic).database.stat().st_size // 2,
                                      "backup", "create"))
    assert FILE_FULL.format(path=folder) in line, line
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert snapshot(bic) == before
    done = run_limited(bic, None, "backup", "create")
    assert done.returncode == 0, done.stderr
    assert len(list(folder.iterdir())) == len(listing) + 1
