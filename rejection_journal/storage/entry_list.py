"""The entries list's queries: its UUIDs sorted and filtered in SQLite, and its text search."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

import peewee

from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
)
from rejection_journal.domain.search import SearchHit
from rejection_journal.storage.errors import classify
from rejection_journal.storage.models import Attempt, Challenge, LadderRung, database
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


def _first_column(query: peewee.SelectBase) -> list[str]:
    """The first column of ``query``'s rows, straight from the cursor: peewee's row
    wrapping would double the time of 100,000 rows."""
    return [row[0] for row in database.execute(query).fetchall()]


def _entry_filtered(query: peewee.ModelSelect[Attempt], flt: EntryFilter
                    ) -> peewee.ModelSelect[Attempt]:
    """``query`` limited to the entries ``flt`` admits (joined with Challenge if it filters
    by category)."""
    if flt.outcome is not None:
        query = query.where(Attempt.outcome == flt.outcome.value)
    if flt.category is not None:
        query = query.where(Challenge.category == flt.category.value)
    if flt.since is not None:
        query = query.where(Attempt.attempted_on >= flt.since)
    if flt.until is not None:
        query = query.where(Attempt.attempted_on <= flt.until)
    if flt.completion is Completion.OPEN:
        query = query.where(Attempt.outcome.is_null())
    elif flt.completion is Completion.COMPLETED:
        query = query.where(Attempt.outcome.is_null(False))
    elif flt.completion is Completion.WAITING:  # (issue 21)
        query = query.where(Attempt.outcome.is_null() & (Attempt.awaiting_answer == True))  # noqa: E712
    elif flt.completion is Completion.HAPPENED_TO_ME:
        query = query.where(Attempt.kind == Completion.HAPPENED_TO_ME.value)
    if flt.ladder is not None:
        # the entries of the ladder's rungs (its challenges); an unknown ladder admits none
        rungs = (LadderRung.select(LadderRung.challenge).join(LadderRow)
                 .where(LadderRow.uuid == flt.ladder))
        query = query.where(Attempt.challenge.in_(rungs))
    return query


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
        expression = _SORT_EXPRESSIONS[sort.column]()
        ascending_ties = sort.column is SortColumn.DATE and not sort.descending
        ties = (Attempt.attempted_on, Attempt.created_at, Attempt.uuid)
        order = [expression.desc(nulls="LAST") if sort.descending
                 else expression.asc(nulls="LAST")]
        order += [t.asc() if ascending_ties else t.desc() for t in ties]
        query = Attempt.select(Attempt.uuid)
        if sort.column in (SortColumn.CATEGORY, SortColumn.LEVEL) or flt.category is not None:
            query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
        query = _entry_filtered(query, flt).order_by(*order)
        if among is None:
            return _first_column(query)
        wanted = list(among)
        out: list[str] = []
        for start in range(0, len(wanted), 500):
            out += _first_column(query.where(Attempt.uuid.in_(wanted[start : start + 500])))
        return out

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
