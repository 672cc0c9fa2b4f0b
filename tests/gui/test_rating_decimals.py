"""Issue 18 item 9: a rating box never turns "7,5" or "7.5" into another number."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.mark.parametrize("typed", ["7,5", "7.5", "0,5"])
def test_a_decimal_chance_of_no_is_kept_as_typed_named_and_not_saved(
    qtbot, window: MainWindow, journal: Journal, typed: str
) -> None:
    window.show()
    qtbot.waitExposed(window)
    editor = window.editor
    editor.ask.setText("Ask for a discount")
    qtbot.keyClicks(editor.predicted, typed)
    assert editor.predicted.text() == typed, "no separator dropped"
    beside = editor.field_errors[editor.predicted]
    assert beside.isVisible()
    assert beside.text() == f"Type a whole number from 0 to 100, not {typed}."

    assert editor.save() is None
    assert journal.attempt_count() == 0, "nothing saved, least of all 75 %"
    assert editor.error_label.isVisible()
    assert editor.error_label.text().endswith(f"type a whole number from 0 to 100, not {typed}.")
    assert editor.predicted.text() == typed

    editor.predicted.selectAll()
    qtbot.keyClicks(editor.predicted, "75")
    assert not beside.isVisible()
    stored = editor.save()
    assert stored is not None and stored.predicted_no_chance == 75


def test_the_evening_review_refuses_a_decimal_rating_visibly(
    qtbot, window: MainWindow
) -> None:
    entry = window.service.save(AttemptRecord(ask="Ask for a discount", attempted_on=date.today(),
                                      anticipated_discomfort=7))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    review = window.evening.review
    assert review is not None
    qtbot.waitUntil(review.isActiveWindow)
    assert QApplication.focusWidget() is review.outcome
    while review.outcome.currentData() != Outcome.NO.value:
        qtbot.keyClick(review.outcome, Qt.Key.Key_Down)
    qtbot.keyClicks(review.actual, "3")
    qtbot.keyClicks(review.next_no_chance, "7,5")
    assert review.next_no_chance.text() == "7,5"
    assert review.field_errors[review.next_no_chance].isVisible()
    assert "not 7,5" in review.field_errors[review.next_no_chance].text()
    qtbot.keyClick(review.actual, Qt.Key.Key_Return)
    assert review.progress.text() == "Entry 1 of 1", "a refused save stays on the entry"
    assert review.error_label.isVisible() and "7,5" in review.error_label.text()
    assert window.service.open_entries()[0].outcome is None, "nothing saved"
    review.next_no_chance.selectAll()
    qtbot.keyClicks(review.next_no_chance, "75")
    qtbot.keyClick(review.actual, Qt.Key.Key_Return)
    assert review.pages.currentIndex() == 1
    stored = window.service.attempt(entry.uuid)
    assert stored is not None and stored.next_no_chance == 75
    qtbot.keyClick(review, Qt.Key.Key_Escape)
