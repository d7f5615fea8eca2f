"""A list of records of one kind (filter, lazily loaded SQL-sorted table) and its detail."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.i18n import _, ngettext
from euregionet_desktop.services import editing, exchange
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.ui.consent_dialog import ConsentDialog
from euregionet_desktop.ui.detail_pane import DetailPane
from euregionet_desktop.ui.empty_state import EmptyState
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.record_model import RecordTableModel, record_table
from euregionet_desktop.ui.work_here import own_values

# Kinds of field whose cells run long (names, titles, places): the room left once the
# columns that fit are shown widens these, not the dates and choices.
LONG_KINDS = frozenset({"text", "longtext", "ref", "ref_list", "list", "enum_list", "email",
                        "url"})


class RecordListView(QWidget):
    """Clusters, organisations, contacts, ...: everything a person does with one kind."""

    open_record = Signal(str, str)
    generate_requested = Signal(str, str)  # (document kind, record id) from the detail pane
    selection_changed = Signal()

    def __init__(self, runner: OpRunner, entity: str, columns: Sequence[str], *,
                 object_prefix: str, title: str, newest_first: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.first_order = (Qt.SortOrder.DescendingOrder if newest_first
                            else Qt.SortOrder.AscendingOrder)
        self.runner = runner
        self.entity = entity
        self.object_prefix = object_prefix
        self.setObjectName(f"{object_prefix}View")
        self.model = self.create_model(runner, entity, columns)
        self.filter = QLineEdit(objectName=f"{object_prefix}Filter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setAccessibleName(_("Filter {list}").format(list=title))
        self.filter.setClearButtonEnabled(True)
        self.table = record_table(self.model, object_name=f"{object_prefix}Table", title=title,
                                  first_column_width=220, sortable=True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.activated.connect(lambda _index: self.edit_selected())
        # The columns that matter most come first: as many as the list's width holds are
        # shown, the rest hidden; the header's context menu shows or hides any of them.
        header = self.table.horizontalHeader()
        self.column_widths = [header.sectionSize(c) for c in range(self.model.columnCount())]
        self.sized_by_hand: set[int] = set()  # columns the person resized keep their width
        self.column_choices: dict[str, bool] = {}  # column name -> shown, chosen by the person
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionResized.connect(self._section_resized)
        self._fitting = False
        self.table.viewport().installEventFilter(self)
        self.count = QLabel(objectName=f"{object_prefix}Count")
        # Filter as the person types, but only once they pause.
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self._filter_timer.start)

        self.detail = DetailPane(runner, entity)
        self.detail.open_record.connect(self.open_record)
        self.detail.generate_requested.connect(self.generate_requested)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.delete_requested.connect(self.delete_selected)
        self.detail.consent_requested.connect(self.edit_consent)
        # Beside an empty list: the next step instead of an empty detail pane.
        self.empty = EmptyState(entity, object_prefix)
        self.empty.new_requested.connect(self.new_record)
        self.empty.clear_filter_requested.connect(self.filter.clear)
        self.side = QStackedWidget()
        self.side.addWidget(self.detail)
        self.side.addWidget(self.empty)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName=f"{object_prefix}Split")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        # The list gets the larger share; the detail pane's label–value pairs need less.
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        # The window's actions on a record of this list (generating a document), shown in
        # the context menu; the window keeps them enabled or not.
        self.record_actions: list[QAction] = []
        # Imports of this kind of record from a file (set by the window), in the menu too.
        self.import_actions: list[QAction] = []
        self._loaded = False
        self.header_restored = False  # the main window restored the columns and sort order

    def create_model(self, runner: OpRunner, entity: str,
                     columns: Sequence[str]) -> RecordTableModel:
        """The list's table model (a kind of list with its own filters brings its own)."""
        return RecordTableModel(runner, entity, columns, self)

    # --- columns -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Show the columns, most important first, that fit the list's width (and those the
        person chose to show), so no column is clipped and no scroll bar needed."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        # The first column and those the person chose take their room first.
        choices = [True, *(self.column_choices.get(s.name) for s in self.model.columns[1:])]
        used = sum(w for w, chosen in zip(self.column_widths, choices, strict=True) if chosen)
        shown_columns: list[int] = []
        self._fitting = True
        try:
            for column, chosen in enumerate(choices):
                width = self.column_widths[column]
                shown = chosen or (chosen is None and used + width <= room)
                if chosen is None and shown:
                    used += width
                if header.isSectionHidden(column) == bool(shown):
                    header.setSectionHidden(column, not shown)
                if shown:
                    shown_columns.append(column)
            free = [c for c in shown_columns if c not in self.sized_by_hand]
            share = [c for c in free if self.model.columns[c].kind in LONG_KINDS] or free
            spare = max(room - used, 0)
            for column in shown_columns:
                extra = spare // len(share) if column in share else 0
                header.resizeSection(column, self.column_widths[column] + extra)
        finally:
            self._fitting = False

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        """A column the person widened or narrowed keeps that width from now on."""
        header = self.table.horizontalHeader()
        last = max((c for c in range(header.count()) if not header.isSectionHidden(c)),
                   default=-1)
        if not self._fitting and new > 0 and column != last:
            self.column_widths[column] = new
            self.sized_by_hand.add(column)

    def choose_column(self, name: str, shown: bool) -> None:
        self.column_choices[name] = shown
        self.fit_columns()

    def column_choices_text(self) -> str:
        """The columns chosen in the header's menu, for the window's settings."""
        return ",".join(f"{name}={int(shown)}" for name, shown in self.column_choices.items())

    def set_column_choices(self, text: str) -> None:
        names = {spec.name for spec in self.model.columns}
        for item in text.split(","):
            name, _sep, shown = item.partition("=")
            if name in names and shown in ("0", "1"):
                self.column_choices[name] = shown == "1"
        self.fit_columns()

    def column_widths_text(self) -> str:
        """The widths the person gave columns, for the settings (the header's saved state
        holds every column widened to the window of that day)."""
        return ",".join(f"{self.model.columns[c].name}={self.column_widths[c]}"
                        for c in sorted(self.sized_by_hand))

    def set_column_widths(self, text: str) -> None:
        columns = {spec.name: column for column, spec in enumerate(self.model.columns)}
        for item in text.split(","):
            name, _sep, width = item.partition("=")
            if name in columns and width.isdigit() and 20 <= int(width) <= 2000:
                self.column_widths[columns[name]] = int(width)
                self.sized_by_hand.add(columns[name])
        self.fit_columns()

    def _header_menu(self, position) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setObjectName(f"{self.object_prefix}Columns")
        for column, spec in enumerate(self.model.columns):
            action = menu.addAction(spec.label)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.setEnabled(column != 0)  # the record's name or date always shows
            action.toggled.connect(lambda on, name=spec.name: self.choose_column(name, on))
        menu.popup(header.mapToGlobal(position))

    # --- loading -----------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if not self._loaded:
            self._loaded = True
            header = self.table.horizontalHeader()
            if not self.header_restored or header.sortIndicatorSection() >= \
                    self.model.columnCount():
                with QSignalBlocker(header):  # _reload below reads it; sorting now would
                    header.setSortIndicator(0, self.first_order)  # load the list twice
            self._reload()
            self.fit_columns()  # the saved header state may have hidden other columns
            self.table.selectionModel().selectionChanged.connect(self._selection_changed)
            self._selection_changed()

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        if self._loaded:
            keep = self.current_id()
            self.model.sort(column, order)
            self._after_reload(keep)

    def _apply_filter(self) -> None:
        keep = self.current_id()
        self.model.set_filter(self.filter.text())
        self._after_reload(keep)

    def _reload(self, keep: str | None = None) -> None:
        header = self.table.horizontalHeader()
        self.model.order_by = self.model.columns[header.sortIndicatorSection()].name
        self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        self.model.reload()
        self._after_reload(keep)

    def _after_reload(self, keep: str | None) -> None:
        total = self.model.rowCount()
        self.count.setText(ngettext("{count} record", "{count} records", total).format(
            count=total))
        self.empty.show_for(self.model.filter_text if total == 0 else "")
        self.side.setCurrentWidget(self.empty if total == 0 else self.detail)
        if keep is not None:
            self.select_record(keep, clear_filter=False)
        self._selection_changed()

    def refresh(self, changes: Changes) -> None:
        """Reload what the action changed; the selection stays on the same record."""
        if not self._loaded:
            return
        if self.entity in changes.entities:
            self._reload(self.current_id() or changes.record_id)
        elif changes.entities:
            self.detail.show_record(self.current_id())

    # --- selection ---------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.record_id(row) for row in rows]

    def current_id(self) -> str | None:
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select_record(self, record_id: str, *, clear_filter: bool = True) -> bool:
        row = self.model.row_of(record_id)
        if row is None and clear_filter and self.filter.text():
            self.filter.clear()
            self.model.set_filter("")
            self._after_reload(None)
            row = self.model.row_of(record_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self.detail.show_record(ids[0] if len(ids) == 1 else None)
        self.selection_changed.emit()

    # --- actions -----------------------------------------------------------------------
    def new_record(self) -> None:
        # Made from a list, a record starts with this advisor, this office and today too.
        changes = RecordDialog.ask(self, self.runner, self.entity,
                                   preset=own_values(self.runner, self.entity))
        if changes is not None and changes.record_id:
            self.filter.clear()
            self.select_record(changes.record_id)

    def edit_selected(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            RecordDialog.ask(self, self.runner, self.entity, record_id=record_id)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) > 1:
            answer = QMessageBox.question(
                self, _("Delete records"),
                ngettext("Delete {count} record?", "Delete {count} records?", len(ids)).format(
                    count=len(ids)) + " " + _("You can undo this with {key}.").format(
                    key=QKeySequence(QKeySequence.StandardKey.Undo).toString(
                        QKeySequence.SequenceFormat.NativeText)))
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = min(index.row() for index in self.table.selectionModel().selectedRows())
        changes = self.runner.write(self, editing.delete_many, entity=self.entity,
                                    record_ids=ids)
        if changes is not None and self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def edit_consent(self) -> None:
        """A contact person's consent in its editor (one undoable step when saved)."""
        record_id = self.current_id()
        if record_id is not None and self.entity == "contact":
            places = self.detail.attachments.places if self.detail.attachments else None
            ConsentDialog.ask(self, self.runner, record_id, places=places)

    def erase_selected(self) -> None:
        """GDPR erasure of one person: asked plainly, cannot be undone, travels to all."""
        record = self.detail.record
        if record is None:
            return
        answer = QMessageBox.warning(
            self, _("Erase personal data"),
            _("Erase {name} and everything recorded about this person (memberships, event "
              "participation) here and, with the next bundles, at every partner office?\n\n"
              "This cannot be undone.").format(name=record.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self.runner.write(self, exchange.erase_and_scrub, profile=self.runner.profile,
                             entity=self.entity, record_id=record.id) is not None:
            self.runner.forget_erased()  # steps naming the person go, the others stay
            self.runner.compact(self)

    def copy_email(self) -> None:
        record = self.detail.record
        email = record.values.get("email") if record else None
        if email:
            QGuiApplication.clipboard().setText(email)

    def _context_menu(self, position) -> None:
        index = self.table.indexAt(position)
        if index.isValid() and index.row() not in {
                i.row() for i in self.table.selectionModel().selectedRows()}:
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setObjectName(f"{self.object_prefix}Menu")
        has_one = len(self.selected_ids()) == 1
        open_action = menu.addAction(_("Open"), self._open_details)
        edit = menu.addAction(_("Edit…"), self.edit_selected)
        edit.setShortcut(Qt.Key.Key_F2)
        delete = menu.addAction(_("Delete"), self.delete_selected)
        delete.setShortcut(Qt.Key.Key_Delete)
        open_action.setEnabled(has_one)
        edit.setEnabled(has_one)
        delete.setEnabled(bool(self.selected_ids()))
        if "email" in {spec.name for spec in self.detail.specs}:
            email = self.detail.record.values.get("email") if self.detail.record else None
            copy = menu.addAction(_("Copy e-mail address"), self.copy_email)
            copy.setEnabled(has_one and bool(email))
        if self.entity == "contact":
            consent = menu.addAction(_("Consent…"), self.edit_consent)
            consent.setObjectName(f"{self.object_prefix}Consent")
            consent.setEnabled(has_one)
            erase = menu.addAction(_("Erase personal data…"), self.erase_selected)
            erase.setEnabled(has_one)
        if self.record_actions:
            menu.addSeparator()
            menu.addActions(self.record_actions)
        menu.addSeparator()
        menu.addAction(_("New…"), self.new_record).setShortcut(QKeySequence.StandardKey.New)
        menu.addActions(self.import_actions)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _open_details(self) -> None:
        self.detail.tabs.setCurrentIndex(0)
        self.detail.tabs.setFocus()
