"""The evening review, driven like a user would: the keyboard, on a real journal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.ui.dialogs import UnsavedChoice
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.review import ReviewDialog
from tests.gui.conftest import FakeDialogs

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _open_three(window: MainWindow) -> list[AttemptRecord]:
    today = date.today()
    return [window.service.save(AttemptRecord(ask=ask, attempted_on=day,
                                              anticipated_discomfort=before,
                                              worst_case="They laugh."))
            for ask, day, before in (("Ask for a discount", today, 7),
                                     ("Ask a stranger for directions", today, 5),
                                     ("Ask for feedback", today - timedelta(days=1), 8))]


def _start(qtbot, window: MainWindow) -> ReviewDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    review = window.evening.review
    assert review is not None and review.isVisible()
    qtbot.waitUntil(review.isActiveWindow)
    return review


def _choose_outcome(qtbot, review: ReviewDialog, outcome: Outcome) -> None:
    assert QApplication.focusWidget() is review.outcome, "the review starts at the outcome"
    while review.outcome.currentData() != outcome.value:
        qtbot.keyClick(review.outcome, Qt.Key.Key_Down)


def test_a_review_of_three_open_entries(qtbot, window: MainWindow,
                                        dialogs: FakeDialogs) -> None:
    _open_three(window)
    button = window.evening.open_button
    assert button.isVisible() and button.text() == "3 open entries — review"

    review = _start(qtbot, window)
    assert review.progress.text() == "Entry 1 of 3"
    assert "Ask for a discount" in review.heading.text()
    assert "you expected 7/10 discomfort" in review.before.text()

    # The first one: "no", but a typo in the rating is named beside it and nothing is lost.
    _choose_outcome(qtbot, review, Outcome.NO)
    qtbot.keyClicks(review.actual, "12")
    qtbot.keyClicks(review.reflection, "They had a policy.")
    qtbot.keyClick(review.actual, Qt.Key.Key_Return)
    assert review.progress.text() == "Entry 1 of 3", "a refused save stays on the entry"
    assert review.error_label.isVisible() and "12" in review.error_label.text()
    assert review.field_errors[review.actual].isVisible()
    assert review.reflection.toPlainText() == "They had a policy."
    review.actual.selectAll()
    qtbot.keyClicks(review.actual, "3")
    qtbot.keyClick(review.actual, Qt.Key.Key_Return)

    # The second one: skipped with Alt+S, it stays open.
    assert review.progress.text() == "Entry 2 of 3"
    assert "directions" in review.heading.text()
    qtbot.keyClick(review, Qt.Key.Key_S, ALT)  # a mnemonic "clicks" after a short animation
    qtbot.waitUntil(lambda: review.progress.text() == "Entry 3 of 3")

    # The third (yesterday's): a yes, with a lesson; Ctrl+Enter from the text box saves.
    assert "feedback" in review.heading.text()
    _choose_outcome(qtbot, review, Outcome.YES)
    qtbot.keyClicks(review.actual, "4")
    qtbot.keyClicks(review.lesson, "Smile first.")
    qtbot.keyClick(review.lesson, Qt.Key.Key_Return, CTRL)

    # The summary: two asks, one no, the gap (7-3 and 8-4), the lesson; and what still waits.
    assert review.pages.currentIndex() == 1
    assert review.summary is not None
    assert (review.summary.attempts, review.summary.nos, review.summary.mean_gap,
            review.summary.lesson) == (2, 1, 4.0, "Smile first.")
    text = review.summary_label.text()
    for words in ("<b>2</b></span><br>asks reflected on", "<b>1</b></span><br>no’s collected",
                  "<b>4.0</b></span><br>points easier than expected", "Smile first.",
                  "1 entry is still open; it will keep"):
        assert words in text, words
    assert [e.ask for e in window.service.open_entries()] == ["Ask a stranger for directions"]
    assert button.text() == "1 open entry — review"
    assert dialogs.unsaved_questions == []

    qtbot.keyClick(review, Qt.Key.Key_Escape)
    assert not review.isVisible() and window.evening.review is None


def test_done_with_unsaved_text_asks_and_keeps_it_unless_let_go(
    qtbot, window: MainWindow, dialogs: FakeDialogs,
) -> None:
    _open_three(window)
    review = _start(qtbot, window)
    qtbot.keyClicks(review.reflection, "Half a thought")
    dialogs.unsaved_answers = [UnsavedChoice.CANCEL]
    qtbot.keyClick(review, Qt.Key.Key_Escape)
    assert dialogs.unsaved_questions and review.pages.currentIndex() == 0
    assert review.reflection.toPlainText() == "Half a thought"

    dialogs.unsaved_answers = [UnsavedChoice.SAVE]
    qtbot.keyClick(review.reflection, Qt.Key.Key_D, ALT)
    qtbot.waitUntil(lambda: review.pages.currentIndex() == 1)  # saved, then the summary
    saved = [e for e in window.service.open_entries() if e.ask == "Ask for a discount"]
    assert saved[0].reflection == "Half a thought" and saved[0].is_open
    text = review.summary_label.text()  # the reflection was written, and the summary says so
    assert "You wrote in 1 entry; it stays open" in text
    assert "Nothing written" not in text and "after half" not in text
    qtbot.keyClick(review, Qt.Key.Key_Return)
    assert window.evening.review is None


def test_what_is_typed_survives_the_window_closing_as_a_draft(
    qtbot, make_window: Callable[[], MainWindow],
) -> None:
    window = make_window()
    _open_three(window)
    review = _start(qtbot, window)
    qtbot.keyClicks(review.feelings_after, "Shaky but fine")
    window.evening.close_review()  # what closing or quitting the window does
    assert window.evening.review is None

    review = _start(qtbot, window)
    assert review.feelings_after.toPlainText() == "Shaky but fine"
    assert review.draft_notice.isVisible()
    _choose_outcome(qtbot, review, Outcome.PARTIAL)
    qtbot.keyClick(review.actual, Qt.Key.Key_Return)
    assert window.service.draft("review") is None, "saved: the draft is gone"
    assert window.service.attempt_count() == 3
    review.controller.done()
    review.accept()


def test_nothing_open_shows_no_button_and_an_empty_kind_summary(
    qtbot, window: MainWindow,
) -> None:
    assert window.evening.open_button.isHidden()
    review = window.evening.start_review()
    assert review is not None and review.pages.currentIndex() == 1
    text = review.summary_label.text()
    assert "Nothing was waiting tonight" in text
    assert "after half" not in text and "Nothing written" not in text
    review.accept()


def test_review_mnemonics_are_unique_and_every_field_is_labelled(
    qtbot, window: MainWindow,
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLabel

    _open_three(window)
    review = window.evening.start_review()
    assert review is not None
    keys = []
    for widget in review.findChildren(QLabel) + review.findChildren(QAbstractButton):
        cleaned = widget.text().replace("&&", "")
        is_mnemonic = not isinstance(widget, QLabel) or widget.buddy() is not None
        if "&" in cleaned and is_mnemonic:
            keys.append(cleaned[cleaned.index("&") + 1].lower())
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert {"n", "s", "d"} <= set(keys)
    for field in review._inputs():
        assert field.accessibleName() or isinstance(field, QAbstractButton)
    review.controller.done()
    review.accept()
