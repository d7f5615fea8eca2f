"""A form for any record, built from its field specs, with messages next to the fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.bilingual import TEXT_PAIRS
from euregionet_desktop.i18n import _
from euregionet_desktop.services import records
from euregionet_desktop.services.dto import FieldSpec
from euregionet_desktop.ui.duplicate_hints import HINTED, hint_label
from euregionet_desktop.ui.field_editors import FieldEditor
from euregionet_desktop.ui.field_kinds import editor_for, view_of
from euregionet_desktop.ui.op_runner import OpRunner

TWO_COLUMNS_FROM = 9  # forms with more short fields than this use two columns
LABEL_GAP = 12  # between a label and its field
COLUMN_GAP = 36  # between the two label–field pairs of a wide form
# The field a person types first into a new record of this kind, where it is not simply
# the first empty required field (a consultation's date is filled in; its subject is not).
FIRST_TYPED: dict[str, str] = {"consultation": "subject"}


def error_colour() -> QColor:
    """A red that reads on the light and on the dark palette."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return QColor("#ff8a80") if window.lightness() < 128 else QColor("#c62828")


def marker_colour() -> QColor:
    """An amber for "needs translation" that reads on the light and on the dark palette."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return QColor("#ffcc80") if window.lightness() < 128 else QColor("#a65e00")


def error_banner() -> QLabel:
    """The hidden line above a form that says why it cannot be kept."""
    banner = QLabel(objectName="formError")
    banner.setWordWrap(True)
    banner.setStyleSheet(f"color: {error_colour().name()}; font-weight: bold")
    banner.hide()
    return banner


def _form_layout() -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.setHorizontalSpacing(LABEL_GAP)
    return layout


class RecordForm(QWidget):
    """Editors for the fields of one entity; ``hidden`` fields are set by the caller."""

    def __init__(self, runner: OpRunner, entity: str, *, hidden: Iterable[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity = entity
        self.setObjectName(f"{entity}Form")
        self.specs = [s for s in records.field_specs(entity)
                      if s.name not in set(hidden) and view_of(s.kind).among_fields]
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}  # "possibly the same as …" (ui.duplicate_hints)
        self.markers: dict[str, QLabel] = {}  # "needs translation" by a pair's side
        by_name = {s.name: s for s in self.specs}
        pairs = [(by_name[pl], by_name[de]) for pl, de in TEXT_PAIRS.get(entity, ())
                 if pl in by_name and de in by_name]
        paired = {spec.name for pair in pairs for spec in pair}
        short = [s for s in self.specs if not view_of(s.kind).multi_line and s.name not in paired]
        long = [s for s in self.specs if view_of(s.kind).multi_line and s.name not in paired]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        columns = 2 if len(short) > TWO_COLUMNS_FROM else 1
        grid = QGridLayout()
        grid.setHorizontalSpacing(COLUMN_GAP)
        per_column = -(-len(short) // columns)
        for column in range(columns):
            part = _form_layout()
            for spec in short[column * per_column:(column + 1) * per_column]:
                self._add_row(part, spec, runner)
            grid.addLayout(part, 0, column)
            grid.setColumnStretch(column, 1)  # both pairs equally wide, whatever their labels
        layout.addLayout(grid)
        if pairs:
            layout.addLayout(self._pairs_grid(pairs, runner))
        tail = _form_layout()
        for spec in long:
            self._add_row(tail, spec, runner)
        layout.addLayout(tail)

    def _pairs_grid(self, pairs: list[tuple[FieldSpec, FieldSpec]],
                    runner: OpRunner) -> QGridLayout:
        """Text kept in both languages: Polish on the left, German on the right, each side's
        label with a marker shown while that side needs translating."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(COLUMN_GAP)
        grid.setVerticalSpacing(8)
        for row, pair in enumerate(pairs):
            for column, spec in enumerate(pair):
                editor = editor_for(spec, runner)
                text = _("{field} *").format(field=spec.label) if spec.required else spec.label
                label = QLabel(text)
                label.setBuddy(editor.focusProxy() or editor)
                marker = QLabel(_("needs translation"), objectName=f"translation_{spec.name}")
                marker.setStyleSheet(f"color: {marker_colour().name()}; font-style: italic")
                marker.setToolTip(_("The other language was changed after this one, or this "
                                    "one is empty."))
                marker.hide()
                heading = QHBoxLayout()
                heading.addWidget(label)
                heading.addWidget(marker)
                heading.addStretch(1)
                error = self._error_label(spec, editor)
                cell = QVBoxLayout()
                cell.setSpacing(2)
                cell.addLayout(heading)
                cell.addWidget(editor)
                cell.addWidget(error)
                grid.addLayout(cell, row, column)
                grid.setColumnStretch(column, 1)
                self.editors[spec.name] = editor
                self.errors[spec.name] = error
                self.markers[spec.name] = marker
        return grid

    def set_needs_translation(self, names: Iterable[str]) -> None:
        """Show the marker on these sides of the text pairs, hide it on the others."""
        wanted = set(names)
        for name, marker in self.markers.items():
            marker.setVisible(name in wanted)

    def _error_label(self, spec: FieldSpec, editor: FieldEditor) -> QLabel:
        error = QLabel(objectName=f"error_{spec.name}")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {error_colour().name()}")
        error.setAccessibleName(_("Problem with {field}").format(field=spec.label))
        error.hide()
        editor.corrected.connect(error.hide)  # not left up until the next save
        return error

    def _add_row(self, layout: QFormLayout, spec: FieldSpec, runner: OpRunner) -> None:
        editor = editor_for(spec, runner)
        text = _("{field} *").format(field=spec.label) if spec.required else spec.label
        label = QLabel(text)
        label.setBuddy(editor.focusProxy() or editor)
        # Labels sit at the top of their row, so a message shown under a field does not
        # move them. A one-line field's label is as tall as the field and centred in that
        # height, level with the field's text; a taller field's label lines up with its
        # first line.
        if view_of(spec.kind).multi_line:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, editor.first_line_offset(), 0, 0)
        else:
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            label.setMinimumHeight(editor.sizeHint().height())
        if spec.required:
            label.setToolTip(_("Required"))
        error = self._error_label(spec, editor)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(error)
        if spec.name in HINTED.get(self.entity, ()):
            self.hints[spec.name] = hint_label(spec.name, spec.label)
            column.addWidget(self.hints[spec.name])
        layout.addRow(label, column)
        self.editors[spec.name] = editor
        self.errors[spec.name] = error

    # --- values ------------------------------------------------------------------------
    def set_values(self, values: Mapping[str, Any],
                   ref_labels: Mapping[str, str] | None = None) -> None:
        for name, editor in self.editors.items():
            if name in values:
                editor.set_value(values[name], (ref_labels or {}).get(name))

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def labels(self) -> dict[str, str]:
        """Each field as text, for showing an unsaved child row in a table."""
        return {name: editor.label_text() for name, editor in self.editors.items()}

    def focus_first(self) -> None:
        """Focus where a person starts typing: the kind's usual first field if empty, else
        the first empty required field, else the first empty one, else the first."""
        values = self.values()
        empty = [s.name for s in self.specs if values.get(s.name) in (None, "", [])]
        required = [s.name for s in self.specs if s.required]
        first = self.entity in FIRST_TYPED and FIRST_TYPED[self.entity] in empty \
            and FIRST_TYPED[self.entity]
        name = first or next((n for n in required if n in empty), None) or next(
            iter(empty), None) or next(iter(self.editors), None)
        if name is not None:
            focus_target(self.editors[name]).setFocus()

    # --- problems ----------------------------------------------------------------------
    def local_problems(self) -> dict[str, str]:
        return {name: problem for name, editor in self.editors.items()
                if (problem := editor.problem())}

    def show_problems(self, problems: Mapping[str, str]) -> bool:
        """Show each message under its field; True if any field of this form was named."""
        self.clear_problems()
        first = None
        for name, message in problems.items():
            if name in self.errors:
                self.errors[name].setText(message)
                self.errors[name].show()
                first = first or name
        if first is not None:
            focus_target(self.editors[first]).setFocus()
        return first is not None

    def clear_problems(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()


def focus_target(editor: FieldEditor) -> QWidget:
    """The widget of a field editor that takes the keyboard (its line, list or box)."""
    for name in ("edit", "combo", "check", "list"):
        widget = getattr(editor, name, None)
        if isinstance(widget, QWidget):
            return widget
    return editor.focusProxy() or editor.findChild(QWidget) or editor
