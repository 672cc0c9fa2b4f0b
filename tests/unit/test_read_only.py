"""Read-only journals: opened without writing a byte, and never given permissions back.

Tests here run as root in CI, where permission bits stop nothing; they check what the app
*does* to files (modes, bytes, side files).  What a non-root user meets (a 0400 journal, a
read-only folder or disk) is tested with real processes in ``tests/e2e/test_read_only.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import DB_FILENAME, ensure_private_dir
from rejection_journal.storage import (
    EnvironmentStorageError,
    NewerJournalError,
    StorageError,
    open_journal,
)

Snapshot = dict[str, tuple[str, int, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under ``folder`` (and the folder itself): bytes, mode, size, mtime."""
    out: Snapshot = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        out[str(path.relative_to(folder))] = (digest, stat.S_IMODE(st.st_mode), st.st_size,
                                              st.st_mtime_ns)
    return out


def _but_the_folder_time(snap: Snapshot) -> Snapshot:
    """A snapshot without the data folder's own mtime.  Reading a journal that another process
    may write needs a private copy, and that copy is made *inside* the data folder (issue 18:
    never a plaintext copy outside it) and removed on close: the folder's time moves, while
    every file's bytes, mode and time, the folder's mode and the set of files stay the same."""
    digest, mode, size, _mtime = snap["."]
    return {**snap, ".": (digest, mode, size, 0)}


def _record(ask: str) -> AttemptRecord:
    return AttemptRecord(ask=ask, attempted_on=date(2024, 5, 1))


def make_journal(data: Path, asks: list[str]) -> None:
    with open_journal(data) as journal:
        for ask in asks:
            journal.save_attempt(_record(ask))


