"""Closing cleanly on SIGTERM, SIGINT and logout, keeping what the editor holds as a draft.

Python runs a signal handler only when the interpreter gets control, which a Qt event loop
waiting in C++ does not give it.  So the handler's only job is done by Python's wakeup fd:
:func:`signal.set_wakeup_fd` writes the signal number into a socket, and a
:class:`QSocketNotifier` on the other end runs :func:`quit_keeping_draft` inside the event loop,
where it is safe to touch widgets and the journal.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

#: the signals that close the app (a terminal's Ctrl+C, ``kill``, a session manager)
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class SignalQuitter(QObject):
    """Calls ``on_signal`` (in the event loop) when one of :data:`QUIT_SIGNALS` arrives."""

    def __init__(self, app: QApplication, on_signal: Callable[[], None]) -> None:
        super().__init__(app)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, lambda *_args: None) for sig in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            data = self._reader.recv(64)
            if any(number in data for number in (int(s) for s in QUIT_SIGNALS)):
                self._on_signal()

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._reader.close()
        self._writer.close()


def install(app: QApplication, on_quit: Callable[[], None]) -> SignalQuitter:
    """Run ``on_quit`` on SIGTERM/SIGINT and when the session ends (logout: Qt's
    ``commitDataRequest``), so what is being written is kept."""
    app.commitDataRequest.connect(lambda _manager: on_quit())
    return SignalQuitter(app, on_quit)
