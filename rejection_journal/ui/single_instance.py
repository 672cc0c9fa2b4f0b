"""One window per journal: a second start brings the running window to the front instead.

The one-writer guard (:mod:`rejection_journal.lock`) decides who runs; a ``QLocalServer`` is
the channel the second start uses to ask the first one to show itself.  The first one answers
``shown`` once its window is in front; without that answer (a frozen app still has its socket
accepted by the OS) the second start reports that the running window is not answering.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from rejection_journal.lock import journal_lock, server_name, try_lock

WAKE = b"show\n"
SHOWN = b"shown\n"


class SingleInstance(QObject):
    """Owns the journal's lock while the app runs; ``activationRequested`` on a second start."""

    activationRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._lock = journal_lock(data_dir)
        self._name = server_name(data_dir)
        self._server: QLocalServer | None = None
        self._sockets: set[QLocalSocket] = set()

    def acquire(self) -> bool:
        """Take the lock (taking over a stale one from a killed process)."""
        return try_lock(self._lock, self._data_dir, 200)

    def wake_running_instance(self, timeout_ms: int = 5000) -> bool:
        """Ask the instance that holds the lock to come to the front; True once it answered
        that its window is shown (within ``timeout_ms``)."""
        deadline = QDeadlineTimer(timeout_ms)
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(max(0, deadline.remainingTime())):
            return False
        socket.write(WAKE)
        socket.flush()
        answer = b""
        while SHOWN not in answer:
            remaining = max(0, deadline.remainingTime())
            if socket.bytesToWrite():
                if not socket.waitForBytesWritten(remaining):
                    break
            elif socket.waitForReadyRead(remaining):
                answer += bytes(socket.readAll().data())
            else:
                break  # no answer in time (a frozen app), or it hung up without one
        socket.abort()
        return SHOWN in answer

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self._name)  # a leftover socket from a killed instance
        if not server.listen(self._name):
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._sockets.add(socket)
            socket.readyRead.connect(self._on_ready)
            socket.disconnected.connect(self._on_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_ready(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if WAKE.strip() in bytes(socket.readAll().data()):
            self.activationRequested.emit()  # the window comes to the front (direct call)
            socket.write(SHOWN)  # the second start waits for this before it exits 0
            socket.flush()

    def _on_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket) and socket in self._sockets:
            self._sockets.discard(socket)
            socket.deleteLater()

    def release(self) -> None:
        for socket in list(self._sockets):
            socket.readyRead.disconnect(self._on_ready)
            socket.disconnected.disconnect(self._on_disconnected)
            socket.abort()
            socket.deleteLater()
        self._sockets.clear()
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        self._lock.unlock()
