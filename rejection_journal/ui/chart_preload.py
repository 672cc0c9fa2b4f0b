"""Matplotlib (and the chart modules) imported on a background thread, right after the first
paint (issue 22: the chart is ready sooner, and the window stays live meanwhile).

Importing Matplotlib takes a good part of a second; on the GUI thread the window could not
answer meanwhile.  :func:`preload` starts the imports once, on a daemon thread; ``when_ready``
runs a callable on the GUI thread once they are done (at once if they are).  Nothing Qt is
made off the GUI thread: these modules only define classes and read Matplotlib's caches.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

#: what the chart pane needs, heaviest first
MODULES: tuple[str, ...] = (
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.backends.backend_qtagg",
    "rejection_journal.charts.registry",
    "rejection_journal.charts.describe",
)


class _Preloader(QObject):
    #: the imports are done (delivered on the GUI thread); the exception, if one failed
    done = Signal(object)

    def __init__(self, modules: Sequence[str]) -> None:
        super().__init__()
        self.modules = tuple(modules)
        self.ready = all(name in sys.modules for name in self.modules)
        self.worker: threading.Thread | None = None
        #: the thread the imports ran on (tests: not the GUI thread)
        self.imported_on: threading.Thread | None = None
        self._waiting: list[tuple[QObject, Callable[[], None]]] = []
        self.done.connect(self._finished)

    def start(self) -> None:
        if self.ready or self.worker is not None:
            return
        self.worker = threading.Thread(target=self._run, name="chart-preload", daemon=True)
        self.worker.start()

    def _run(self) -> None:
        self.imported_on = threading.current_thread()
        try:
            for name in self.modules:
                importlib.import_module(name)
        except Exception as exc:  # the GUI thread's own import will say what is wrong
            self.done.emit(exc)
        else:
            self.done.emit(None)

    def _finished(self, _error: object) -> None:
        self.ready = True  # (a failed import is retried, and reported, on the GUI thread)
        waiting, self._waiting = self._waiting, []
        for context, call in waiting:
            if shiboken6.isValid(context):  # (a window closed meanwhile is not called)
                QTimer.singleShot(0, context, call)

    def when_ready(self, context: QObject, call: Callable[[], None]) -> None:
        """Call ``call`` on the GUI thread once the modules are imported, unless ``context``
        is gone by then."""
        if self.ready:
            QTimer.singleShot(0, context, call)
        else:
            self._waiting.append((context, call))
            self.start()


_preloaders: dict[tuple[str, ...], _Preloader] = {}


def preloader(modules: Sequence[str] = MODULES) -> _Preloader:
    """The one preloader of ``modules`` (made on first use, on the GUI thread)."""
    key = tuple(modules)
    if key not in _preloaders:
        _preloaders[key] = _Preloader(key)
    return _preloaders[key]


def preload() -> None:
    """Start importing Matplotlib and the charts in the background (once)."""
    preloader().start()


def when_ready(context: QObject, call: Callable[[], None]) -> None:
    """Run ``call`` on the GUI thread once Matplotlib is imported (starting the import),
    unless ``context`` is gone by then."""
    preloader().when_ready(context, call)


def wait(timeout: float = 5.0) -> None:
    """Let a running import finish before the interpreter shuts down (quitting within the
    first second must not tear a half-imported extension module down)."""
    for loader in _preloaders.values():
        if loader.worker is not None:
            loader.worker.join(timeout)
