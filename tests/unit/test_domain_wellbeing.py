"""The pause suggestion's rule and the evening reminder's rule (domain, no Qt)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_journal.domain.reminder import (
    ReminderSettings,
    parse_day,
    parse_time,
    reminder_due,
    reminder_text,
)
from rejection_journal.domain.wellbeing import (
    DISMISS_DAYS,
    Dismissal,
    PauseSuggestion,
    TrendPoint,
    TrendSignal,
    banner_due,
    pause_suggestion,
    slope,
)


def points(actual: list[int | None], hopeful: list[int | None] | None = None
           ) -> list[TrendPoint]:
    hopeful = hopeful or [None] * len(actual)
    return [TrendPoint(a, h) for a, h in zip(actual, hopeful, strict=True)]


# -- the pause rule ------------------------------------------------------------------------------

def test_a_calm_recent_history_suggests_nothing() -> None:
    assert pause_suggestion(points([3, 4, 2, 5, 3], [1, 0, 1, 0, 0])) is None


def test_too_few_entries_say_nothing_about_a_trend() -> None:
    assert pause_suggestion(points([9, 10], [-2, -2])) is None


def test_hopefulness_falling_on_average_suggests_a_pause() -> None:
    found = pause_suggestion(points([3, 3, 3, 3, 3], [0, -1, -1, -2, None]))
    assert found == PauseSuggestion((TrendSignal.LESS_HOPEFUL,))
    # a mean just above -1 does not
    assert pause_suggestion(points([3, 3, 3, 3, 3], [0, -1, -1, -1, None])) is None


def test_hopefulness_needs_three_answers() -> None:
    assert pause_suggestion(points([3, 3, 3, 3, 3], [-2, -2, None, None, None])) is None


def test_discomfort_staying_high_on_four_of_five_suggests_a_pause() -> None:
    assert pause_suggestion(points([8, 9, 5, 8, 10])) == PauseSuggestion(
        (TrendSignal.STAYING_HIGH,))
    assert pause_suggestion(points([8, 9, 5, 7, 10])) is None, "only three at 8 or more"


def test_discomfort_rising_steeply_to_seven_suggests_a_pause() -> None:
    suggestion = pause_suggestion(points([2, 4, 5, 7, 7]))
    assert suggestion is not None
    assert suggestion.signals == (TrendSignal.RISING,)
    assert pause_suggestion(points([2, 4, 5, 6, 6])) is None, "ends below 7"
    assert pause_suggestion(points([6, 6, 7, 7, 7])) is None, "rises too slowly"


def test_only_the_last_five_count() -> None:
    old_bad = points([10, 10, 10, 10, 10, 2, 2, 3, 2, 3])
    assert pause_suggestion(old_bad) is None


def test_several_signals_raise_the_level() -> None:
    found = pause_suggestion(points([5, 8, 9, 10, 10], [-1, -2, -1, -2, -1]))
    assert found is not None and found.level == 3
    assert "less hopeful" in found.message and "smaller step" in found.message


def test_slope_is_least_squares() -> None:
    assert slope([1, 2, 3, 4]) == pytest.approx(1.0)
    assert slope([5, 5, 5]) == 0.0
    assert slope([7]) == 0.0


@given(st.lists(st.tuples(st.one_of(st.none(), st.integers(0, 10)),
                          st.one_of(st.none(), st.integers(-2, 2))), max_size=12))
def test_the_rule_never_fires_on_calm_or_hopeful_entries(rows: list[tuple[int | None,
                                                                          int | None]]) -> None:
    calm = [TrendPoint(None if a is None else min(a, 6), None if h is None else max(h, 0))
            for a, h in rows]
    assert pause_suggestion(calm) is None


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(-2, 2)), min_size=3, max_size=12))
def test_the_rule_only_reads_the_last_five(rows: list[tuple[int, int]]) -> None:
    recent = [TrendPoint(a, h) for a, h in rows]
    assert pause_suggestion(recent) == pause_suggestion(recent[-5:])


# -- dismissing the banner -----------------------------------------------------------------------

TODAY = date(2026, 11, 24)


def test_a_dismissed_suggestion_stays_away_until_it_worsens_or_time_passes() -> None:
    one = PauseSuggestion((TrendSignal.STAYING_HIGH,))
    two = PauseSuggestion((TrendSignal.STAYING_HIGH, TrendSignal.RISING))
    assert banner_due(one, None, TODAY)
    assert not banner_due(None, None, TODAY)
    dismissed = Dismissal(TODAY - timedelta(days=3), level=1)
    assert not banner_due(one, dismissed, TODAY)
    assert banner_due(two, dismissed, TODAY), "worse than when dismissed"
    later = TODAY + timedelta(days=DISMISS_DAYS - 3)
    assert banner_due(one, dismissed, later)


# -- the evening reminder ------------------------------------------------------------------------

ON = ReminderSettings(enabled=True, at=time(21, 0))


def test_reminder_is_due_after_the_chosen_time_once_a_day_with_something_open() -> None:
    evening = datetime(2026, 11, 24, 21, 5)
    assert reminder_due(evening, ON, None, 2)
    assert reminder_due(evening, ON, date(2026, 11, 23), 2)
    assert not reminder_due(evening, ON, date(2026, 11, 24), 2), "already shown today"
    assert not reminder_due(evening, ON, None, 0), "nothing open"
    assert not reminder_due(datetime(2026, 11, 24, 20, 59), ON, None, 2), "too early"
    assert not reminder_due(evening, ReminderSettings(), None, 2), "off by default"


def test_reminder_text_and_settings_parsing() -> None:
    assert reminder_text(1).startswith("One entry")
    assert reminder_text(3).startswith("3 entries")
    assert parse_time("20:30") == time(20, 30)
    assert parse_time("nonsense") == time(21, 0)
    assert parse_day("2026-11-24") == date(2026, 11, 24)
    assert parse_day("") is None and parse_day("24/11") is None
