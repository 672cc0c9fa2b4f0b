"""kill -9 at any moment of turning passphrase protection on or off: afterwards the journal
is the old one or the new one - plain or encrypted, never neither and never a mix - it opens
with every entry, and no temp file outlives the next start.

Conversions print nothing in between, so each is killed after a delay spread over the
measured length of one (``Popen.wait(timeout)``, not a sleep), like the restore loop.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from rejection_journal.paths import database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.protection import is_encrypted

from ..conftest import same_clock
from ..unit.damage import fill
from .test_kill9_trust import _kill, _leftovers

WORKER = Path(__file__).with_name("protect_worker.py")
PASSPHRASE = "a long walk home"
TRIALS = 40


def _convert(data: Path, command: str) -> subprocess.Popen[str]:
    env = {**os.environ, **same_clock(), "REJECTION_JOURNAL_PASSPHRASE": PASSPHRASE}
    worker = subprocess.Popen([sys.executable, str(WORKER), command, str(data)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    return worker


@pytest.mark.slow
def test_kill_9_during_protect_or_unprotect_leaves_old_or_new_whole(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    uuids = fill(data, 1500)
    db = database_path(data)
    began = time.monotonic()
    with _convert(data, "protect") as first:
        assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    span = time.monotonic() - began
    outcomes: Counter[str] = Counter()
    for trial in range(TRIALS):
        encrypted = is_encrypted(db)
        delay = span * (0.1 + 1.0 * (trial + 0.5) / TRIALS)
        began = time.monotonic()
        with _convert(data, "unprotect" if encrypted else "protect") as worker:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.wait(timeout=delay)  # the kill moment, not a wait
            finished = not _kill(worker)
        span = time.monotonic() - began if finished else max(span, delay * 1.1)
        # The next start puts back a journal killed mid-swap and removes the temp files.
        passphrase = PASSPHRASE if is_encrypted(db) or not db.exists() else None
        with open_journal(data, passphrase=passphrase) as journal:
            stored = {a.uuid for a in journal.attempts()}
        assert stored == uuids, f"trial {trial}: {len(stored)} entries"
        assert _leftovers(data) == [], f"trial {trial}: {_leftovers(data)}"
        now = is_encrypted(db)
        outcomes["finished" if finished else "new" if now != encrypted else "old"] += 1
    assert outcomes["old"] >= 5 and outcomes["new"] + outcomes["finished"] >= 5, outcomes
