"""The gap series' building blocks: a rated ask (:class:`GapPoint`), the series and its rolling
means. The one gap computation is ``chart_stats.gap_from_rows`` (finished asks only, the
window from ``gap_window``): what the chart, its CSV and the headline show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import sub
from typing import NamedTuple

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
