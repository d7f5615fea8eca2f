"""Pictures of the published website without a browser (issue 19): a demo profile is
published and two pages (the Polish start page, a German cluster page) are drawn by Qt's
rich-text engine (QTextBrowser, which reads the linked style sheet) into PNG files.

    QT_QPA_PLATFORM=offscreen python scripts/site_screenshots.py /tmp/shots-site

Qt's engine knows only part of CSS (no grid, no focus outlines), so the pictures show the
text, headings, tables and links as laid out, not a browser's exact rendering.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QTextBrowser

from euregionet_desktop.cli import main


def grab(page: Path, out: Path, size: tuple[int, int]) -> None:
    browser = QTextBrowser()
    browser.resize(*size)
    browser.setSearchPaths([str(page.parent), str(page.parent.parent)])
    browser.setSource(QUrl.fromLocalFile(str(page)))
    browser.show()
    QApplication.processEvents()
    browser.grab().save(str(out))
    browser.close()
    print(out)


def run() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="shots-site")
    parser.add_argument("--site", help="an already published site (else a demo profile's)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(args.site) if args.site else Path(scratch) / "site"
        if not args.site:
            data = Path(scratch) / "profile"
            for argv in (["init", "--office", "LOP", "--advisor", "Anna Nowak"], ["demo-data"],
                         ["publish", "-o", str(site)]):
                if main(["--data-dir", str(data), "--lang", "en", *argv]) != 0:
                    return 1
        grab(site / "pl" / "index.html", out / "site_pl_index.png", (1024, 1400))
        cluster = sorted((site / "de").glob("cluster-*.html"))[0]
        grab(cluster, out / "site_de_cluster.png", (1024, 900))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(run())
