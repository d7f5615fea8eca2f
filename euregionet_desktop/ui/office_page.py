"""The Office page of the Settings: the partner office of this installation, correctable
(at once, with its own button) until the first bundle is exported; after that, why not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import OFFICES
from euregionet_desktop.i18n import _
from euregionet_desktop.services.installation_office import (
    OfficeCorrection,
    change_office,
    office_correction,
)
from euregionet_desktop.ui.first_run import fill_offices, office_text
from euregionet_desktop.ui.op_runner import OpRunner


class OfficePage(QWidget):
    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="settingsOfficePage")
        self.runner = runner
        layout = QVBoxLayout(self)
        form = QFormLayout()
        # The offices' full names are long: labels go above rather than being squeezed.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Not wrapped: a form layout does not give a wrapped label the height it needs.
        self.current = QLabel(objectName="settingsOfficeCurrent")
        form.addRow(_("This installation belongs to"), self.current)
        self.office = QComboBox(objectName="settingsOffice")
        self.office.setAccessibleName(_("Correct office"))
        fill_offices(self.office)
        self.office.currentIndexChanged.connect(self._update_button)
        form.addRow(_("Correct office"), self.office)
        layout.addLayout(form)
        self.change = QPushButton(_("&Change the office"), objectName="settingsOfficeChange")
        self.change.clicked.connect(self._change)
        layout.addWidget(self.change, 0, Qt.AlignmentFlag.AlignRight)
        self.choice_label = form.labelForField(self.office)
        self.note = QLabel(objectName="settingsOfficeNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.done = QLabel(objectName="settingsOfficeDone")
        self.done.setWordWrap(True)
        layout.addWidget(self.done)
        layout.addStretch(1)
        self.state: OfficeCorrection | None = None
        self._load()

    def _load(self) -> None:
        self.state = self.runner.read(self, office_correction)
        if self.state is None:
            return
        office = next((o for o in OFFICES if o.code == self.state.office_code), None)
        self.current.setText(office_text(office) if office else self.state.office_name)
        refused = self.state.refusal is not None
        self.office.setEnabled(not refused)
        for widget in (self.office, self.change, self.choice_label):
            widget.setVisible(not refused)  # the reason says it all
        self.note.setText(self.state.refusal or _(
            "Set up for the wrong office? Correct it here until the first bundle is exported; "
            "after that the partners trust this installation's keys for its office and it "
            "never changes. A partner who already trusts this installation's key file must "
            "trust it again after the correction."))
        self._update_button()

    def _update_button(self) -> None:
        chosen = self.office.currentData()
        self.change.setEnabled(self.state is not None and self.state.refusal is None
                               and chosen is not None and chosen != self.state.office_code)

    def _change(self) -> None:
        code = self.office.currentData()
        if code is None or self.runner.write(self, change_office, office=code) is None:
            self._load()  # refused (and told why): show what holds now
            return
        self._load()
        self.done.setText(_("This installation now belongs to {office}.").format(
            office=self.current.text()))
