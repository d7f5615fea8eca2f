"""The Sync view's Hub group driven as a person does: a shared folder set up in its dialog,
Sync now, a partner receiving through the same folder, the folder gone (a USB stick
pulled) as a quiet state, and the automatic sync on its timer."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QSpinBox

from euregionet_desktop.errors import MailboxOffline
from euregionet_desktop.services import hub, records
from euregionet_desktop.ui import hub_group
from euregionet_desktop.ui.main_window import MainWindow
from euregionet_desktop.ui.sync_view import SyncView
from tests.ui.ui_helpers import in_modal

SYNC_TIMEOUT = 30_000


def _sync_window(qtbot, core) -> tuple[MainWindow, SyncView]:
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    view = window.sync_view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.go_to(window.views.index(view))
    return window, view


def _set_up(qtbot, view: SyncView, url: str, *, minutes: int | None = None) -> list[str]:
    """Open the hub's dialog with its button, type the URL (and tick the automatic sync),
    Save. What the dialog said under its fields, if it stayed open."""
    said: list[str] = []

    def handle(dialog) -> None:
        edit = dialog.findChild(QLineEdit, "hubUrl")
        edit.clear()
        qtbot.keyClicks(edit, url)
        if minutes is not None:
            auto = dialog.findChild(QCheckBox, "hubAuto")
            if not auto.isChecked():
                qtbot.mouseClick(auto, Qt.MouseButton.LeftButton)
            assert auto.isChecked()
            spin = dialog.findChild(QSpinBox, "hubMinutes")
            spin.lineEdit().selectAll()
            qtbot.keyClicks(spin.lineEdit(), str(minutes))
        qtbot.mouseClick(dialog.findChild(QPushButton, "hubSave"), Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # refused: the dialog stays, the reason under the field
            said.extend(label.text() for name in ("hubUrlError", "hubAutoError")
                        if (label := dialog.findChild(QLabel, name)).isVisible())

    in_modal(qtbot, lambda: qtbot.mouseClick(view.hub.setup_button,
                                             Qt.MouseButton.LeftButton), handle)
    return said


def _click_sync(qtbot, view: SyncView):
    """Sync now, as a person clicks it; what the sync ended with (a report or an error)."""
    group = view.hub
    running: list[tuple[bool, bool]] = []  # seen right after the click started the sync
    group.sync_button.clicked.connect(lambda: running.append(
        (group.sync_button.isEnabled(), group.progress.isVisible())))
    with qtbot.waitSignal(group.ended, timeout=SYNC_TIMEOUT) as ended:
        qtbot.mouseClick(group.sync_button, Qt.MouseButton.LeftButton)
    assert running[-1] == (False, True)  # one sync at a time, its progress in the group
    assert group.sync_button.isEnabled() and not group.progress.isVisible()
    return ended.args[0]


def _bundles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".eurnet")


def _contacts(core) -> list[str]:
    page = core.backend.read(records.list_page, entity="contact")
    return [row.values["last_name"] for row in page.rows]


def test_sync_now_through_a_folder_reaches_the_partner(qtbot, offices, tmp_path, english,
                                                       told, crash_fails):
    folder = tmp_path / "share"
    folder.mkdir()
    _window_bic, bic = _sync_window(qtbot, offices["BIC"])
    assert "No hub set up" in bic.hub.location.text()
    assert not bic.hub.sync_button.isVisible()

    # A folder given without its full path is refused next to the field; nothing stored.
    assert _set_up(qtbot, bic, "share") == [
        f"Give the hub folder as a full path, for example {Path.home() / 'EuRegioNet'}."]
    assert _set_up(qtbot, bic, "postgresql://bic:secret@hub.example.org/euregionet")[0] \
        .startswith("The hub's URL holds a password")
    assert offices["BIC"].backend.read(hub.hub_settings) is None

    with qtbot.waitSignal(bic.hub.shown, timeout=10_000):
        assert _set_up(qtbot, bic, str(folder)) == []
    settings = offices["BIC"].backend.read(hub.hub_settings)
    assert (settings.url, settings.kind, settings.auto_minutes) == (str(folder), "folder", None)
    assert bic.hub.location.text() == f"Shared folder: {folder}"
    assert "Last sync: never" in bic.hub.status.text()
    assert bic.hub.setup_button.text() == "Change…"
    assert not bic.hub.timer.isActive()  # no automatic sync asked for

    before = offices["BIC"].backend.read(hub.hub_status).pending_out
    bic.runner.write(None, records.create, entity="contact",
                     values={"first_name": "Ola", "last_name": "Hubowska"})
    with qtbot.waitSignal(bic.hub.shown, timeout=10_000):
        bic.hub.reload()
    pending = offices["BIC"].backend.read(hub.hub_status).pending_out
    assert pending > before
    assert f"{pending} changes to send" in bic.hub.status.text()

    with qtbot.waitSignal(bic.hub.shown, timeout=10_000):
        report = _click_sync(qtbot, bic)
    assert isinstance(report, hub.HubReport), report
    assert report.pushed_changes >= 1
    sent = _bundles(folder)
    assert [p.stem for p in sent] == [report.pushed_bundle]
    line = bic.hub.line.text()
    assert line.startswith("Synced at ") and re.search(
        rf"Sent {report.pushed_changes} changes? to {re.escape(str(folder))}\.", line), line
    assert "0 changes to send" in bic.hub.status.text()
    assert "Last sync: never" not in bic.hub.status.text()
    assert offices["BIC"].backend.read(hub.hub_settings).last_sync_at is not None

    # LOP sets up the same folder in its own window and receives the contact.
    _window_lop, lop = _sync_window(qtbot, offices["LOP"])
    assert _set_up(qtbot, lop, str(folder)) == []
    refreshed = []
    lop.runner.changed.connect(lambda changes, _who: refreshed.append(changes.entities))
    report = _click_sync(qtbot, lop)
    assert isinstance(report, hub.HubReport), report
    assert report.imported == 1 and report.applied >= 1
    assert _contacts(offices["LOP"]) == ["Hubowska"]
    assert "1 bundle received:" in lop.hub.line.text()
    assert any("contact" in entities for entities in refreshed)  # the lists refresh
    assert len(_bundles(folder)) == 2  # LOP's own (its acknowledgements) is there too
    assert told == {"information": [], "warning": [], "critical": []}


def test_a_pulled_usb_stick_is_a_quiet_state_and_the_next_sync_works(qtbot, offices,
                                                                      tmp_path, english,
                                                                      told, crash_fails):
    stick = tmp_path / "stick"
    stick.mkdir()
    _window, view = _sync_window(qtbot, offices["BIC"])
    assert _set_up(qtbot, view, str(stick)) == []
    view.runner.write(None, records.create, entity="contact",
                      values={"first_name": "Piotr", "last_name": "Pendrive"})

    pulled = tmp_path / "elsewhere"
    stick.rename(pulled)  # the stick is pulled out
    error = _click_sync(qtbot, view)
    assert isinstance(error, MailboxOffline), error
    line = view.hub.line.text()
    assert line.startswith("Hub not reachable — tried at "), line
    assert view.hub.retry.isVisible()
    assert QApplication.activeModalWidget() is None  # no box waits for a click
    assert told == {"information": [], "warning": [], "critical": []}
    settings = offices["BIC"].backend.read(hub.hub_settings)
    assert settings.last_sync_at is None and settings.last_attempt_at is not None
    assert list(pulled.iterdir()) == []  # nothing half-written was left behind

    pulled.rename(stick)  # put back: Retry does it
    with qtbot.waitSignal(view.hub.ended, timeout=SYNC_TIMEOUT) as ended:
        qtbot.mouseClick(view.hub.retry, Qt.MouseButton.LeftButton)
    report = ended.args[0]
    assert isinstance(report, hub.HubReport), report
    assert report.pushed_changes >= 1
    assert [p.stem for p in _bundles(stick)] == [report.pushed_bundle]
    assert view.hub.line.text().startswith("Synced at ")
    assert not view.hub.retry.isVisible()
    assert told == {"information": [], "warning": [], "critical": []}


def _ended_with(kind):
    return lambda outcome: isinstance(outcome, kind)


def _next_tick(qtbot, group, check) -> None:
    """Wait for a sync the timer starts (not a click) to end as ``check`` wants."""
    qtbot.waitSignal(group.ended, timeout=SYNC_TIMEOUT, check_params_cb=check).wait()


def test_automatic_sync_runs_on_its_timer_in_any_view_and_retries_after_a_failure(
        qtbot, offices, tmp_path, english, told, crash_fails, monkeypatch):
    monkeypatch.setattr(hub_group, "MINUTE_MS", 200)  # the test's minute
    folder = tmp_path / "cloud"
    folder.mkdir()
    core = offices["BIC"]
    window, view = _sync_window(qtbot, core)
    group = view.hub
    assert not group.timer.isActive()
    assert _set_up(qtbot, view, str(folder), minutes=1) == []
    assert core.backend.read(hub.hub_settings).auto_minutes == 1
    assert group.timer.isActive() and group.timer.interval() == 200
    assert "synced automatically every 1 minute" in group.status.text()

    # A new window on the profile arms its timer from the start, the Sync view not shown.
    other = MainWindow(core)
    qtbot.addWidget(other)
    assert other.sync_view.hub.timer.isActive()
    assert other.sync_view.hub.timer.interval() == 200
    other.sync_view.hub.timer.stop()
    other.close()

    window.go_to(0)  # another view is shown: the timer runs all the same
    assert not view.isVisible()
    view.runner.write(None, records.create, entity="contact",
                      values={"first_name": "Ada", "last_name": "Automat"})
    _next_tick(qtbot, group, _ended_with(hub.HubReport))
    qtbot.waitUntil(lambda: core.backend.read(hub.hub_status).pending_out == 0,
                    timeout=SYNC_TIMEOUT)
    assert _bundles(folder)
    assert core.backend.read(hub.hub_settings).last_sync_at is not None

    # The folder goes away: a tick fails quietly (no box), one after it is back syncs.
    gone = tmp_path / "gone"
    folder.rename(gone)
    _next_tick(qtbot, group, _ended_with(MailboxOffline))
    assert "Hub not reachable — tried at " in group.line.text()
    assert "tried again in 1 minute" in group.line.text()
    assert QApplication.activeModalWidget() is None
    gone.rename(folder)
    sent_before = len(_bundles(folder))
    view.runner.write(None, records.create, entity="contact",
                      values={"first_name": "Bea", "last_name": "Zweitens"})
    _next_tick(qtbot, group,
               lambda o: isinstance(o, hub.HubReport) and o.pushed_changes > 0)
    assert len(_bundles(folder)) > sent_before
    assert group.line.text().startswith("Synced at ")
    assert told == {"information": [], "warning": [], "critical": []}
    group.timer.stop()
    qtbot.waitUntil(lambda: not group.running, timeout=SYNC_TIMEOUT)  # a tick's sync ends


def test_sync_now_and_the_automatic_sync_through_the_postgresql_hub(
        qtbot, offices, pg_hub, english, told, crash_fails, monkeypatch):
    """The office hub on a real PostgreSQL server: set up in the dialog, Sync now sends,
    the partner's Sync now receives; the server stopped is the quiet offline line with
    Retry, and once it runs again the automatic sync goes through on its own."""
    monkeypatch.setattr(hub_group, "MINUTE_MS", 200)
    _window_bic, bic = _sync_window(qtbot, offices["BIC"])
    with qtbot.waitSignal(bic.hub.shown, timeout=10_000):
        assert _set_up(qtbot, bic, pg_hub.url("BIC")) == []
    assert offices["BIC"].backend.read(hub.hub_settings).kind == "postgresql"
    bic.runner.write(None, records.create, entity="contact",
                     values={"first_name": "Greta", "last_name": "Postgresowa"})
    report = _click_sync(qtbot, bic)
    assert isinstance(report, hub.HubReport), report
    assert report.pushed_changes >= 1
    assert [row[1] for row in pg_hub.rows()] == [report.pushed_bundle]

    _window_lop, lop = _sync_window(qtbot, offices["LOP"])
    assert _set_up(qtbot, lop, pg_hub.url("LOP")) == []  # by hand first
    group = lop.hub
    report = _click_sync(qtbot, lop)
    assert isinstance(report, hub.HubReport), report
    assert report.imported == 1
    assert _contacts(offices["LOP"]) == ["Postgresowa"]

    pg_hub.server.stop()
    try:
        error = _click_sync(qtbot, lop)
        assert isinstance(error, MailboxOffline), error
        assert group.line.text().startswith("Hub not reachable — tried at ")
        assert group.retry.isVisible()
        assert QApplication.activeModalWidget() is None
    finally:
        pg_hub.server.start()

    # Then every (test) minute by itself: BIC's next contact arrives with no click at LOP.
    assert _set_up(qtbot, lop, pg_hub.url("LOP"), minutes=1) == []
    assert group.timer.isActive()
    # Each sync's outcome with the line as it ended (the next tick, 200 ms on, may have
    # started another sync by the time the test looks).
    automatic: list[tuple[object, str]] = []
    group.ended.connect(lambda outcome: automatic.append((outcome, group.line.text())))
    bic.runner.write(None, records.create, entity="contact",
                     values={"first_name": "Hans", "last_name": "Automatisch"})
    assert isinstance(_click_sync(qtbot, bic), hub.HubReport)

    def delivered() -> list[str]:
        return [line for outcome, line in automatic
                if isinstance(outcome, hub.HubReport) and outcome.imported > 0]

    qtbot.waitUntil(lambda: delivered() != [], timeout=SYNC_TIMEOUT)
    assert sorted(_contacts(offices["LOP"])) == ["Automatisch", "Postgresowa"]
    assert delivered()[0].startswith("Synced at ")
    assert told == {"information": [], "warning": [], "critical": []}
    group.timer.stop()
    qtbot.waitUntil(lambda: not group.running, timeout=SYNC_TIMEOUT)
