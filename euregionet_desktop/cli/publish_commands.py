"""``publish -o DIR``: the cluster directory and the programme's results as a static
website in Polish and German (issue 19)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from euregionet_desktop.i18n import _, ngettext


def cmd_publish(core, args) -> int:
    from euregionet_desktop.services import publish

    output = Path(args.output)
    publish.check_output(output)  # refused before anything is read or written
    pages = core.backend.read(publish.publish, output=output)
    print(ngettext("{count} page published in {path} (start with {start}).",
                   "{count} pages published in {path} (start with {start}).",
                   pages).format(count=pages, path=output.absolute(),
                                 start=publish.start_page(output)))
    return 0


COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {"publish": cmd_publish}


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("publish", help=_(
        "write the cluster directory and the programme's results as a website in Polish "
        "and German"))
    p.add_argument("-o", "--output", required=True, metavar=_("FOLDER"),
                   help=_("a new or empty folder, or one an earlier publication went to"))
