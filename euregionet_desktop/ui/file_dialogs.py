"""Choosing a file to open or save: the dialog starts in the folder last used for the same
purpose (the documents folder at first) and remembers the one chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from euregionet_desktop.ui.document_dialogs import DocumentPlaces

# What a file is chosen for; each remembers its own folder.
BUNDLES_IN, BUNDLES_OUT, KEY_FILES, DOCUMENTS = "bundles-in", "bundles-out", "keys", "documents"


def open_file(parent: QWidget | None, places: DocumentPlaces, purpose: str, caption: str,
              file_filter: str) -> Path | None:
    """The file chosen to open, or None."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, caption, str(places.folder(purpose)),
                                                  file_filter)
    return _chosen(places, purpose, chosen)


def save_file(parent: QWidget | None, places: DocumentPlaces, purpose: str, caption: str,
              name: str, file_filter: str) -> Path | None:
    """Where to save a file suggested as ``name``, or None."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(places.folder(purpose) / name), file_filter)
    return _chosen(places, purpose, chosen)


def _chosen(places: DocumentPlaces, purpose: str, chosen: str) -> Path | None:
    if not chosen:
        return None
    path = Path(chosen)
    places.remember(folder=path.parent, purpose=purpose)
    return path
