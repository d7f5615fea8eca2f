"""Small real image files for tests (the programme's logos), made without an image library."""

from __future__ import annotations

import struct
import zlib


def png(width: int, height: int, rgb: tuple[int, int, int] = (0, 51, 153)) -> bytes:
    """A PNG of one colour with a yellow band in the middle (so a logo is seen on a page)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = []
    for y in range(height):
        band = height // 3 <= y < 2 * height // 3
        pixel = bytes((255, 204, 0)) if band else bytes(rgb)
        rows.append(b"\x00" + pixel * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
