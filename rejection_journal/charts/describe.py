"""Each chart in words: one or two sentences from the data a chart kind is drawn from — what
it shows and its shape. The chart pane reads them to screen readers (its accessible
description); exported images can carry the same sentence (a PDF's subject, an SVG's
``<desc>``). No Qt and no Matplotlib here: ``describe(kind, data)`` takes what the registry's
loader returned for ``kind``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from statistics import fmean
from typing import Any

from rejection_journal.domain.chart_stats import (
    BeliefSeries,
    Calibration,
    GapView,
    LadderProgress,
    PeriodCounts,
    SelfCheckSeries,
)
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.learned import LearnedView
from rejection_journal.domain.stats import GapSeries

#: the gap sentence speaks of this many of the latest asks (fewer when there are fewer)
RECENT_ASKS = 30
#: a change smaller than this (points of discomfort) is "holding steady"
STEADY = 0.25
#: the fewest asks that show a trend (the first half against the second)
TREND_MIN = 4


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def _points(value: float) -> str:
    return f"{abs(value):.1f} point{'' if round(abs(value), 1) == 1 else 's'}"


def _halves(values: Sequence[float]) -> tuple[float, float]:
    half = len(values) // 2
    return fmean(values[:half]), fmean(values[len(values) - half:])


def happened_note(count: int) -> str:
    """What a chart that needs a prediction says of the rejections that happened to the user
    ("" when there are none)."""
    if not count:
        return ""
    return (f"{count:,} rejection{'' if count == 1 else 's'} that happened to you "
            f"{'is' if count == 1 else 'are'} not in this chart: "
            f"{'it has' if count == 1 else 'they have'} no prediction to check.")


def describe_gap(data: GapView | GapSeries) -> str:
    points = data.points
    if not points:
        return ("Anticipated vs actual discomfort: no finished ask is rated both before and "
                "after yet, so there is no gap to show.")
    recent = points[-RECENT_ASKS:]
    gap = fmean(p.gap for p in recent)
    where = ("On your one rated ask" if len(recent) == 1
             else f"Over the last {len(recent)} asks" if len(points) > len(recent)
             else f"Over your {len(recent)} rated asks")
    if abs(gap) < 0.05:
        said = f"{where} you expected as much discomfort as you felt"
    else:
        said = (f"{where} you expected {_points(gap)} "
                f"{'more' if gap > 0 else 'less'} discomfort than you felt")
    if len(points) < TREND_MIN:
        return f"{said}; too few asks yet to see a trend."
    first, second = _halves([abs(p.gap) for p in points])
    if second < first - STEADY:
        shape = "the gap is shrinking"
    elif second > first + STEADY:
        shape = "the gap is growing"
    else:
        shape = "the gap is holding steady"
    return f"{said}; {shape}."


def describe_calibration(data: Calibration) -> str:
    if not data.count or data.mean_predicted is None or data.rejection_rate is None:
        return ("Predicted vs actual chance of no: no finished ask has a predicted chance "
                "of no yet.")
    said = (f"Over {_plural(data.count, 'ask')} your predicted chance of no averaged "
            f"{data.mean_predicted:.0%}, and you got a no {data.rejection_rate:.0%} of the "
            "time")
    if data.brier is not None:
        said += f" (Brier score {data.brier:.2f}; 0 is perfect)"
    difference = data.mean_predicted - data.rejection_rate
    if difference > 0.05:
        shape = "You expected more no's than came."
    elif difference < -0.05:
        shape = "More no's came than you expected."
    else:
        shape = "Your predictions matched what happened."
    return f"{said}. {shape}"


def describe_belief(data: BeliefSeries) -> str:
    count = len(data.uuids)
    if not count:
        return ("Belief update: no finished ask has a next-time prediction yet, so there is "
                "no change to show.")
    change = data.mean_discomfort_change
    where = f"After {'your one ask' if count == 1 else f'your {count:,} asks'}"
    if change is None:
        said = f"{where} you gave no next-time discomfort to compare"
    elif abs(change) < 0.05:
        said = f"{where} you expected, on average, the same discomfort next time"
    else:
        said = (f"{where} you expected, on average, {_points(change)} "
                f"{'less' if change < 0 else 'more'} discomfort next time")
    chances = [v for v in data.no_chance_change if v is not None]
    if not chances:
        return f"{said}."
    chance = fmean(chances)
    if abs(chance) < 0.5:
        return f"{said}, and about the same chance of no."
    return (f"{said}, and a no {abs(chance):.0f} percentage points "
            f"{'less' if chance < 0 else 'more'} likely.")


def _counts(data: PeriodCounts, label: Callable[[str], str], empty: str,
            counted: tuple[str, str], most: str) -> str:
    """Per-period counts in words: the total, each label's count (most first), the most
    frequent; ``counted`` is what is counted (one, many)."""
    if data.is_empty or not data.total:
        return empty
    totals = [(label(name), sum(row)) for name, row in zip(data.labels, data.counts,
                                                            strict=True)]
    tally = sorted([t for t in totals if t[1]], key=lambda t: -t[1])
    listed = ", ".join(f"{name} {count:,}" for name, count in tally)
    what = counted[0] if data.total == 1 else counted[1]
    return (f"{data.total:,} {what} over {_plural(len(data.starts), data.period)}: {listed}. "
            f"The most frequent {most}is {tally[0][0]}.")


def describe_outcomes(data: PeriodCounts) -> str:
    return _counts(data, lambda value: Outcome(value).label,
                   "Outcomes over time: no finished ask yet.",
                   ("finished ask", "finished asks"), "outcome ")


def describe_reasons(data: PeriodCounts) -> str:
    return _counts(data, lambda value: Reason(value).label,
                   "Reasons over time: no reason given for a no yet.",
                   ("reason given for a no", "reasons given for a no"), "")


def describe_ladder(data: LadderProgress) -> str:
    if not data.ladder:
        return "Ladder progress: no ladder yet."
    if not data.rungs:
        return f"Ladder “{data.ladder}” has no steps yet."
    steps = len(data.rungs)
    tried = [rung for rung in data.rungs if rung.tried]
    said = (f"Ladder “{data.ladder}”: {len(tried)} of {_plural(steps, 'step')} tried")
    pairs = [(r.anticipated, r.actual) for r in tried
             if r.anticipated is not None and r.actual is not None]
    if not pairs:
        return f"{said}."
    gap = fmean(before - after for before, after in pairs)
    if abs(gap) < 0.05:
        return f"{said}; on the steps tried you expected as much discomfort as you felt."
    return (f"{said}; on the steps tried you expected {_points(gap)} "
            f"{'more' if gap > 0 else 'less'} discomfort than you felt.")


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def describe_self_check(data: SelfCheckSeries) -> str:
    if data.is_empty:
        return "Self-check over time: you have not taken the self-check yet."
    (first_day, first), (last_day, last) = data.points[0], data.points[-1]
    if len(data.points) == 1:
        return (f"Self-check over time: taken once, on {_day(first_day)}, "
                f"overall score {first:.1f}.")
    change = last - first
    trend = ("about the same" if abs(change) < STEADY
             else f"{abs(change):.1f} {'lower (easier)' if change < 0 else 'higher'}")
    return (f"Self-check over time: taken {len(data.points)} times; the overall score went "
            f"from {first:.1f} on {_day(first_day)} to {last:.1f} on {_day(last_day)}, "
            f"{trend}.")


def describe_learned(data: LearnedView) -> str:
    if data.is_empty:
        return "What you learned: no entry names and rates a fear yet."
    summary = data.summary
    said = f"What you learned: {_plural(summary.experiments, 'ask')} with a named fear"
    if summary.average_change is None:
        return f"{said}; none re-rated yet. {data.sentence or ''}".strip()
    moved = summary.average_change
    trend = ("on average the likelihood stayed the same" if abs(moved) < 0.5
             else f"on average it felt {abs(moved):.0f} points "
                  f"{'less' if moved > 0 else 'more'} likely afterwards")
    return f"{said}; {trend}. {data.sentence or ''}".strip()


_DESCRIBERS: dict[str, Callable[[Any], str]] = {
    "gap": describe_gap,
    "calibration": describe_calibration,
    "belief": describe_belief,
    "outcomes": describe_outcomes,
    "reasons": describe_reasons,
    "ladder": describe_ladder,
    "self-check": describe_self_check,
    "learned": describe_learned,
}


def describe(kind: str, data: Any) -> str:
    """One or two sentences saying what the chart of ``kind`` drawn from ``data`` shows,
    and how many rejections that happened to the user it leaves out (when it does)."""
    try:
        describer = _DESCRIBERS[kind]
    except KeyError:
        raise KeyError(f"unknown chart kind '{kind}'") from None
    said = describer(data)
    left_out = happened_note(getattr(data, "happened_to_me", 0))
    return f"{said} {left_out}" if left_out else said
