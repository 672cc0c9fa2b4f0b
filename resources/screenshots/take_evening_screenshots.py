"""Render the evening review, its summary, the welcome and the pause banner as PNGs.

    python resources/screenshots/take_evening_screenshots.py [OUT_DIR]

Offscreen on the fixed test screen (tests/offscreen-screen.json), on a throwaway journal.
Writes review.png, summary.png, welcome.png and pause-banner.png.
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

    from PySide6.QtWidgets import QApplication

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.enums import Outcome, Reason
    from rejection_journal.domain.records import AttemptRecord
    from rejection_journal.storage import open_journal
    from rejection_journal.ui.welcome import WelcomeDialog

    def settle() -> None:
        for _ in range(10):
            app.processEvents()

    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            challenges = journal.challenges()
            rows = ((9, 8, 9, -1), (7, 7, 8, -1), (5, 8, 5, -2), (3, 8, 9, -1), (2, 9, 10, -2))
            for days, before, after, hopeful in rows:
                journal.save_attempt(AttemptRecord(
                    ask=challenges[days].title, challenge_uuid=challenges[days].uuid,
                    attempted_on=today - timedelta(days=days), anticipated_discomfort=before,
                    predicted_no_chance=70, outcome=Outcome.NO, actual_discomfort=after,
                    reasons=(Reason.TIMING,), hopefulness=hopeful, lesson="Breathe first."))
            for ask, days, before, chance in (
                    ("Ask the café for a free refill", 0, 6, 60),
                    ("Ask a colleague for feedback on my draft", 0, 7, 40),
                    ("Ask the bookshop to order a book for me", 1, 4, 30)):
                journal.save_attempt(AttemptRecord(
                    ask=ask, attempted_on=today - timedelta(days=days),
                    anticipated_discomfort=before, predicted_no_chance=chance,
                    worst_case="An awkward silence, and me going red."))
        app = create_application(sys.argv[:1])
        (data / "ui-state.ini").write_text("[welcome]\nshown=true\n", encoding="utf-8")
        window, journal = open_main_window(data)
        window.resize(1366, 768)
        window.show()
        settle()
        if not window.grab().save(str(out / "pause-banner.png")):
            return 1

        review = window.evening.start_review()
        assert review is not None
        settle()
        review.outcome.setCurrentIndex(review.outcome.findData(Outcome.NO.value))
        review.actual.setText("3")
        review.feelings_after.setPlainText("Lighter than I expected.")
        review.reason_boxes[Reason.POLICY].setChecked(True)
        review.reflection.setPlainText("They were kind about it; refills are just not a "
                                       "thing there. It was about the rules, not me.")
        review.lesson.setPlainText("Ask earlier in the day.")
        review.hopefulness.setCurrentIndex(review.hopefulness.findData(1))
        review.next_discomfort.setText("4")
        review.next_no_chance.setText("55")
        settle()
        review.grab().save(str(out / "review.png"))
        review.next_entry()
        review.outcome.setCurrentIndex(review.outcome.findData(Outcome.YES.value))
        review.actual.setText("4")
        review.lesson.setPlainText("People like being asked for their opinion.")
        review.next_entry()
        review.skip_entry()
        settle()
        review.grab().save(str(out / "summary.png"))
        review.accept()

        welcome = WelcomeDialog(can_add_demo=True, parent=window)
        welcome.show()
        settle()
        welcome.grab().save(str(out / "welcome.png"))
        welcome.close()
        window.close()
        QApplication.processEvents()
        journal.close()
    print(f"wrote review.png, summary.png, welcome.png and pause-banner.png to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
