"""The chart loaders read SQLite's values as they are (``raw_rows``, issue 13): what they
return must be exactly what the converted rows gave."""

from __future__ import annotations

from datetime import date

from rejection_journal.domain.chart_stats import ChartRow
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.storage import Journal

from .conftest import AttemptFactory


def test_chart_rows_are_plain_values_oldest_first(journal: Journal,
                                                  make_attempt: AttemptFactory) -> None:
    finished = journal.save_attempt(make_attempt(
        attempted_on=date(2024, 3, 10), outcome=Outcome.PARTIAL,
        reasons=(Reason.TIMING, Reason.POLICY)))
    planned = journal.save_attempt(make_attempt(
        ask="Ask for a later check-out", challenge_uuid=None, attempted_on=date(2024, 3, 9),
        outcome=None, actual_discomfort=None, reasons=(), anticipated_discomfort=None,
        predicted_no_chance=None))
    rows = journal.chart_rows()
    category = builtin_challenges()[0].category.value
    assert rows == [
        ChartRow(planned.uuid, date(2024, 3, 9), None, None, None, None, None, None),
        ChartRow(finished.uuid, date(2024, 3, 10), category, 8, 3, 70, "partial",
                 "timing policy"),
    ]
    for row in rows:
        assert type(row.day) is date
        assert all(type(v) is int for v in (row.anticipated, row.actual, row.predicted_no)
                   if v is not None)
    assert journal.chart_rows(category=category) == rows[1:]
    assert journal.chart_rows(since=date(2024, 3, 10)) == rows[1:]
