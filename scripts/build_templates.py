"""Write the default Word templates to resources/templates/ from their description in code.

    .venv/bin/python scripts/build_templates.py [--check]

Run it after changing euregionet_desktop/documents/defaults.py (or template_builder.py,
docx_build.py) or a Polish/German catalog;
``--check`` writes nothing and exits 1 if a committed template differs from its build.
"""

from __future__ import annotations

import argparse
import sys

from euregionet_desktop.documents.defaults import (
    TEMPLATES_DIR,
    build_template,
    template_file_name,
)
from euregionet_desktop.documents.schema import DOCUMENT_LANGUAGES, KINDS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report templates that differ from their build")
    args = parser.parse_args()
    TEMPLATES_DIR.mkdir(parents=True, exist_ok=True)
    stale = []
    for kind in KINDS:
        for language in DOCUMENT_LANGUAGES:
            path = TEMPLATES_DIR / template_file_name(kind, language)
            data = build_template(kind, language)
            if path.exists() and path.read_bytes() == data:
                continue
            stale.append(path.name)
            if not args.check:
                path.write_bytes(data)
                print(f"wrote {path}", file=sys.stderr)
    if args.check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
