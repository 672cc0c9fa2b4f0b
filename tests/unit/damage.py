"""Real journals, really damaged: helpers shared by the backup and health tests."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.paths import database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.health import sqlite_uri


def fill(data_dir: Path, count: int, *, seed: int = 1) -> set[str]:
    """Create (or add to an empty) journal with ``count`` demo attempts; returns their UUIDs."""
    records = generate_attempts(builtin_challenges(), count, seed=seed, today=date(2024, 6, 30))
    with open_journal(data_dir) as journal:
        journal.add_demo_attempts(records)
    return {r.uuid for r in records}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name -> SHA-256): proves nothing was touched."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stored_uuids(db_path: Path) -> set[str]:
    """The attempts a database file holds, read by SQLite itself (file alone, read-only)."""
    conn = sqlite3.connect(sqlite_uri(db_path, "mode=ro&immutable=1"), uri=True)
    try:
        return {uuid for (uuid,) in conn.execute("SELECT uuid FROM attempt")}
    finally:
        conn.close()


def journal_id(db_path: Path) -> str:
    """The id a database file says its journal has (file alone, read-only)."""
    conn = sqlite3.connect(sqlite_uri(db_path, "mode=ro&immutable=1"), uri=True)
    try:
        return str(conn.execute("SELECT journal_id FROM journal_meta").fetchone()[0])
    finally:
        conn.close()


def corrupt_attempt_tree(db_path: Path) -> None:
    """Overwrite the cell pointers in the middle of the ``attempt`` table's root b-tree page.

    With thousands of attempts the root is an interior page; pointing its cells outside the
    page is damage ``PRAGMA quick_check`` always reports (garbage in unused space would not be).
    """
    conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True)
    try:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'attempt'").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = bytearray(db_path.read_bytes())
    page = (root - 1) * page_size
    assert data[page] == 0x05, "expected an interior table page: add more attempts"
    (cells,) = struct.unpack_from(">H", data, page + 3)
    start = page + 12  # the cell pointer array follows the 12-byte interior page header
    data[start : start + 2 * cells] = b"\xff" * (2 * cells)
    db_path.write_bytes(bytes(data))


_WRITER = """
import sys
from datetime import date
from pathlib import Path
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import open_journal
from rejection_journal.storage.health import sqlite_uri

journal = open_journal(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    saved = journal.save_attempt(AttemptRecord(ask=f"Late ask {i}", attempted_on=date(2024, 7, 1)))
    print(saved.uuid, flush=True)
print("ready", flush=True)
sys.stdin.read()
"""


def crash_after_saving(data_dir: Path, count: int) -> set[str]:
    """Save ``count`` attempts in another process and kill it with SIGKILL before it closes.

    The saves are committed but still in the write-ahead log: the journal is left with its
    ``-wal`` and ``-shm``, as after a crash or power cut.  Returns the saved UUIDs.
    """
    with subprocess.Popen([sys.executable, "-c", _WRITER, str(data_dir), str(count)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as writer:
        assert writer.stdout is not None
        saved = set()
        for line in writer.stdout:
            if line.strip() == "ready":
                break
            saved.add(line.strip())
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    db = database_path(data_dir)
    assert len(saved) == count
    assert db.with_name(db.name + "-wal").stat().st_size > 0
    assert db.with_name(db.name + "-shm").exists()
    return saved
