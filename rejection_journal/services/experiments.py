"""The use cases of issue 21 (each ask as a small experiment; waiting for an answer): what
the "What you learned" chart reads, and the waiting entries whose follow-up day has come.

:class:`ExperimentCases` is a part of :class:`~rejection_journal.services.JournalService`
(kept here so that module stays one job each); the rules are in
:mod:`rejection_journal.domain.experiment`.
"""

from __future__ import annotations

from datetime import date, timedelta

from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.learned import ExperimentRow
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal

#: a waiting entry with no follow-up day set is asked about this long after its date
FOLLOW_UP_AFTER = timedelta(days=7)


class ExperimentCases:
    """The experiment's and the waiting entries' use cases, on the service's journal."""

    journal: Journal

    def today(self) -> date:  # pragma: no cover - the service's own
        raise NotImplementedError

    def experiment_rows(self, flt: ChartFilter | None = None) -> list[ExperimentRow]:
        """The entries that name or rate a fear, and the rejections that happened to the
        user, within ``flt``, oldest first (the "What you learned" chart)."""
        flt = flt or ChartFilter()
        return self.journal.experiment_rows(flt.since, flt.until, flt.category)

    def happened_count(self, flt: ChartFilter | None = None) -> int:
        """How many rejections that happened to the user are within ``flt``: what the charts
        that need a prediction (gap, calibration, belief) say they leave out."""
        flt = flt or ChartFilter()
        return self.journal.happened_count(flt.since, flt.until, flt.category)

    def waiting_entries(self) -> list[AttemptRecord]:
        """Every entry waiting for an answer, oldest first."""
        return [record for record in self.journal.open_attempts() if record.is_waiting]

    def to_reflect_on(self) -> list[AttemptRecord]:
        """The open entries to reflect on, oldest first: an entry waiting for an answer is
        not one until its day to follow up has come (:meth:`follow_ups_due`)."""
        today = self.today()
        return [record for record in self.journal.open_attempts()
                if not record.is_waiting or _due(record, today)]

    def follow_ups_due(self) -> list[AttemptRecord]:
        """The waiting entries whose day to follow up has come (or that set none and are a
        week old or more): "Did you hear back?"."""
        today = self.today()
        return [record for record in self.waiting_entries() if _due(record, today)]


def _due(record: AttemptRecord, today: date) -> bool:
    """A waiting entry's day to follow up has come (its own, or a week after its date)."""
    return (record.follow_up_on or record.attempted_on + FOLLOW_UP_AFTER) <= today
