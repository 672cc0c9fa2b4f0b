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
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Protocol, cast

import peewee

from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import cipher
from rejection_journal.storage.backup_check import readable_uri, verify_backup
from rejection_journal.storage.backup_list import (
    BackupInfo,
    backup_temp_prefix,
    checksum_path,
    file_sha256,
    fsync_file,
    remove_with_side_files,
    write_checksum,
)
from rejection_journal.storage.errors import StorageError, classify
from rejection_journal.storage.health import check_journal, side_file
from rejection_journal.storage.models import JournalDatabase
from rejection_journal.storage.restore import (
    _journal_is_open_here,
    _put_in_place,
    _restore_temp,
    remove_leftovers,
    restore_backup,
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
    return _checked(real, cipher.derive_key(passphrase, cipher.file_salt(real, _header(real))))


def _checked(real: Path, key: cipher.Key) -> cipher.Key:
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
    ``passphrase`` is.  Without a passphrase, the key already in use (a command that unlocked
    the journal first) if it is this file's; else :class:`PassphraseNeededError`.  A wrong
    passphrase raises :class:`WrongPassphraseError`."""
    if not is_encrypted(path):
        return None
    real = Path(os.path.realpath(path))
    if passphrase is not None:
        return key_for(real, passphrase)
    key = cipher.current_key()
    if key is not None and key.salt == cipher.file_salt(real, _header(real)):
        return _checked(real, key)
    raise PassphraseNeededError(
        "This journal is protected with a passphrase; give it to open the journal.")


class _ConnectionHooks(Protocol):
    """What peewee's SqliteDatabase keeps privately (its stubs leave these out)."""

    _timeout: float

    def _add_conn_hooks(self, conn: object) -> None: ...


class _SqlCipherConnect(peewee.SqliteDatabase):
    """peewee's SQLite connection, made by SQLCipher with the key in use (see
    :func:`~rejection_journal.storage.cipher.current_key`)."""

    #: the key this database was opened with (kept for its worker threads and a reopen)
    key: cipher.Key | None = None

    def _connect(self) -> object:
        key = self.key or cipher.current_key()
        if key is None:
            raise StorageError("The journal is locked; unlock it with its passphrase first.")
        self.key = key
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

def protect(data_dir: Path, passphrase: str, *, old_backups: str = "encrypt") -> None:
    """Encrypt the (closed) plain journal in ``data_dir`` with ``passphrase``.  Its plain
    backups are then encrypted too (``old_backups="encrypt"``) or removed (``"remove"``), so
    no plain copy of the journal stays behind (see :func:`protect_backups`)."""
    if old_backups not in ("encrypt", "remove"):
        raise ValueError("old_backups is 'encrypt' or 'remove'")
    _refuse_empty(passphrase)
    path = _closed_journal(data_dir)
    if is_encrypted(path):
        raise StorageError("This journal is already protected with a passphrase.")
    key = cipher.new_key(passphrase)
    _convert(data_dir, None, key)
    protect_backups(data_dir, key, remove=old_backups == "remove")


def protect_backups(data_dir: Path, key: cipher.Key, *, remove: bool = False) -> int:
    """Encrypt (or, with ``remove``, delete) every plain backup of the journal in
    ``data_dir``; returns how many.  Each is written anew under ``key`` into a temp file in
    the backups folder (removed at the next start if killed) and renamed over the plain one;
    its checksum file goes first and is written again after, so a kill never leaves a backup
    beside a checksum that does not match it."""
    folder = backups_dir(data_dir)
    done = 0
    found = sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []
    for path in (p for p in found if p.is_file()):  # every journal's backups, not just this one's
        if is_encrypted(path):
            continue
        checksum_path(path).unlink(missing_ok=True)
        if remove:
            path.unlink()
        else:
            fd, name = tempfile.mkstemp(prefix=backup_temp_prefix(), suffix=".tmp", dir=folder)
            os.close(fd)
            temp = Path(name)
            try:
                with cipher.key_in_use(None), readable_uri(path) as uri:
                    _export(uri, temp, key, settle=False)
                fsync_file(temp)
                os.replace(temp, path)
            finally:
                remove_with_side_files(temp)
            write_checksum(folder, path, file_sha256(path))
        done += 1
    if done:
        fsync_dir(folder)
    return done


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
            before = _export(str(target), temp, new)
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


def restore(backup_path: Path, data_dir: Path, passphrase: str | None = None,
            backup_passphrase: str | None = None) -> BackupInfo | None:
    """:func:`~rejection_journal.storage.restore.restore_backup` for journals and backups
    that may be encrypted.  The journal keeps the protection it has now: an encrypted one its
    ``passphrase``; a backup made under another passphrase (an older one, or before the
    journal was protected or unprotected) is opened with ``backup_passphrase`` (default:
    ``passphrase``) and written anew under the journal's key first, into a private temp
    folder beside the journal.  With no journal yet, the backup's protection is kept."""
    journal_path = _closed_journal(data_dir)
    backup_path = Path(backup_path).absolute()
    exists = journal_path.is_file() and journal_path.stat().st_size > 0
    journal_key = unlock(journal_path, passphrase) if exists else None
    backup_key = unlock(backup_path, passphrase if backup_passphrase is None
                        else backup_passphrase)
    if not exists or journal_key == backup_key:
        with cipher.key_in_use(backup_key):
            return restore_backup(backup_path, data_dir)
    with cipher.key_in_use(backup_key):
        verify_backup(backup_path)
    target = Path(os.path.realpath(journal_path))
    folder = _restore_temp(target, "-src")
    try:
        copy = folder / backup_path.name
        with cipher.key_in_use(backup_key), readable_uri(backup_path) as uri:
            _export(uri, copy, journal_key, settle=False)
        fsync_file(copy)
        with cipher.key_in_use(journal_key):
            return restore_backup(copy, data_dir)
    except (sqlite3.Error, OSError) as exc:
        raise classify(exc) from exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _export(source: str, temp: Path, new: cipher.Key | None, *,
            settle: bool = True) -> tuple[int, int]:
    """Fold the journal's log back (``settle``), then copy every table, index, trigger and the
    full-text index into ``temp`` under ``new`` with ``sqlcipher_export``; returns what was copied
    (see :func:`_count`).  The schema version (``user_version``) is carried over by hand:
    ``sqlcipher_export`` leaves it out."""
    # SQLCipher's own connection even for a plain journal: only it can ATTACH with a KEY.
    conn = cipher.connect(source, cipher.current_key(), uri=source.startswith("file:"),
                          timeout=10)
    try:
        if settle:
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
