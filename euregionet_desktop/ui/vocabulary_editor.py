"""The editor of a field whose known values come from a translated list (sectors, regions):
a line that shows codes as labels, suggests the labels as one types, and a button with the
list to tick; text not in the list is kept as typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QMenu, QToolButton, QWidget

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.i18n import _, fold
from euregionet_desktop.services.dto import FieldSpec
from euregionet_desktop.ui.field_editors import TextEditor


class VocabularyEditor(TextEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        self.many = spec.kind == FieldKind.LIST
        super().__init__(spec, parent, placeholder=_("pick from the list or type")
                         if not self.many else _("pick from the list, or type separated "
                                                 "by commas"))
        self.labels = dict(spec.vocabulary)
        self.codes = {fold(label): code for code, label in spec.vocabulary}
        completer = QCompleter(QStringListModel([label for _code, label in spec.vocabulary]),
                               self.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        if not self.many:  # a list's suggestions would replace what came before the comma
            self.edit.setCompleter(completer)
        self.menu = QMenu(self, objectName=f"vocabulary_{spec.name}")
        for code, label in spec.vocabulary:
            action = self.menu.addAction(label)
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda checked, c=code: self._picked(c, checked))
        self.menu.aboutToShow.connect(self._tick_current)
        self.button = QToolButton(objectName=f"pick_{spec.name}")
        self.button.setText("▾")
        self.button.setToolTip(_("Choose from the list"))
        self.button.setAccessibleName(_("Choose {field} from the list").format(
            field=spec.label))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(self.menu)
        self._layout.addWidget(self.button)

    def _parts(self) -> list[str]:
        text = self.edit.text()
        if not self.many:
            return [text.strip()] if text.strip() else []
        return [part.strip() for part in text.split(",") if part.strip()]

    def _code_of(self, part: str) -> str:
        return self.codes.get(fold(part), part)

    def _tick_current(self) -> None:
        chosen = {self._code_of(part) for part in self._parts()}
        for action in self.menu.actions():
            action.setChecked(action.data() in chosen)

    def _picked(self, code: str, checked: bool) -> None:
        label = self.labels[code]
        if not self.many:
            self.edit.setText(label if checked else "")
        else:
            parts = [p for p in self._parts() if self._code_of(p) != code]
            if checked:
                parts.append(label)
            self.edit.setText(", ".join(parts))
        self.corrected.emit()

    def set_value(self, value: Any, label: str | None = None) -> None:
        if isinstance(value, list):
            value = [self.labels.get(str(v), str(v)) for v in value]
        elif value is not None:
            value = self.labels.get(str(value), str(value))
        super().set_value(value, label)
