"""File ▸ Publish…: the website of the cluster directory and the programme's results
(``services.publish``), written in the background into a folder the person chooses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from euregionet_desktop.i18n import _
from euregionet_desktop.services import publish
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.op_runner import OpRunner


def publish_site(parent: QWidget, runner: OpRunner, places: DocumentPlaces) -> None:
    chosen = QFileDialog.getExistingDirectory(
        parent, _("Publish the website into a folder (a new or empty one)"),
        str(places.folder("website")))
    if not chosen:
        return
    output = Path(chosen)

    def done(_pages: int) -> None:
        places.remember(folder=output.parent, purpose="website")
        QMessageBox.information(parent, _("Publish the website"), _(
            "The website is in {path}. Open {start} in a browser to see it, or copy the "
            "folder to a web server.").format(path=output, start=publish.start_page(output)))

    runner.start(parent, publish.publish, title=_("Publishing the website"), write=False,
                 on_done=done, output=output)
