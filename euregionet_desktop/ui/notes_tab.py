"""The notes on a record in its detail pane (newest first; private ones with a lock), and
the small dialog a note is written or changed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import N_, _, format_datetime
from euregionet_desktop.services import notes
from euregionet_desktop.services.dto import NoteDTO
from euregionet_desktop.ui.attachments_tab import RecordSideTab, lay_out_tab
from euregionet_desktop.ui.icons import icon
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.scores_editor import WrappingDelegate

LOCK_ICON = "changes-prevent"  # a padlock (freedesktop name; ours where the theme has none)
PRIVATE_TIP = N_("Private: stays at this office, never sent to partners")

NOTE_ROLE = Qt.ItemDataRole.UserRole + 1  # the NoteDTO of a row
SHOWN_CHARS = 600  # of a note's text in the list (the tooltip and Edit… have all of it)


def note_time(iso: str) -> str:
    """A stored moment (ISO, UTC) in the person's time zone and way of writing dates."""
    try:
        return format_datetime(dt.datetime.fromisoformat(iso).astimezone())
    except ValueError:
        return iso


def mark_private(item: QTreeWidgetItem, column: int) -> None:
    """The lock and its explanation on a private note's row (the Notes and History tabs)."""
    item.setIcon(column, icon(LOCK_ICON))
    for n in range(item.columnCount()):
        item.setToolTip(n, _(PRIVATE_TIP))


class NoteDialog(QDialog):
    """A note's text and, for a new note, whether it stays at this office."""

    def __init__(self, parent: QWidget | None, *, title: str, text: str = "",
                 private: bool = False, new: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.text = QPlainTextEdit(objectName="noteText")
        self.text.setPlainText(text)
        self.text.setAccessibleName(_("Note"))
        self.text.setTabChangesFocus(True)
        self.private = QCheckBox(_("Private (stays at this office)"), objectName="notePrivate")
        self.private.setChecked(private)
        self.private.setToolTip(_(PRIVATE_TIP))
        # A note once written stays what it was: shared notes have gone to partners already.
        self.private.setEnabled(new)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.text.toPlainText().strip())))
        self.ok.setEnabled(bool(text.strip()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.private)
        layout.addWidget(buttons)
        self.resize(460, 260)

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, text: str = "", private: bool = False,
            new: bool = True) -> tuple[str, bool] | None:
        """The text and privacy chosen; None if the person cancelled."""
        dialog = cls(parent, title=title, text=text, private=private, new=new)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.text.toPlainText(), dialog.private.isChecked()


def confirm_private_delete(parent: QWidget | None) -> bool:
    """A private note is deleted for good (no undo): asked first."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Delete note"),
                      _("Delete this private note?"), parent=parent)
    box.setObjectName("deletePrivateNote")
    box.setInformativeText(_("Private notes are kept at this office only; a deleted one "
                             "cannot be brought back with Undo."))
    delete = box.addButton(_("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


class NotesTab(RecordSideTab):
    """The notes on the record a detail pane shows; read when first shown."""

    def __init__(self, runner: OpRunner, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, entity, parent)
        self.setObjectName("notesTab")
        # One note a row: when and who on its first line, the text wrapped under it (the
        # pane is narrow; in columns the text, which matters most, was cut to a word).
        self.list = QTreeWidget(objectName="notesList")
        self.list.setAccessibleName(_("Notes"))
        self.list.setHeaderHidden(True)
        self.list.setColumnCount(1)
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        WrappingDelegate(self.list, (0,))  # rows as high as their text wrapped
        self.list.itemActivated.connect(lambda _item, _column: self.edit_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(_("Add note…"), objectName="addNote")
        self.add_button.clicked.connect(self.add_note)
        self.edit_button = QPushButton(_("Edit…"), objectName="editNote")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Delete"), objectName="deleteNote")
        self.delete_button.clicked.connect(self.delete_selected)
        lay_out_tab(self, (self.add_button, self.edit_button, self.delete_button), self.list,
                    _("Shared notes go to the partner offices; private ones (with the lock) "
                      "stay at this office."), "notesHint")
        self._update_buttons()

    # --- the list ------------------------------------------------------------------------
    def show_owner(self, record_id: str) -> None:
        self._show(record_id)

    def _reader(self) -> Callable[..., Any]:
        return notes.notes_about

    def _arrived(self, record_id: str, found: list[NoteDTO]) -> None:
        if record_id != self.loaded_for:
            return
        self.list.clear()
        blank = QPixmap(16, 16)
        blank.fill(Qt.GlobalColor.transparent)
        for note in reversed(found):  # newest first
            text = note.body if len(note.body) <= SHOWN_CHARS else (
                note.body[:SHOWN_CHARS - 1] + "…")
            heading = " · ".join(p for p in (note_time(note.created_at), note.author) if p)
            item = QTreeWidgetItem(self.list, [f"{heading}\n{text}"])
            item.setData(0, NOTE_ROLE, note)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            if note.private:
                mark_private(item, 0)
                item.setToolTip(0, "\n\n".join((_(PRIVATE_TIP), note.body)))
            else:
                item.setIcon(0, QIcon(blank))  # the text in line with the private notes'
                item.setToolTip(0, note.body)
        self._update_buttons()
        self.loaded.emit()

    def notes_shown(self) -> list[NoteDTO]:
        return [self.list.topLevelItem(n).data(0, NOTE_ROLE)
                for n in range(self.list.topLevelItemCount())]

    def current_note(self) -> NoteDTO | None:
        items = self.list.selectedItems()
        return items[0].data(0, NOTE_ROLE) if items else None

    def _update_buttons(self) -> None:
        one = self.current_note() is not None
        self.edit_button.setEnabled(one)
        self.delete_button.setEnabled(one)

    # --- writing -------------------------------------------------------------------------
    def add_note(self) -> None:
        if self.record_id is None:
            return
        answer = NoteDialog.ask(self, title=_("Add note"))
        if answer is not None:
            self._write(notes.add_note, entity=self.entity, record_id=self.record_id,
                        body=answer[0], private=answer[1])

    def edit_selected(self) -> None:
        note = self.current_note()
        if note is None:
            return
        answer = NoteDialog.ask(self, title=_("Edit note"), text=note.body,
                                private=note.private, new=False)
        if answer is not None:
            self._write(notes.edit_note, note_id=note.id, private=note.private,
                        body=answer[0])

    def delete_selected(self) -> None:
        note = self.current_note()
        if note is None or (note.private and not confirm_private_delete(self)):
            return
        self._write(notes.delete_note, note_id=note.id, private=note.private)

    def _write(self, fn, **kwargs) -> None:
        if self.runner.write(self, fn, **kwargs) is not None:
            self._stale = True
            self.ensure_loaded()
