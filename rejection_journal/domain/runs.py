"""Challenge runs (the 30-day and 100-day formats people follow), as pure functions.

A run starts on a day, lasts ``length_days`` days (30 or 100 usually; 7 to 365 allowed), and may
be limited to one ladder's challenges or to some categories. Its progress is calm on purpose:
which day of the run it is, on how many days there was an entry, how many asks were made and
how many no's were collected. A missed day is fine: nothing counts consecutive days, nothing
resets, and no word blames the user.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.records import (
    DATE_MAX,
    DATE_MIN,
    ValidationError,
    new_uuid,
    utcnow,
)

RUN_MIN_DAYS, RUN_MAX_DAYS = 7, 365


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A challenge run. ``ended_on`` is set when the user ends it (early or on time); an open
    run simply finishes when its last day has passed."""

    started_on: date
    length_days: int = 30
    uuid: str = field(default_factory=new_uuid)
    #: the ladder the run climbs (None: any challenge)
    ladder_uuid: str | None = None
    #: the categories the run is about (empty: all)
    categories: tuple[Category, ...] = ()
    ended_on: date | None = None
    created_at: datetime = field(default_factory=utcnow, compare=False)
    updated_at: datetime = field(default_factory=utcnow, compare=False)

    @property
    def last_day(self) -> date:
        """The run's planned last day (inclusive)."""
        return self.started_on + timedelta(days=self.length_days - 1)

    def is_active(self, today: date) -> bool:
        """Started, not ended, and its last day not past."""
        return self.ended_on is None and self.started_on <= today <= self.last_day

    def replace(self, **changes: Any) -> RunRecord:
        return dataclasses.replace(self, **changes)

    def validated(self) -> RunRecord:
        """Return self if it can be stored, else raise :class:`ValidationError`."""
        for name, label in (("started_on", "Start"), ("ended_on", "End")):
            value = getattr(self, name)
            if value is None and name == "ended_on":
                continue
            if not isinstance(value, date) or isinstance(value, datetime):
                raise ValidationError(name, "must be a calendar date", label=label)
            if not DATE_MIN <= value <= DATE_MAX:
                raise ValidationError(name, f"must be from {DATE_MIN} to {DATE_MAX}, not "
                                      f"{value}", label=label)
        if isinstance(self.length_days, bool) or not isinstance(self.length_days, int) \
                or not RUN_MIN_DAYS <= self.length_days <= RUN_MAX_DAYS:
            raise ValidationError("length_days", f"must be from {RUN_MIN_DAYS} to "
                                  f"{RUN_MAX_DAYS} days, not {self.length_days!r}",
                                  label="Length")
        if self.ended_on is not None and self.ended_on < self.started_on:
            raise ValidationError("ended_on", f"cannot be before the start "
                                  f"({self.started_on}), not {self.ended_on}", label="End")
        if not isinstance(self.categories, tuple) or not all(
                isinstance(c, Category) for c in self.categories):
            raise ValidationError("categories", "must be a list of known categories",
                                  label="Categories")
        if len(set(self.categories)) != len(self.categories):
            raise ValidationError("categories", "names the same category twice",
                                  label="Categories")
        if self.ladder_uuid is not None and not (isinstance(self.ladder_uuid, str)
                                                 and self.ladder_uuid):
            raise ValidationError("ladder_uuid", "must name a ladder", label="Ladder")
        return self


class RunEntry(Protocol):
    """What run progress reads from an entry (an AttemptRecord has all of it)."""

    @property
    def challenge_uuid(self) -> str | None: ...
    @property
    def attempted_on(self) -> date: ...
    @property
    def outcome(self) -> Outcome | None: ...


@dataclass(frozen=True, slots=True)
class RunProgress:
    """Where a run stands, in calm numbers (no streaks, nothing that resets)."""

    run: RunRecord
    #: which day of the run ``today`` is (1 = the first day; 0 before it starts); stays at the
    #: last day (or the day it was ended) afterwards
    day: int
    length_days: int
    #: days of the run with at least one finished entry (an answer recorded, or "didn't ask")
    days_with_attempt: int
    #: entries where the ask was made (any answer but "didn't ask")
    asks_made: int
    #: of those, the answers that were a no (a no, or no response)
    nos: int
    #: entries of the run still planned (no answer yet)
    planned: int
    #: the run is over: ended by the user or its last day has passed
    finished: bool

    @property
    def summary(self) -> str:
        """One calm line for the UI and the command line."""
        if self.day == 0:
            start = self.run.started_on.isoformat()
            return f"This {self.length_days}-day run starts on {start}."
        when = (f"Finished: {self.length_days}-day run" if self.finished
                else f"Day {self.day} of {self.length_days}")
        return (f"{when} · {_count(self.days_with_attempt, 'day')} with an attempt · "
                f"{_count(self.asks_made, 'ask')} made · "
                f"{self.nos} no{'' if self.nos == 1 else '’s'} collected")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def in_run_scope(run: RunRecord, challenge_uuid: str | None, *,
                 challenge_categories: Mapping[str, Category] | None = None,
                 ladder_challenges: Collection[str] | None = None) -> bool:
    """Whether an entry of ``challenge_uuid`` belongs to the run's scope.

    A run on a ladder counts the entries of the ladder's challenges (``ladder_challenges``);
    a run on categories those of challenges in them (``challenge_categories`` maps a challenge
    UUID to its category); a run on neither counts every entry, free-form asks included.
    """
    if run.ladder_uuid is not None:
        return challenge_uuid is not None and challenge_uuid in (ladder_challenges or ())
    if run.categories:
        if challenge_uuid is None or challenge_categories is None:
            return False
        return challenge_categories.get(challenge_uuid) in run.categories
    return True


def run_progress(
    run: RunRecord,
    entries: Iterable[RunEntry],
    today: date,
    *,
    challenge_categories: Mapping[str, Category] | None = None,
    ladder_challenges: Collection[str] | None = None,
) -> RunProgress:
    """How far ``run`` has come on ``today``, from ``entries`` (any entries: those outside the
    run's days or scope, see :func:`in_run_scope`, are left out)."""
    end = run.last_day if run.ended_on is None else min(run.last_day, run.ended_on)
    counted_until = min(today, end)
    day = 0 if today < run.started_on else (counted_until - run.started_on).days + 1
    days: set[date] = set()
    asks = nos = planned = 0
    for entry in entries:
        on = entry.attempted_on
        if not run.started_on <= on <= end:
            continue
        if not in_run_scope(run, entry.challenge_uuid, challenge_categories=challenge_categories,
                            ladder_challenges=ladder_challenges):
            continue
        outcome = entry.outcome
        if outcome is None:
            planned += 1
            continue
        if on > counted_until:
            continue  # a finished entry dated after "today": not part of the run so far
        days.add(on)
        if outcome.was_asked:
            asks += 1
            if outcome.is_rejection:
                nos += 1
    finished = run.ended_on is not None or today > run.last_day
    return RunProgress(run, day, run.length_days, len(days), asks, nos, planned, finished)
