"""The entries list, a page at a time: how many entries a filter admits, one page of them in
the chosen order, and the row one entry stands at.  The list model asks these instead of
holding every entry's UUID (see ``storage/entry_list.py`` for the SQL and its indexes).
"""

from __future__ import annotations

from rejection_journal.domain.entry_list import EntryFilter, EntrySort
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services.journal_service import JournalService


def entry_count(service: JournalService, flt: EntryFilter) -> int:
    """How many entries ``flt`` admits."""
    return service.journal.entry_count(flt)


def entry_page(service: JournalService, sort: EntrySort, flt: EntryFilter, offset: int,
               limit: int) -> list[AttemptRecord]:
    """Up to ``limit`` entries from row ``offset`` of the list ``sort`` and ``flt`` make."""
    return service.journal.entry_page(sort, flt, offset, limit)


def entry_position(service: JournalService, sort: EntrySort, flt: EntryFilter,
                   uuid: str) -> int | None:
    """The row of entry ``uuid`` in that list, or None if ``flt`` does not admit it."""
    return service.journal.entry_position(sort, flt, uuid)
