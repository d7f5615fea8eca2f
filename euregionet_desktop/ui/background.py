"""Core calls that take the profile rather than a session (backups, the database check),
run off the GUI thread: the op runner's way for them, with widgets touched only here."""

from __future__ import annotations

import contextlib
import gc
import threading
import traceback
import warnings
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised by a progress report once the person pressed Cancel: the work's transaction
    is rolled back like after any failure, but nobody is told of an error."""


class _Signals(QObject):
    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class Worker(QRunnable):
    """``call(progress)`` in the thread pool; its progress, result or failure comes back
    to the GUI thread through queued signals (the op runner's work and the calls here).

    After ``cancel()`` the next ``progress(...)`` raises ``Cancelled`` in the work."""

    def __init__(self, call: Callable[[Callable[[str, int, int], None]], Any]) -> None:
        super().__init__()
        self.call = call
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def start_in(self, pool: QThreadPool) -> None:
        """Start in ``pool``, once the caller's slots are connected. The connections hold
        those callbacks, which hold this worker: a cycle through Qt that Python's collector
        cannot see. So after the last signal reached every slot (they are called in the
        order connected, this one last), the connections are dropped, and the worker, its
        callbacks and what they name (a dialog closed since) can go."""
        for last in (self.signals.finished, self.signals.failed, self.signals.cancelled):
            last.connect(self._ended)
        pool.start(self)

    def _ended(self, *_args: object) -> None:
        QTimer.singleShot(0, self._release)

    def _release(self) -> None:
        signals = self.signals
        with warnings.catch_warnings():  # a signal nothing was connected to says so
            warnings.simplefilter("ignore", RuntimeWarning)
            for signal in (signals.progress, signals.finished, signals.failed,
                           signals.cancelled):
                with contextlib.suppress(RuntimeError, TypeError):  # none connected
                    signal.disconnect()

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.signals.progress.emit(stage, done, total)

    def run(self) -> None:
        try:
            result = self.call(self._progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as error:  # reported on the GUI thread, never swallowed
            self.signals.failed.emit(error, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


_running: set[Worker] = set()


class GuiThreadCollector(QObject):
    """Python's cycle collector run on the GUI thread only, from a timer.

    Left automatic, a collection runs in whichever thread allocates past the threshold:
    a worker of the thread pool (a read, an export) then destroys widgets that the GUI
    thread let go in a reference cycle, while the GUI thread may be sending them events.
    That crashed the window (a focus change reaching a widget deleted meanwhile).
    Here automatic collection is off and the timer collects the generations that are
    over their thresholds, as the collector itself would, but between two events."""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(self.INTERVAL_MS)

    def collect_due(self) -> None:
        counts = gc.get_count()
        due = [generation for generation, (count, threshold)
               in enumerate(zip(counts, self._thresholds, strict=True))
               if threshold and count > threshold]
        if due:
            gc.collect(max(due))

    def stop(self) -> None:
        """Collect everything now, on this thread, and hand collection back to Python."""
        self._timer.stop()
        gc.collect()
        gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """From now on, cycles are collected on ``app``'s thread only (see the class); the
    collector ``app`` already has, if any."""
    return app.findChild(GuiThreadCollector) or GuiThreadCollector(app)


def in_background(fn: Callable[..., Any], /, *, on_done: Callable[[Any], None],
                  on_failed: Callable[[BaseException, str], None],
                  pool: QThreadPool | None = None, **kwargs: Any) -> None:
    """Run ``fn(**kwargs)`` in ``pool`` (the runner's, so closing the window waits for
    it); ``on_done`` or ``on_failed`` is called on the GUI thread."""
    # A core function that takes the profile, not a session (backups, the database check).
    call = Worker(lambda _progress: fn(**kwargs))
    _running.add(call)

    def finished(result: Any) -> None:
        _running.discard(call)
        on_done(result)

    def failed(error: BaseException, details: str) -> None:
        _running.discard(call)
        on_failed(error, details)

    call.signals.finished.connect(finished)
    call.signals.failed.connect(failed)
    call.start_in(pool or QThreadPool.globalInstance())


def busy_dialog(parent: QWidget | None, title: str, *,
                cancellable: bool = False) -> QProgressDialog:
    """A progress dialog, shown if the work takes a moment; with a Cancel button (Qt's
    own, in the person's language) only if ``cancellable``."""
    dialog = QProgressDialog(parent)  # this constructor gives Qt's translated "Cancel"
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setLabelText(title)
    dialog.setRange(0, 0)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)
    dialog.setValue(0)
    return dialog


# How long a progress dialog that was shown lives on hidden: the window system's focus
# change for its window (queued, as the offscreen platform does) must come first, or
# activating the next window reaches a deleted one and the app crashes.
_DISPOSE_AFTER_MS = 500


def dispose(dialog: QProgressDialog) -> None:
    """Hide a progress dialog at once and delete it a moment later."""
    dialog.reset()
    dialog.hide()
    QTimer.singleShot(_DISPOSE_AFTER_MS, dialog, dialog.deleteLater)


def wait_for(parent: QWidget | None, title: str, fn: Callable[..., Any], /,
             **kwargs: Any) -> Any:
    """Run ``fn(**kwargs)`` off the GUI thread behind a progress dialog and wait for it,
    with the window still painted; its exception is raised here."""
    dialog = busy_dialog(parent, title)
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(error: BaseException, _details: str) -> None:
        outcome["error"] = error  # its traceback travels with it
        loop.quit()

    in_background(fn, on_done=done, on_failed=failed, **kwargs)
    loop.exec()  # the outcome arrives as a queued signal, so never before this
    dispose(dialog)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]
