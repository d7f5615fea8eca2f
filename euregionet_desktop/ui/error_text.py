"""A refusal's text as the window says it: its next step named by the window's buttons and
places, where the core's ``str(error)`` names a command."""

from __future__ import annotations

from euregionet_desktop.errors import NextStep, UserFacingError
from euregionet_desktop.i18n import N_, _

# The window's wording of each step (the command line's is in errors.py); a step missing
# here would fall back to the command, which test_error_text.py does not let happen.
WINDOW_STEPS: dict[NextStep, str] = {
    NextStep.TRUST_KEY: N_("Compare the fingerprint with the partner, then trust their key "
                           "file in the Sync view with “Trust a partner's key file…”."),
    NextStep.CHOOSE_BACKUP: N_("Choose another backup in Settings, on the Backups tab."),
    NextStep.CHECK_TEMPLATE: N_("Check the template: load it in the Documents view with "
                                "“Load an edited template…”, which names what is wrong."),
}


def window_text(error: UserFacingError) -> str:
    """What the window shows for ``error``."""
    if error.next_step is None:
        return error.message
    return f"{error.message} {step_text(error.next_step)}"


def step_text(step: NextStep) -> str:
    """A next step as the window says it, for a message of the window's own."""
    return _(WINDOW_STEPS[step])
