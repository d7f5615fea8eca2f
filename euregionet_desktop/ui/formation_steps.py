"""The steps of a cluster's initiative under its Formation tab (detail pane): step, status,
date and responsible advisor of the initiative chosen in the tab; a step opens its form."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableView,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, format_date
from euregionet_desktop.services import initiatives
from euregionet_desktop.services.dto import InitiativeView
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.scores_editor import WrappingDelegate
from euregionet_desktop.ui.work_list import item_tree

STEP_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class InitiativesTab(Protocol):
    """What the panel needs of the tab listing a cluster's initiatives."""

    table: QTableView
    loaded: Signal

    def current_id(self) -> str | None: ...


class StepsPanel(QWidget):
    """The chosen initiative's steps, read in the background each time it changes."""

    shown = Signal()  # the steps of the chosen initiative are the current ones

    def __init__(self, runner: OpRunner, tab: InitiativesTab,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="formationSteps")
        self.runner = runner
        self.tab = tab
        self.initiative: InitiativeView | None = None
        self._asked = 0
        self.heading = QLabel(objectName="formationStepsHeading")
        self.heading.setWordWrap(True)
        self.tree = item_tree("formationStepsTree", _("Formation steps"),
                              [_("Step"), _("Status"), _("Date"), _("Advisor")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in ((0, QHeaderView.ResizeMode.Stretch),
                             (1, QHeaderView.ResizeMode.ResizeToContents),
                             (2, QHeaderView.ResizeMode.ResizeToContents),
                             (3, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        # A narrow pane: the step's and the advisor's names wrap rather than being cut.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        WrappingDelegate(self.tree, (0, 3))
        self.tree.setToolTip(_("Double-click a step to change its status, date or advisor"))
        self.tree.itemActivated.connect(self._open_step)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        # A cluster has one initiative as a rule: its row, and the room goes to the steps.
        table = tab.table
        table.setMaximumHeight(
            table.horizontalHeader().sizeHint().height()
            + 3 * table.verticalHeader().defaultSectionSize()
            + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())
        tab.loaded.connect(self._initiatives_arrived)
        tab.table.selectionModel().selectionChanged.connect(lambda *_args: self.load())
        self._fill(None)

    def _initiatives_arrived(self) -> None:
        """The first initiative chosen when none is (a cluster has one as a rule)."""
        if self.tab.current_id() is None and self.tab.table.model().rowCount():
            self.tab.table.selectRow(0)
        self.load()

    def load(self) -> None:
        initiative_id = self.tab.current_id()
        self._asked += 1
        asked = self._asked
        if initiative_id is None:
            self._fill(None)
            return
        self.runner.query(self, initiatives.initiative_view, initiative_id=initiative_id,
                          on_done=lambda view: asked == self._asked and self._fill(view),
                          on_failed=lambda _error: asked == self._asked and self._fill(None))

    def _fill(self, view: InitiativeView | None) -> None:
        self.initiative = view
        self.tree.clear()
        self.tree.setVisible(view is not None)
        if view is None:
            self.heading.setText(_("Choose an initiative above to see its steps."))
        else:
            current = view.current
            self.heading.setText(_("Steps of the initiative – now: {step}").format(
                step=current.step_label if current else _("Formed")))
            for step in view.steps:
                item = QTreeWidgetItem(self.tree, [
                    step.step_label, step.status_label,
                    format_date(step.done_on) if step.done_on else "", step.advisor_name or ""])
                item.setData(0, STEP_ID_ROLE, step.id)
        self.shown.emit()

    def _open_step(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        RecordDialog.ask(self, self.runner, "formation_step",
                         record_id=item.data(0, STEP_ID_ROLE))
