"""The numbers behind every chart kind, checked against values worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rejection_journal.domain.chart_stats import (
    MONTH,
    WEEK,
    YEAR,
    BeliefPair,
    ChartFilter,
    ChartRow,
    LadderChartData,
    belief_updates,
    calibration,
    choose_period,
    gap_bins,
    gap_from_rows,
    gap_period,
    gap_window,
    headline,
    ladder_progress,
    outcomes_per_period,
    period_start,
    reasons_per_period,
)

D0 = date(2024, 3, 4)  # a Monday


def row(day: date, anticipated: int | None = None, actual: int | None = None,
        predicted: int | None = None, outcome: str | None = "no", reason: str | None = None,
        category: str | None = "social", uuid: str = "") -> ChartRow:
    return ChartRow(uuid or f"u-{day}-{anticipated}-{actual}", day, category, anticipated,
                    actual, predicted, outcome, reason)


# -- gap -------------------------------------------------------------------------------------

def test_few_entries_show_the_real_values_not_averages() -> None:
    series = gap_from_rows([row(D0, 8, 3), row(D0 + timedelta(days=1), 4, 6)])
    assert series.window == 1
    assert series.rolling_anticipated == (8.0, 4.0)
    assert series.rolling_actual == (3.0, 6.0)
    assert series.rolling_gap == (5.0, -2.0)


@pytest.mark.parametrize(("count", "window"), [(0, 1), (1, 1), (9, 1), (10, 2), (14, 2),
                                               (15, 3), (34, 6), (35, 7), (1000, 7),
                                               (3650, 24)])
def test_the_window_grows_with_the_number_of_entries(count: int, window: int) -> None:
    assert gap_window(count) == window


def test_the_rolling_gap_with_a_window_of_two_by_hand() -> None:
    rows = [row(D0 + timedelta(days=i), before, after)
            for i, (before, after) in enumerate([(8, 2), (6, 4), (7, 7), (5, 1), (9, 3),
                                                 (6, 6), (4, 2), (8, 8), (3, 1), (7, 2)])]
    series = gap_from_rows(rows)
    assert series.window == 2
    # gaps: 6 2 0 4 6 0 2 0 2 5
    assert series.rolling_gap == pytest.approx((6, 4, 1, 2, 5, 3, 1, 1, 1, 3.5))


def test_open_and_didnt_ask_entries_are_not_in_the_gap() -> None:
    series = gap_from_rows([
        row(D0, 8, 3, uuid="asked"),
        row(D0, 7, None, outcome=None, uuid="open"),
        row(D0, 6, 2, outcome="didnt_ask", uuid="avoided"),
        row(D0, None, 2, uuid="no-before"),
    ])
    assert [p.uuid for p in series.points] == ["asked"]


def test_gap_bins_average_per_week_by_hand() -> None:
    rows = [row(D0, 8, 2), row(D0 + timedelta(days=6), 6, 4),  # week 1: 7 vs 3
            row(D0 + timedelta(days=7), 5, 5)]  # week 2
    bins = gap_bins(gap_from_rows(rows).points, WEEK)
    assert [(b.start, b.count, b.anticipated, b.actual, b.gap) for b in bins] == [
        (D0, 2, 7.0, 3.0, 4.0), (D0 + timedelta(days=7), 1, 5.0, 5.0, 0.0)]


def test_long_journals_are_aggregated_short_ones_are_not() -> None:
    short = gap_from_rows([row(D0 + timedelta(days=i), 5, 3) for i in range(400)])
    assert gap_period(short) is None
    years = gap_from_rows([row(D0 + timedelta(days=i), 5, 3) for i in range(3650)])
    assert gap_period(years) == MONTH
    dense = gap_from_rows([row(D0 + timedelta(days=i // 20), 5, 3) for i in range(1000)])
    assert gap_period(dense) == "day"


def test_periods_start_on_monday_first_of_month_and_new_year() -> None:
    wednesday = date(2024, 3, 6)
    assert period_start(wednesday, WEEK) == D0
    assert period_start(wednesday, MONTH) == date(2024, 3, 1)
    assert period_start(wednesday, YEAR) == date(2024, 1, 1)
    assert choose_period(D0, D0 + timedelta(days=100)) == WEEK
    assert choose_period(D0, D0 + timedelta(days=400)) == MONTH
    assert choose_period(D0, D0 + timedelta(days=20 * 366)) == YEAR


# -- calibration -----------------------------------------------------------------------------

def test_calibration_by_hand() -> None:
    rows = [
        row(D0, predicted=90, outcome="no"),           # (0.9-1)^2 = 0.01
        row(D0, predicted=80, outcome="yes"),          # 0.64
        row(D0, predicted=30, outcome="no_response"),  # counts as no: 0.49
        row(D0, predicted=10, outcome="partial"),      # counts as not no: 0.01
        row(D0, predicted=50, outcome="didnt_ask"),    # not an ask: left out
        row(D0, predicted=60, outcome=None),           # open: left out
        row(D0, predicted=None, outcome="no"),         # no prediction: left out
    ]
    cal = calibration(rows)
    assert cal.count == 4
    assert cal.brier == pytest.approx((0.01 + 0.64 + 0.49 + 0.01) / 4)
    assert cal.mean_predicted == pytest.approx((0.9 + 0.8 + 0.3 + 0.1) / 4)
    assert cal.rejection_rate == pytest.approx(0.5)
    assert (cal.open_count, cal.not_asked) == (1, 1)
    # Fewer than 50 asks: bins 20 points wide; 100 % lands in the last bin.
    expected: list[tuple[object, ...]] = [
        (0, 20, 1, pytest.approx(0.1), 0.0),
        (20, 40, 1, pytest.approx(0.3), 1.0),
        (80, 100, 2, pytest.approx(0.85), 0.5),
    ]
    assert [(b.low, b.high, b.count, b.mean_predicted, b.observed_no)
            for b in cal.bins] == expected
    assert calibration([row(D0, predicted=100, outcome="no")]).bins[0].low == 80


def test_calibration_uses_ten_point_bins_from_fifty_asks() -> None:
    rows = [row(D0, predicted=i % 100, outcome="no" if i % 2 else "yes") for i in range(50)]
    cal = calibration(rows)
    assert {b.high - b.low for b in cal.bins} == {10}


def test_no_asks_means_an_empty_calibration() -> None:
    cal = calibration([row(D0, predicted=50, outcome=None)])
    assert cal.is_empty and cal.brier is None and cal.open_count == 1


# -- outcomes and reasons ----------------------------------------------------------------------

def test_outcomes_per_week_by_hand() -> None:
    rows = [row(D0, outcome="no"), row(D0 + timedelta(days=2), outcome="no"),
            row(D0 + timedelta(days=3), outcome="didnt_ask"),
            row(D0 + timedelta(days=8), outcome="yes"), row(D0, outcome=None)]
    counts = outcomes_per_period(rows)
    assert counts.period == WEEK
    assert counts.starts == (D0, D0 + timedelta(days=7))
    table = dict(zip(counts.labels, counts.counts, strict=True))
    assert table["no"] == (2, 0)
    assert table["yes"] == (0, 1)
    assert table["didnt_ask"] == (1, 0)
    assert counts.open_count == 1 and counts.total == 4


def test_reasons_per_month_by_hand() -> None:
    rows = [row(date(2024, 1, 5), outcome="no", reason="timing"),
            row(date(2024, 1, 9), outcome="partial", reason="timing"),
            row(date(2024, 2, 1), outcome="no_response", reason="policy"),
            row(date(2024, 2, 2), outcome="no"),  # no reason given
            row(date(2024, 9, 2), outcome="yes")]
    counts = reasons_per_period(rows, MONTH)
    table = dict(zip(counts.labels, counts.counts, strict=True))
    assert counts.starts == (date(2024, 1, 1), date(2024, 2, 1))
    assert table["timing"] == (2, 0) and table["policy"] == (0, 1)
    assert counts.without_reason == 1


# -- belief update, ladder, headline ---------------------------------------------------------

def test_belief_update_is_next_minus_before() -> None:
    series = belief_updates([
        BeliefPair("b", D0 + timedelta(days=1), 6, 6, 50, 40),
        BeliefPair("a", D0, 8, 5, None, None),
        BeliefPair("skip", D0, 8, None, 70, None),  # nothing complete
    ])
    assert series.uuids == ("a", "b")
    assert series.discomfort_change == (-3.0, 0.0)
    assert series.no_chance_change == (None, -10.0)
    assert series.rolling_discomfort == (-3.0, 0.0)  # two entries: real values
    assert series.mean_discomfort_change == pytest.approx(-1.5)
    assert belief_updates([]).is_empty


def test_ladder_progress_per_rung_untried_rungs_included() -> None:
    from rejection_journal.domain.enums import Outcome
    from rejection_journal.domain.picker import PastAttempt, Rung

    rungs = (Rung("time", "Ask for the time"), Rung("feedback", "Ask a colleague for feedback"),
             Rung("raise", "Ask for a raise"))
    day = date(2024, 3, 1)
    history = [
        PastAttempt("feedback", day, 6, 3, Outcome.NO),
        PastAttempt("time", day, 4, 1, Outcome.YES),
        PastAttempt("feedback", day, 8, 5, Outcome.PARTIAL),
        PastAttempt("feedback", day, 9, 1, Outcome.DIDNT_ASK),  # not a try
        PastAttempt("feedback", day, 7, None, None),  # open: not a try, counted as open
    ]
    progress = ladder_progress(LadderChartData("Ask for a raise", rungs, history))
    assert [(r.rung, r.name, r.count, r.anticipated, r.actual) for r in progress.rungs] == [
        (0, "Ask for the time", 1, 4.0, 1.0),
        (1, "Ask a colleague for feedback", 2, 7.0, 4.0),
        (2, "Ask for a raise", 0, None, None)]  # not tried yet, on the chart all the same
    assert progress.open_count == 1 and not progress.is_empty
    assert ladder_progress(LadderChartData("x", rungs, [])).is_empty
    later = ChartFilter(since=date(2024, 3, 2))
    assert ladder_progress(LadderChartData("x", rungs, history), later).is_empty


def test_headline_this_month_against_last_month() -> None:
    rows = [row(date(2024, 2, 10), 8, 2), row(date(2024, 2, 20), 6, 4),  # Feb: 4
            row(date(2024, 3, 1), 5, 4, predicted=80, outcome="yes"),  # Mar: 1
            row(date(2024, 3, 2), 3, 2, predicted=20, outcome="yes")]
    head = headline(rows, today=date(2024, 3, 15))
    assert head.month_gap == pytest.approx(1.0)
    assert head.month_gap_change == pytest.approx(-3.0)
    assert head.brier == pytest.approx((0.64 + 0.04) / 2)
    assert headline([], today=D0).month_gap is None
    # only the two months count: earlier and later entries, open and "didn't ask" ones
    # change nothing (the headline reads those months' points, not a whole series)
    others = [row(date(2023, 1, 1) + timedelta(days=i), 9, 0) for i in range(300)] + [
        row(date(2024, 3, 5), 9, 0, outcome=None), row(date(2024, 3, 6), 9, 0,
                                                       outcome="didnt_ask"),
        row(date(2024, 3, 20), 9, 0)]
    again = headline(rows + others, today=date(2024, 3, 15))
    assert again.month_gap == pytest.approx(1.0)
    assert again.month_gap_change == pytest.approx(-3.0)


def test_the_filter_admits_a_date_range_and_a_category() -> None:
    flt = ChartFilter(since=D0, until=D0 + timedelta(days=2), category="career")
    assert flt.admits(row(D0, category="career"))
    assert not flt.admits(row(D0, category="social"))
    assert not flt.admits(row(D0 - timedelta(days=1), category="career"))
    assert not flt.admits(row(D0 + timedelta(days=3), category="career"))
    assert ChartFilter().admits(row(D0, category=None))
