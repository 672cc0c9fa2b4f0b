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
