"""The chart's rows read on a worker thread (issue 22: the chart is ready sooner).

Right after the first paint the chart pane asks for its rows here while Matplotlib is
imported on another thread (ui/chart_preload.py): SQLite reads them with its own connection,
the GIL free meanwhile, and the GUI thread stays free.  The rows reach the pane on the GUI
thread; a change to the journal meanwhile makes them out of date (:meth:`RowsLoader.forget`),
and the pane then reads them afresh itself.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Category
from rejection_journal.services import JournalService


class _Signals(QObject):
    #: generation, the rows (None on failure)
    done = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, service: JournalService, generation: int, category: Category | None,
                 signals: _Signals) -> None:
        super().__init__()
        self._service = service
        self._generation = generation
        self._category = category
        self._signals = signals

    def run(self) -> None:
        try:
            with self._service.worker_connection():
                rows = self._service.chart_rows(ChartFilter(category=self._category))
        except Exception:  # the pane reads them itself, and says what is wrong
            self._signals.done.emit(self._generation, None)
        else:
            self._signals.done.emit(self._generation, rows)


class RowsLoader(QObject):
    """Reads one category's chart rows off the GUI thread; ``loaded(rows)`` on the GUI
    thread (None: not read, or out of date by then — read them on the GUI thread)."""

    loaded = Signal(object)

    def __init__(self, service: JournalService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        # The pool is made before the signals, so it is destroyed first and waits for a
        # running read before the object it reports to goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._done)
        self._generation = 0
        self._running = 0

    @property
    def busy(self) -> bool:
        return self._running > 0

    def start(self, category: Category | None) -> None:
        self._generation += 1
        self._running += 1
        self._pool.start(_Job(self._service, self._generation, category, self._signals))

    def forget(self) -> None:
        """The journal changed: what is being read is out of date."""
        self._generation += 1

    def _done(self, generation: int, rows: object) -> None:
        self._running -= 1
        self.loaded.emit(rows if generation == self._generation else None)
