"""Start-up, timed from outside: spawn to first paint, and spawn to the gap chart drawn."""

from __future__ import annotations

import sys

from harness import CLI, HERE, Figure, Journals, child_env, seconds_to_line

BARE = str(HERE / "bare_window.py")
ENTRIES = 10_000


def _app(journals: Journals, line: str, **env: str) -> float:
    folder = journals.fresh(ENTRIES)  # daily backup due, as at the first start of a day
    try:
        return seconds_to_line([CLI, "--data-dir", str(folder)], line,
                               env=child_env(REJECTION_JOURNAL_SMOKE_TEST="1", **env))
    finally:
        journals.discard(folder)


def figures(journals: Journals) -> list[Figure]:
    def first_paint(subject: bool) -> float:
        if subject:
            return _app(journals, "first paint", REJECTION_JOURNAL_QUIT_AFTER_FIRST_PAINT="1")
        return seconds_to_line([sys.executable, BARE, "window"], "first paint", env=child_env())

    def chart_drawn(subject: bool) -> float:
        if subject:
            return _app(journals, "chart drawn")
        return seconds_to_line([sys.executable, BARE, "canvas"], "chart drawn", env=child_env())

    return [
        Figure("Start to first paint (picker, entries), 10,000 entries",
               "bare PySide6 QMainWindow script", 1.5, first_paint),
        Figure("Start to gap chart drawn, 10,000 entries",
               "bare window + empty FigureCanvasQTAgg", 1.25, chart_drawn),
    ]
