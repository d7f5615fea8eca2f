"""The profile directory: database, attachments, keys, backups, logs, and its lock."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock, Timeout

from euregionet_desktop.errors import ProfileLockedError
from euregionet_desktop.i18n import _

APP_NAME = "EuRegioNet"
# The reverse-DNS id of the desktop entry, AppStream component and icon (packaging/linux/).
APP_ID = "eu.euregionet.Desktop"
ENV_DATA_DIR = "EUREGIONET_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_NAME))


@dataclass(frozen=True)
class Profile:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "euregionet.sqlite3"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def import_mappings(self) -> Path:
        """The column mappings last used per kind of spreadsheet (by its headers)."""
        return self.root / "import-mappings.json"

    @property
    def erasure_ledger(self) -> Path:
        """Every erasure recorded here (ids only), so a restored backup cannot bring an
        erased person back."""
        return self.root / "erasures.jsonl"

    @property
    def backups_to_scrub(self) -> Path:
        """Present while the backups may still hold someone erased since they were made
        (left by an interrupted rewrite: the next start finishes it)."""
        return self.root / "backups-to-scrub"

    @property
    def migration_marker(self) -> Path:
        """Present while the database's schema is being updated (left by an interrupted one)."""
        return self.root / "migration-in-progress"

    @property
    def clean_close(self) -> Path:
        """Size and time of the database at the last clean close, and of its last check."""
        return self.root / "clean-close.json"

    @property
    def lock_file(self) -> Path:
        return self.root / "profile.lock"

    @property
    def lock_info(self) -> Path:
        return self.root / "profile.lock.json"

    def create_dirs(self) -> None:
        for directory in (self.root, self.attachments, self.backups, self.logs):
            directory.mkdir(parents=True, exist_ok=True)
        self.keys.mkdir(mode=0o700, parents=True, exist_ok=True)


class ProfileLock:
    """One running process per profile.

    The OS lock (flock / LockFileEx) dies with its process, so a crash leaves no stale
    lock behind; the JSON file beside it only names the holder for the message.
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._lock = FileLock(str(profile.lock_file), timeout=0)

    def acquire(self, purpose: str) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise ProfileLockedError(self._held_message()) from None
        self.profile.lock_info.write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "purpose": purpose,
        }), encoding="utf-8")

    def release(self) -> None:
        if self._lock.is_locked:
            self.profile.lock_info.unlink(missing_ok=True)
            self._lock.release()

    def _held_message(self) -> str:
        try:
            info = json.loads(self.profile.lock_info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        return _("The profile {path} is in use by another EuRegioNet process "
                 "(process {pid} on {host}: {purpose}). Close it first, then try again.").format(
            path=self.profile.root, pid=info.get("pid", "?"), host=info.get("host", "?"),
            purpose=info.get("purpose", "?"))
