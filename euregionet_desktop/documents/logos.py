"""The programme's logos in documents: which image files Word and LibreOffice both show,
and how high the emblem and the programme logo stand side by side (the same height)."""

from __future__ import annotations

# The EU emblem and the programme logo at equal height in a page header (millimetres).
LOGO_HEIGHT_MM = 12.0
# The formats python-docx places in a document (and Word and LibreOffice show); SVG is not
# among them.
LOGO_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def is_printable_image(data: bytes) -> bool:
    """Whether ``data`` is an image a document can hold (PNG, JPEG, GIF, BMP or TIFF)."""
    from docx.image.image import Image

    try:
        image = Image.from_blob(data)
        return image.px_width > 0 and image.px_height > 0
    except Exception:  # any file at all: python-docx's header parsers raise many kinds
        return False
