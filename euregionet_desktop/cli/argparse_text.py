"""argparse's own words (usage, help headings, usage errors) in the interface language.

argparse looks its texts up through ``gettext`` with the default domain; it reads the names
``_`` and ``ngettext`` from its module at call time, so pointing them at our catalogs
translates them. The messages a person can meet are listed here so that babel extracts
them into our catalogs (argparse's %-placeholders stay as they are).
"""

from __future__ import annotations

import argparse

from euregionet_desktop import i18n
from euregionet_desktop.i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def expected_arguments(n: int) -> str:
    """argparse's one plural message (here so that babel extracts it with its plural)."""
    return i18n.ngettext("expected %s argument", "expected %s arguments", n)


def translate_argparse() -> None:
    """Let argparse speak the active language."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
