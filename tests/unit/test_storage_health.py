"""A damaged journal is recognised before it is opened, left untouched, and can be restored."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import StorageError, open_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.backup_list import list_backups
from rejection_journal.storage.errors import DamagedJournalError
from rejection_journal.storage.health import (
    DamageKind,
    check_journal,
    damaged_copies,
    move_aside,
)
from rejection_journal.storage.models import current_database, database
from rejection_journal.storage.restore import restore_backup
from rejection_journal.storage.sqlite_files import LiveFileError

from .damage import corrupt_attempt_tree, crash_after_saving, fill, snapshot, stored_uuids

# -- healthy journals ----------------------------------------------------------------------

def test_a_missing_journal_or_a_brand_new_empty_file_is_not_damage(data_dir: Path) -> None:
    path = database_path(data_dir)
    assert check_journal(path) is None
    data_dir.mkdir()
    path.touch()
    assert check_journal(path) is None  # created but not written yet, and no backups
    with open_journal(data_dir) as journal:
        assert journal.attempt_count() == 0


def test_checking_a_closed_journal_reads_only(data_dir: Path) -> None:
    fill(data_dir, 40)
    before = snapshot(data_dir)
    assert check_journal(database_path(data_dir)) is None
    assert snapshot(data_dir) == before  # same bytes, and no -wal or -shm left beside it


# Another process that keeps the journal open, one save still in its write-ahead log.
_HOLD_OPEN = """
import sys
from pathlib import Path
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import open_journal
journal = open_journal(Path(sys.argv[1]))
journal.save_attempt(AttemptRecord(ask="Ask for a discount", attempted_on=__import__(
    "datetime").date(2024, 3, 10)))
print("saved", flush=True)
sys.stdin.read()
journal.close()
"""


@pytest.mark.subprocess
def test_checking_a_journal_open_elsewhere_reads_only(data_dir: Path) -> None:
    with subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(data_dir)], text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        assert holder.stdout.readline().strip() == "saved"
        before = snapshot(data_dir)
        assert {"journal.sqlite3-wal", "journal.sqlite3-shm"} <= set(before)
        assert check_journal(database_path(data_dir)) is None
        assert snapshot(data_dir) == before
        holder.stdin.close()
    assert holder.returncode == 0


def test_a_journal_open_in_this_process_is_never_read_around_sqlite(journal) -> None:
    # Its header is not read with plain I/O: closing that descriptor would drop the
    # connection's locks (SQLite's "How To Corrupt", section 2.2).
    with pytest.raises(LiveFileError):
        check_journal(journal.path)


@pytest.mark.subprocess
def test_a_journal_left_by_a_crash_is_not_damage(data_dir: Path) -> None:
    kept = fill(data_dir, 30)
    late = crash_after_saving(data_dir, 5)
    before = snapshot(data_dir)
    assert check_journal(database_path(data_dir)) is None
    assert snapshot(data_dir) == before
    with open_journal(data_dir) as journal:  # SQLite recovers the log as usual
        assert {a.uuid for a in journal.attempts()} == kept | late


@pytest.mark.subprocess
def test_a_log_without_its_index_is_checked_without_creating_one(data_dir: Path) -> None:
    fill(data_dir, 10)
    crash_after_saving(data_dir, 3)
    path = database_path(data_dir)
    os.unlink(path.with_name(path.name + "-shm"))  # e.g. copied to another machine without it
    before = snapshot(data_dir)
    assert check_journal(path) is None
    assert snapshot(data_dir) == before


# -- each kind of damage, made for real ----------------------------------------------------

def _garbage(path: Path) -> None:
    path.write_bytes(b"Shopping list: milk, eggs, courage.\n" * 300)


def _truncated(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)


def _emptied(path: Path) -> None:
    path.write_bytes(b"")


def _cut_mid_page(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2 + 100)


DAMAGE: dict[str, tuple[Callable[[Path], None], DamageKind, str]] = {
    "garbage": (_garbage, DamageKind.NOT_A_DATABASE, "no longer holds a journal"),
    "cut in half": (_truncated, DamageKind.TRUNCATED, "incomplete: part of it is missing"),
    "cut mid-page": (_cut_mid_page, DamageKind.TRUNCATED, "incomplete: part of it is missing"),
    "emptied": (_emptied, DamageKind.EMPTY, "empty, although it held entries before"),
    "b-tree page": (corrupt_attempt_tree, DamageKind.CORRUPTED, "damaged inside"),
}


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A closed journal with 3,000 attempts (built once; tests copy it)."""
    folder = tmp_path_factory.mktemp("big") / "journal"
    uuids = fill(folder, 3000)
    return folder, uuids


