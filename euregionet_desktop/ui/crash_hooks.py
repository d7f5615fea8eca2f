"""Failures outside the op runner (a slot, a thread, a fatal Qt message) reach the crash
dialog too: one place that hooks Python's and Qt's last-resort reporting."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QObject,
    QThread,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from euregionet_desktop.ui.op_runner import CrashDialog

log = logging.getLogger(__name__)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class CrashHooks(QObject):
    """``sys.excepthook``, ``threading.excepthook`` and a Qt message handler that log an
    unexpected failure and show it in the crash dialog with the log path.

    ``install()`` when the window starts; ``uninstall()`` puts back what was there (tests
    and a window opened again after a restore)."""

    _from_thread = Signal(object, str)  # error, details: shown on the GUI thread

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._showing = False  # a failure while the dialog is open (a paint) is only logged
        self._saved: tuple[Any, Any] | None = None
        self._qt_previous: Callable[..., None] | None = None
        self._from_thread.connect(self._show)

    # --- installing ------------------------------------------------------------------------
    def install(self) -> None:
        if self._saved is not None:
            return
        self._saved = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._qt_previous = qInstallMessageHandler(self.qt_message)

    def uninstall(self) -> None:
        if self._saved is None:
            return
        sys.excepthook, threading.excepthook = self._saved
        self._saved = None
        qInstallMessageHandler(self._qt_previous)
        self._qt_previous = None

    # --- the hooks -------------------------------------------------------------------------
    def excepthook(self, kind: type[BaseException], error: BaseException,
                   tb: TracebackType | None) -> None:
        """An exception nobody caught (Qt calls this for one raised in a slot)."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        self._failed(error, "".join(traceback.format_exception(kind, error, tb)))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """An exception that ended a thread of ours."""
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self._failed(args.exc_value, "".join(traceback.format_exception(
            args.exc_type, args.exc_value, args.exc_traceback)))

    def qt_message(self, mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Qt's warnings go to the log; a fatal one (Qt ends the process after it) to the
        crash dialog first, so the person learns why and where the log is."""
        if self._qt_previous is not None:
            self._qt_previous(mode, context, message)  # pytest-qt's capture, for one
        level = _QT_LEVELS.get(mode, logging.WARNING)
        log.log(level, "Qt: %s (%s:%s)", message, context.file, context.line)
        if mode == QtMsgType.QtFatalMsg:
            details = (f"Qt: {message}\n{context.file}:{context.line} {context.function}\n\n"
                       + "".join(traceback.format_stack()))
            self._failed(RuntimeError(message), details)

    # --- showing ---------------------------------------------------------------------------
    def _failed(self, error: BaseException, details: str) -> None:
        log.error("unexpected error outside the op runner\n%s", details)
        app = QCoreApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            self._show(error, details)
        else:
            self._from_thread.emit(error, details)  # queued to the GUI thread

    def _show(self, error: BaseException, details: str) -> None:
        if self._showing or not isinstance(QCoreApplication.instance(), QApplication):
            return
        self._showing = True
        try:
            CrashDialog.ask(QApplication.activeWindow(), error, details, self.log_path)
        finally:
            self._showing = False
