"""The record selected in a list: its fields, the records that belong to it, its history."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.domain.programme import EVALUATION_AREAS, MAX_SCORE
from euregionet_desktop.errors import NotFoundError
from euregionet_desktop.i18n import _, format_datetime
from euregionet_desktop.services import notes, records, relations
from euregionet_desktop.services.dto import FieldSpec, RecordDTO
from euregionet_desktop.services.entities import SYSTEM_ENTITIES
from euregionet_desktop.services.relations import RELATIONS
from euregionet_desktop.services.search import excerpt
from euregionet_desktop.ui.attachments_tab import AttachmentsTab, dropped_paths
from euregionet_desktop.ui.document_dialogs import GENERATE_SHORTCUT, KIND_FOR_ENTITY
from euregionet_desktop.ui.field_kinds import view_of
from euregionet_desktop.ui.formation_steps import StepsPanel
from euregionet_desktop.ui.notes_tab import NotesTab, mark_private
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.record_model import (
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
from euregionet_desktop.ui.work_here import FittingTabs, can_add, new_text, preset_for

# What a relation tab shows under its records, by the relation's key: the steps of the
# initiative chosen in a cluster's Formation tab.
PANELS_UNDER = {"initiatives": StepsPanel}


class RelationTab(QWidget):
    """The records of one relation, read in the background when the tab is first shown;
    worked on in place: a new one for the owner, edited, a document generated."""

    open_record = Signal(str, str)  # show the record in its own list
    generate_requested = Signal(str, str)  # (document kind, record id)
    loaded = Signal()  # the records of the owner shown last have arrived

    def __init__(self, runner: OpRunner, owner: str, relation, parent=None) -> None:
        super().__init__(parent)
        self.relation = relation
        self.owner_entity = owner
        self.owner: RecordDTO | None = None  # the record whose pane shows this tab
        self.kind = KIND_FOR_ENTITY.get(relation.entity)  # its document, if any
        self.model = RecordTableModel(runner, relation.entity, relation.columns, self,
                                      relation=(owner, "", relation.key))
        self.runner = runner
        self.table = record_table(self.model, object_name=f"relation_{relation.key}",
                                  title=_(relation.label), column_width=150, sortable=True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self.model.sort)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.new_button: QPushButton | None = None
        if can_add(relation):
            self.new_button = QPushButton(new_text(relation.entity),
                                          objectName=f"new_{relation.key}")
            self.new_button.setToolTip(_("Starts with this record, you as the advisor, your "
                                         "office and today's date filled in."))
            self.new_button.clicked.connect(self.new_record)
            buttons.addWidget(self.new_button)
        self.generate_action: QAction | None = None
        self.generate_button: QPushButton | None = None
        if self.kind is not None:
            self.generate_action = QAction(_("&Generate document…"), self.table,
                                           objectName=f"generate_{relation.key}")
            self.generate_action.setShortcut(GENERATE_SHORTCUT)
            self.generate_action.setShortcutContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.generate_action.triggered.connect(self.generate_selected)
            self.table.addAction(self.generate_action)
            self.generate_button = QPushButton(_("Generate document…"),
                                               objectName=f"generate_{relation.key}Button")
            self.generate_button.setToolTip(_("Generate document ({key})").format(
                key=GENERATE_SHORTCUT.toString(QKeySequence.SequenceFormat.NativeText)))
            self.generate_button.clicked.connect(self.generate_selected)
            buttons.addWidget(self.generate_button)
            self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.new_button or self.generate_button:
            layout.addLayout(buttons)
        layout.addWidget(self.table)
        panel = PANELS_UNDER.get(relation.key)
        self.panel = panel(runner, self) if panel is not None else None
        if self.panel is not None:
            layout.addWidget(self.panel, 2)
        self.owner_id: str | None = None
        self.loaded_for: str | None = None
        self._stale = False
        self.reading = False  # the owner's records are being read
        self._select_after: str | None = None  # a record just added here
        self._update_buttons()

    def show_owner(self, owner_id: str) -> None:
        if owner_id == self.owner_id:
            self._stale = True  # the same record again, after a change: read it again
        self.owner_id = owner_id
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        if not self.owner_id or (self.loaded_for == self.owner_id and not self._stale):
            return
        again = self.loaded_for == self.owner_id
        owner_id = self.loaded_for = self.owner_id
        self._stale = False
        self.reading = True
        keep = self.current_id()
        self.model.relation = (self.model.relation[0], owner_id, self.model.relation[2])
        if not again:
            self.model.show_ids([])  # not the last owner's records meanwhile
            keep = None
        self.runner.query(self, relations.related_ids, **self.model.related_query(),
                          on_done=lambda ids: self._arrived(owner_id, ids, keep))

    def _arrived(self, owner_id: str, ids: list[str], keep: str | None = None) -> None:
        if owner_id == self.loaded_for:
            self.reading = False
            keep, self._select_after = self._select_after or keep, None
            self.model.show_ids(ids)
            if keep is not None and (row := self.model.row_of(keep)) is not None:
                self.table.selectRow(row)
            self._update_buttons()
            self.loaded.emit()

    def count(self) -> int:
        return self.model.rowCount()

    def current_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_id(rows[0].row()) if len(rows) == 1 else None

    def _update_buttons(self, *_args) -> None:
        one = self.current_id() is not None
        for widget in (self.generate_action, self.generate_button):
            if widget is not None:
                widget.setEnabled(one)

    # --- working in place --------------------------------------------------------------
    def new_record(self) -> None:
        """The form of a new record for the owner, filled in as far as we can tell."""
        if self.owner is None or self.new_button is None:
            return
        preset = preset_for(self.runner, owner_entity=self.owner_entity, owner=self.owner,
                            relation=self.relation)
        changes = RecordDialog.ask(self, self.runner, self.relation.entity, preset=preset)
        if changes is not None and changes.record_id:
            row = self.model.row_of(changes.record_id)
            if self.reading or row is None:
                self._select_after = changes.record_id  # when the window's refresh arrives
            else:
                self.table.selectRow(row)

    def edit_selected(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            RecordDialog.ask(self, self.runner, self.relation.entity, record_id=record_id)

    def show_in_list(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            self.open_record.emit(self.relation.entity, record_id)

    def generate_selected(self) -> None:
        record_id = self.current_id()
        if self.kind is not None and record_id is not None:
            self.generate_requested.emit(self.kind, record_id)

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
        one = self.current_id() is not None
        menu = QMenu(self)
        menu.setObjectName(f"relation_{self.relation.key}Menu")
        edit = menu.addAction(_("Edit…"), self.edit_selected)
        edit.setShortcut(Qt.Key.Key_Return)
        edit.setEnabled(one)
        menu.addAction(_("Show in its list"), self.show_in_list).setEnabled(one)
        if self.generate_action is not None:
            menu.addSeparator()
            menu.addAction(self.generate_action)
        if self.new_button is not None:
            menu.addSeparator()
            menu.addAction(new_text(self.relation.entity), self.new_record)
        menu.popup(self.table.viewport().mapToGlobal(position))


class DetailPane(QWidget):
    """Fields of the selected record, a tab per relation and its change history."""

    open_record = Signal(str, str)
    generate_requested = Signal(str, str)  # (document kind, record id) from a relation tab
    edit_requested = Signal()
    delete_requested = Signal()
    consent_requested = Signal()  # a contact person's consent editor

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
        # "New … for this record": the relation tabs' New buttons, in one menu.
        self.new_button = QPushButton(_("New for this record"), objectName="detailNewFor")
        self.new_button.setMenu(QMenu(self.new_button, objectName="detailNewForMenu"))
        # The name on a line of its own (a narrow pane kept it to a word a line beside
        # three buttons), the buttons under it.
        top = QVBoxLayout()
        top.addWidget(self.heading)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        # A contact person's consent (GDPR) has its own editor, with its history.
        self.consent_button: QPushButton | None = None
        if entity == "contact":
            self.consent_button = QPushButton(_("Consent…"), objectName="detailConsent")
            self.consent_button.setToolTip(_("The person's consent: what it covers, since "
                                             "when, its evidence and its history"))
            self.consent_button.clicked.connect(self.consent_requested)
            buttons.addWidget(self.consent_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        top.addLayout(buttons)

        # More tabs than fit (a cluster has nine): whole names, and a selector in place
        # of the tab bar rather than names cut to a letter or tabs behind scroll arrows.
        self.tabs = FittingTabs(object_name="detailTabs")
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
            tab.generate_requested.connect(self.generate_requested)
            self.relation_tabs.append(tab)
            self.tabs.addTab(tab, _(relation.label))
            if tab.new_button is not None:
                self.new_button.menu().addAction(tab.new_button.text(),
                                                 lambda t=tab: self._new_in(t))
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
        # Files attached by hand (scans, photos: an indicator's evidence) and generated
        # documents; files dropped anywhere on the pane are attached to its record.
        self.notes: NotesTab | None = None
        if entity in notes.NOTED_ENTITIES:
            self.notes = NotesTab(runner, entity)
            self.tabs.addTab(self.notes, _("Notes"))
        self.attachments: AttachmentsTab | None = None
        if entity not in SYSTEM_ENTITIES:
            self.attachments = AttachmentsTab(runner, entity)
            self.tabs.addTab(self.attachments, _("Attachments"))
            self.setAcceptDrops(True)
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
        layout.addWidget(self.tabs.selector)
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
        for widget in (self.tabs, self.heading, self.edit_button, self.delete_button,
                       self.consent_button):
            if widget is not None:
                widget.setVisible(record is not None)
        self.new_button.setVisible(record is not None and not self.new_button.menu().isEmpty())
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
            tab.owner = record
            tab.show_owner(record.id)
        if self.scores is not None:
            self._fill_scores(record.values.get("scores") or {})
        if self.attachments is not None:
            self.attachments.show_owner(record.id, record.label)
        if self.notes is not None:
            self.notes.show_owner(record.id)
        self._tab_shown(self.tabs.currentIndex())

    def _new_in(self, tab: RelationTab) -> None:
        """New … for this record, chosen from the pane's menu: shown in its tab."""
        self.tabs.setCurrentWidget(tab)
        tab.new_record()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.attachments is not None and self.attachments.accepts(dropped_paths(event)):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self.attachments is not None:
            self.attachments.drop(event)

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
        if isinstance(widget, (RelationTab, AttachmentsTab, NotesTab)):
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
            elif entry.field == "merge":
                name, old, new = _merge_shown(entry.new_value, names)
            elif entry.field in (notes.NOTE_FIELD, notes.PRIVATE_NOTE_FIELD):
                name = _("Private note") if entry.field == notes.PRIVATE_NOTE_FIELD else _("Note")
                old, new = (excerpt(v) if v else "" for v in (entry.old_value, entry.new_value))
            else:
                name = spec.label if spec else entry.field
                old = _shown(spec, entry.old_value, names)
                new = _shown(spec, entry.new_value, names)
            item = QTreeWidgetItem(self.history, [when, name, old, new, entry.author or "",
                                                  entry.office_code or ""])
            if entry.field == notes.PRIVATE_NOTE_FIELD:
                mark_private(item, 1)
        for column in range(self.history.columnCount()):
            self.history.resizeColumnToContents(column)
        self.history_shown.emit()


