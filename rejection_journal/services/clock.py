"""The one clock: what "today" and "now" are for a running window or command.

Everything that needs the date or the time asks the service's :class:`Clock` (``ui/`` and
``domain/`` never read the system clock: ``tests/unit/test_one_clock.py`` fails if they do).
Tests, ``today --date`` and the "left open overnight" test pass a :class:`FixedClock`.
Qt-free.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


class Clock:
    """The computer's clock, in local time."""

    def now(self) -> datetime:
        """The local date and time (naive)."""
        return datetime.now()

    def today(self) -> date:
        """The local calendar day."""
        return self.now().date()

    def utc_now(self) -> datetime:
        """The time in UTC (naive), as stored in the journal's timestamps."""
        return datetime.now(UTC).replace(tzinfo=None)


class FixedClock(Clock):
    """A clock that stands still until it is set or moved on (tests, ``--date``)."""

    def __init__(self, moment: datetime | date) -> None:
        self._moment = _as_datetime(moment)

    def now(self) -> datetime:
        return self._moment

    def utc_now(self) -> datetime:
        return self._moment

    def set(self, moment: datetime | date) -> None:
        self._moment = _as_datetime(moment)

    def advance(self, delta: timedelta) -> None:
        self._moment += delta


def _as_datetime(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, 12, 0)
