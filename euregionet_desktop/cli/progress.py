"""Progress of long work on stderr (DESIGN §7), for every command that reports it."""

from __future__ import annotations

import sys

from euregionet_desktop.i18n import _


def show_progress(stage: str, done: int, total: int) -> None:
    """One updating line on a terminal, else one line per stage when it is done. ``stage``
    is an entity (its label is shown) or an N_() text."""
    from euregionet_desktop.services.entities import ENTITY_LABELS

    name = _(ENTITY_LABELS.get(stage, stage))
    line = _("{stage}: {done} of {total}").format(stage=name, done=done, total=total)
    if sys.stderr.isatty():
        sys.stderr.write("\r" + line + "\033[K" + ("\n" if done >= total else ""))
    elif done >= total:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
