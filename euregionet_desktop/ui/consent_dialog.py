"""The consent editor of a contact person (GDPR): status, date, source, what it covers, the
evidence file, and the history of the consent at every office, read-only below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.enums import ConsentScope, ConsentSource, ConsentStatus
from euregionet_desktop.i18n import _, format_datetime
from euregionet_desktop.services import consent, records
from euregionet_desktop.services.consent import ConsentState
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.document_dialogs import DocumentPlaces
from euregionet_desktop.ui.field_editors import DateEditor
from euregionet_desktop.ui.file_dialogs import DOCUMENTS, open_file
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import no_consent_text

# The history's columns of old and new values, and how wide they grow (in characters).
OLD, NEW = 2, 3
VALUE_WIDTH_CHARS = 28


class ConsentDialog(QDialog):
    """A contact's consent, read through the runner and saved as one undoable step (the
    evidence file chosen here is kept only when the consent is saved)."""

    loaded = Signal()  # the consent and its history arrived

    def __init__(self, runner: OpRunner, contact_id: str, *,
                 places: DocumentPlaces | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.contact_id = contact_id
        self.places = places or DocumentPlaces()
        self.state: ConsentState | None = None
        self.evidence_path: Path | None = None
        self.changes: Changes | None = None
        self.setObjectName("consentDialog")
        self.setWindowTitle(_("Consent"))

        self.heading = QLabel(objectName="consentHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QComboBox(objectName="consentStatus")
        for choice in ConsentStatus:
            self.status.addItem(_(choice.label), choice.value)
        specs = {spec.name: spec for spec in records.field_specs("contact")}
        self.date = DateEditor(specs["consent_on"])
        self.source = QComboBox(objectName="consentSource")
        self.source.addItem("", None)
        for choice in ConsentSource:
            self.source.addItem(_(choice.label), choice.value)
        self.scopes: dict[str, QCheckBox] = {}
        scope_box = QGroupBox(_("Consent scope"), objectName="consentScopes")
        scope_layout = QVBoxLayout(scope_box)
        for choice in ConsentScope:
            box = QCheckBox(_(choice.label), objectName=f"consentScope_{choice.value}")
            self.scopes[choice.value] = box
            scope_layout.addWidget(box)
        self.evidence_name = QLabel(objectName="consentEvidenceName")
        self.evidence_name.setWordWrap(True)
        self.evidence_name.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        attach = QPushButton(_("Attach a file…"), objectName="consentAttach")
        attach.setToolTip(_("A signed form, an e-mail or a list kept as the evidence of "
                            "the consent; kept when the consent is saved"))
        attach.clicked.connect(self.choose_evidence)
        evidence = QHBoxLayout()
        evidence.addWidget(self.evidence_name, 1)
        evidence.addWidget(attach)
        self.verdict = QLabel(objectName="consentVerdict")
        self.verdict.setWordWrap(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for label, widget in ((_("Consent"), self.status), (_("Consent date"), self.date),
                              (_("Consent source"), self.source)):
            form.addRow(label, widget)
            form.labelForField(widget).setBuddy(widget)
        form.addRow(scope_box)
        form.addRow(_("Consent evidence"), evidence)
        self.status.currentIndexChanged.connect(self._status_chosen)
        for box in self.scopes.values():
            box.toggled.connect(self._update_verdict)

        self.history = QTreeWidget(objectName="consentHistory")
        self.history.setHeaderLabels([_("When"), _("Field"), _("Old value"), _("New value"),
                                      _("Who"), _("Office")])
        self.history.setRootIsDecorated(False)
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setAccessibleName(_("History of the consent"))
        history_label = QLabel(_("History of the consent"))
        history_label.setBuddy(self.history)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("consentSave")
        self.save_button.setEnabled(False)  # until the consent is read
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self.resize(860, 640)
        runner.query(self, consent.consent_of, contact_id=contact_id, on_done=self._arrived)

    @classmethod
    def ask(cls, parent: QWidget | None, runner: OpRunner, contact_id: str, *,
            places: DocumentPlaces | None = None) -> Changes | None:
        """Edit the contact's consent; what the save changed, or None."""
        dialog = cls(runner, contact_id, places=places, parent=parent)
        dialog.exec()
        return dialog.changes

    # --- showing ---------------------------------------------------------------------------
    def _arrived(self, state: ConsentState) -> None:
        self.state = state
        self.heading.setText(state.label)
        self.setWindowTitle(_("Consent of {name}").format(name=state.label))
        self.status.setCurrentIndex(max(self.status.findData(
            state.status or ConsentStatus.UNKNOWN.value), 0))
        self.date.set_value(state.on)
        self.source.setCurrentIndex(max(self.source.findData(state.source), 0))
        for value, box in self.scopes.items():
            box.setChecked(value in state.scopes)
        self._show_evidence()
        self._fill_history(state)
        self._update_verdict()
        self.save_button.setEnabled(True)
        self.loaded.emit()

    def _show_evidence(self) -> None:
        if self.evidence_path is not None:
            self.evidence_name.setText(_("{file} (kept when the consent is saved)").format(
                file=self.evidence_path.name))
        elif self.state is not None and self.state.evidence_file:
            self.evidence_name.setText(self.state.evidence_file)
        else:
            self.evidence_name.setText(_("No file attached"))

    def _fill_history(self, state: ConsentState) -> None:
        self.history.clear()
        for change in reversed(state.history):
            when = format_datetime(dt.datetime.fromtimestamp(change.at_ms / 1000))
            item = QTreeWidgetItem(self.history, [
                when, consent.field_label(change.field),
                consent.value_text(change.field, change.old_value, state.evidence_names),
                consent.value_text(change.field, change.new_value, state.evidence_names),
                change.author or "", change.office or ""])
            for column in (OLD, NEW):
                item.setToolTip(column, item.text(column))
        # A value that lists four scopes would push who and which office out of view.
        widest = self.fontMetrics().averageCharWidth() * VALUE_WIDTH_CHARS
        for column in range(self.history.columnCount()):
            self.history.resizeColumnToContents(column)
            if column in (OLD, NEW):
                self.history.setColumnWidth(column, min(self.history.columnWidth(column),
                                                        widest))

    def _status_chosen(self, _index: int) -> None:
        """A consent withdrawn or refused is dated today unless another day is typed:
        shown here as it will be saved (domain.consent.dated)."""
        if (self.state is not None and self.status.currentData() in consent.ENDED
                and self.status.currentData() != self.state.status
                and self.date.value() == self.state.on):
            self.date.set_value(dt.date.today())
        self._update_verdict()

    def _update_verdict(self, *_args) -> None:
        status, scopes = self.status.currentData(), self.chosen_scopes()
        allowed = consent.may_communicate({"consent_status": status,
                                           "consent_purposes": scopes})
        if allowed:
            text = _("May receive the programme's communication.")
        elif status == ConsentStatus.GIVEN.value and not scopes:
            # A consent recorded before scopes were (its scope only in the notes field).
            text = _("Consent given, but what it covers is not recorded: tick its scope.")
        else:
            text = no_consent_text() + "."
        self.verdict.setText(text)

    # --- editing ---------------------------------------------------------------------------
    def chosen_scopes(self) -> list[str]:
        return [value for value, box in self.scopes.items() if box.isChecked()]

    def choose_evidence(self) -> None:
        path = open_file(self, self.places, DOCUMENTS, _("Attach the evidence of the consent"),
                         _("All files (*)"))
        if path is not None:
            self.evidence_path = path
            self._show_evidence()

    def values(self) -> dict[str, object]:
        """The fields the person changed, by their short names (services.consent)."""
        state = self.state
        assert state is not None
        now = {"status": self.status.currentData(), "on": self.date.value(),
               "source": self.source.currentData(), "scope": self.chosen_scopes()}
        before = {"status": state.status or ConsentStatus.UNKNOWN.value, "on": state.on,
                  "source": state.source, "scope": list(state.scopes)}
        return {name: value for name, value in now.items() if value != before[name]}

    def save(self) -> None:
        if self.state is None:
            return
        values = self.values()
        if not values and self.evidence_path is None:
            self.reject()
            return
        changes = self.runner.write(self, consent.set_consent, contact_id=self.contact_id,
                                    values=values, profile=self.runner.profile,
                                    evidence_path=self.evidence_path)
        if changes is not None:
            self.changes = changes
            self.accept()
