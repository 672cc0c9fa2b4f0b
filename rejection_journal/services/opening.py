"""Opening a journal as a service, for the command line (the window opens its own with recovery
dialogs, in ``app.py``).

Each context manager yields a :class:`JournalService` over the journal in a data folder and
closes it on the way out.  Reading opens the journal read-only: nothing at all is written, so
it works beside the running app and on a read-only disk.  Writing assumes the caller holds the
one-writer lock.  Qt-free; the command line imports no storage module, only these.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rejection_journal.paths import database_path
from rejection_journal.services.journal_service import JournalService
from rejection_journal.storage import open_journal
from rejection_journal.storage.readonly import read_only_reason

__all__ = ["has_journal", "read_only_reason", "reading", "reading_if_any", "writing"]


def has_journal(data_dir: Path) -> bool:
    """True when ``data_dir`` holds a journal file (perhaps empty or damaged)."""
    return database_path(data_dir).exists()


@contextmanager
def reading(data_dir: Path) -> Iterator[JournalService]:
    """The journal in ``data_dir``, opened read-only, as a service."""
    with open_journal(data_dir, read_only=True) as journal:
        yield JournalService(journal)


@contextmanager
def reading_if_any(data_dir: Path) -> Iterator[JournalService | None]:
    """As :func:`reading`; None when there is no journal yet (an absent or empty file: the
    built-in library still is)."""
    path = database_path(data_dir)
    if not path.is_file() or path.stat().st_size == 0:
        yield None
        return
    with reading(data_dir) as service:
        yield service


@contextmanager
def writing(data_dir: Path) -> Iterator[JournalService]:
    """The journal in ``data_dir`` (created if needed), opened for writing, as a service.
    The caller holds the one-writer lock."""
    with open_journal(data_dir) as journal:
        yield JournalService(journal)
