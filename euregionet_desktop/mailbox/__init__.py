"""Mailboxes: where installations leave bundles for each other (issue 18, DESIGN §10).

A mailbox stores and lists opaque bundles — signed and age-encrypted as ``bundle export``
makes them — and never reads them: the merge stays on the laptops. Two backends keep one
contract (``base.Mailbox``): a folder (``folder.FolderMailbox``: a mounted share, a
cloud-synced folder, a USB stick) and the office hub on PostgreSQL
(``postgres.PostgresMailbox``). ``open_mailbox(url)`` picks one by the URL.
"""

from __future__ import annotations

from euregionet_desktop.mailbox.base import Mailbox, Posted, Waiting


def open_mailbox(url: str) -> Mailbox:
    """The mailbox at ``url``: ``postgresql://…`` (or ``postgres://…``) is the hub, anything
    else a folder path."""
    if url.startswith(("postgresql://", "postgres://")):
        from euregionet_desktop.mailbox.postgres import PostgresMailbox

        return PostgresMailbox(url)
    from euregionet_desktop.mailbox.folder import FolderMailbox

    return FolderMailbox(url)


__all__ = ["Mailbox", "Posted", "Waiting", "open_mailbox"]
