"""Passphrase protection (issue 24): the same work on an encrypted journal (subject) and on a
plain copy of it (baseline), 10,000 entries: a durable save, opening (the encrypted one after
its passphrase: the key derivation is part of it), a full-text search and loading the chart
data.  One journal is open at a time in a process, so each sample opens the one it measures
(outside the timing, except for the opening figure)."""

from __future__ import annotations

import time
import uuid
from datetime import date
from pathlib import Path

from harness import Figure, Journals

ENTRIES = 10_000
PASSPHRASE = "a benchmark passphrase"
SAVES = 10
WORD = "nervous"


def figures(journals: Journals) -> list[Figure]:
    from rejection_journal.services import JournalService
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.protection import protect

    folders: dict[bool, Path] = {}

    def folder(encrypted: bool) -> Path:
        if encrypted not in folders:
            made = journals.fresh(ENTRIES)
            if encrypted:
                protect(made, PASSPHRASE)
            folders[encrypted] = made
        return folders[encrypted]

    def opened(encrypted: bool) -> JournalService:
        return JournalService(open_journal(folder(encrypted),
                                           passphrase=PASSPHRASE if encrypted else None))

    def save(subject: bool) -> list[float]:
        from rejection_journal.domain.demo import generate_attempts
        from rejection_journal.domain.library import builtin_challenges

        records = [r.replace(uuid=str(uuid.uuid4())) for r in generate_attempts(
            builtin_challenges(), SAVES, seed=11, today=date.today())]
        service = opened(subject)
        try:
            timings = []
            for record in records:
                start = time.perf_counter()
                service.save(record)
                timings.append(time.perf_counter() - start)
            return timings
        finally:
            service.journal.close()

    def open_(subject: bool) -> float:
        start = time.perf_counter()
        service = opened(subject)
        service.journal.attempt_count()  # the first read: the first pages decrypted
        elapsed = time.perf_counter() - start
        service.journal.close()
        return elapsed

    def search(subject: bool) -> float:
        service = opened(subject)
        try:
            start = time.perf_counter()
            service.search(WORD, limit=50)
            return time.perf_counter() - start
        finally:
            service.journal.close()

    def chart(subject: bool) -> float:
        service = opened(subject)
        try:
            start = time.perf_counter()
            service.chart_rows()
            return time.perf_counter() - start
        finally:
            service.journal.close()

    def cleanup() -> None:
        for made in folders.values():
            journals.discard(made)
        folders.clear()

    plain = "the same on the plain journal"
    return [
        Figure(f"Encrypted: durable save, {ENTRIES:,} entries", plain, 1.5, save),
        Figure(f"Encrypted: open after the passphrase, {ENTRIES:,} entries", plain, None,
               open_),
        Figure(f"Encrypted: full-text search, {ENTRIES:,} entries", plain, 1.5, search),
        Figure(f"Encrypted: chart data loaded, {ENTRIES:,} entries", plain, 1.5, chart,
               cleanup=cleanup),
    ]
