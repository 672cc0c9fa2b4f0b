"""No plain descriptor of a journal this process has open in SQLite is ever opened.

On POSIX, closing any descriptor of a file drops every lock the process holds on it; another
process then thinks it is the journal's last user, checkpoints and deletes the ``-wal`` this
process is still writing to.  The tests below let a real second process open and close the
journal after each in-process operation: the log must survive it.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.health import header_damage
from rejection_journal.storage.import_decode import ImportFileError
from rejection_journal.storage.import_schema import read_plan
from rejection_journal.storage.models import database
from rejection_journal.storage.sqlite_files import (
    LiveFileError,
    connection,
    copy_file,
    copy_into,
    is_live,
    own_connection,
    read_start,
)

from .conftest import AttemptFactory

# A short-lived reader in another process, like a CLI 'backup': when it closes, it deletes
# the log if it can take an exclusive lock, i.e. if it believes nobody else has it open.
_VISIT = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
          "c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()")


def _visit_from_another_process(db: Path) -> None:
    subprocess.run([sys.executable, "-c", _VISIT, str(db)], check=True, timeout=60)


def _wal(journal: Journal) -> Path:
    return journal.path.with_name(journal.path.name + "-wal")


def _assert_locks_held(journal: Journal, make_attempt: AttemptFactory) -> None:
    saved = journal.save_attempt(make_attempt())
    _visit_from_another_process(journal.path)
    assert _wal(journal).exists(), "another process deleted the log this one writes to"
    journal.close()
    conn = sqlite3.connect(journal.path)
    try:
        uuids = {uuid for (uuid,) in conn.execute("SELECT uuid FROM attempt")}
    finally:
        conn.close()
    assert saved.uuid in uuids


@pytest.mark.subprocess
def test_control_a_journal_left_alone_keeps_its_log(journal, make_attempt) -> None:
    _assert_locks_held(journal, make_attempt)


@pytest.mark.subprocess
def test_backing_up_the_open_journal_keeps_its_locks(journal, make_attempt) -> None:
    journal.save_attempt(make_attempt())
    journal.backup()
    _assert_locks_held(journal, make_attempt)


@pytest.mark.subprocess
def test_a_backup_inside_a_transaction_has_only_committed_entries(
    journal, make_attempt
) -> None:
    committed = journal.save_attempt(make_attempt()).uuid
    with database.atomic() as transaction:
        pending = journal.save_attempt(make_attempt()).uuid
        info = journal.backup()
        transaction.rollback()
    conn = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
    try:
        assert {u for (u,) in conn.execute("SELECT uuid FROM attempt")} == {committed}
    finally:
        conn.close()
    assert journal.attempt(pending) is None
    _assert_locks_held(journal, make_attempt)


@pytest.mark.subprocess
def test_the_daily_backup_at_open_keeps_the_locks(data_dir: Path, make_attempt) -> None:
    with open_journal(data_dir) as journal:
        journal.save_attempt(make_attempt())
    journal = open_journal(data_dir, daily_backup=True)
    try:
        assert journal.daily_backup is not None
        _assert_locks_held(journal, make_attempt)
    finally:
        journal.close()


@pytest.mark.subprocess
def test_importing_the_open_journal_itself_is_refused_and_keeps_its_locks(
    journal, make_attempt
) -> None:
    with pytest.raises(ImportFileError, match="the journal itself"):
        read_plan(journal.path)
    _assert_locks_held(journal, make_attempt)


def test_plain_reads_of_a_live_journal_or_its_side_files_are_refused(journal) -> None:
    sides = [journal.path.with_name(journal.path.name + s) for s in ("-wal", "-shm", "-journal")]
    for path in (journal.path, *sides):
        assert is_live(path)
        with pytest.raises(LiveFileError):
            read_start(path, 100)
    with pytest.raises(LiveFileError):
        header_damage(journal.path)
    with pytest.raises(LiveFileError):
        copy_file(journal.path, journal.data_dir / "copy.sqlite3")
    with pytest.raises(LiveFileError):
        copy_file(journal.data_dir / "elsewhere.sqlite3", sides[0])  # nor written into
    with (journal.data_dir / "copy.sqlite3").open("wb") as out, pytest.raises(LiveFileError):
        copy_into(journal.path, out)
    journal.close()
    assert not is_live(journal.path) and not is_live(sides[1])
    assert read_start(journal.path, 16) == b"SQLite format 3\x00"


def test_another_name_for_a_live_journal_is_live_too(journal, tmp_path: Path) -> None:
    link = tmp_path / "link.sqlite3"
    link.symlink_to(journal.path)
    hard = tmp_path / "hard.sqlite3"
    os.link(journal.path, hard)
    assert is_live(link) and is_live(hard)
    assert is_live(link.with_name(link.name + "-shm"))  # beside the link: SQLite's side files
    assert not is_live(tmp_path / "other.sqlite3")


def test_raw_connections_are_live_while_open(tmp_path: Path) -> None:
    db = tmp_path / "some.sqlite3"
    with connection(db) as conn:
        conn.execute("CREATE TABLE t (x)")
        assert is_live(db)
        with connection(db, "mode=ro"):
            assert is_live(db)
        assert is_live(db)  # counted: the outer one is still open
    assert not is_live(db)


def test_own_connection_is_the_apps_connection_while_open(journal) -> None:
    assert own_connection(journal.path) is database.connection()
    assert own_connection(journal.path.with_name("other.sqlite3")) is None
    journal.close()
    assert own_connection(journal.path) is None
    assert not is_live(journal.path)
