"""Merge records found to be one: side by side (a column per record, a row per field), one
choice per field, the record kept; one step for Undo (issue 17)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.services import merging, records
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.values import entity_label
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import cell_text
from euregionet_desktop.ui.screen_fit import content_height, fit_to_screen

SHOWN_LENGTH = 60  # characters of a value shown in a cell; the whole text in its tooltip


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…"


class MergeDialog(QDialog):
    """The records of ``preview`` (two or more); the one with the most references (on a
    tie the older) is kept unless the person chooses another."""

    def __init__(self, runner: OpRunner, preview: merging.MergePreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity = preview.entity
        self.preview = preview
        self.changes: Changes | None = None
        self.setObjectName("mergeDialog")
        self.setWindowTitle(_("Merge duplicates ({kind})").format(kind=entity_label(entity)))
        self.ids = [record.id for record in self.preview.records]
        specs = {spec.name: spec for spec in records.field_specs(entity)}
        intro = QLabel(_("Choose the record to keep and, where the records differ, the value "
                         "it keeps. Everything that refers to the other records will refer to "
                         "the one kept. Undo brings all of them back."))
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(0, 0)
        self.survivor = QButtonGroup(self)
        # Kept by default: the record most refer to (least to re-point), on a tie the older.
        oldest_first = sorted(range(len(self.ids)),
                              key=lambda i: (preview.records[i].created_at, i))
        most = max(oldest_first, key=lambda i: preview.references[i])
        for column, record in enumerate(self.preview.records, start=1):
            grid.setColumnStretch(column, 1)
            keep = QRadioButton(_("Keep “{name}”").format(name=_short(record.label)),
                                objectName=f"mergeKeep{column - 1}")
            keep.setToolTip(record.label)
            keep.setChecked(column - 1 == most)
            self.survivor.addButton(keep, column - 1)
            grid.addWidget(keep, 0, column)
            refs = QLabel(ngettext("{count} record refers to it",
                                   "{count} records refer to it",
                                   self.preview.references[column - 1]).format(
                count=self.preview.references[column - 1]))
            grid.addWidget(refs, 1, column)
        line = QFrame(frameShape=QFrame.Shape.HLine)
        grid.addWidget(line, 2, 0, 1, len(self.ids) + 1)
        self.choices: dict[str, QButtonGroup] = {}
        # Every cell of a row as tall as a choice, its text centred: the field's name, the
        # values chosen from and those alike in all records read on one line.
        line_height = QRadioButton(_("(empty)")).sizeHint().height()
        middle = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        row = 3
        for field in self.preview.fields:
            spec = specs.get(field.name)
            if spec is None:
                continue
            texts = [cell_text(spec, record.values, record.ref_labels)
                     for record in self.preview.records]
            if not any(texts):
                continue
            name = QLabel(_("{field} (united)").format(field=field.label) if field.united
                          else field.label)
            name.setMinimumHeight(line_height)
            name.setAlignment(middle)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            differ = not field.united and len(set(texts)) > 1
            group = QButtonGroup(self) if differ else None
            for column, text in enumerate(texts, start=1):
                if group is not None:
                    cell = QRadioButton(_short(text) or _("(empty)"),
                                        objectName=f"take_{field.name}_{column - 1}")
                    cell.setChecked(field.default_from == self.ids[column - 1])
                    group.addButton(cell, column - 1)
                else:
                    cell = QLabel(_short(text), objectName=f"same_{field.name}_{column - 1}")
                    cell.setEnabled(False)
                    cell.setMinimumHeight(line_height)
                    cell.setAlignment(middle)
                cell.setToolTip(text)
                grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignTop)
            if group is not None:
                if group.checkedButton() is None:
                    group.buttons()[0].setChecked(True)
                self.choices[field.name] = group
            row += 1
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.summary = QLabel(objectName="mergeSummary")
        self.summary.setWordWrap(True)
        self.survivor.idToggled.connect(lambda _id, on: on and self._summarise())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(_("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("mergeButton")
        buttons.accepted.connect(self.run_merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self._summarise()
        fit_to_screen(self, 900, content_height(self, scroll))

    def survivor_id(self) -> str:
        return self.ids[self.survivor.checkedId()]

    def take(self) -> dict[str, str]:
        """For each field whose values differ, the record whose value is kept."""
        return {name: self.ids[group.checkedId()] for name, group in self.choices.items()
                if group.checkedId() >= 0}

    def _summarise(self) -> None:
        kept = self.survivor.checkedId()
        moved = sum(count for i, count in enumerate(self.preview.references) if i != kept)
        others = [r.label for i, r in enumerate(self.preview.records) if i != kept]
        if not moved:
            self.summary.setText(_("“{others}” is merged into “{kept}”; nothing else refers "
                                   "to it.").format(others="”, “".join(others),
                                                    kept=self.preview.records[kept].label))
            return
        text = ngettext(
            "“{others}” is merged into “{kept}”; {count} record that refers to it will "
            "refer to “{kept}”.",
            "“{others}” is merged into “{kept}”; {count} records that refer to it will "
            "refer to “{kept}”.", moved).format(
            others="”, “".join(others), kept=self.preview.records[kept].label, count=moved)
        self.summary.setText(text)

    def run_merge(self) -> None:
        survivor = self.survivor_id()
        changes = self.runner.write(self, merging.merge, entity=self.entity,
                                    survivor_id=survivor,
                                    other_ids=[i for i in self.ids if i != survivor],
                                    take=self.take())
        if changes is not None:
            self.changes = changes
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: OpRunner, entity: str,
            ids: Sequence[str]) -> Changes | None:
        preview = runner.read(parent, merging.merge_preview, entity=entity, ids=list(ids))
        if preview is None:  # a record gone meanwhile: the person was told
            return None
        dialog = cls(runner, preview, parent)
        dialog.exec()
        return dialog.changes
