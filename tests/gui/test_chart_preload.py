"""Issue 22, the chart ready sooner: Matplotlib (and the chart modules) are imported on a
background thread right after the first paint, and the chart pane builds its canvas once they
are in — the GUI thread never runs those imports itself."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from rejection_journal.domain.chart_stats import ChartFilter, ChartRow
from rejection_journal.domain.stats import GapPoint
from rejection_journal.services import JournalService
from rejection_journal.ui.after_paint import AfterFirstPaint
from rejection_journal.ui.chart_preload import MODULES, preloader
from rejection_journal.ui.main_window import MainWindow


@pytest.fixture
def slow_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A module that notes which thread imported it."""
    name = "issue22_preload_probe"
    (tmp_path / f"{name}.py").write_text(
        "import threading\nIMPORTED_ON = threading.current_thread().name\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_the_modules_are_imported_off_the_gui_thread_then_the_pane_is_called(
        qtbot, slow_module: str) -> None:
    context = QObject()
    calls: list[str] = []
    loader = preloader((slow_module,))
    assert not loader.ready
    loader.when_ready(context, lambda: calls.append(threading.current_thread().name))
    qtbot.waitUntil(lambda: calls != [])
    assert sys.modules[slow_module].IMPORTED_ON == "chart-preload"
    assert calls == [threading.main_thread().name]  # the pane is called on the GUI thread
    assert loader.ready
    # once in, later callers are answered at once (no second import)
    loader.when_ready(context, lambda: calls.append("again"))
    qtbot.waitUntil(lambda: calls[-1] == "again")


def test_a_caller_gone_before_the_imports_finish_is_not_called(qtbot, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    name = "issue22_preload_gone"
    (tmp_path / f"{name}.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    gone = QObject()
    here = QObject()
    calls: list[str] = []
    loader = preloader((name,))
    loader.when_ready(gone, lambda: calls.append("gone"))
    loader.when_ready(here, lambda: calls.append("here"))
    gone.deleteLater()
    qtbot.waitUntil(lambda: calls == ["here"])
    assert loader.worker is not None
    loader.worker.join()
    assert calls == ["here"]


def test_the_window_starts_the_chart_imports_once_it_has_painted(
        qtbot, window: MainWindow) -> None:
    task = window.findChild(AfterFirstPaint, "chartPreload")
    assert task is not None
    if not task.done:
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
    loader = preloader()
    qtbot.waitUntil(lambda: loader.ready, timeout=30_000)
    assert all(name in sys.modules for name in MODULES)


def test_the_charts_first_rows_are_read_off_the_gui_thread(
        qtbot, make_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    """The shown kind's data (the gap: its points only) is read on a worker, and neither it
    nor every entry's rows are read again on the GUI thread (after merging the gap-only
    query, the worker read every row and the GUI thread then read the points)."""
    read_on: list[str] = []
    real_rows, real_points = JournalService.chart_rows, JournalService.gap_points

    def noting_rows(self: JournalService, flt: ChartFilter | None = None) -> list[ChartRow]:
        read_on.append(threading.current_thread().name)
        return real_rows(self, flt)

    def noting_points(self: JournalService, flt: ChartFilter | None = None) -> list[GapPoint]:
        read_on.append(threading.current_thread().name)
        return real_points(self, flt)

    monkeypatch.setattr(JournalService, "chart_rows", noting_rows)
    monkeypatch.setattr(JournalService, "gap_points", noting_points)
    window = make_window()  # wide and tall: the chart is on the first screen
    chart = window.chart
    if not chart.is_active:
        with qtbot.waitSignal(chart.activated, timeout=30_000):
            pass
    assert chart.kind == "gap"
    assert read_on, "the chart read no rows"
    assert read_on[0] != threading.main_thread().name, "the first rows were read on the GUI thread"
    assert read_on.count(threading.main_thread().name) == 0  # and not read again there
