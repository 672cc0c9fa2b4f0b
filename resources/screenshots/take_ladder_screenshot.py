"""Render the picker pane's "Ladders & runs" tab and the chart pane's ladder chart on a demo
journal (issue 8), at the window's default size and at 1024x640.

    python resources/screenshots/take_ladder_screenshot.py [FOLDER]

Writes ladder.png, ladder-1024x640.png, chart-ladder.png and chart-ladder-1024x640.png in
FOLDER (by default here).  The demo data is what ``rejection-journal demo --entries 120 --seed
4`` writes (ladders, a 30-day run started 12 days ago), ending today.  Runs offscreen on a fixed
1440x900 screen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCREEN = HERE.parents[1] / "tests" / "offscreen-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
os.environ.setdefault("QT_API", "pyside6")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    from PySide6.QtWidgets import QApplication

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.demo import generate_demo
    from rejection_journal.storage import open_journal

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            demo = generate_demo(journal.challenges(), 120, seed=4, today=date.today())
            journal.add_demo_data(demo.attempts, demo.ladders, demo.runs)
        app = create_application(sys.argv[:1])
        window, journal = open_main_window(data)
        window.picker_tabs.setCurrentWidget(window.ladders)
        window.chart.set_kind("ladder")
        for size, suffix in ((None, ""), ((1024, 640), "-1024x640")):
            if size is not None:
                window.resize(*size)
                width = window.width()
                window.main_splitter.setSizes([int(width * 0.22), int(width * 0.46),
                                               int(width * 0.32)])
            for _ in range(10):
                app.processEvents()
            window.chart.refresh()
            for _ in range(5):
                app.processEvents()
            for widget, name in ((window.picker_tabs, "ladder"), (window.chart, "chart-ladder")):
                path = folder / f"{name}{suffix}.png"
                if not widget.grab().save(str(path)):
                    print(f"could not write {path}", file=sys.stderr)
                    return 1
                print(f"{path} (window {window.width()}x{window.height()})")
        window.editor._set_clean()
        window.close()
        journal.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
