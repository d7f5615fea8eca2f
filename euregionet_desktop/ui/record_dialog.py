"""Add or edit a record (with the records that belong on its form) in a dialog."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.services import editing, records
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.entities import ENTITY_LABELS, SYSTEM_ENTITIES
from euregionet_desktop.services.relation_table import CHILDREN
from euregionet_desktop.ui.attachments_tab import attach_paths, dropped_paths
from euregionet_desktop.ui.child_rows import ChildSection
from euregionet_desktop.ui.duplicate_hints import WATCHED, DuplicateHints
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_form import RecordForm, error_banner, focus_target
from euregionet_desktop.ui.scores_editor import ScoresEditor
from euregionet_desktop.ui.screen_fit import content_height, fit_to_screen

# Records edited on their parent's form: (entity, link field, title, columns, object name),
# from the one table of references.
CHILD_SECTIONS: dict[str, tuple[tuple[str, str, str, tuple[str, ...], str], ...]] = {
    parent: tuple((r.entity, r.field, r.child.label, r.child.columns, r.child.key)
                  for r in children if r.child is not None)
    for parent, children in CHILDREN.items()
}


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity])


class RecordDialog(QDialog):
    """The form of one record; Save (Ctrl+S) stores it and its child rows in one step."""

    def __init__(self, runner: OpRunner, entity: str, *, record_id: str | None = None,
                 preset: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.record_id = record_id
        self.changes: Changes | None = None
        self.setObjectName("recordDialog")
        self.form = RecordForm(runner, entity)
        # "Possibly the same as …" while an organisation or a contact is typed (issue 17).
        self.duplicate_hints = DuplicateHints(
            runner, entity, self.form.editors, self.form.hints, record_id=record_id,
            parent=self.form) if entity in WATCHED else None
        if self.duplicate_hints is not None:
            self.duplicate_hints.open_record.connect(self._open_other)
        self.scores = ScoresEditor() if entity == "evaluation" else None
        self.sections = [
            ChildSection(runner, parent_entity=entity, entity=child, link=link,
                         columns=columns, title=_(title), object_name=name)
            for child, link, title, columns, name in CHILD_SECTIONS.get(entity, ())]
        self.banner = error_banner()
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.form)
        for extra in ([self.scores] if self.scores else []) + self.sections:
            body_layout.addWidget(extra, 1)
        if not (self.scores or self.sections):
            body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        if record_id is None:
            self.setWindowTitle(_("New {entity}").format(entity=entity_label(entity)))
            self.form.set_values(preset or {})
            for section in self.sections:
                section.load(None)
        else:
            record = runner.fetch(records.get, entity=entity, record_id=record_id)
            self.setWindowTitle(_("Edit {entity} – {name}").format(
                entity=entity_label(entity), name=record.label))
            self.form.set_values(record.values, record.ref_labels)
            self.form.set_needs_translation(record.needs_translation)
            if self.scores:
                self.scores.set_value(record.values.get("scores"))
            for section in self.sections:
                section.load(record_id)
            self.record_label = record.label
            # Files dropped on a stored record's form are attached to it (a step of its
            # own, not part of Save).
            self.setAcceptDrops(entity not in SYSTEM_ENTITIES)
        # As tall as the form (child tables and scores get room to show a few rows), never
        # taller than the screen: the form scrolls, Save and Cancel stay in view.
        wide = self.scores or self.sections or len(self.form.specs) > 9
        tables = bool(self.scores or self.sections)
        fit_to_screen(self, 980 if wide else 620,
                      max(content_height(self, scroll), 760 if tables else 0))
        if self.duplicate_hints is not None:  # room for the hint lines, as far as the screen has
            self.duplicate_hints.checked.connect(lambda: fit_to_screen(
                self, self.width(), max(self.height(), content_height(self, scroll))))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.acceptDrops() and dropped_paths(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        if not (self.acceptDrops() and paths and self.record_id):
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: attach_paths(
            self, self.runner, entity=self.entity, record_id=self.record_id,
            record_label=self.record_label, paths=paths))

    def values(self) -> dict[str, Any]:
        values = self.form.values()
        if self.scores:
            values["scores"] = self.scores.value()
        return values

    def save(self) -> None:
        self.banner.hide()
        for section in self.sections:
            section.clear_problem()
        local = self.form.local_problems()
        if local:
            self.form.show_problems(local)
            return
        try:
            changes = self.runner.write(
                self, editing.save, inline=True, entity=self.entity, record_id=self.record_id,
                values=self.values(), children=[s.child_rows() for s in self.sections])
        except ValidationError as error:
            self.show_problem(error)
            return
        if changes is not None:
            self.changes = changes
            self.accept()

    def _open_other(self, entity: str, record_id: str) -> None:
        """A possible duplicate's link: its own form, over this one (which stays as it is)."""
        RecordDialog.ask(self, self.runner, entity, record_id=record_id)

    def show_problem(self, error: ValidationError) -> None:
        if error.row is not None:
            for section in self.sections:
                if section.entity == error.entity:
                    section.show_row_problem(error.row, error.message)
                    return
        if error.entity == self.entity and self.form.show_problems(error.problems):
            return
        self.banner.setText(error.message)
        self.banner.show()

    def reject(self) -> None:
        """Esc or Cancel; ask first when something was typed that would be lost."""
        if self.result() == QDialog.DialogCode.Accepted or not self._edited():
            super().reject()
            return
        answer = QMessageBox.question(
            self, self.windowTitle(), _("Discard your changes?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            super().reject()

    def _edited(self) -> bool:
        return self.values() != self._initial or any(
            s.child_rows().rows or s.child_rows().removed for s in self.sections)

    def showEvent(self, event) -> None:
        if not hasattr(self, "_initial"):
            self._initial = self.values()
            # Typing starts at once: in a new record where a person starts, else at the top.
            if self.record_id is None:
                self.form.focus_first()
            elif self.form.editors:
                focus_target(next(iter(self.form.editors.values()))).setFocus()
        super().showEvent(event)

    @classmethod
    def ask(cls, parent: QWidget | None, runner: OpRunner, entity: str, *,
            record_id: str | None = None,
            preset: Mapping[str, Any] | None = None) -> Changes | None:
        dialog = cls(runner, entity, record_id=record_id, preset=preset, parent=parent)
        dialog.exec()
        return dialog.changes
