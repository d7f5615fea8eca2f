"""The dashboard's evidence column: counted / with evidence / target per indicator, the
records without evidence listed and opened, and the count rising once a signed
attendance list is dropped on the counted event."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QRadioButton
from test_attachments_gui import answer_kind_dialog, drop_files

from euregionet_desktop import i18n
from euregionet_desktop.ui.attachments_tab import AttachmentKindDialog
from euregionet_desktop.ui.dashboard import DashboardView
from euregionet_desktop.ui.evidence_column import RECORD_ROLE, CountedItemsDialog, EvidenceButton
from euregionet_desktop.ui.op_runner import OpRunner

pytestmark = pytest.mark.usefixtures("english", "crash_fails")


def evidence(window, code: str) -> EvidenceButton:
    return window.dashboard.findChild(EvidenceButton, f"indicatorEvidence_{code}")


def load_dashboard(qtbot, window) -> None:
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        window.go_to(window.views.index(window.dashboard))
        window.dashboard.ensure_loaded()


@pytest.fixture
def congress(add):
    """A cluster congress that took place (counted), and one still to come (not)."""
    held = add("event", title_pl="Kongres klastrów 2019", kind="cluster_congress",
               starts_on="2019-05-06")
    add("event", title_pl="Kongres przyszły", kind="cluster_congress",
        starts_on=(dt.date.today() + dt.timedelta(days=400)).isoformat())
    return held


def test_attaching_a_signed_list_to_a_counted_event_raises_the_evidence_count(
        qtbot, window, core, congress, tmp_path):
    """0 with evidence, 1 missing (marked) → the list names the congress → a signed
    attendance list dropped on its pane → 1 with evidence, nothing marked."""
    load_dashboard(qtbot, window)
    value = window.dashboard.findChild(QLabel, "indicatorValue_cluster_congress").text()
    assert value.startswith("1 of ")  # counted of target; the planned one does not count
    button = evidence(window, "cluster_congress")
    assert button.text() == "0 with evidence, 1 missing"
    assert "font-weight: bold" in button.styleSheet()
    assert "Kongres klastrów 2019" in button.toolTip()

    # Clicked: the counted records, the congress flagged; Enter on it opens it.
    def in_list() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CountedItemsDialog):
            QTimer.singleShot(10, in_list)
            return
        item = dialog.list.topLevelItem(0)
        assert dialog.list.topLevelItemCount() == 1
        assert item.text(0) == "Kongres klastrów 2019"
        assert item.text(3) == "Evidence missing"
        assert item.data(0, RECORD_ROLE) == ("event", congress)
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, in_list)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    events = window.lists["event"]
    assert window.stack.currentWidget() is events
    assert events.current_id() == congress

    scan = tmp_path / "lista obecności.pdf"
    scan.write_bytes(b"%PDF-1.4 signed by everyone")
    answer_kind_dialog(qtbot, lambda dialog: dialog.accept())  # the default: signed list
    assert drop_files(events.detail, [scan])
    qtbot.waitUntil(lambda: "attached" in window.statusBar().currentMessage(), timeout=5000)

    # Back on the dashboard (as the sidebar leads there), read again.
    with qtbot.waitSignal(window.dashboard.loaded, timeout=5000):
        window.go_to(window.views.index(window.dashboard))
    button = evidence(window, "cluster_congress")
    assert button.text() == "1 with evidence"
    assert "font-weight: bold" not in button.styleSheet()


def test_a_photo_is_evidence_too_but_another_file_is_not(qtbot, window, core, congress,
                                                        tmp_path):
    """An event is proven by a signed attendance list or a photo; "Other file" is kept
    but proves nothing."""
    events = window.lists["event"]
    window.go_to(window.views.index(events))
    assert events.select_record(congress)
    other = tmp_path / "agenda.pdf"
    other.write_bytes(b"%PDF-1.4 agenda")

    def other_file(dialog) -> None:
        radio = dialog.findChild(QRadioButton, "kind_file")
        qtbot.mouseClick(radio, Qt.MouseButton.LeftButton,
                         pos=QPoint(radio.height() // 2, radio.height() // 2))
        dialog.accept()

    answer_kind_dialog(qtbot, other_file)
    assert drop_files(events.detail, [other])
    qtbot.waitUntil(lambda: "attached" in window.statusBar().currentMessage(), timeout=5000)
    load_dashboard(qtbot, window)
    assert evidence(window, "cluster_congress").text() == "0 with evidence, 1 missing"


def test_nothing_counted_shows_a_dash_and_opens_nothing(qtbot, window):
    load_dashboard(qtbot, window)
    button = evidence(window, "cluster_congress")
    assert button.text() == "–" and not button.isEnabled()


@pytest.mark.parametrize(("language", "shown", "kinds"), [
    ("pl", "z dowodem: 0, bez: 1", ["Podpisana lista obecności", "Zdjęcie"]),
    ("de", "0 belegt, 1 fehlt", ["Unterschriebene Teilnehmerliste", "Foto"]),
])
def test_the_column_and_the_kind_dialog_speak_polish_and_german(qtbot, core, congress,
                                                                tmp_path, language, shown,
                                                                kinds):
    i18n.set_language(language)
    dashboard = DashboardView(OpRunner(core.backend))
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.loaded, timeout=5000):
        dashboard.ensure_loaded()
    assert dashboard.findChild(EvidenceButton,
                               "indicatorEvidence_cluster_congress").text() == shown
    dialog = AttachmentKindDialog(None, default="signed_attendance",
                                  files=[tmp_path / "a.pdf"], record_label="Kongres")
    qtbot.addWidget(dialog)
    labels = [button.text() for button in dialog.findChildren(QRadioButton)]
    assert labels[:2] == kinds
