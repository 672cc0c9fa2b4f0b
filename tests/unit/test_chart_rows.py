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


def test_the_gap_only_query_reads_what_the_gap_plots_as_the_rows_gave_it(
        journal: Journal, make_attempt: AttemptFactory) -> None:
    """``gap_points`` (what ``chart --kind gap`` reads) is exactly the gap's points of the
    chart rows, for every filter: open, "didn't ask" and unrated entries stay in SQLite,
    ties come oldest made first, and a stored day is read as the rows read it."""
    from rejection_journal.domain.chart_stats import rated_points
    from rejection_journal.domain.demo import generate_attempts

    journal.add_demo_attempts(generate_attempts(journal.challenges(), 150, seed=4,
                                                today=date(2026, 3, 1)))
    journal.save_attempt(make_attempt(attempted_on=date(2024, 3, 10),
                                      outcome=Outcome.DIDNT_ASK, actual_discomfort=None,
                                      reasons=()))
    odd = journal.save_attempt(make_attempt(ask="A day with a time"))
    journal._db.execute_sql('UPDATE "attempt" SET "attempted_on" = ? WHERE "uuid" = ?',
                            ("2024-03-11 00:00:00", odd.uuid))
    category = builtin_challenges()[0].category.value
    for flt in ({}, {"category": category}, {"since": date(2025, 6, 1)},
                {"since": date(2025, 1, 1), "until": date(2025, 12, 31), "category": category}):
        points = journal.gap_points(**flt)
        assert points == rated_points(journal.chart_rows(**flt))
        assert points and all(type(p.day) is date for p in points)
    outcomes = {row.outcome for row in journal.chart_rows()}
    assert None in outcomes and Outcome.DIDNT_ASK.value in outcomes, "the awkward cases are there"
