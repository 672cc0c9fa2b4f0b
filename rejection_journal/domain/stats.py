"""Numbers behind the charts, computed without Qt or Matplotlib so they can be tested alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import sub
from typing import NamedTuple

from rejection_journal.domain.records import DATE_MAX, DATE_MIN, AttemptRecord

DEFAULT_GAP_WINDOW = 7


class GapPoint(NamedTuple):
    """One rated attempt (a named tuple: a journal of years makes 100,000 of them at once,
    several times faster than as a frozen dataclass)."""

    day: date
    anticipated: int
    actual: int
    #: the entry's UUID (empty when built from bare ratings), so a chart can open it
    uuid: str = ""

    @property
    def gap(self) -> int:
        return self.anticipated - self.actual


@dataclass(frozen=True, slots=True)
class GapSeries:
    """Anticipated vs actual discomfort for every attempt that has both ratings, oldest first."""

    points: tuple[GapPoint, ...]
    rolling_gap: tuple[float, ...]
    window: int
    rolling_anticipated: tuple[float, ...] = ()
    rolling_actual: tuple[float, ...] = ()
    #: rated attempts left out because their date is outside DATE_MIN..DATE_MAX (an old
    #: journal may hold such dates; Matplotlib cannot draw some of them)
    left_out: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.points

    @property
    def mean_gap(self) -> float | None:
        if not self.points:
            return None
        return sum(p.gap for p in self.points) / len(self.points)


def rolling_mean(values: Sequence[float], window: int) -> tuple[float, ...]:
    """Trailing mean over up to ``window`` values (shorter at the start, never empty-windowed)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    if _small_ints(values):
        return _rolling_int_mean(values, window)
    out: list[float] = []
    total = 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return tuple(out)


def _small_ints(values: Sequence[float]) -> bool:
    """True if ``values`` are all ints whose sums a float holds exactly (ratings are)."""
    if not values:
        return True
    return set(map(type, values)) == {int} and max(map(abs, values)) * len(values) < 2**53


def _rolling_int_mean(values: Sequence[float], window: int) -> tuple[float, ...]:
    """:func:`rolling_mean` of small ints from prefix sums: every window's total is exact
    either way, so each mean is the same float, at a fraction of the cost for 100,000."""
    sums = list(accumulate(values, initial=0))
    head = [sums[i] / i for i in range(1, min(window, len(values)) + 1)]
    tail = [total / window for total in map(sub, sums[window + 1:], sums[1:])]
    return (*head, *tail)


def auto_window(count: int) -> int:
    """A rolling window that smooths as well at ten entries as at ten years of them: the
    default week of attempts, growing so the lines show about 150 independent steps."""
    return max(DEFAULT_GAP_WINDOW, count // 150)


def gap_series(attempts: Iterable[AttemptRecord], window: int = DEFAULT_GAP_WINDOW) -> GapSeries:
    return gap_series_from_ratings(
        ((a.attempted_on, a.anticipated_discomfort, a.actual_discomfort) for a in attempts),
        window,
    )


def gap_series_from_ratings(
    ratings: Iterable[tuple[date, int | None, int | None]], window: int | None = DEFAULT_GAP_WINDOW
) -> GapSeries:
    """Like :func:`gap_series`, from bare (day, anticipated, actual) rows: what the chart needs,
    without building whole records (a years-long journal loads several times faster).
    ``window=None`` picks :func:`auto_window` for the number of points. Days outside
    DATE_MIN..DATE_MAX are left out and counted in :attr:`GapSeries.left_out`."""
    rated = [
        GapPoint(day, anticipated, actual)
        for day, anticipated, actual in ratings
        if anticipated is not None and actual is not None
    ]
    points = sorted((p for p in rated if DATE_MIN <= p.day <= DATE_MAX), key=lambda p: p.day)
    if window is None:
        window = auto_window(len(points))
    return GapSeries(
        points=tuple(points),
        rolling_gap=rolling_mean([p.gap for p in points], window),
        window=window,
        rolling_anticipated=rolling_mean([p.anticipated for p in points], window),
        rolling_actual=rolling_mean([p.actual for p in points], window),
        left_out=len(rated) - len(points),
    )
