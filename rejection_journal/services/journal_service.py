"""The journal's use cases, written once for the window and the command line.

Widgets and commands call a :class:`JournalService`; it calls storage, keeps the undo history
and announces every change on its :class:`~rejection_journal.services.events.ChangeBus`.
Whole-journal sequences (back up, then import; back up, then restore) live here and nowhere
else.  Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from rejection_journal.domain.chart_stats import BeliefPair, ChartFilter, ChartRow, LadderAttempt
from rejection_journal.domain.fields import ATTEMPT_FIELDS
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.domain.wellbeing import (
    TREND_WINDOW,
    PauseSuggestion,
    TrendPoint,
    pause_suggestion,
)
from rejection_journal.services.events import Change, ChangeBus
from rejection_journal.services.undo import Step, Touch, UndoStack
from rejection_journal.storage import Journal, StorageError
from rejection_journal.storage.backup import (
    MANUAL,
    PRE_IMPORT,
    BackupInfo,
    list_backups,
    restore_backup,
)
from rejection_journal.storage.importer import (
    ImportPlan,
    ImportResult,
    Progress,
    apply_import,
    preview_import,
    read_plan,
)

#: fields that are bookkeeping, not something the user wrote
_BOOKKEEPING = frozenset(f.attribute for f in ATTEMPT_FIELDS if f.bookkeeping)
_ATTEMPT_FIELDS = tuple(f.attribute for f in ATTEMPT_FIELDS)


def changed_fields(before: AttemptRecord | None, after: AttemptRecord | None) -> frozenset[str]:
    """The attribute names whose values differ (bookkeeping times left out)."""
    if before is None or after is None:
        return frozenset(_ATTEMPT_FIELDS) - _BOOKKEEPING
    return frozenset(
        name for name in _ATTEMPT_FIELDS
        if name not in _BOOKKEEPING and getattr(before, name) != getattr(after, name)
    )


def _short(ask: str, limit: int = 40) -> str:
    ask = " ".join(ask.split())
    return f"“{ask[: limit - 1]}…”" if len(ask) > limit else f"“{ask}”"


def import_into(journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
                ) -> ImportResult:
    """The one import sequence: preview the checked file; only if it will change something,
    back the journal up ("pre-import") and merge it, all or nothing.

    A file that changes nothing, or that fails before writing, leaves the journal and its
    backups exactly as they were (no pre-import backup pushes older ones out).
    """
    preview = preview_import(journal, plan)
    if not preview.changed:
        return preview
    journal.backup(PRE_IMPORT)
    return apply_import(journal, plan, progress=progress)


def restore_journal(data_dir: Path, backup: Path, *, journal: Journal | None = None
                    ) -> BackupInfo | None:
    """Bring back ``backup`` as the journal in ``data_dir``: the one restore sequence.

    The current journal is backed up first ("pre-restore", returned) or, if damaged, kept
    aside; see :func:`rejection_journal.storage.backup.restore_backup`.  ``journal``, when
    this process has it open, is closed for the swap and reopened afterwards, whatever
    happened.  The caller holds the one-writer lock.
    """
    if journal is not None:
        journal.close()
    try:
        return restore_backup(backup, data_dir)
    finally:
        if journal is not None:
            journal.reopen()


class JournalService:
    """One open journal's use cases; ``changes`` announces what each of them changed."""

    def __init__(self, journal: Journal, changes: ChangeBus | None = None, *,
                 today: Callable[[], date] = date.today) -> None:
        self.journal = journal
        self.changes = changes or ChangeBus()
        self.undo_stack = UndoStack()
        #: the local calendar day (the date rule compares with it); tests pass a fixed one
        self.today = today

    @property
    def data_dir(self) -> Path:
        return self.journal.data_dir

    @property
    def path(self) -> Path:
        """The journal file."""
        return self.journal.path

    @property
    def backup_error(self) -> StorageError | None:
        """Why today's automatic backup could not be made when the journal opened, if so."""
        return self.journal.backup_error

    @property
    def read_only_reason(self) -> str | None:
        """Why this journal cannot be changed (words for the user), or None if it can."""
        return self.journal.read_only_reason

    # -- reading -----------------------------------------------------------------------------
    def attempt(self, uuid: str) -> AttemptRecord | None:
        return self.journal.attempt(uuid)

    def attempt_uuids(self) -> list[str]:
        return self.journal.attempt_uuids()

    def attempts_by_uuid(self, uuids: Sequence[str]) -> dict[str, AttemptRecord]:
        return self.journal.attempts_by_uuid(uuids)

    def attempt_count(self) -> int:
        return self.journal.attempt_count()

    def open_entries(self) -> list[AttemptRecord]:
        """Entries whose after half is still open, oldest first."""
        return self.journal.open_attempts()

    def open_count(self) -> int:
        return self.journal.open_attempt_count()

    def challenges(self, *, include_archived: bool = False) -> list[ChallengeRecord]:
        return self.journal.challenges(include_archived=include_archived)

    def challenge(self, uuid: str) -> ChallengeRecord | None:
        return self.journal.challenge(uuid)

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
        """Every entry the charts may show (no texts), oldest first, within ``flt``."""
        flt = flt or ChartFilter()
        return self.journal.chart_rows(flt.since, flt.until, flt.category)

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
        """(prediction before, prediction for next time) per entry, for the belief chart."""
        flt = flt or ChartFilter()
        return self.journal.belief_pairs(flt.since, flt.until, flt.category)

    def ladder_attempts(self, flt: ChartFilter | None = None) -> tuple[str, list[LadderAttempt]]:
        """The chosen ladder's name and the attempts on its rungs (ladders: issue 8; until
        storage has them, ``Journal.ladder_attempts(name, since, until)``, none)."""
        flt = flt or ChartFilter()
        query = getattr(self.journal, "ladder_attempts", None)
        name = flt.ladder or ""
        return name, ([] if query is None else list(query(flt.ladder, flt.since, flt.until)))

    # -- saving, deleting, undo --------------------------------------------------------------
    def save(self, record: AttemptRecord) -> AttemptRecord:
        """Validate and store ``record``; announce it and remember it for undo.

        What a user saves also follows the date rule (``check_date``: a completed entry is not
        dated after today, a planned one at most a few weeks ahead); imports keep the dates
        their files carry.

        Raises :class:`~rejection_journal.domain.records.ValidationError` or
        :class:`~rejection_journal.storage.StorageError`; nothing changes then.
        """
        record.validated().check_date(self.today())
        before = self.journal.attempt(record.uuid)
        stored = self.journal.save_attempt(record)
        fields = changed_fields(before, stored)
        if before is None or fields:
            verb = "New entry" if before is None else "Edit"
            self.undo_stack.push(Step(f"{verb} {_short(stored.ask)}",
                                      (Touch(stored.uuid, before, stored),)))
        self._announce(stored.uuid, before, stored, fields)
        return stored

    def delete(self, uuid: str) -> AttemptRecord | None:
        """Delete an entry (it can be brought back with :meth:`undo`); returns what it was."""
        before = self.journal.attempt(uuid)
        if before is None:
            return None
        self.journal.delete_attempt(uuid)
        self.undo_stack.push(Step(f"Delete {_short(before.ask)}", (Touch(uuid, before, None),)))
        self._announce(uuid, before, None, changed_fields(before, None))
        return before

    @property
    def undo_text(self) -> str | None:
        return self.undo_stack.undo_text

    @property
    def redo_text(self) -> str | None:
        return self.undo_stack.redo_text

    def undo(self) -> str | None:
        """Undo the last save or delete; returns its description, or None if nothing to undo."""
        step = self.undo_stack.take_undo()
        if step is None:
            return None
        try:
            self._apply(step.reversed())
        except Exception:
            self.undo_stack.restore_undo()
            raise
        return step.description

    def redo(self) -> str | None:
        step = self.undo_stack.take_redo()
        if step is None:
            return None
        try:
            self._apply(step)
        except Exception:
            self.undo_stack.restore_redo()
            raise
        return step.description

    def _apply(self, step: Step) -> None:
        many = len(step.touches) > 1
        for touch in step.touches:
            current = self.journal.attempt(touch.uuid)
            if touch.after is None:
                self.journal.delete_attempt(touch.uuid)
                stored = None
            else:
                stored = self.journal.save_attempt(touch.after)
            if not many:
                self._announce(touch.uuid, current, stored, changed_fields(current, stored))
        if many:  # an import taken back or redone: one reset, not thousands of row updates
            self.changes.publish(Change.reset())

    # -- the editor's draft ----------------------------------------------------------------------
    def save_draft(self, key: str, content: str, entry_uuid: str | None) -> None:
        """Keep editor ``key``'s unsaved form (``content``, the form as typed) in the journal,
        so a crash, a kill or a logout loses nothing; replaces its previous draft."""
        self.journal.save_draft(key, content, entry_uuid)

    def draft(self, key: str) -> tuple[str, str | None] | None:
        """(content, entry UUID) of the draft editor ``key`` left, or None."""
        return self.journal.draft(key)

    def discard_draft(self, key: str) -> None:
        self.journal.delete_draft(key)

    def _announce(self, uuid: str, before: AttemptRecord | None, after: AttemptRecord | None,
                  fields: frozenset[str]) -> None:
        if before is None and after is not None:
            self.changes.publish(Change(added=(uuid,), fields=fields))
        elif after is None and before is not None:
            self.changes.publish(Change(removed=(uuid,), fields=fields))
        elif fields:
            self.changes.publish(Change(changed=(uuid,), fields=fields))

    # -- whole-journal operations --------------------------------------------------------------
    @staticmethod
    def read_import(path: Path) -> ImportPlan:
        """Read and check a whole export file; touches no journal (see ``importer.read_plan``)."""
        return read_plan(path)

    def preview_import(self, plan: ImportPlan) -> ImportResult:
        """What importing ``plan`` would add, update and keep; writes nothing."""
        return preview_import(self.journal, plan)

    def import_plan(self, plan: ImportPlan, *, progress: Progress | None = None
                    ) -> ImportResult:
        """Import a checked file (see :func:`import_into`); announces a reset if it changed
        anything, and can be undone (the entries it added are removed, the ones it replaced
        are put back; challenges it added stay)."""
        uuids = [attempt.uuid for attempt in plan.attempts]
        before = self.journal.attempts_by_uuid(uuids)
        result = import_into(self.journal, plan, progress=progress)
        if result.changed:
            after = self.journal.attempts_by_uuid(uuids)
            touches = tuple(
                Touch(uuid, before.get(uuid), after.get(uuid)) for uuid in uuids
                if changed_fields(before.get(uuid), after.get(uuid))
                or (uuid in before) != (uuid in after)
            )
            if touches:
                self.undo_stack.push(Step(f"Import of {len(touches):,} "
                                          f"entr{'y' if len(touches) == 1 else 'ies'}", touches))
            self.changes.publish(Change.reset())
        return result

    def export(self, path: Path, *, force: bool) -> int:
        """Write the journal to ``path``: CSV for a ``.csv`` name, JSON (everything) otherwise.

        Never the journal's own files, a device or a folder; an existing file only with
        ``force``.  Returns the number of entries written.
        """
        from rejection_journal.fileio import check_export_target
        from rejection_journal.storage.export import export_csv, export_json

        check_export_target(path, self.data_dir, force=force)
        writer = export_csv if path.suffix.lower() == ".csv" else export_json
        return writer(self.journal, path)

    def backups(self) -> list[BackupInfo]:
        """This journal's backups, newest first."""
        return list_backups(self.journal.backups_dir)

    def backup_now(self) -> BackupInfo:
        return self.journal.backup(MANUAL)

    def restore(self, backup: Path) -> BackupInfo | None:
        """Replace the journal with ``backup`` (see :func:`restore_journal`); announces a reset.

        Undo history is forgotten: it described a journal that is no longer there.
        """
        try:
            return restore_journal(self.data_dir, backup, journal=self.journal)
        finally:
            self.undo_stack.clear()
            self.changes.publish(Change.reset())

    # -- demo data -------------------------------------------------------------------------------
    #: how many entries "Explore with demo entries" adds (a few weeks of practice)
    DEMO_ENTRIES = 60

    def add_demo_data(self, count: int = DEMO_ENTRIES, *, seed: int = 0) -> int:
        """Fill an *empty* journal with synthetic entries (as ``rejection-journal demo``
        does), each marked as demo data so :meth:`remove_demo_data` can take it all away.

        Raises :class:`~rejection_journal.storage.errors.JournalNotEmptyError` (a
        :class:`StorageError`) if the journal has entries; nothing changes then.
        Announces a reset; undo history is forgotten (it described another journal).
        """
        from rejection_journal.domain.demo import generate_attempts

        records = generate_attempts(self.journal.challenges(), count, seed=seed,
                                    today=self.today())
        added = self.journal.add_demo_attempts(records)
        self.undo_stack.clear()
        self.changes.publish(Change.reset())
        return added

    def has_demo_data(self) -> bool:
        """True while anything demo data added is still in the journal."""
        return self.journal.has_demo_data()

    def remove_demo_data(self) -> int:
        """Delete everything demo data added, in one step; real entries stay.  Returns how
        many items went; announces a reset and forgets the undo history (it may hold demo
        entries, which must not come back unmarked)."""
        removed = self.journal.remove_demo_data()
        self.undo_stack.clear()
        self.changes.publish(Change.reset())
        return removed

    # -- wellbeing -------------------------------------------------------------------------------
    def pause_suggestion(self) -> PauseSuggestion | None:
        """Whether the recent entries' trend suggests a pause (see ``domain/wellbeing.py``)."""
        recent = self.journal.recent_completed(TREND_WINDOW)
        return pause_suggestion([TrendPoint(actual, hopeful) for actual, hopeful in recent])
