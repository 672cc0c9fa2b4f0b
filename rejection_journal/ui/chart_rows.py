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
    #: generation, whether they are gap points, the rows (None on failure)
    done = Signal(int, bool, object)


class _Job(QRunnable):
    def __init__(self, service: JournalService, generation: int, category: Category | None,
                 gap_only: bool, signals: _Signals) -> None:
        super().__init__()
        self._service = service
        self._generation = generation
        self._category = category
        self._gap_only = gap_only
        self._signals = signals

    def run(self) -> None:
        flt = ChartFilter(category=self._category)
        rows: object
        try:
            with self._service.worker_connection():
                # only what the shown kind plots (the gap: its points; issue 22's memory)
                rows = (self._service.gap_points(flt) if self._gap_only
                        else self._service.chart_rows(flt))
        except Exception:  # the pane reads them itself, and says what is wrong
            self._signals.done.emit(self._generation, self._gap_only, None)
        else:
            self._signals.done.emit(self._generation, self._gap_only, rows)


class RowsLoader(QObject):
    """Reads one category's chart rows (or, for the gap, only its points) off the GUI
    thread; ``loaded(gap_only, rows)`` on the GUI thread (rows None: not read, or out of date
    by then — read them on the GUI thread)."""

    loaded = Signal(bool, object)

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

    def start(self, category: Category | None, gap_only: bool = False) -> None:
        self._generation += 1
        self._running += 1
        self._pool.start(_Job(self._service, self._generation, category, gap_only,
                              self._signals))

    def forget(self) -> None:
        """The journal changed: what is being read is out of date."""
        self._generation += 1

    def _done(self, generation: int, gap_only: bool, rows: object) -> None:
        self._running -= 1
        self.loaded.emit(gap_only, rows if generation == self._generation else None)
