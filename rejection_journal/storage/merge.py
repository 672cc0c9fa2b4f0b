"""Merging a checked export into the journal by UUID, in one transaction: all or nothing.

The third of the import's three parts (:mod:`~rejection_journal.storage.import_decode`,
:mod:`~rejection_journal.storage.import_schema`, merge).  :func:`apply_import` merges an
:class:`~rejection_journal.storage.import_schema.ImportPlan`; :func:`preview_import` works
out the same result without writing anything, so a caller backs up (or asks) only when the
import will change something.  The whole sequence (preview, a pre-import backup if needed,
merge) is a use case: ``rejection_journal.services.sequences.import_into``.

Merging trusts no clock: an attempt is taken from the file only when the file's copy is a
later revision of the journal's (see :mod:`rejection_journal.storage.revisions`). When both
were edited since they were last shared, the journal keeps its own and the file's copy goes
into the entry's history: a *conflict*, counted and reported.  Rows are built by
:mod:`rejection_journal.storage.rows`, as :meth:`Journal.save_attempt` builds them.  The merge
rules are documented in ``docs/json-format.md``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import peewee

from rejection_journal.domain.records import AttemptRecord, utcnow
from rejection_journal.storage import demo as demo_marks
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.entries import prune_history
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_schema import ImportPlan, Revisions, read_plan
from rejection_journal.storage.import_undo import ChangeRecorder, ImportChanges, counting
from rejection_journal.storage.journal import Journal
from rejection_journal.storage.models import (
    Attempt,
    AttemptVersion,
    Challenge,
    ChallengeRun,
    RecordVersion,
    database,
    tuple_rows,
)
from rejection_journal.storage.models import Ladder as LadderRow
from rejection_journal.storage.revisions import (
    CHALLENGE_KIND,
    CONFLICT,
    EARLIER,
    EARLIER_REVISIONS_KEPT,
    LADDER_KIND,
    RUN_KIND,
    after_edit,
    challenge_revision,
    effective_revisions,
    join_revisions,
    ladder_revision,
    record_to_json,
    revision,
    run_revision,
    split_revisions,
)
from rejection_journal.storage.rows import attempt_row, challenge_ids, challenge_row
from rejection_journal.storage.session import sorted_errors

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
    #: ladders added under another goal ("… (2)"): another ladder here already had theirs
    renamed_ladders: int = 0
    #: runs stored without their ladder, which is neither in the file nor in the journal
    unlinked_runs: int = 0
    #: (format 5) how many of the file's entries, ladders and runs are demo data; those the
    #: import adds stay demo here (Remove demo data takes them away again)
    demo_items: int = 0
    #: custom challenges, ladders and runs changed both here and in the file since they were
    #: last shared: the journal kept its own, the file's copy is in their history
    conflict_challenges: int = 0
    conflict_ladders: int = 0
    conflict_runs: int = 0
    #: of those, how many file copies were not in the history yet (and were stored)
    stored_record_conflicts: int = 0
    #: (format 6) self-check results the journal did not have (a result never changes: one
    #: it has, by UUID, is left as it is)
    added_self_checks: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import writes anything (entries, challenges, ladders, runs or a
        history)."""
        return bool(self.added_attempts or self.updated_attempts or self.stored_conflicts
                    or self.added_challenges or self.updated_challenges
                    or self.added_ladders or self.updated_ladders or self.added_runs
                    or self.updated_runs or self.stored_record_conflicts)

    def _record_conflict_sentence(self) -> str:
        parts = [_plural(count, word) for count, word in (
            (self.conflict_challenges, "challenge"), (self.conflict_ladders, "ladder"),
            (self.conflict_runs, "run")) if count]
        if not parts:
            return ""
        many = (self.conflict_challenges + self.conflict_ladders + self.conflict_runs) > 1
        return (f" {' and '.join(parts)} had changed here and in the file: "
                f"{'your versions were' if many else 'your version was'} kept; the imported "
                f"{'ones are' if many else 'one is'} saved in {'their' if many else 'its'} "
                "history.")

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
        if self.renamed_ladders:
            text += (f" {_plural(self.renamed_ladders, 'ladder')} got a number after its "
                     "goal, as you already have a ladder with that goal.")
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
        conflicts = ((self._conflict_sentence() if self.conflict_attempts else "")
                     + self._record_conflict_sentence())
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
_R = TypeVar("_R")


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


