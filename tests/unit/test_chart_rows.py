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
        assert type(row) is ChartRow
        assert type(row.day) is date
        assert all(type(v) is int for v in (row.anticipated, row.actual, row.predicted_no)
                   if v is not None)
    assert journal.chart_rows(category=category) == rows[1:]
    assert journal.chart_rows(since=date(2024, 3, 10)) == rows[1:]


def test_chart_rows_read_every_stored_day_as_sqlite_date_does(
        journal: Journal, make_attempt: AttemptFactory) -> None:
    # chart_rows reads a stored YYYY-MM-DD day itself and leaves any other stored text to
    # SQLite's date(), as the query did: a day with a time (two ways) and text
    # that is no day at all (that entry is not charted) come out as they always did.
    stored = {"2024-03-10": date(2024, 3, 10), "2024-03-11 00:00:00": date(2024, 3, 11),
              "2024-03-12T08:30": date(2024, 3, 12), "2024-W10-1": None, "someday": None}
    uuids = {}
    for text in stored:
        record = journal.save_attempt(make_attempt(ask=f"Ask {text}"))
        journal._db.execute_sql('UPDATE "attempt" SET "attempted_on" = ? WHERE "uuid" = ?',
                                (text, record.uuid))
        uuids[record.uuid] = text
    expected = {uuid: stored[text] for uuid, text in uuids.items() if stored[text]}
    assert {row.uuid: row.day for row in journal.chart_rows()} == expected
    for text, day in stored.items():
        (via_sql,) = journal._db.execute_sql("SELECT date(?)", (text,)).fetchone()
        assert via_sql == (day.isoformat() if day else None)
