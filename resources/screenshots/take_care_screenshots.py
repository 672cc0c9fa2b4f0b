"""Render the care and small-things screens of issue 20 as PNGs.

    python resources/screenshots/take_care_screenshots.py [OUT_DIR]

Offscreen on the fixed test screen (tests/offscreen-screen.json), on a throwaway journal whose
evening starts at 00:00 (the reminder's time), so the evening banner shows whatever the hour.
Writes evening-banner.png, crisis-help.png and restore-confirm.png.
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
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    from datetime import date, timedelta

    from PySide6.QtWidgets import QApplication, QMessageBox

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.records import AttemptRecord
    from rejection_journal.storage import open_journal

    def settle() -> None:
        for _ in range(10):
            app.processEvents()

    shots: list[str] = []

    def grab_instead_of_exec(name: str):  # type: ignore[no-untyped-def]
        def exec_(box: QMessageBox) -> int:
            box.show()
            settle()
            box.grab().save(str(out / name))
            shots.append(name)
            box.close()
            return 0
        return exec_

    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            for ask, days in (("Ask the café for a free refill", 0),
                              ("Ask a colleague for feedback on my draft", 0),
                              ("Ask the bookshop to order a book for me", 3)):
                journal.save_attempt(AttemptRecord(ask=ask, attempted_on=today - timedelta(days),
                                                   anticipated_discomfort=6))
            journal.backup("manual")
            journal.save_attempt(AttemptRecord(ask="Ask for a window seat", attempted_on=today,
                                               anticipated_discomfort=4))
        app = create_application(sys.argv[:1])
        (data / "ui-state.ini").write_text("[welcome]\nshown=true\n[reminder]\ntime=00:00\n",
                                           encoding="utf-8")
        window, journal = open_main_window(data)
        window.resize(1366, 768)
        window.show()
        settle()
        window.grab().save(str(out / "evening-banner.png"))
        shots.append("evening-banner.png")

        QMessageBox.exec = grab_instead_of_exec("crisis-help.png")  # type: ignore[method-assign]
        window.crisis_action.trigger()
        window.dialogs.choose_backup = lambda backups: backups[0]  # type: ignore[method-assign]
        QMessageBox.exec = grab_instead_of_exec("restore-confirm.png")  # type: ignore[method-assign]
        window.restore_action.trigger()
        window.close()
        QApplication.processEvents()
        journal.close()
    print(f"wrote {', '.join(shots)} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