def _known_conflicts(kind: str, uuids: Iterable[str]) -> set[tuple[str, str]]:
    """(UUID, revision) of the imported copies already in the history of these records."""
    wanted = list(dict.fromkeys(uuids))
    found: set[tuple[str, str]] = set()
    for chunk in _chunks(wanted, 500):
        query = (RecordVersion.select(RecordVersion.uuid, RecordVersion.revision)
                 .where((RecordVersion.record_kind == kind) & (RecordVersion.kind == CONFLICT)
                        & RecordVersion.uuid.in_(list(chunk))))
        found.update((str(u), str(r)) for u, r in tuple_rows(query))
    return found


@dataclass(slots=True)
class _Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    conflicts: int = 0
    stored_conflicts: int = 0
    #: ladders given another goal: the journal (or the file) has another ladder with theirs
    renamed: int = 0


class _RecordMerge:
    """Decides a challenge, ladder or run the journal already has, by revisions (as entries
    are decided): the file's copy is taken only when it was made by editing the journal's;
    when both changed, the journal's stays and the file's goes into the record's history."""

    def __init__(self, kind: str, model: type[Challenge | LadderRow | ChallengeRun],
                 uuids: Iterable[str], write: bool) -> None:
        self.kind = kind
        self.model = model
        self.write = write
        self.counts = _Counts()
        self._known = _known_conflicts(kind, uuids)

    def decide(self, uuid: str, incoming: Revisions, local_revision: str,
               file_json: Callable[[], str], local_json: Callable[[], str]) -> bool:
        """True if the file's copy is to be written over the journal's (whose content's
        revision is ``local_revision``): counted as updated; counts the others."""
        row = (self.model.select(self.model.revision, self.model.earlier_revisions)
               .where(self.model.uuid == uuid).tuples().first())
        assert row is not None, uuid  # the caller found this record
        local = effective_revisions(str(row[0]), split_revisions(row[1]), local_revision)
        decision = _decide(incoming[0], incoming[1], *local)
        if decision == "unchanged":
            self.counts.unchanged += 1
            return False
        now = utcnow()
        if decision == "update":
            self.counts.updated += 1
            if self.write:  # the journal's copy goes into the history, as an entry's does
                RecordVersion.insert(record_kind=self.kind, uuid=uuid, revision=local[0],
                                     kind=EARLIER, saved_at=now, record=local_json()).execute()
            return True
        self.counts.conflicts += 1
        if (uuid, incoming[0]) not in self._known:
            self._known.add((uuid, incoming[0]))
            self.counts.stored_conflicts += 1
            if self.write:
                RecordVersion.insert(record_kind=self.kind, uuid=uuid, revision=incoming[0],
                                     kind=CONFLICT, saved_at=now, record=file_json()).execute()
        return False


def _stored_revisions(incoming: Revisions, stored_revision: str) -> Revisions:
    """The revisions of a record stored otherwise than the file has it (a rung or a run's
    ladder left out): its own, with the file's as the one it was made from."""
    if stored_revision == incoming[0]:
        return incoming
    return stored_revision, after_edit(incoming[0], incoming[1])


def _as_json(to_dict: Callable[[_R], dict[str, Any]], record: _R) -> str:
    """A record as its export's compact JSON: what its history keeps."""
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


def _merge_challenges(
    journal: Journal, plan: ImportPlan, step: Callable[[int], None], write: bool,
) -> _Counts:
    """Custom challenges by revision (:class:`_RecordMerge`); built-in ones are never changed
    by a file."""
    from rejection_journal.storage.export import challenge_to_dict

    revisions = plan.record_revisions()[0]
    merge = _RecordMerge(CHALLENGE_KIND, Challenge, (c.uuid for c in plan.challenges), write)
    counts = merge.counts
    for start in range(0, len(plan.challenges), CHUNK):
        chunk = plan.challenges[start : start + CHUNK]
        now = utcnow()
        rows = []
        for offset, incoming in enumerate(chunk):
            revs = revisions[start + offset]
            existing = journal.challenge(incoming.uuid)
            stored = {**challenge_row(incoming), "revision": revs[0],
                      "earlier_revisions": join_revisions(revs[1])}
            if existing is None:
                rows.append({**stored, "created_at": now, "updated_at": now})
                counts.added += 1
            elif not existing.is_custom or existing == incoming:
                counts.unchanged += 1  # built-in challenges are never overwritten by a file
            elif merge.decide(incoming.uuid, revs, challenge_revision(existing),
                              partial(_as_json, challenge_to_dict, incoming),
                              partial(_as_json, challenge_to_dict, existing)) and write:
                (Challenge.update(**stored, updated_at=now)
                 .where(Challenge.uuid == incoming.uuid).execute())
        if rows and write:
            Challenge.insert_many(rows).execute()
        step(len(chunk))
    return counts


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
    journal: Journal, plan: ImportPlan, step: Callable[[int], None], write: bool,
    pruned: list[dict[str, object]] | None = None,
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
        prune_history(sorted(set(history_of)), removed=pruned)
    return counts


