"""The main window: a navigation sidebar, one view per kind of record, menus and toolbar."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from euregionet_desktop.errors import DamagedDatabaseError
from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services.dto import Changes
from euregionet_desktop.services.profile import Core, profile_info
from euregionet_desktop.ui.conflicts_view import ConflictsView
from euregionet_desktop.ui.dashboard import DashboardView
from euregionet_desktop.ui.document_dialogs import (
    DIRECTORY,
    KIND_FOR_ENTITY,
    DocumentPlaces,
    generate,
)
from euregionet_desktop.ui.documents_view import DocumentsView
from euregionet_desktop.ui.global_search import GlobalSearch
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.profile_health import ProfileChecks, offer_restore
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.settings_dialog import LanguageChange, RestoreChosen, change_settings
from euregionet_desktop.ui.sync_view import SyncView

# (object-name prefix, entity, navigation label, columns)
LISTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("clusters", "cluster", N_("Clusters"), ("name_pl", "name_de", "kind", "region", "country",
                                             "support_status")),
    ("organisations", "organisation", N_("Organisations"), ("name", "kind", "city", "country",
                                                            "nip", "vat_id")),
    ("contacts", "contact", N_("Contacts"), ("last_name", "first_name", "function",
                                             "organisation_id", "email", "phone", "language")),
    ("consultations", "consultation", N_("Consultations"), ("held_at", "subject", "mode",
                                                             "cluster_id", "organisation_id",
                                                             "place")),
    ("tasks", "task", N_("Tasks"), ("due_on", "title", "done", "assignee_id", "cluster_id")),
    ("evaluations", "evaluation", N_("Evaluations"), ("evaluated_on", "cluster_id",
                                                       "evaluator_id", "questionnaire_version")),
    ("actionPlans", "action_plan", N_("Action plans"), ("title", "cluster_id", "status",
                                                         "signed_on")),
    ("events", "event", N_("Events"), ("starts_on", "title_pl", "title_de", "kind", "place")),
)

# Lists whose first column is a date a person looks at from the latest backwards.
NEWEST_FIRST = frozenset({"consultation", "evaluation", "event"})


class MainWindow(QMainWindow):
    def __init__(self, core: Core) -> None:
        super().__init__()
        self.core = core
        # Set when the window closes for a restart in a new language; app.run starts the
        # new process once the profile is unlocked.
        self.restart_requested = False
        # Set when the window closes to restore a backup (its id); app.run restores it once
        # the profile is closed and opens the window again.
        self.restore_requested: str | None = None
        self.setObjectName("mainWindow")
        self.runner = OpRunner(core.backend, log_path=core.profile.logs / "euregionet.log",
                               profile=core.profile, parent=self)
        self.checks = ProfileChecks(self.runner, core.profile, self)
        self.checks.damaged.connect(self._database_damaged)
        self.checks.backed_up.connect(lambda _backup: self._tell(_("Daily backup made.")))
        info = self.runner.fetch(profile_info)
        self.setWindowTitle(_("EuRegioNet Desktop – {office} – {advisor}").format(
            office=info.office_name, advisor=info.advisor_name or ""))
        self.settings = QSettings(str(core.profile.root / "window.ini"),
                                  QSettings.Format.IniFormat)
        self.places = DocumentPlaces(self.settings)

        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setAccessibleName(_("Navigation"))
        self.stack = QStackedWidget()
        self.dashboard = DashboardView(self.runner)
        self.dashboard.open_record.connect(self.open_record)
        self.lists: dict[str, RecordListView] = {}
        self.views: list[QWidget] = [self.dashboard]
        for prefix, entity, label, columns in LISTS:
            view = RecordListView(self.runner, entity, columns, object_prefix=prefix,
                                  title=_(label), newest_first=entity in NEWEST_FIRST)
            view.open_record.connect(self.open_record)
            view.selection_changed.connect(self._update_record_actions)
            self.lists[entity] = view
            self.views.append(view)
        self.conflicts = ConflictsView(self.runner)
        self.conflicts.open_record.connect(self.open_record)
        self.documents = DocumentsView(self.runner, self.places)
        self.documents.message.connect(self._tell)
        self.sync = SyncView(self.runner, core.profile, places=self.places)
        self.sync.tell.connect(self._tell)
        self.views += [self.documents, self.sync, self.conflicts]
        for view in self.views:
            self.navigation.addItem(view.title)
            self.stack.addWidget(view)
        # Roomy rows: the sidebar is clicked on a touchpad, often on a train.
        self.navigation.setStyleSheet("QListWidget::item { padding: 6px 12px; }")
        self.navigation.setFixedWidth(max(self.navigation.sizeHintForColumn(0) + 40, 170))
        self.navigation.currentRowChanged.connect(self.show_view)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.search = GlobalSearch(self.runner)
        self.search.open_record.connect(self.open_record)
        self._build_actions()
        self.runner.changed.connect(self._changed)
        self.runner.history_changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.statusBar().showMessage(_("Profile: {path}").format(path=core.profile.root))
        self._restore_settings()

    # --- actions, menus, toolbar ---------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, *, name: str,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
        action = QAction(text, self, objectName=name)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            action.setShortcutContext(context)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        table_only = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.new_action = self._action(_("&New…"), self.new_record,
                                       QKeySequence(QKeySequence.StandardKey.New),
                                       name="actionNew")
        self.edit_action = self._action(_("&Edit…"), self.edit_record, QKeySequence("F2"),
                                        name="actionEdit")
        self.delete_action = self._action(_("&Delete"), self.delete_records,
                                          QKeySequence(QKeySequence.StandardKey.Delete),
                                          name="actionDelete", context=table_only)
        # Delete must not fire while typing in a field: it belongs to the lists only.
        self.removeAction(self.delete_action)
        for view in self.lists.values():
            view.table.addAction(self.delete_action)
        self.undo_action = self._action(_("&Undo"), lambda: self.runner.undo(self),
                                        QKeySequence(QKeySequence.StandardKey.Undo),
                                        name="actionUndo")
        self.redo_action = self._action(
            _("&Redo"), lambda: self.runner.redo(self),
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)],
            name="actionRedo")
        self.find_action = self._action(_("&Find…"), self.search.focus_search,
                                        [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")],
                                        name="actionFind")
        self.generate_action = self._action(_("&Generate document…"), self.generate_document,
                                            name="actionGenerateDocument")
        self.directory_action = self._action(_("Generate cluster di&rectory…"),
                                             self.generate_directory,
                                             name="actionGenerateDirectory")
        for entity, view in self.lists.items():
            if entity in KIND_FOR_ENTITY:
                view.record_actions = [self.generate_action]
            elif entity == "cluster":
                view.record_actions = [self.directory_action]
        quit_action = self._action(_("&Quit"), self.close,
                                   QKeySequence(QKeySequence.StandardKey.Quit), name="actionQuit")
        about = self._action(_("&About EuRegioNet Desktop"), self.about, name="actionAbout")
        # Preferences is only bound on macOS and KDE; elsewhere Ctrl+, as many apps have it.
        self.settings_action = self._action(
            _("&Settings…"), self.open_settings,
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
            or [QKeySequence("Ctrl+,")], name="actionSettings")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(quit_action)
        menu = self.menuBar().addMenu(_("&Edit"))
        menu.addActions([self.undo_action, self.redo_action])
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu = self.menuBar().addMenu(_("&Record"))
        menu.addActions([self.new_action, self.edit_action, self.delete_action])
        menu.addSeparator()
        menu.addActions([self.generate_action, self.directory_action])
        menu = self.menuBar().addMenu(_("&View"))
        for row, view in enumerate(self.views):
            go = self._action(view.title, lambda _checked=False, r=row: self.go_to(r),
                              QKeySequence(f"Ctrl+{row + 1}") if row < 9 else None,
                              name=f"actionView{row}")
            menu.addAction(go)
        self.menuBar().addMenu(_("&Help")).addAction(about)

        toolbar = QToolBar(_("Main toolbar"), objectName="mainToolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.new_action, self.edit_action, self.delete_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

    def _update_undo_actions(self) -> None:
        step = self.runner.history.next_undo()
        self.undo_action.setEnabled(step is not None)
        self.undo_action.setText(_("&Undo {action}").format(action=step.label) if step
                                 else _("&Undo"))
        step = self.runner.history.next_redo()
        self.redo_action.setEnabled(step is not None)
        self.redo_action.setText(_("&Redo {action}").format(action=step.label) if step
                                 else _("&Redo"))
        self._update_record_actions()

    def _update_record_actions(self) -> None:
        view = self.current_list()
        for action in (self.new_action, self.edit_action, self.delete_action):
            action.setEnabled(view is not None)
        self.generate_action.setEnabled(view is not None and view.entity in KIND_FOR_ENTITY
                                        and len(view.selected_ids()) == 1)
        self.directory_action.setEnabled(view is not None and view.entity == "cluster")

    # --- views ---------------------------------------------------------------------------
    def go_to(self, row: int) -> None:
        self.navigation.setCurrentRow(row)

    def show_view(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.views[row].ensure_loaded()
        self._update_record_actions()

    def current_list(self) -> RecordListView | None:
        view = self.stack.currentWidget()
        return view if isinstance(view, RecordListView) else None

    def open_record(self, entity: str, record_id: str) -> None:
        """Show a record in its list (clearing a filter that hides it), or its form."""
        view = self.lists.get(entity)
        if view is None:
            RecordDialog.ask(self, self.runner, entity, record_id=record_id)
            return
        self.go_to(self.views.index(view))
        if view.select_record(record_id):
            view.table.setFocus()

    def _changed(self, changes: Changes, initiator: object | None = None) -> None:
        for view in self.views:
            if view is initiator:
                continue  # the view that made the change shows it already
            if view is self.stack.currentWidget() or isinstance(view, RecordListView):
                view.refresh(changes)
        if changes.undo is not None:
            self.statusBar().showMessage(changes.undo.label, 5000)

    # --- record actions ------------------------------------------------------------------
    def new_record(self) -> None:
        if view := self.current_list():
            view.new_record()

    def edit_record(self) -> None:
        if view := self.current_list():
            view.edit_selected()

    def delete_records(self) -> None:
        if view := self.current_list():
            view.delete_selected()

    def generate_document(self) -> None:
        """A Word document from the selected action plan, consultation, evaluation or
        event (an attendance list)."""
        view = self.current_list()
        if view is None or view.entity not in KIND_FOR_ENTITY or not view.current_id():
            return
        generate(self, self.runner, self.places, kind=KIND_FOR_ENTITY[view.entity],
                 record_id=view.current_id(), done=self._tell)

    def generate_directory(self) -> None:
        generate(self, self.runner, self.places, kind=DIRECTORY, record_id=None,
                 done=self._tell)

    def _tell(self, text: str) -> None:
        """A line in the status bar about what was just done (a document written)."""
        self.statusBar().showMessage(text, 8000)

    def open_settings(self) -> None:
        outcome = change_settings(self)
        if isinstance(outcome, RestoreChosen):
            self.request_restore(outcome.backup_id)
        elif outcome is LanguageChange.RESTART_NOW:
            self.restart_requested = self.close()
        elif outcome is LanguageChange.LATER:
            self._tell(_("The new language is used from the next start of EuRegioNet "
                         "Desktop."))

    # --- the profile's health ------------------------------------------------------------
    def check_profile(self) -> None:
        """The database check and the daily backup, in the background (app.run calls it
        once the window is shown)."""
        self.checks.start()

    def _database_damaged(self, error: DamagedDatabaseError) -> None:
        backup_id = offer_restore(self, self.core.profile, error, decline=_("Not now"))
        if backup_id is not None:
            self.request_restore(backup_id)

    def request_restore(self, backup_id: str) -> None:
        """Close the window so that app.run restores ``backup_id`` and opens it again."""
        self.restore_requested = backup_id
        if not self.close():
            self.restore_requested = None

    def about(self) -> None:
        QMessageBox.about(self, _("About EuRegioNet Desktop"), _(
            "EuRegioNet Desktop keeps the clusters, members, consultations, evaluations, action "
            "plans and events of the Polish–German cluster programme, and exchanges them "
            "between the partner offices."))

    # --- remembered layout -------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            self.restoreState(self.settings.value("window/state", QByteArray()))
        else:
            self.resize(1280, 800)
        for view in self.lists.values():
            state = self.settings.value(f"{view.object_prefix}/split")
            if isinstance(state, QByteArray):
                view.splitter.restoreState(state)
            state = self.settings.value(f"{view.object_prefix}/columns")
            if isinstance(state, QByteArray):
                view.header_restored = view.table.horizontalHeader().restoreState(state)
        state = self.settings.value("documents/columns")
        if isinstance(state, QByteArray):
            self.documents.table.horizontalHeader().restoreState(state)
        last = self.settings.value("window/view", 0)
        try:
            row = int(last)
        except (TypeError, ValueError):
            row = 0
        self.navigation.setCurrentRow(row if 0 <= row < len(self.views) else 0)

    def save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/view", self.navigation.currentRow())
        for view in self.lists.values():
            self.settings.setValue(f"{view.object_prefix}/split", view.splitter.saveState())
            self.settings.setValue(f"{view.object_prefix}/columns",
                                   view.table.horizontalHeader().saveState())
        self.settings.setValue("documents/columns",
                               self.documents.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.checks.stopped = True
        self.runner.wait()
        self.save_settings()
        super().closeEvent(event)
