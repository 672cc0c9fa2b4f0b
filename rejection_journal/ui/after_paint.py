"""Work that must not delay the first screen: run it once the window has painted.

Start-up does only what the first screen shows before the window's first paint; anything else
(today's daily backup) waits for :class:`AfterFirstPaint`, which runs it on the turn of the
event loop after the first paint — or after :data:`MAX_WAIT_MS` if the window never paints
(started minimised, or on a screen that is off).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

#: the longest the work waits for a first paint
MAX_WAIT_MS = 3000


class AfterFirstPaint(QObject):
    """Runs ``work`` once, soon after ``window`` (or any widget) first paints; then ``finished``.

    A child of ``window``: closing the window before then means the work never runs.
    """

    finished = Signal()

    def __init__(self, window: QWidget, work: Callable[[], None], *, name: str = "") -> None:
        super().__init__(window)
        self.setObjectName(name)
        self._work = work
        self.done = False
        self._scheduled = False
        app = QApplication.instance()
        assert app is not None
        self._app = app
        app.installEventFilter(self)
        QTimer.singleShot(MAX_WAIT_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._scheduled:
            self._scheduled = True
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after the paint has reached the screen
        return False

    def _run(self) -> None:
        if self.done:
            return
        self.done = True
        self._app.removeEventFilter(self)
        try:
            self._work()
        finally:
            self.finished.emit()
