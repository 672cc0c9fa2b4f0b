"""Every raw access to journal files: SQLite connections, and plain reads and copies.

**Why one module.** On POSIX, closing *any* descriptor of a file drops *every* ``fcntl`` lock
this process holds on it (SQLite's "How To Corrupt An SQLite Database File", section 2.2).  If
the app reads a few header bytes of its own open journal with ``open()``, its SQLite
connection silently loses its lock; another process (a CLI ``backup``) then believes it is the
last user, checkpoints, and deletes the ``-wal`` the app is still writing to.

So this module keeps a process-wide record of the journal files that have a SQLite connection
open *in this process* ("live" files): the peewee database of :mod:`.models` while it is
connected (see :class:`TrackedSqliteDatabase`) and the raw connections opened with
:func:`connection`.  A live file covers its ``-wal``, ``-shm`` and ``-journal`` too.  Every plain
read or copy of a journal or side file goes through :func:`read_start`, :func:`copy_file` or
:func:`copy_into`, which raise :class:`LiveFileError` (a bug, never a user error) instead of
opening a live file.  Header facts of a live journal come from its connection instead; see
:func:`own_connection`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import stat
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast
from urllib.parse import quote, unquote

import peewee

from rejection_journal.fileio import filesystem_now
from rejection_journal.storage import cipher

#: side files SQLite keeps beside a database (write-ahead log, its index, rollback journal)
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


class LiveFileError(RuntimeError):
    """A programming error: plain I/O was asked of a journal file SQLite has open here."""


_lock = threading.Lock()
#: normalised path of a live main file -> how many connections of this process have it open
_live: dict[str, int] = {}
#: (st_dev, st_ino) of each live main file when it was registered -> count (catches hard links)
_live_inodes: dict[tuple[int, int], int] = {}
_databases: weakref.WeakSet[TrackedSqliteDatabase] = weakref.WeakSet()


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def _inode(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _register(path: str) -> tuple[str, tuple[int, int] | None]:
    token = (_key(path), _inode(path))
    with _lock:
        _live[token[0]] = _live.get(token[0], 0) + 1
        if token[1] is not None:
            _live_inodes[token[1]] = _live_inodes.get(token[1], 0) + 1
    return token


def _unregister(token: tuple[str, tuple[int, int] | None]) -> None:
    key, inode = token
    with _lock:
        if _live.get(key, 0) <= 1:
            _live.pop(key, None)
        else:
            _live[key] -= 1
        if inode is not None:
            if _live_inodes.get(inode, 0) <= 1:
                _live_inodes.pop(inode, None)
            else:
                _live_inodes[inode] -= 1


def main_file(path: str | os.PathLike[str]) -> Path:
    """The database a side file belongs to (``journal.sqlite3-wal`` -> ``journal.sqlite3``)."""
    text = os.fspath(path)
    for suffix in SIDE_SUFFIXES:
        if text.endswith(suffix):
            return Path(text[: -len(suffix)])
    return Path(text)


def is_live(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` (a journal, or one of its side files) has a SQLite connection open in
    this process, so that no plain descriptor of it may be opened here."""
    candidates = {os.fspath(path), os.fspath(main_file(path))}
    with _lock:
        if not _live:
            return False
        for candidate in candidates:
            key = _key(candidate)
            if key in _live or _key(main_file(key)) in _live:
                return True
        inode = _inode(main_file(path))
    return inode is not None and inode in _live_inodes


def ensure_not_live(path: str | os.PathLike[str]) -> None:
    """Raise :class:`LiveFileError` if plain I/O on ``path`` would drop this process's locks."""
    if is_live(path):
        raise LiveFileError(
            f"{path} has a SQLite connection open in this process; opening it with plain I/O "
            "would drop that connection's locks (use its connection instead)"
        )


# -- plain reads and copies --------------------------------------------------------------

