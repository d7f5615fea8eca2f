"""The record selected in a list: its fields, the records that belong to it, its history."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import EVALUATION_AREAS, MAX_SCORE
from euregionet_desktop.errors import NotFoundError
from euregionet_desktop.i18n import _, format_datetime
from euregionet_desktop.services import records, relations
from euregionet_desktop.services.dto import FieldSpec, RecordDTO
from euregionet_desktop.services.relations import RELATIONS
from euregionet_desktop.ui.field_kinds import view_of
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import (
    RECORD_ID_ROLE,
    RecordTableModel,
    cell_text,
    record_table,
)
from euregionet_desktop.ui.scores_editor import (
    COMMENT,
    COMMENT_WIDTH_CHARS,
    INDICATOR,
    SCORE,
    WrappingDelegate,
    area_summary,
    text_width,
)


class RelationTab(QWidget):
    """The records of one relation, read in the background when the tab is first shown."""

    open_record = Signal(str, str)
    loaded = Signal()  # the records of the owner shown last have arrived

    def __init__(self, runner: OpRunner, owner: str, relation, parent=None) -> None:
        super().__init__(parent)
        self.relation = relation
        self.model = RecordTableModel(runner, relation.entity, relation.columns, self,
                                      relation=(owner, "", relation.key))
        self.runner = runner
        self.table = record_table(self.model, object_name=f"relation_{relation.key}",
                                  title=_(relation.label), column_width=150, sortable=True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self.model.sort)
        self.table.activated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.owner_id: str | None = None
        self.loaded_for: str | None = None

    def show_owner(self, owner_id: str) -> None:
        self.owner_id = owner_id
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if self.owner_id and self.loaded_for != self.owner_id:
            owner_id = self.loaded_for = self.owner_id
            self.model.relation = (self.model.relation[0], owner_id, self.model.relation[2])
            self.model.show_ids([])  # not the last owner's records meanwhile
            self.runner.query(self, relations.related_ids, **self.model.related_query(),
                              on_done=lambda ids: self._arrived(owner_id, ids))

    def _arrived(self, owner_id: str, ids: list[str]) -> None:
        if owner_id == self.loaded_for:
            self.model.show_ids(ids)
            self.loaded.emit()

    def count(self) -> int:
        return self.model.rowCount()

    def _open(self, index) -> None:
        self.open_record.emit(self.relation.entity, self.model.data(index, RECORD_ID_ROLE))


class DetailPane(QWidget):
    """Fields of the selected record, a tab per relation and its change history."""

    open_record = Signal(str, str)
    edit_requested = Signal()
    delete_requested = Signal()

    history_shown = Signal()  # the History tab shows the record's changes

    def __init__(self, runner: OpRunner, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.entity = entity
        self.record: RecordDTO | None = None
        self.setObjectName(f"{entity}Detail")
        self.specs: list[FieldSpec] = records.field_specs(entity)
        self.heading = QLabel(objectName="detailHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice = QLabel(objectName="detailNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.edit_button = QPushButton(_("Edit…"), objectName="detailEdit")
        self.edit_button.setToolTip(_("Edit (F2)"))
        self.delete_button = QPushButton(_("Delete"), objectName="detailDelete")
        # The key's name as Qt writes it in the window's language (Entf, Usuń...).
        self.delete_button.setToolTip(_("Delete ({key})").format(key=QKeySequence(
            QKeySequence.StandardKey.Delete).toString(QKeySequence.SequenceFormat.NativeText)))
        self.edit_button.clicked.connect(self.edit_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget(objectName="detailTabs")
        # More tabs than fit (a cluster has nine): whole names and scroll arrows, rather
        # than names cut to a letter or two.
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.fields_box = QWidget()
        self.fields = QFormLayout(self.fields_box)
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields_box)
        self.tabs.addTab(scroll, _("Details"))
        self.relation_tabs: list[RelationTab] = []
        for relation in RELATIONS.get(entity, ()):
            tab = RelationTab(runner, entity, relation)
            tab.open_record.connect(self.open_record)
            self.relation_tabs.append(tab)
            self.tabs.addTab(tab, _(relation.label))
        self.scores = None
        if entity == "evaluation":
            self.scores = QTreeWidget(objectName="detailScores")
            self.scores.setHeaderLabels([_("Indicator"), _("Score (0–4)"), _("Comment")])
            # The questions take the room left by the scores and comments, wrapped if need
            # be; a long comment wraps too.
            WrappingDelegate(self.scores, (INDICATOR, COMMENT))
            header = self.scores.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(INDICATOR, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(SCORE, QHeaderView.ResizeMode.ResizeToContents)
            self.tabs.addTab(self.scores, _("Scores"))
        self.history = QTreeWidget(objectName="detailHistory")
        self.history.setHeaderLabels([_("When"), _("Field"), _("Old value"), _("New value"),
                                      _("Who"), _("Office")])
        self.history.setRootIsDecorated(False)
        self.history_index = self.tabs.addTab(self.history, _("History"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.placeholder = QLabel(_("Select a record to see its details."),
                                  alignment=Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.placeholder, 1)
        self.show_record(None)

    def show_record(self, record_id: str | None) -> None:
        record = None
        if record_id is not None:
            try:
                record = self.runner.fetch(records.get, entity=self.entity, record_id=record_id)
            except NotFoundError:
                record = None
        self.record = record
        for widget in (self.tabs, self.heading, self.edit_button, self.delete_button):
            widget.setVisible(record is not None)
        self.placeholder.setVisible(record is None)
        self.notice.hide()
        if record is None:
            return
        self.heading.setText(record.label or _("(no name)"))
        self._fill_fields(record)
        notes = []
        if record.needs_translation:
            notes.append(_("Needs translation: {fields}").format(fields=", ".join(
                s.label for s in self.specs if s.name in record.needs_translation)))
        if record.conflicts:
            notes.append(_("Conflicting changes from other offices: {fields}").format(
                fields=", ".join(s.label for s in self.specs if s.name in record.conflicts)))
        if notes:
            self.notice.setText("\n".join(notes))
            self.notice.show()
        for tab in self.relation_tabs:
            tab.show_owner(record.id)
        if self.scores is not None:
            self._fill_scores(record.values.get("scores") or {})
        self._tab_shown(self.tabs.currentIndex())

    def _fill_fields(self, record: RecordDTO) -> None:
        while self.fields.rowCount():
            self.fields.removeRow(0)
        for spec in self.specs:
            if not view_of(spec.kind).among_fields:
                continue
            text = cell_text(spec, record.values, record.ref_labels)
            if not text:
                continue
            label = QLabel(text, objectName=f"value_{spec.name}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(spec.label)
            name = QLabel(spec.label)
            name.setStyleSheet("color: palette(placeholder-text)")
            self.fields.addRow(name, label)

    def _fill_scores(self, scores: dict) -> None:
        self.scores.clear()
        comments = []
        for area in EVALUATION_AREAS:
            total, _scored, questions = area_summary(scores, area.code)
            top = QTreeWidgetItem(self.scores, [_(area.name), _("{total} of {maximum}").format(
                total=total, maximum=questions * MAX_SCORE)])
            for code, text in area.questions:
                entry = scores.get(code) or {}
                score = entry.get("score")
                comments.append(entry.get("comment", ""))
                QTreeWidgetItem(top, [_(text), "–" if score is None else str(score),
                                      comments[-1]])
        self.scores.expandAll()
        header = self.scores.header()
        header.resizeSection(COMMENT, max(header.sectionSizeHint(COMMENT), min(
            text_width(self.scores, comments),
            self.fontMetrics().averageCharWidth() * COMMENT_WIDTH_CHARS)))

    def _tab_shown(self, index: int) -> None:
        if self.record is None:
            return
        widget = self.tabs.widget(index)
        if isinstance(widget, RelationTab):
            widget.ensure_loaded()
        elif index == self.history_index:
            self._fill_history()

    def _fill_history(self) -> None:
        """Read the record's history in the background; shown when it arrives, unless
        another record was selected meanwhile."""
        self.history.clear()
        record_id = self.record.id
        self.runner.query(self, _history_with_names, entity=self.entity, record_id=record_id,
                          on_done=lambda found: self._show_history(record_id, *found))

    def _show_history(self, record_id: str, entries, names: dict[str, str]) -> None:
        if self.record is None or self.record.id != record_id:
            return
        self.history.clear()
        labels = {s.name: s for s in self.specs}
        for entry in reversed(entries):
            spec = labels.get(entry.field)
            when = format_datetime(dt.datetime.fromtimestamp(entry.at_ms / 1000))
            if entry.field == "deleted":
                name = _("Deleted")
                old, new = (_("yes") if entry.old_value else "",
                            _("yes") if entry.new_value else _("no"))
            else:
                name = spec.label if spec else entry.field
                old = _shown(spec, entry.old_value, names)
                new = _shown(spec, entry.new_value, names)
            QTreeWidgetItem(self.history, [when, name, old, new, entry.author or "",
                                           entry.office_code or ""])
        for column in range(self.history.columnCount()):
            self.history.resizeColumnToContents(column)
        self.history_shown.emit()


def _history_with_names(session, *, entity: str, record_id: str):
    """A record's history and the names of the records its reference fields pointed to,
    old and new: one read in the background."""
    entries = records.history(session, entity=entity, record_id=record_id)
    specs = {s.name: s for s in records.field_specs(entity)}
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        spec = specs.get(entry.field)
        if spec is None or not spec.kind.is_reference:
            continue
        for value in (entry.old_value, entry.new_value):
            ids = value if isinstance(value, list) else [value]
            wanted.setdefault(spec.ref, set()).update(i for i in ids if isinstance(i, str))
    names: dict[str, str] = {}
    for ref, ids in wanted.items():
        names.update(records.labels(session, entity=ref, record_ids=sorted(ids)))
    return entries, names


def _shown(spec: FieldSpec | None, value, names: dict[str, str]) -> str:
    """A value from the change log (JSON form) as a person reads it."""
    if value is None:
        return ""
    if spec is None:
        return str(value)
    return view_of(spec.kind).logged(spec, value, names)
