"""The argparse parser behind ``euregionet`` and each of its commands: one-line usage errors,
options and arguments in any order, and commands made of sub-commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake as one line naming the command's own help (exit
    code 2), and lets a command's options come before, between or after its arguments, also
    where an argument may be left out (``keys trust --yes FILE``, ``backup restore --yes ID``).

    Plain argparse gives an argument that may be left out its default as soon as an option
    comes first, then refuses the argument that follows as unrecognised.
    ``parse_known_intermixed_args`` reads the options first and the arguments after, in two
    passes through ``parse_known_args``; it cannot parse sub-commands, so a parser that has
    them (``euregionet``, ``keys``) reads its line as argparse always does.
    """

    _intermixing = False

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(_("{prog}: {message} (see “{prog} --help”)").format(
            prog=self.prog, message=message) + "\n")
        raise SystemExit(2)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        if self._intermixing or self._subparsers is not None:
            return super().parse_known_args(args, namespace)
        saved_usage = self.usage
        self._intermixing = True
        try:
            # argparse would keep the usage line from its 8th character on, after the English
            # "usage: "; cut the translated word instead.
            self.usage = self.usage or self.format_usage().removeprefix(_("usage: ")).rstrip()
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
            self.usage = saved_usage


def add_group(commands: Any, name: str, *, help_text: str) -> Any:
    """A command made of sub-commands (``keys show|export|trust``); one of them must be
    named, and ``add_action`` adds each."""
    group = commands.add_parser(name, help=help_text, description=help_text)
    return group.add_subparsers(dest="action", metavar=_("COMMAND"), required=True,
                                parser_class=Parser)


def add_action(actions: Any, name: str, *, help_text: str) -> Parser:
    """One sub-command of a group, with its own options and its own ``--help``."""
    return actions.add_parser(name, help=help_text, description=help_text)


def assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``FIELD=VALUE`` arguments as a mapping (``add``, ``edit``, ``initiative step``)."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(
                _("Expected FIELD=VALUE, got “{pair}”.").format(pair=pair))
        values[name.strip()] = value
    return values
