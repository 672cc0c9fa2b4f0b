"""How the entries list is ordered and filtered: plain values the storage layer turns into SQL.

The list itself never sorts or filters 100,000 records in Python: storage returns the ordered
UUIDs (``Journal.attempt_uuids_sorted``).  :func:`sort_key` gives the same order for one
record, so a single saved entry can be put in its place without asking for the whole list
again.  The two must agree; ``tests/unit/test_entry_list.py`` checks that they do.

The order, for every column:

* the column's value, ascending or descending; an empty value (no rating, no category, an open
  entry's outcome, a gap with either rating missing) comes last in both directions;
* ties: the date, then the time the entry was made, then its UUID, newest first, except when
  sorting by date ascending, where every tie-breaker is ascending too (oldest first);
* text (the ask) compares like SQLite's ``NOCASE``: ASCII letters without case, everything
  else by code point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord


class SortColumn(StrEnum):
    DATE = "date"
    ASK = "ask"
    CATEGORY = "category"
    LEVEL = "level"
    EXPECTED = "expected"
    NO_CHANCE = "no_chance"
    FELT = "felt"
    GAP = "gap"
    OUTCOME = "outcome"


class Completion(StrEnum):
    """Which halves: every entry, only open ones (after half to write), only completed ones;
    (issue 21) only those waiting for an answer, only rejections that happened to me."""

    ALL = "all"
    OPEN = "open"
    COMPLETED = "completed"
    WAITING = "waiting"
    HAPPENED_TO_ME = "happened_to_me"


@dataclass(frozen=True, slots=True)
class EntrySort:
    column: SortColumn = SortColumn.DATE
    descending: bool = True


#: the list's order when the user has chosen none: newest first
DEFAULT_SORT = EntrySort()


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which entries the list shows; every ``None`` (and ``Completion.ALL``) admits all.

    ``since`` and ``until`` are inclusive.  ``ladder`` is the hook for ladders (issue 8): the
    ladder's id, applied by storage once ladders exist.
    """

    outcome: Outcome | None = None
    category: Category | None = None
    since: date | None = None
    until: date | None = None
    completion: Completion = Completion.ALL
    ladder: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == EntryFilter()


_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nocase(text: str) -> str:
    """``text`` as SQLite's ``NOCASE`` collation compares it (only ASCII letters fold)."""
    return text.translate(_ASCII_FOLD)


def sort_value(column: SortColumn, record: AttemptRecord,
               challenge: ChallengeRecord | None) -> Any:
    """The value ``record`` is sorted by in ``column``; ``None`` sorts last."""
    if column is SortColumn.DATE:
        return record.attempted_on
    if column is SortColumn.ASK:
        return nocase(record.ask)
    if column is SortColumn.CATEGORY:
        return challenge.category.value if challenge is not None else None
    if column is SortColumn.LEVEL:
        return challenge.level if challenge is not None else None
    if column is SortColumn.EXPECTED:
        return record.anticipated_discomfort
    if column is SortColumn.NO_CHANCE:
        return record.predicted_no_chance
    if column is SortColumn.FELT:
        return record.actual_discomfort
    if column is SortColumn.GAP:
        return record.gap
    return record.outcome.value if record.outcome is not None else None


class _Reversed:
    """Wraps a value so that it compares the other way round."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value

    def __lt__(self, other: _Reversed) -> bool:
        return bool(other.value < self.value)

    def __hash__(self) -> int:
        return hash(self.value)


def sort_key(sort: EntrySort, record: AttemptRecord, challenge: ChallengeRecord | None
             ) -> tuple[Any, ...]:
    """A key that orders records as ``Journal.attempt_uuids_sorted`` does (smaller: higher
    in the list)."""
    value = sort_value(sort.column, record, challenge)
    ties: tuple[date, datetime, str] = (record.attempted_on, record.created_at, record.uuid)
    ascending_ties = sort.column is SortColumn.DATE and not sort.descending
    primary = _Reversed(value) if sort.descending and value is not None else value
    return (value is None, primary if value is not None else 0,
            *(ties if ascending_ties else tuple(_Reversed(t) for t in ties)))
