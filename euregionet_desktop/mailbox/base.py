"""The mailbox contract both backends keep (folder and PostgreSQL).

A bundle is pushed once (``push``; pushing the same bytes again changes nothing), listed for
the installations of the offices it is addressed to (``waiting``) and fetched by its key
(``fetch``). The caller (services.hub) remembers which keys it has handled and the cursor a
backend hands back; a backend never decides what a laptop has imported. Every method raises
``MailboxOffline`` when the mailbox cannot be reached and ``MailboxError`` (a translated
message) when it refuses; neither leaves a partial bundle behind.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cached_property

# The extension of a bundle file (as ``bundle export`` writes it).
BUNDLE_SUFFIX = ".eurnet"


@dataclass(frozen=True)
class Posted:
    """A bundle to push: the bytes as ``bundle export`` made them (signed, encrypted) and
    what the hub may know of it without reading it."""

    bundle_id: str  # the manifest's bundle id (a UUID)
    origin_office: str  # office code of the installation that made it
    origin_installation: str  # its installation id (a UUID)
    recipients: tuple[str, ...]  # office codes it is addressed to
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Waiting:
    """What a mailbox holds that this installation has not handled yet: the keys to fetch
    (in the order to fetch them), and the cursor to hand to the next ``waiting`` once all of
    them are handled (None: the backend keeps none)."""

    keys: tuple[str, ...]
    cursor: str | None
    incomplete: tuple[str, ...] = ()  # keys not whole yet (a cloud client still copying)


class Mailbox(ABC):
    """Where installations leave bundles for each other."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where it is, as a person reads it (never with a password)."""

    @abstractmethod
    def push(self, posted: Posted) -> bool:
        """Leave a bundle; False when the mailbox already held it (same id or same bytes).
        All or nothing: an interrupted push leaves no bundle that ``waiting`` lists."""

    @abstractmethod
    def waiting(self, *, office: str, installation: str, cursor: str | None,
                handled: Container[str]) -> Waiting:
        """The bundles for ``office`` not made by ``installation``, after ``cursor`` and not
        in ``handled`` (keys this installation has imported or set aside)."""

    def key_of(self, posted: Posted) -> str:
        """The key the mailbox lists a pushed bundle by (the bundle id; a folder: its file
        name)."""
        return posted.bundle_id

    @abstractmethod
    def fetch(self, key: str) -> bytes | None:
        """A bundle's bytes; None when it is gone or not whole yet (tried again later)."""

    @abstractmethod
    def prune(self, keys: Iterable[str]) -> int:
        """Remove these bundles (made by this office, acknowledged by every office); how
        many went."""

    def close(self) -> None:  # noqa: B027 - a backend without a connection has nothing to close
        """Let go of connections."""

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
