"""Whole-journal files as the command line handles them: exports, backups, restores and an
entry's kept versions.

Each function is one use case, written over storage so that ``cli.py`` imports no storage
module.  The window reaches the same operations through :class:`JournalService`
(``export``, ``backup_now``, ``backups``, ``restore``), which these share their storage
calls with.  Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import backups_dir, database_path
from rejection_journal.services.journal_service import ImportPlan, ImportResult, JournalService
from rejection_journal.services.sequences import import_into, restore_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.backup_check import damaged_journal_error, verify_backup
from rejection_journal.storage.backup_list import (
    MANUAL,
    BackupInfo,
    backup_identity,
    backups_of,
    choose_backups_folder,
    journal_identity,
    short_id,
)
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.export import export_csv, export_json
from rejection_journal.storage.health import check_journal, damaged_copies
from rejection_journal.storage.restore import foreign_backup_note
from rejection_journal.storage.revisions import differing_fields, revision

__all__ = [
    "BackupInfo",
    "EntryVersion",
    "NoJournalError",
    "Restored",
    "back_up",
    "backup_journal_id",
    "bring_back_version",
    "entry_versions",
    "export_to",
    "journal_backups",
    "journal_id",
    "merge_file",
    "restore_from",
    "short_id",
    "verify_backup",
]


def export_to(service: JournalService, out: Path, fmt: str) -> int:
    """Write the journal to ``out`` as ``fmt`` ("json": everything; "csv": one row per entry);
    the number of entries written.  ``out`` has been checked by the caller."""
    return (export_json if fmt == "json" else export_csv)(service.journal, out)


class NoJournalError(StorageError):
    """There is no journal (yet) where one was asked for; nothing was done."""


def merge_file(service: JournalService, plan: ImportPlan) -> ImportResult:
    """Merge a checked export file (``JournalService.read_import``) into the journal: the one
    import sequence (:func:`import_into`: a pre-import backup only if it changes something),
    without collecting an undo step, since a command's undo history ends with it."""
    return import_into(service.journal, plan)


# -- backups -------------------------------------------------------------------------------------
def back_up(data_dir: Path, *, use_linked_folder: bool = False) -> tuple[BackupInfo, Path | None]:
    """Back up the journal in ``data_dir`` now ("manual"), without opening it: safe while the
    app has it open (SQLite's online backup sees every saved entry).

    A damaged journal raises :class:`DamagedJournalError` naming the backup that brings it
    back; ``use_linked_folder`` adopts a backups folder that is a link to elsewhere (returned
    as the second item).  The caller has checked that a journal file exists; an empty one
    (and no damage) raises :class:`NoJournalError`.
    """
    path = database_path(data_dir)
    damage = check_journal(path)
    if damage is not None:
        raise damaged_journal_error(damage, backups_dir(data_dir), path)
    if path.stat().st_size == 0:
        raise NoJournalError(f"no journal in {data_dir}")
    chosen = choose_backups_folder(data_dir) if use_linked_folder else None
    return create_backup(path, backups_dir(data_dir), MANUAL), chosen


def journal_id(data_dir: Path) -> str | None:
    """The id of the journal in ``data_dir`` (None: none yet, or from before ids)."""
    found, _changes = journal_identity(database_path(data_dir))
    return found


def journal_backups(data_dir: Path) -> list[BackupInfo]:
    """The backups of the journal in ``data_dir``, newest first (not another journal's that
    shares the folder)."""
    return backups_of(backups_dir(data_dir), journal_id(data_dir))


def backup_journal_id(backup: Path) -> str | None:
    """Whose journal ``backup`` is a copy of (None: unknown)."""
    found, _changes = backup_identity(backup)
    return found


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did: the journal as it was, kept as a backup (None if there was no
    readable journal), a note when the backup was another journal's, and the copy a damaged
    journal was kept as."""

    saved: BackupInfo | None
    foreign_note: str | None
    damaged_copy: Path | None
    was_damaged: bool


def restore_from(data_dir: Path, backup: Path) -> Restored:
    """Bring back ``backup`` (checked with :func:`verify_backup` first) as the journal in
    ``data_dir``; the caller holds the one-writer lock."""
    path = database_path(data_dir)
    damaged = path.is_file() and check_journal(path) is not None
    whose = foreign_backup_note(backup, data_dir)
    saved = restore_journal(data_dir, backup)
    kept = damaged_copies(data_dir) if damaged and saved is None else []
    return Restored(saved, whose, kept[0] if kept else None, damaged)


# -- an entry's kept versions --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class EntryVersion:
    """One kept version of an entry, as listed: its number (1 = newest), when it was stored
    (UTC, naive), whether it was an import's conflicting copy, and the fields in which it
    differs from the entry as it is now."""

    number: int
    saved_at: datetime
    conflict: bool
    differs_in: tuple[str, ...]


def entry_versions(service: JournalService, uuid: str
                   ) -> tuple[AttemptRecord, list[EntryVersion]]:
    """The entry as it is now and its kept versions, newest first.  Raises
    :class:`StorageError` for an unknown entry."""
    journal = service.journal
    versions = journal.attempt_versions(uuid)
    current = journal.attempt(uuid)
    if current is None:  # deleted between the two reads (the journal is open read-only)
        raise StorageError(f"There is no entry {uuid} in this journal.")
    return current, [EntryVersion(v.number, v.saved_at, v.kind == "conflict",
                                  tuple(differing_fields(current, v.record)))
                     for v in versions]


def bring_back_version(service: JournalService, uuid: str, number: int
                       ) -> tuple[AttemptRecord, bool]:
    """Bring back version ``number`` of an entry (the current one goes into its history);
    the entry as stored, and whether that changed what it holds."""
    journal = service.journal
    before = journal.attempt(uuid)
    restored = journal.restore_attempt_version(uuid, number)
    return restored, before is None or revision(before) != revision(restored)
