"""kill -9 during saves and imports: nothing committed is lost, nothing is half-imported.

Each trial starts a real process that writes through the app's storage code, kills it with
SIGKILL at a varying point, then checks the journal with SQLite itself.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import database_path
from rejection_journal.storage.export import attempt_to_dict
from rejection_journal.storage.revisions import revision

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
    seen: list[str] = []
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


IMPORT_TRIALS = 100
IMPORT_SIZE = 1000  # attempts per file: five progress steps of 200, so kills land mid-import


def _export_file(tmp_path: Path, name: str, count: int, seed: int) -> tuple[Path, set[str]]:
    records = generate_attempts(builtin_challenges(), count, seed=seed, today=date(2026, 6, 1))
    document = {"format": "rejection-journal", "format_version": 6, "challenges": [],
                "ladders": [], "runs": [], "self_checks": [],
                "attempts": [{**attempt_to_dict(r), "revision": revision(r),
                              "earlier_revisions": []} for r in records]}
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path, {r.uuid for r in records}


def test_kill_9_during_imports_never_leaves_a_partial_import(tmp_path: Path) -> None:
    rng = random.Random(1123)
    data = tmp_path / "journal"
    files = [_export_file(tmp_path, f"export-{i}.json", IMPORT_SIZE, seed=100 + i)
             for i in range(IMPORT_TRIALS)]
    imported: set[str] = set()
    outcomes = {"complete": 0, "none": 0}
    for trial, (path, uuids) in enumerate(files):
        with subprocess.Popen([sys.executable, str(WORKER), "import", str(data), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True) as worker:
            # "ready", then progress 0, 200, ... 1000, then "done": kill after any of them.
            printed = _kill_after(worker, 1 + rng.randrange(8))
        stored = _check(database_path(data))
        assert imported <= stored, f"trial {trial}: an earlier import was lost"
        new = stored & uuids
        assert new in (set(), uuids), f"trial {trial}: partial import, {len(new)} of {len(uuids)}"
        assert stored - imported - uuids == set()
        if new:
            outcomes["complete"] += 1
            imported |= uuids
        else:
            outcomes["none"] += 1
            assert "done" not in printed, f"trial {trial}: reported done but nothing stored"
    # The kills must really have landed both before and after commits.
    assert outcomes["complete"] > 5 and outcomes["none"] > 5, outcomes


UNDO_TRIALS = 24
UNDO_SIZE = 3000  # the case: 3,000 entries imported into a journal of 10


def test_kill_9_during_the_undo_of_an_import_leaves_all_or_none(tmp_path: Path) -> None:
    """Issue 18 item 5: undo of an import is one transaction.  Killed after a varied number
    of its progress lines (0 to the last, 200 entries apart), or a varied time after the
    import committed, the journal holds the 3,010 entries or the 10, never a mix."""
    import shutil

    from rejection_journal.storage import open_journal

    rng = random.Random(18_5)
    path, uuids = _export_file(tmp_path, "big.json", UNDO_SIZE, seed=185)
    template = tmp_path / "template"
    with open_journal(template) as journal:
        for i in range(10):
            journal.save_attempt(AttemptRecord(ask=f"Mine {i}", attempted_on=date(2026, 1, 1)))
        mine = set(journal.attempt_uuids_sorted())
    outcomes = {"before": 0, "after": 0}
    for trial in range(UNDO_TRIALS):
        data = tmp_path / f"journal-{trial}"
        shutil.copytree(template, data)
        with subprocess.Popen([sys.executable, str(WORKER), "undo-import", str(data),
                               str(path)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) as worker:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "imported"
            if trial % 2:
                # a moment into the undo, spread over its length (not a sleep: the wait
                # ends early if the worker finishes)
                try:
                    worker.wait(timeout=0.02 * trial)
                except subprocess.TimeoutExpired:
                    os.kill(worker.pid, signal.SIGKILL)
                printed, _ = worker.communicate(timeout=60)
            else:
                printed = "\n".join(_kill_after(worker, rng.randrange(UNDO_SIZE // 200 + 2)))
        stored = _check(database_path(data))
        if stored == mine | uuids:
            outcomes["before"] += 1  # killed before the undo committed: the import stands
            assert "done" not in printed
        else:
            assert stored == mine, (f"trial {trial}: {len(stored)} entries, a partial undo "
                                    f"(expected {len(mine | uuids)} or {len(mine)})")
            outcomes["after"] += 1
        shutil.rmtree(data)
    assert outcomes["before"] > 3 and outcomes["after"] > 3, outcomes
