"""The entries list's order and filters: computed in SQL, and the same order in Python."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.entry_list import (
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
    sort_key,
)
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal


def _fill(journal: Journal) -> list[AttemptRecord]:
    records = generate_attempts(journal.challenges(), 120, seed=9, today=date(2026, 3, 1))
    stamp = datetime(2026, 3, 1, 9, 0)
    # Free-form asks (no challenge: no category, no level), mixed case, a missing rating,
    # ties on the date and on the time made: the awkward cases for an order.
    records += [
        AttemptRecord(ask="apple pie", attempted_on=date(2026, 2, 1), created_at=stamp,
                      anticipated_discomfort=4),
        AttemptRecord(ask="Apple Pie", attempted_on=date(2026, 2, 1), created_at=stamp,
                      outcome=Outcome.YES, actual_discomfort=2),
        AttemptRecord(ask="Zebra crossing", attempted_on=date(2026, 2, 1), created_at=stamp,
                      anticipated_discomfort=9, actual_discomfort=1, outcome=Outcome.NO),
        AttemptRecord(ask="Ärger vermeiden", attempted_on=date(2025, 12, 24),
                      created_at=stamp, predicted_no_chance=99),
    ]
    journal.add_demo_attempts(records)
    return records


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("column", list(SortColumn))
def test_sql_order_matches_the_domain_key_for_every_column(
        journal: Journal, column: SortColumn, descending: bool) -> None:
    _fill(journal)
    sort = EntrySort(column, descending)
    challenges = {c.uuid: c for c in journal.challenges(include_archived=True)}
    records = journal.attempts()
    expected = [r.uuid for r in sorted(records, key=lambda r: sort_key(
        sort, r, challenges.get(r.challenge_uuid or "")))]
    assert journal.attempt_uuids_sorted(sort) == expected


def test_gap_sorts_by_anticipated_minus_actual_with_missing_gaps_last(journal: Journal) -> None:
    records = _fill(journal)
    by_uuid = {r.uuid: r for r in records}
    for descending in (True, False):
        gaps = [by_uuid[u].gap for u in
                journal.attempt_uuids_sorted(EntrySort(SortColumn.GAP, descending))]
        known = [g for g in gaps if g is not None]
        assert gaps == known + [None] * (len(gaps) - len(known)), "no gap: last"
        assert known == sorted(known, reverse=descending)
    assert by_uuid[journal.attempt_uuids_sorted(EntrySort(SortColumn.GAP))[0]].ask == \
        "Zebra crossing"


def test_default_order_is_newest_first(journal: Journal) -> None:
    _fill(journal)
    uuids = journal.attempt_uuids_sorted()
    days = [r.attempted_on for r in journal.attempts_by_uuid(uuids).values()]
    assert sorted(days, reverse=True) == [journal.attempt(u).attempted_on  # type: ignore[union-attr]
                                          for u in uuids]


def test_filters_by_outcome_category_date_range_and_completion(journal: Journal) -> None:
    records = _fill(journal)
    challenges = {c.uuid: c for c in journal.challenges(include_archived=True)}

    def expect(admit) -> set[str]:
        return {r.uuid for r in records if admit(r)}

    def got(flt: EntryFilter) -> set[str]:
        uuids = journal.attempt_uuids_sorted(EntrySort(), flt)
        assert len(uuids) == len(set(uuids))
        return set(uuids)

    assert got(EntryFilter(outcome=Outcome.NO)) == expect(lambda r: r.outcome is Outcome.NO)
    social = {u for u, c in challenges.items() if c.category is Category.SOCIAL}
    assert got(EntryFilter(category=Category.SOCIAL)) == expect(
        lambda r: r.challenge_uuid in social)
    assert got(EntryFilter(since=date(2026, 1, 1), until=date(2026, 2, 1))) == expect(
        lambda r: date(2026, 1, 1) <= r.attempted_on <= date(2026, 2, 1))
    assert got(EntryFilter(completion=Completion.OPEN)) == expect(lambda r: r.is_open)
    assert got(EntryFilter(completion=Completion.COMPLETED)) == expect(lambda r: not r.is_open)
    both = EntryFilter(outcome=Outcome.YES, since=date(2026, 2, 1))
    assert got(both) == expect(lambda r: r.outcome is Outcome.YES
                               and r.attempted_on >= date(2026, 2, 1))
    assert got(EntryFilter(completion=Completion.OPEN, outcome=Outcome.NO)) == set()
    # Sorted by category with a category filter: the join is made once.
    assert set(journal.attempt_uuids_sorted(EntrySort(SortColumn.CATEGORY),
                                            EntryFilter(category=Category.SOCIAL))) == \
        expect(lambda r: r.challenge_uuid in social)


def test_among_checks_only_the_given_entries(journal: Journal) -> None:
    records = _fill(journal)
    yes = next(r for r in records if r.outcome is Outcome.YES)
    no = next(r for r in records if r.outcome is Outcome.NO)
    flt = EntryFilter(outcome=Outcome.YES)
    assert journal.attempt_uuids_sorted(EntrySort(), flt, among=[yes.uuid, no.uuid,
                                                                 "missing"]) == [yes.uuid]


def test_a_worker_thread_reads_on_its_own_connection_and_closes_it(journal: Journal) -> None:
    _fill(journal)
    out: list[list[str]] = []
    connections: list[object] = []

    def work() -> None:
        with journal.worker_connection():
            connections.append(journal._db.connection())
            out.append(journal.attempt_uuids_sorted(EntrySort(SortColumn.GAP)))
        connections.append(journal._db.is_closed())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert out and out[0] == journal.attempt_uuids_sorted(EntrySort(SortColumn.GAP))
    assert connections[0] is not journal._db.connection(), "not the main thread's connection"
    assert connections[1] is True, "closed when the work is done"
    with pytest.raises(RuntimeError), journal.worker_connection():
        pass


def test_a_ladder_filter_admits_the_entries_of_its_steps_only(journal: Journal) -> None:
    from rejection_journal.domain.picker import Ladder, Rung

    records = _fill(journal)
    used = [r.challenge_uuid for r in records if r.challenge_uuid]
    first, second = used[0], next(u for u in used if u != used[0])
    ladder = journal.save_ladder(Ladder("Ask for a raise", (Rung(first), Rung(second))))
    shown = journal.attempt_uuids_sorted(EntrySort(), EntryFilter(ladder=ladder.uuid))
    assert sorted(shown) == sorted(r.uuid for r in records
                                   if r.challenge_uuid in (first, second))
    assert journal.attempt_uuids_sorted(EntrySort(), EntryFilter(ladder="no-such")) == []


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("column", list(SortColumn))
def test_pages_count_and_positions_agree_with_the_whole_order(
        journal: Journal, column: SortColumn, descending: bool) -> None:
    """The list reads pages (LIMIT/OFFSET), the count and one entry's row (a keyset count):
    together they give the same list as the whole order, for every column and direction,
    with the awkward ties and empty values of ``_fill``, filtered or not."""
    _fill(journal)
    sort = EntrySort(column, descending)
    for flt in (EntryFilter(), EntryFilter(completion=Completion.COMPLETED),
                EntryFilter(category=Category.SOCIAL), EntryFilter(outcome=Outcome.NO),
                EntryFilter(completion=Completion.OPEN, since=date(2026, 1, 1))):
        whole = journal.attempt_uuids_sorted(sort, flt)
        assert journal.entry_count(flt) == len(whole)
        paged = [r.uuid for start in range(0, len(whole) + 7, 7)
                 for r in journal.entry_page(sort, flt, start, 7)]
        assert paged == whole
        for row, uuid in enumerate(whole):
            assert journal.entry_position(sort, flt, uuid) == row
    outside = next(r for r in journal.attempts() if r.outcome is not Outcome.YES)
    assert journal.entry_position(sort, EntryFilter(outcome=Outcome.YES), outside.uuid) is None
    assert journal.entry_position(sort, EntryFilter(), "no-such") is None


@pytest.mark.parametrize("column", [SortColumn.DATE, SortColumn.GAP, SortColumn.EXPECTED,
                                    SortColumn.FELT])
def test_the_list_orders_read_their_index_instead_of_sorting_every_entry(
        journal: Journal, column: SortColumn) -> None:
    """Schema 3.5's indexes: a page of the list sorted by date, gap or a discomfort rating
    (largest first, as a click on the header starts) is read from an index, with no sort of
    every entry (SQLite's "TEMP B-TREE"), and so is "where does this entry stand"."""
    import peewee

    from rejection_journal.storage import entry_list
    from rejection_journal.storage.models import Attempt, database

    _fill(journal)
    sort = EntrySort(column, descending=True)
    page = (entry_list._listed(Attempt.select(Attempt.id), sort, EntryFilter())
            .order_by(*entry_list._order(sort)).limit(200).offset(50))
    sql, params = page.sql()
    plan = " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                             params))
    assert "INDEX attempt_list_" in plan and "TEMP B-TREE" not in plan, plan
    key = (5, "2026-02-01", "2026-03-01 09:00:00", "m")
    count = entry_list._listed(Attempt.select(peewee.fn.COUNT(Attempt.id)), sort,
                               EntryFilter()).where(entry_list._before(sort, key))
    sql, params = count.sql()
    plan = " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                             params))
    assert "INDEX attempt_list_" in plan, plan


def test_a_filtered_page_walks_the_sort_index_when_most_entries_match(journal: Journal) -> None:
    """Filtered by outcome, the first page of a long list sorted by gap walks the gap index
    (testing the outcome row by row) instead of sorting every match; a rare outcome is
    taken from its own index.  The counts decide (SQLite has no statistics to)."""
    from rejection_journal.storage import entry_list
    from rejection_journal.storage.models import Attempt, database

    _fill(journal)
    by_gap = EntrySort(SortColumn.GAP)
    completed = EntryFilter(completion=Completion.COMPLETED)
    assert entry_list._walk_sort_index(by_gap, completed, 7)
    assert not entry_list._walk_sort_index(by_gap, completed, 10_000)
    assert not entry_list._walk_sort_index(by_gap, EntryFilter(outcome=Outcome.NO), 10_000)
    page = (entry_list._listed(Attempt.select(Attempt.id), by_gap, completed, scan_order=True)
            .order_by(*entry_list._order(by_gap)).limit(7))
    sql, params = page.sql()
    plan = " | ".join(row[3] for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                             params))
    assert "INDEX attempt_list_gap" in plan and "TEMP B-TREE" not in plan, plan
