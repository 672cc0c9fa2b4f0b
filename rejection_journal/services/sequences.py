"""The whole-journal sequences, written once for the window and the command line: back up,
then import; back up, then restore.  Qt-free."""

from __future__ import annotations

from pathlib import Path

from rejection_journal.storage import Journal
from rejection_journal.storage.backup_list import PRE_IMPORT, BackupInfo
from rejection_journal.storage.cipher import current_key, key_in_use
from rejection_journal.storage.import_schema import ImportPlan
from rejection_journal.storage.import_undo import ImportChanges
from rejection_journal.storage.merge import ImportResult, Progress, apply_import, preview_import
from rejection_journal.storage.restore import restore_backup


def import_into(journal: Journal, plan: ImportPlan, *, progress: Progress | None = None,
                changes: ImportChanges | None = None) -> ImportResult:
    """The one import sequence: preview the checked file; only if it will change something,
    back the journal up ("pre-import") and merge it, all or nothing.

    A file that changes nothing, or that fails before writing, leaves the journal and its
    backups exactly as they were (no pre-import backup pushes older ones out).
    """
    preview = preview_import(journal, plan)
    if not preview.changed:
        return preview
    journal.backup(PRE_IMPORT)
    return apply_import(journal, plan, progress=progress, changes=changes)


def restore_journal(data_dir: Path, backup: Path, *, journal: Journal | None = None
                    ) -> BackupInfo | None:
    """Bring back ``backup`` as the journal in ``data_dir``: the one restore sequence.

    The current journal is backed up first ("pre-restore", returned) or, if damaged, kept
    aside; see :func:`rejection_journal.storage.restore.restore_backup`.  ``journal``, when
    this process has it open, is closed for the swap and reopened afterwards, whatever
    happened.  The caller holds the one-writer lock.
    """
    key = journal.key if journal is not None else current_key()
    if journal is not None:
        journal.close()
    try:
        with key_in_use(key):  # a protected journal's backups are read with its key
            return restore_backup(backup, data_dir)
    finally:
        if journal is not None:
            journal.reopen()


def import_description(changes: ImportChanges) -> str:
    """``Import of 3,000 entries``, ``Import of 1 ladder``, ``Import of 2 entries and 1 run``."""
    parts = []
    for table, one, many in (("attempt", "entry", "entries"), ("challenge", "challenge",
                                                                 "challenges"),
                             ("ladder", "ladder", "ladders"), ("challenge_run", "run", "runs")):
        count = changes.count(table)
        if count:
            parts.append(f"{count:,} {one if count == 1 else many}")
    if not parts:
        return "Import of versions into history"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Import of {listed}"
