"""files.py: the one way the app writes a file (whole or not at all)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from euregionet_desktop import files
from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.sync import keys


class FolderFsyncFails:
    """``os`` whose fsync of a folder fails with ``code`` (files of all kinds fsync fine)."""

    def __init__(self, code: int) -> None:
        self.code = code

    def __getattr__(self, attribute: str) -> Any:
        return getattr(os, attribute)

    def fsync(self, fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(self.code, os.strerror(self.code))
        os.fsync(fd)


def test_private_keys_are_written_for_the_user_only(tmp_path: Path):
    """Key files are 0600 whatever the umask, and nothing but them is left in keys/."""
    old = os.umask(0)
    try:
        keys.load_or_create(tmp_path / "keys")
    finally:
        os.umask(old)
    found = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "keys").iterdir()}
    assert found == {keys.SIGNING_FILE: 0o600, keys.AGE_FILE: 0o600}


def test_other_files_get_the_usual_permissions(tmp_path: Path):
    """Without a mode a file is as open() would make it (0666 less the umask)."""
    old = os.umask(0o022)
    try:
        files.atomic_write(tmp_path / "bundle.zip", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "bundle.zip").stat().st_mode) == 0o644


def test_a_rename_that_cannot_be_made_durable_takes_a_new_file_away(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The folder's fsync fails (drive gone): a new file is removed again, since the
    caller reports that nothing was written; a replaced file keeps the new, whole bytes."""
    monkeypatch.setattr(files, "os", FolderFsyncFails(errno.EIO))
    with pytest.raises(FileAccessError, match="was it removed"):
        files.atomic_write(tmp_path / "new.docx", b"new")
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(files, "os", os)
    files.atomic_write(tmp_path / "old.docx", b"old")
    monkeypatch.setattr(files, "os", FolderFsyncFails(errno.EIO))
    with pytest.raises(FileAccessError):
        files.atomic_write(tmp_path / "old.docx", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["old.docx"]
    assert (tmp_path / "old.docx").read_bytes() == b"new"


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP])
def test_a_file_system_that_cannot_fsync_folders_is_no_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int):
    """Network shares and some FUSE file systems refuse to fsync a folder: the file is
    written all the same."""
    monkeypatch.setattr(files, "os", FolderFsyncFails(code))
    files.atomic_write(tmp_path / "settings.json", b"{}")
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path):
    """make_folder under a file: FileAccessError, not an OSError traceback."""
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FileAccessError):
        files.make_folder(tmp_path / "file" / "attachments")


def test_a_crashed_writes_temporary_file_goes_with_the_next_whole_write(tmp_path):
    """An old .partial of the same name (a killed export) is removed once the name is whole."""
    import os

    from euregionet_desktop import files

    target = tmp_path / "bic-to-lop.zip"
    stale = tmp_path / ".bic-to-lop.zip.0badf00d.partial"
    fresh = tmp_path / ".bic-to-lop.zip.12345678.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written by another thread")
    old = stale.stat().st_mtime - files.STALE_AFTER_SECONDS - 1
    os.utime(stale, (old, old))
    files.atomic_write(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists() and fresh.exists()


def test_opening_a_profile_clears_temporary_files_a_killed_process_left(tmp_path):
    """Leftovers in the profile, its attachments and keys go when the profile is locked."""
    from euregionet_desktop.paths import Profile
    from euregionet_desktop.services.profile import lock_profile

    profile = Profile(tmp_path / "p")
    profile.create_dirs()
    leftovers = [profile.keys / ".age-identity.txt.1a2b3c4d.partial",
                 profile.attachments / ".abc.1a2b3c4d.partial",
                 profile.root / ".euregionet.sqlite3.1a2b3c4d.partial"]
    for leftover in leftovers:
        leftover.write_bytes(b"x")
    lock = lock_profile(profile, purpose="pytest")
    try:
        assert not any(leftover.exists() for leftover in leftovers)
    finally:
        lock.release()