def _history_with_names(session, *, entity: str, record_id: str):
    """A record's history and the names of the records its reference fields pointed to,
    old and new: one read in the background."""
    entries = records.history(session, entity=entity, record_id=record_id)
    if entity in notes.NOTED_ENTITIES:  # the notes written on it are entries too
        entries = sorted([*entries, *notes.notes_history(
            session, entity=entity, record_id=record_id)], key=lambda e: e.at_ms)
    specs = {s.name: s for s in records.field_specs(entity)}
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        spec = specs.get(entry.field)
        if spec is None or not spec.kind.is_reference:
            continue
        for value in (entry.old_value, entry.new_value):
            ids = value if isinstance(value, list) else [value]
            wanted.setdefault(spec.ref, set()).update(i for i in ids if isinstance(i, str))
    merged = {i for entry in entries if entry.field == "merge" for i in entry.new_value or ()}
    if merged:
        wanted.setdefault(entity, set()).update(merged)
    names: dict[str, str] = {}
    for ref, ids in wanted.items():
        names.update(records.labels(session, entity=ref, record_ids=sorted(ids)))
    return entries, names


def _merge_shown(named: list[str] | None, names: dict[str, str]) -> tuple[str, str, str]:
    """A merge in a History: the records merged, then the one kept (None: undone)."""
    if not named:
        return _("Merge undone"), "", ""
    survivor, *merged = (names.get(i, i) for i in named)
    return _("Merged"), "; ".join(merged), survivor


def _shown(spec: FieldSpec | None, value, names: dict[str, str]) -> str:
    """A value from the change log (JSON form) as a person reads it."""
    if value is None:
        return ""
    if spec is None:
        return str(value)
    return view_of(spec.kind).logged(spec, value, names)
