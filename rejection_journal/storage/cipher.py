"""SQLCipher underneath: keys, and connections to encrypted files that behave like sqlite3's.

An encrypted journal is an SQLCipher 4 database (the ``sqlcipher3`` package: SQLite with page
encryption, AES-256, each page authenticated).  Its first 16 bytes are a random salt instead of
SQLite's "SQLite format 3" header; everything after them is ciphertext, the full-text index and
the write-ahead log included.

**Keys.**  The passphrase is turned into a key once, here, with SQLCipher 4's own derivation
(PBKDF2-HMAC-SHA512, 256,000 iterations, the file's salt), and every connection is then given
the raw key: SQLCipher does not derive it again for each connection (a worker thread's, a
backup's), so opening costs one derivation, not one per connection.  Neither the passphrase
nor the key is ever written anywhere; the key lives in this process's memory while an
encrypted journal is open (:func:`current_key`).

**One kind of error.**  The rest of storage catches ``sqlite3``'s exceptions; sqlcipher3 raises
its own classes of the same names.  Connections made here (:class:`CipherConnection`) raise
``sqlite3``'s, with SQLite's error code kept, so no caller needs to know which library read
the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sqlcipher3 import dbapi2

#: the first 16 bytes of every plain SQLite database
SQLITE_MAGIC = b"SQLite format 3\x00"
SALT_SIZE = 16
KEY_SIZE = 32
#: SQLCipher 4's defaults: a key derived like this opens the file with ``PRAGMA key='...'`` too
KDF_ITERATIONS = 256_000
KDF_DIGEST = "sha512"


@dataclass(frozen=True)
class Key:
    """A derived SQLCipher key and the salt it was derived with (never the passphrase)."""

    raw: bytes = field(repr=False)
    salt: bytes

    def pragma_value(self) -> str:
        """The value of ``PRAGMA key``: SQLCipher's raw key with its salt, no derivation."""
        return f"\"x'{(self.raw + self.salt).hex()}'\""


def derive_key(passphrase: str, salt: bytes) -> Key:
    """SQLCipher 4's key for ``passphrase`` and ``salt`` (about 0.1 s: deliberately slow)."""
    if len(salt) != SALT_SIZE:
        raise ValueError("an SQLCipher salt is 16 bytes")
    raw = hashlib.pbkdf2_hmac(KDF_DIGEST, passphrase.encode("utf-8"), salt, KDF_ITERATIONS,
                              KEY_SIZE)
    return Key(raw, salt)


def new_key(passphrase: str) -> Key:
    """A key for a new encrypted file: a fresh random salt."""
    return derive_key(passphrase, secrets.token_bytes(SALT_SIZE))


#: how much of a file :func:`looks_encrypted` reads
PROBE_SIZE = 1024


def looks_encrypted(start: bytes, size: int) -> bool:
    """Does a file of ``size`` bytes starting with ``start`` (its first :data:`PROBE_SIZE`
    bytes) look encrypted?  There is no header to read in one, so: no SQLite header, whole
    pages (SQLCipher's are 1 KiB to 64 KiB), and bytes that look random (ciphertext uses
    nearly every byte value; text or a damaged file's zeros use few)."""
    return (size >= PROBE_SIZE and size % PROBE_SIZE == 0 and len(start) >= PROBE_SIZE
            and not start.startswith(SQLITE_MAGIC) and len(set(start[:PROBE_SIZE])) >= 200)


# -- the key of the journal open in this process -----------------------------------------

_lock = threading.Lock()
_current: Key | None = None
#: the key in use was put there by opening the journal (and goes when it closes)
_held_by_journal = False


def current_key() -> Key | None:
    """The key of the encrypted journal open in this process, or None (a plain journal)."""
    return _current


def use_key(key: Key | None) -> None:
    """Make ``key`` the one new connections to encrypted files use (None: none)."""
    global _current, _held_by_journal
    with _lock:
        _current, _held_by_journal = key, False


def hold_for_journal(key: Key) -> None:
    """Put the key of a journal being opened in use, until :func:`release_journal_key`
    (its closing).  A key already in use for a wider scope (:func:`key_in_use`: a command
    that unlocked the journal first) stays, and stays after the journal closes."""
    global _current, _held_by_journal
    with _lock:
        if _current != key:
            _current, _held_by_journal = key, True


def release_journal_key() -> None:
    """The journal closed: forget its key, unless it was in use before it opened."""
    global _current, _held_by_journal
    with _lock:
        if _held_by_journal:
            _current, _held_by_journal = None, False


@contextlib.contextmanager
def key_in_use(key: Key | None) -> Iterator[None]:
    """:func:`use_key` for the length of a block, then back to the one before."""
    global _current, _held_by_journal
    with _lock:
        before = (_current, _held_by_journal)
    use_key(key)
    try:
        yield
    finally:
        with _lock:
            _current, _held_by_journal = before


# -- errors ------------------------------------------------------------------------------

