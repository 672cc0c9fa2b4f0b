"""kill -9 at the worst moments for the trust layer: an import's commit and checkpoint, a new
journal's first open, and a restore.  Afterwards a journal SQLite reads whole is never called
damaged, it opens with every committed entry, and no temp file outlives the next start.

Kill moments come from the worker's printed lines where it prints them (imports); the first
open and the CLI restore print nothing in between, so they are killed after a delay spread
evenly over the measured length of the operation (``Popen.wait(timeout)``, not a sleep).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.health import check_journal

from ..unit.damage import fill, stored_uuids
from .test_kill9 import WORKER, _export_file

TRUST_WORKER = Path(__file__).with_name("trust_worker.py")
LAUNCHER = Path(sys.executable).with_name("rejection-journal")
TRIALS = 50


def _sqlite_reads_whole(db: Path) -> bool:
    """Does SQLite read the journal (with its -wal) with integrity_check ok?  On a copy."""
    with tempfile.TemporaryDirectory() as folder:
        for suffix in ("", "-wal"):
            side = db.with_name(db.name + suffix)
            if side.exists():
                shutil.copyfile(side, Path(folder) / (db.name + suffix))
        conn = sqlite3.connect(Path(folder) / db.name)
        try:
            verdict: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
            return verdict == "ok"
        except sqlite3.DatabaseError:
            return False
        finally:
            conn.close()


def _kill(process: subprocess.Popen[str]) -> bool:
    """SIGKILL ``process`` unless it has already finished; True if it was killed."""
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    return killed


def _kill_after_line(process: subprocess.Popen[str], wanted: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == wanted:
            break
    _kill(process)


@pytest.mark.slow
def test_kill_9_at_an_imports_commit_or_checkpoint_is_never_called_damaged(
    tmp_path: Path,
) -> None:
    data = tmp_path / "journal"
    fill(data, 50)
    db = database_path(data)
    create_backup(db, backups_dir(data), "daily")  # so damage would offer "restore"
    size = 400
    files = [_export_file(tmp_path, f"export-{i}.json", size, seed=500 + i)
             for i in range(TRIALS)]
    committed = stored_uuids(db)
    for trial, (path, uuids) in enumerate(files):
        with subprocess.Popen([sys.executable, str(WORKER), "import", str(data), str(path)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True) as worker:
            # The last progress line comes just before the commit; "done" just before close,
            # whose checkpoint copies the log into the journal file.
            _kill_after_line(worker, f"progress {size}" if trial % 2 else "done")
        if trial % 2 == 0:
            committed |= uuids
        damage = check_journal(db)
        whole = _sqlite_reads_whole(db)
        assert whole, f"trial {trial}: SQLite itself cannot read the journal"
        assert damage is None, f"trial {trial}: called {damage} although SQLite reads it"
        with open_journal(data) as journal:
            stored = {a.uuid for a in journal.attempts()}
        assert committed <= stored, f"trial {trial}: {len(committed - stored)} entries lost"
        committed = stored


def _open_duration(tmp_path: Path) -> float:
    """How long a first open takes in the worker, "ready" to "closed" (median of 3)."""
    times = []
    for i in range(3):
        with subprocess.Popen([sys.executable, str(TRUST_WORKER), "open",
                               str(tmp_path / f"timing-{i}")],
                              stdout=subprocess.PIPE, text=True) as worker:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
            start = time.monotonic()
            assert worker.stdout.readline().strip() == "opened"
            assert worker.stdout.readline().strip() == "closed"
            times.append(time.monotonic() - start)
            worker.communicate(timeout=60)
    return sorted(times)[1]


@pytest.mark.slow
def test_kill_9_during_a_new_journals_first_open_is_never_called_damaged(
    tmp_path: Path,
) -> None:
    span = _open_duration(tmp_path)
    states: Counter[str] = Counter()
    for trial in range(TRIALS):
        data = tmp_path / f"journal-{trial}"
        with subprocess.Popen([sys.executable, str(TRUST_WORKER), "open", str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True) as worker:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=span * trial / TRIALS)  # the kill moment, not a wait
            _kill(worker)
        db = database_path(data)
        sides = "+".join(s for s in ("-wal", "-journal") if db.with_name(db.name + s).exists())
        states[f"{db.stat().st_size if db.exists() else 'none'}{sides}"] += 1
        damage = check_journal(db)
        if db.exists() and db.stat().st_size:
            assert _sqlite_reads_whole(db), f"trial {trial}: SQLite cannot read it"
        assert damage is None, f"trial {trial}: called {damage} although SQLite reads it"
        with open_journal(data) as journal:
            assert journal.challenges(), f"trial {trial}: the journal did not open whole"
            assert journal.attempt_count() == 0
    assert len(states) > 1, states  # the kills landed at different stages


def _leftovers(data: Path) -> list[str]:
    return sorted(str(p.relative_to(data)) for p in data.rglob("*")
                  if ".tmp" in p.name)


@pytest.mark.slow
def test_kill_9_during_a_cli_restore_leaves_old_or_new_and_no_temp_files(
    tmp_path: Path,
) -> None:
    assert LAUNCHER.exists(), "install the app into the test venv (make test does this)"
    data = tmp_path / "journal"
    sources = tmp_path / "sources"
    sources.mkdir()
    contents = []
    for i, count in enumerate((1500, 1800)):
        folder = tmp_path / f"content-{i}"
        uuids = fill(folder, count, seed=40 + i)
        backup = create_backup(database_path(folder), backups_dir(folder), "manual")
        contents.append((shutil.copy(backup.path, sources / f"content-{i}.sqlite3"), uuids))
    shutil.copytree(tmp_path / "content-0", data)
    shutil.rmtree(backups_dir(data))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def restore(source: Path | str) -> subprocess.Popen[str]:
        return subprocess.Popen([str(LAUNCHER), "--data-dir", str(data), "restore", str(source)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)

    start = time.monotonic()
    with restore(contents[1][0]) as full:
        assert full.wait(timeout=120) == 0, full.stderr.read() if full.stderr else ""
    # How long a restore takes, kept up to date as the trials run: on a busy machine restores
    # slow down, and kill moments spread over a stale length would all land early.
    span = time.monotonic() - start
    current = 1
    rng = random.Random(6)
    outcomes: Counter[str] = Counter()
    for trial in range(TRIALS):
        wanted = 1 - current
        delay = span * (0.2 + 0.9 * (trial + rng.random()) / TRIALS)
        began = time.monotonic()
        with restore(contents[wanted][0]) as worker:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=delay)  # the kill moment, not a wait
            finished = not _kill(worker)
        # A restore that finished says how long one takes now; one killed took longer than
        # its delay.
        span = time.monotonic() - began if finished else max(span, delay * 1.1)
        with open_journal(data) as journal:  # the next start: removes what the kill left
            stored = {a.uuid for a in journal.attempts()}
        assert stored in (contents[0][1], contents[1][1]), (
            f"trial {trial}: a mix of old and restored entries ({len(stored)})")
        assert _leftovers(data) == [], f"trial {trial}: {_leftovers(data)}"
        assert check_journal(database_path(data)) is None
        new = stored == contents[wanted][1]
        outcomes["finished" if finished else "restored" if new else "old"] += 1
        if new:
            current = wanted
    assert outcomes["old"] >= 5 and outcomes["restored"] + outcomes["finished"] >= 5, outcomes
