"""Measure one start of the app (or of a bare PySide6 window) in this fresh process.

    python benchmarks/startup_probe.py app DATA_DIR   # the real app on a journal
    python benchmarks/startup_probe.py bare           # an empty QMainWindow, for reference

Prints one JSON line: seconds from the start of this script to the first paint of the main
window, whether Matplotlib was already imported at that moment, and (app) when the chart pane
had loaded Matplotlib and drawn.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main() -> int:
    kind = sys.argv[1]
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    result: dict[str, object] = {"kind": kind}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "first_paint_s" not in result:
                result["first_paint_s"] = round(time.perf_counter() - T0, 4)
                result["matplotlib_at_first_paint"] = "matplotlib" in sys.modules
                if kind == "bare":
                    QTimer.singleShot(0, QApplication.quit)
            return False

    watcher = FirstPaint()
    if kind == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("Hello"))
        window.resize(1360, 820)
        window.installEventFilter(watcher)
        window.show()
    else:
        from rejection_journal.app import create_application, open_main_window

        app = create_application(sys.argv[:1])
        app.installEventFilter(watcher)
        window, _journal = open_main_window(Path(sys.argv[2]), daily_backup=True)

        def chart_ready() -> None:
            result["chart_ready_s"] = round(time.perf_counter() - T0, 4)
            QTimer.singleShot(0, QApplication.quit)

        window.chart_box.when_built(lambda chart: chart.redrawn.connect(chart_ready))
    QTimer.singleShot(60_000, QApplication.quit)  # never hang a test or benchmark
    app.exec()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
