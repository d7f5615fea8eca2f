"""The main window: a navigation sidebar, one view per kind of record, menus and toolbar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
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
from euregionet_desktop.services.table_import import ImportReport
from euregionet_desktop.services.tasks import TaskScope, TaskStatus
from euregionet_desktop.sync.file_type import FILE_SUFFIX, OLD_SUFFIXES
from euregionet_desktop.ui.conflicts_view import ConflictsView
from euregionet_desktop.ui.dashboard import DashboardView
from euregionet_desktop.ui.document_dialogs import (
    DIRECTORY,
    GENERATE_SHORTCUT,
    KIND_FOR_ENTITY,
    DocumentPlaces,
    generate,
)
from euregionet_desktop.ui.documents_view import DocumentsView
from euregionet_desktop.ui.duplicates_view import DuplicatesView
from euregionet_desktop.ui.export_actions import WindowExports
from euregionet_desktop.ui.global_search import GlobalSearch
from euregionet_desktop.ui.icons import icon
from euregionet_desktop.ui.import_wizard import LIST_IMPORTS, ImportWizard, is_table_file
from euregionet_desktop.ui.list_view import RecordListView
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.person_report_action import ask_person_report
from euregionet_desktop.ui.pipeline_view import PipelineView
from euregionet_desktop.ui.profile_health import ProfileChecks, offer_restore
from euregionet_desktop.ui.publish_site import publish_site
from euregionet_desktop.ui.record_dialog import RecordDialog
from euregionet_desktop.ui.retention_dialog import RetentionDialog
from euregionet_desktop.ui.screen_fit import fit_to_screen
from euregionet_desktop.ui.settings_dialog import (
    PROGRAMME_PAGE,
    LanguageChange,
    RestoreChosen,
    change_settings,
)
from euregionet_desktop.ui.sync_view import SyncView
from euregionet_desktop.ui.tasks_view import TasksView
from euregionet_desktop.ui.translations_view import TranslationsView

# (object-name prefix, entity, navigation label, columns)
LISTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("clusters", "cluster", N_("Clusters"), ("name_pl", "name_de", "kind", "region", "country",
                                             "support_status")),
    ("organisations", "organisation", N_("Organisations"), ("name", "kind", "city", "country",
                                                            "nip", "vat_id")),
    ("contacts", "contact", N_("Contacts"), ("last_name", "first_name", "function",
                                             "organisation_id", "email", "phone", "language")),
    ("consultations", "consultation", N_("Consultations"), ("held_at", "subject", "subject_de",
                                                             "mode", "cluster_id",
                                                             "organisation_id", "place")),
    ("tasks", "task", N_("Tasks"), ("done", "due_on", "title", "assignee_id", "cluster_id")),
    ("evaluations", "evaluation", N_("Evaluations"), ("evaluated_on", "cluster_id",
                                                       "evaluator_id", "questionnaire_version")),
    ("actionPlans", "action_plan", N_("Action plans"), ("title", "title_de", "cluster_id",
                                                         "status", "signed_on")),
    ("events", "event", N_("Events"), ("starts_on", "title_pl", "title_de", "kind", "place")),
)

# The sidebar's icons (freedesktop names) by the view's object name.
VIEW_ICONS: dict[str, str] = {
    "dashboard": "go-home", "clustersView": "network-workgroup",
    "organisationsView": "applications-office", "contactsView": "x-office-address-book",
    "consultationsView": "appointment-new",
    "tasksView": "task-due", "evaluationsView": "x-office-spreadsheet",
    "actionPlansView": "x-office-document", "eventsView": "x-office-calendar",
    "documentsView": "folder", "syncView": "mail-send-receive",
    "conflictsView": "dialog-warning", "duplicatesView": "edit-copy",
    "translationsView": "preferences-desktop-locale", "pipelineView": "view-columns"}

# Lists whose first column is a date a person looks at from the latest backwards.
NEWEST_FIRST = frozenset({"consultation", "evaluation", "event"})


def view_shortcut(row: int) -> QKeySequence:
    """The keys for the view in ``row`` of the sidebar: Ctrl+1…9 and Ctrl+0 along the digit
    row for the first ten, then Ctrl+Shift+1, Ctrl+Shift+2… for the others."""
    if row < 10:
        return QKeySequence(f"Ctrl+{(row + 1) % 10}")
    return QKeySequence(f"Ctrl+Shift+{row - 9}")


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
        self._show_title()
        self.settings = QSettings(str(core.profile.root / "window.ini"),
                                  QSettings.Format.IniFormat)
        self.places = DocumentPlaces(self.settings)

        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setAccessibleName(_("Navigation"))
        self.stack = QStackedWidget()
        self.dashboard = DashboardView(self.runner)
        self.dashboard.open_record.connect(self.open_record)
        self.dashboard.open_tasks.connect(self.show_tasks)
        self.dashboard.add_cluster.connect(self.add_first_cluster)
        self.lists: dict[str, RecordListView] = {}
        self.views: list[QWidget] = [self.dashboard]
        for prefix, entity, label, columns in LISTS:
            kind = TasksView if entity == "task" else RecordListView
            view = kind(self.runner, entity, columns, object_prefix=prefix,
                        title=_(label), newest_first=entity in NEWEST_FIRST)
            view.open_record.connect(self.open_record)
            view.selection_changed.connect(self._update_record_actions)
            view.generate_requested.connect(self.generate_for)
            if view.detail.attachments is not None:  # Attach file… remembers its folder
                view.detail.attachments.places = self.places
            self.lists[entity] = view
            self.views.append(view)
        self.conflicts = ConflictsView(self.runner)
        self.conflicts.open_record.connect(self.open_record)
        self.documents = DocumentsView(self.runner, self.places)
        self.documents.message.connect(self._tell)
        self.sync_view = SyncView(self.runner, core.profile, places=self.places)
        self.sync_view.tell.connect(self._tell)
        # Last in the sidebar: housekeeping after the exchange, like Conflicts (and the
        # other views keep their shortcuts).
        self.duplicates = DuplicatesView(self.runner)
        self.duplicates.open_record.connect(self.open_record)
        self.translations = TranslationsView(self.runner)
        self.translations.open_record.connect(self.open_record)
        # The programme's own work after them (the other views keep their shortcuts).
        self.pipeline = PipelineView(self.runner)
        self.pipeline.open_record.connect(self.open_record)
        self.pipeline.message.connect(self._tell)
        self.views += [self.documents, self.sync_view, self.conflicts, self.duplicates,
                       self.translations, self.pipeline]
        sync = self.sync_view
        # The dashboard's first steps happen in the Sync view, where their result shows.
        self.dashboard.trust_key.connect(lambda: self._in_view(sync, sync.trust_partner))
        self.dashboard.import_bundle.connect(lambda: self._in_view(sync, sync.import_bundle))
        for view in self.lists.values():
            view.empty.set_partner_actions([
                ("emptyImportBundle", _("Import a partner's bundle…"),
                 lambda: self._in_view(sync, sync.import_bundle)),
                ("emptyTrustKey", _("Trust a partner's key file…"),
                 lambda: self._in_view(sync, sync.trust_partner))])
        for view in self.views:
            self.navigation.addItem(QListWidgetItem(
                icon(VIEW_ICONS.get(view.objectName(), "")), view.title))
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
        self.setAcceptDrops(True)  # a spreadsheet or a bundle dropped on it is imported
        self._restore_settings()

    def _show_title(self) -> None:
        info = self.runner.fetch(profile_info)
        self.setWindowTitle(_("EuRegioNet Desktop – {office} – {advisor}").format(
            office=info.office_name, advisor=info.advisor_name or ""))

    # --- actions, menus, toolbar ---------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, *, name: str,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
                icon_name: str = "") -> QAction:
        action = QAction(text, self, objectName=name)
        if icon_name:
            action.setIcon(icon(icon_name))
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
                                       name="actionNew", icon_name="document-new")
        self.edit_action = self._action(_("&Edit…"), self.edit_record, QKeySequence("F2"),
                                        name="actionEdit", icon_name="document-edit")
        self.delete_action = self._action(_("&Delete"), self.delete_records,
                                          QKeySequence(QKeySequence.StandardKey.Delete),
                                          name="actionDelete", context=table_only,
                                          icon_name="edit-delete")
        # Delete must not fire while typing in a field: it belongs to the lists only.
        self.removeAction(self.delete_action)
        for view in self.lists.values():
            view.table.addAction(self.delete_action)
        self.undo_action = self._action(_("&Undo"), lambda: self.runner.undo(self),
                                        QKeySequence(QKeySequence.StandardKey.Undo),
                                        name="actionUndo", icon_name="edit-undo")
        self.redo_action = self._action(
            _("&Redo"), lambda: self.runner.redo(self),
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)],
            name="actionRedo", icon_name="edit-redo")
        self.find_action = self._action(_("&Find…"), self.search.focus_search,
                                        [QKeySequence("Ctrl+K"), QKeySequence("Ctrl+F")],
                                        name="actionFind", icon_name="edit-find")
        self.generate_action = self._action(_("&Generate document…"), self.generate_document,
                                            GENERATE_SHORTCUT, name="actionGenerateDocument",
                                            icon_name="document-export")
        self.directory_action = self._action(_("Generate cluster di&rectory…"),
                                             self.generate_directory,
                                             name="actionGenerateDirectory")
        self.person_report_action = self._action(_("&Person report…"), self.person_report,
                                                 name="actionPersonReport")
        for entity, view in self.lists.items():
            if entity == "contact":  # what is held about a person (GDPR Art. 15 and 20)
                view.record_actions = [self.person_report_action]
            elif entity in KIND_FOR_ENTITY:
                view.record_actions = [self.generate_action]
            elif entity == "cluster":
                view.record_actions = [self.directory_action]
        quit_action = self._action(_("&Quit"), self.close,
                                   QKeySequence(QKeySequence.StandardKey.Quit), name="actionQuit",
                                   icon_name="application-exit")
        about = self._action(_("&About EuRegioNet Desktop"), self.about, name="actionAbout",
                             icon_name="help-about")
        # Preferences is only bound on macOS and KDE; elsewhere Ctrl+, as many apps have it.
        self.settings_action = self._action(
            _("&Settings…"), self.open_settings,
            QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
            or [QKeySequence("Ctrl+,")], name="actionSettings", icon_name="preferences-system")
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        # Ctrl+O: the app opens no other kind of file, and this is how lists come in.
        self.import_action = self._action(_("&Import from a file…"), lambda: self.import_file(),
                                          QKeySequence(QKeySequence.StandardKey.Open),
                                          name="actionImportFile", icon_name="document-open")
        for entity, kinds in LIST_IMPORTS.items():
            self.lists[entity].import_actions = [self._list_import(entity, kind, text)
                                                 for kind, text in kinds]
        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(self.import_action)
        self.exports = WindowExports(self, self.runner, self.places, lists=self.lists,
                                     current_list=self.current_list,
                                     status_bar=self.statusBar())
        menu.addMenu(self.exports.menu)
        menu.addAction(self._action(_("&Publish the website…"), lambda: publish_site(
            self, self.runner, self.places), name="actionPublish"))
        menu.addSeparator()
        menu.addAction(quit_action)
        menu = self.menuBar().addMenu(_("&Edit"))
        menu.addActions([self.undo_action, self.redo_action])
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addSeparator()
        menu.addAction(self._action(_("Re&tention review…"), self.review_retention,
                                    name="actionRetentionReview"))
        menu.addAction(self.settings_action)
        menu = self.menuBar().addMenu(_("&Record"))
        menu.addActions([self.new_action, self.edit_action, self.delete_action])
        menu.addSeparator()
        menu.addActions([self.generate_action, self.directory_action])
        menu.addSeparator()
        menu.addAction(self.person_report_action)
        menu = self.menuBar().addMenu(_("&View"))
        for row, view in enumerate(self.views):
            go = self._action(view.title, lambda _checked=False, r=row: self.go_to(r),
                              view_shortcut(row), name=f"actionView{row}")
            menu.addAction(go)
        self.menuBar().addMenu(_("&Help")).addAction(about)

        toolbar = QToolBar(_("Main toolbar"), objectName="mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Undo and Redo keep a short label, so the toolbar does not shift as the step they
        # undo changes; the step is named in the menu and in the tooltip.
        self.undo_action.setIconText(_("Undo"))
        self.redo_action.setIconText(_("Redo"))
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
        for action in (self.undo_action, self.redo_action):
            action.setToolTip(_("{action} ({shortcut})").format(
                action=action.text().replace("&", ""),
                shortcut=action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        self._update_record_actions()

    def _update_record_actions(self) -> None:
        view = self.current_list()
        for action in (self.new_action, self.edit_action, self.delete_action):
            action.setEnabled(view is not None)
        self.generate_action.setEnabled(view is not None and view.entity in KIND_FOR_ENTITY
                                        and len(view.selected_ids()) == 1)
        self.directory_action.setEnabled(view is not None and view.entity == "cluster")
        self.person_report_action.setEnabled(view is not None and view.entity == "contact"
                                             and len(view.selected_ids()) == 1)

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

    def show_tasks(self, status: str) -> None:
        """The Tasks list filtered as a dashboard counter counts: everyone's follow-ups in
        that state."""
        view = self.lists["task"]
        assert isinstance(view, TasksView)
        view.show_filtered(status=TaskStatus(status), scope=TaskScope.ALL)
        self.go_to(self.views.index(view))  # loads the list once, already filtered
        if view.model.rowCount():
            view.table.selectRow(0)
        view.table.setFocus()

    def _changed(self, changes: Changes, initiator: object | None = None) -> None:
        for view in self.views:
            if view is initiator:
                continue  # the view that made the change shows it already
            if view is self.stack.currentWidget() or isinstance(view, RecordListView):
                view.refresh(changes)
        if changes.undo is not None:
            self.statusBar().showMessage(changes.undo.label, 5000)
        if "installation" in changes.entities:  # the office corrected in the Settings
            self._show_title()

    # --- record actions ------------------------------------------------------------------
    def new_record(self) -> None:
        if view := self.current_list():
            view.new_record()

    def add_first_cluster(self) -> None:
        """The dashboard's first step: the cluster list, and a new cluster's form."""
        view = self.lists["cluster"]
        self._in_view(view, view.new_record)

    def _in_view(self, view: QWidget, action: Callable[[], object]) -> None:
        """One of a view's own actions, with that view shown (where its result is)."""
        self.go_to(self.views.index(view))
        action()

    def open_bundle(self, path: Path) -> None:
        """A bundle file opened with the app (``euregionet FILE.eurnet``, a double click):
        the Sync view's own import, its preview first."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self._in_view(self.sync_view, lambda: self.sync_view.import_file(path))

    def _list_import(self, entity: str, kind: str, text: str) -> QAction:
        """A list's "Import … from a file" (its context menu): the wizard with that kind
        chosen, and for participants the event selected in the list."""
        action = QAction(_(text), self.lists[entity], objectName=f"actionImport_{kind}")
        action.triggered.connect(lambda: self.import_file(
            kind=kind, event_id=self.lists[entity].current_id() if entity == "event" else None))
        return action

    def import_file(self, path: Path | None = None, *, kind: str | None = None,
                    event_id: str | None = None) -> ImportWizard:
        """The import wizard, on ``path`` if given, its kind that of the list shown (or
        ``kind``); the list of what was imported is shown once it is written."""
        if kind is None and (view := self.current_list()) is not None:
            kind = view.entity
        wizard = ImportWizard.open_for(self, self.runner, self.places, path=path, kind=kind,
                                       event_id=event_id)
        wizard.done_importing.connect(self._imported)
        return wizard

    def _imported(self, report: ImportReport) -> None:
        view = self.lists.get(report.kind)
        if view is not None:
            self.go_to(self.views.index(view))
            first = next((o.record_id for o in report.outcomes if o.record_id), None)
            if first is not None:
                view.select_record(first)
        self._tell(_("{file} is imported.").format(file=report.file_name))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """A bundle goes to the Sync view's import, a spreadsheet or address book to the
        import wizard; opened once the drop is over (the file manager waits for it)."""
        path = _dropped_file(event)
        if path is None:
            return
        event.acceptProposedAction()
        if is_table_file(path):
            QTimer.singleShot(0, lambda: self.import_file(path))
        else:
            QTimer.singleShot(0, lambda: self.open_bundle(path))

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
        self.generate_for(KIND_FOR_ENTITY[view.entity], view.current_id())

    def generate_for(self, kind: str, record_id: str) -> None:
        """A document from one record (the selected one, or one in a detail pane's tab)."""
        generate(self, self.runner, self.places, kind=kind, record_id=record_id,
                 done=self._tell)

    def generate_directory(self) -> None:
        generate(self, self.runner, self.places, kind=DIRECTORY, record_id=None,
                 done=self._tell)

    def person_report(self) -> None:
        """What is held about the selected contact person, as a Word document or JSON."""
        view = self.current_list()
        if view is not None and view.entity == "contact" and view.current_id():
            ask_person_report(self, self.runner, self.places, contact_id=view.current_id(),
                              done=self._tell)

    def _tell(self, text: str) -> None:
        """A line in the status bar about what was just done (a document written)."""
        self.statusBar().showMessage(text, 8000)

    def open_settings(self, *, page: str | None = None) -> LanguageChange | RestoreChosen:
        """The Settings dialog (on ``page``, a tab's object name, if given) and what
        follows it."""
        outcome = change_settings(self, page=page)
        if isinstance(outcome, RestoreChosen):
            self.request_restore(outcome.backup_id)
        elif outcome is LanguageChange.RESTART_NOW:
            self.restart_requested = self.close()
        elif outcome is LanguageChange.LATER:
            self._tell(_("The new language is used from the next start of EuRegioNet "
                         "Desktop."))
        return outcome

    def review_retention(self) -> None:
        """The contact persons due for review; asked for the programme settings (to set
        the retention period), the window opens them and then the review again."""
        while RetentionDialog.ask(self, self.runner) is RetentionDialog.Outcome.OPEN_SETTINGS:
            if self.open_settings(page=PROGRAMME_PAGE) is not LanguageChange.NONE:
                return

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
            fit_to_screen(self, 1280, 800)  # smaller on a 1366×768 laptop
        for view in self.lists.values():
            state = self.settings.value(f"{view.object_prefix}/split")
            if isinstance(state, QByteArray):
                view.splitter.restoreState(state)
            state = self.settings.value(f"{view.object_prefix}/columns")
            if isinstance(state, QByteArray):
                view.header_restored = view.table.horizontalHeader().restoreState(state)
            view.set_column_choices(str(self.settings.value(f"{view.object_prefix}/shown", "")))
            view.set_column_widths(str(self.settings.value(f"{view.object_prefix}/widths", "")))
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
            self.settings.setValue(f"{view.object_prefix}/shown", view.column_choices_text())
            self.settings.setValue(f"{view.object_prefix}/widths", view.column_widths_text())
        self.settings.setValue("documents/columns",
                               self.documents.table.horizontalHeader().saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.checks.stopped = True
        self.runner.wait()
        self.save_settings()
        super().closeEvent(event)


def _dropped_file(event: QDropEvent | QDragEnterEvent) -> Path | None:
    """The first file of a drop that the window imports (a table or a bundle), or None."""
    for url in event.mimeData().urls() if event.mimeData().hasUrls() else ():
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is not None and (is_table_file(path) or path.suffix.lower() in (
                FILE_SUFFIX, *OLD_SUFFIXES)):
            return path
    return None
