"""Date-range presets ("Last 7 days", "All time", custom), written once for the entries filter
and the chart pane.  A preset counted back from today takes today as an argument: the service
owns the clock, and a window left open overnight asks again the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


class RangeKind(Enum):
    ALL = "all"
    DAYS = "days"  # the last N days, today included
    CUSTOM = "custom"  # two dates the user chose


@dataclass(frozen=True, slots=True)
class RangePreset:
    label: str
    kind: RangeKind
    days: int = 0

    @property
    def moves_with_today(self) -> bool:
        """Does the range change when the day changes?"""
        return self.kind is RangeKind.DAYS

    def bounds(self, today: date) -> tuple[date | None, date | None]:
        """(since, until), both included; ``None`` is open.  A custom range has no bounds of
        its own: the caller reads the two dates chosen."""
        if self.kind is RangeKind.DAYS:
            return today - timedelta(days=self.days - 1), today
        return None, None


ALL_TIME = RangePreset("All time", RangeKind.ALL)
ANY_TIME = RangePreset("Any time", RangeKind.ALL)
CUSTOM = RangePreset("Custom dates…", RangeKind.CUSTOM)

#: the entries list's filter bar
ENTRY_RANGES: tuple[RangePreset, ...] = (
    ANY_TIME,
    RangePreset("Last 7 days", RangeKind.DAYS, 7),
    RangePreset("Last 30 days", RangeKind.DAYS, 30),
    RangePreset("Last 12 months", RangeKind.DAYS, 365),
    CUSTOM,
)

#: the chart pane
CHART_RANGES: tuple[RangePreset, ...] = (
    RangePreset("Last 30 days", RangeKind.DAYS, 30),
    RangePreset("Last 90 days", RangeKind.DAYS, 90),
    RangePreset("Last year", RangeKind.DAYS, 365),
    ALL_TIME,
    RangePreset("Custom…", RangeKind.CUSTOM),
)
