"""The entries list's queries: its rows sorted and filtered in SQLite, a page at a time, and
its text search.

The list never holds every entry: it asks for the count (``COUNT(*)``), pages of records
(``LIMIT``/``OFFSET`` over the sort's index), and where one entry now stands (the number of
entries before it in the order: a keyset count, answered from the same index).  The indexes
are made by schema 3.5 (``migrations._v3_5_list_indexes``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import peewee

from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
)
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.search import SearchHit
from rejection_journal.storage.entries import attempt_query, attempt_record
from rejection_journal.storage.errors import classify
from rejection_journal.storage.models import (
    Attempt,
    Challenge,
    LadderRung,
    database,
    tuple_rows,
)
from rejection_journal.storage.models import Ladder as LadderRow
from rejection_journal.storage.search import SearchSyntaxError
from rejection_journal.storage.search import count as search_count
from rejection_journal.storage.search import search as search_hits
from rejection_journal.storage.session import JournalCore, owned

#: the SQL expression each column of the entries list sorts by (called: fields are per-query)
_SORT_EXPRESSIONS: dict[SortColumn, Callable[[], peewee.ColumnBase]] = {
    SortColumn.DATE: lambda: Attempt.attempted_on,
    SortColumn.ASK: lambda: Attempt.ask.collate("NOCASE"),
    SortColumn.CATEGORY: lambda: Challenge.category,
    SortColumn.LEVEL: lambda: Challenge.level,
    SortColumn.EXPECTED: lambda: Attempt.anticipated_discomfort,
    SortColumn.NO_CHANCE: lambda: Attempt.predicted_no_chance,
    SortColumn.FELT: lambda: Attempt.actual_discomfort,
    # NULL when either rating is missing, so those entries sort last
    SortColumn.GAP: lambda: Attempt.anticipated_discomfort - Attempt.actual_discomfort,
    SortColumn.OUTCOME: lambda: Attempt.outcome,
}
NO_FILTER = EntryFilter()


def _first_column(query: peewee.SelectBase) -> list[Any]:
    """The first column of ``query``'s rows, straight from the cursor: peewee's row
    wrapping would double the time of 100,000 rows."""
    return [row[0] for row in database.execute(query).fetchall()]


#: ``COUNT(*)`` as a plain aggregate: peewee's ``.count()`` wraps the query in a subquery,
#: which costs SQLite 7 ms at 100,000 entries instead of 0.4
_COUNT = peewee.fn.COUNT(peewee.SQL("*"))


def _count(query: peewee.SelectBase) -> int:
    return int(database.execute(query).fetchone()[0])


def _entry_filtered(query: peewee.ModelSelect[Attempt], flt: EntryFilter, *,
                    scan_order: bool = False) -> peewee.ModelSelect[Attempt]:
    """``query`` limited to the entries ``flt`` admits (joined with Challenge if it filters
    by category).  ``scan_order``: test the outcome row by row (SQLite's unary ``+``), so
    the sort's index is walked instead of the outcome's index and a sort of every match."""
    outcome: peewee.ColumnBase = Attempt.outcome
    if scan_order:
        outcome = peewee.NodeList((peewee.SQL("+"), Attempt.outcome), glue="")
    if flt.outcome is not None:
        query = query.where(outcome == flt.outcome.value)
    if flt.category is not None:
        query = query.where(Challenge.category == flt.category.value)
    if flt.since is not None:
        query = query.where(Attempt.attempted_on >= flt.since)
    if flt.until is not None:
        query = query.where(Attempt.attempted_on <= flt.until)
    if flt.completion is Completion.OPEN:
        query = query.where(outcome.is_null())
    elif flt.completion is Completion.COMPLETED:
        query = query.where(outcome.is_null(False))
    elif flt.completion is Completion.WAITING:  # (issue 21)
        query = query.where(outcome.is_null() & (Attempt.awaiting_answer == True))  # noqa: E712
    elif flt.completion is Completion.HAPPENED_TO_ME:
        query = query.where(Attempt.kind == Completion.HAPPENED_TO_ME.value)
    if flt.ladder is not None:
        # the entries of the ladder's rungs (its challenges); an unknown ladder admits none
        rungs = (LadderRung.select(LadderRung.challenge).join(LadderRow)
                 .where(LadderRow.uuid == flt.ladder))
        query = query.where(Attempt.challenge.in_(rungs))
    return query


def _joins_challenge(sort: EntrySort, flt: EntryFilter) -> bool:
    return sort.column in (SortColumn.CATEGORY, SortColumn.LEVEL) or flt.category is not None


def _ties_descending(sort: EntrySort) -> bool:
    """Ties (date, time made, UUID) run newest first, except in the date's ascending order."""
    return not (sort.column is SortColumn.DATE and not sort.descending)


def _ties() -> tuple[peewee.Field, peewee.Field, peewee.Field]:
    return (Attempt.attempted_on, Attempt.created_at, Attempt.uuid)


def _order(sort: EntrySort) -> list[peewee.Ordering]:
    """The list's ORDER BY (see :mod:`rejection_journal.domain.entry_list`)."""
    descending = _ties_descending(sort)
    ties = [t.desc() if descending else t.asc() for t in _ties()]
    if sort.column is SortColumn.DATE:  # the ties begin with the date (never empty)
        return ties
    expression = _SORT_EXPRESSIONS[sort.column]()
    return [expression.desc(nulls="LAST") if sort.descending
            else expression.asc(nulls="LAST"), *ties]


def _listed(query: peewee.ModelSelect[Attempt], sort: EntrySort, flt: EntryFilter, *,
            scan_order: bool = False) -> peewee.ModelSelect[Attempt]:
    """``query`` (over Attempt) limited to what ``flt`` admits, joined with Challenge when
    the sort or the filter needs it (``scan_order``: see :func:`_entry_filtered`)."""
    if _joins_challenge(sort, flt):
        query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
    return _entry_filtered(query, flt, scan_order=scan_order)


#: the orders schema 3.5 indexes (both directions: SQLite walks an index either way)
_INDEXED = frozenset({SortColumn.DATE, SortColumn.GAP, SortColumn.EXPECTED, SortColumn.FELT})


def _walk_sort_index(sort: EntrySort, flt: EntryFilter, end: int) -> bool:
    """Should a page ending at row ``end`` walk the sort's index, testing the filter row by
    row, rather than take the outcome index's matches and sort them all?  SQLite cannot
    tell without statistics; the counts can: walking reads about ``end * total / admitted``
    rows, sorting reads ``admitted``."""
    if sort.column not in _INDEXED or (flt.outcome is None
                                       and flt.completion is Completion.ALL):
        return False
    admitted = _count(_listed(Attempt.select(_COUNT), sort, flt))
    total = _count(Attempt.select(_COUNT))
    return admitted > 0 and end * total < admitted * admitted


def _before(sort: EntrySort, key: Sequence[object]) -> peewee.ColumnBase:
    """The entries that come before the one whose sort values are ``key`` (its column's
    value, date, time made, UUID, as stored): a keyset condition SQLite answers from the
    sort's index (primary value strictly before, or equal and the ties before)."""
    value, *ties = key
    expression = _SORT_EXPRESSIONS[sort.column]()
    columns = peewee.Tuple(*_ties())
    values = peewee.Tuple(*ties)
    ties_before = columns > values if _ties_descending(sort) else columns < values
    before: peewee.ColumnBase
    if value is None:  # empty values come last: every filled one is before
        before = expression.is_null(False) | (expression.is_null() & ties_before)
    else:
        primary = expression > value if sort.descending else expression < value
        before = primary | ((expression == value) & ties_before)
    return before


class EntryListQueries(JournalCore):
    """What the entries list asks: which entries, in which order, and which hold a text."""

    @owned
    def attempt_uuids_sorted(self, sort: EntrySort = DEFAULT_SORT,
                             flt: EntryFilter = NO_FILTER, *,
                             among: Sequence[str] | None = None) -> list[str]:
        """The UUIDs of the entries ``flt`` admits, in the order ``sort`` asks for (see
        :mod:`rejection_journal.domain.entry_list`: empty values last, ties newest first).

        All of it happens in SQLite, so 100,000 entries come back as one list of strings.
        With ``among``, only those UUIDs are considered (a few saved entries: "does the
        filter still admit them?").
        """
        query = _listed(Attempt.select(Attempt.uuid), sort, flt).order_by(*_order(sort))
        if among is None:
            return _first_column(query)
        wanted = list(among)
        out: list[str] = []
        for start in range(0, len(wanted), 500):
            out += _first_column(query.where(Attempt.uuid.in_(wanted[start : start + 500])))
        return out

    @owned
    def entry_count(self, flt: EntryFilter = NO_FILTER) -> int:
        """How many entries ``flt`` admits (``COUNT(*)``)."""
        return _count(_listed(Attempt.select(_COUNT), DEFAULT_SORT, flt))

    @owned
    def entry_page(self, sort: EntrySort, flt: EntryFilter, offset: int, limit: int
                   ) -> list[AttemptRecord]:
        """The entries ``flt`` admits in ``sort``'s order, ``limit`` of them from row
        ``offset``: the sort's index walks to the offset (a few ms at row 50,000)."""
        # the page's row ids first (a narrow query the index answers), then their records
        walk = _walk_sort_index(sort, flt, offset + limit)
        ids = _first_column(_listed(Attempt.select(Attempt.id), sort, flt, scan_order=walk)
                            .order_by(*_order(sort)).limit(limit).offset(offset))
        rows = tuple_rows(attempt_query().where(Attempt.id.in_(ids)).columns(
            Attempt.id, *attempt_query().selected_columns))
        by_id = {row[0]: attempt_record(row[1:]) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    @owned
    def entry_position(self, sort: EntrySort, flt: EntryFilter, uuid: str) -> int | None:
        """The row the entry ``uuid`` has in the list ``sort`` and ``flt`` make (the number
        of entries before it), or None if the filter does not admit it (or it is gone)."""
        expression = _SORT_EXPRESSIONS[sort.column]()
        query = _listed(Attempt.select(expression, *_ties()), sort, flt)
        key = database.execute(query.where(Attempt.uuid == uuid)).fetchone()
        if key is None:
            return None
        return _count(_listed(Attempt.select(_COUNT), sort, flt).where(_before(sort, key)))

    @owned
    def search(self, text: str, limit: int = 50, offset: int = 0,
               cancelled: Callable[[], bool] | None = None) -> list[SearchHit]:
        """The entries whose texts hold ``text``, best first (bm25, the ask weighted most):
        ``limit`` after the first ``offset``, matched words marked (see domain/search.py).

        Plain words must all be found, the last also as a prefix; FTS5 syntax is used as
        written, and one SQLite cannot read raises :class:`SearchSyntaxError`.  Empty text
        finds nothing.  A journal without the full-text index is scanned instead.  A search
        too long to run raises ``SearchTooLongError``; once ``cancelled()`` is true (a newer
        search came) it stops with ``SearchCancelledError``.
        """
        try:
            return search_hits(text, limit, offset, cancelled)
        except SearchSyntaxError:
            raise
        except (peewee.PeeweeException, sqlite3.Error) as exc:
            raise classify(exc) from exc

    @owned
    def search_count(self, text: str, cancelled: Callable[[], bool] | None = None) -> int:
        """How many entries :meth:`search` finds for ``text`` in all."""
        try:
            return search_count(text, cancelled)
        except SearchSyntaxError:
            raise
        except (peewee.PeeweeException, sqlite3.Error) as exc:
            raise classify(exc) from exc
