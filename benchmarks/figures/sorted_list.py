"""The entries list at 100,000 entries vs 1,000: opening it sorted by gap, a click on a
header and a change of filter.  Each is what the list model reads for a new order
(``ui/entries_model.py``'s order job): the count of entries the filter admits and the first
page of records, in SQL over schema 3.5's indexes (``services/entry_pages.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from harness import Figure, Journals


def figures(journals: Journals) -> list[Figure]:
    from rejection_journal.domain.entry_list import EntryFilter, EntrySort, SortColumn
    from rejection_journal.domain.enums import Outcome
    from rejection_journal.services import JournalService
    from rejection_journal.services.entry_pages import entry_count, entry_page
    from rejection_journal.ui.entries_model import PAGE

    def new_order(sort: EntrySort, flt: EntryFilter) -> Callable[[bool], float]:
        def measure(subject: bool) -> float:
            # one journal open per measure: open, time the count and the first page, close
            from rejection_journal.storage import open_journal

            with open_journal(journals.template(100_000 if subject else 1_000)) as journal:
                service = JournalService(journal)
                start = time.perf_counter()
                entry_count(service, flt)
                entry_page(service, sort, flt, 0, PAGE)
                return time.perf_counter() - start
        return measure

    by_gap = EntrySort(SortColumn.GAP, descending=True)
    baseline = "the same at 1,000"
    return [
        Figure("Entries list sorted by gap, 100,000 entries", baseline, 1.5,
               new_order(by_gap, EntryFilter())),
        # absolute targets (< 50 ms at 100,000): the table shows the ms; no ratio target
        Figure("Sort click (gap, smallest first) at 100,000 entries (target < 50 ms)",
               baseline, None, new_order(EntrySort(SortColumn.GAP, descending=False),
                                         EntryFilter())),
        Figure("Filter change (outcome: no, sorted by gap) at 100,000 entries "
               "(target < 50 ms)", baseline, None,
               new_order(by_gap, EntryFilter(outcome=Outcome.NO))),
    ]
