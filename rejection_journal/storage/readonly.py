"""Read-only journals: telling when the journal cannot be written, and reading it untouched.

A journal is read-only when its disk is mounted read-only, when its file (or one of its
``-wal``/``-shm`` side files) has no write permission, or when its folder cannot be written.
The app then opens it read-only: nothing is written, no permission is changed, and no side
file appears that was not there.

SQLite is picky here: ``mode=ro`` alone still *creates* ``-wal`` and ``-shm`` beside a
WAL-mode journal when the folder allows it, and cannot read a log without its index in a
read-only folder.  :func:`read_only_source` therefore picks one of three ways in:

* no log content and nobody can write (read-only disk, or no write bit anywhere):
  ``immutable=1`` - no locks, no side files;
* a log with its index: ``mode=ro&readonly_shm=1`` - reads both, writes neither;
* otherwise: a private copy of the journal and its log, checked to be a steady snapshot.

That copy is made inside the data folder, beside the journal (only a read-only folder sends
it to the temp folder): deleting the data folder deletes it, and the next start removes one a
killed command left, whatever its age (see :func:`.sqlite_files.make_scratch_dir`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rejection_journal.paths import database_path
from rejection_journal.storage.errors import EnvironmentStorageError, is_corrupt
from rejection_journal.storage.health import side_file, sqlite_uri
from rejection_journal.storage.sqlite_files import (
    connection_uri,
    copy_file,
    make_scratch_dir,
    remove_dead_scratch,
)

_SIDES = ("-wal", "-shm")
_COPY_TRIES = 3


def _no_write_bits(st: os.stat_result) -> bool:
    return not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _on_read_only_disk(folder: Path) -> bool:
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        return bool(statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _cannot_write(path: Path, st: os.stat_result, access: int = os.W_OK) -> bool:
    # Root may write anything, so "nobody may write it" (no write bit at all) counts too: the
    # user made it read-only, and the app respects that.
    return _no_write_bits(st) or not os.access(path, access)


def read_only_reason(data_dir: Path) -> str | None:
    """Why the journal in ``data_dir`` cannot be written, in words, or ``None`` if it can.

    The words finish the sentence "This journal is read-only because …".  A folder that does
    not exist yet is not read-only (it will be created).  Only looks: changes nothing.
    """
    path = database_path(data_dir)
    try:
        folder_stat = data_dir.stat()
    except OSError:
        return None
    if _on_read_only_disk(data_dir):
        return "it is on a read-only disk"
    with contextlib.suppress(FileNotFoundError):
        if _cannot_write(path, path.stat()):
            return f"the file {path.name} is read-only"
    if _cannot_write(data_dir, folder_stat, os.W_OK | os.X_OK):
        return f"its folder {data_dir} is read-only"
    for suffix in _SIDES:
        side = side_file(path, suffix)
        with contextlib.suppress(FileNotFoundError):
            if _cannot_write(side, side.stat()):
                return f"the file {side.name} beside it is read-only"
    return None


def _nobody_can_write(db_path: Path) -> bool:
    """True when no process can change the journal while we read it without locks."""
    folder = db_path.parent
    if _on_read_only_disk(folder):
        return True
    try:
        if _no_write_bits(db_path.stat()):
            return True
        # A writer needs to create its log in the folder; with no write bit there, it cannot.
        return _no_write_bits(folder.stat()) and not side_file(db_path, "-wal").exists()
    except OSError:
        return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


@dataclass
class ReadOnlySource:
    """How to read a journal without writing: an SQLite URI, and a temp copy to remove."""

    uri: str
    copy_dir: Path | None = None

    def cleanup(self) -> None:
        if self.copy_dir is not None:
            shutil.rmtree(self.copy_dir, ignore_errors=True)
            self.copy_dir = None


def _fingerprint(db_path: Path) -> tuple[tuple[int, int, int] | None, ...]:
    out: list[tuple[int, int, int] | None] = []
    for path in (db_path, side_file(db_path, "-wal")):
        try:
            st = path.stat()
        except FileNotFoundError:
            out.append(None)
        else:
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _private_copy(db_path: Path) -> ReadOnlySource:
    """Copy the journal and its log into a private folder beside it, as one steady snapshot.

    Used only while this process has no SQLite connection to the journal (closing a
    descriptor of it would drop that connection's locks).
    """
    remove_leftover_copies(db_path)
    folder = make_scratch_dir(db_path)  # 0700, in the data folder
    copy = folder / db_path.name
    try:
        for _ in range(_COPY_TRIES):
            before = _fingerprint(db_path)
            copy_file(db_path, copy)
            wal = side_file(db_path, "-wal")
            if _size(wal):
                copy_file(wal, side_file(copy, "-wal"))
            else:
                with contextlib.suppress(FileNotFoundError):
                    side_file(copy, "-wal").unlink()
            if _fingerprint(db_path) == before:
                return ReadOnlySource(sqlite_uri(copy, "mode=ro"), folder)
        raise EnvironmentStorageError(
            f"The journal at {db_path} kept changing while it was being read; try again.")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def remove_leftover_copies(db_path: Path) -> None:
    """Remove the copies killed commands left beside the journal at ``db_path`` and in the temp
    folder (never a running process's)."""
    remove_dead_scratch(Path(os.path.realpath(db_path)).parent)
    remove_dead_scratch()


def _works(source: ReadOnlySource) -> bool:
    try:
        with connection_uri(source.uri, timeout=5) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if is_corrupt(exc):
            raise
        return False
    return True


def read_only_source(db_path: Path) -> ReadOnlySource:
    """The way to read the journal at ``db_path`` that writes nothing and creates nothing.

    Committed changes still in the ``-wal`` are read too.  Raises ``OSError`` or
    ``sqlite3.Error`` when the journal cannot be read at all.
    """
    db_path = Path(db_path).absolute()
    if not db_path.is_file():
        raise FileNotFoundError(2, "No such file", str(db_path))
    wal, shm = side_file(db_path, "-wal"), side_file(db_path, "-shm")
    if not _size(wal):
        if _nobody_can_write(db_path):
            return ReadOnlySource(sqlite_uri(db_path, "mode=ro&immutable=1"))
    elif shm.exists():
        # Both side files are there: SQLite reads them and, with readonly_shm, writes neither.
        source = ReadOnlySource(sqlite_uri(db_path, "mode=ro&readonly_shm=1"))
        if _works(source):
            return source
    return _private_copy(db_path)


@contextlib.contextmanager
def open_read_only(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the journal (for backups) that writes and creates nothing;
    closed, and any private copy removed, when the block ends."""
    source = read_only_source(db_path)
    try:
        with connection_uri(source.uri, timeout=10) as conn:
            yield conn
    finally:
        source.cleanup()
