"""Issue 20: every chart kind in one or two sentences (charts/describe.py), the words a
screen reader gets for the chart pane — on hand-made data, empty included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rejection_journal.charts.describe import describe
from rejection_journal.charts.kinds import KIND_NAMES
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartRow,
    LadderProgress,
    PeriodCounts,
    RungSummary,
    SelfCheckSeries,
    belief_updates,
    calibration,
    gap_from_rows,
    gap_view,
)
from rejection_journal.domain.learned import learned_view
from rejection_journal.domain.stats import GapPoint, GapSeries

START = date(2026, 1, 1)


def _gap(pairs: list[tuple[int, int]]) -> GapSeries:
    points = tuple(GapPoint(START + timedelta(days=i), before, after)
                   for i, (before, after) in enumerate(pairs))
    return GapSeries(points, (), 1)


def _row(i: int, predicted: int, outcome: str) -> ChartRow:
    return ChartRow(f"u{i}", START + timedelta(days=i), None, None, None, predicted, outcome,
                    None)


def test_the_gap_over_the_last_30_asks_and_that_it_is_shrinking() -> None:
    # 40 asks: the first 20 feared 6 points more than felt, the last 20 about 2
    pairs = [(8, 2)] * 20 + [(5, 3), (5, 2)] * 10
    text = describe("gap", gap_view(_gap(pairs)))
    assert text == ("Over the last 30 asks you expected 3.7 points more discomfort than you "
                    "felt; the gap is shrinking.")


def test_the_gap_growing_steady_few_and_felt_worse() -> None:
    assert describe("gap", _gap([(5, 4)] * 5 + [(9, 2)] * 5)).endswith("the gap is growing.")
    assert describe("gap", _gap([(6, 4)] * 6)) == (
        "Over your 6 rated asks you expected 2.0 points more discomfort than you felt; "
        "the gap is holding steady.")
    assert describe("gap", _gap([(3, 4)])) == (
        "On your one rated ask you expected 1.0 point less discomfort than you felt; too few "
        "asks yet to see a trend.")
    assert describe("gap", _gap([(4, 4), (2, 2)])).startswith(
        "Over your 2 rated asks you expected as much discomfort as you felt")


def test_calibration_in_words() -> None:
    rows = [_row(i, 80, "no" if i < 2 else "yes") for i in range(8)]
    assert describe("calibration", calibration(rows)) == (
        "Over 8 asks your predicted chance of no averaged 80%, and you got a no 25% of the "
        "time (Brier score 0.49; 0 is perfect). You expected more no's than came.")


def test_belief_in_words() -> None:
    pairs = [BeliefPair(f"u{i}", START + timedelta(days=i), 7, 5, 60, 40) for i in range(3)]
    assert describe("belief", belief_updates(pairs)) == (
        "After your 3 asks you expected, on average, 2.0 points less discomfort next time, "
        "and a no 20 percentage points less likely.")


def test_outcomes_and_reasons_in_words() -> None:
    starts = (START, START + timedelta(days=7))
    outcomes = PeriodCounts("week", starts, ("no", "yes", "partial"),
                            ((1, 2), (3, 4), (0, 0)))
    assert describe("outcomes", outcomes) == (
        "10 finished asks over 2 weeks: Yes 7, No 3. The most frequent outcome is Yes.")
    reasons = PeriodCounts("month", starts[:1], ("timing", "policy"), ((2,), (1,)))
    assert describe("reasons", reasons) == (
        "3 reasons given for a no over 1 month: Timing 2, A rule or policy 1. The most "
        "frequent is Timing.")


def test_a_ladder_in_words() -> None:
    progress = LadderProgress("Speak up at meetings", (
        RungSummary(0, "Ask a question", 2, 6.0, 3.0),
        RungSummary(1, "Disagree once", 1, 8.0, 4.0),
        RungSummary(2, "Lead a meeting", 0, None, None)))
    assert describe("ladder", progress) == (
        "Ladder “Speak up at meetings”: 2 of 3 steps tried; on the steps tried you expected "
        "3.5 points more discomfort than you felt.")


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_kind_says_something_when_empty(kind: str) -> None:
    empty = {
        "gap": gap_view(gap_from_rows([])),
        "calibration": calibration([]),
        "belief": belief_updates([]),
        "outcomes": PeriodCounts("week", (), ("no",), ((),)),
        "reasons": PeriodCounts("week", (), ("timing",), ((),)),
        "ladder": LadderProgress("", ()),
        "self-check": SelfCheckSeries(()),
        "learned": learned_view([]),
    }[kind]
    text = describe(kind, empty)
    assert text.endswith(".") and "no" in text.lower()
    assert text.count(". ") <= 1, "one or two sentences"


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        describe("pie", None)