def _merge_ladders(plan: ImportPlan, step: Callable[[int], None], write: bool) -> _Counts:
    """Ladders by UUID: a new one is added; a known one is decided by revisions
    (:class:`_RecordMerge`), never by its ``updated_at``.  A rung whose challenge is neither in
    the file nor in the journal is left out and counted."""
    from rejection_journal.storage.export import ladder_to_dict

    if not plan.ladders:
        return _Counts()
    revisions = plan.record_revisions()[1]
    merge = _RecordMerge(LADDER_KIND, LadderRow, (x.uuid for x in plan.ladders), write)
    counts = merge.counts
    wanted = {r.challenge_uuid for ladder in plan.ladders for r in ladder.rungs}
    available = {c.uuid for c in plan.challenges} | set(ladder_queries.challenge_ids_of(wanted))
    # Two ladders never share a goal (case, accents and spaces ignored): one the file adds
    # whose goal another ladder has takes a number, "Ask for a raise (2)".
    normalised_goal = ladder_queries.normalised_goal
    goals = {normalised_goal(x.goal): x.uuid for x in ladder_queries.all_ladders()}
    for incoming, revs in zip(plan.ladders, revisions, strict=True):
        kept = replace(incoming, rungs=tuple(r for r in incoming.rungs
                                             if r.challenge_uuid in available))
        skipped = len(incoming.rungs) - len(kept.rungs)
        local = ladder_queries.get_ladder(incoming.uuid)
        if local is None:
            counts.added += 1
            goal, number = kept.goal, 1
            while goals.get(normalised_goal(goal), incoming.uuid) != incoming.uuid:
                number += 1
                goal = f"{kept.goal} ({number})"
            if number > 1:
                counts.renamed += 1
                kept = replace(kept, goal=goal)
            goals[normalised_goal(goal)] = incoming.uuid
        elif not merge.decide(incoming.uuid, revs, ladder_revision(local),
                              partial(_as_json, ladder_to_dict, incoming),
                              partial(_as_json, ladder_to_dict, local)):
            continue
        counts.skipped += skipped
        if write:
            ladder_queries.write_ladder(
                kept, keep_times=True,
                revisions=_stored_revisions(revs, ladder_revision(kept)))
    step(len(plan.ladders))
    return counts


def _merge_runs(plan: ImportPlan, step: Callable[[int], None], write: bool) -> _Counts:
    """Runs by UUID, decided like ladders.  A run whose ladder is neither in the file nor in
    the journal is kept without it, and counted."""
    from rejection_journal.storage.export import run_to_dict

    if not plan.runs:
        return _Counts()  # (no progress step either: a file without runs reports as before)
    revisions = plan.record_revisions()[2]
    merge = _RecordMerge(RUN_KIND, ChallengeRun, (r.uuid for r in plan.runs), write)
    counts = merge.counts
    file_ladders = {ladder.uuid for ladder in plan.ladders}
    for incoming, revs in zip(plan.runs, revisions, strict=True):
        stored = incoming
        if incoming.ladder_uuid is not None and incoming.ladder_uuid not in file_ladders \
                and ladder_queries.get_ladder(incoming.ladder_uuid) is None:
            stored = incoming.replace(ladder_uuid=None)
        local = ladder_queries.get_run(incoming.uuid)
        if local is None:
            counts.added += 1
        elif not merge.decide(incoming.uuid, revs, run_revision(local),
                              partial(_as_json, run_to_dict, incoming),
                              partial(_as_json, run_to_dict, local)):
            continue
        counts.skipped += stored is not incoming
        if write:
            ladder_queries.write_run(stored, keep_times=True, unknown_ladder_ok=True,
                                     revisions=_stored_revisions(revs, run_revision(stored)))
    step(len(plan.runs))
    return counts


