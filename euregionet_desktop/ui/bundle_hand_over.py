"""A bundle file opened while the app already runs on the profile (a double click on a
bundle that came by e-mail): the new process hands the file to the open window and ends,
instead of being refused because the profile is in use. On macOS the system tells the
running app itself (a file-open event), not a new process."""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

WAIT_MS = 2000
MAX_LINE = 64 * 1024  # a path, not a bundle


def server_name(profile_root: Path) -> str:
    """The local socket of the app open on this profile (one per profile folder)."""
    digest = hashlib.sha256(str(profile_root.absolute()).encode()).hexdigest()[:24]
    return f"euregionet-{digest}"


def hand_over(profile_root: Path, bundle: Path) -> bool:
    """Give ``bundle`` to the app already open on this profile; False if none is open (or
    it did not take the file), and this process opens the profile itself."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(profile_root))
    if not socket.waitForConnected(WAIT_MS):
        return False
    socket.write(str(bundle.absolute()).encode("utf-8") + b"\n")
    taken = socket.waitForBytesWritten(WAIT_MS) and socket.waitForReadyRead(WAIT_MS)
    taken = taken and bytes(socket.readAll().data()) == b"ok\n"
    socket.disconnectFromServer()
    return taken


class BundleReceiver(QObject):
    """Listens for bundles handed over by a second start (and, installed on the
    application, for macOS's file-open events); ``received`` once no dialog of the window
    is open (a preview on top of a preview would nest two imports)."""

    received = Signal(Path)

    def __init__(self, profile_root: Path, parent: QObject, *,
                 file_open_events: bool = sys.platform == "darwin") -> None:
        super().__init__(parent)
        self.file_open_events = file_open_events
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(profile_root)
        # This process holds the profile's lock, so a socket left under the name is stale.
        QLocalServer.removeServer(name)
        if not self.server.listen(name):
            log.warning("bundles cannot be handed over: %s", self.server.errorString())
        self.server.newConnection.connect(self._connected)
        if file_open_events:  # only there: every event of the app passes a filter
            parent.installEventFilter(self)  # the application

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QFileOpenEvent) and event.file():
            path = Path(event.file())
            QTimer.singleShot(0, lambda: self._deliver(path))
            return True
        return super().eventFilter(watched, event)

    def close(self) -> None:
        """Stop listening (its socket goes with it) and go."""
        self.server.close()
        if self.file_open_events:
            self.parent().removeEventFilter(self)
        self.deleteLater()

    def _connected(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_LINE:
                socket.abort()
            return
        line = bytes(socket.readLine().data()).rstrip(b"\n")
        socket.write(b"ok\n")
        socket.flush()
        path = Path(line.decode("utf-8", errors="replace"))
        # Not from this slot: the import's event loops would delete the socket under it.
        QTimer.singleShot(0, lambda: self._deliver(path))

    def _deliver(self, path: Path) -> None:
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(300, lambda: self._deliver(path))
            return
        self.received.emit(path)
