"""Issue 19 item 4: the editor and the evening review show one after-half form and keep one
kind of draft."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from rejection_journal.domain.after_half import applies
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import TEXT_MAX, AttemptRecord
from rejection_journal.ui.after_form import AfterHalfForm
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.review import ReviewDialog


def _open_entry(window: MainWindow, **fields: Any) -> AttemptRecord:
    return window.service.save(AttemptRecord(ask="Ask for a discount",
                                             attempted_on=date.today(),
                                             anticipated_discomfort=7, **fields))


def _review(window: MainWindow) -> ReviewDialog:
    review = window.evening.start_review()
    assert review is not None and review.pages.currentIndex() == 0
    return review


def _end(review: ReviewDialog) -> None:
    review.controller.done()
    review.accept()


def test_the_editor_and_the_review_hold_the_same_after_half_form(
    qtbot, window: MainWindow,
) -> None:
    _open_entry(window)
    review = _review(window)
    editor = window.editor
    assert type(editor.after) is AfterHalfForm and type(review.after) is AfterHalfForm
    for owner in (editor, review):
        assert owner.after.isAncestorOf(owner.outcome)
        assert owner.outcome is owner.after.outcome and owner.lesson is owner.after.lesson
        assert all(w in owner._inputs() for w in owner.after.inputs())
        assert owner.field_errors[owner.actual] is owner.after.messages.labels[owner.actual]
    _end(review)


@pytest.mark.parametrize("outcome", [None, *Outcome])
def test_both_show_the_rows_the_domain_rule_applies(
    qtbot, window: MainWindow, outcome: Outcome | None,
) -> None:
    _open_entry(window)
    review = _review(window)
    for form in (window.editor.after, review.after):
        form.outcome.setCurrentIndex(form.outcome.findData(outcome.value if outcome else None))
        for attribute, (label, field) in form.rows.items():
            shown = applies(attribute, outcome)
            assert (label.isVisibleTo(form), field.isVisibleTo(form)) == (shown, shown), \
                attribute
    assert review._record is not None
    review.after.set_state(review.after.state_of(review._record))  # as loaded: not dirty
    _end(review)


def _tab_order(first: QWidget, among: tuple[QWidget, ...]) -> list[QWidget]:
    """The inputs in ``among`` in the order Tab goes from ``first``."""
    order, widget = [first], first.nextInFocusChain()
    while widget is not None and widget is not first and len(order) < 200:
        if widget in among and widget.isVisibleTo(first.window()) and widget.isEnabled():
            order.append(widget)
        widget = widget.nextInFocusChain()
    return order


def test_tab_goes_through_the_after_half_in_the_order_shown(
    qtbot, window: MainWindow,
) -> None:
    record = _open_entry(window, outcome=Outcome.NO, actual_discomfort=3)
    window.editor.load(record)
    editor_inputs = window.editor._inputs()
    # (the day to follow up shows only for an entry waiting for an answer)
    shown = [w for w in editor_inputs if w.isVisibleTo(window)]
    assert shown == [w for w in editor_inputs if w is not window.editor.experiment.follow_up_on]
    assert _tab_order(editor_inputs[0], editor_inputs) == shown
    _open_entry(window)
    review = _review(window)
    review.outcome.setCurrentIndex(review.outcome.findData(Outcome.NO.value))
    inputs = review._inputs()
    assert _tab_order(inputs[0], inputs) == list(inputs)
    assert review._record is not None
    review.after.set_state(review.after.state_of(review._record))
    _end(review)


def test_the_reviews_length_counter_shows_inside_the_review(
    qtbot, window: MainWindow,
) -> None:
    """(The review's text boxes had no place for their counter: near the limit it opened as
    a window of its own.)"""
    _open_entry(window)
    review = _review(window)
    review.reflection.setPlainText("x" * (TEXT_MAX - 5))
    counter = review.reflection.counter
    assert counter.isVisible() and counter.window() is review
    assert "characters" in counter.text()
    assert review._record is not None
    review.after.set_state(review.after.state_of(review._record))
    _end(review)


def test_the_reviews_draft_keeps_only_what_was_typed_like_the_editors(
    qtbot, make_window: Callable[[], MainWindow],
) -> None:
    """(The review's draft kept its whole form: brought back after the entry changed
    elsewhere, it put back the old text of fields the user had not touched.)"""
    window = make_window()
    record = _open_entry(window, lesson="Ask earlier in the day.")
    review = _review(window)
    review.reflection.setPlainText("They were kind about it.")
    review.write_draft()
    window.evening.close_review()  # what quitting does: the draft stays
    stored = window.service.draft("review")
    assert stored is not None and stored[1] == record.uuid
    kept = json.loads(stored[0])
    assert kept["changes"] == {"reflection": "They were kind about it."}
    assert kept["revision"] == window.service.revision(record)

    changed = window.service.save(record.replace(lesson="Smile first."))  # elsewhere

    review = _review(window)
    assert review.draft_notice.isVisible()
    assert review.reflection.toPlainText() == "They were kind about it."
    assert review.lesson.toPlainText() == "Smile first.", "what changed meanwhile stays"
    assert review.is_dirty
    review.outcome.setCurrentIndex(review.outcome.findData(Outcome.YES.value))
    assert review.next_entry()
    saved = window.service.attempt(changed.uuid)
    assert saved is not None
    assert (saved.reflection, saved.lesson) == ("They were kind about it.", "Smile first.")
    assert window.service.draft("review") is None
    review.accept()
    QApplication.processEvents()
