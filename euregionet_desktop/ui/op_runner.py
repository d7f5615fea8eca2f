"""The one way the window calls the core: errors shown, undo recorded, long work threaded.

Quick actions (saving a form, deleting a record) run on the GUI thread: they take
milliseconds and the person waits for them anyway. Reads that can take time (the
dashboard, search, a record's history) and long work (demo data, bundle preview and
import) run in the thread pool, long work behind a progress dialog; widgets are only
touched from the GUI thread, through queued signals.
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from euregionet_desktop.errors import ErasedRecordError, UserFacingError, ValidationError
from euregionet_desktop.i18n import _
from euregionet_desktop.paths import Profile
from euregionet_desktop.services.backend import Backend
from euregionet_desktop.services.backups import scrub_backups
from euregionet_desktop.services.dto import Changes, UndoStep
from euregionet_desktop.services.undo import UndoHistory, needing_erased, redo, undo
from euregionet_desktop.ui.background import Worker, busy_dialog, dispose
from euregionet_desktop.ui.error_text import window_text

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    """Something we did not expect: say so plainly, with the details a developer needs."""

    def __init__(self, error: BaseException, details: str, log_path: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(_("Unexpected error"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Something went wrong that the app did not expect. Nothing was saved "
                         "from the last action. Please send the details below and the log "
                         "file to your administrator."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if log_path is not None:
            where = QLabel(_("Log file: {path}").format(path=log_path))
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(where)
        self.details = QPlainTextEdit(details, readOnly=True, objectName="crashDetails")
        self.details.setAccessibleName(_("Error details"))
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(_("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    @classmethod
    def ask(cls, parent: QWidget | None, error: BaseException, details: str,
            log_path: Path | None) -> None:
        cls(error, details, log_path, parent).exec()


def show_error(parent: QWidget | None, error: UserFacingError) -> None:
    """An expected failure: its text is written for the person, so show just that."""
    QMessageBox.warning(parent, _("EuRegioNet Desktop"), window_text(error))


class OpRunner(QObject):
    """Runs service functions for the window; views refresh from ``changed``.

    The one seam between widgets and the core (like Anki's ``CollectionOp``/``QueryOp``):
    widgets hold the runner, never the Backend. Reads: ``query`` in the thread pool with
    callbacks at the call site; ``fetch``/``read`` on the GUI thread where Qt asks for data
    synchronously (a table's rows, a picker's suggestions). Writes: ``write`` (quick, on the
    GUI thread) and ``start`` (long, in the pool behind a progress dialog). A write's
    ``initiator`` travels with ``changed``, so the widget that made a change can skip
    refreshing for it a second time.
    """

    changed = Signal(object, object)  # Changes, initiator (the widget that asked, or None)
    history_changed = Signal()

    def __init__(self, backend: Backend, *, log_path: Path | None = None,
                 profile: Profile | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self.profile = profile  # for actions that touch files (attachments, bundles)
        self.log_path = log_path
        self.history = UndoHistory()
        self.pool = QThreadPool.globalInstance()
        self._workers: set[Worker] = set()

    # --- errors ------------------------------------------------------------------------
    def report(self, parent: QWidget | None, error: BaseException, details: str = "") -> None:
        if isinstance(error, UserFacingError):
            # The message may quote what was typed (an e-mail, a phone): not for the log.
            log.info("refused: %s", type(error).__name__)
            show_error(parent, error)
            return
        log.error("unexpected error\n%s", details or "".join(
            traceback.format_exception(error)))
        CrashDialog.ask(parent, error, details or "".join(traceback.format_exception(error)),
                        self.log_path)

    # --- reads ---------------------------------------------------------------------------
    def query(self, parent: QWidget | None, fn: Callable[..., Any], /, *,
              on_done: Callable[[Any], None],
              on_failed: Callable[[BaseException], None] | None = None,
              **kwargs: Any) -> Worker:
        """A read in the thread pool; ``on_done(result)`` is called on the GUI thread.

        A failure goes to ``on_failed(error)`` if given, else to the error or crash
        dialog. Neither is called once ``parent`` is gone (a view closed meanwhile)."""
        worker = Worker(lambda _progress: self._backend.read(fn, **kwargs))
        self._workers.add(worker)

        def finished(result: Any) -> None:
            self._workers.discard(worker)
            if _alive(parent):
                on_done(result)

        def failed(error: BaseException, details: str) -> None:
            self._workers.discard(worker)
            if not _alive(parent):
                log.warning("a read for a closed view failed\n%s", details)
            elif on_failed is not None:
                on_failed(error)
            else:
                self.report(parent, error, details)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        worker.start_in(self.pool)
        return worker

    def fetch(self, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
        """A quick read on the GUI thread, for data Qt asks for synchronously (a table's
        rows, a picker's suggestions); its exception is raised to the caller."""
        return self._backend.read(fn, **kwargs)

    def read(self, parent: QWidget | None, fn: Callable[..., Any], /, **kwargs: Any) -> Any:
        """A quick read on the GUI thread; on failure the person is told and None comes
        back."""
        try:
            return self._backend.read(fn, **kwargs)
        except Exception as error:
            self.report(parent, error)
            return None

    # --- quick writes on the GUI thread ------------------------------------------------
    def write(self, parent: QWidget | None, fn: Callable[..., Any], /, *,
              inline: bool = False, initiator: object | None = None, **kwargs: Any) -> Any:
        """One user action in one transaction; recorded for undo; views told what changed.

        With ``inline`` a ValidationError is raised to the caller (a form shows it next to
        the field); otherwise every failure is shown here and None comes back.
        """
        try:
            changes = self._backend.run(fn, **kwargs)
        except ValidationError:
            if inline:
                raise
            return self._failed(parent)
        except Exception:
            return self._failed(parent)
        self._took_effect(changes, initiator)
        return changes

    def compact(self, parent: QWidget | None) -> bool:
        """Rewrite the database file so that freed pages keep nothing (after an erasure),
        and the backups without the erased people; False if that failed (the person was
        told)."""
        try:
            self._backend.compact()
            scrubbed = scrub_backups(self.profile) if self.profile is not None else None
        except Exception:
            self._failed(parent)
            return False
        if scrubbed is not None and scrubbed.messages:
            QMessageBox.warning(parent, _("Backups"), "\n".join(scrubbed.messages))
        return True

    def _took_effect(self, result: Any, initiator: object | None = None) -> None:
        """Record and announce what a write changed: a ``Changes``, or a result that
        carries one in ``changes`` (an import report)."""
        changes = result if isinstance(result, Changes) else getattr(result, "changes", None)
        if isinstance(changes, Changes):
            self.history.record(changes)
            self._announce(changes, initiator)

    def _failed(self, parent: QWidget | None) -> None:
        error = _current_exception()
        self.report(parent, error, traceback.format_exc())
        return None

    def _announce(self, changes: Changes, initiator: object | None = None) -> None:
        self.changed.emit(changes, initiator)
        self.history_changed.emit()

    # --- undo and redo -----------------------------------------------------------------
    def forget_history(self) -> None:
        self.history.clear()
        self.history_changed.emit()

    def forget_erased(self) -> int:
        """After an erasure (here or from a bundle): drop the undo and redo steps that
        need a record erased since, keep the others; returns how many went."""
        gone = self._backend.read(needing_erased, steps=self.history.steps())
        for step in gone:
            self.history.discard(step)
        if gone:
            self.history_changed.emit()
        return len(gone)

    def undo(self, parent: QWidget | None) -> None:
        step = self.history.next_undo()
        if step is not None:
            self._step(parent, step, undo, self.history.undone)

    def redo(self, parent: QWidget | None) -> None:
        step = self.history.next_redo()
        if step is not None:
            self._step(parent, step, redo, self.history.redone)

    def _step(self, parent: QWidget | None, step: UndoStep, fn: Callable[..., Changes],
              moved: Callable[[UndoStep], None]) -> None:
        try:
            changes = self._backend.run(fn, step=step)
        except ErasedRecordError as error:
            # The step needs a record erased since: it can never be taken, so it leaves
            # the history (the message says so) and the Edit menu offers the next one.
            self.history.discard(step)
            self.history_changed.emit()
            self.report(parent, error)
            return
        except Exception:
            self._failed(parent)
            return
        moved(step)
        self._announce(changes)

    # --- long work in the thread pool --------------------------------------------------
    def start(self, parent: QWidget | None, fn: Callable[..., Any], /, *, title: str,
              on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              write: bool = True, preview: bool = False, cancellable: bool = False,
              initiator: object | None = None, **kwargs: Any) -> Worker:
        """Run ``fn`` off the GUI thread behind a progress dialog.

        ``write`` stores what it does (one transaction, recorded for undo); ``preview``
        runs a write and rolls it back; otherwise it is a read. With ``cancellable`` the
        dialog has a Cancel button: the next progress report of ``fn`` then raises
        ``Cancelled`` inside its transaction, which is rolled back (files it wrote
        removed), and ``on_cancelled`` is called instead of any error dialog. A failure
        goes to ``on_failed(error)`` if given, else to the error or crash dialog.
        """
        dialog = busy_dialog(parent, title, cancellable=cancellable)
        takes_progress = "progress" in inspect.signature(fn).parameters
        call = (self._backend.preview if preview else
                self._backend.run if write else self._backend.read)

        def work(progress: Callable[[str, int, int], None]) -> Any:
            extra = {"progress": progress} if takes_progress else {}
            return call(fn, **kwargs, **extra)

        worker = Worker(work)
        self._workers.add(worker)
        if cancellable:
            dialog.canceled.connect(worker.cancel)

        def on_progress(stage: str, done: int, total: int) -> None:
            dialog.setLabelText(_("{title} — {stage}").format(title=title, stage=_(stage)))
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

        def ended() -> None:
            self._workers.discard(worker)
            dispose(dialog)

        def finished(result: Any) -> None:
            ended()
            if write and not preview:
                self._took_effect(result, initiator)
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException, details: str) -> None:
            ended()
            if on_failed is not None:
                on_failed(error)
            else:
                self.report(parent, error, details)

        def cancelled() -> None:
            ended()
            log.info("cancelled: %s", getattr(fn, "__name__", fn))
            if on_cancelled is not None:
                on_cancelled()

        worker.signals.progress.connect(on_progress)
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        worker.signals.cancelled.connect(cancelled)
        worker.start_in(self.pool)
        return worker

    def run_with_backend(self, parent: QWidget | None, fn: Callable[..., Any], /, *,
                         on_done: Callable[[Any], None] | None = None,
                         on_failed: Callable[[BaseException, str], None] | None = None,
                         on_progress: Callable[[str, int, int], None] | None = None,
                         initiator: object | None = None, **kwargs: Any) -> Worker:
        """Run ``fn(backend, progress=…, **kwargs)`` in the thread pool, with no dialog: for
        work that makes its own transactions and waits on the network between them (a hub
        sync), shown by the widget that asked (``on_progress(stage, done, total)``).

        What it changed (a ``Changes``, or a result carrying one in ``changes``) is
        announced like a write's. A failure goes to ``on_failed(error, details)`` if given,
        else to the error or crash dialog. No callback is called once ``parent`` is gone.
        """
        takes_progress = "progress" in inspect.signature(fn).parameters

        def work(progress: Callable[[str, int, int], None]) -> Any:
            extra = {"progress": progress} if takes_progress else {}
            return fn(self._backend, **kwargs, **extra)

        worker = Worker(work)
        self._workers.add(worker)

        def progressed(stage: str, done: int, total: int) -> None:
            if on_progress is not None and _alive(parent):
                on_progress(stage, done, total)

        def finished(result: Any) -> None:
            self._workers.discard(worker)
            if _alive(self):  # the views refresh even if parent went (not the window)
                self._took_effect(result, initiator)
            if on_done is not None and _alive(parent):
                on_done(result)

        def failed(error: BaseException, details: str) -> None:
            self._workers.discard(worker)
            if not _alive(parent):
                log.warning("work for a closed view failed\n%s", details)
            elif on_failed is not None:
                on_failed(error, details)
            else:
                self.report(parent, error, details)

        worker.signals.progress.connect(progressed)
        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(failed)
        worker.start_in(self.pool)
        return worker

    def wait(self) -> None:
        """Let running work finish (on close, and in tests)."""
        self.pool.waitForDone()


def _alive(widget: QObject | None) -> bool:
    """Whether a callback's widget still exists (its C++ side not deleted)."""
    return widget is None or shiboken6.isValid(widget)


def _current_exception() -> BaseException:
    import sys

    error = sys.exception()
    assert error is not None
    return error
