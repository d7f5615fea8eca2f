"""The Formation pipeline: the initiatives forming new clusters as cards in a column per
step (the first step not done; "Formed" when all are), filtered by office. A card dragged to
a later column, or "Advance to…" on the chosen card, marks the steps before that column done
on a date asked for, as one undoable action; a step is reopened on the initiative's form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.field_kinds import FieldKind
from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.services import initiatives
from euregionet_desktop.services.dto import Changes, FieldSpec, InitiativeView
from euregionet_desktop.ui.field_editors import DateEditor
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.pipeline_columns import (
    FORMED,
    INITIATIVE_ROLE,
    CardList,
    StepColumn,
    card_text,
    card_tooltip,
    column_keys,
    column_of,
    column_title,
)
from euregionet_desktop.ui.work_list import OfficeFilter, filter_row, status_line

# A change to any of these may move, add or rename a card (offices name the filter).
WATCHED = frozenset({"initiative", "formation_step", "cluster", "advisor", "office",
                     "membership", "organisation"})

class AdvanceDialog(QDialog):
    """The column to move a card to (later ones only) and the day its steps were done."""

    def __init__(self, cluster: str, targets: list[str], chosen: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="advanceDialog")
        self.setWindowTitle(_("Advance “{cluster}”").format(cluster=cluster))
        self.target = QComboBox(objectName="advanceTarget")
        for key in targets:
            self.target.addItem(column_title(key), key)
        self.target.setCurrentIndex(max(0, self.target.findData(chosen)))
        self.date = DateEditor(FieldSpec(name="done_on", kind=FieldKind.DATE,
                                         label=_("Done on"), required=True))
        self.date.set_value(dt.date.today())
        self.problem = QLabel(objectName="advanceProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        explanation = QLabel(_("Every step before the chosen column is marked done on this "
                               "day."))
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Advance to:"), self.target)
        form.addRow(_("&Done on:"), self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        day = self.date.date()
        if day is None:
            self.problem.setText(_("Type the day the steps were done, as DD.MM.YYYY."))
            self.problem.show()
            self.date.edit.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *, cluster: str, targets: list[str],
            chosen: str) -> tuple[str, dt.date] | None:
        """The column and the day chosen, or None if the person cancelled."""
        dialog = cls(cluster, targets, chosen, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        day = dialog.date.date()
        assert day is not None
        return dialog.target.currentData(), day


class PipelineView(QWidget):
    open_record = Signal(str, str)
    message = Signal(str)  # a line for the status bar (a refused move)
    loaded = Signal()  # the cards shown are the current ones (tests, screenshots)

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = _("Formation pipeline")
        self.runner = runner
        self.setObjectName("pipelineView")
        self.initiatives: dict[str, InitiativeView] = {}
        self._asked = 0
        self.office = OfficeFilter(runner, "pipelineOffice")
        self.office.currentIndexChanged.connect(lambda _index: self.ensure_loaded())
        self.status = status_line("pipelineStatus")
        self.columns: dict[str, StepColumn] = {}
        row = QHBoxLayout()
        for key in column_keys():
            column = StepColumn(key)
            column.setMinimumWidth(140)
            column.cards.placeholder = (_("Initiatives whose steps are all done") if key == FORMED
                                        else _("No initiative at this step"))
            column.dropped.connect(self.move_card)
            column.cards.itemDoubleClicked.connect(self._double_clicked)
            column.cards.currentItemChanged.connect(
                lambda current, _previous, k=key: self._chosen(k, current))
            column.cards.installEventFilter(self)
            self.columns[key] = column
            row.addWidget(column, 1)
        self.open_button = QPushButton(_("&Open"), objectName="pipelineOpen")
        self.open_button.clicked.connect(self.open_selected)
        self.advance_button = QPushButton(_("&Advance to…"), objectName="pipelineAdvance")
        self.advance_button.setToolTip(_("Mark the steps of the chosen initiative done up to "
                                         "a later column (as dragging its card there does)"))
        self.advance_button.clicked.connect(lambda: self.advance_selected())
        intro = QLabel(_("New clusters being formed, by the step they are at. Drag a card to "
                         "a later column (or choose “Advance to…”) when its steps are done; "
                         "reopen a step on the initiative's form (double-click the card)."))
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.advance_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filter_row(_("&Office:"), self.office))
        layout.addWidget(self.status)
        layout.addLayout(row, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # --- reading ---------------------------------------------------------------------------
    def select_office(self, office_id: str | None) -> None:
        self.office.select(office_id)

    def ensure_loaded(self) -> None:
        self.office.load()
        self._asked += 1
        asked = self._asked
        self.runner.query(self, initiatives.pipeline,
                          on_done=lambda views: asked == self._asked and self._fill(views),
                          office_id=self.office.currentData())

    def refresh(self, changes: Changes) -> None:
        if changes.entities & WATCHED and self.isVisible():
            self.ensure_loaded()

    def _fill(self, views: list[InitiativeView]) -> None:
        chosen = self.selected_id()
        self.initiatives = {view.id: view for view in views}
        for column in self.columns.values():
            column.cards.clear()
        counts = dict.fromkeys(self.columns, 0)
        for view in views:
            key = column_of(view)
            counts[key] += 1
            item = QListWidgetItem(card_text(view), self.columns[key].cards)
            item.setData(INITIATIVE_ROLE, view.id)
            item.setToolTip(card_tooltip(view))
            if view.id == chosen:
                self.columns[key].cards.setCurrentItem(item)
        for key, column in self.columns.items():
            column.set_count(counts[key])
        self._level_titles()
        self.status.setText(ngettext("{count} initiative.", "{count} initiatives.",
                                     len(views)).format(count=len(views)) if views else _(
            "No cluster initiative yet: add one in the Formation tab of a cluster's "
            "details."))
        self._update_buttons()
        self.loaded.emit()

    def _level_titles(self) -> None:
        """Every column's title as tall as the tallest (wrapped) one: the cards start level."""
        height = max(column.title_height() for column in self.columns.values())
        for column in self.columns.values():
            column.title.setMinimumHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._level_titles()

    # --- choosing a card ---------------------------------------------------------------------
    def _chosen(self, key: str, current: QListWidgetItem | None) -> None:
        if current is not None:
            for other, column in self.columns.items():
                if other != key:
                    column.cards.setCurrentItem(None)
                    column.cards.clearSelection()
        self._update_buttons()

    def selected_id(self) -> str | None:
        for column in self.columns.values():
            item = column.cards.currentItem()
            if item is not None and item.isSelected():
                return item.data(INITIATIVE_ROLE)
        return None

    def select_initiative(self, initiative_id: str) -> bool:
        view = self.initiatives.get(initiative_id)
        if view is None:
            return False
        cards = self.columns[column_of(view)].cards
        for row in range(cards.count()):
            if cards.item(row).data(INITIATIVE_ROLE) == initiative_id:
                cards.setCurrentRow(row)
                cards.setFocus()
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        self.open_button.setEnabled(chosen is not None)
        self.advance_button.setEnabled(
            chosen is not None and column_of(self.initiatives[chosen]) != FORMED)

    def eventFilter(self, watched, event) -> bool:
        if isinstance(event, QContextMenuEvent) and isinstance(watched, CardList):
            item = watched.itemAt(watched.viewport().mapFrom(watched, event.pos()))
            if item is not None:
                watched.setCurrentItem(item)
                menu = QMenu(self)
                menu.addAction(_("&Open"), self.open_selected)
                advance = menu.addAction(_("&Advance to…"), lambda: self.advance_selected())
                advance.setEnabled(self.advance_button.isEnabled())
                menu.exec(event.globalPos())
                return True
        return super().eventFilter(watched, event)

    # --- acting ------------------------------------------------------------------------------
    def _double_clicked(self, item: QListWidgetItem) -> None:
        self.open_record.emit("initiative", item.data(INITIATIVE_ROLE))

    def open_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.open_record.emit("initiative", chosen)

    def advance_selected(self) -> None:
        """"Advance to…" on the chosen card: the column and the day are asked."""
        chosen = self.selected_id()
        if chosen is None:
            return
        keys = column_keys()
        later = keys[keys.index(column_of(self.initiatives[chosen])) + 1:]
        if later:
            self._advance(chosen, later, later[0])

    def move_card(self, initiative_id: str, key: str) -> None:
        """A card dropped on a column: later ones advance it (the day asked), earlier ones
        are refused in the status bar."""
        view = self.initiatives.get(initiative_id)
        if view is None:
            return
        keys = column_keys()
        here = keys.index(column_of(view))
        if keys.index(key) == here:
            return
        if keys.index(key) < here:
            self.message.emit(_("“{cluster}” cannot move back to “{step}” here: reopen the "
                                "step on the initiative's form (double-click the card).")
                              .format(cluster=view.cluster_name, step=column_title(key)))
            return
        self._advance(initiative_id, [key], key)

    def _advance(self, initiative_id: str, targets: list[str], chosen: str) -> None:
        view = self.initiatives[initiative_id]
        answer = AdvanceDialog.ask(self, cluster=view.cluster_name, targets=targets,
                                   chosen=chosen)
        if answer is None:
            return
        key, day = answer
        changes = self.runner.write(self, initiatives.advance, initiative_id=initiative_id,
                                    to_step=None if key == FORMED else key, done_on=day,
                                    initiator=self)
        if changes is not None:
            self.message.emit(changes.undo.label if changes.undo else "")
            self._reload_choosing(initiative_id)

    def _reload_choosing(self, initiative_id: str) -> None:
        self._asked += 1
        asked = self._asked

        def shown(views: list[InitiativeView]) -> None:
            if asked == self._asked:
                self._fill(views)
                self.select_initiative(initiative_id)

        self.runner.query(self, initiatives.pipeline, on_done=shown,
                          office_id=self.office.currentData())
