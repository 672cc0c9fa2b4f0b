"""When the journal gently suggests a pause: the rule, in one place, without Qt.

Rejection therapy is a self-help exercise, and it is not for every week.  If recent entries
say it is leaving someone more hopeless or more distressed, the app suggests (never insists)
a pause, smaller steps, or talking to someone.

**The rule.**  It looks at the last :data:`TREND_WINDOW` (5) *completed* entries (the after
half written), oldest first, and needs at least :data:`MIN_ENTRIES` (3) of them.  It suggests
a pause when any of these holds:

1. **Less hopeful** — at least 3 of them answered "more or less hopeful than before?" and the
   mean answer is −1 ("a little less hopeful") or lower.
2. **Staying high** — the actual discomfort was 8/10 or more on at least 4 of them.
3. **Rising** — at least 4 rated their actual discomfort, the least-squares slope over those
   ratings is 1 point per entry or steeper, and the latest rating is 7/10 or more.

The suggestion's :attr:`PauseSuggestion.level` is how many of the three hold (1 to 3).

**Dismissing it.**  Once dismissed, the banner stays away for that trend: it comes back only
when the trend worsens (a higher level than when it was dismissed) or after
:data:`DISMISS_DAYS` (14) days.  When the trend ends (no rule holds), the dismissal is
forgotten, so a new worrying trend later is shown again.

Nothing here counts days in a row or compares the user with a target: no streaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

#: how many of the most recent completed entries the rule looks at
TREND_WINDOW = 5
#: fewer completed entries than this say nothing about a trend
MIN_ENTRIES = 3
#: "less hopeful": answers needed, and the mean at or below which it holds
HOPEFUL_MIN_ANSWERS = 3
HOPEFUL_MEAN_LIMIT = -1.0
#: "staying high": this rating or more, on at least this many of the window's entries
HIGH_DISCOMFORT = 8
HIGH_COUNT = 4
#: "rising": ratings needed, the slope (points per entry) and the latest rating at least
RISING_MIN_RATED = 4
RISING_SLOPE = 1.0
RISING_LAST = 7
#: a dismissed suggestion stays away this long unless the trend worsens
DISMISS_DAYS = 14


class TrendSignal(StrEnum):
    LESS_HOPEFUL = "less-hopeful"
    STAYING_HIGH = "staying-high"
    RISING = "rising"


_SIGNAL_TEXT = {
    TrendSignal.LESS_HOPEFUL: "your last few entries say you have felt less hopeful after "
                              "asking",
    TrendSignal.STAYING_HIGH: "your last few asks have felt very uncomfortable",
    TrendSignal.RISING: "your asks have been feeling harder lately",
}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """What the rule reads of one completed entry."""

    actual_discomfort: int | None
    hopefulness: int | None


@dataclass(frozen=True, slots=True)
class PauseSuggestion:
    """The rules that hold (at least one), in the order they are listed above."""

    signals: tuple[TrendSignal, ...]

    @property
    def level(self) -> int:
        return len(self.signals)

    @property
    def message(self) -> str:
        """One or two calm sentences for the banner."""
        noticed = " and ".join(_SIGNAL_TEXT[s] for s in self.signals)
        return (f"It looks like {noticed}. That is worth listening to: you could take a few "
                "days off, go back to a smaller step, or talk it over with someone you trust "
                "— a friend, or a professional if it is weighing on you.")


def slope(values: Sequence[float]) -> float:
    """The least-squares slope of ``values`` against their position (0, 1, 2, ...)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    den = sum((x - mean_x) ** 2 for x in range(n))
    return num / den


def pause_suggestion(recent: Sequence[TrendPoint]) -> PauseSuggestion | None:
    """Apply the rule to ``recent`` completed entries (oldest first; only the last
    :data:`TREND_WINDOW` count).  None when no rule holds or there are too few entries."""
    window = list(recent)[-TREND_WINDOW:]
    if len(window) < MIN_ENTRIES:
        return None
    signals: list[TrendSignal] = []
    hopeful = [p.hopefulness for p in window if p.hopefulness is not None]
    if len(hopeful) >= HOPEFUL_MIN_ANSWERS and sum(hopeful) / len(hopeful) <= HOPEFUL_MEAN_LIMIT:
        signals.append(TrendSignal.LESS_HOPEFUL)
    rated = [p.actual_discomfort for p in window if p.actual_discomfort is not None]
    if sum(1 for r in rated if r >= HIGH_DISCOMFORT) >= HIGH_COUNT:
        signals.append(TrendSignal.STAYING_HIGH)
    if (len(rated) >= RISING_MIN_RATED and slope(rated) >= RISING_SLOPE
            and rated[-1] >= RISING_LAST):
        signals.append(TrendSignal.RISING)
    return PauseSuggestion(tuple(signals)) if signals else None


@dataclass(frozen=True, slots=True)
class Dismissal:
    """The user dismissed a suggestion of ``level`` on ``on``."""

    on: date
    level: int


def banner_due(suggestion: PauseSuggestion | None, dismissal: Dismissal | None,
               today: date) -> bool:
    """Show the banner?  Yes for a suggestion not dismissed, one that has worsened since it
    was dismissed, or one dismissed :data:`DISMISS_DAYS` or more days ago."""
    if suggestion is None:
        return False
    if dismissal is None:
        return True
    return (suggestion.level > dismissal.level
            or today - dismissal.on >= timedelta(days=DISMISS_DAYS))
