"""The evening review's rules: which open entries, in what order, and the evening's summary.

Pure Python, so the order and the numbers are tested without Qt or a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord


def review_order(entries: Iterable[AttemptRecord], today: date) -> list[AttemptRecord]:
    """Open entries to review: today's first (in the order they were planned), then older
    ones, most recent day first.  Entries dated after today are plans, not yet to review."""
    due = [e for e in entries if e.is_open and e.attempted_on <= today]
    todays = sorted((e for e in due if e.attempted_on == today), key=lambda e: e.created_at)
    older = sorted((e for e in due if e.attempted_on < today),
                   key=lambda e: (e.attempted_on, e.created_at), reverse=True)
    return todays + older


@dataclass(frozen=True, slots=True)
class EveningSummary:
    """What the evening's review completed."""

    attempts: int
    nos: int
    mean_gap: float | None
    lesson: str | None

    @property
    def is_empty(self) -> bool:
        return self.attempts == 0


def evening_summary(completed: Sequence[AttemptRecord]) -> EveningSummary:
    """Attempts completed, no's collected, the average gap (anticipated − actual discomfort,
    over entries rated both times) and one lesson: the most recently written non-empty one.

    "Didn't ask" entries are counted as completed but are not attempts at an ask.
    """
    asked = [e for e in completed if e.outcome is not None and e.outcome is not Outcome.DIDNT_ASK]
    gaps = [e.gap for e in asked if e.gap is not None]
    lessons = [e for e in completed if e.lesson.strip()]
    lesson = max(lessons, key=lambda e: e.updated_at).lesson.strip() if lessons else None
    return EveningSummary(
        attempts=len(asked),
        nos=sum(1 for e in asked if e.outcome is Outcome.NO),
        mean_gap=sum(gaps) / len(gaps) if gaps else None,
        lesson=lesson,
    )
