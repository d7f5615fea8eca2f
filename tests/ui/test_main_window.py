"""The main window on a real profile: navigation, lazy lists sorted in SQL, dashboard."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QTableView, QWidget

from euregionet_desktop.paths import Profile
from euregionet_desktop.services import records
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.op_runner import OpRunner
from euregionet_desktop.ui.record_model import RecordTableModel

CLUSTER_NAMES = ["Żagański Klaster", "Zielonogórski Klaster Energii", "Łagowska Sieć",
                 "Lubuski Klaster Metalowy", "Ćmielowski Klaster", "Czerwieński Klaster"]


@pytest.fixture
def core(tmp_path):
    core = open_profile(Profile(tmp_path / "profile"))
    core.backend.run(initialise, office="LOP", advisor_name="Anna Testowa")
    for name in CLUSTER_NAMES:
        core.backend.run(records.create, entity="cluster",
                         values={"name_pl": name, "country": "PL"})
    core.backend.run(records.create, entity="event", values={
        "kind": "kickoff", "title_pl": "Spotkanie startowe", "starts_on": "2017-09-19"})
    yield core
    core.close()


def _column(model, column=0):
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_clusters_list_sorts_in_polish_order(qtbot, core):
    """Clicking the name header sorts clusters a ą … c ć … l ł … z ź ż, both ways."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(1)
    table = window.findChild(QTableView, "clustersTable")
    assert table is not None
    names = _column(table.model())
    assert names == ["Czerwieński Klaster", "Ćmielowski Klaster", "Lubuski Klaster Metalowy",
                     "Łagowska Sieć", "Zielonogórski Klaster Energii", "Żagański Klaster"]
    table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert _column(table.model()) == list(reversed(names))


def test_filter_field_narrows_the_list_with_folding(qtbot, core):
    """Typing 'lagow' in the filter finds 'Łagowska Sieć'."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.navigation.setCurrentRow(1)
    view = window.views[1]
    view.filter.setText("lagow")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.index(0, 0).data() == "Łagowska Sieć"


def test_dashboard_shows_every_indicator_against_its_target(qtbot, core):
    """The kick-off meeting shows as 1 of 4 on the dashboard."""
    window = MainWindow(core)
    qtbot.addWidget(window)
    assert window.findChild(QWidget, "dashboard") is not None
    qtbot.waitUntil(lambda: window.findChild(QProgressBar, "indicator_kickoff_meetings")
                    is not None)
    kickoff = window.findChild(QProgressBar, "indicator_kickoff_meetings")
    assert kickoff.value() == 1 and kickoff.maximum() == 4
    # Every indicator of the dashboard (the Sync view's hub group has a bar of its own).
    assert len(window.findChild(QWidget, "dashboard").findChildren(QProgressBar)) == 11


def test_record_model_passes_qtmodeltester(qtmodeltester, core):
    """The lazy record model keeps Qt's model contract, also after sorting and filtering."""
    model = RecordTableModel(OpRunner(core.backend), "cluster", ["name_pl", "kind", "founded_on"])
    model.reload()
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_filter("klaster")
    qtmodeltester.check(model)
    assert model.rowCount() == 5
