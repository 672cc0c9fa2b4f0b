"""The evening review, as a controller that drives a passive view (Mnemosyne's pattern).

The controller decides which entry comes next, saves what the view hands back and builds
the summary; the view (a Qt widget, or a test double) only shows what it is told and reports
the user's choices.  Qt-free.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.review import EveningSummary, evening_summary, review_order
from rejection_journal.services.journal_service import JournalService


class ReviewView(Protocol):
    def show_entry(self, record: AttemptRecord, position: int, total: int) -> None:
        """Show ``record`` (number ``position`` of ``total``, from 1) for its after half."""

    def show_summary(self, summary: EveningSummary) -> None:
        """The review is over: show what was done."""


class ReviewController:
    """Steps through the open entries: :meth:`next` saves and moves on, :meth:`skip` moves on,
    :meth:`done` ends early.  Each ends in :meth:`ReviewView.show_summary`."""

    def __init__(self, service: JournalService, view: ReviewView, today: date) -> None:
        self._service = service
        self._view = view
        self._today = today
        self._queue: list[str] = []
        self._position = 0
        self._completed: list[AttemptRecord] = []
        self._written = 0
        self._skipped = 0

    @property
    def remaining(self) -> int:
        return len(self._queue) - self._position

    def start(self) -> int:
        """Begin with the open entries as they are now; returns how many there are."""
        entries = self._service.open_entries()
        self._queue = [e.uuid for e in review_order(entries, self._today)]
        self._position = 0
        self._completed = []
        self._written = self._skipped = 0
        self._show_current()
        return len(self._queue)

    def next(self, record: AttemptRecord) -> AttemptRecord:
        """Save the entry as the view filled it in, then show the next one.

        A validation or storage error propagates and the review stays on this entry.
        """
        stored = self._service.save(record)
        if not stored.is_open:
            self._completed.append(stored)
        else:
            self._written += 1
        self._position += 1
        self._show_current()
        return stored

    def skip(self) -> None:
        self._skipped += 1
        self._position += 1
        self._show_current()

    def done(self) -> EveningSummary:
        self._position = len(self._queue)
        return self._finish()

    def _show_current(self) -> None:
        while self._position < len(self._queue):
            record = self._service.attempt(self._queue[self._position])
            if record is not None and record.is_open:  # deleted or completed meanwhile: skip
                self._view.show_entry(record, self._position + 1, len(self._queue))
                return
            self._position += 1
        self._finish()

    def _finish(self) -> EveningSummary:
        summary = evening_summary(self._completed, waiting=len(self._queue),
                                  written=self._written, skipped=self._skipped)
        self._view.show_summary(summary)
        return summary
