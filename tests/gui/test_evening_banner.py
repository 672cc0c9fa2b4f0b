"""The in-app evening banner: no system tray needed (issue 20).

The service's clock decides when it is evening (from the reminder's time, 21:00 unless
changed); the banner shows while entries are open, and "Not tonight" puts it away until the
next evening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.reminder import evening_banner_due, evening_banner_text
from rejection_journal.services import FixedClock
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow

DAY = date(2026, 12, 6)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.combine(DAY, time(20, 59)))


def _tick(window: MainWindow) -> None:
    """A minute passes: the window looks at the clock (its timer's timeout)."""
    window.evening.evening_timer.timeout.emit()


def test_the_banner_comes_when_the_clock_crosses_into_the_evening(
        qtbot, make_window: Callable[[], MainWindow], journal: Journal,
        clock: FixedClock) -> None:
    journal.save_attempt(AttemptRecord(ask="Ask for a discount", attempted_on=DAY))
    window = make_window()
    banner = window.evening.evening_banner
    assert banner.isHidden(), "20:59 is not yet the evening"
    assert window.evening.evening_timer.isActive()
    clock.set(datetime.combine(DAY, time(21, 0)))
    _tick(window)
    assert banner.isVisible()
    assert banner.label.text() == evening_banner_text(1)
    assert "1 entry is still open" in banner.label.text()
    assert "after half" not in banner.label.text()

    # Review now: the review opens, the banner steps aside.
    qtbot.mouseClick(banner.review_button, Qt.MouseButton.LeftButton)
    review = window.evening.review
    assert review is not None and banner.isHidden()
    review.controller.done()
    review.accept()
    qtbot.waitUntil(lambda: window.evening.review is None)
    assert banner.isVisible(), "the entry is still open"

    # Not tonight: gone until tomorrow evening, and remembered.
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    _tick(window)
    assert banner.isHidden()
    clock.set(datetime.combine(DAY + timedelta(days=1), time(9, 0)))
    _tick(window)
    assert banner.isHidden(), "the morning"
    clock.set(datetime.combine(DAY + timedelta(days=1), time(21, 30)))
    _tick(window)
    assert banner.isVisible(), "the next evening"


def test_no_banner_when_nothing_is_open_and_it_goes_once_finished(
        qtbot, make_window: Callable[[], MainWindow], journal: Journal,
        clock: FixedClock) -> None:
    clock.set(datetime.combine(DAY, time(22, 0)))
    window = make_window()
    banner = window.evening.evening_banner
    assert banner.isHidden(), "nothing open: nothing to say"
    record = window.service.save(AttemptRecord(ask="Ask a neighbour", attempted_on=DAY))
    assert banner.isVisible(), "the save itself brought it"
    window.service.save(record.replace(outcome=Outcome.YES, actual_discomfort=2))
    assert banner.isHidden(), "finished: the banner goes"


def test_the_evening_follows_the_reminders_time(
        qtbot, make_window: Callable[[], MainWindow], journal: Journal, clock: FixedClock,
        settings_path) -> None:
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("reminder/time", "19:30")
    settings.sync()
    journal.save_attempt(AttemptRecord(ask="Ask for a discount", attempted_on=DAY))
    clock.set(datetime.combine(DAY, time(19, 45)))
    window = make_window()
    assert window.evening.evening_banner.isVisible()


def test_the_rule() -> None:
    evening = datetime.combine(DAY, time(21, 5))
    assert evening_banner_due(evening, time(21, 0), None, 2)
    assert not evening_banner_due(evening, time(21, 0), None, 0)
    assert not evening_banner_due(evening, time(21, 0), DAY, 2)
    assert evening_banner_due(evening, time(21, 0), DAY - timedelta(days=1), 2)
    assert not evening_banner_due(evening.replace(hour=20), time(21, 0), None, 2)
    assert "2 entries are still open" in evening_banner_text(2)
