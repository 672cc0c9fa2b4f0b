"""One writer per journal: a second start wakes the first; a killed holder's lock is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from rejection_journal.lock import journal_lock, try_lock
from rejection_journal.paths import ensure_private_dir, lock_path
from rejection_journal.ui.single_instance import SingleInstance
from tests.conftest import same_clock


def test_second_start_brings_the_running_window_forward_and_writes_nothing(
    qtbot, launcher: Path, tmp_path: Path
) -> None:
    data = ensure_private_dir(tmp_path / "journal")
    running = SingleInstance(data)  # stands in for the first, running app
    assert running.acquire()
    assert running.listen()
    try:
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
               "REJECTION_JOURNAL_DATA_DIR": str(data), **same_clock()}
        with qtbot.waitSignal(running.activationRequested, timeout=30_000):
            second = subprocess.Popen([str(launcher)], env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        _out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
    finally:
        running.release()
    assert not (data / "journal.sqlite3").exists(), "the second start never opened the journal"


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    data = ensure_private_dir(tmp_path / "journal")
    with subprocess.Popen(
        [sys.executable, "-c", (
            "import sys; from pathlib import Path;"
            "from rejection_journal.lock import journal_lock, try_lock;"
            f"lock = journal_lock(Path({str(data)!r})); assert lock.tryLock(0);"
            "print('locked', flush=True); sys.stdin.read()"
        )],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        assert not journal_lock(data).tryLock(0), "held by a live process"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
    lock = journal_lock(data)
    assert try_lock(lock, data), "a stale lock from a killed process is taken over"
    assert oct(lock_path(data).stat().st_mode & 0o777) == "0o600"
    lock.unlock()
