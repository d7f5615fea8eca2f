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
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import OFFICES, OfficeInfo
from euregionet_desktop.i18n import _
from euregionet_desktop.ui.record_form import error_colour


@dataclass(frozen=True)
class FirstRunAnswer:
    office_code: str
    advisor_name: str
    label: str | None


def office_text(office: OfficeInfo) -> str:
    """An office as a person picks it: its code, its full name and its city."""
    return _("{code} — {name}, {city}").format(code=office.code, name=office.name,
                                                city=office.city)


def fill_offices(combo: QComboBox) -> None:
    """The four offices with no choice made: a hurried Enter must not pick one."""
    combo.setPlaceholderText(_("Choose your office…"))
    for office in OFFICES:
        combo.addItem(office_text(office), office.code)
    combo.setCurrentIndex(-1)


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Welcome to EuRegioNet Desktop"))
        self.setObjectName("firstRunDialog")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        # Wrapped texts in their own rows of a box layout: a form layout's spanning rows
        # do not grow with a wrapped label and cut it off.
        layout = QVBoxLayout(self)
        intro = QLabel(_("Choose your partner office and enter your name. "
                         "Both travel with your records to the other offices."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.office = QComboBox(objectName="firstRunOffice")
        self.office.setAccessibleName(_("Partner office"))
        fill_offices(self.office)
        self.office.currentIndexChanged.connect(self._office_chosen)
        office_form = QFormLayout()
        # The offices' full names are long: the label goes above rather than being squeezed.
        office_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        office_form.addRow(_("Partner office"), self.office)
        layout.addLayout(office_form)
        warning = QLabel(_("The office is tied to this installation's keys: partners trust "
                           "its bundles for that office. You can correct it in Settings only "
                           "until the first bundle is exported."), objectName="firstRunWarning")
        warning.setWordWrap(True)
        layout.addWidget(warning)
        self.name = QLineEdit(objectName="firstRunName")
        self.name.setAccessibleName(_("Your name"))
        self.label = QLineEdit(objectName="firstRunLabel")
        self.label.setAccessibleName(_("Name of this laptop"))
        self.label.setPlaceholderText(_("e.g. Laptop Gorzów 2"))
        form = QFormLayout()
        form.addRow(_("Your name"), self.name)
        form.addRow(_("Name of this laptop"), self.label)
        layout.addLayout(form)
        self.error = QLabel(objectName="firstRunError")
        self.error.setStyleSheet(f"color: {error_colour().name()}")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # The two forms' fields start at one line.
        labels = [f.labelForField(w) for f, w in ((office_form, self.office), (form, self.name),
                                                  (form, self.label))]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        # At its preferred width the wrapped texts fit the height it asks for; narrower, Qt
        # would keep that height and squeeze every row.
        self.setMinimumSize(self.sizeHint())

    def _office_chosen(self, index: int) -> None:
        self.ok.setEnabled(index >= 0)

    def _accept(self) -> None:
        if self.office.currentIndex() < 0:
            self.error.setText(_("Please choose your office."))
            self.office.setFocus()
            return
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
