"""Storage errors name their real cause: the environment's fault is said in plain words."""

from __future__ import annotations

import errno
import sqlite3

import peewee
import pytest

from rejection_journal.storage.errors import EnvironmentStorageError, StorageError, classify
from rejection_journal.storage.models import JournalDatabase


def _chained(outer: BaseException, inner: BaseException, *, cause: bool) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            if cause:
                raise outer from exc
            raise outer  # noqa: B904 - an implicit __context__ is what a failed cleanup leaves
    except BaseException as caught:
        return caught


def _real_error(conn: sqlite3.Connection, sql: str) -> sqlite3.Error:
    """The error SQLite itself raises for ``sql`` (carrying its result code)."""
    with pytest.raises(sqlite3.Error) as caught:
        conn.execute(sql)
    return caught.value


def _full_database(tmp_path) -> sqlite3.Error:
    """A real SQLITE_FULL: the database may not grow past its page limit."""
    conn = sqlite3.connect(tmp_path / "full.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    error = _real_error(conn, "INSERT INTO t VALUES (zeroblob(100000))")
    conn.close()
    return error


@pytest.mark.parametrize("cause", [True, False])
def test_the_real_cause_is_found_behind_a_later_error(cause: bool, tmp_path) -> None:
    full = _full_database(tmp_path)
    hiding = peewee.OperationalError("cannot rollback - no transaction is active")
    result = classify(_chained(hiding, full, cause=cause))
    assert isinstance(result, EnvironmentStorageError)
    assert str(result).startswith("The disk is full.")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_no_space_from_the_os_is_the_disk_being_full(code: int) -> None:
    result = classify(OSError(code, "No space left on device", "/data/journal.json"))
    assert isinstance(result, EnvironmentStorageError)
    assert str(result).startswith("The disk is full")
    assert "/data/journal.json" in str(result)


def test_a_bug_stays_a_plain_storage_error() -> None:
    result = classify(_real_error(sqlite3.connect(":memory:"), "SELECT * FROM attempt"))
    assert type(result) is StorageError


def test_errors_are_sorted_by_sqlite_result_code_not_by_their_wording(tmp_path) -> None:
    """The same words without SQLite's code are not taken for the environment's fault, and a
    real read-only or busy database is, whatever its message says."""
    assert type(classify(sqlite3.OperationalError("database or disk is full"))) is StorageError
    path = tmp_path / "j.sqlite3"
    writer = sqlite3.connect(path)
    writer.execute("CREATE TABLE t (x)")
    writer.commit()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert "read-only" in str(classify(_real_error(read_only, "INSERT INTO t VALUES (1)")))
    writer.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0)
    busy = classify(_real_error(other, "INSERT INTO t VALUES (1)"))
    assert isinstance(busy, EnvironmentStorageError) and "busy" in str(busy)
    for conn in (writer, read_only, other):
        conn.close()


def test_a_rollback_after_sqlite_rolled_back_by_itself_keeps_the_real_error(tmp_path) -> None:
    db = JournalDatabase(str(tmp_path / "x.sqlite3"))
    db.connect()
    db.execute_sql("CREATE TABLE t (x)")

    class Boom(Exception):
        pass

    # SQLite ends the transaction on its own (as after SQLITE_FULL); the block then fails.
    with pytest.raises(Boom), db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        with db.atomic():  # a savepoint, rolled back the same way
            db.execute_sql("INSERT INTO t VALUES (2)")
            db.execute_sql("ROLLBACK")
            raise Boom()
    assert db.execute_sql("SELECT count(*) FROM t").fetchone() == (0,)
    # An ordinary failure still rolls back.
    with pytest.raises(Boom), db.atomic():
        db.execute_sql("INSERT INTO t VALUES (3)")
        raise Boom()
    assert db.execute_sql("SELECT count(*) FROM t").fetchone() == (0,)
    db.close()
