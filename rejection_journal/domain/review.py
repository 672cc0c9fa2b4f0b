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
    #: entries open when the review began
    waiting: int = 0
    #: entries finished tonight (a "didn't ask" too)
    finished: int = 0
    #: entries written in and saved, still open
    written: int = 0
    #: entries passed over with Skip
    skipped: int = 0

    @property
    def is_empty(self) -> bool:
        return self.attempts == 0


def evening_summary(completed: Sequence[AttemptRecord], *, waiting: int = 0, written: int = 0,
                    skipped: int = 0) -> EveningSummary:
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
        waiting=waiting,
        finished=len(completed),
        written=written,
        skipped=skipped,
    )


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def evening_headline(summary: EveningSummary) -> list[str]:
    """What happened tonight, in plain sentences: what was waiting, finished, written in
    (and still open) and skipped.  Never a score; doing nothing is fine too."""
    if summary.waiting == 0:
        return ["Nothing was waiting tonight: every entry is finished."]
    lines: list[str] = []
    if summary.finished:
        lines.append(f"You finished {_entries(summary.finished)} tonight.")
    if summary.written:
        they = "it stays" if summary.written == 1 else "they stay"
        also = "also wrote" if summary.finished else "wrote"
        lines.append(f"You {also} in {_entries(summary.written)}; {they} open for when you "
                     "want to finish.")
    if not summary.finished and not summary.written:
        lines.append("Nothing written tonight — and that is fine. Reflecting is for when you "
                     "have the energy.")
    if summary.skipped:
        lines.append(f"You skipped {_entries(summary.skipped)}.")
    return lines
