"""The errors a use case can raise, sorted, for callers that import no storage module (the
command line; widgets get the same names from :mod:`rejection_journal.services`)."""

from __future__ import annotations

import sqlite3

import peewee

from rejection_journal.storage.errors import (
    DamagedJournalError,
    EnvironmentStorageError,
    StorageError,
    classify,
)

__all__ = [
    "LOW_LEVEL_ERRORS",
    "DamagedJournalError",
    "EnvironmentStorageError",
    "StorageError",
    "classify",
]

#: what the disk, SQLite or the ORM may raise underneath a use case; :func:`classify` sorts
#: one into "the environment's fault" (:class:`EnvironmentStorageError`) or a bug
LOW_LEVEL_ERRORS: tuple[type[BaseException], ...] = (OSError, sqlite3.Error,
                                                     peewee.PeeweeException)
