"""The baselines for start-up: the least a PySide6 program does to show a window.

    python benchmarks/bare_window.py window   # a QMainWindow; prints "first paint", quits
    python benchmarks/bare_window.py canvas   # a window showing an empty Matplotlib
                                              # FigureCanvasQTAgg; prints "chart drawn", quits

They print the same lines as the app's ``REJECTION_JOURNAL_SMOKE_TEST`` so that both are
timed from outside the process, from spawn to the line.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    kind = sys.argv[1]
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1360, 820)
    if kind == "window":
        class FirstPaint(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    app.removeEventFilter(self)
                    print("first paint", flush=True)
                    QTimer.singleShot(0, app.quit)
                return False

        window.setCentralWidget(QLabel("Hello"))
        watcher = FirstPaint(app)
        app.installEventFilter(watcher)
    else:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        canvas = FigureCanvasQTAgg(Figure(figsize=(6, 4), layout="constrained"))

        def drawn(_event: object) -> None:
            print("chart drawn", flush=True)
            QTimer.singleShot(0, app.quit)

        canvas.mpl_connect("draw_event", drawn)
        window.setCentralWidget(canvas)
    window.show()
    QTimer.singleShot(60_000, app.quit)  # never hang a benchmark
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
