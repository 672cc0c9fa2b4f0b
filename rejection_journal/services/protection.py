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
from rejection_journal.services.events import Change
from rejection_journal.services.journal_service import JournalService
from rejection_journal.storage import cipher
from rejection_journal.storage import protection as storage
from rejection_journal.storage.backup_list import BackupInfo
from rejection_journal.storage.journal import Journal
from rejection_journal.storage.protection import PassphraseNeededError, WrongPassphraseError
from rejection_journal.storage.sqlite_files import read_start

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


def _open_here(data_dir: Path) -> Journal | None:
    """The journal in ``data_dir`` if this process has it open."""
    from rejection_journal.storage.journal import current_journal

    journal = current_journal()
    if journal is not None and journal.is_open and journal.data_dir == data_dir:
        return journal
    return None


def _open_key(data_dir: Path) -> cipher.Key | None:
    journal = _open_here(data_dir)
    return journal.key if journal is not None else None


def is_protected(data_dir: Path) -> bool:
    """Is the journal in ``data_dir`` encrypted with a passphrase?"""
    if _open_here(data_dir):
        return _open_key(data_dir) is not None  # its file is SQLite's now: no plain read
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


def key_if_fits(data_dir: Path, passphrase: str) -> cipher.Key | None:
    """The key ``passphrase`` gives the (closed, protected) journal in ``data_dir``, or None
    if it does not open it.  Reads only."""
    try:
        return storage.key_for(database_path(data_dir), passphrase)
    except WrongPassphraseError:
        return None


def check_passphrase(data_dir: Path, passphrase: str) -> bool:
    """Does ``passphrase`` open the (protected) journal in ``data_dir``?  Reads only (of an
    open journal, nothing: its key is compared)."""
    open_key = _open_key(data_dir)
    if open_key is not None:
        return cipher.derive_key(passphrase, open_key.salt) == open_key
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


# -- the reminder (a hint the user writes; never the passphrase) -------------------------------
#: beside the journal, in the clear (it must be readable before the journal is unlocked)
HINT_FILE = "passphrase-reminder.txt"


def read_hint(data_dir: Path) -> str:
    """The reminder the user wrote for the passphrase, or "" (none, or unreadable)."""
    try:
        return (data_dir / HINT_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def write_hint(data_dir: Path, hint: str) -> None:
    """Keep ``hint`` (private, 0600) as the reminder; an empty one removes it."""
    from rejection_journal.fileio import write_atomic

    path = data_dir / HINT_FILE
    if hint.strip():
        write_atomic(path, hint.strip().encode("utf-8") + b"\n")
    else:
        path.unlink(missing_ok=True)


# -- the open journal's protection, changed from the window -------------------------------------

def protect_open(journal: Journal, passphrase: str, *, hint: str = "",
                 remove_old_backups: bool = False) -> None:
    """Protect ``journal`` (open in this process): it is closed for the conversion and opened
    again with its new key, whatever happened (a failure leaves it as it was, and open)."""
    journal.close()
    try:
        protect(journal.data_dir, passphrase, remove_old_backups=remove_old_backups)
        write_hint(journal.data_dir, hint)
    finally:
        journal.reopen(passphrase)


def change_open(journal: Journal, old: str, new: str, *, hint: str = "") -> None:
    """Give ``journal`` (open in this process) a new passphrase; see :func:`protect_open`."""
    journal.close()
    done = False
    try:
        change_passphrase(journal.data_dir, old, new)
        done = True
        write_hint(journal.data_dir, hint)
    finally:
        journal.reopen(new if done else old)


def unprotect_open(journal: Journal, passphrase: str) -> None:
    """Remove ``journal``'s passphrase (it is open in this process); the reminder goes too."""
    journal.close()
    try:
        unprotect(journal.data_dir, passphrase)
        write_hint(journal.data_dir, "")
    finally:
        journal.reopen(passphrase)


def has_other_passphrase(service: JournalService, backup: Path) -> bool:
    """Was ``backup`` made under another passphrase than the open journal's (an earlier one,
    or before it was protected differently)?  Its key then is not the journal's."""
    key = service.journal.key
    if not storage.is_encrypted(backup):
        return False
    salt = cipher.file_salt(backup, read_start(backup, cipher.SALT_SIZE))
    return key is None or salt != key.salt


def backup_passphrase_fits(backup: Path, passphrase: str) -> bool:
    try:
        storage.key_for(backup, passphrase)
    except WrongPassphraseError:
        return False
    return True


def restore_open(service: JournalService, backup: Path, backup_passphrase: str
                 ) -> BackupInfo | None:
    """The window's restore of a backup made under another passphrase: the journal (open
    here) is closed, the backup written anew under the journal's own key and restored, and
    the journal opened again, whatever happened; undo history is forgotten (it described a
    journal that is no longer there).  Returns the "pre-restore" backup, if one was made."""
    journal = service.journal
    key = journal.key
    journal.close()
    try:
        with cipher.key_in_use(key):
            return storage.restore(backup, journal.data_dir, None, backup_passphrase)
    finally:
        journal.reopen()
        service.undo_stack.clear()
        service.changes.publish(Change.reset())
