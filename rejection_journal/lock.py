"""The one-writer guard: a lock file in the data folder, held by whoever writes the journal.

``QLockFile`` writes the holder's PID, host and application name into the file, so a lock left
behind by a killed process is recognised as stale and taken over.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QLockFile

from rejection_journal.paths import FILE_MODE, lock_path, restrict_mode


def journal_lock(data_dir: Path) -> QLockFile:
    lock = QLockFile(str(lock_path(data_dir)))
    lock.setStaleLockTime(0)  # never stale by age; only when its process is gone
    return lock


def try_lock(lock: QLockFile, data_dir: Path, timeout_ms: int = 0) -> bool:
    """Take ``lock`` (a stale one is taken over) and make the lock file private."""
    if not lock.tryLock(timeout_ms):
        return False
    with contextlib.suppress(OSError):
        restrict_mode(lock_path(data_dir), FILE_MODE)
    return True


def holder_pid(lock: QLockFile) -> int | None:
    ok, pid, _host, _app = lock.getLockInfo()
    return pid if ok else None


def server_name(data_dir: Path) -> str:
    """A per-user, per-journal name for the channel a second start uses to wake the first."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"rejection-journal-{uid}-{digest}"
