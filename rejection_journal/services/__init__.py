"""Use cases shared by the window and the command line, and the events they announce.

No Qt here: widgets call a :class:`JournalService` and listen to its :class:`ChangeBus`
through a small Qt adapter (``ui/changes.py``); the CLI calls the same functions.
"""

from rejection_journal.services.clock import Clock, FixedClock
from rejection_journal.services.events import Change, ChangeBus, Entity
from rejection_journal.services.journal_service import JournalService
from rejection_journal.storage.backup_list import BackupInfo
from rejection_journal.storage.errors import EnvironmentStorageError, StorageError
from rejection_journal.storage.import_schema import ImportPlan
from rejection_journal.storage.merge import ImportCancelled, ImportResult

# What widgets need of storage's vocabulary comes through here: ui/ never imports storage.
__all__ = [
    "BackupInfo",
    "Change",
    "ChangeBus",
    "Clock",
    "Entity",
    "EnvironmentStorageError",
    "FixedClock",
    "ImportCancelled",
    "ImportPlan",
    "ImportResult",
    "JournalService",
    "StorageError",
]
