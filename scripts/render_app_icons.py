"""Render the application icon (resources/icons/eu.euregionet.Desktop.svg) to the PNG sizes
the freedesktop hicolor theme expects, under packaging/linux/icons/hicolor/.

Run after changing the SVG: ``QT_QPA_PLATFORM=offscreen python scripts/render_app_icons.py``.
The PNGs are committed (small), so building a package needs no Qt step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "eu.euregionet.Desktop"
SOURCE = ROOT / "resources" / "icons" / f"{APP_ID}.svg"
TARGET = ROOT / "packaging" / "linux" / "icons" / "hicolor"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", 9)  # type: ignore[call-overload]
    return bytes(data.data())


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"not a valid SVG: {SOURCE}", file=sys.stderr)
        return 1
    scalable = TARGET / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    for size in SIZES:
        path = TARGET / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(renderer, size))
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
