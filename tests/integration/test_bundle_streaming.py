"""The streamed export (DESIGN §8: 100k changes within 250 MiB): a bundle of thousands of
changes, written a chunk of lines at a time, holds exactly the change log's lines, lists
every member with its true checksum and size, and imports whole — plain and encrypted.
(The memory it takes is measured by ``python -m tests.benchmarks --only sync``.)"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import orjson
import pytest

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import bundle_export, bundle_import, demo, partners, profile
from euregionet_desktop.services.profile import Core
from euregionet_desktop.sync import bundle as bundle_file
from euregionet_desktop.sync import keys
from euregionet_desktop.sync.wire import WireChange


@pytest.fixture
def offices(tmp_path: Path) -> Iterator[tuple[Core, Core]]:
    """BIC with demo data (thousands of changes) and an empty LOP, trusting each other."""
    sender = profile.open_profile(Profile(tmp_path / "bic"), purpose="test sender")
    receiver = profile.open_profile(Profile(tmp_path / "lop"), purpose="test receiver")
    try:
        def fill(session) -> None:
            profile.initialise(session, office="BIC", advisor_name="Sender")
            demo.generate(session, contacts=30)

        sender.backend.run(fill)
        receiver.backend.run(profile.initialise, office="LOP", advisor_name="Receiver")
        receiver.backend.run(partners.trust, partner=sender.backend.run(
            partners.own_public_keys, profile=sender.profile))
        sender.backend.run(partners.trust, partner=receiver.backend.run(
            partners.own_public_keys, profile=receiver.profile))
        yield sender, receiver
    finally:
        sender.close()
        receiver.close()


def change_log_lines(database: Path) -> dict[str, bytes]:
    """Each installation's change log rows as the wire lines an export writes, one by one."""
    members: dict[str, list[bytes]] = {}
    with closing(sqlite3.connect(database)) as db:
        db.row_factory = sqlite3.Row
        for row in db.execute("SELECT * FROM change_log ORDER BY installation_id, seq"):
            members.setdefault(f"changes/{row['installation_id']}.jsonl", []).append(
                WireChange.from_row(dict(row)).line())
    return {name: b"".join(line + b"\n" for line in lines) for name, lines in members.items()}


def test_a_streamed_export_holds_every_line_with_true_checksums(
        offices: tuple[Core, Core], tmp_path: Path) -> None:
    sender, receiver = offices
    path = tmp_path / "bic-to-lop.zip"
    result = sender.backend.run(bundle_export.export_bundle, profile=sender.profile,
                                to_office="LOP", path=path)
    expected = change_log_lines(sender.profile.database)
    total = sum(member.count(b"\n") for member in expected.values())
    assert total > 10 * bundle_export.LINES_PER_WRITE  # many chunks, not one
    assert result.changes == total

    with zipfile.ZipFile(path) as zf:
        found = {name: zf.read(name) for name in zf.namelist()}
    manifest = orjson.loads(found["manifest.json"])
    assert {n: d for n, d in found.items() if n.startswith("changes/")} == expected
    assert set(manifest["members"]) == set(found) - {"manifest.json", "manifest.sig"}
    for name, entry in manifest["members"].items():
        assert entry == {"sha256": hashlib.sha256(found[name]).hexdigest(),
                         "size": len(found[name])}
    assert manifest["ranges"] == {name[8:-6]: [1, member.count(b"\n")]
                                  for name, member in expected.items()}

    report = receiver.backend.run(bundle_import.import_bundle, profile=receiver.profile,
                                  data=path.read_bytes())
    assert (report.applied, report.waiting, report.known) == (total, 0, 0)
    with closing(sqlite3.connect(receiver.profile.database)) as db:
        contacts = db.execute("SELECT count(*) FROM contact").fetchone()[0]
    assert contacts >= 30


def test_an_encrypted_streamed_export_opens_to_the_same_members(
        offices: tuple[Core, Core], tmp_path: Path) -> None:
    sender, receiver = offices
    plain, sealed = tmp_path / "plain.zip", tmp_path / "sealed.age"
    sender.backend.run(bundle_export.export_bundle, profile=sender.profile, to_office="LOP",
                       path=plain)
    result = sender.backend.run(bundle_export.export_bundle, profile=sender.profile,
                                to_office="LOP", path=sealed, encrypt=True)
    assert result.encrypted and sealed.read_bytes().startswith(bundle_file.AGE_MAGIC)
    identity = keys.load_or_create(receiver.profile.keys).identity
    opened = bundle_file.open_bundle(sealed.read_bytes(), identity=identity)
    with zipfile.ZipFile(io.BytesIO(plain.read_bytes())) as zf:
        assert dict(opened.members) == {n: zf.read(n) for n in zf.namelist()
                                        if n not in ("manifest.json", "manifest.sig")}
    report = receiver.backend.run(bundle_import.import_bundle, profile=receiver.profile,
                                  data=sealed.read_bytes())
    assert report.encrypted and report.applied == result.changes