def leave_wal(data: Path, asks: list[str]) -> None:
    """Save ``asks`` in another process that then dies: they are only in the -wal (+ -shm)."""
    code = (
        "import os, sys; from datetime import date; from pathlib import Path;"
        "from rejection_journal.storage import open_journal;"
        "from rejection_journal.domain.records import AttemptRecord;"
        "j = open_journal(Path(sys.argv[1]));"
        "[j.save_attempt(AttemptRecord(ask=a, attempted_on=date(2024, 5, 2)))"
        " for a in sys.argv[2:]];"
        "os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(data), *asks], check=True, timeout=60)
    assert (data / f"{DB_FILENAME}-wal").stat().st_size > 0


# -- permissions are only ever taken away ------------------------------------------------------

def test_restrict_mode_removes_bits_and_never_adds_any(tmp_path: Path) -> None:
    from rejection_journal.paths import restrict_mode

    shared = tmp_path / "shared"
    shared.write_text("x")
    shared.chmod(0o664)
    assert restrict_mode(shared, 0o600) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o600
    frozen = tmp_path / "frozen"
    frozen.write_text("x")
    frozen.chmod(0o444)
    assert restrict_mode(frozen, 0o600) == 0o400
    assert stat.S_IMODE(frozen.stat().st_mode) == 0o400
    fd = os.open(frozen, os.O_RDONLY)
    try:
        assert restrict_mode(fd, 0o600) == 0o400
    finally:
        os.close(fd)


def test_a_folder_made_read_only_stays_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    folder.mkdir()
    folder.chmod(0o555)
    ensure_private_dir(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o500, "no write permission was added"


def test_a_writable_open_refuses_a_read_only_journal_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount"])
    (data / DB_FILENAME).chmod(0o400)
    before = snapshot(data)
    with pytest.raises(EnvironmentStorageError, match=r"This journal is read-only because the "
                                                      r"file journal\.sqlite3 is read-only"):
        open_journal(data)
    assert snapshot(data) == before


def test_a_writable_open_refuses_a_read_only_folder(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount"])
    data.chmod(0o500)
    before = snapshot(data)
    with pytest.raises(EnvironmentStorageError, match=r"its folder .* is read-only"):
        open_journal(data)
    assert snapshot(data) == before


@pytest.mark.parametrize("side", ["-wal", "-shm"])
@pytest.mark.subprocess
def test_a_read_only_side_file_is_named(tmp_path: Path, side: str) -> None:
    """A 0400 -shm (as old backups left) made every save fail with a misleading message."""
    from rejection_journal.storage.readonly import read_only_reason

    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount"])
    leave_wal(data, ["Ask for a later checkout"])
    (data / f"{DB_FILENAME}{side}").chmod(0o400)
    assert read_only_reason(data) == f"the file {DB_FILENAME}{side} beside it is read-only"


def test_a_healthy_writable_journal_is_not_read_only(tmp_path: Path) -> None:
    from rejection_journal.storage.readonly import read_only_reason

    data = tmp_path / "journal"
    assert read_only_reason(data) is None  # not there yet: it will be created
    make_journal(data, ["Ask for a discount"])
    assert read_only_reason(data) is None


# -- open_journal(read_only=True) writes nothing -----------------------------------------------

STATES = ["clean", "wal-and-shm", "wal-only"]


@pytest.mark.parametrize("file_mode", [0o600, 0o400])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.subprocess
def test_a_read_only_open_reads_everything_and_writes_nothing(
    tmp_path: Path, state: str, file_mode: int
) -> None:
    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount", "Ask a stranger for the time"])
    expected = {"Ask for a discount", "Ask a stranger for the time"}
    if state != "clean":
        leave_wal(data, ["Ask for a later checkout"])  # committed, still only in the -wal
        expected.add("Ask for a later checkout")
    if state == "wal-only":
        (data / f"{DB_FILENAME}-shm").unlink()
    (data / DB_FILENAME).chmod(file_mode)
    before = snapshot(data)

    journal = open_journal(data, read_only=True, daily_backup=True)
    try:
        assert journal.read_only
        assert {a.ask for a in journal.attempts()} == expected
        assert journal.challenges(), "the built-in challenges are there to browse"
        with pytest.raises(StorageError, match="This journal is read-only"):
            journal.save_attempt(_record("Ask for a free upgrade"))
        with pytest.raises(StorageError, match="This journal is read-only"):
            journal.delete_attempt(journal.attempts()[0].uuid)
        with pytest.raises(StorageError, match="This journal is read-only"):
            journal.backup()
        assert journal.daily_backup is None
    finally:
        journal.close()
    assert _but_the_folder_time(snapshot(data)) == _but_the_folder_time(before), (
        "not a byte, mode or side file changed")

    # Nothing left behind gets in the way of writing once the journal is writable again.
    (data / DB_FILENAME).chmod(0o600)
    with open_journal(data) as journal:
        assert not journal.read_only
        journal.save_attempt(_record("Ask for a free upgrade"))
        assert journal.attempt_count() == len(expected) + 1


def test_the_reason_is_named_when_the_file_is_read_only(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount"])
    with open_journal(data, read_only=True) as journal:
        assert journal.read_only_reason == "it was opened for reading only"
    (data / DB_FILENAME).chmod(0o444)
    with open_journal(data, read_only=True) as journal:
        assert journal.read_only_reason == "the file journal.sqlite3 is read-only"


def test_a_read_only_open_creates_no_journal(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    with pytest.raises(StorageError, match="There is no journal in"):
        open_journal(data, read_only=True)
    assert not data.exists()
    data.mkdir()
    (data / DB_FILENAME).touch()
    before = snapshot(data)
    with pytest.raises(StorageError, match="There is no journal in"):
        open_journal(data, read_only=True)
    assert snapshot(data) == before


def test_a_journal_that_needs_upgrading_is_refused_read_only_and_left_alone(
    tmp_path: Path,
) -> None:
    data = tmp_path / "journal"
    data.mkdir()
    # A journal as release 1 wrote it (schema 1): this version would upgrade it first.
    shutil.copyfile(Path(__file__).parents[1] / "fixtures" / "schema-v1.sqlite3",
                    data / DB_FILENAME)
    before = snapshot(data)
    with pytest.raises(StorageError, match=r"needs upgrading .* needs a folder it can write to"):
        open_journal(data, read_only=True)
    assert _but_the_folder_time(snapshot(data)) == _but_the_folder_time(before)


def test_a_newer_journal_is_refused_read_only_too(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    make_journal(data, [])
    conn = sqlite3.connect(data / DB_FILENAME)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = snapshot(data)
    with pytest.raises(NewerJournalError):
        open_journal(data, read_only=True)
    assert _but_the_folder_time(snapshot(data)) == _but_the_folder_time(before)


@pytest.mark.subprocess
def test_a_read_only_copy_is_made_in_the_data_folder_removed_on_close_and_killed_ones_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stale = temp / "rejection-journal-read-killed"  # an older release's, two days old
    stale.mkdir()
    (stale / DB_FILENAME).write_text("a private copy")
    os.utime(stale, (0, os.path.getmtime(stale) - 2 * 86400))
    fresh = temp / "rejection-journal-read-running"  # an older release reading right now
    fresh.mkdir()

    data = tmp_path / "journal"
    make_journal(data, ["Ask for a discount"])
    leave_wal(data, ["Ask for a later checkout"])
    (data / f"{DB_FILENAME}-shm").unlink()  # a log without its index: read from a copy
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = [data / f".{DB_FILENAME}.{dead}.0a1b2c3d.read.tmp",  # a killed command's,
              temp / f"rejection-journal-read-{dead}-k2j3h4g5"]  # made a minute ago
    with subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                          stdin=subprocess.PIPE) as running:
        reading = data / f".{DB_FILENAME}.{running.pid}.0a1b2c3d.read.tmp"  # still reading
        for folder in (*killed, reading):
            folder.mkdir()
            (folder / DB_FILENAME).write_text("a private copy")

        journal = open_journal(data, read_only=True)
        assert sorted(temp.iterdir()) == [fresh]  # no copy of this journal outside its folder
        (copy,) = [p for p in data.glob(f".{DB_FILENAME}.{os.getpid()}.*.read.tmp")]
        assert stat.S_IMODE(copy.stat().st_mode) == 0o700
        assert not any(p.exists() for p in killed)  # whatever their age
        assert reading.exists()
        assert journal.attempt_count() == 2
        journal.close()
        assert not copy.exists()
        assert sorted(temp.iterdir()) == [fresh]
        running.stdin.close()  # type: ignore[union-attr]
    running.wait()
    open_journal(data, read_only=True).close()
    assert not reading.exists()
