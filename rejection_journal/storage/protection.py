"""A journal only its owner can open: unlocking an encrypted journal, and turning encryption
on, off, or to a new passphrase.

**Unlocking** (:func:`unlock`) reads the file's salt, derives the key and checks it on the
file's first page: a wrong passphrase is refused before anything is opened for writing.

**Converting** (:func:`protect`, :func:`unprotect`, :func:`change_passphrase`) writes a whole
new journal with SQLCipher's ``sqlcipher_export`` into a temp file beside it (the same
private temp names a restore uses), checks that it opens with the new key and holds every
entry, then swaps it in by renames (:func:`~rejection_journal.storage.restore._put_in_place`).
A kill at any moment leaves the old journal or the new one, never neither and never a mix; the
next open removes what a killed conversion left (or puts the old journal back, if it was killed
in the instant between the two renames).  Every table is copied as it is, so entries keep their
UUIDs, revisions and history, and ladders, runs and custom challenges come along.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Protocol, cast

import peewee

from rejection_journal.paths import database_path
from rejection_journal.storage import cipher
from rejection_journal.storage.backup_list import fsync_file, remove_with_side_files
from rejection_journal.storage.errors import StorageError, classify
from rejection_journal.storage.health import check_journal, side_file
from rejection_journal.storage.models import JournalDatabase
from rejection_journal.storage.restore import (
    _journal_is_open_here,
    _put_in_place,
    _restore_temp,
    remove_leftovers,
)
from rejection_journal.storage.sqlite_files import (
    SIDE_SUFFIXES,
    connection,
    connection_uri,
    ensure_not_live,
    read_start,
    sqlite_uri,
)


class PassphraseNeededError(StorageError):
    """The journal is encrypted and no passphrase was given; nothing was opened."""


class WrongPassphraseError(StorageError):
    """The passphrase does not open the journal; nothing was opened or changed."""


WRONG_PASSPHRASE = "That passphrase does not open this journal. Nothing was changed."


def _header(path: Path) -> bytes:
    try:
        return read_start(path, cipher.PROBE_SIZE)
    except FileNotFoundError:
        return b""


def is_encrypted(path: Path) -> bool:
    """Is the journal (or backup) file at ``path`` encrypted?  There is no SQLite header to
    read in one: its first 16 bytes are SQLCipher's random salt, the rest ciphertext (see
    :func:`~rejection_journal.storage.cipher.looks_encrypted`)."""
    real = Path(os.path.realpath(path))
    header = _header(real)
    return bool(header) and cipher.looks_encrypted(header, real.stat().st_size)


def key_for(path: Path, passphrase: str) -> cipher.Key:
    """The key that ``passphrase`` gives for the encrypted file at ``path``; raises
    :class:`WrongPassphraseError` if it does not open the file.  Reads only: no lock, no side
    file, no byte changes (the key is checked on the file's first page)."""
    real = Path(os.path.realpath(path))
    key = cipher.derive_key(passphrase, cipher.file_salt(real, _header(real)))
    try:
        with cipher.key_in_use(key), \
                connection_uri(sqlite_uri(real, "mode=ro&immutable=1"), timeout=5):
            pass  # cipher.connect reads the first page with the key
    except sqlite3.DatabaseError as exc:
        if cipher.is_wrong_key(exc):
            raise WrongPassphraseError(WRONG_PASSPHRASE) from exc
        raise classify(exc) from exc
    return key


def unlock(path: Path, passphrase: str | None) -> cipher.Key | None:
    """The key for the journal at ``path``: ``None`` for a plain (or new) journal, whatever
    ``passphrase`` is.  An encrypted one without a passphrase raises
    :class:`PassphraseNeededError`; with a wrong one, :class:`WrongPassphraseError`."""
    if not is_encrypted(path):
        return None
    if passphrase is None:
        raise PassphraseNeededError(
            "This journal is protected with a passphrase; give it to open the journal.")
    return key_for(path, passphrase)


class _ConnectionHooks(Protocol):
    """What peewee's SqliteDatabase keeps privately (its stubs leave these out)."""

    _timeout: float

    def _add_conn_hooks(self, conn: object) -> None: ...


class _SqlCipherConnect(peewee.SqliteDatabase):
    """peewee's SQLite connection, made by SQLCipher with the key in use (see
    :func:`~rejection_journal.storage.cipher.current_key`)."""

    def _connect(self) -> object:
        key = cipher.current_key()
        if key is None:
            raise StorageError("The journal is locked; unlock it with its passphrase first.")
        params = dict(self.connect_params)
        hooks = cast(_ConnectionHooks, self)
        conn = cipher.connect_raw(self.database, key, timeout=hooks._timeout,
                                  isolation_level=None, **params)
        try:
            hooks._add_conn_hooks(conn)
        except BaseException:
            conn.close()
            raise
        return conn


class CipherDatabase(JournalDatabase, _SqlCipherConnect):
    """The journal's database when it is encrypted: every connection (the journal's, worker
    threads') is SQLCipher's, unlocked with the key in use."""


# -- conversion ---------------------------------------------------------------------------

def protect(data_dir: Path, passphrase: str) -> None:
    """Encrypt the (closed) plain journal in ``data_dir`` with ``passphrase``."""
    _refuse_empty(passphrase)
    path = _closed_journal(data_dir)
    if is_encrypted(path):
        raise StorageError("This journal is already protected with a passphrase.")
    _convert(data_dir, None, cipher.new_key(passphrase))


def unprotect(data_dir: Path, passphrase: str) -> None:
    """Decrypt the (closed) encrypted journal in ``data_dir``: a plain journal again."""
    old = _existing_key(data_dir, passphrase)
    _convert(data_dir, old, None)


def change_passphrase(data_dir: Path, old_passphrase: str, new_passphrase: str) -> None:
    """Re-encrypt the (closed) journal in ``data_dir`` under ``new_passphrase`` (a new salt)."""
    _refuse_empty(new_passphrase)
    old = _existing_key(data_dir, old_passphrase)
    _convert(data_dir, old, cipher.new_key(new_passphrase))


def _refuse_empty(passphrase: str) -> None:
    if not passphrase:
        raise StorageError("An empty passphrase protects nothing; choose one with some "
                           "characters in it.")


def _closed_journal(data_dir: Path) -> Path:
    path = database_path(data_dir)
    if _journal_is_open_here(path):
        raise StorageError("Close the journal before changing its protection.")
    return path


def _existing_key(data_dir: Path, passphrase: str) -> cipher.Key:
    path = _closed_journal(data_dir)
    if not is_encrypted(path):
        raise StorageError("This journal is not protected with a passphrase.")
    return key_for(path, passphrase)


def _count(conn: sqlite3.Connection | cipher.CipherConnection) -> tuple[int, int]:
    """(entries, tables) of a journal: what a conversion must carry over whole."""
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    has_attempts = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'attempt'").fetchone()[0]
    attempts = conn.execute("SELECT count(*) FROM attempt").fetchone()[0] if has_attempts else 0
    return int(attempts), int(tables[0])


def _convert(data_dir: Path, old: cipher.Key | None, new: cipher.Key | None) -> None:
    """Write the journal in ``data_dir`` (unlocked with ``old``) anew under ``new`` (None:
    plain) and swap it in; see the module's docstring.  The journal must be closed."""
    journal_path = _closed_journal(data_dir)
    target = Path(os.path.realpath(journal_path))
    if not target.is_file() or target.stat().st_size == 0:
        raise StorageError(f"There is no journal in {data_dir} yet.")
    temp: Path | None = None
    try:
        remove_leftovers(data_dir)
        with cipher.key_in_use(old):
            damage = check_journal(journal_path)
            if damage is not None:
                raise StorageError("The journal is damaged, so its protection was left as it "
                                   "is; restore a backup first.")
            temp = _restore_temp(target)
            before = _export(target, temp, new)
        fsync_file(temp)
        with cipher.key_in_use(new), connection(temp) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok" \
                    or _count(conn) != before:
                raise StorageError("The converted journal did not check out, so the journal "
                                   "was left as it was.")
        # After the checkpoint the old log holds nothing the journal file lacks; it must not
        # be replayed onto the new file.
        for suffix in SIDE_SUFFIXES:
            ensure_not_live(side_file(target, suffix))
            side_file(target, suffix).unlink(missing_ok=True)
        with cipher.key_in_use(new):
            _put_in_place(temp, target)
        temp = None
    except StorageError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise classify(exc) from exc
    finally:
        if temp is not None:
            remove_with_side_files(temp)


def _export(source: Path, temp: Path, new: cipher.Key | None) -> tuple[int, int]:
    """Fold the journal's log back, then copy every table, index, trigger and the full-text
    index into ``temp`` under ``new`` with ``sqlcipher_export``; returns what was copied
    (see :func:`_count`).  The schema version (``user_version``) is carried over by hand:
    ``sqlcipher_export`` leaves it out."""
    # SQLCipher's own connection even for a plain journal: only it can ATTACH with a KEY.
    conn = cipher.connect(str(source), cipher.current_key(), timeout=10)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        counted = _count(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        key = f"x'{(new.raw + new.salt).hex()}'" if new is not None else ""
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(temp), key))
        conn.execute("SELECT sqlcipher_export('converted')").fetchall()
        conn.execute(f"PRAGMA converted.user_version = {version}")
        conn.execute("PRAGMA converted.journal_mode = DELETE").fetchall()
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()
    return counted
