"""Full-text search of a common word, first page, 100,000 entries, vs a LIKE scan of the same
table (what finding the word without the index takes: every row's six texts are read)."""

from __future__ import annotations

import sqlite3
import time

from harness import Figure, Journals

WORD = "nervous"  # in about a fifth of the demo entries' texts


def figures(journals: Journals) -> list[Figure]:
    from rejection_journal.services import JournalService

    name, baseline = "Full-text search, common word, 100,000 entries", "LIKE '%word%' scan"
    from rejection_journal.paths import database_path
    from rejection_journal.storage import open_journal

    opened: list[JournalService] = []

    def measure(subject: bool) -> float:
        folder = journals.template(100_000)
        if not opened:
            opened.append(JournalService(open_journal(folder)))
        service = opened[0]
        start = time.perf_counter()
        if subject:
            service.search(WORD, limit=50)
            return time.perf_counter() - start
        bare = sqlite3.connect(f"file:{database_path(folder)}?mode=ro", uri=True)
        start = time.perf_counter()
        # a LIKE scan of the same six texts: every row is read
        bare.execute("SELECT uuid FROM attempt WHERE ask LIKE ?1 OR feelings_before LIKE ?1 "
                     "OR worst_case LIKE ?1 OR feelings_after LIKE ?1 OR reflection LIKE ?1 "
                     "OR lesson LIKE ?1", [f"%{WORD}%"]).fetchall()
        elapsed = time.perf_counter() - start
        bare.close()
        return elapsed

    def close() -> None:
        for service in opened:
            service.journal.close()

    return [Figure(name, baseline, 0.25, measure, cleanup=close)]
