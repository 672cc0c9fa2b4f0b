"""Opening the journal's file: checks, permissions, pragmas, migration, the daily backup.

:func:`open_database` does all of it and hands the open database to a ``make`` function that
builds the journal object (:func:`rejection_journal.storage.journal.open_journal` passes
:class:`~rejection_journal.storage.journal.Journal`'s).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import peewee

from rejection_journal.paths import (
    FILE_MODE,
    backups_dir,
    database_path,
    ensure_private_dir,
    restrict_mode,
)
from rejection_journal.storage.backup import create_backup, daily_backup_if_due
from rejection_journal.storage.backup_check import damaged_journal_error
from rejection_journal.storage.backup_list import PRE_MIGRATION
from rejection_journal.storage.cipher import hold_for_journal, release_journal_key
from rejection_journal.storage.errors import (
    EnvironmentStorageError,
    ReadOnlyJournalError,
    StorageError,
    classify,
    path_too_long,
    watch_folder,
)
from rejection_journal.storage.health import check_journal, move_aside, side_file
from rejection_journal.storage.migrations import migrate, pending, refuse_newer
from rejection_journal.storage.models import JournalDatabase, database
from rejection_journal.storage.protection import CipherDatabase, unlock
from rejection_journal.storage.readonly import (
    ReadOnlySource,
    read_only_reason,
    read_only_source,
    remove_leftover_copies,
)
from rejection_journal.storage.restore import remove_leftovers
from rejection_journal.storage.session import (
    DATABASE_ERRORS,
    JournalCore,
    drop_read_only_copy,
    keep_read_only_copy,
    refuse_second,
)
from rejection_journal.storage.sqlite_files import create_empty

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "secure_delete": 1,
    "busy_timeout": 5000,
}
#: a read-only journal: no journal_mode switch (that writes), and SQLite refuses any write
READ_ONLY_PRAGMAS = {"foreign_keys": 1, "busy_timeout": 5000, "query_only": 1}

_J = TypeVar("_J", bound=JournalCore)
#: builds the journal object over an open database: (data folder, file, database, why it is
#: read-only or None); a writable one is also brought up to date here (built-in challenges)
Make = Callable[[Path, Path, JournalDatabase, "str | None"], _J]


def open_database(data_dir: Path, make: Make[_J], *, read_only: bool = False,
                  daily_backup: bool = False,
                  database_class: type[JournalDatabase] = JournalDatabase,
                  passphrase: str | None = None) -> _J:
    """Open (creating if needed) the journal in ``data_dir``; the folder is made private.

    With ``read_only`` nothing at all is written: no file or side file is created, no
    permission changes, no migration, no daily backup (see :func:`_open_read_only`).  Without
    it, a journal that cannot be written (read-only file, folder or disk) raises
    :class:`ReadOnlyJournalError` before anything is touched.  Permissions are only ever
    narrowed, never widened.

    A damaged journal file raises :class:`DamagedJournalError` and is left untouched.  Before a
    schema migration the journal is backed up ("pre-migration"); if that backup fails, nothing
    is migrated.  With ``daily_backup`` (the app passes it) today's "daily" backup is made if
    it is due; a failure there does not stop the journal from opening and is kept in
    :attr:`JournalCore.backup_error`.

    An encrypted journal needs its ``passphrase`` (:func:`~.protection.unlock`: without one
    :class:`~.protection.PassphraseNeededError`, a wrong one
    :class:`~.protection.WrongPassphraseError`, before anything is touched); it is opened with
    :class:`~.protection.CipherDatabase`, and its key is in use until it is closed.  A plain
    journal ignores ``passphrase``.

    A journal owns its database object (of ``database_class``).  One journal
    is open per process: opening another while one is open raises
    :class:`JournalAlreadyOpenError` rather than re-pointing the first one's queries.
    """
    refuse_second(data_dir)
    watch_folder(data_dir)  # errors say what the disk or the path did (see classify)
    too_long = path_too_long(database_path(data_dir))
    if too_long is not None:
        raise too_long
    if read_only:
        return _open_read_only(data_dir, make, database_class, passphrase)
    return _open_writable(data_dir, make, daily_backup, database_class, passphrase)


def _unlocked(path: Path, passphrase: str | None,
              database_class: type[JournalDatabase]) -> type[JournalDatabase]:
    """The database class for the journal at ``path``: an encrypted one's key is checked and
    put in use here (see :func:`~.protection.unlock`)."""
    key = unlock(path, passphrase)
    if key is None:
        return database_class
    hold_for_journal(key)
    return CipherDatabase


def _open_writable(data_dir: Path, make: Make[_J], daily_backup: bool,
                   database_class: type[JournalDatabase], passphrase: str | None) -> _J:
    db: JournalDatabase | None = None
    try:
        reason = read_only_reason(data_dir)
        if reason is not None:
            raise ReadOnlyJournalError(reason)
        ensure_private_dir(data_dir)
        path = database_path(data_dir)
        backups = backups_dir(data_dir)
        remove_leftovers(data_dir)  # of killed restores and backups (never a running one's)
        database_class = _unlocked(path, passphrase, database_class)
        damage = check_journal(path)  # reads only: a damaged file stays byte-for-byte
        if damage is not None:
            raise damaged_journal_error(damage, backups, path)
        _set_aside_log_of_empty_file(path)
        if not path.exists():
            # Create the file ourselves so it is private from the first byte.
            create_empty(path, FILE_MODE)
        restrict_mode(path, FILE_MODE)
        drop_read_only_copy()
        # Switching to WAL rewrites the file header, so it waits until the version check has
        # passed: a journal from a newer app must be left byte-for-byte untouched.
        connection_pragmas = {k: v for k, v in PRAGMAS.items() if k != "journal_mode"}
        db = database_class(str(path), pragmas=connection_pragmas, uri=False)
        database.initialize(db)
        db.connect()
        version = refuse_newer(db)
        if version.major >= 1 and pending(db):
            # An upgrade must never lose anything: keep the journal as it was before it.
            create_backup(path, backups, PRE_MIGRATION)
        db.pragma("journal_mode", PRAGMAS["journal_mode"])
        migrate(db)
        journal = make(data_dir, path, db, None)
    except StorageError:
        _abandon(db)
        raise
    except DATABASE_ERRORS as exc:
        _abandon(db)
        raise classify(exc) from exc
    except BaseException:  # a bug (e.g. in a migration step): still never leave it half-open
        _abandon(db)
        raise
    if daily_backup:
        try:
            journal.daily_backup = daily_backup_if_due(path, backups)
        except StorageError as exc:
            journal.backup_error = exc
    return journal


def _abandon(db: peewee.SqliteDatabase | None) -> None:
    """A failed open: close what it opened and leave no database (and no key) behind."""
    if db is not None and not db.is_closed():
        db.close()
    if database.obj is db:
        database.initialize(None)
    release_journal_key()


def _no_journal_yet(data_dir: Path, reason: str | None) -> StorageError:
    tail = f" It cannot be created there because {reason}." if reason else ""
    return EnvironmentStorageError(f"There is no journal in {data_dir} yet.{tail}")


def _open_read_only(data_dir: Path, make: Make[_J], database_class: type[JournalDatabase],
                    passphrase: str | None) -> _J:
    """Open the journal in ``data_dir`` for reading only, writing nothing at all.

    Every committed entry is read, including those still in the ``-wal``
    (:func:`~rejection_journal.storage.readonly.read_only_source` picks how).  A journal that
    needs a migration is refused: upgrading it needs a writable folder.
    """
    detected = read_only_reason(data_dir)
    path = database_path(data_dir)
    source: ReadOnlySource | None = None
    db: JournalDatabase | None = None
    drop_read_only_copy()
    remove_leftover_copies(path)  # of killed read-only commands (never a running one's)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            raise _no_journal_yet(data_dir, detected)
        database_class = _unlocked(path, passphrase, database_class)
        damage = check_journal(path)  # reads only
        if damage is not None:
            raise damaged_journal_error(damage, backups_dir(data_dir), path)
        source = read_only_source(path)
        db = database_class(source.uri, pragmas=READ_ONLY_PRAGMAS, uri=True)
        database.initialize(db)
        db.connect()
        version = refuse_newer(db)
        if pending(db):
            if version.major == 0 and not db.get_tables():
                raise _no_journal_yet(data_dir, detected)
            raise EnvironmentStorageError(
                f"The journal in {data_dir} needs upgrading before this version of Rejection "
                "Journal can read it, and upgrading needs a folder it can write to"
                + (f" ({detected})" if detected else "")
                + ". Open it once where it can be written, then try again."
            )
        keep_read_only_copy(source)
        source = None
        return make(data_dir, path, db, detected or "it was opened for reading only")
    except StorageError:
        _close_after_failure(db, source)
        raise
    except DATABASE_ERRORS as exc:
        _close_after_failure(db, source)
        raise classify(exc) from exc
    except BaseException:
        _close_after_failure(db, source)
        raise


def _close_after_failure(db: peewee.SqliteDatabase | None, source: ReadOnlySource | None
                         ) -> None:
    _abandon(db)
    if source is not None:
        source.cleanup()


def _set_aside_log_of_empty_file(path: Path) -> None:
    """A new journal killed in its first open can leave an empty file beside a log.  SQLite
    would delete such a log on opening; it is moved aside instead, so no byte is ever lost."""
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        return
    if empty and any(os.path.lexists(side_file(path, s)) for s in ("-wal", "-shm")):
        move_aside(path, side_files_only=True)
