"""The one seam from the window to the core: reads in the pool, a large import that keeps
the window responsive and can be cancelled, failures anywhere reaching the crash dialog."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
)
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from euregionet_desktop.documents.defaults import default_template
from euregionet_desktop.paths import Profile
from euregionet_desktop.services import (
    bundle_export,
    demo,
    documents,
    exchange,
    partners,
    records,
)
from euregionet_desktop.services.dump import dump
from euregionet_desktop.services.profile import initialise, open_profile
from euregionet_desktop.ui import dashboard, op_runner, sync_view
from euregionet_desktop.ui.crash_hooks import CrashHooks
from euregionet_desktop.ui.main_window import MainWindow

# Demo data writes about 14.7 change log rows per contact plus 3,650 (tests/benchmarks/sync.py).
LARGE_BUNDLE_CONTACTS = 6570  # about 100,000 changes


@pytest.fixture(scope="module")
def large_bundle(tmp_path_factory) -> tuple[Path, object, int]:
    """A bundle of about 100,000 changes and one attachment file from office BIC for LOP,
    the sender's public keys and the number of changes; made once for this module."""
    root = tmp_path_factory.mktemp("large-bundle")
    sender = open_profile(Profile(root / "BIC"), purpose="pytest")
    try:
        def fill(session) -> None:
            initialise(session, office="BIC", advisor_name="Advisor BIC")
            demo.generate(session, contacts=LARGE_BUNDLE_CONTACTS)

        sender.backend.run(fill)
        template = root / "action-plan.de.docx"
        template.write_bytes(default_template("action-plan", "de"))
        sender.backend.run(documents.load_template, profile=sender.profile, path=template,
                           kind="action-plan", language="de")
        keys = sender.backend.read(partners.own_public_keys, profile=sender.profile)
        result = sender.backend.run(bundle_export.export_bundle, profile=sender.profile,
                                    to_office="LOP", path=root / "large.zip")
    finally:
        sender.close()
    assert result.changes >= 100_000 and result.blobs == 1
    return root / "large.zip", keys, result.changes


@pytest.fixture
def receiver(tmp_path, large_bundle):
    """Office LOP, trusting the sender of the large bundle."""
    core = open_profile(Profile(tmp_path / "LOP"), purpose="pytest")
    core.backend.run(initialise, office="LOP", advisor_name="Advisor LOP")
    core.backend.run(partners.trust, partner=large_bundle[1])
    yield core
    core.close()


def _sync_view(qtbot, core):
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    view = next(v for v in window.views if isinstance(v, sync_view.SyncView))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.go_to(window.views.index(view))
    return window, view


def _attachment_files(core) -> set[str]:
    folder = core.profile.attachments
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_large_import_keeps_the_window_responsive_and_shows_progress(
        qtbot, receiver, large_bundle, monkeypatch):
    """Importing 100,000 changes: a timer keeps firing meanwhile and the progress moves."""
    bundle, _keys, changes = large_bundle
    _window, view = _sync_view(qtbot, receiver)
    told = []
    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(lambda *_a: True))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    ticks, seen = [], []

    def tick() -> None:
        ticks.append(1)
        for dialog in view.findChildren(QProgressDialog):
            seen.append((dialog.value(), dialog.labelText(), dialog.isVisible()))

    timer = QTimer(interval=20)
    timer.timeout.connect(tick)
    timer.start()
    try:
        report = view.import_file(bundle)
    finally:
        timer.stop()
    assert report is not None and report.applied + report.known == changes
    assert "changes applied" in told[0]
    assert len(ticks) >= 20, "the event loop stood still during the import"
    assert len({value for value, _label, _shown in seen if value >= 0}) >= 2
    assert any("Applying the changes" in label and shown for _value, label, shown in seen)
    assert len(_attachment_files(receiver)) == 1


