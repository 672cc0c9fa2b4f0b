"""The open journal: which journal owns the database, its connection, and the one write wrapper.

One journal is open per process (:func:`current_journal`); every method of
:class:`~rejection_journal.storage.journal.Journal` is checked against it (:func:`owned`,
:func:`writes`), so a closed journal can never silently read or write another one's file.

Every write goes through :func:`writes`: whatever the machine does to a write (a full disk, a
locked or read-only database, an I/O error) comes out as one calm
:class:`~rejection_journal.storage.errors.StorageError` sorted by
:func:`~rejection_journal.storage.errors.classify`, never a raw SQLite or OS error.  Inside
it, :meth:`JournalCore._transaction` refuses a read-only journal and opens the transaction.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

import peewee

from rejection_journal.storage.cipher import release_journal_key
from rejection_journal.storage.errors import (
    ReadOnlyJournalError,
    StorageError,
    classify,
    watch_folder,
)
from rejection_journal.storage.models import JournalDatabase, database
from rejection_journal.storage.readonly import ReadOnlySource

if TYPE_CHECKING:
    from rejection_journal.storage.backup_list import BackupInfo

#: the journal open in this process, if any (it owns the database the models query)
_owner: JournalCore | None = None
#: the private temp copy a read-only journal is read from, if it needed one
_read_only_copy: ReadOnlySource | None = None


class JournalAlreadyOpenError(StorageError):
    """A second journal was opened while one is open in this process; nothing was changed."""


def current_journal() -> JournalCore | None:
    """The journal open in this process, if any."""
    return _owner


def refuse_second(data_dir: Path) -> None:
    """Raise :class:`JournalAlreadyOpenError` while a journal is open in this process."""
    if _owner is not None:
        raise JournalAlreadyOpenError(
            f"The journal in {_owner.data_dir} is still open in this program; close it before "
            f"opening the one in {data_dir}."
        )


def keep_read_only_copy(source: ReadOnlySource) -> None:
    """Remember the temp copy a read-only journal reads, to remove it when that closes."""
    global _read_only_copy
    _read_only_copy = source


def drop_read_only_copy() -> None:
    """Remove the temp copy of the last read-only journal, if there is one."""
    global _read_only_copy
    if _read_only_copy is not None:
        _read_only_copy.cleanup()
        _read_only_copy = None


_J = TypeVar("_J", bound="JournalCore")
_P = ParamSpec("_P")
_R = TypeVar("_R")

#: what the machine can do to a query: sorted into a StorageError by classify()
DATABASE_ERRORS = (peewee.PeeweeException, sqlite3.Error, OSError)


def _refuse_if_closed(journal: JournalCore) -> None:
    if _owner is not journal:
        raise StorageError(f"The journal in {journal.data_dir} is closed; open it again to "
                           "use it.")


def owned(method: Callable[Concatenate[_J, _P], _R]) -> Callable[Concatenate[_J, _P], _R]:
    """A method that queries the journal: refused unless this journal is the one open."""

    @functools.wraps(method)
    def checked(self: _J, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        _refuse_if_closed(self)
        return method(self, *args, **kwargs)

    return checked


@contextlib.contextmanager
def sorted_errors() -> Iterator[None]:
    """Whatever the machine does to the journal meanwhile (a full disk, a locked or read-only
    database, an I/O error) comes out as one calm :class:`StorageError` (see
    :func:`~rejection_journal.storage.errors.classify`); other errors pass through."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        raise classify(exc) from exc


def writes(method: Callable[Concatenate[_J, _P], _R]) -> Callable[Concatenate[_J, _P], _R]:
    """A method that writes the journal: refused unless this journal is the one open, and
    whatever the machine does to it (a full disk, a locked or read-only database, an I/O
    error) comes out as one calm :class:`StorageError`, never a raw SQLite or OS error.
    Every write of the journal goes through here; a :class:`ValidationError` passes through."""

    @functools.wraps(method)
    def checked(self: _J, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        _refuse_if_closed(self)
        with sorted_errors():
            return method(self, *args, **kwargs)

    checked.writes = True  # type: ignore[attr-defined]
    return checked


class JournalCore:
    """An open journal's state: its folder, file and database object, whether it may be
    written, and its lifetime (closing, worker threads' connections)."""

    def __init__(self, data_dir: Path, path: Path, db: JournalDatabase, *,
                 read_only_reason: str | None = None) -> None:
        global _owner
        self.data_dir = data_dir
        self.path = path
        self._db = db
        _owner = self
        #: why this journal cannot be written ("… because <this>"), or None when it can
        self.read_only_reason = read_only_reason
        #: the "daily" backup made when this journal was opened, if one was due
        self.daily_backup: BackupInfo | None = None
        #: why that daily backup could not be made (the journal opened anyway), for a notice
        self.backup_error: StorageError | None = None
        #: worker threads reading with their own connection (see :meth:`worker_connection`)
        self._workers = threading.Condition()
        self._worker_count = 0

    @property
    def read_only(self) -> bool:
        """True when this journal was opened read-only: every write method refuses."""
        return self.read_only_reason is not None

    def _refuse_if_read_only(self) -> None:
        if self.read_only_reason is not None:
            raise ReadOnlyJournalError(self.read_only_reason)

    @contextlib.contextmanager
    def _transaction(self, lock: str | None = None) -> Iterator[None]:
        """One transaction on a writable journal (inside a :func:`writes` method, which
        sorts its errors); ``lock`` as SQLite's ``BEGIN`` takes it (``"IMMEDIATE"``)."""
        self._refuse_if_read_only()
        with database.atomic(lock) if lock else database.atomic():
            yield

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return _owner is self and not self._db.is_closed()

    def close(self) -> None:
        """Close the database (if this journal is the one open); closing twice is fine."""
        global _owner
        if _owner is not self:
            return
        with self._workers:  # a worker's connection must not outlive the journal's
            self._workers.wait_for(lambda: self._worker_count == 0, timeout=30)
            if not self._db.is_closed():
                self._db.close()
            if database.obj is self._db:
                database.initialize(None)
            _owner = None
            watch_folder(None)
        drop_read_only_copy()
        release_journal_key()  # an encrypted journal's key leaves memory with it

    def _take_over(self, fresh: JournalCore) -> None:
        """Become ``fresh`` (this journal's file opened again): every holder of this object
        sees the new connection."""
        global _owner
        self._db, self.read_only_reason = fresh._db, fresh.read_only_reason
        _owner = self

    @contextlib.contextmanager
    def worker_connection(self) -> Iterator[None]:
        """For a worker thread (the entries list sorts 100,000 entries off the GUI thread):
        its own connection to this journal, opened here and closed on leaving, so no
        connection outlives the work.  :meth:`close` waits for these to finish."""
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("worker_connection() is for worker threads; the main thread "
                               "has the journal's own connection")
        with self._workers:
            if _owner is not self:
                raise StorageError(f"The journal in {self.data_dir} is closed.")
            self._worker_count += 1
        try:
            with self._db.connection_context():
                yield
        finally:
            with self._workers:
                self._worker_count -= 1
                self._workers.notify_all()
