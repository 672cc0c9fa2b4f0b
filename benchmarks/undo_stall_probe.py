"""The longest GUI-thread stall while Edit ▸ Undo takes back a large import (issue 22).

    python benchmarks/undo_stall_probe.py undo DATA_DIR EXPORT_JSON  # import, then undo it
    python benchmarks/undo_stall_probe.py idle DATA_DIR               # the baseline

The real window is opened on ``DATA_DIR`` (a fresh journal), ``EXPORT_JSON`` is imported
through the service (one undo step), then Edit ▸ Undo is triggered.  A 5 ms timer ticks only
while the GUI thread is free: the longest gap between two ticks (from the trigger until the
undo is written, announced and the views have caught up) is the stall.  ``idle`` measures the
same timer in the same window doing nothing for as long, so the two compare alike.

Prints one JSON line: ``{"stall_s": ..., "undo_s": ...}``.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from pathlib import Path

TICK_MS = 5
#: after the undo is written, the views' catching up is watched this long
SETTLE_S = 0.5
IDLE_S = 1.0


def main() -> int:
    kind, data_dir = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtCore import QTimer

    from rejection_journal.app import create_application, open_main_window

    app = create_application(sys.argv[:1])
    window, journal = open_main_window(data_dir)
    if kind == "undo":
        service = window.service
        service.import_plan(service.read_import(Path(sys.argv[3])))
    stamps: list[float] = []
    result: dict[str, float] = {}

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))

    def stop_later() -> None:
        QTimer.singleShot(int(SETTLE_S * 1000), app.quit)

    def start() -> None:
        stamps.append(time.perf_counter())
        timer.start()
        if kind == "undo":
            window.edit_commands.stepWritten.connect(
                lambda _done: result.setdefault("undo_s", time.perf_counter() - stamps[0]))
            window.edit_commands.stepWritten.connect(stop_later)
            window.undo_action.trigger()
        else:
            QTimer.singleShot(int(IDLE_S * 1000), app.quit)

    QTimer.singleShot(200, start)  # once the window has painted and settled
    QTimer.singleShot(300_000, app.quit)  # never hang a benchmark
    app.exec()
    stamps.append(time.perf_counter())
    timer.stop()
    result["stall_s"] = max(b - a for a, b in itertools.pairwise(stamps))
    print(json.dumps({k: round(v, 4) for k, v in result.items()}))
    window.close()
    journal.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