def test_cancel_leaves_nothing_changed_and_is_no_error(qtbot, receiver, large_bundle,
                                                      monkeypatch):
    """Cancel while the changes are applied: same dump, no new files, no error dialog."""
    bundle = large_bundle[0]
    before, files_before = receiver.backend.read(dump), _attachment_files(receiver)
    _window, view = _sync_view(qtbot, receiver)
    previewed, told, errors, cancelled = [], [], [], []
    monkeypatch.setattr(sync_view.ImportPreviewDialog, "ask", classmethod(
        lambda cls, parent, report: previewed.append(report) or True))
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    monkeypatch.setattr(op_runner, "show_error", lambda _parent, error: errors.append(error))
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda cls, parent, error, details, log_path: errors.append(error)))

    def tick() -> None:
        if not previewed or cancelled:
            return  # the import proper, not its preview
        for dialog in view.findChildren(QProgressDialog):
            if dialog.isVisible() and dialog.value() == 1:  # applying the changes
                cancelled.append(dialog.value())
                qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    timer = QTimer(interval=20)
    timer.timeout.connect(tick)
    timer.start()
    try:
        assert view.import_file(bundle) is None
    finally:
        timer.stop()
    assert previewed and cancelled
    assert told == [] and errors == []
    assert receiver.backend.read(dump) == before
    assert _attachment_files(receiver) == files_before
    assert receiver.backend.read(exchange.bundle_history) == []


def test_a_failed_read_of_a_widget_opens_the_crash_dialog(qtbot, core, monkeypatch):
    """The dashboard's indicators (its picture) raising in the pool: the crash dialog with
    the details."""
    crashed = []
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda cls, parent, error, details, log_path: crashed.append(
            (parent, error, details, log_path))))

    def broken(_session, **_kwargs):
        raise RuntimeError("the indicators could not be counted")

    monkeypatch.setattr(dashboard, "picture", broken)
    window = MainWindow(core)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(crashed), timeout=5000)
    parent, error, details, log_path = crashed[0]
    assert parent is window.dashboard
    assert isinstance(error, RuntimeError) and "could not be counted" in details
    assert "broken" in details  # the traceback from the worker thread
    assert log_path.name == "euregionet.log"