def _merge_self_checks(journal: Journal, plan: ImportPlan, write: bool) -> int:
    """(format 6) the file's self-check results the journal does not have, added; returns
    how many."""
    if not plan.self_checks:
        return 0
    have = {check.uuid for check in journal.self_checks()}
    new = [check for check in plan.self_checks if check.uuid not in have]
    if write:
        for check in new:
            journal.save_self_check(check)
    return len(new)


def _merge(journal: Journal, plan: ImportPlan, progress: Progress | None,
           write: bool, changes: ImportChanges | None = None) -> ImportResult:
    step = counting(progress, plan.total)
    # IMMEDIATE: take the write lock before reading, so another writer cannot slip in
    # between the reads that decide the merge and the writes. A preview only reads. Errors
    # are sorted as every write of the journal's are (session.sorted_errors).
    with sorted_errors(), database.atomic("IMMEDIATE" if write else "DEFERRED"):
        step(0)
        _check_journal_challenges(plan)
        # (read before the merge: a file's demo mark lands only on what the import adds)
        new_demo = demo_marks.absent(plan.demo) if plan.demo else []
        recorder = ChangeRecorder({
            "challenge": [c.uuid for c in plan.challenges],
            "attempt": [a.uuid for a in plan.attempts],
            "ladder": [x.uuid for x in plan.ladders],
            "challenge_run": [r.uuid for r in plan.runs],
            "self_check_result": [c.uuid for c in plan.self_checks],
        }) if write and changes is not None else None
        challenges = _merge_challenges(journal, plan, step, write)
        attempts = _merge_attempts(journal, plan, step, write,
                                   None if recorder is None else recorder.removed)
        ladders = _merge_ladders(plan, step, write)
        runs = _merge_runs(plan, step, write)
        added_checks = _merge_self_checks(journal, plan, write)
        if write:
            demo_marks.mark(new_demo)
        if recorder is not None and changes is not None:
            found = recorder.finish()
            changes.rows, changes.versions_added = found.rows, found.versions_added
            changes.versions_removed = found.versions_removed
    return ImportResult(
        added_ladders=ladders.added, updated_ladders=ladders.updated,
        unchanged_ladders=ladders.unchanged, skipped_rungs=ladders.skipped,
        renamed_ladders=ladders.renamed,
        added_runs=runs.added, updated_runs=runs.updated, unchanged_runs=runs.unchanged,
        unlinked_runs=runs.skipped,
        added_attempts=attempts.added, updated_attempts=attempts.updated,
        unchanged_attempts=attempts.unchanged, added_challenges=challenges.added,
        updated_challenges=challenges.updated, unchanged_challenges=challenges.unchanged,
        conflict_attempts=attempts.conflicts, conflict_uuids=tuple(attempts.conflict_uuids),
        stored_conflicts=attempts.stored_conflicts, demo_items=len(plan.demo),
        conflict_challenges=challenges.conflicts, conflict_ladders=ladders.conflicts,
        conflict_runs=runs.conflicts,
        stored_record_conflicts=(challenges.stored_conflicts + ladders.stored_conflicts
                                 + runs.stored_conflicts),
        added_self_checks=added_checks,
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
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None,
    changes: ImportChanges | None = None,
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
    * A custom challenge, a ladder or a run whose UUID exists is decided by revisions in
      the same way (its history is kept in ``record_version``); built-in challenges are
      never changed.
    * Nothing is ever deleted. Importing the same file again changes nothing.

    ``changes``, when given, is filled with every row the import changed (see
    :mod:`~rejection_journal.storage.import_undo`): what undoing it writes back.

    ``progress(done, total)`` is called at the start and after every :data:`CHUNK` records.
    If it raises (e.g. :class:`ImportCancelled`), the exception propagates and nothing is
    written. If an attempt names a challenge that is nowhere (file, library, journal),
    :class:`ImportValidationError` is raised, also before anything is written.
    """
    return _merge(journal, plan, progress, write=True, changes=changes)


def import_file(
    journal: Journal, path: Path | str | os.PathLike[str], *, progress: Progress | None = None
) -> ImportResult:
    """Read, check and merge the export at ``path``: all of it, or (on any error) nothing.

    Makes no backup; ``services.sequences.import_into`` is the import with its
    pre-import backup.
    """
    return apply_import(journal, read_plan(Path(path)), progress=progress)
