"""Opening the entries list sorted by gap, 100,000 entries vs 1,000: the ordered UUIDs
(``JournalService.attempt_uuids_sorted``) and the first page of records the list shows."""

from __future__ import annotations

import time

from harness import Figure, Journals


def figures(journals: Journals) -> list[Figure]:
    from rejection_journal.domain.entry_list import EntrySort, SortColumn
    from rejection_journal.services import JournalService

    name, baseline = "Entries list sorted by gap, 100,000 entries", "the same at 1,000"
    by_gap = EntrySort(SortColumn.GAP, descending=True)

    def measure(subject: bool) -> float:
        # one journal open per process: open, time the sorted list (and its first page of
        # records, as the list shows them), close
        from rejection_journal.storage import open_journal

        with open_journal(journals.template(100_000 if subject else 1_000)) as journal:
            service = JournalService(journal)
            start = time.perf_counter()
            uuids = service.attempt_uuids_sorted(by_gap)
            service.attempts_by_uuid(uuids[:50])
            return time.perf_counter() - start

    return [Figure(name, baseline, 1.5, measure)]
