"""Issue 18 items 14 and 15: every write says one calm thing when the machine is at fault.

A locked database (another connection holding BEGIN EXCLUSIVE), a really full disk (a small
tmpfs), a folder path longer than SQLite opens, and an I/O error on a full disk: each gives an
:class:`EnvironmentStorageError` naming the real cause, and the journal is left as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import database_path
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.errors import EnvironmentStorageError, classify, watch_folder
from rejection_journal.storage.journal import Journal as JournalClass
from rejection_journal.storage.models import database
from tests.small_disk import fill_up, needs_mount, small_disk

#: the names of Journal's methods that write (everything else only reads)
WRITE_PREFIXES = ("save_", "delete_", "restore_", "add_", "remove_", "sync_", "backup")


def test_every_write_method_goes_through_the_one_error_sorting_wrapper() -> None:
    writes = [name for name in dir(JournalClass)
              if name.startswith(WRITE_PREFIXES) and callable(getattr(JournalClass, name))]
    assert "delete_attempt" in writes and len(writes) >= 15
    unsorted = [name for name in writes
                if not getattr(getattr(JournalClass, name), "writes", False)]
    assert unsorted == []


def _rows(journal: Journal) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(f"file:{journal.path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT * FROM attempt ORDER BY id").fetchall()
    finally:
        connection.close()


@contextlib.contextmanager
def _locked(journal: Journal) -> Iterator[None]:
    """Another program holds the journal's write lock (BEGIN EXCLUSIVE) meanwhile."""
    database.execute_sql("PRAGMA busy_timeout = 100")  # wait 0.1 s for it, not 5
    other = sqlite3.connect(journal.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


WRITES: dict[str, Callable[[Journal, AttemptRecord], object]] = {
    "delete an entry": lambda j, e: j.delete_attempt(e.uuid),
    "save an entry": lambda j, e: j.save_attempt(e.replace(lesson="Changed")),
    "keep a draft": lambda j, e: j.save_draft("editor", "{}", e.uuid),
    "forget a draft": lambda j, e: j.delete_draft("editor"),
    "save a challenge": lambda j, e: j.save_challenge(replace(j.challenges()[0],
                                                                  archived=True)),
    "save a ladder": lambda j, e: j.save_ladder(Ladder(goal="Speak up")),
    "remove demo data": lambda j, e: j.remove_demo_data(),
    "bring back a version": lambda j, e: j.restore_attempt_version(e.uuid, 1),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_under_a_locked_database_is_one_calm_message(
    journal: Journal, write: str
) -> None:
    entry = journal.save_attempt(AttemptRecord(ask="Ask for a discount",
                                               attempted_on=date(2024, 5, 1)))
    journal.save_attempt(entry.replace(reflection="They said no kindly."))
    before = _rows(journal)
    with _locked(journal), pytest.raises(EnvironmentStorageError) as caught:
        WRITES[write](journal, entry)
    assert str(caught.value) == "The journal is busy in another program. Close it and try again."
    assert _rows(journal) == before


def test_deleting_through_the_service_under_a_lock_changes_nothing_and_keeps_undo(
    journal: Journal
) -> None:
    service = JournalService(journal)
    entry = service.save(AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 5, 1)))
    undo = service.undo_text
    before = _rows(journal)
    with _locked(journal), pytest.raises(EnvironmentStorageError, match="busy in another"):
        service.delete(entry.uuid)
    assert _rows(journal) == before
    assert service.undo_text == undo, "no step for a delete that did not happen"
    assert service.delete(entry.uuid) == entry, "once the lock is gone, it deletes"


@needs_mount
@pytest.mark.subprocess
def test_deleting_on_a_full_disk_says_the_disk_is_full_and_keeps_the_entry(
    tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "journal"
        with open_journal(data) as journal:
            entry = journal.save_attempt(AttemptRecord(ask="Ask for a discount",
                                                       attempted_on=date(2024, 5, 1)))
        with open_journal(data) as journal:  # the log checkpointed away: a write must grow
            service = JournalService(journal)
            fill_up(disk)
            with pytest.raises(EnvironmentStorageError) as caught:
                service.delete(entry.uuid)
            assert str(caught.value) == "The disk is full. Free some space and try again."
            assert service.undo_text is None, "nothing to undo: nothing was deleted"
            assert journal.attempt(entry.uuid) == entry


def test_a_folder_path_longer_than_sqlite_opens_says_so(tmp_path: Path) -> None:
    data = tmp_path
    while len(str(data)) < 600:
        data = data / ("long-folder-name-" * 10)
    with pytest.raises(EnvironmentStorageError) as caught:
        open_journal(data)
    message = str(caught.value)
    assert message.startswith("The journal's folder path is too long: SQLite can open a "
                              "journal in a folder whose path has at most 488 characters, and "
                              f"this one has {len(str(data))}."), message
    assert "exists" not in message
    assert not data.exists(), "nothing was made"


def test_the_longest_folder_path_sqlite_opens_still_works(tmp_path: Path) -> None:
    data = tmp_path / ("x" * 200) / ("y" * 200)
    data = data / ("z" * (488 - len(str(data)) - 1))
    assert len(str(data)) == 488
    with open_journal(data) as journal:
        journal.save_attempt(AttemptRecord(ask="Ask", attempted_on=date(2024, 5, 1)))
        assert journal.attempt_count() == 1


@needs_mount
@pytest.mark.subprocess
def test_an_io_error_on_a_full_disk_is_named_as_a_full_disk(tmp_path: Path) -> None:
    """SQLite sometimes reports a failed write on a full disk as SQLITE_IOERR (10)."""
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = 10 | (4 << 8)  # SQLITE_IOERR_WRITE
    with small_disk(tmp_path / "disk") as disk:
        try:
            watch_folder(disk)
            assert str(classify(io_error)) == "The disk reported an input/output error."
            fill_up(disk)
            assert str(classify(io_error)) == "The disk is full. Free some space and try again."
        finally:
            watch_folder(None)
    assert database_path(disk).name == "journal.sqlite3"
