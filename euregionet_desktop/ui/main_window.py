"""The main window: a navigation sidebar and one view per kind of record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QListWidget, QMainWindow, QSplitter, QStackedWidget, QWidget

from euregionet_desktop.i18n import N_, _
from euregionet_desktop.services.profile import Core, profile_info
from euregionet_desktop.ui.dashboard import DashboardView
from euregionet_desktop.ui.list_view import RecordListView

# (object-name prefix, entity, navigation label, columns)
LISTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("clusters", "cluster", N_("Clusters"), ("name_pl", "name_de", "kind", "region", "country",
                                             "support_status")),
    ("organisations", "organisation", N_("Organisations"), ("name", "kind", "city", "country",
                                                            "nip", "vat_id")),
    ("contacts", "contact", N_("Contacts"), ("last_name", "first_name", "function", "email",
                                             "phone", "language")),
    ("consultations", "consultation", N_("Consultations"), ("held_at", "subject", "mode",
                                                             "place", "topics")),
    ("tasks", "task", N_("Tasks"), ("title", "due_on", "done")),
    ("evaluations", "evaluation", N_("Evaluations"), ("evaluated_on", "questionnaire_version",
                                                       "strengths")),
    ("actionPlans", "action_plan", N_("Action plans"), ("title", "status", "signed_on")),
    ("events", "event", N_("Events"), ("title_pl", "title_de", "kind", "starts_on", "place")),
)


class MainWindow(QMainWindow):
    def __init__(self, core: Core) -> None:
        super().__init__()
        self.core = core
        info = core.backend.read(profile_info)
        self.setWindowTitle(_("EuRegioNet Desktop – {office} – {advisor}").format(
            office=info.office_name, advisor=info.advisor_name or ""))
        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setAccessibleName(_("Navigation"))
        self.stack = QStackedWidget()
        self.views: list[QWidget] = [DashboardView(core.backend)]
        for prefix, entity, label, columns in LISTS:
            self.views.append(RecordListView(core.backend, entity, columns,
                                             object_prefix=prefix, title=_(label)))
        for view in self.views:
            self.navigation.addItem(view.title)
            self.stack.addWidget(view)
        self.navigation.currentRowChanged.connect(self.show_view)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1000])
        self.setCentralWidget(splitter)
        quit_action = QAction(_("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menuBar().addMenu(_("&File")).addAction(quit_action)
        self.statusBar().showMessage(_("Profile: {path}").format(path=core.profile.root))
        self.resize(1200, 760)
        self.navigation.setCurrentRow(0)

    def show_view(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.views[row].ensure_loaded()
