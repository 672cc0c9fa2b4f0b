"""The statistics' queries: the few columns each chart (and the pause suggestion) reads, as
tuples, so ten years of entries load in a blink."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import peewee
from peewee import fn

from rejection_journal.domain.chart_stats import BeliefPair, ChartRow
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import EntryKind
from rejection_journal.domain.stats import GapPoint
from rejection_journal.storage.models import (
    Attempt,
    Challenge,
    chart_filtered,
    database,
    raw_rows,
    tuple_rows,
)
from rejection_journal.storage.session import JournalCore, owned

_new_tuple = tuple.__new__


#: An entry the charts that compare a prediction with what happened may use: a rejection that
#: happened to the user has no prediction to check (issue 21), so whatever ratings such an entry
#: holds never reach the gap, calibration or belief charts (each says how many it left out:
#: ``happened_count``); outcomes and reasons still count it.
_AN_ASK = Attempt.kind != EntryKind.HAPPENED_TO_ME.value


def _prediction(column: peewee.Field) -> peewee.ColumnBase:
    """``column``, or NULL for a rejection that happened to the user (see :data:`_AN_ASK`)."""
    return peewee.Case(None, ((_AN_ASK, column),), None)


def _chart_day(stored: object) -> date | None:
    """The day of a stored ``attempted_on`` as SQLite's ``date()`` reads it (None: no day).

    A day stored as ``YYYY-MM-DD`` (as every save writes it) is that day; anything else is
    left to SQLite, so the charts read every stored value as they always have.
    """
    if isinstance(stored, str) and len(stored) == 10:
        try:
            day = date.fromisoformat(stored)
        except ValueError:
            pass
        else:
            if day.isoformat() == stored:
                return day
    (text,) = database.execute_sql("SELECT date(?)", (stored,)).fetchone()
    return date.fromisoformat(text) if text else None


class ChartQueries(JournalCore):
    """What the charts and the pause suggestion read."""

    @owned
    def chart_rows(self, since: date | None = None, until: date | None = None,
                   category: str | None = None) -> list[ChartRow]:
        """Every entry as the charts need it, as a list (see :meth:`iter_chart_rows`)."""
        return list(self.iter_chart_rows(since, until, category))

    @owned
    def iter_chart_rows(self, since: date | None = None, until: date | None = None,
                        category: str | None = None) -> Iterator[ChartRow]:
        """Every entry as the charts need it (no texts), oldest first, optionally only those
        from ``since`` to ``until`` (inclusive) and of one challenge ``category``: tuples,
        not whole records, so ten years of entries load in a blink.  One at a time: what
        only sums them up (the chart's headline) never holds them all."""
        # The challenge's category comes from a small dict rather than a join (100,000
        # look-ups cost a third of the query), and the stored day as written rather than
        # through SQL's date(): see _chart_day.  The join stays when it filters.
        query = (
            Attempt.select(Attempt.uuid, Attempt.attempted_on.coerce(False), Attempt.challenge,
                           _prediction(Attempt.anticipated_discomfort),
                           _prediction(Attempt.actual_discomfort),
                           _prediction(Attempt.predicted_no_chance), Attempt.outcome,
                           Attempt.reasons)
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        if category is not None:
            query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
        query = chart_filtered(query, since, until, category)
        categories: dict[int | None, str | None] = dict(
            raw_rows(Challenge.select(Challenge.id, Challenge.category)))
        days: dict[object, date | None] = {}
        for uuid, stored, challenge, before, after, chance, outcome, reason in raw_rows(query):
            day = days.get(stored)
            if day is None:
                day = days[stored] = _chart_day(stored)
                if day is None:
                    continue
            # (tuple.__new__: a ChartRow exactly, without NamedTuple's Python-level __new__,
            # a third of the cost of building 100,000 of them)
            yield _new_tuple(ChartRow, (uuid, day, categories.get(challenge), before, after,
                                        chance, outcome or None, reason or None))

    @owned
    def gap_points(self, since: date | None = None, until: date | None = None,
                   category: str | None = None) -> list[GapPoint]:
        """Only what the gap chart plots: each finished ask rated before and after (day,
        anticipated, actual, UUID), oldest first, filtered like :meth:`chart_rows`.  The
        open entries, the "didn't ask" ones and the unrated never leave SQLite."""
        query = (
            Attempt.select(Attempt.attempted_on.coerce(False), Attempt.anticipated_discomfort,
                           Attempt.actual_discomfort, Attempt.uuid)
            .where(Attempt.anticipated_discomfort.is_null(False)
                   & Attempt.actual_discomfort.is_null(False)
                   & Attempt.outcome.is_null(False) & (Attempt.outcome != "")
                   & (Attempt.outcome != Outcome.DIDNT_ASK.value) & _AN_ASK)
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        if category is not None:
            query = query.join(Challenge, peewee.JOIN.LEFT_OUTER)
        query = chart_filtered(query, since, until, category)
        days: dict[object, date | None] = {}
        points = []
        for stored, before, after, uuid in raw_rows(query):
            day = days.get(stored)
            if day is None:
                day = days[stored] = _chart_day(stored)
                if day is None:
                    continue
            points.append(_new_tuple(GapPoint, (day, before, after, uuid)))
        return points

    @owned
    def belief_pairs(self, since: date | None = None, until: date | None = None,
                     category: str | None = None) -> list[BeliefPair]:
        """Each completed entry's predictions before the ask and for next time (the belief
        update), oldest first, filtered like :meth:`chart_rows`; entries that recorded no
        "next time" expectation are left out."""
        query = (
            Attempt.select(Attempt.uuid, fn.date(Attempt.attempted_on).coerce(False),
                           Attempt.anticipated_discomfort, Attempt.next_discomfort,
                           Attempt.predicted_no_chance, Attempt.next_no_chance)
            .join(Challenge, peewee.JOIN.LEFT_OUTER)
            .where((Attempt.next_discomfort.is_null(False)
                    | Attempt.next_no_chance.is_null(False)) & _AN_ASK)
            .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id)
        )
        query = chart_filtered(query, since, until, category)
        return [BeliefPair(uuid, date.fromisoformat(day), before, after, chance, chance_next)
                for uuid, day, before, after, chance, chance_next in raw_rows(query) if day]

    @owned
    def recent_completed(self, limit: int) -> list[tuple[int | None, int | None]]:
        """(actual discomfort, hopefulness) of the ``limit`` most recent completed entries,
        oldest first: what the pause suggestion looks at, without loading whole entries."""
        query = (Attempt.select(Attempt.actual_discomfort, Attempt.hopefulness)
                 .where(Attempt.outcome.is_null(False))
                 .order_by(Attempt.attempted_on.desc(), Attempt.created_at.desc(),
                           Attempt.id.desc())
                 .limit(limit))
        return [(actual, hopeful) for actual, hopeful in tuple_rows(query)][::-1]
