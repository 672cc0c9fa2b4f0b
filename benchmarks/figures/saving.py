"""Saving: Ctrl+S to the next keystroke at 100,000 entries vs 1,000 (the real window, in a
child process: benchmarks/save_latency.py), and one durable save through the app's save path
(``JournalService.save``) vs a bare ``sqlite3`` INSERT + COMMIT with the journal's pragmas."""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import date

from harness import Figure, Journals

ENTRIES = 10_000  # the journal both saves go into
SAVES = 10  # saves per sample call (each one a sample)
KEYSTROKE_SAMPLES = 3  # saves measured per window process (each also waits for a redraw)


def _records(count: int) -> list:  # type: ignore[type-arg]
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.domain.library import builtin_challenges

    made = generate_attempts(builtin_challenges(), count, seed=7, today=date.today())
    return [r.replace(uuid=str(uuid.uuid4())) for r in made]


def figures(journals: Journals) -> list[Figure]:
    def keystroke(subject: bool) -> list[float]:
        import save_latency

        folder = journals.fresh(100_000 if subject else 1_000)
        try:
            return save_latency._run_probe(folder, KEYSTROKE_SAMPLES)
        finally:
            journals.discard(folder)

    state: dict[str, object] = {}

    def durable(subject: bool) -> list[float]:
        # One journal (app path) and one copy of it (bare) stay open for the whole figure.
        if not state:
            from rejection_journal.paths import database_path
            from rejection_journal.services import JournalService
            from rejection_journal.storage import open_journal
            from rejection_journal.storage.opening import PRAGMAS

            journal = open_journal(journals.fresh(ENTRIES))
            state["service"] = JournalService(journal)
            bare = sqlite3.connect(database_path(journals.fresh(ENTRIES)), isolation_level=None)
            for name, value in PRAGMAS.items():
                bare.execute(f"PRAGMA {name} = {value}")
            state["bare"] = bare
        records = _records(SAVES)
        timings = []
        if subject:
            service = state["service"]
            for record in records:
                start = time.perf_counter()
                service.save(record)  # type: ignore[attr-defined]
                timings.append(time.perf_counter() - start)
            return timings
        from rejection_journal.storage.models import Attempt
        from rejection_journal.storage.rows import attempt_row

        bare = state["bare"]
        assert isinstance(bare, sqlite3.Connection)
        fields = Attempt._meta.fields  # type: ignore[attr-defined]
        for record in records:
            # the same values the app stores, made ready outside the timing (a bare insert
            # has its values at hand)
            row = attempt_row(record.validated())
            values = {fields[k].column_name: fields[k].db_value(v) for k, v in row.items()}
            columns = ", ".join(f'"{k}"' for k in values)
            marks = ", ".join("?" for _ in values)
            sql = f'INSERT INTO "attempt" ({columns}) VALUES ({marks})'
            start = time.perf_counter()
            bare.execute("BEGIN")
            bare.execute(sql, list(values.values()))
            bare.execute("COMMIT")
            timings.append(time.perf_counter() - start)
        return timings

    def close() -> None:
        if state:
            state["service"].journal.close()  # type: ignore[attr-defined]
            state["bare"].close()  # type: ignore[attr-defined]

    return [
        Figure("Ctrl+S to next keystroke, 100,000 entries", "the same at 1,000", 1.5,
               keystroke, runs=3, warm_up=False),  # the probe skips its first two saves
        Figure("Durable save of one entry (JournalService.save), 10,000 entries",
               "bare sqlite3 INSERT + COMMIT, same pragmas", 1.5, durable,
               cleanup=close),
    ]
