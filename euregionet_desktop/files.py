"""Writing files so that a crash, a full disk or a pulled USB stick never leaves half a file.

Every file the app writes under its final name goes through ``atomic_write``: the bytes go
to a temporary file in the same folder, are flushed and fsynced, then renamed over the
target (atomic on one file system), and the folder is fsynced so the rename itself survives
a power cut. A failure removes the temporary file (and a new file whose rename could not
be made durable) and raises ``FileAccessError`` with a message that says what happened
(disk full, read-only, drive gone, no permission). ``no_room`` tells a full disk from a
failing one after SQLite, which reports both as an I/O error, could not write.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
import uuid
from pathlib import Path

from euregionet_desktop.errors import FileAccessError
from euregionet_desktop.i18n import _

PARTIAL_SUFFIX = ".partial"
STALE_AFTER_SECONDS = 600
# Below this much free space a failed write is taken for a full disk.
LOW_SPACE = 4 << 20
# Writes go a page (or a WAL frame) at a time: a file this close to the largest size the
# process may write has reached it.
LIMIT_SLACK = 64 << 10


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` for the bytes on their way (never the final name)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}")


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    ``mode`` (such as 0o600 for private keys) is set on the temporary file before any byte
    is written; without it the file gets the usual permissions (0o666 less the umask).
    """
    temporary = temporary_name(path)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temporary, flags, 0o666 if mode is None else mode)
        try:
            if mode is not None:
                os.chmod(temporary, mode)  # the umask may have taken bits away
            view = memoryview(data)
            while view:
                written = os.write(fd, view)  # may write less than asked (full disk)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        remove_quietly(temporary)
        raise file_error(error, path) from None
    except BaseException:
        remove_quietly(temporary)
        raise
    _move_into_place(temporary, path)
    # A crash while writing this name before left its temporary file (its random part
    # means no later write reuses it): the name is whole now, so those can go.
    # (Only old ones: a write of the same name may be under way in another thread.)
    for stale in path.parent.glob(f".{glob_escape(path.name)}.*{PARTIAL_SUFFIX}"):
        try:
            if time.time() - stale.stat().st_mtime > STALE_AFTER_SECONDS:
                remove_quietly(stale)
        except OSError:
            pass  # gone already (another write cleaned it), or the drive went: leave it


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def commit_file(temporary: Path, path: Path) -> None:
    """Move a finished temporary file into place, fsynced first (for files written by
    others, such as SQLite's ``VACUUM INTO``); on failure the temporary file is removed."""
    try:
        fd = os.open(temporary, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        remove_quietly(temporary)
        raise file_error(error, path) from None
    _move_into_place(temporary, path)


def _move_into_place(temporary: Path, path: Path) -> None:
    """Rename ``temporary`` over ``path`` and make the rename durable.

    A failure leaves ``path`` as it was where that is possible: a file that did not exist
    before is removed again when the rename cannot be made durable (the caller reports
    that nothing was written, so nothing must appear). A file that was replaced cannot
    be brought back; the new one is whole, so it stays.
    """
    existed = os.path.lexists(path)
    try:
        os.replace(temporary, path)
    except OSError as error:
        remove_quietly(temporary)
        raise file_error(error, path) from None
    except BaseException:
        remove_quietly(temporary)
        raise
    try:
        fsync_folder(path.parent)
    except OSError as error:
        if not existed:
            remove_quietly(path)
        raise file_error(error, path) from None


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) if missing; FileAccessError says why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise file_error(error, folder) from None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        # Some file systems (network shares, FUSE) cannot fsync a folder; the rename is
        # then as durable as they make it, which is not an error of ours.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def remove_leftovers(folder: Path) -> int:
    """Delete temporary files a crash left behind in ``folder``; returns how many."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.glob(f".*{PARTIAL_SUFFIX}"):
            remove_quietly(leftover)
            removed += 1
    return removed


def remove_quietly(path: Path) -> None:
    """Delete ``path`` if it is there, saying nothing if that fails too (a drive gone)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # the drive may be gone; nothing more can be done about the file here


def no_room(*paths: Path) -> bool:
    """Whether writing ``paths`` (files, or the folders they go to) failed for want of
    room: little free space left there, or a file at the largest size this process may
    write (RLIMIT_FSIZE). SQLite reports both as a mere I/O error; ask this after one."""
    for path in paths:
        try:
            folder = path if path.is_dir() else path.parent
            if shutil.disk_usage(folder).free < LOW_SPACE:
                return True
        except OSError:
            continue  # gone: a drive removed, not a full one
    limit = _file_size_limit()
    if limit is None:
        return False
    for path in paths:
        try:
            if os.stat(path).st_size >= limit - LIMIT_SLACK:
                return True
        except OSError:
            continue
    return False


def _file_size_limit() -> int | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def file_error(error: OSError, path: Path) -> FileAccessError:
    """A message a person can act on for an I/O error on ``path``."""
    code = error.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        message = _("The disk holding {path} is full. Nothing was saved there; free some "
                    "space and try again.")
    elif code == errno.EROFS:
        message = _("{path} is on a read-only drive. Choose a folder you can write to.")
    elif code in (errno.EACCES, errno.EPERM):
        message = _("You may not write to {path}. Choose another folder or check its "
                    "permissions.")
    elif code in (errno.EIO, errno.ENODEV, errno.ENXIO, getattr(errno, "ENOMEDIUM", -1)):
        message = _("The drive holding {path} cannot be read or written (was it removed?). "
                    "Nothing was saved there; reconnect it and try again.")
    elif code == errno.ENOENT:
        message = _("The folder of {path} does not exist (any more). Choose another one.")
    else:
        message = _("Cannot write {path}: {reason}")
    return FileAccessError(message.format(path=path, reason=error.strerror or error))
