"""Person report… for a contact person (GDPR Art. 15 and 20): the file is chosen (a Word
document to read, or JSON for another system), the report is written in the background,
and a message says where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from euregionet_desktop.i18n import LANGUAGES, _, current_language
from euregionet_desktop.services import person_report_files, records
from euregionet_desktop.services.documents import safe_file_name
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.file_dialogs import DOCUMENTS, save_file
from euregionet_desktop.ui.op_runner import OpRunner


def report_filters() -> str:
    return ";;".join([_("Word document (*.docx)"), _("JSON for another system (*.json)")])


def ask_person_report(parent: QWidget | None, runner: OpRunner, places: DocumentPlaces, *,
                      contact_id: str, done: Callable[[str], None] | None = None) -> None:
    """Ask where, then write the report on the contact person in their preferred language
    (else the window's); a message says where it was written."""
    record = runner.read(parent, records.get, entity="contact", record_id=contact_id)
    if record is None:
        return
    path = save_file(parent, places, DOCUMENTS, _("Person report"),
                     safe_file_name(_("Personal data – {name}.docx").format(name=record.label)),
                     report_filters())
    if path is None:
        return
    if not path.suffix:
        path = path.with_name(f"{path.name}.docx")
    preferred = record.values.get("language")
    language = preferred if preferred in LANGUAGES else current_language()

    def finished(written: Path) -> None:
        text = _("The report on the data held about {name} was written to {path}.").format(
            name=record.label, path=written)
        if done is not None:
            done(text)
        QMessageBox.information(parent, _("Person report"), text)

    runner.start(parent, person_report_files.person_report_file,
                 title=_("Writing the person report…"), write=False, on_done=finished,
                 contact_id=contact_id, path=path, lang=language)