def read_start(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (fewer if it is shorter): a journal header, a
    ``-shm`` index header.  Refuses a live file; raises ``OSError`` like ``open()``."""
    ensure_not_live(path)
    with open(path, "rb") as handle:
        return handle.read(size)


def copy_file(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """``shutil.copyfile`` for journal files (a private copy to check, say); neither may be
    live."""
    ensure_not_live(source)
    ensure_not_live(target)
    shutil.copyfile(source, target)


def copy_into(source: str | os.PathLike[str], out: BinaryIO) -> None:
    """Copy the whole of ``source`` into the open file ``out``; ``source`` may not be live."""
    ensure_not_live(source)
    with open(source, "rb") as handle:
        shutil.copyfileobj(handle, out, 1 << 20)


def create_empty(path: str | os.PathLike[str], mode: int) -> None:
    """Create ``path`` (if it is not there) with permissions ``mode`` from its first byte."""
    ensure_not_live(path)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, mode))


# -- private scratch copies ----------------------------------------------------------------

#: ``.journal.sqlite3.4242.0a1b2c3d.read.tmp/``: a copy being read, beside the journal
_SCRATCH = re.compile(r"^\.(?P<journal>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.read\.tmp$")
#: ``rejection-journal-read-4242-k2j3h4g5/``: the same, in the temp folder (read-only journals)
_TEMP_PREFIX = "rejection-journal-read-"
_TEMP_SCRATCH = re.compile(re.escape(_TEMP_PREFIX) + r"(?P<pid>\d+)-")
#: copies older releases made in the temp folder, with no PID in their names
_LEGACY_TEMP = re.compile(r"^rejection-journal-(?:read|check|compare|verify)-")
#: ... removed once this old (their process cannot be told)
LEGACY_COPY_AGE = 24 * 3600


def owner_alive(pid: int) -> bool | None:
    """Is process ``pid`` still running?  ``None`` where that cannot be told (not POSIX)."""
    if pid == os.getpid():
        return True
    if os.name != "posix" or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return None
    return True


def make_scratch_dir(db_path: Path) -> Path:
    """A new private (0700) folder for a copy of the journal at ``db_path``.

    It is made beside the journal, inside its data folder: deleting that folder deletes every
    copy, and the next start removes one whose process was killed, whatever its age (its name
    carries the PID).  Only where that folder cannot be written (a read-only journal) is it
    made in the temp folder, named the same way.
    """
    real = Path(os.path.realpath(db_path))
    while True:
        path = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.read.tmp")
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError:
            return Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-"))
        return path


@contextlib.contextmanager
def scratch_dir(db_path: Path) -> Iterator[Path]:
    """:func:`make_scratch_dir`, removed with what it holds when the block ends."""
    folder = make_scratch_dir(db_path)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_dead_scratch(folder: Path | None = None) -> list[Path]:
    """Remove the scratch copies in ``folder`` (a data folder; default: the temp folder) whose
    process is gone, whatever their age; never a running process's.  Copies of older releases
    (no PID in the name, temp folder only) go once :data:`LEGACY_COPY_AGE` old."""
    in_temp = folder is None
    where = Path(tempfile.gettempdir()) if folder is None else folder
    uid = os.getuid() if hasattr(os, "getuid") else None
    removed = []
    now: float | None = None  # the file system's clock, asked only if an age is needed
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            owned = (_TEMP_SCRATCH if in_temp else _SCRATCH).match(entry.name)
            legacy = in_temp and owned is None and _LEGACY_TEMP.match(entry.name) is not None
            if owned is None and not legacy:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISDIR(info.st_mode) or uid not in (None, info.st_uid):
                    continue
                alive = owner_alive(int(owned["pid"])) if owned is not None else None
                if alive is not None:
                    gone = not alive
                else:
                    now = filesystem_now(where) if now is None else now
                    gone = info.st_mtime < now - LEGACY_COPY_AGE
                if gone:
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed.append(Path(entry.path))
    return removed


# -- SQLite connections ------------------------------------------------------------------

def sqlite_uri(path: Path, params: str) -> str:
    """An SQLite ``file:`` URI for ``path`` with query ``params`` (``mode=ro`` and so on)."""
    posix = Path(path).absolute().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # Windows: file:///C:/...
    return f"file://{quote(posix, safe='/:')}?{params}"


def path_of_uri(uri: str) -> Path:
    """The file an URI made by :func:`sqlite_uri` names."""
    text = unquote(uri.removeprefix("file://").split("?", 1)[0])
    if os.name == "nt" and text.startswith("/") and text[2:3] == ":":
        text = text[1:]
    return Path(text)


@contextlib.contextmanager
def connection(
    path: Path, params: str | None = None, *, timeout: float = 5.0
) -> Iterator[sqlite3.Connection]:
    """A raw ``sqlite3`` connection to ``path`` (with URI ``params``, e.g. ``mode=ro``), closed
    on exit; while it is open, ``path`` is live (plain I/O on it is refused)."""
    target = sqlite_uri(path, params) if params is not None else os.fspath(path)
    with _tracked(target, Path(path), uri=params is not None, timeout=timeout) as conn:
        yield conn


@contextlib.contextmanager
def connection_uri(uri: str, *, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """:func:`connection` for an URI made by :func:`sqlite_uri`."""
    with _tracked(uri, path_of_uri(uri), uri=True, timeout=timeout) as conn:
        yield conn


@contextlib.contextmanager
def _tracked(target: str, path: Path, *, uri: bool, timeout: float
             ) -> Iterator[sqlite3.Connection]:
    """Connect to ``target``; ``path`` is live until the connection is closed.  While an
    encrypted journal is open here (:func:`.cipher.current_key`), a file that is not plainly
    SQLite (the journal, its backups and copies, a new file) is opened with its key."""
    conn = _connect(target, path, uri=uri, timeout=timeout)
    token = _register(os.fspath(path))
    try:
        yield conn
    finally:
        try:
            conn.close()
        finally:
            _unregister(token)


def _connect(target: str, path: Path, *, uri: bool, timeout: float) -> sqlite3.Connection:
    key = cipher.current_key()
    if key is None or target == ":memory:" or _plain_file(path):
        return sqlite3.connect(target, uri=uri, timeout=timeout)
    return cast(sqlite3.Connection, cipher.connect(target, key, uri=uri, timeout=timeout))


def _plain_file(path: Path) -> bool:
    """Is ``path`` a plain SQLite file (its header says so)?  A live file is the journal
    itself, encrypted while a key is in use; a missing or empty one is about to be made."""
    if is_live(path):
        return False
    try:
        header = read_start(path, len(cipher.SQLITE_MAGIC))
    except OSError:
        return False
    return header == cipher.SQLITE_MAGIC


class _ConnectionHooks(Protocol):
    """peewee's private hooks that open and close one connection (its stubs leave them out)."""

    def _connect(self) -> sqlite3.Connection: ...

    def _close(self, conn: sqlite3.Connection) -> None: ...


class TrackedSqliteDatabase(peewee.SqliteDatabase):
    """peewee's ``SqliteDatabase`` that marks its file live while a connection is open."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tokens: dict[int, tuple[str, tuple[int, int] | None]] = {}
        _databases.add(self)

    def _connect(self) -> sqlite3.Connection:
        conn = cast(_ConnectionHooks, super())._connect()
        if self.database and self.database != ":memory:" and not str(
                self.database).startswith("file::memory:"):
            self._tokens[id(conn)] = _register(str(self.database))
        return conn

    def _close(self, conn: sqlite3.Connection) -> None:
        try:
            cast(_ConnectionHooks, super())._close(conn)
        finally:
            token = self._tokens.pop(id(conn), None)
            if token is not None:
                _unregister(token)


def own_connection(path: Path) -> sqlite3.Connection | None:
    """This thread's open connection of a :class:`TrackedSqliteDatabase` on ``path`` (the
    app's own journal), or ``None``.  Read through it instead of opening the file again."""
    key = _key(path)
    for database in list(_databases):
        if database.database and not database.is_closed() and _key(database.database) == key:
            conn: sqlite3.Connection = database.connection()
            if not isinstance(conn, sqlite3.Connection):  # SQLCipher's: behave like sqlite3
                return cast(sqlite3.Connection, cipher.CipherConnection(conn))
            return conn
    return None
