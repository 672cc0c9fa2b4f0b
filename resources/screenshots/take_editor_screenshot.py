"""Render the editor at a given window size with both halves of an entry filled in.

    python resources/screenshots/take_editor_screenshot.py OUT.png [WIDTH HEIGHT]

Offscreen on a fixed screen (tests/offscreen-screen.json); set QT_SCALE_FACTOR=2 to check
large scaling.  Prints whether anything needs sideways scrolling.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCREEN = HERE.parents[1] / "tests" / "offscreen-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
os.environ.setdefault("QT_API", "pyside6")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "editor.png"
    width, height = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1366, 768)
    from datetime import date

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QScrollArea

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.domain.enums import Outcome, Reason
    from rejection_journal.storage import open_journal

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            records = generate_attempts(journal.challenges(), 60, seed=4,
                                        today=date(2026, 11, 23))
            records[-1] = records[-1].replace(
                outcome=Outcome.NO, actual_discomfort=3, who_asked="The baker",
                feelings_after="Lighter than I expected.", reasons=(Reason.TIMING,
                                                                    Reason.POLICY),
                other_reason="Closing time", asked_why=True,
                reflection="They were kind about it; it was about the rules, not me.",
                lesson="Ask earlier in the day.", hopefulness=1, next_discomfort=4,
                next_no_chance=55, feelings_before="Tight chest, rehearsing the words.",
                worst_case="They laugh at me.")
            journal.add_demo_attempts(records)
        app = create_application(sys.argv[:1])
        window, journal = open_main_window(data)
        window.resize(width, height)
        window.show()
        for _ in range(5):
            app.processEvents()
        if window.chart.isVisible():  # on small windows the chart is a tab, not drawn yet
            loop = QEventLoop()
            window.chart.redrawn.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
        window.entries.table.selectRow(0)
        for _ in range(5):
            app.processEvents()
        sideways = [area.objectName() or type(area.widget()).__name__
                    for area in window.findChildren(QScrollArea)
                    if area.isVisible() and area.horizontalScrollBar().isVisible()]
        print(f"window {window.width()}x{window.height()}; sideways scrolling: {sideways or 'none'}")
        if not window.grab().save(str(out)):
            print(f"could not write {out}", file=sys.stderr)
            return 1
        window.editor._set_clean()
        window.close()
        journal.close()
        QApplication.processEvents()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
