"""A journal only its owner can open: the use cases of passphrase protection, for the command
line and the window alike (Qt-free).

The passphrase is never stored and never kept longer than one call here: it is turned into a
key (storage's ``cipher``), and the key lives in memory only while the journal is unlocked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rejection_journal.paths import database_path
from rejection_journal.storage import cipher
from rejection_journal.storage import protection as storage
from rejection_journal.storage.backup_list import BackupInfo
from rejection_journal.storage.protection import PassphraseNeededError, WrongPassphraseError

__all__ = [
    "PassphraseNeededError",
    "WrongPassphraseError",
    "change_passphrase",
    "is_protected",
    "protect",
    "restore_protected",
    "unlocked",
    "unprotect",
]

#: what the window and the command line say before a journal is protected
FORGOTTEN_WARNING = (
    "If you forget this passphrase, nobody can open the journal again: not you, not us, not "
    "anyone. There is no reset and no back door.")
EXPORT_WARNING = ("The exported file is not encrypted: anyone who can open it can read what "
                  "it holds. Keep it somewhere private, or delete it when you are done.")


def is_protected(data_dir: Path) -> bool:
    """Is the journal in ``data_dir`` encrypted with a passphrase?"""
    path = database_path(data_dir)
    return path.is_file() and storage.is_encrypted(path)


@contextmanager
def unlocked(data_dir: Path, passphrase: Callable[[], str]) -> Iterator[None]:
    """Keep the key of the journal in ``data_dir`` in use for the block (every open, backup,
    check and restore inside reads it), asking ``passphrase()`` once, and only if the journal
    is protected.  A wrong one raises :class:`WrongPassphraseError` before anything else."""
    if not is_protected(data_dir):
        yield
        return
    key = storage.key_for(database_path(data_dir), passphrase())
    with cipher.key_in_use(key):
        yield


def check_passphrase(data_dir: Path, passphrase: str) -> bool:
    """Does ``passphrase`` open the (protected) journal in ``data_dir``?  Reads only."""
    try:
        storage.key_for(database_path(data_dir), passphrase)
    except WrongPassphraseError:
        return False
    return True


def protect(data_dir: Path, passphrase: str, *, remove_old_backups: bool = False) -> None:
    """Encrypt the closed journal in ``data_dir``; its older plain backups are encrypted too
    (or removed, with ``remove_old_backups``)."""
    storage.protect(data_dir, passphrase,
                    old_backups="remove" if remove_old_backups else "encrypt")


def unprotect(data_dir: Path, passphrase: str) -> None:
    """Decrypt the closed journal in ``data_dir`` (its backups stay encrypted)."""
    storage.unprotect(data_dir, passphrase)


def change_passphrase(data_dir: Path, old: str, new: str) -> None:
    """Re-encrypt the closed journal in ``data_dir`` under ``new``.  Backups made before keep
    the passphrase they were made with."""
    storage.change_passphrase(data_dir, old, new)


def restore_protected(data_dir: Path, backup: Path, passphrase: str | None,
                      backup_passphrase: str) -> BackupInfo | None:
    """Restore ``backup``, made under another passphrase (``backup_passphrase``), keeping the
    journal's protection as it is now; returns the "pre-restore" backup, if one was made."""
    return storage.restore(backup, data_dir, passphrase, backup_passphrase)
