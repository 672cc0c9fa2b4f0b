"""restore reads a source's -wal, refuses foreign databases and the journal itself, writes
through a symlink, rolls itself back, and leaves no temp files once a killed one is over."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import StorageError, open_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.health import check_journal
from rejection_journal.storage.restore import _put_in_place, remove_leftovers, restore_backup

from .damage import crash_after_saving, fill, snapshot, stored_uuids


def _uuids(data_dir: Path) -> set[str]:
    with open_journal(data_dir) as journal:
        return {a.uuid for a in journal.attempts()}


@pytest.mark.parametrize("with_index", [True, False], ids=["wal and shm", "wal only"])
@pytest.mark.subprocess
def test_restore_reads_the_committed_log_beside_the_source(
    with_index: bool, tmp_path: Path
) -> None:
    source_dir = tmp_path / "other-machine"
    kept = fill(source_dir, 10)
    late = crash_after_saving(source_dir, 4)  # committed, still only in the source's -wal
    source = database_path(source_dir)
    if not with_index:
        source.with_name(source.name + "-shm").unlink()
    assert stored_uuids(source) == kept  # the file alone lacks them
    before = snapshot(source_dir)
    data_dir = tmp_path / "journal"
    fill(data_dir, 2, seed=7)

    assert restore_backup(source, data_dir) is not None
    assert _uuids(data_dir) == kept | late
    assert snapshot(source_dir) == before  # the source was only read


def _same_names_other_columns(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE challenge (id INTEGER PRIMARY KEY, uuid TEXT, title TEXT)")
    conn.execute("CREATE TABLE attempt (id INTEGER PRIMARY KEY, uuid TEXT, mood INTEGER)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _one_column_more(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE attempt ADD COLUMN mood INTEGER")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("spoil", [_same_names_other_columns, _one_column_more],
                         ids=["other columns", "one column more"])
def test_a_foreign_database_is_refused_in_one_line(spoil, data_dir: Path,
                                                   tmp_path: Path) -> None:
    uuids = fill(data_dir, 5)
    create_backup(database_path(data_dir), backups_dir(data_dir), "manual")
    candidate = tmp_path / "recipes.sqlite3"
    if spoil is _one_column_more:
        shutil.copyfile(create_backup(database_path(data_dir), backups_dir(data_dir),
                                      "manual").path, candidate)
    spoil(candidate)
    before = snapshot(data_dir)
    with pytest.raises(StorageError) as caught:
        restore_backup(candidate, data_dir)
    message = str(caught.value)
    assert message.startswith("recipes.sqlite3 cannot be restored: it is not a journal backup")
    assert "\n" not in message
    assert snapshot(data_dir) == before
    assert _uuids(data_dir) == uuids


@pytest.mark.subprocess
def test_restoring_the_journal_onto_itself_is_refused(data_dir: Path) -> None:
    fill(data_dir, 5)
    crash_after_saving(data_dir, 3)  # its newest entries are only in its log
    path = database_path(data_dir)
    before = snapshot(data_dir)
    with pytest.raises(StorageError, match="is the journal itself"):
        restore_backup(path, data_dir)
    assert snapshot(data_dir) == before


def test_restore_writes_through_a_symlinked_journal_and_keeps_the_link(tmp_path: Path) -> None:
    synced = tmp_path / "Sync"
    real_dir = synced / "journal"
    old = fill(real_dir, 5)
    backup = create_backup(database_path(real_dir), backups_dir(real_dir), "manual")
    newer = fill(tmp_path / "newer", 8, seed=3)
    data_dir = tmp_path / "journal"
    data_dir.mkdir(mode=0o700)
    link = database_path(data_dir)
    link.symlink_to(database_path(tmp_path / "newer"))
    assert _uuids(data_dir) == newer

    restore_backup(backup.path, data_dir)

    assert link.is_symlink()
    assert link.resolve() == database_path(tmp_path / "newer")
    assert stored_uuids(database_path(tmp_path / "newer")) == old  # the target has it
    assert _uuids(data_dir) == old
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", "journal.sqlite3"]
    assert not [p for p in (tmp_path / "newer").iterdir() if ".tmp" in p.name]


def test_a_swap_that_does_not_open_puts_the_previous_journal_back_exactly(
    data_dir: Path, tmp_path: Path
) -> None:
    fill(data_dir, 5)
    path = database_path(data_dir)
    before = snapshot(data_dir)
    bad = data_dir / ".journal.sqlite3.1.abcd.restore.tmp"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(StorageError, match="put back as it was"):
        _put_in_place(bad, path)
    assert snapshot(data_dir) == before
    assert check_journal(path) is None


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.subprocess
def test_the_next_start_removes_what_killed_operations_left(data_dir: Path) -> None:
    uuids = fill(data_dir, 5)
    backups = backups_dir(data_dir)
    backups.mkdir(exist_ok=True)
    dead = _dead_pid()
    with subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                          stdin=subprocess.PIPE) as running:
        leftovers = [
            data_dir / f".journal.sqlite3.{dead}.0a1b2c3d.restore.tmp",
            data_dir / f".journal.sqlite3.{dead}.0a1b2c3d.restore.tmp-journal",
            data_dir / f".journal.sqlite3.{dead}.1a1b2c3d.restore-old.tmp",
            backups / f".journal-{dead}-abcd1234.tmp",
            backups / f".journal-{dead}-abcd1234.tmp-journal",
        ]
        kept = [
            data_dir / f".journal.sqlite3.{running.pid}.0a1b2c3d.restore.tmp",
            backups / f".journal-{running.pid}-abcd1234.tmp",
            data_dir / ".journal.sqlite3.abcd1234.restore.tmp",  # no PID, and young
            backups / ".journal-abcd1234.tmp",
        ]
        old_legacy = data_dir / ".journal.sqlite3.zyxw9876.restore.tmp"
        for path in [*leftovers, *kept, old_legacy]:
            path.write_bytes(b"a copy of the journal")
        src = data_dir / f".journal.sqlite3.{dead}.2a1b2c3d.restore-src.tmp"
        src.mkdir()
        (src / "journal.sqlite3").write_bytes(b"copy")
        day_ago = old_legacy.stat().st_mtime - 2 * 86400  # by the file system's clock
        os.utime(old_legacy, (day_ago, day_ago))

        with open_journal(data_dir) as journal:
            assert {a.uuid for a in journal.attempts()} == uuids
        assert [p for p in [*leftovers, src, old_legacy] if os.path.lexists(p)] == []
        assert all(p.exists() for p in kept)
        running.stdin.close()  # type: ignore[union-attr]
    running.wait()
    remove_leftovers(data_dir)
    assert [p.name for p in kept if p.exists()] == [kept[2].name, kept[3].name]


@pytest.mark.subprocess
def test_a_restore_killed_mid_swap_gets_its_journal_back_on_the_next_start(
    data_dir: Path,
) -> None:
    uuids = fill(data_dir, 5)
    path = database_path(data_dir)
    moved = data_dir / f".journal.sqlite3.{_dead_pid()}.0a1b2c3d.restore-old.tmp"
    os.rename(path, moved)  # the instant between moving the journal away and the new one in
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == uuids
    assert not moved.exists()
