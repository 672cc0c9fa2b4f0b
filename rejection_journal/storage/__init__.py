"""Local storage with peewee on SQLite. Qt-free; returns domain records."""

from rejection_journal.storage.errors import (
    EnvironmentStorageError,
    JournalNotEmptyError,
    NewerJournalError,
    StorageError,
)
from rejection_journal.storage.journal import Journal, open_journal

__all__ = [
    "EnvironmentStorageError",
    "Journal",
    "JournalNotEmptyError",
    "NewerJournalError",
    "StorageError",
    "open_journal",
]
