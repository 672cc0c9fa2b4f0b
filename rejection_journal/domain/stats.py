"""Numbers behind the charts, computed without Qt or Matplotlib so they can be tested alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rejection_journal.domain.records import AttemptRecord

DEFAULT_GAP_WINDOW = 7


@dataclass(frozen=True, slots=True)
class GapPoint:
    day: date
    anticipated: int
    actual: int

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
    out: list[float] = []
    total = 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return tuple(out)


def gap_series(attempts: Iterable[AttemptRecord], window: int = DEFAULT_GAP_WINDOW) -> GapSeries:
    points = sorted(
        (
            GapPoint(a.attempted_on, a.anticipated_discomfort, a.actual_discomfort)
            for a in attempts
            if a.anticipated_discomfort is not None and a.actual_discomfort is not None
        ),
        key=lambda p: p.day,
    )
    return GapSeries(
        points=tuple(points),
        rolling_gap=rolling_mean([p.gap for p in points], window),
        window=window,
        rolling_anticipated=rolling_mean([p.anticipated for p in points], window),
        rolling_actual=rolling_mean([p.actual for p in points], window),
    )