def as_sqlite_error(exc: BaseException) -> BaseException:
    """sqlcipher3's exception as ``sqlite3``'s class of the same name (its code kept)."""
    if not isinstance(exc, dbapi2.Error):
        return exc
    kind = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(kind, type) and issubclass(kind, sqlite3.Error)):
        kind = sqlite3.DatabaseError
    translated = kind(*exc.args)
    for name in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(exc, name):
            setattr(translated, name, getattr(exc, name))
    return translated


@contextlib.contextmanager
def sqlite_errors() -> Iterator[None]:
    """Raise ``sqlite3``'s exceptions for sqlcipher3's inside the block."""
    try:
        yield
    except dbapi2.Error as exc:
        raise as_sqlite_error(exc) from exc


def is_wrong_key(exc: BaseException) -> bool:
    """Does this error from reading an encrypted file mean the key does not fit it?"""
    return (isinstance(exc, sqlite3.DatabaseError | dbapi2.DatabaseError)
            and "not a database" in str(exc))


# -- connections ----------------------------------------------------------------------

class CipherCursor:
    """An sqlcipher3 cursor that raises ``sqlite3``'s exceptions."""

    def __init__(self, cursor: dbapi2.Cursor) -> None:
        self._cursor = cursor

    def __iter__(self) -> Iterator[Any]:
        with sqlite_errors():
            yield from self._cursor

    def fetchone(self) -> Any:
        with sqlite_errors():
            return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        with sqlite_errors():
            return self._cursor.fetchall()

    def fetchmany(self, size: int = 1) -> list[Any]:
        with sqlite_errors():
            return self._cursor.fetchmany(size)

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        with sqlite_errors():
            self._cursor.execute(sql, parameters)
        return self

    def __getattr__(self, name: str) -> Any:  # description, rowcount, lastrowid, close
        return getattr(self._cursor, name)


class CipherConnection:
    """An sqlcipher3 connection that reads and writes like an ``sqlite3.Connection`` (and
    raises its exceptions); :attr:`raw` is the sqlcipher3 one."""

    def __init__(self, raw: dbapi2.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Any = ()) -> CipherCursor:
        with sqlite_errors():
            return CipherCursor(self.raw.execute(sql, parameters))

    def executemany(self, sql: str, parameters: Any) -> CipherCursor:
        with sqlite_errors():
            return CipherCursor(self.raw.executemany(sql, parameters))

    def executescript(self, script: str) -> CipherCursor:
        with sqlite_errors():
            return CipherCursor(self.raw.executescript(script))

    def cursor(self) -> CipherCursor:
        return CipherCursor(self.raw.cursor())

    def commit(self) -> None:
        with sqlite_errors():
            self.raw.commit()

    def rollback(self) -> None:
        with sqlite_errors():
            self.raw.rollback()

    def close(self) -> None:
        with sqlite_errors():
            self.raw.close()

    def backup(self, target: Any, **kwargs: Any) -> None:
        """Copy this database into ``target`` (an encrypted connection with the same key, or
        an in-memory copy made by :func:`memory_copy_target`)."""
        other = target.raw if isinstance(target, CipherConnection) else target
        with sqlite_errors():
            self.raw.backup(other, **kwargs)

    def __enter__(self) -> CipherConnection:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        with sqlite_errors():
            self.raw.__exit__(kind, value, traceback)

    def __getattr__(self, name: str) -> Any:  # in_transaction, total_changes, ...
        return getattr(self.raw, name)


def connect_raw(target: str, key: Key | None, *, uri: bool = False, timeout: float = 5.0,
                **kwargs: Any) -> dbapi2.Connection:
    """An sqlcipher3 connection to ``target`` unlocked with ``key`` (None: a plain file).
    The key is checked at once: a wrong one raises ``sqlite3.DatabaseError`` ("file is not a
    database") here, not at some later query.  SQLCipher's own log is silenced (it would
    print each failed decryption to the terminal)."""
    conn = dbapi2.connect(target, uri=uri, timeout=timeout, **kwargs)
    try:
        with sqlite_errors():
            conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
            if key is not None:
                conn.execute(f"PRAGMA key = {key.pragma_value()}")
                # SQLite's temporary tables and sorts stay in memory, never in a temp file.
                conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def connect(target: str, key: Key | None, *, uri: bool = False,
            timeout: float = 5.0) -> CipherConnection:
    """:func:`connect_raw`, wrapped to behave like ``sqlite3``'s (see :class:`CipherConnection`)."""
    return CipherConnection(connect_raw(target, key, uri=uri, timeout=timeout))


def memory_copy_target(source: object) -> Any:
    """An in-memory database that ``source`` (a connection) can :meth:`backup` into: SQLCipher
    copies only between connections of its own library, so an encrypted source gets an
    in-memory SQLCipher database keyed the same (memory only: nothing reaches a disk)."""
    if isinstance(source, CipherConnection):
        key = current_key()
        return connect(":memory:", key)
    return sqlite3.connect(":memory:")


def file_salt(path: str | os.PathLike[str], header: bytes) -> bytes:
    """The salt of an encrypted file from its first bytes (``header``, read by the caller)."""
    if len(header) < SALT_SIZE or header.startswith(SQLITE_MAGIC):
        raise ValueError(f"{os.fspath(path)} is not an encrypted file")
    return header[:SALT_SIZE]
