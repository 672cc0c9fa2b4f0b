"""The editor names a refused value as the domain does and puts the cursor on its widget.

The domain's ValidationError carries the attribute; the editor maps it to a widget.  The rating
boxes cannot go past the domain's range, so each test first widens a box, as if the widget
and the domain disagreed: the domain still refuses, and the editor points at that box.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget

from rejection_journal.domain.enums import Outcome
from rejection_journal.storage import Journal
from rejection_journal.ui.editor import AttemptEditor
from rejection_journal.ui.main_window import MainWindow


def _pick(box: object, value: str) -> None:
    box.setCurrentIndex(box.findData(value))  # type: ignore[attr-defined]


def _too_anxious(editor: AttemptEditor) -> QWidget:
    editor.anticipated.setValue(11)
    return editor.anticipated


def _too_sure(editor: AttemptEditor) -> QWidget:
    editor.predicted.setValue(101)
    return editor.predicted


def _felt_too_much(editor: AttemptEditor) -> QWidget:
    _pick(editor.outcome, Outcome.NO.value)
    editor.actual.setValue(11)
    return editor.actual


def _nothing_asked(editor: AttemptEditor) -> QWidget:
    editor.ask.setText("   ")
    return editor.ask


@pytest.mark.parametrize(("spoil", "message"), [
    (_too_anxious, "Not saved yet — Anticipated discomfort: must be from 0 to 10, not 11."),
    (_too_sure, "Not saved yet — Predicted chance of no: must be from 0 to 100, not 101."),
    (_felt_too_much, "Not saved yet — Actual discomfort: must be from 0 to 10, not 11."),
    (_nothing_asked, "Not saved yet — What you asked: cannot be empty."),
])
def test_a_refused_rating_is_named_and_its_widget_gets_the_focus(
    qtbot, window: MainWindow, journal: Journal,
    spoil: Callable[[AttemptEditor], QWidget], message: str,
) -> None:
    editor = window.editor
    editor.start_new(None)
    editor.ask.setText("Ask for a discount")
    editor.lesson.setFocus()  # the cursor starts somewhere else
    target = spoil(editor)
    before = journal.attempt_count()

    assert editor.save() is None

    assert editor.error_label.isVisible()
    assert editor.error_label.text() == message
    qtbot.waitUntil(lambda: window.focusWidget() is target)
    assert journal.attempt_count() == before  # nothing was saved
