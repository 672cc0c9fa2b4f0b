"""Storage errors, sorted into "the environment's fault" and everything else."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from rejection_journal.fileio import disk_is_full
from rejection_journal.paths import database_path


class StorageError(Exception):
    """Something went wrong reading or writing the journal."""


class EnvironmentStorageError(StorageError):
    """The machine, not the app: disk full, read-only folder, journal locked, no permission.

    The message is written for the user; nothing was changed.
    """


class NewerJournalError(StorageError):
    """The journal was written by a newer version of the app; it is left untouched."""


class JournalNotEmptyError(StorageError):
    """An operation meant for an empty journal (like ``demo``) met one with entries."""


_DISK_FULL = "The disk is full. Free some space and try again."

# SQLite's primary result codes (the low byte of ``sqlite_errorcode``) that mean the machine,
# not the app, is at fault, with what to tell the user.  Sorting by code, not by message text,
# survives SQLite rewording its messages and any translation.
_FULL, _IOERR, _READONLY, _BUSY, _LOCKED, _CANTOPEN, _PERM = 13, 10, 8, 5, 6, 14, 3
_ENVIRONMENT_CODES = {
    _FULL: _DISK_FULL,
    _IOERR: "The disk reported an input/output error.",
    _READONLY: "The journal's folder is read-only. Check its permissions.",
    _BUSY: "The journal is busy in another program. Close it and try again.",
    _LOCKED: "The journal is busy in another program. Close it and try again.",
    _CANTOPEN: "The journal file could not be opened. Check the folder exists and that you "
               "may write to it.",
    _PERM: "The journal could not be used: permission denied. Check its permissions.",
}


#: the longest path to a database SQLite's unix VFS opens: its MAX_PATHNAME (512 bytes), less
#: the "-journal" it appends for a side file (measured: 504 opens, 505 does not)
SQLITE_PATH_MAX = 504

#: the data folder of the journal open in this process: an I/O error or a file that cannot be
#: opened is checked against it (a full disk, a path too long) to say what really happened
_watched: Path | None = None


def watch_folder(folder: Path | None) -> None:
    """Check errors against ``folder`` (the open journal's data folder; None: none open)."""
    global _watched
    _watched = folder


def path_too_long(database: Path) -> EnvironmentStorageError | None:
    """The message for a journal file whose path SQLite cannot open, or None if it can."""
    longest = 0
    for form in (os.path.abspath(database), os.path.realpath(database)):
        longest = max(longest, len(os.fsencode(form)))
    if longest <= SQLITE_PATH_MAX:
        return None
    folder_max = SQLITE_PATH_MAX - len(os.fsencode(os.sep + database.name))
    return EnvironmentStorageError(
        f"The journal's folder path is too long: SQLite can open a journal in a folder whose "
        f"path has at most {folder_max} characters, and this one has "
        f"{longest - (SQLITE_PATH_MAX - folder_max)}. Choose a folder with a shorter path "
        "(--data-dir DIR)."
    )


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code behind ``exc`` (an ``sqlite3.Error``), or None."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


_CORRUPT, _NOTADB = 11, 26


def is_corrupt(exc: BaseException) -> bool:
    """SQLite found the file damaged inside ("database disk image is malformed")."""
    return sqlite_code(exc) == _CORRUPT


def is_not_a_database(exc: BaseException) -> bool:
    """SQLite found no database in the file ("file is not a database")."""
    return sqlite_code(exc) == _NOTADB


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the errors behind it (``__cause__``, else ``__context__``), outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _environment(exc: BaseException) -> EnvironmentStorageError | None:
    code = sqlite_code(exc)
    if code == _IOERR and _watched is not None and disk_is_full(_watched):
        # SQLite reports some failed writes on a full disk as an I/O error
        return EnvironmentStorageError(_DISK_FULL)
    if code == _CANTOPEN and _watched is not None:
        too_long = path_too_long(database_path(_watched))
        if too_long is not None:
            return too_long
    if code in _ENVIRONMENT_CODES:
        return EnvironmentStorageError(_ENVIRONMENT_CODES[code])
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        where = f" ({exc.filename})" if exc.filename else ""
        return EnvironmentStorageError(f"The disk is full{where}. Free some space and try again.")
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        where = f" ({exc.filename})" if exc.filename else ""
        return EnvironmentStorageError(f"A path is too long for this system{where}. Choose a "
                                       "folder with a shorter path (--data-dir DIR).")
    return None


def classify(exc: BaseException) -> StorageError:
    """Turn a low-level exception into an :class:`EnvironmentStorageError` or a plain bug.

    The errors behind ``exc`` count too: a failed clean-up (a ROLLBACK, a temp file's removal)
    must not hide that the disk was full.
    """
    if isinstance(exc, EnvironmentStorageError):
        return exc
    for link in _chain(exc):
        found = _environment(link)
        if found is not None:
            return found
    if isinstance(exc, OSError) and exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return EnvironmentStorageError(
            f"{exc.filename or 'The journal path'} is a file, not a folder. "
            "Choose a folder for the journal (--data-dir DIR)."
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return EnvironmentStorageError(f"{exc.strerror or exc} ({getattr(exc, 'filename', '')})")
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.DatabaseError | OSError):
        return StorageError(f"Unexpected storage error: {exc}")
    return StorageError(str(exc))


class _Damage(Protocol):
    """What :class:`DamagedJournalError` needs of ``health.Damage`` (no import: health uses
    this module, and modules here never import each other in a loop)."""

    @property
    def message(self) -> str: ...

    @property
    def kind(self) -> Any: ...  # health.DamageKind


class DamagedJournalError(StorageError):
    """The journal file is damaged. Nothing was changed; a backup can be restored.

    ``damage`` says what is wrong (:class:`rejection_journal.storage.health.Damage`);
    ``backup`` is the newest backup that passed its integrity check, or ``None``.
    """

    def __init__(self, damage: _Damage, backup: Path | None = None) -> None:
        self.damage = damage
        self.backup = backup
        if backup is None:
            tail = "It has been left as it was; there is no backup to restore yet."
        else:
            tail = f"It has been left as it was, and the backup {backup.name} can bring it back."
        super().__init__(f"{damage.message} {tail}")


class ReadOnlyJournalError(EnvironmentStorageError):
    """The journal cannot be written (read-only file, folder or disk); nothing was changed.

    ``reason`` finishes the sentence "This journal is read-only because …".
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"This journal is read-only because {reason}, so changes can't be "
                         "saved.")
