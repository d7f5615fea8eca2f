"""A record's attached files (scans, photos, generated documents) in its detail pane, and
attaching more: dropped from a file manager or chosen, with the kind asked first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.enums import AttachmentKind
from euregionet_desktop.i18n import N_, _, format_date, format_datetime, ngettext
from euregionet_desktop.services.dto import Changes

if TYPE_CHECKING:
    from euregionet_desktop.services.attaching import AttachmentInfo
from euregionet_desktop.ui.backups_page import size_text
from euregionet_desktop.ui.document_dialogs import DocumentPlaces, open_file
from euregionet_desktop.ui.file_dialogs import DOCUMENTS
from euregionet_desktop.ui.file_dialogs import open_file as choose_file
from euregionet_desktop.ui.op_runner import OpRunner

# services.attaching brings services.documents (python-docx): imported where a file is
# attached or listed, as the Documents view does.

# The kinds a person chooses from, in this order; "File" reads as "other file" here.
KIND_CHOICES: tuple[tuple[AttachmentKind, str], ...] = (
    (AttachmentKind.SIGNED_ATTENDANCE, N_("Signed attendance list")),
    (AttachmentKind.PHOTO, N_("Photo")),
    (AttachmentKind.SIGNED_AGREEMENT, N_("Signed agreement")),
    (AttachmentKind.DECLARATION, N_("Signed declaration")),
    (AttachmentKind.FILE, N_("Other file")),
)

# Columns of the list.
NAME, KIND, SIZE, ADDED = range(4)
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the attachment's id


def dropped_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files of a drop (a file manager's), folders left out."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls()
            if url.isLocalFile() and not Path(url.toLocalFile()).is_dir()]



def lay_out_tab(tab: QWidget, buttons: tuple[QPushButton, ...], body: QWidget, hint: str,
                hint_name: str) -> None:
    """A detail pane's tab of records kept beside the record (attachments, notes): a row
    of buttons, the list, and a grey hint under it."""
    label = QLabel(hint, objectName=hint_name)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text)")
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(row)
    layout.addWidget(body, 1)
    layout.addWidget(label)


class RecordSideTab(QWidget):
    """A detail pane's tab of what is kept beside a record (its attachments, its notes):
    read in the background when first shown, and again after a change to the record."""

    loaded = Signal()  # what belongs to the record shown last has arrived

    def __init__(self, runner: OpRunner, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.record_id: str | None = None
        self.loaded_for: str | None = None
        self._stale = False

    def _reader(self) -> Callable[..., Any]:
        """The read (session, entity, record_id) whose result ``_arrived`` shows."""
        raise NotImplementedError

    def _arrived(self, record_id: str, found: Any) -> None:
        raise NotImplementedError

    def _show(self, record_id: str) -> None:
        if record_id == self.record_id:
            self._stale = True  # the same record after a change: read it again
        self.record_id = record_id
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self.record_id or (self.loaded_for == self.record_id and not self._stale):
            return
        if self.loaded_for != self.record_id:
            self.list.clear()  # not the last record's meanwhile
        record_id = self.loaded_for = self.record_id
        self._stale = False
        self.runner.query(self, self._reader(), entity=self.entity, record_id=record_id,
                          on_done=lambda found: self._arrived(record_id, found))

class AttachmentKindDialog(QDialog):
    """What the files are: the evidence they give decides what an indicator counts as
    proven."""

    def __init__(self, parent: QWidget | None, *, default: str, files: list[Path],
                 record_label: str) -> None:
        super().__init__(parent)
        self.setObjectName("attachKindDialog")
        self.setWindowTitle(_("Attach files"))
        self.setMinimumWidth(380)  # a long record name on two lines, not five
        layout = QVBoxLayout(self)
        names = "\n".join(f"• {path.name}" for path in files[:8])
        if len(files) > 8:
            names += "\n" + ngettext("… and {count} more", "… and {count} more",
                                     len(files) - 8).format(count=len(files) - 8)
        intro = QLabel(ngettext("Attach this file to “{record}”:",
                                "Attach these {count} files to “{record}”:", len(files)).format(
            record=record_label, count=len(files)) + "\n" + names)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        layout.addWidget(QLabel(_("What is it?")))
        self.group = QButtonGroup(self)
        for kind, label in KIND_CHOICES:
            button = QRadioButton(_(label), objectName=f"kind_{kind.value}")
            button.setProperty("kind", kind.value)
            self.group.addButton(button)
            layout.addWidget(button)
            button.setChecked(kind.value == default)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Attach"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def kind(self) -> str:
        return self.group.checkedButton().property("kind")

    @classmethod
    def ask(cls, parent: QWidget | None, *, default: str, files: list[Path],
            record_label: str) -> str | None:
        dialog = cls(parent, default=default, files=files, record_label=record_label)
        return dialog.kind() if dialog.exec() == QDialog.DialogCode.Accepted else None


def attach_paths(parent: QWidget, runner: OpRunner, *, entity: str, record_id: str,
                 record_label: str, paths: list[Path],
                 on_done: Callable[[Changes], None] | None = None) -> None:
    """Ask what the files are, then attach them all in the background (one action,
    undone as one; none of them if any cannot be attached); the window's status bar says
    what was attached."""
    from euregionet_desktop.services.attaching import attach_files, default_kind

    if not paths:
        return
    kind = AttachmentKindDialog.ask(parent, default=default_kind(entity).value, files=paths,
                                    record_label=record_label)
    if kind is None:
        return

    def attached(changes: Changes) -> None:
        label = _(next(text for k, text in KIND_CHOICES if k.value == kind))
        if len(paths) == 1:
            text = _("“{file}” attached as {kind}.").format(file=paths[0].name, kind=label)
        else:
            text = ngettext("{count} file attached as {kind}.",
                            "{count} files attached as {kind}.", len(paths)).format(
                count=len(paths), kind=label)
        window = parent.window()
        while window is not None and not isinstance(window, QMainWindow):
            window = window.parentWidget().window() if window.parentWidget() else None
        if window is not None:
            window.statusBar().showMessage(text, 8000)
        if on_done is not None:
            on_done(changes)

    runner.start(parent, attach_files, title=_("Attaching files"), profile=runner.profile,
                 entity=entity, record_id=record_id, paths=paths, kind=kind, on_done=attached)


class AttachmentsTab(RecordSideTab):
    """The files attached to the record a detail pane shows; read when first shown."""

    def __init__(self, runner: OpRunner, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, entity, parent)
        self.places = DocumentPlaces()  # the window gives its own (remembered folders)
        self.record_label = ""
        self.setObjectName("attachmentsTab")
        self.list = QTreeWidget(objectName="attachmentsList")
        self.list.setAccessibleName(_("Attachments"))
        self.list.setHeaderLabels([_("File"), _("Kind"), _("Size"), _("Added")])
        self.list.setRootIsDecorated(False)
        # The name takes the room the kind, size and date leave (cut in the middle, where
        # a scan's long name repeats least); the pane is often narrow.
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.Interactive)
        for column in (SIZE, ADDED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(lambda _item, _column: self.open_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.attach_button = QPushButton(_("Attach file…"), objectName="attachFile")
        self.attach_button.setToolTip(_("Attach a scan, a photo or another file to this "
                                        "record. You can also drop files on it."))
        self.attach_button.clicked.connect(self.choose_and_attach)
        self.open_button = QPushButton(_("Open"), objectName="openAttachment")
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(_("Remove"), objectName="removeAttachment")
        self.remove_button.clicked.connect(self.remove_selected)
        lay_out_tab(self, (self.attach_button, self.open_button, self.remove_button),
                    self.list, _("Drop files from your file manager here to attach them."),
                    "attachmentsHint")
        self._update_buttons()

    # --- the list ------------------------------------------------------------------------
    def show_owner(self, record_id: str, label: str) -> None:
        self.record_label = label
        self._show(record_id)

    def _reader(self) -> Callable[..., Any]:
        from euregionet_desktop.services.attaching import attachments_of

        return attachments_of

    def _arrived(self, record_id: str, found: tuple[AttachmentInfo, ...]) -> None:
        if record_id != self.loaded_for:
            return
        self.list.clear()
        for info in found:
            added = moment = ""
            if info.added_at:
                try:
                    when = dt.datetime.fromisoformat(info.added_at).astimezone()  # UTC stored
                    added, moment = format_date(when.date()), format_datetime(when)
                except ValueError:
                    added = moment = info.added_at
            item = QTreeWidgetItem(self.list, [
                info.file_name, info.kind_label,
                size_text(info.size) if info.size is not None else "", added])
            item.setData(NAME, ID_ROLE, info.id)
            item.setToolTip(NAME, info.file_name)
            item.setToolTip(KIND, info.kind_label)
            item.setToolTip(ADDED, moment)
            item.setTextAlignment(SIZE, Qt.AlignmentFlag.AlignRight
                                  | Qt.AlignmentFlag.AlignVCenter)
        # The kind as wide as it needs, up to a share of the list: the name comes first.
        self.list.resizeColumnToContents(KIND)
        header = self.list.header()
        header.resizeSection(KIND, min(header.sectionSize(KIND),
                                       max(self.list.viewport().width() // 3, 90)))
        self._update_buttons()
        self.loaded.emit()

    def current_id(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(NAME, ID_ROLE) if items else None

    def _update_buttons(self) -> None:
        one = self.current_id() is not None
        self.open_button.setEnabled(one)
        self.remove_button.setEnabled(one)

    # --- attaching -------------------------------------------------------------------------
    def choose_and_attach(self) -> None:
        path = choose_file(self, self.places, DOCUMENTS, _("Attach a file"),
                           _("All files (*)"))
        if path is not None:
            self.attach([path])

    def accepts(self, paths: list[Path]) -> bool:
        return bool(paths) and self.record_id is not None

    def drop(self, event: QDropEvent) -> None:
        """Files dropped on the record: attached once the drop is over (the file manager
        waits for it), after the kind is asked."""
        paths = dropped_paths(event)
        if not self.accepts(paths):
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.attach(paths))

    def attach(self, paths: list[Path]) -> None:
        if self.record_id is not None:
            attach_paths(self, self.runner, entity=self.entity, record_id=self.record_id,
                         record_label=self.record_label, paths=paths,
                         on_done=lambda _changes: self._attached())

    def _attached(self) -> None:
        self._stale = True
        if self.isVisible():
            self.ensure_loaded()

    # --- the selected file -----------------------------------------------------------------
    def open_selected(self) -> None:
        from euregionet_desktop.services import documents

        attachment_id = self.current_id()
        if attachment_id is None:
            return
        path = self.runner.read(self, documents.openable_copy, profile=self.runner.profile,
                                attachment_id=attachment_id)
        if path is not None and not open_file(path):
            QMessageBox.information(self, _("Open the file"), _(
                "No program for this kind of file is set up on this computer. A copy is "
                "saved as {path}.").format(path=path))

    def remove_selected(self) -> None:
        from euregionet_desktop.services.attaching import remove_attachment

        attachment_id = self.current_id()
        if attachment_id is not None:
            self.runner.write(self, remove_attachment, attachment_id=attachment_id)
