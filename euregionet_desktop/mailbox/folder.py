"""The folder mailbox: bundles left as files in a directory (a mounted share, a
cloud-synced folder, a USB stick).

A bundle is the file ``<bundle id>.eurnet``, written once under a hidden temporary name in
the same folder and renamed into place, never overwritten; its key is its file name. The
folder keeps no cursor: every listing is the whole folder less what the caller has
handled. Other machines' copies arrive through whatever fills the folder (a cloud client,
a file manager), so a listed file may not be whole yet: what can be checked without the
key is checked (a zip's end record; an age file's header, the size its chunks allow and a
tail that is not zeros), and a file written to in the last ``settle_seconds`` or changing
while it is looked at waits for a later sync. What cannot be checked (an age file's
chunks, which need the key) is the importer's to find.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import time
import uuid
import zipfile
from collections.abc import Container, Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

from euregionet_desktop.errors import MailboxError, MailboxOffline
from euregionet_desktop.files import fsync_folder
from euregionet_desktop.i18n import _
from euregionet_desktop.mailbox.base import BUNDLE_SUFFIX, Mailbox, Posted, Waiting

# A file modified this recently may still be being written (a person's copy over a share
# grows in place). FAT, as on USB sticks, keeps modification times to 2 s only.
SETTLE_SECONDS = 5.0
# A bundle this mailbox pushes is whole the moment its name appears (it is renamed into
# place), so its modification time is set this far back: readers need not wait for it.
PUSHED_AGE_SECONDS = 2 * SETTLE_SECONDS
# The temporary name of a bundle on its way in: hidden, and not ending in .eurnet.
PART_SUFFIX = ".part"
# A temporary file this old is a push that died (a crash, a drive pulled): prune removes it.
STALE_PART_SECONDS = 24 * 3600
# Names never listed: hidden files (temporary files of this mailbox, Syncthing's
# ".syncthing.*.tmp", Nextcloud's ".*.~*"), lock files ("~$…", "~…").
SKIPPED_PREFIXES = (".", "~")

AGE_MAGIC = b"age-encryption.org/v1\n"
ZIP_MAGIC = b"PK\x03\x04"
# age's STREAM: a 16-byte nonce, then chunks of 64 KiB of plaintext and a 16-byte tag each;
# the last chunk holds 0 to 64 KiB of plaintext and its tag.
AGE_NONCE = 16
AGE_TAG = 16
AGE_CHUNK = 64 * 1024 + AGE_TAG
# How far into an age file its header may reach (a stanza per recipient, ~110 bytes each).
AGE_HEADER_LIMIT = 1 << 20
HEAD_BYTES = 64 * 1024
WRITE_CHUNK = 1 << 20

# Errors that mean the folder is not there now: not mounted, the drive pulled, the share's
# server gone. Anything else is a refusal with its own message.
_OFFLINE_ERRNOS = frozenset(
    code for code in (
        errno.ENOENT, errno.EIO, errno.ENODEV, errno.ENXIO,
        getattr(errno, "ENOMEDIUM", None), getattr(errno, "ESTALE", None), errno.ENOTCONN,
        getattr(errno, "EHOSTDOWN", None), errno.EHOSTUNREACH, errno.ENETDOWN,
        errno.ENETUNREACH, errno.ETIMEDOUT, errno.ECONNABORTED, errno.ECONNRESET,
        errno.ECONNREFUSED, getattr(errno, "EREMOTEIO", None))
    if code is not None)
# Windows: ERROR_NOT_READY, ERROR_BAD_NETPATH, ERROR_DEV_NOT_EXIST, ERROR_UNEXP_NET_ERR,
# ERROR_NETNAME_DELETED, ERROR_BAD_NET_NAME, ERROR_SEM_TIMEOUT, ERROR_NETWORK_UNREACHABLE.
_OFFLINE_WINERRORS = frozenset((21, 53, 55, 59, 64, 67, 121, 1231))
# Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION (a cloud client writing the file).
_BUSY_WINERRORS = frozenset((32, 33))
_FULL_ERRNOS = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EFBIG)
    if code is not None)


def bundle_key(bundle_id: str) -> str:
    """The key (the file name) a bundle pushed here has."""
    return f"{bundle_id}{BUNDLE_SUFFIX}"


def is_plain_name(name: str) -> bool:
    """Whether ``name`` names a file right in a folder on any system (no separator, no
    drive, not hidden, not ``.`` or ``..``): keys are names, never paths."""
    return (bool(name) and "\0" not in name and not name.startswith(SKIPPED_PREFIXES)
            and PurePosixPath(name).name == name and PureWindowsPath(name).name == name)


def is_listed(name: str) -> bool:
    """Whether a file name is a bundle to list: ends in .eurnet (in any case: conflict
    copies and files renamed by hand included) and is no temporary or hidden file."""
    return name.lower().endswith(BUNDLE_SUFFIX) and is_plain_name(name)


def looks_whole(file: BinaryIO, size: int) -> bool:
    """Whether the bundle file of ``size`` bytes open as ``file`` can be whole, as far as
    that can be told without its key: a zip with its end record, an age file with its
    whole header, a length its chunks allow and a tail that is not zeros. Other bytes are
    not a bundle (the importer says so), unless all zeros (space taken, nothing written)."""
    file.seek(0)
    head = file.read(min(size, HEAD_BYTES))
    if head.startswith(AGE_MAGIC):
        return _age_whole(file, head, size)
    if head.startswith(ZIP_MAGIC):
        return _zip_whole(file)
    return len(head) >= len(AGE_MAGIC) and any(head)


def _age_whole(file: BinaryIO, head: bytes, size: int) -> bool:
    end = head.find(b"\n--- ")
    while end < 0 and len(head) < min(size, AGE_HEADER_LIMIT):
        more = file.read(HEAD_BYTES)
        if not more:
            return False
        head += more
        end = head.find(b"\n--- ")
    line_end = head.find(b"\n", end + 1) if end >= 0 else -1
    if line_end < 0:
        return False
    chunks = size - (line_end + 1) - AGE_NONCE
    if chunks < AGE_TAG or 0 < chunks % AGE_CHUNK < AGE_TAG:
        return False
    file.seek(size - AGE_TAG)
    return any(file.read(AGE_TAG))  # a tag of zeros: space a copy took, not yet written


def _zip_whole(file: BinaryIO) -> bool:
    # The end of central directory record is the last thing a zip writer writes; zipfile
    # finds it (and a zip64 one) and reads the central directory it points to.
    try:
        with zipfile.ZipFile(file) as zf:
            return bool(zf.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            RuntimeError):
        return False


class FolderMailbox(Mailbox):
    """Bundles as files in a folder; the key of a bundle is its file name."""

    def __init__(self, path: str | Path, *, settle_seconds: float = SETTLE_SECONDS) -> None:
        """``path``: the folder (``~`` for the home folder), or a ``file://`` URL of it."""
        if isinstance(path, str) and path.lower().startswith("file://"):
            url = urlsplit(path)
            path = url2pathname(url.path if url.netloc in ("", "localhost")
                                else f"//{url.netloc}{url.path}")
        self.path = Path(path).expanduser()
        self.settle_seconds = settle_seconds

    @property
    def location(self) -> str:
        return str(self.path)

    # -- push ---------------------------------------------------------------------------

    def key_of(self, posted: Posted) -> str:
        return bundle_key(posted.bundle_id)

    def push(self, posted: Posted) -> bool:
        """Leave the bundle as ``<bundle id>.eurnet``; False when that name is taken. The
        bytes are fsynced before the name appears, so a name is always a whole bundle: a
        failure after it appeared (the folder's rename not made durable) raises, and the
        next push of the same bundle finds it there."""
        key = bundle_key(posted.bundle_id)
        if not is_listed(key):
            raise self._bad_key(key)
        self._require_folder(writing=True)
        target = self.path / key
        if os.path.lexists(target):
            return False
        temporary = self.path / f".{key}.{uuid.uuid4().hex[:8]}{PART_SUFFIX}"
        try:
            self._write(temporary, posted.data)
            placed = self._place(temporary, target)
            if placed:
                self._fsync_folder()
        except OSError as error:
            raise self._error(error, writing=True) from None
        finally:
            _remove_quietly(temporary)
        return placed

    def _write(self, temporary: Path, data: bytes) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temporary, flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view[:WRITE_CHUNK])  # may write less (a full disk)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        pushed = time.time() - PUSHED_AGE_SECONDS
        os.utime(temporary, (pushed, pushed))

    @staticmethod
    def _place(temporary: Path, target: Path) -> bool:
        """Give the whole file its name unless the name is taken; False when it is."""
        try:
            os.link(temporary, target)  # fails if the name exists: never overwrites
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links here (FAT, some shares): rename instead
        if os.path.lexists(target):
            return False
        os.replace(temporary, target)
        return True

    def _fsync_folder(self) -> None:
        try:
            fsync_folder(self.path)
        except PermissionError:
            pass  # a drop folder one may write to but not read: no handle to fsync

    # -- waiting ------------------------------------------------------------------------

    def waiting(self, *, office: str, installation: str, cursor: str | None,
                handled: Container[str]) -> Waiting:
        """Every bundle file in the folder not in ``handled``, oldest first. A folder
        cannot tell whom a bundle is for or who made it: the importer does (a bundle of
        this installation's own, or for another office, is set aside by it)."""
        del office, installation, cursor  # a folder keeps no addresses and no cursor
        self._require_folder(writing=False)
        found: list[tuple[float, str, os.stat_result]] = []
        try:
            with os.scandir(self.path) as entries:
                for entry in entries:
                    if not is_listed(entry.name) or entry.name in handled:
                        continue
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue  # gone since the folder was read
                    if stat.S_ISREG(info.st_mode):
                        found.append((info.st_mtime, entry.name, info))
        except OSError as error:
            raise self._error(error, writing=False) from None
        keys: list[str] = []
        incomplete: list[str] = []
        now = time.time()
        for _mtime, name, info in sorted(found, key=lambda item: item[:2]):
            whole = self._whole(name, info, now)
            if whole is not None:
                (keys if whole else incomplete).append(name)
        return Waiting(tuple(keys), None, tuple(incomplete))

    def _settled(self, info: os.stat_result, now: float) -> bool:
        # A time in the future beyond the settle time is a share's clock, not a write.
        return not -self.settle_seconds < now - info.st_mtime < self.settle_seconds

    def _whole(self, name: str, info: os.stat_result, now: float) -> bool | None:
        """Whether the listed file is whole; None when it went away meanwhile."""
        if not self._settled(info, now):
            return False
        try:
            with open(self.path / name, "rb") as file:
                whole = looks_whole(file, info.st_size)
                after = os.fstat(file.fileno())
        except FileNotFoundError:
            return None
        except OSError as error:
            if _busy(error) or isinstance(error, PermissionError):
                return False  # being written, or not readable (yet): one file holds up no sync
            raise self._error(error, writing=False) from None
        return whole and _same(info, after)

    # -- fetch --------------------------------------------------------------------------

    def fetch(self, key: str) -> bytes | None:
        if not is_listed(key):
            raise self._bad_key(key)
        path = self.path / key
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return None  # a folder or a link that took the name: not a bundle
            with os.fdopen(os.open(path, flags), "rb") as file:
                before = os.fstat(file.fileno())
                data = file.read()
                after = os.fstat(file.fileno())
        except FileNotFoundError:
            self._require_folder(writing=False)
            return None
        except OSError as error:
            if _busy(error) or error.errno == errno.ELOOP:
                return None  # being written, or a link put there since it was looked at
            if isinstance(error, PermissionError):
                raise MailboxError(_(
                    "You may not read “{name}” in the mailbox folder “{folder}”. Check its "
                    "permissions.").format(name=key, folder=self.location)) from None
            raise self._error(error, writing=False) from None
        if (not _same(info, before) or not _same(before, after) or len(data) != after.st_size
                or not self._settled(after, time.time())
                or not looks_whole(io.BytesIO(data), len(data))):
            return None
        return data

    # -- prune --------------------------------------------------------------------------

    def prune(self, keys: Iterable[str]) -> int:
        """Remove the named bundle files (and temporary files of pushes that died a day
        or more ago); how many bundle files went."""
        names = list(keys)
        for key in names:
            if not is_listed(key):
                raise self._bad_key(key)
        self._require_folder(writing=True)
        removed = 0
        for name in names:
            path = self.path / name
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue  # a folder or a link that took the name: not a bundle of ours
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise self._error(error, writing=True) from None
            removed += 1
        self._remove_stale_parts()
        return removed

    def _remove_stale_parts(self) -> None:
        stale = time.time() - STALE_PART_SECONDS
        try:
            with os.scandir(self.path) as entries:
                for entry in entries:
                    name = entry.name
                    if (name.startswith(".") and name.endswith(PART_SUFFIX)
                            and BUNDLE_SUFFIX in name.lower() and entry.is_file(follow_symlinks=False)
                            and entry.stat(follow_symlinks=False).st_mtime < stale):
                        _remove_quietly(Path(entry.path))
        except OSError:
            pass  # housekeeping only: the next prune tries again

    # -- errors -------------------------------------------------------------------------

    def _require_folder(self, *, writing: bool) -> None:
        try:
            info = os.stat(self.path)
        except OSError as error:
            raise self._error(error, writing=writing) from None
        if not stat.S_ISDIR(info.st_mode):
            raise MailboxError(_("“{folder}” is not a folder. Choose a folder for the "
                                 "mailbox.").format(folder=self.location))

    def _bad_key(self, key: str) -> MailboxError:
        return MailboxError(_("“{key}” is not the name of a bundle in the mailbox folder "
                              "“{folder}”.").format(key=key, folder=self.location))

    def _error(self, error: OSError, *, writing: bool) -> MailboxError:
        """A message a person can act on for ``error`` met in the folder."""
        folder = self.location
        code = error.errno
        if code in _OFFLINE_ERRNOS or getattr(error, "winerror", None) in _OFFLINE_WINERRORS:
            return MailboxOffline(_(
                "The mailbox folder “{folder}” cannot be reached (a share not connected, a "
                "drive removed?). Nothing was lost; sync again once it is back."
            ).format(folder=folder))
        if code in _FULL_ERRNOS:
            return MailboxError(_(
                "The disk holding the mailbox folder “{folder}” is full; no bundle was left "
                "there. Free some space there and sync again.").format(folder=folder))
        if code == errno.EROFS:
            return MailboxError(_(
                "The mailbox folder “{folder}” is on a read-only drive; no bundle can be "
                "left there. Choose a folder you can write to.").format(folder=folder))
        if code in (errno.EACCES, errno.EPERM):
            if writing:
                return MailboxError(_(
                    "You may not write to the mailbox folder “{folder}”. Check its "
                    "permissions or choose another folder.").format(folder=folder))
            return MailboxError(_(
                "You may not read the mailbox folder “{folder}”. Check its permissions or "
                "choose another folder.").format(folder=folder))
        return MailboxError(_("The mailbox folder “{folder}” cannot be used: {reason}").format(
            folder=folder, reason=error.strerror or error))


def _same(before: os.stat_result, after: os.stat_result) -> bool:
    """Whether a file stayed as it was between two looks (a copy still going changes it)."""
    return (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)


def _busy(error: OSError) -> bool:
    """Whether a file cannot be opened because another program is writing it (Windows)."""
    return getattr(error, "winerror", None) in _BUSY_WINERRORS


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the drive may be gone; the hidden name is never listed