def test_query_hands_its_result_to_the_call_site(qtbot, core, add):
    """A read in the pool calls on_done on the GUI thread with what the service returned."""
    cluster = add("cluster", name_pl="Klaster Odra", country="PL")
    runner = op_runner.OpRunner(core.backend)
    got = []
    runner.query(None, records.get, entity="cluster", record_id=cluster,
                 on_done=lambda record: got.append((record.label,
                                                    threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [("Klaster Odra", threading.main_thread().name)]


def test_finished_work_lets_go_of_its_worker_and_callbacks(qtbot, core):
    """Reads, failed reads and background work leave nothing behind once they are done:
    the connections to a worker's signals hold the caller's callbacks, which hold the
    worker, in a cycle through Qt the collector cannot see (every worker stayed alive,
    with the widget its callback named)."""
    runner = op_runner.OpRunner(core.backend)
    workers, done = [], []

    def broken(session):
        raise ValueError("planted")

    def got(result) -> None:  # the name only: an error's traceback holds its worker
        done.append(type(result).__name__)

    held = [QPushButton() for _ in range(3)]
    for parent in held:
        workers.append(weakref.ref(runner.query(
            parent, records.list_ids, entity="contact", on_done=got)))
        workers.append(weakref.ref(runner.query(parent, broken, on_done=got, on_failed=got)))
        workers.append(weakref.ref(runner.start(
            parent, records.list_ids, title="…", write=False, on_done=got, entity="contact")))
    qtbot.waitUntil(lambda: len(done) == 9, timeout=10000)
    assert sorted(done) == ["ValueError"] * 3 + ["list"] * 6
    runner.wait()
    parents = [weakref.ref(parent) for parent in held]
    for parent in held:
        parent.deleteLater()
    del held, parent

    def gone() -> bool:  # once the zero timers dropped the connections (later on a busy run)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        return all(ref() is None for ref in workers + parents)

    qtbot.waitUntil(gone, timeout=5000)
    assert [ref() for ref in workers] == [None] * 9
    assert [ref() for ref in parents] == [None] * 3


def test_a_write_tells_who_made_it(qtbot, core):
    """``changed`` carries the initiator, so that widget can skip refreshing twice."""
    runner = op_runner.OpRunner(core.backend)
    initiator = object()
    with qtbot.waitSignal(runner.changed, timeout=2000) as blocker:
        runner.write(None, records.create, entity="cluster", initiator=initiator,
                     values={"name_pl": "Klaster Warta", "country": "PL"})
    assert blocker.args[1] is initiator and "cluster" in blocker.args[0].entities


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_crash_dialog(qtbot, tmp_path, monkeypatch):
    """An exception outside the runner (a button's slot) goes through the excepthook."""
    crashed = []
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda cls, parent, error, details, log_path: crashed.append((error, details,
                                                                      log_path))))
    button = QPushButton("Go")
    qtbot.addWidget(button)

    def slot() -> None:
        raise LookupError("no such thing")

    button.clicked.connect(slot)
    hooks = CrashHooks(tmp_path / "euregionet.log")
    hooks.install()
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        hooks.uninstall()
    [(error, details, log_path)] = crashed
    assert isinstance(error, LookupError) and "in slot" in details
    assert log_path == tmp_path / "euregionet.log"


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_thread_and_a_fatal_qt_message_reach_the_crash_dialog(
        qtbot, tmp_path, monkeypatch):
    """A thread's uncaught exception and a fatal Qt message open the crash dialog too."""
    crashed = []
    monkeypatch.setattr(op_runner.CrashDialog, "ask", classmethod(
        lambda cls, parent, error, details, log_path: crashed.append((error, details))))
    hooks = CrashHooks(tmp_path / "euregionet.log")
    hooks.install()
    try:
        def work() -> None:
            raise ValueError("thread broke")

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(crashed), timeout=5000)
        hooks.qt_message(QtMsgType.QtWarningMsg, QMessageLogContext(), "only a warning")
        assert len(crashed) == 1
        hooks.qt_message(QtMsgType.QtFatalMsg, QMessageLogContext(), "cannot go on")
    finally:
        hooks.uninstall()
    assert isinstance(crashed[0][0], ValueError) and "thread broke" in crashed[0][1]
    assert isinstance(crashed[1][0], RuntimeError) and "cannot go on" in crashed[1][1]


def test_uninstall_puts_the_hooks_back(tmp_path):
    """After uninstall the excepthooks are the ones from before."""
    import sys

    before = (sys.excepthook, threading.excepthook)
    hooks = CrashHooks(tmp_path / "euregionet.log")
    hooks.install()
    assert sys.excepthook == hooks.excepthook
    hooks.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


class _Cycle:
    """Garbage only the cycle collector frees; says on which thread it was freed."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me = self
        self.freed_on = freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


def test_cycles_are_collected_on_the_gui_thread_while_a_worker_allocates(
        qtbot, gui_thread_collector):
    """A worker allocating far past the collector's threshold does not collect what the
    GUI thread let go (widgets among it, in the app); the GUI thread's timer does."""
    freed_on: list[str] = []
    _Cycle(freed_on)
    allocating = threading.Thread(target=lambda: [[] for _ in range(200_000)],
                                  name="allocating worker")
    allocating.start()
    allocating.join()
    assert freed_on == []  # no collection ran in the worker
    kept = [[] for _ in range(2 * gc.get_threshold()[0])]  # the GUI thread goes past it
    qtbot.waitUntil(lambda: freed_on != [], timeout=5_000)
    assert freed_on == [threading.main_thread().name] and kept
