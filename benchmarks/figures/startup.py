"""Start-up, timed from outside: spawn to first paint, and spawn to the gap chart drawn.

Each figure runs twice: under Qt's offscreen platform, and in a real X server (Xvfb, on a
1920x1080 screen, so the window opens at its full size with the entries above the chart), the
app and its bare-window baseline alternating in the same server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable

from harness import CLI, HERE, Figure, Journals, child_env, seconds_to_line

BARE = str(HERE / "bare_window.py")
ENTRIES = 10_000


class Xvfb:
    """One Xvfb server for the figures that need a real X server; started when first used,
    stopped when each such figure is done (the next one starts it again)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._display = ""

    def env(self, **extra: str) -> dict[str, str]:
        if self._process is None:
            read, write = os.pipe()
            self._process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24",
                 "-nolisten", "tcp"], pass_fds=(write,), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write)
            with os.fdopen(read) as answer:
                self._display = ":" + answer.readline().strip()
        return child_env(QT_QPA_PLATFORM="xcb", DISPLAY=self._display, **extra)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait()
            self._process = None


def _app(journals: Journals, line: str, env: dict[str, str]) -> float:
    folder = journals.fresh(ENTRIES)  # daily backup due, as at the first start of a day
    try:
        return seconds_to_line([CLI, "--data-dir", str(folder)], line, env=env)
    finally:
        journals.discard(folder)


def _pair(journals: Journals, env: Callable[..., dict[str, str]]
          ) -> tuple[Callable[[bool], float], Callable[[bool], float]]:
    def first_paint(subject: bool) -> float:
        if subject:
            return _app(journals, "first paint", env(REJECTION_JOURNAL_SMOKE_TEST="1",
                                                     REJECTION_JOURNAL_QUIT_AFTER_FIRST_PAINT="1"))
        return seconds_to_line([sys.executable, BARE, "window"], "first paint", env=env())

    def chart_drawn(subject: bool) -> float:
        if subject:
            return _app(journals, "chart drawn", env(REJECTION_JOURNAL_SMOKE_TEST="1"))
        return seconds_to_line([sys.executable, BARE, "canvas"], "chart drawn", env=env())

    return first_paint, chart_drawn


def figures(journals: Journals) -> list[Figure]:
    first_paint, chart_drawn = _pair(journals, child_env)
    xvfb = Xvfb()
    x_first_paint, x_chart_drawn = _pair(journals, xvfb.env)
    no_xvfb = None if shutil.which("Xvfb") else "Xvfb is not installed (apt: xvfb)"
    return [
        Figure("Start to first paint (picker, entries), 10,000 entries",
               "bare PySide6 QMainWindow script", 1.5, first_paint),
        Figure("Start to gap chart drawn, 10,000 entries",
               "bare window + empty FigureCanvasQTAgg", 1.25, chart_drawn),
        Figure("Start to first paint, real X server (Xvfb), 10,000 entries",
               "bare PySide6 QMainWindow script, same X server", 1.5, x_first_paint,
               not_measured=no_xvfb, cleanup=xvfb.stop),
        Figure("Start to gap chart drawn, real X server (Xvfb), 10,000 entries",
               "bare window + empty FigureCanvasQTAgg, same X server", 1.25, x_chart_drawn,
               not_measured=no_xvfb, cleanup=xvfb.stop),
    ]
