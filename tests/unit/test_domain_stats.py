"""The numbers behind the gap chart."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rejection_journal.domain.chart_stats import ChartRow, gap_from_rows, gap_window
from rejection_journal.domain.stats import DEFAULT_GAP_WINDOW, rolling_mean


def _row(day: date, anticipated: int | None, actual: int | None,
         outcome: str | None = "no") -> ChartRow:
    return ChartRow(f"{day}-{anticipated}-{actual}", day, None, anticipated, actual, None,
                    outcome if actual is not None else None, None)


def test_entries_missing_either_rating_are_left_out() -> None:
    series = gap_from_rows([
        _row(date(2024, 1, 1), 8, 3),
        _row(date(2024, 1, 2), None, 4),
        _row(date(2024, 1, 3), 7, None),
        _row(date(2024, 1, 4), None, None),
        _row(date(2024, 1, 5), 6, 6),
    ])
    assert [(p.day, p.anticipated, p.actual) for p in series.points] == [
        (date(2024, 1, 1), 8, 3),
        (date(2024, 1, 5), 6, 6),
    ]
    assert [p.gap for p in series.points] == [5, 0]


def test_didnt_ask_and_open_entries_are_not_in_the_gap() -> None:
    # issue 19: the older gap path counted "didn't ask" entries; the chart users see did not
    series = gap_from_rows([
        _row(date(2024, 1, 1), 8, 3),
        _row(date(2024, 1, 2), 9, 1, "didnt_ask"),
        ChartRow("open", date(2024, 1, 3), None, 7, 2, None, None, None),
    ])
    assert [(p.anticipated, p.actual) for p in series.points] == [(8, 3)]


def test_points_are_sorted_by_day_whatever_the_input_order() -> None:
    series = gap_from_rows([
        _row(date(2024, 3, 1), 5, 1),
        _row(date(2024, 1, 1), 9, 2),
        _row(date(2024, 2, 1), 4, 4),
    ])
    assert [p.day for p in series.points] == [date(2024, 1, 1), date(2024, 2, 1),
                                              date(2024, 3, 1)]
    # under ten entries the line is the real values (window 1)
    assert series.rolling_gap == pytest.approx((7.0, 0.0, 4.0))


def test_the_window_grows_with_the_number_of_entries() -> None:
    assert [gap_window(n) for n in (1, 9, 10, 34, 35, 1050, 3000)] == \
        [1, 1, 2, 6, DEFAULT_GAP_WINDOW, DEFAULT_GAP_WINDOW, 20]
    rows = [_row(date(2024, 1, d), 10, 10 - g) for d, g in
            zip(range(1, 11), [2, 4, 6, 8, 10, 2, 4, 6, 8, 10], strict=True)]
    series = gap_from_rows(rows)
    assert series.window == 2
    assert series.rolling_gap == pytest.approx((2.0, 3.0, 5.0, 7.0, 9.0,
                                                6.0, 3.0, 5.0, 7.0, 9.0))


def test_the_two_ratings_get_their_own_rolling_means() -> None:
    series = gap_from_rows([_row(date(2024, 1, d), 8 - d % 3, 2 + d % 2)
                            for d in range(1, 11)])
    assert series.window == 2
    assert series.rolling_anticipated[:3] == pytest.approx((7.0, 6.5, 7.0))
    assert series.rolling_actual[:3] == pytest.approx((3.0, 2.5, 2.5))
    gaps = [a - b for a, b in zip(series.rolling_anticipated, series.rolling_actual,
                                  strict=True)]
    assert gaps == pytest.approx(series.rolling_gap)


def test_mean_gap_and_emptiness() -> None:
    empty = gap_from_rows([_row(date(2024, 1, 1), 5, None)])
    assert empty.is_empty
    assert empty.mean_gap is None
    assert empty.rolling_gap == ()
    full = gap_from_rows([_row(date(2024, 1, 1), 8, 2), _row(date(2024, 1, 2), 3, 5)])
    assert not full.is_empty
    assert full.mean_gap == pytest.approx(2.0)


def test_rolling_mean_small_example() -> None:
    assert rolling_mean([1, 2, 3, 4], 2) == pytest.approx((1.0, 1.5, 2.5, 3.5))
    assert rolling_mean([], 3) == ()


@pytest.mark.parametrize("window", [0, -1])
def test_rolling_mean_refuses_a_window_below_one(window: int) -> None:
    with pytest.raises(ValueError, match="window"):
        rolling_mean([1.0], window)


def _naive_rolling_mean(values: list[float], window: int) -> list[float]:
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        out.append(sum(chunk) / len(chunk))
    return out


_values = st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=60)


@given(_values, st.integers(1, 80))
def test_rolling_mean_matches_the_naive_definition(values: list[float], window: int) -> None:
    fast = rolling_mean(values, window)
    assert len(fast) == len(values)
    for got, want in zip(fast, _naive_rolling_mean(values, window), strict=True):
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-6)


@given(_values, st.integers(1, 80))
def test_rolling_mean_stays_within_the_range_of_its_window(
    values: list[float], window: int
) -> None:
    for i, got in enumerate(rolling_mean(values, window)):
        chunk = values[max(0, i - window + 1) : i + 1]
        assert min(chunk) - 1e-6 <= got <= max(chunk) + 1e-6


@given(st.lists(st.integers(-10, 10), max_size=40))
def test_window_one_is_the_values_themselves(values: list[int]) -> None:
    assert rolling_mean(values, 1) == tuple(float(v) for v in values)


def test_auto_window_is_a_week_for_small_journals_and_grows_for_years_of_them() -> None:
    from rejection_journal.domain.stats import auto_window

    assert auto_window(0) == DEFAULT_GAP_WINDOW
    assert auto_window(1000) == DEFAULT_GAP_WINDOW
    assert auto_window(3650) == 24
    assert auto_window(100_000) == 666


def test_a_demo_journal_gap_holds_exactly_its_finished_rated_asks() -> None:
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.domain.library import builtin_challenges
    from rejection_journal.domain.stats import auto_window

    attempts = generate_attempts(builtin_challenges(), 1500, seed=3, today=date(2026, 1, 1))
    rows = [ChartRow(a.uuid, a.attempted_on, None, a.anticipated_discomfort,
                     a.actual_discomfort, None, a.outcome.value if a.outcome else None, None)
            for a in attempts]
    series = gap_from_rows(rows)
    asked = {a.uuid for a in attempts if a.outcome is not None and a.outcome.was_asked
             and a.anticipated_discomfort is not None and a.actual_discomfort is not None}
    assert {p.uuid for p in series.points} == asked
    assert series.window == auto_window(len(series.points)) == 9
