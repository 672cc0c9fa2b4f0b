"""Merging a checked export into the journal by UUID, in one transaction: all or nothing.

The third of the import's three parts (:mod:`~rejection_journal.storage.import_decode`,
:mod:`~rejection_journal.storage.import_schema`, merge).  :func:`apply_import` merges an
:class:`~rejection_journal.storage.import_schema.ImportPlan`; :func:`preview_import` works
out the same result without writing anything, so a caller backs up (or asks) only when the
import will change something.  The whole sequence (preview, a pre-import backup if needed,
merge) is a use case: ``rejection_journal.services.journal_service.import_into``.

Merging trusts no clock: an attempt is taken from the file only when the file's copy is a
later revision of the journal's (see :mod:`rejection_journal.storage.revisions`). When both
were edited since they were last shared, the journal keeps its own and the file's copy goes
into the entry's history: a *conflict*, counted and reported.  Rows are built by
:mod:`rejection_journal.storage.rows`, as :meth:`Journal.save_attempt` builds them.  The merge
rules are documented in ``docs/json-format.md``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import peewee

from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, utcnow
from rejection_journal.storage import demo as demo_marks
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.errors import StorageError, classify
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_schema import ImportPlan, read_plan
from rejection_journal.storage.journal import Journal, prune_history
from rejection_journal.storage.models import (
    Attempt,
    AttemptVersion,
    Challenge,
    database,
    tuple_rows,
)
from rejection_journal.storage.revisions import (
    CONFLICT,
    EARLIER,
    EARLIER_REVISIONS_KEPT,
    join_revisions,
    record_to_json,
    revision,
    split_revisions,
)
from rejection_journal.storage.rows import attempt_row, challenge_ids, challenge_row

#: Records written per statement; the progress callback is called after each chunk.
CHUNK = 200

Progress = Callable[[int, int], None]


class ImportCancelled(StorageError):
    """Raise from a progress callback to stop an import; nothing is written."""

    def __init__(self, message: str = "Import cancelled; the journal was not changed.") -> None:
        super().__init__(message)



# -- results ------------------------------------------------------------------------------

def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, from :func:`preview_import`, would do)."""

    added_attempts: int = 0
    updated_attempts: int = 0
    unchanged_attempts: int = 0
    added_challenges: int = 0
    updated_challenges: int = 0
    unchanged_challenges: int = 0
    #: attempts changed both here and in the file since they were last shared: the journal
    #: kept its own, the file's copy is in the entry's history
    conflict_attempts: int = 0
    #: their UUIDs, in file order
    conflict_uuids: tuple[str, ...] = ()
    #: of those, how many file copies were not in the history yet (and were stored)
    stored_conflicts: int = 0
    # Format 4: fear ladders and challenge runs (merged by UUID; the later change wins)
    added_ladders: int = 0
    updated_ladders: int = 0
    unchanged_ladders: int = 0
    added_runs: int = 0
    updated_runs: int = 0
    unchanged_runs: int = 0
    #: ladder steps left out: their challenge is neither in the file nor in the journal
    skipped_rungs: int = 0
    #: runs stored without their ladder, which is neither in the file nor in the journal
    unlinked_runs: int = 0
    #: (format 5) how many of the file's entries, ladders and runs are demo data; those the
    #: import adds stay demo here (Remove demo data takes them away again)
    demo_items: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import writes anything (entries, challenges, ladders, runs or an
        entry's history)."""
        return bool(self.added_attempts or self.updated_attempts or self.stored_conflicts
                    or self.added_challenges or self.updated_challenges
                    or self.added_ladders or self.updated_ladders or self.added_runs
                    or self.updated_runs)

    def _ladders_sentence(self) -> str:
        ladders = self.added_ladders + self.updated_ladders + self.unchanged_ladders
        runs = self.added_runs + self.updated_runs + self.unchanged_runs
        if not ladders and not runs:
            return ""
        text = (f" {_plural(ladders, 'ladder')}: {self.added_ladders:,} added, "
                f"{self.updated_ladders:,} updated, {self.unchanged_ladders:,} already up to "
                f"date; {_plural(runs, 'run')}: {self.added_runs:,} added, "
                f"{self.updated_runs:,} updated, {self.unchanged_runs:,} already up to date.")
        if self.skipped_rungs:
            steps = "1 ladder step was" if self.skipped_rungs == 1 else \
                f"{self.skipped_rungs:,} ladder steps were"
            text += (f" {steps} left out: its challenge is neither in the file nor in the "
                     "journal.")
        if self.unlinked_runs:
            text += (f" {_plural(self.unlinked_runs, 'run')} kept without its ladder, which "
                     "is neither in the file nor in the journal.")
        return text

    def _demo_sentence(self) -> str:
        if not self.demo_items:
            return ""
        items = _plural(self.demo_items, "demo item")
        return (f" The file holds {items} (made up to show how the journal works); "
                "they stay marked as demo here.")

    def _conflict_sentence(self) -> str:
        if self.conflict_attempts == 1:
            return (" 1 entry had changed here and in the file: your version was kept; the "
                    "imported one is saved in the entry's history.")
        return (f" {self.conflict_attempts:,} entries had changed here and in the file: your "
                "versions were kept; the imported ones are saved in each entry's history.")

    def summary(self) -> str:
        """One or two sentences for a status bar, a dialog or the command line."""
        attempts = (self.added_attempts + self.updated_attempts + self.unchanged_attempts
                    + self.conflict_attempts)
        challenges = self.added_challenges + self.updated_challenges + self.unchanged_challenges
        conflicts = self._conflict_sentence() if self.conflict_attempts else ""
        if not self.changed:
            return (f"Nothing to import: the journal already has everything in this file "
                    f"({_plural(attempts, 'attempt')}, {_plural(challenges, 'challenge')})."
                    + self._ladders_sentence() + conflicts + self._demo_sentence())
        both = (f", {self.conflict_attempts:,} changed on both sides"
                if self.conflict_attempts else "")
        return (
            f"Imported {_plural(attempts, 'attempt')}: {self.added_attempts:,} added, "
            f"{self.updated_attempts:,} updated, {self.unchanged_attempts:,} already up to "
            f"date{both}; {_plural(challenges, 'challenge')}: {self.added_challenges:,} added, "
            f"{self.updated_challenges:,} updated, {self.unchanged_challenges:,} already up "
            "to date." + self._ladders_sentence() + conflicts + self._demo_sentence()
        )


# -- merging into the journal --------------------------------------------------------------

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_rows(model: type[peewee.Model], rows: list[dict[str, object]]) -> None:
    """``model.insert_many(rows)``, with one statement prepared for all rows.

    peewee's ``insert_many`` builds SQL text for every row, which took three quarters of
    the time of a large import; every row here has the same keys, so the statement is built
    once and run with ``executemany`` (values still go through each field's ``db_value``).
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    params = [
        tuple(field.db_value(row[name]) for name, field in zip(names, fields, strict=True))
        for row in rows
    ]
    database.cursor().executemany(sql, params)


def _check_journal_challenges(plan: ImportPlan) -> None:
    wanted = sorted({plan.attempts[i].challenge_uuid or "" for i in plan.needs_journal_challenge})
    present: set[str] = set()
    for chunk in _chunks(wanted, 500):
        query = Challenge.select(Challenge.uuid).where(Challenge.uuid.in_(list(chunk)))
        present.update(uuid for (uuid,) in tuple_rows(query))
    for index in plan.needs_journal_challenge:
        attempt = plan.attempts[index]
        if attempt.challenge_uuid not in present:
            raise ImportValidationError(
                "no challenge with this UUID in the file, the built-in library or the journal",
                record=f"attempts[{index}]", uuid=attempt.uuid, field="challenge_uuid",
            )


def _merge_challenges(
    journal: Journal, challenges: Sequence[ChallengeRecord], step: Callable[[int], None],
    write: bool,
) -> tuple[int, int, int]:
    added = updated = unchanged = 0
    for chunk in _chunks(challenges):
        now = utcnow()
        rows = []
        for incoming in chunk:
            existing = journal.challenge(incoming.uuid)
            if existing is None:
                rows.append({**challenge_row(incoming), "created_at": now, "updated_at": now})
                added += 1
            elif not existing.is_custom or existing == incoming:
                unchanged += 1  # built-in challenges are never overwritten by a file
            else:
                if write:
                    (Challenge.update(**challenge_row(incoming), updated_at=now)
                     .where(Challenge.uuid == incoming.uuid).execute())
                updated += 1
        if rows and write:
            Challenge.insert_many(rows).execute()
        step(len(chunk))
    return added, updated, unchanged


def _descends(history: Sequence[str], other: Sequence[str]) -> bool:
    """Whether a copy whose revisions are ``history`` (newest first: its own, then its
    earlier ones) was made by editing a copy whose revisions are ``other``: ``other``'s
    history reappears further down ``history`` (as far as both remember)."""
    truncated = len(history) > EARLIER_REVISIONS_KEPT  # it forgot its oldest revisions
    for start in range(1, len(history)):
        if history[start] != other[0]:
            continue
        rest = history[start:]
        if len(rest) >= len(other) or truncated:
            overlap = min(len(rest), len(other))
            if tuple(rest[:overlap]) == tuple(other[:overlap]):
                return True
    return False


def _decide(incoming: str, incoming_earlier: tuple[str, ...], local: str,
            local_earlier: tuple[str, ...]) -> str:
    """``"unchanged"``, ``"update"`` (the file's copy is a later revision of the journal's)
    or ``"conflict"`` (both changed since they were last shared, or it cannot be told).

    Histories, not sets, are compared, so an edit taken back (A, B, then A again) is told
    apart from the copy that never had it.
    """
    if incoming == local:
        return "unchanged"
    theirs = (incoming, *incoming_earlier)
    ours = (local, *local_earlier)
    later_there = _descends(theirs, ours)
    later_here = _descends(ours, theirs)
    if later_there and not later_here:
        return "update"
    if later_here and not later_there:
        return "unchanged"
    return "conflict"


@dataclass(slots=True)
class _AttemptCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    stored_conflicts: int = 0
    conflict_uuids: list[str] = field(default_factory=list)


def _merge_attempts(
    journal: Journal, plan: ImportPlan, step: Callable[[int], None], write: bool
) -> _AttemptCounts:
    """Decide every attempt (and, with ``write``, carry the decisions out)."""
    counts = _AttemptCounts()
    challenge_id_of = challenge_ids()
    revisions, earlier_revisions = plan.attempt_revisions()
    history_of: list[int] = []
    for start in range(0, len(plan.attempts), CHUNK):
        chunk = plan.attempts[start : start + CHUNK]
        # Plain SQL: peewee builds an IN of 200 values slowly enough to matter at 100,000.
        marks = ", ".join("?" * len(chunk))
        cursor = database.execute_sql(
            'SELECT "uuid", "id", "revision", "earlier_revisions" FROM "attempt" '
            f'WHERE "uuid" IN ({marks})', [a.uuid for a in chunk])
        existing = {uuid: (row_id, rev, earlier) for uuid, row_id, rev, earlier in cursor}
        rows: list[dict[str, object]] = []
        updates: list[tuple[int, AttemptRecord, str, tuple[str, ...]]] = []
        conflicts: list[tuple[int, AttemptRecord, str]] = []
        for offset, incoming in enumerate(chunk):
            incoming_revision = revisions[start + offset]
            incoming_earlier = earlier_revisions[start + offset]
            found = existing.get(incoming.uuid)
            if found is None:
                counts.added += 1
                if write:
                    row = attempt_row(incoming, challenge_id_of, incoming_revision)
                    row["earlier_revisions"] = join_revisions(incoming_earlier)
                    rows.append(row)
                continue
            row_id, local_revision, local_text = found
            local_earlier = split_revisions(local_text)
            decision = _decide(incoming_revision, incoming_earlier, local_revision,
                               local_earlier)
            if decision == "unchanged":
                counts.unchanged += 1
            elif decision == "update":
                counts.updated += 1
                # The journal's copy is an earlier revision of the file's: it goes into the
                # entry's history, and the file's history (which holds the journal's) is kept.
                updates.append((row_id, incoming, incoming_revision, incoming_earlier))
            else:
                counts.conflicts += 1
                counts.conflict_uuids.append(incoming.uuid)
                conflicts.append((row_id, incoming, incoming_revision))
        versions: list[dict[str, object]] = []
        if conflicts:
            # A copy already in the entry's history (imported before) is not stored twice.
            ids = [row_id for row_id, _, _ in conflicts]
            known: set[tuple[int, str]] = set(tuple_rows(
                AttemptVersion.select(AttemptVersion.attempt, AttemptVersion.revision)
                .where(AttemptVersion.attempt.in_(ids))))
            now = utcnow()
            for row_id, incoming, incoming_revision in conflicts:
                if (row_id, incoming_revision) in known:
                    continue
                known.add((row_id, incoming_revision))
                counts.stored_conflicts += 1
                versions.append({"attempt": row_id, "revision": incoming_revision,
                                 "kind": CONFLICT, "saved_at": now,
                                 "record": record_to_json(incoming)})
        if write and updates:
            now = utcnow()
            local = journal.attempts_by_uuid([incoming.uuid for _, incoming, _, _ in updates])
            for row_id, incoming, incoming_revision, merged in updates:
                before = local[incoming.uuid]
                versions.append({"attempt": row_id, "revision": revision(before),
                                 "kind": EARLIER, "saved_at": now,
                                 "record": record_to_json(before)})
                values = attempt_row(incoming, challenge_id_of, incoming_revision)
                values["earlier_revisions"] = join_revisions(merged)
                Attempt.update(**values).where(Attempt.id == row_id).execute()
        if write:
            _insert_rows(Attempt, rows)
            _insert_rows(AttemptVersion, versions)
            history_of.extend(row_id for row_id, _, _ in conflicts)
            history_of.extend(row_id for row_id, _, _, _ in updates)
        step(len(chunk))
    if history_of:
        prune_history(sorted(set(history_of)))
    return counts


@dataclass(slots=True)
class _Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def _merge_ladders(plan: ImportPlan, step: Callable[[int], None], write: bool) -> _Counts:
    """Ladders by UUID: a new one is added; a known one takes the file's goal and rungs when
    they differ and the file's copy was changed later (``updated_at``); else it stays.  A rung
    whose challenge is neither in the file nor in the journal is left out and counted."""
    counts = _Counts()
    if not plan.ladders:
        return counts
    wanted = {r.challenge_uuid for ladder in plan.ladders for r in ladder.rungs}
    available = {c.uuid for c in plan.challenges} | set(ladder_queries.challenge_ids_of(wanted))
    for incoming in plan.ladders:
        kept = tuple(r for r in incoming.rungs if r.challenge_uuid in available)
        skipped = len(incoming.rungs) - len(kept)
        local = ladder_queries.get_ladder(incoming.uuid)
        if local is None:
            counts.added += 1
        elif (local.goal, [r.challenge_uuid for r in local.rungs]) == \
                (incoming.goal, [r.challenge_uuid for r in kept]) \
                or incoming.updated_at <= local.updated_at:
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        counts.skipped += skipped
        if write:
            ladder_queries.write_ladder(replace(incoming, rungs=kept), keep_times=True)
    step(len(plan.ladders))
    return counts


def _merge_runs(plan: ImportPlan, step: Callable[[int], None], write: bool) -> _Counts:
    """Runs by UUID, like ladders (the later change wins).  A run whose ladder is neither in
    the file nor in the journal is kept without it, and counted."""
    counts = _Counts()
    if not plan.runs:
        return counts  # (no progress step either: a file without runs reports as before)
    file_ladders = {ladder.uuid for ladder in plan.ladders}
    for incoming in plan.runs:
        if incoming.ladder_uuid is not None and incoming.ladder_uuid not in file_ladders \
                and ladder_queries.get_ladder(incoming.ladder_uuid) is None:
            incoming = incoming.replace(ladder_uuid=None)
            unlinked = 1
        else:
            unlinked = 0
        local = ladder_queries.get_run(incoming.uuid)
        if local is None:
            counts.added += 1
        elif local == incoming or incoming.updated_at <= local.updated_at:
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        counts.skipped += unlinked
        if write:
            ladder_queries.write_run(incoming, keep_times=True, unknown_ladder_ok=True)
    step(len(plan.runs))
    return counts


def _merge(journal: Journal, plan: ImportPlan, progress: Progress | None,
           write: bool) -> ImportResult:
    total = plan.total
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    try:
        # IMMEDIATE: take the write lock before reading, so another writer cannot slip in
        # between the reads that decide the merge and the writes. A preview only reads.
        with database.atomic("IMMEDIATE" if write else "DEFERRED"):
            step(0)
            _check_journal_challenges(plan)
            # (read before the merge: a file's demo mark lands only on what the import adds)
            new_demo = demo_marks.absent(plan.demo) if plan.demo else []
            challenges = _merge_challenges(journal, plan.challenges, step, write)
            attempts = _merge_attempts(journal, plan, step, write)
            ladders = _merge_ladders(plan, step, write)
            runs = _merge_runs(plan, step, write)
            if write:
                demo_marks.mark(new_demo)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        raise classify(exc) from exc
    return ImportResult(
        added_ladders=ladders.added, updated_ladders=ladders.updated,
        unchanged_ladders=ladders.unchanged, skipped_rungs=ladders.skipped,
        added_runs=runs.added, updated_runs=runs.updated, unchanged_runs=runs.unchanged,
        unlinked_runs=runs.skipped,
        added_attempts=attempts.added, updated_attempts=attempts.updated,
        unchanged_attempts=attempts.unchanged, added_challenges=challenges[0],
        updated_challenges=challenges[1], unchanged_challenges=challenges[2],
        conflict_attempts=attempts.conflicts, conflict_uuids=tuple(attempts.conflict_uuids),
        stored_conflicts=attempts.stored_conflicts, demo_items=len(plan.demo),
    )


def preview_import(
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """What :func:`apply_import` would do with ``plan``, without writing anything.

    Raises what :func:`apply_import` raises before writing (an attempt naming a challenge
    that is nowhere, a cancelling progress callback).
    """
    return _merge(journal, plan, progress, write=False)


def apply_import(
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """Merge ``plan`` into ``journal`` by UUID, in one transaction.

    * A record whose UUID is new is inserted with every field as in the file (including
      ``created_at``/``updated_at``).
    * An attempt whose UUID exists is decided by revisions, never by timestamps: the file's
      copy replaces the journal's only if it is a later revision of it (the journal's copy
      then goes into the entry's history); if the journal's copy is the later one, or they
      are the same, nothing changes; if both changed since they were last shared (or a
      format 1 file holds different words), the journal keeps its copy and the file's is
      stored in the entry's history as a ``"conflict"``, counted in the result.
    * A challenge whose UUID exists: built-in ones are never changed; custom ones take the
      file's fields if they differ.
    * Nothing is ever deleted. Importing the same file again changes nothing.

    ``progress(done, total)`` is called at the start and after every :data:`CHUNK` records.
    If it raises (e.g. :class:`ImportCancelled`), the exception propagates and nothing is
    written. If an attempt names a challenge that is nowhere (file, library, journal),
    :class:`ImportValidationError` is raised, also before anything is written.
    """
    return _merge(journal, plan, progress, write=True)


def import_file(
    journal: Journal, path: Path | str | os.PathLike[str], *, progress: Progress | None = None
) -> ImportResult:
    """Read, check and merge the export at ``path``: all of it, or (on any error) nothing.

    Makes no backup; ``services.journal_service.import_into`` is the import with its
    pre-import backup.
    """
    return apply_import(journal, read_plan(Path(path)), progress=progress)
