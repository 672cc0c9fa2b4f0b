"""What the "What you learned" chart reads (schema 3.4): the experiment's few columns of the
entries that have one, and the rejections that happened to the user (to count what the
chart leaves out), as rows, oldest first."""

from __future__ import annotations

from datetime import date, timedelta

import peewee

from rejection_journal.domain.experiment import EntryKind, FearHappened
from rejection_journal.domain.learned import ExperimentRow
from rejection_journal.storage.models import Attempt, Challenge, chart_filtered, tuple_rows
from rejection_journal.storage.session import JournalCore, owned


class ExperimentQueries(JournalCore):
    """The experiments' rows for the chart."""

    @owned
    def experiment_rows(self, since: date | None = None, until: date | None = None,
                        category: str | None = None) -> list[ExperimentRow]:
        """Entries that name or rate a fear, and rejections that happened to the user,
        dated from ``since`` to ``until`` (inclusive, either end open), of one challenge
        ``category`` (None: all), oldest first."""
        query = (
            Attempt.select(Attempt.uuid, Attempt.attempted_on, Challenge.category, Attempt.kind,
                           Attempt.feared_outcome, Attempt.fear_likelihood,
                           Attempt.fear_happened, Attempt.fear_likelihood_after)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
            .where((Attempt.kind != EntryKind.ASK.value) | (Attempt.feared_outcome != "")
                   | Attempt.fear_likelihood.is_null(False))
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        query = chart_filtered(query, since, until, category)
        return [ExperimentRow(uuid, day, found, EntryKind(kind), feared, before,
                              FearHappened(happened) if happened else None, after)
                for uuid, day, found, kind, feared, before, happened, after
                in tuple_rows(query)]

    @owned
    def happened_count(self, since: date | None = None, until: date | None = None,
                       category: str | None = None) -> int:
        """How many rejections that happened to the user are dated from ``since`` to
        ``until`` (inclusive, either end open), of one challenge ``category`` (None: all):
        what the charts that need a prediction say they leave out."""
        query = (Attempt.select().join(Challenge, peewee.JOIN.LEFT_OUTER)
                 .where(Attempt.kind == EntryKind.HAPPENED_TO_ME.value))
        return int(chart_filtered(query, since, until, category).count())

    @owned
    def to_reflect_count(self, today: date, after: timedelta) -> int:
        """How many open entries there are to reflect on: an entry waiting for an answer
        counts only once its follow-up day (or, without one, ``after`` its date) has come."""
        due = ((Attempt.follow_up_on.is_null(False) & (Attempt.follow_up_on <= today))
               | (Attempt.follow_up_on.is_null() & (Attempt.attempted_on <= today - after)))
        return (Attempt.select()
                .where(Attempt.outcome.is_null() & ((Attempt.awaiting_answer == False)  # noqa: E712
                                                    | due))
                .count())
