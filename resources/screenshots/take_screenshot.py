"""Render the README screenshot: the main window on a demo journal, one entry open.

    python resources/screenshots/take_screenshot.py [OUT.png] [system|light|dark]

(``main-window-light.png`` and ``main-window-dark.png`` are the last two appearances.)

Runs offscreen on a fixed 1440x900 screen, so the picture is the same on every machine.
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
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "main-window.png"
    look = sys.argv[2] if len(sys.argv) > 2 else None
    from datetime import date

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.storage import open_journal

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            journal.add_demo_attempts(
                generate_attempts(journal.challenges(), 120, seed=4, today=date(2026, 11, 23))
            )
        app = create_application(sys.argv[:1])
        window, journal = open_main_window(data)
        if look is not None:
            window.appearance.choose(look)
        window.resize(1400, 860)
        loop = QEventLoop()
        window.chart.redrawn.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        window.entries.table.selectRow(2)
        for _ in range(5):
            app.processEvents()
        window.chart._canvas.draw()  # type: ignore[union-attr]
        app.processEvents()
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
    raise SystemExit(main())
