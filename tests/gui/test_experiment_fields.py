"""Issue 21 in the window: the experiment's fields filled through the editor and through the
evening review, and a waiting entry taken through its follow-up in the review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from rejection_journal.domain.entry_list import SortColumn
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from tests.gui.test_review import _choose_outcome, _start


def _pick(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_the_editor_saves_the_fear_before_and_what_happened_after(
    qtbot, window: MainWindow, journal: Journal,
) -> None:
    editor = window.editor
    qtbot.keyClicks(editor.ask, "Ask the cafe for a window seat")
    experiment = editor.experiment
    _pick(experiment.ask_mode, AskMode.IN_PERSON.value)
    qtbot.keyClicks(experiment.feared_outcome, "The waiter rolls his eyes")
    qtbot.keyClicks(experiment.fear_likelihood, "150")
    experiment.safety.boxes["apologising"].setChecked(True)
    qtbot.keyClicks(experiment.safety.own, "Keeping my coat on")
    assert editor.save() is None, "a likelihood of 150 is named, never clamped"
    assert "How likely it feels" in editor.error_label.text()
    assert "150" in editor.error_label.text()
    experiment.fear_likelihood.selectAll()
    qtbot.keyClicks(experiment.fear_likelihood, "70")
    _pick(editor.outcome, Outcome.PARTIAL.value)
    after = editor.after
    _pick(after.fear_happened, FearHappened.PARTLY.value)
    qtbot.keyClicks(after.fear_likelihood_after, "35")
    qtbot.keyClicks(after.surprise, "7")
    after.safety_dropped.boxes["apologising"].setChecked(True)
    saved = editor.save()
    assert saved is not None
    stored = journal.attempt(saved.uuid)
    assert stored is not None
    assert (stored.kind, stored.ask_mode, stored.feared_outcome, stored.fear_likelihood,
            stored.safety_behaviours) == (EntryKind.ASK, AskMode.IN_PERSON,
                                          "The waiter rolls his eyes", 70,
                                          ("apologising", "Keeping my coat on"))
    assert (stored.fear_happened, stored.fear_likelihood_after, stored.surprise,
            stored.safety_dropped) == (FearHappened.PARTLY, 35, 7, ("apologising",))
    # shown again as saved: nothing unsaved
    editor.load(stored)
    assert not editor.is_dirty
    assert experiment.safety.own.text() == "Keeping my coat on"


def test_a_rejection_that_happened_to_me_needs_no_prediction(
    qtbot, window: MainWindow, journal: Journal,
) -> None:
    editor = window.editor
    qtbot.keyClicks(editor.ask, "My friend cancelled our trip again")
    qtbot.keyClicks(editor.experiment.feared_outcome, "Typed before choosing the kind")
    _pick(editor.experiment.kind, EntryKind.HAPPENED_TO_ME.value)
    assert not editor.experiment.feared_outcome.isVisible()
    _pick(editor.outcome, Outcome.NO.value)
    saved = editor.save()
    assert saved is not None
    assert (saved.kind, saved.feared_outcome) == (EntryKind.HAPPENED_TO_ME, "")


def test_a_waiting_entry_comes_back_in_the_review_as_did_you_hear_back(
    qtbot, window: MainWindow, journal: Journal,
) -> None:
    editor = window.editor
    today = window.service.today()
    qtbot.keyClicks(editor.ask, "Apply for the library job")
    qtbot.keyClicks(editor.experiment.feared_outcome, "Silence")
    editor.experiment.waiting.setChecked(True)
    assert editor.experiment.follow_up_on.isVisible()
    assert editor.experiment.follow_up_on.date().toPython() == today + timedelta(days=7)
    saved = editor.save()
    assert saved is not None and saved.is_waiting
    assert saved.follow_up_on == today + timedelta(days=7)
    assert window.service.open_count() == 0, "not an entry to reflect on yet"
    # the follow-up day comes (here: brought forward), and an ordinary open entry too
    window.service.save(saved.replace(follow_up_on=today))
    window.service.save(AttemptRecord(ask="Ask for a discount", attempted_on=today))
    review = _start(qtbot, window)
    assert review.progress.text() == "Entry 1 of 2"
    if "Did you hear back?" not in review.before.text():
        qtbot.keyClick(review, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: review.progress.text() == "Entry 2 of 2")
    assert "Did you hear back?" in review.before.text()
    assert "Silence" in review.before.text()
    _choose_outcome(qtbot, review, Outcome.NO_RESPONSE)
    _pick(review.after.fear_happened, FearHappened.YES.value)
    qtbot.keyClicks(review.after.fear_likelihood_after, "60")
    review.next_button.click()
    stored = journal.attempt(saved.uuid)
    assert stored is not None
    assert (stored.outcome, stored.awaiting_answer, stored.follow_up_on) == (
        Outcome.NO_RESPONSE, False, None)
    assert (stored.fear_happened, stored.fear_likelihood_after) == (FearHappened.YES, 60)
    review.controller.done()
    review.accept()
    qtbot.waitUntil(lambda: window.evening.review is None)


def test_the_list_marks_waiting_entries_and_what_happened_to_me_and_filters_them(
    qtbot, make_window: Callable[[], MainWindow], journal: Journal,
) -> None:
    from rejection_journal.domain.entry_list import Completion
    from rejection_journal.ui.entries_model import OPEN_TEXT, WAITING_TEXT, column_index
    from tests.gui.test_entries_list import _shown, _wait_order

    window = make_window()
    today = window.service.today()
    service = window.service
    plain = service.save(AttemptRecord(ask="Ask for a refill", attempted_on=today))
    waiting = service.save(AttemptRecord(ask="Apply for the job", attempted_on=today,
                                         awaiting_answer=True))
    hurt = service.save(AttemptRecord(ask="My brother skipped my dinner", attempted_on=today,
                                      outcome=Outcome.NO, kind=EntryKind.HAPPENED_TO_ME))
    model = window.entries.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    outcome = column_index(SortColumn.OUTCOME)
    texts = {model.uuid_at(row): model.index(row, outcome).data() for row in range(3)}
    assert texts == {plain.uuid: OPEN_TEXT, waiting.uuid: WAITING_TEXT,
                     hurt.uuid: "No · happened to me"}
    bar = window.entries.filter_bar
    for choice, expected in ((Completion.WAITING, [waiting.uuid]),
                             (Completion.HAPPENED_TO_ME, [hurt.uuid])):
        _wait_order(qtbot, window, partial(bar.completion.setCurrentIndex,
                                           bar.completion.findData(choice)))
        assert _shown(window) == expected
