"""The journal: one object over the open database, made of one part per job.

Services and tests call these methods and get domain records back; no SQL lives elsewhere.
Each job has its own module:

- :mod:`.session` — which journal is open, its connection, closing, the one write wrapper;
- :mod:`.opening` — opening the file: checks, permissions, pragmas, migration;
- :mod:`.entries` — saving and reading entries, with their history;
- :mod:`.entry_list` — the entries list's queries (sorting, filtering, search);
- :mod:`.chart_queries` — what the charts and the pause suggestion read;
- :mod:`.library` — the challenge library;
- :mod:`.ladder_store` — fear ladders and challenge runs;
- :mod:`.drafts` — the editors' unsaved drafts;
- :mod:`.self_checks` — the self-check's results, with their date;
- :mod:`.demo_store` — demo data;
- :mod:`.exchange` — what import and export need besides entries.
"""

from __future__ import annotations

from pathlib import Path

from rejection_journal.paths import backups_dir
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.backup_list import MANUAL, BackupInfo
from rejection_journal.storage.chart_queries import ChartQueries
from rejection_journal.storage.cipher import Key, hold_for_journal, release_journal_key
from rejection_journal.storage.demo_store import DemoStore
from rejection_journal.storage.drafts import DraftStore
from rejection_journal.storage.entry_list import EntryListQueries
from rejection_journal.storage.exchange import Exchange
from rejection_journal.storage.experiment_queries import ExperimentQueries
from rejection_journal.storage.ladder_store import LadderStore
from rejection_journal.storage.library import Library
from rejection_journal.storage.models import JournalDatabase
from rejection_journal.storage.opening import open_database
from rejection_journal.storage.protection import CipherDatabase, is_encrypted
from rejection_journal.storage.self_checks import SelfCheckStore
from rejection_journal.storage.session import JournalAlreadyOpenError, writes
from rejection_journal.storage.session import current_journal as _current

__all__ = ["Journal", "JournalAlreadyOpenError", "current_journal", "open_journal"]


class Journal(DemoStore, EntryListQueries, ChartQueries, Library, LadderStore, DraftStore,
              SelfCheckStore, ExperimentQueries, Exchange):
    """An open journal, owning its database object. One per process; close it when done."""

    def reopen(self, passphrase: str | None = None) -> None:
        """Open this journal's file again (after a restore, or a change of its protection,
        replaced it while closed).  An encrypted file opens with ``passphrase``, or else with
        the key this journal had (kept in memory across the reopen, never written).

        This object takes over the fresh connection, so every widget holding it sees the new
        file.  Raises like :func:`open_journal`.
        """
        key = self.key
        self.close()
        if passphrase is None and key is not None and is_encrypted(self.path):
            hold_for_journal(key)
        base = JournalDatabase if isinstance(self._db, CipherDatabase) else type(self._db)
        try:
            fresh = open_journal(self.data_dir, read_only=self.read_only, database_class=base,
                                 passphrase=passphrase)
        except BaseException:
            release_journal_key()
            raise
        self._take_over(fresh)

    @property
    def key(self) -> Key | None:
        """The key this journal was opened with (None: a plain journal); memory only."""
        return self._db.key if isinstance(self._db, CipherDatabase) else None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- backups ---------------------------------------------------------------------------
    @property
    def backups_dir(self) -> Path:
        return backups_dir(self.data_dir)

    @writes
    def backup(self, kind: str = MANUAL) -> BackupInfo:
        """Back up the journal now (it stays open); rotates old backups of the same group."""
        self._refuse_if_read_only()
        return create_backup(self.path, self.backups_dir, kind)


def _made(data_dir: Path, path: Path, db: JournalDatabase, read_only_reason: str | None
          ) -> Journal:
    journal = Journal(data_dir, path, db, read_only_reason=read_only_reason)
    if read_only_reason is None:
        journal.sync_builtin_challenges()
    return journal


def open_journal(data_dir: Path, *, read_only: bool = False, daily_backup: bool = False,
                 database_class: type[JournalDatabase] = JournalDatabase,
                 passphrase: str | None = None) -> Journal:
    """Open (creating if needed) the journal in ``data_dir``: see
    :func:`~rejection_journal.storage.opening.open_database`.  A writable journal's built-in
    challenges are brought up to date with the library shipped."""
    return open_database(data_dir, _made, read_only=read_only, daily_backup=daily_backup,
                         database_class=database_class, passphrase=passphrase)


def current_journal() -> Journal | None:
    """The journal open in this process, if any."""
    found = _current()
    return found if isinstance(found, Journal) else None
