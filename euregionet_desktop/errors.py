"""Expected failures: exceptions whose text is written for the person using the app."""

from __future__ import annotations

from enum import Enum

from euregionet_desktop.i18n import N_, _


class NextStep(Enum):
    """What to do about a refusal, where the way to do it depends on the place the message
    is shown: a command on the command line, a button in the window. The core names the
    step; ``str(error)`` words it for the command line, the window words it for itself
    (ui/error_text.py)."""

    TRUST_KEY = "trust-key"  # trust the partner's key file
    CHOOSE_BACKUP = "choose-backup"  # pick another backup from the list
    CHECK_TEMPLATE = "check-template"  # have the template checked, which names the problem


# The command line's wording of each step (the window's is in ui/error_text.py).
COMMAND_LINE_STEPS: dict[NextStep, str] = {
    NextStep.TRUST_KEY: N_("Compare the fingerprint with the partner, then trust their key "
                           "file with “keys trust FILE”."),
    NextStep.CHOOSE_BACKUP: N_("See the backups with “euregionet backup list”."),
    NextStep.CHECK_TEMPLATE: N_("Check the template with “template check”."),
}


class UserFacingError(Exception):
    """An expected failure with a translated, actionable message.

    The CLI prints ``str(error)`` as one line; the GUI shows it in a message box.
    ``next_step``, when given, is said after ``message`` in the words of the place the
    message is shown (``str()`` gives the command line's).
    """

    def __init__(self, message: str, *, next_step: NextStep | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        if self.next_step is None:
            return self.message
        return f"{self.message} {_(COMMAND_LINE_STEPS[self.next_step])}"


class ValidationError(UserFacingError):
    """A field value was refused; ``field`` names it so forms can show it inline.

    ``problems`` holds every refused field of the same action (field name → message), so a
    form can mark all of them at once; the message itself is the first problem.
    ``row`` is set when the field belongs to the n-th record of a list edited with its
    parent (a follow-up task of a consultation, a measure of an action plan, ...).
    """

    def __init__(self, message: str, *, field: str | None = None, entity: str | None = None,
                 problems: dict[str, str] | None = None, row: int | None = None,
                 next_step: NextStep | None = None):
        super().__init__(message, next_step=next_step)
        self.field = field
        self.entity = entity
        self.problems = problems if problems is not None else (
            {field: message} if field else {})
        self.row = row


class NotFoundError(UserFacingError):
    """A record asked for by id does not exist (or was deleted or erased)."""


class ProfileError(UserFacingError):
    """The profile cannot be used: not initialised, locked by another process, damaged."""


class ProfileLockedError(ProfileError):
    """Another running process holds the profile."""


class BundleError(UserFacingError):
    """A bundle file was refused; nothing was changed."""


class AlreadyImportedError(BundleError):
    """The bundle was imported here before (a copy of it, or the same bundle again)."""


class NotAddressedHereError(BundleError):
    """The bundle is addressed to other offices."""


class TemplateError(UserFacingError):
    """A document template was refused; nothing was written."""


class FileAccessError(UserFacingError):
    """A file could not be read or written (no permission, disk full, folder gone)."""


class BackupError(UserFacingError):
    """A backup could not be made, checked or restored; the database was not changed."""


class DamagedDatabaseError(ProfileError):
    """The profile's database failed SQLite's check; ``backup`` names the newest good
    backup to restore (None when there is none)."""

    def __init__(self, message: str, *, backup: str | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class InterruptedMigrationError(ProfileError):
    """A schema update of the profile did not finish; it is not opened until restored."""


class ErasedRecordError(ValidationError):
    """A write would change a record erased for good, or name one (a reference, an entry
    of a list of references); nothing was written. ``record_id`` is the erased record,
    ``erased_entity`` its kind."""

    def __init__(self, message: str, *, record_id: str, erased_entity: str,
                 field: str | None = None, entity: str | None = None) -> None:
        super().__init__(message, field=field, entity=entity)
        self.record_id = record_id
        self.erased_entity = erased_entity


class TableFileError(UserFacingError):
    """A file offered for import cannot be read as a table (or an address book): not a
    table at all, damaged, too large, an unknown encoding. Nothing was imported."""


class MailboxError(UserFacingError):
    """A mailbox (a shared folder or the office hub) refused or failed an operation;
    nothing was lost: what was not pushed is pushed, what was not imported is pulled, at
    the next sync."""


class MailboxOffline(MailboxError):
    """The mailbox cannot be reached now (no network, the share not mounted, the server
    down): a quiet state, tried again at the next sync."""
