"""The Documents view's page of template fields: every field a kind of document offers,
with its meaning and an example, and its tag copied to the clipboard for Word."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.documents.schema import KINDS, FieldHelp, field_guide
from euregionet_desktop.i18n import _
from euregionet_desktop.ui.dto_table_model import DtoTableModel, read_only_table

_INDENT = "    "  # a field inside a loop is indented under the loop's line, as in the CLI


def field_tag(item: FieldHelp) -> str:
    """What a person types into a template: ``{{ m.title }}``, or a loop's opening tag."""
    return item.written if item.is_list else f"{{{{ {item.written} }}}}"


class FieldsModel(DtoTableModel):
    """The fields of one kind of document, in the order of the schema."""

    FIELD, MEANING, EXAMPLE = range(3)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_("Field"), _("Meaning"), _("Example")]

    def set_kind(self, kind: str) -> None:
        self.beginResetModel()
        try:
            self._rows = field_guide(kind)
        finally:
            self.endResetModel()

    def field(self, row: int) -> FieldHelp:
        return self._rows[row]

    def cell(self, item: FieldHelp, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.FIELD:
                return _INDENT * item.depth + field_tag(item)
            if column == self.MEANING:
                return item.meaning
            if column == self.EXAMPLE:
                return item.example
        if role == Qt.ItemDataRole.FontRole and column == self.FIELD:
            # Typed into Word letter by letter: shown as code.
            return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        return None


class TemplateFieldsPage(QWidget):
    """Pick a kind of document, read what each field holds, copy its tag."""

    message = Signal(str)  # a line for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateFieldsPage")
        self.intro = QLabel(objectName="templateFieldsIntro")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.kind = QComboBox(objectName="templateFieldsKind")
        self.kind.setAccessibleName(_("Kind of document"))
        for kind, label in KINDS.items():
            self.kind.addItem(_(label), kind)
        kind_label = QLabel(_("&Document:"))
        kind_label.setBuddy(self.kind)

        self.model = FieldsModel(self)
        self.table = read_only_table(self.model, "templateFieldsTable", _("Template fields"))
        header = self.table.horizontalHeader()
        header.resizeSection(FieldsModel.FIELD, 300)
        header.resizeSection(FieldsModel.MEANING, 560)
        # Enter or a double click copies, like the button.
        self.table.activated.connect(lambda _index: self.copy_selected())

        self.copy_button = QPushButton(_("Copy the field"), objectName="templateFieldsCopy")
        self.copy_button.setAccessibleName(_("Copy the selected field's tag to the clipboard"))
        self.copy_button.setToolTip(self.copy_button.accessibleName())
        self.copy_button.clicked.connect(self.copy_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_button)

        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self, *_args) -> None:
        kind = self.kind.currentData()
        # The same words as ``template fields KIND`` prints above its list.
        self.intro.setText(_(
            "Fields of “{kind}” templates. Write a field as {{{{ name }}}}; a list is gone "
            "through with {{% for … %}} … {{% endfor %}}, and its entries' fields are written "
            "with the loop's name.").format(kind=_(KINDS[kind])))
        self.model.set_kind(kind)
        self._update_button()

    def _update_button(self, *_args) -> None:
        self.copy_button.setEnabled(self.current() is not None)

    def current(self) -> FieldHelp | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.field(rows[0].row()) if rows else None

    def copy_selected(self) -> None:
        item = self.current()
        if item is None:
            return
        tag = field_tag(item)
        QGuiApplication.clipboard().setText(tag)
        self.message.emit(_("{tag} copied; paste it into the template in Word.").format(
            tag=tag))
