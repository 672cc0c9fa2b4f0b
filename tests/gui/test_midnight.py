"""The app left open overnight moves to the new day by itself: today's challenge, a new
entry's date, the entries filter counted back from today, the evening review and the
reminder all follow the service's clock across midnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest

from rejection_journal.domain.entry_list import Completion
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.reminder import ReminderSettings
from rejection_journal.services import Change, Entity, FixedClock
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.reminder import write_settings

NEW_YEARS_EVE = datetime(2027, 12, 31, 23, 59, 30)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NEW_YEARS_EVE)


def _cross_midnight(qtbot, window: MainWindow, clock: FixedClock) -> Change:
    clock.advance(timedelta(minutes=1))
    with qtbot.waitSignal(window.changes.changed, timeout=5_000,
                          check_params_cb=lambda c: c.entity is Entity.DAY) as blocker:
        window.day_timer.timeout.emit()  # what the window's own timer does every half minute
    change = blocker.args[0]
    assert isinstance(change, Change)
    return change


def test_an_app_left_open_overnight_moves_to_the_new_day(
        qtbot, make_window: Callable[[], MainWindow], clock: FixedClock,
) -> None:
    window = make_window()
    service = window.service
    assert window.day_timer.isActive()
    # yesterday's (New Year's Eve's) state
    assert window.editor.attempted_on.date().toPython() == date(2027, 12, 31)
    eve_pick = window.picker.todays_challenge
    assert eve_pick == service.todays_challenge(date(2027, 12, 31))
    window.entries.filter_bar.range.setCurrentText("Last 7 days")
    assert window.entries.filter_bar.current_filter().until == date(2027, 12, 31)
    window.entries.filter_bar.completion.setCurrentIndex(
        window.entries.filter_bar.completion.findData(Completion.ALL))

    # an entry made on the eve, still open: after midnight the review says it is yesterday's
    service.save(AttemptRecord(ask="Ask the bakery for a day-old loaf",
                               attempted_on=date(2027, 12, 31)))
    write_settings(window.evening.settings, ReminderSettings(enabled=True, at=time(0, 0)))

    change = _cross_midnight(qtbot, window, clock)
    assert change.changed == ("2028-01-01",)
    # nothing stored changed: no entry is touched by the new day; what hangs on "today" is
    assert not change.touches(Entity.ATTEMPT, Entity.CHALLENGE, Entity.LADDER, Entity.RUN)
    assert not change.touches(Entity.OPEN_COUNT, Entity.LADDER_PROGRESS)
    assert change.touches(Entity.TODAY) and change.touches(Entity.USAGE)

    new_day = date(2028, 1, 1)
    assert window.picker.todays_challenge == service.todays_challenge(new_day)
    assert window.editor.attempted_on.date().toPython() == new_day, "a new entry's date"
    assert not window.editor.is_dirty, "moving the date of an untouched form is not an edit"
    assert window.entries.filter_bar.current_filter().since == new_day - timedelta(days=6)
    assert window.entries.filter_bar.current_filter().until == new_day
    assert window.evening.reminder.check(), "the reminder is due on the new day"
    review = window.evening.start_review()
    assert review is not None
    assert review.controller.remaining == 1
    assert review.before.text().startswith("Fri 31 Dec 2027"), "yesterday's, not “Today”"
    review.close()


def test_a_new_entry_being_written_keeps_its_date_across_midnight(
        qtbot, make_window: Callable[[], MainWindow], clock: FixedClock) -> None:
    window = make_window()
    qtbot.keyClicks(window.editor.ask, "Ask a neighbour to borrow a ladder")
    assert window.editor.is_dirty
    _cross_midnight(qtbot, window, clock)
    assert window.editor.attempted_on.date().toPython() == date(2027, 12, 31), (
        "what the user is writing about happened on the day they started it")


def test_no_announcement_while_the_day_stays_the_same(
        make_window: Callable[[], MainWindow], clock: FixedClock) -> None:
    window = make_window()
    seen: list[Change] = []
    window.changes.changed.connect(seen.append)
    clock.advance(timedelta(seconds=20))
    window.day_timer.timeout.emit()
    assert not window.service.check_day()
    assert seen == []
