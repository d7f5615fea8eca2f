"""First start without a profile: choose the partner office and say who you are."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from euregionet_desktop.domain.programme import OFFICES
from euregionet_desktop.i18n import _
from euregionet_desktop.ui.record_form import error_colour


@dataclass(frozen=True)
class FirstRunAnswer:
    office_code: str
    advisor_name: str
    label: str | None


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to EuRegioNet Desktop"))
        layout = QFormLayout(self)
        layout.addRow(QLabel(_("Choose your partner office and enter your name. "
                               "Both travel with your records to the other offices.")))
        self.office = QComboBox(objectName="firstRunOffice")
        self.office.setAccessibleName(_("Partner office"))
        for office in OFFICES:
            self.office.addItem(f"{office.name} ({office.city})", office.code)
        self.name = QLineEdit(objectName="firstRunName")
        self.name.setAccessibleName(_("Your name"))
        self.label = QLineEdit(objectName="firstRunLabel")
        self.label.setAccessibleName(_("Name of this laptop"))
        self.label.setPlaceholderText(_("e.g. Laptop Gorzów 2"))
        layout.addRow(_("Partner office"), self.office)
        layout.addRow(_("Your name"), self.name)
        layout.addRow(_("Name of this laptop"), self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        self.error = QLabel(objectName="firstRunError")
        self.error.setStyleSheet(f"color: {error_colour().name()}")
        layout.addRow(self.error)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(_("Please enter your name."))
            self.name.setFocus()
            return
        self.accept()

    def answer(self) -> FirstRunAnswer:
        return FirstRunAnswer(self.office.currentData(), self.name.text().strip(),
                              self.label.text().strip() or None)

    @classmethod
    def ask(cls, parent: QWidget | None) -> FirstRunAnswer | None:
        dialog = cls(parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