@pytest.mark.parametrize("how", list(DAMAGE))
def test_each_damage_is_named_and_the_journal_is_left_untouched_then_restored(
    how: str, big_journal: tuple[Path, set[str]], tmp_path: Path
) -> None:
    damage_it, kind, words = DAMAGE[how]
    data_dir = tmp_path / "journal"
    shutil.copytree(big_journal[0], data_dir)
    path = database_path(data_dir)
    backup = create_backup(path, backups_dir(data_dir), "manual")
    damage_it(path)
    damaged_bytes = path.read_bytes()
    before = snapshot(data_dir)

    damage = check_journal(path)
    assert damage is not None
    assert damage.kind is kind
    assert words in damage.message
    assert "\n" not in damage.message and "Traceback" not in damage.message

    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.damage == damage
    assert caught.value.backup == backup.path
    assert backup.path.name in str(caught.value)
    assert snapshot(data_dir) == before  # not a byte changed, no file added
    assert current_database() is None

    assert caught.value.backup is not None
    assert restore_backup(caught.value.backup, data_dir) is None  # moved aside, not backed up
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == big_journal[1]
    (kept,) = damaged_copies(data_dir)
    assert kept.read_bytes() == damaged_bytes  # the damaged journal is kept, never deleted


def test_an_empty_file_with_no_backups_is_a_new_journal_not_damage(data_dir: Path) -> None:
    fill(data_dir, 5)
    _emptied(database_path(data_dir))
    assert check_journal(database_path(data_dir)) is None


@pytest.mark.subprocess
def test_a_lost_write_ahead_log_is_detected_before_opening(data_dir: Path) -> None:
    kept = fill(data_dir, 30)
    with open_journal(data_dir, daily_backup=True) as journal:
        assert journal.daily_backup is not None
    late = crash_after_saving(data_dir, 4)
    path = database_path(data_dir)
    os.unlink(path.with_name(path.name + "-wal"))  # the -shm stays: the log was lost
    assert stored_uuids(path) == kept  # what a plain open would silently show
    before = snapshot(data_dir)

    damage = check_journal(path)
    assert damage is not None
    assert damage.kind is DamageKind.LOST_WAL
    assert "most recent changes were lost" in damage.message
    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.damage.kind is DamageKind.LOST_WAL
    assert snapshot(data_dir) == before  # opening would have deleted the -shm: it did not

    assert caught.value.backup is not None
    assert restore_backup(caught.value.backup, data_dir) is None
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == kept
        assert not late & {a.uuid for a in journal.attempts()}
    (aside,) = damaged_copies(data_dir)
    assert aside.with_name(aside.name + "-shm").exists()  # the evidence moves with it


def test_an_index_left_after_a_clean_close_is_not_a_lost_log(
    data_dir: Path, make_attempt
) -> None:
    fill(data_dir, 10)
    path = database_path(data_dir)
    # A crash in the instant between SQLite deleting the log and its index leaves the index
    # of a log that was fully copied back: nothing is lost.
    with open_journal(data_dir) as journal:
        journal.save_attempt(make_attempt())
        shm = path.with_name(path.name + "-shm")
        database.execute_sql("PRAGMA wal_checkpoint(FULL)")
        saved_index = shm.read_bytes()
    frames, backfilled = (int.from_bytes(saved_index[i : i + 4], sys.byteorder) for i in (16, 96))
    assert frames == backfilled > 0  # the index remembers a log, all of it copied back
    assert not shm.exists()
    shm.write_bytes(saved_index)
    assert check_journal(path) is None


def test_damage_with_no_backup_says_so(data_dir: Path) -> None:
    fill(data_dir, 5)
    _garbage(database_path(data_dir))
    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.backup is None
    assert "no backup" in str(caught.value)
    assert isinstance(caught.value, StorageError)


def test_damage_names_the_newest_good_backup_skipping_bad_ones(data_dir: Path) -> None:
    fill(data_dir, 5)
    path = database_path(data_dir)
    good = create_backup(path, backups_dir(data_dir), "daily")
    unreadable = create_backup(path, backups_dir(data_dir), "pre-import")
    _garbage(unreadable.path)  # a backup that cannot even be read
    newer = create_backup(path, backups_dir(data_dir), "manual")
    # The newest backup is itself damaged: one byte of it changed after it was made (it still
    # says whose it is and how new; unreadable, it could not be told newest at all).
    spoilt = bytearray(newer.path.read_bytes())
    spoilt[-100] ^= 0xFF
    newer.path.write_bytes(bytes(spoilt))
    assert list_backups(backups_dir(data_dir))[0].path == newer.path
    _truncated(path)
    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.backup == good.path


# -- moving aside --------------------------------------------------------------------------

@pytest.mark.subprocess
def test_move_aside_keeps_every_file_and_never_overwrites(data_dir: Path) -> None:
    fill(data_dir, 3)
    crash_after_saving(data_dir, 2)
    path = database_path(data_dir)
    before = snapshot(data_dir)
    first = move_aside(path)
    assert first.name.startswith("journal.damaged-") and first.name.endswith("Z.sqlite3")
    assert not path.exists()
    assert not path.with_name(path.name + "-wal").exists()
    moved = {name.replace("journal.sqlite3", first.name): digest
             for name, digest in before.items()}
    assert snapshot(data_dir) == moved

    path.write_bytes(b"second damaged journal")
    second = move_aside(path)  # same second: a new name, the first one is untouched
    assert second != first
    assert second.read_bytes() == b"second damaged journal"
    assert snapshot(data_dir)[first.name] == before["journal.sqlite3"]
    assert damaged_copies(data_dir) == [second, first]
