"""kill -9 during saves and imports: nothing committed is lost, nothing is half-imported.

Each trial starts a real process that writes through the app's storage code, kills it with
SIGKILL at a varying point, then checks the journal with SQLite itself.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from rejection_journal.paths import database_path

WORKER = Path(__file__).with_name("worker.py")
SAVE_TRIALS = 200


def _check(db: Path) -> set[str]:
    """integrity_check must say ok; returns the attempt UUIDs the journal holds."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {uuid for (uuid,) in connection.execute("SELECT uuid FROM attempt")}
    finally:
        connection.close()


def _kill_after(process: subprocess.Popen[str], lines: int) -> list[str]:
    """Read ``lines`` lines the worker printed after committing, then SIGKILL it mid-work."""
    assert process.stdout is not None
    seen = []
    while len(seen) < lines:
        line = process.stdout.readline()
        assert line, "worker died on its own"
        seen.append(line.strip())
    os.kill(process.pid, signal.SIGKILL)
    rest, _ = process.communicate(timeout=30)
    seen.extend(line.strip() for line in rest.splitlines())  # printed before the kill landed
    return seen


def test_kill_9_during_saves_loses_no_committed_entry(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    data = tmp_path / "journal"
    committed: set[str] = set()
    for trial in range(SAVE_TRIALS):
        with subprocess.Popen([sys.executable, str(WORKER), "save", str(data), f"t{trial}"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True) as worker:
            printed = _kill_after(worker, 1 + rng.randrange(12))
        assert worker.returncode == -signal.SIGKILL
        assert printed[0] == "ready"
        committed.update(printed[1:])
        stored = _check(database_path(data))
        missing = committed - stored
        assert not missing, f"trial {trial}: {len(missing)} committed entries lost"
    assert len(committed) > SAVE_TRIALS
