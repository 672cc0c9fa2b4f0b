"""Import of a 100,000-entry JSON export (the ``import`` command, timed from outside) vs
``json.load`` of the same file plus a bare ``executemany`` into an empty journal's table."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from harness import CLI, Figure, Journals, child_env, seconds_to_exit

ENTRIES = 100_000


def figures(journals: Journals) -> list[Figure]:
    exported: list[Path] = []

    def export_file() -> Path:
        if not exported:
            path = journals.root / f"export-{ENTRIES}.json"
            seconds_to_exit([CLI, "--data-dir", str(journals.template(ENTRIES)), "export",
                             "--format", "json", "--out", str(path)])
            exported.append(path)
        return exported[0]

    def measure(subject: bool) -> float:
        path = export_file()
        folder = journals.fresh(0)
        try:
            if subject:
                return seconds_to_exit([CLI, "--data-dir", str(folder), "import", str(path)],
                                       env=child_env())
            return _bare_import(path, folder / "journal.sqlite3")
        finally:
            journals.discard(folder)

    return [Figure("Import of a 100,000-entry JSON (import command)",
                   "json.load + bare executemany", 3.0, measure, runs=3, warm_up=False)]


def _bare_import(path: Path, database: Path) -> float:
    from rejection_journal.storage.opening import PRAGMAS

    start = time.perf_counter()
    with path.open("rb") as file:
        attempts = json.load(file)["attempts"]
    connection = sqlite3.connect(database, isolation_level=None)
    for name, value in PRAGMAS.items():
        connection.execute(f"PRAGMA {name} = {value}")
    table = [row[1] for row in connection.execute('PRAGMA table_info("attempt")')]
    columns = [c for c in table if c in attempts[0]]
    rows = ([json.dumps(a[c]) if isinstance(a[c], list) else a[c] for c in columns]
            for a in attempts)
    quoted = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    connection.execute("BEGIN")
    connection.executemany(f'INSERT INTO "attempt" ({quoted}) VALUES ({marks})', rows)
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - start
