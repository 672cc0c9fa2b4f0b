"""The "What you learned" chart's data (issue 21): each experiment's likelihood before and
afterwards, whether the feared outcome happened, the rolling change, the summary and the
headline sentence (:mod:`rejection_journal.domain.experiment` holds the rules), averaged per
period when there are many.

Pure Python: no Qt, no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rejection_journal.domain.chart_stats import (
    AGGREGATE_ABOVE,
    DAY,
    MAX_STEPS,
    choose_period,
    period_start,
)
from rejection_journal.domain.experiment import (
    EntryKind,
    ExperimentPoint,
    ExperimentSummary,
    FearHappened,
    experiment_points,
    fear_sentence,
    summarise,
)


@dataclass(frozen=True, slots=True)
class ExperimentRow:
    """An entry as the "What you learned" chart reads it (no other texts)."""

    uuid: str
    attempted_on: date
    category: str | None
    kind: EntryKind
    feared_outcome: str
    fear_likelihood: int | None
    fear_happened: FearHappened | None
    fear_likelihood_after: int | None


@dataclass(frozen=True, slots=True)
class LearnedBin:
    """Above :data:`~rejection_journal.domain.chart_stats.AGGREGATE_ABOVE` experiments the
    chart shows one of these per period: the mean likelihood before and afterwards, the mean
    change, and how many times the fear happened (partly counting as half)."""

    start: date
    entries: int
    before: float | None
    after: float | None
    change: float | None
    happened: float


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def learned_bins(points: Sequence[ExperimentPoint], period: str) -> tuple[LearnedBin, ...]:
    groups: dict[date, list[ExperimentPoint]] = {}
    for point in points:
        groups.setdefault(period_start(point.on, period), []).append(point)
    return tuple(LearnedBin(
        start, len(group), _mean([p.before for p in group if p.before is not None]),
        _mean([p.after for p in group if p.after is not None]),
        _mean([p.change for p in group if p.change is not None]),
        sum(p.happened.share for p in group if p.happened is not None))
        for start, group in sorted(groups.items()))


@dataclass(frozen=True, slots=True)
class LearnedView:
    """What the "What you learned" chart shows: each experiment's likelihood before and
    after, whether the feared outcome happened, the rolling change; the summary and the
    headline sentence; and what it leaves out."""

    points: tuple[ExperimentPoint, ...]
    summary: ExperimentSummary
    sentence: str | None
    #: rejections that happened to the user within the filter: no prediction to check
    happened_to_me: int = 0
    #: entries within the filter still waiting for their after half (every chart says so)
    open_count: int = 0
    #: None: each experiment drawn; else the period averaged over (many experiments)
    period: str | None = None
    bins: tuple[LearnedBin, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(p.before is not None or p.after is not None for p in self.points)


def learned_view(rows: Iterable[ExperimentRow], open_count: int = 0) -> LearnedView:
    """The chart's data from ``rows`` (already filtered by date and category)."""
    items = list(rows)
    points = experiment_points(items)
    period = None
    if len(points) > AGGREGATE_ABOVE:
        period = choose_period(points[0].on, points[-1].on, most=MAX_STEPS, finest=DAY)
    return LearnedView(points, summarise(items), fear_sentence(points),
                       sum(1 for row in items if row.kind is EntryKind.HAPPENED_TO_ME),
                       open_count, period,
                       learned_bins(points, period) if period is not None else ())
