"""Demo data's marks (schema 3.2): what the demo made, told apart per kind and by content.

Each item the demo adds (an entry, a fear ladder, a challenge run) gets a mark: its kind, its
UUID and the *fingerprint* of what the demo gave it.  An entry's fingerprint is its revision
(storage/revisions.py); a ladder's covers its goal and rungs, a run's its fields.  Removing
demo data deletes only the marked items whose fingerprint is still the one the demo gave
them; an item the user has changed is theirs: it stays, unmarked, and is counted.  Timestamps
never decide.  A mark is per kind: an entry's mark never deletes a ladder that happens to
have the same UUID.

Every function here runs on the open journal's database; those that write expect the caller
(:class:`~rejection_journal.storage.journal.Journal`) to hold the transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rejection_journal.domain.demo import DemoKind, DemoMark, DemoRemoval
from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.runs import RunRecord
from rejection_journal.storage import ladders as ladder_queries
from rejection_journal.storage.models import (
    Attempt,
    AttemptVersion,
    ChallengeRun,
    tuple_rows,
)
from rejection_journal.storage.models import DemoMark as MarkRow
from rejection_journal.storage.models import Ladder as LadderRow
from rejection_journal.storage.revisions import join_revisions, revision, split_revisions
from rejection_journal.storage.rows import attempt_row, challenge_ids

#: how the fingerprints of ladders and runs are told from any other hash
_LADDER_RECIPE = "rejection-journal/demo-ladder/1"
_RUN_RECIPE = "rejection-journal/demo-run/1"
#: The fingerprint a mark holds when what the demo gave is not known (a mark of schema 3.1
#: on a ladder or run changed since): it matches nothing, so the item counts as changed.
UNKNOWN = ""


def _digest(values: list[object]) -> str:
    payload = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def ladder_fingerprint_of(goal: str, rungs: Sequence[str]) -> str:
    """A ladder's fingerprint from its goal and its rungs' challenge UUIDs, easiest first."""
    return _digest([_LADDER_RECIPE, goal, list(rungs)])


def ladder_fingerprint(ladder: Ladder) -> str:
    return ladder_fingerprint_of(ladder.goal, [r.challenge_uuid for r in ladder.rungs])


def run_fingerprint_of(started_on: str, length_days: int, ladder_uuid: str | None,
                       categories: Sequence[str], ended_on: str | None) -> str:
    """A run's fingerprint from its fields as plain values (dates as ISO text)."""
    return _digest([_RUN_RECIPE, started_on, length_days, ladder_uuid, list(categories),
                    ended_on])


def run_fingerprint(run: RunRecord) -> str:
    return run_fingerprint_of(run.started_on.isoformat(), run.length_days, run.ladder_uuid,
                              [c.value for c in run.categories],
                              None if run.ended_on is None else run.ended_on.isoformat())


def ladder_marks(ladders: Iterable[Ladder]) -> list[DemoMark]:
    return [DemoMark(DemoKind.LADDER, x.uuid, ladder_fingerprint(x)) for x in ladders]


def run_marks(runs: Iterable[RunRecord]) -> list[DemoMark]:
    return [DemoMark(DemoKind.RUN, r.uuid, run_fingerprint(r)) for r in runs]


# -- reading -------------------------------------------------------------------------------

def all_marks() -> list[DemoMark]:
    """Every mark, whether its item is still here or not."""
    query = MarkRow.select(MarkRow.kind, MarkRow.uuid, MarkRow.fingerprint).order_by(
        MarkRow.kind, MarkRow.uuid)
    return [DemoMark(DemoKind(kind), uuid, fingerprint)
            for kind, uuid, fingerprint in tuple_rows(query)]


def _marked(kind: DemoKind) -> object:
    return MarkRow.select(MarkRow.uuid).where(MarkRow.kind == kind.value)


def present_marks() -> list[DemoMark]:
    """The marks whose item is in the journal (what an export carries)."""
    present = {
        DemoKind.ENTRY: set(_uuids(Attempt.select(Attempt.uuid).where(
            Attempt.uuid.in_(_marked(DemoKind.ENTRY))))),
        DemoKind.LADDER: set(_uuids(LadderRow.select(LadderRow.uuid).where(
            LadderRow.uuid.in_(_marked(DemoKind.LADDER))))),
        DemoKind.RUN: set(_uuids(ChallengeRun.select(ChallengeRun.uuid).where(
            ChallengeRun.uuid.in_(_marked(DemoKind.RUN))))),
    }
    return [mark for mark in all_marks() if mark.uuid in present[mark.kind]]


def _uuids(query: object) -> list[str]:
    return [uuid for (uuid,) in tuple_rows(query)]  # type: ignore[arg-type]


def has_demo() -> bool:
    """True while any marked item is still in the journal."""
    return (Attempt.select().where(Attempt.uuid.in_(_marked(DemoKind.ENTRY))).exists()
            or LadderRow.select().where(LadderRow.uuid.in_(_marked(DemoKind.LADDER))).exists()
            or ChallengeRun.select().where(
                ChallengeRun.uuid.in_(_marked(DemoKind.RUN))).exists())


def absent(marks: Iterable[DemoMark]) -> list[DemoMark]:
    """Of ``marks``, those whose item is not in the journal: the ones an import that adds
    those items may carry in (a file's mark never lands on something already here)."""
    marks = list(marks)
    present: dict[DemoKind, set[str]] = {}
    for kind, model in ((DemoKind.ENTRY, Attempt), (DemoKind.LADDER, LadderRow),
                        (DemoKind.RUN, ChallengeRun)):
        wanted = [m.uuid for m in marks if m.kind is kind]
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            found.update(_uuids(model.select(model.uuid).where(
                model.uuid.in_(wanted[start : start + 500]))))
        present[kind] = found
    return [m for m in marks if m.uuid not in present[m.kind]]


# -- writing -------------------------------------------------------------------------------

def mark(marks: Iterable[DemoMark]) -> None:
    """Remember ``marks`` (a mark already there is replaced)."""
    rows = [{"kind": m.kind.value, "uuid": m.uuid, "fingerprint": m.fingerprint}
            for m in marks]
    for start in range(0, len(rows), 200):
        MarkRow.insert_many(rows[start : start + 200]).on_conflict_replace().execute()


@dataclass(frozen=True, slots=True)
class RemovedEntry:
    """A removed entry exactly as it was: the record, its revisions and its stored history
    (``(revision, kind, saved_at, record as JSON)``, oldest first)."""

    record: AttemptRecord
    revision: str
    earlier_revisions: tuple[str, ...]
    history: tuple[tuple[str, str, datetime, str], ...]


@dataclass(frozen=True, slots=True)
class RemovedDemo:
    """What :func:`remove` took away, enough to put it back exactly (:func:`restore`)."""

    result: DemoRemoval
    #: every mark there was, kept items' and dangling ones' included
    marks: tuple[DemoMark, ...]
    entries: tuple[RemovedEntry, ...]
    ladders: tuple[Ladder, ...]
    runs: tuple[RunRecord, ...]


ReadEntries = Callable[[Sequence[str]], dict[str, AttemptRecord]]


def _split(marks: Sequence[DemoMark], read_entries: ReadEntries
           ) -> tuple[list[str], list[Ladder], list[RunRecord], DemoRemoval]:
    """Which marked items are still as the demo gave them (to go) and how many of each kind
    the user changed (to stay)."""
    wanted = {kind: {m.uuid: m.fingerprint for m in marks if m.kind is kind}
              for kind in DemoKind}
    entries: dict[str, str] = dict(tuple_rows(Attempt.select(Attempt.uuid, Attempt.revision)
                              .where(Attempt.uuid.in_(_marked(DemoKind.ENTRY)))))
    gone_entries = [u for u, rev in entries.items() if rev == wanted[DemoKind.ENTRY][u]]
    ladders = [x for x in ladder_queries.all_ladders() if x.uuid in wanted[DemoKind.LADDER]]
    runs = ladder_queries.all_runs()
    gone_runs = [r for r in runs if r.uuid in wanted[DemoKind.RUN]
                 and run_fingerprint(r) == wanted[DemoKind.RUN][r.uuid]]
    marked_runs = sum(1 for r in runs if r.uuid in wanted[DemoKind.RUN])
    # A ladder a run that stays still climbs stays too (and becomes the user's): deleting
    # it would quietly take the ladder off that run.
    leaving = {r.uuid for r in gone_runs}
    climbed = {r.ladder_uuid for r in runs if r.uuid not in leaving}
    gone_ladders = [x for x in ladders if x.uuid not in climbed
                    and ladder_fingerprint(x) == wanted[DemoKind.LADDER][x.uuid]]
    result = DemoRemoval(
        removed_entries=len(gone_entries), removed_ladders=len(gone_ladders),
        removed_runs=len(gone_runs), kept_entries=len(entries) - len(gone_entries),
        kept_ladders=len(ladders) - len(gone_ladders), kept_runs=marked_runs - len(gone_runs))
    return gone_entries, gone_ladders, gone_runs, result


def _history(uuids: Sequence[str]) -> dict[str, list[tuple[str, str, datetime, str]]]:
    out: dict[str, list[tuple[str, str, datetime, str]]] = {u: [] for u in uuids}
    for start in range(0, len(uuids), 500):
        query = (AttemptVersion.select(Attempt.uuid, AttemptVersion.revision,
                                       AttemptVersion.kind, AttemptVersion.saved_at,
                                       AttemptVersion.record)
                 .join(Attempt).where(Attempt.uuid.in_(list(uuids[start : start + 500])))
                 .order_by(AttemptVersion.id))
        for uuid, rev, kind, saved_at, record in tuple_rows(query):
            out[uuid].append((rev, kind, saved_at, record))
    return out


def remove(read_entries: ReadEntries) -> RemovedDemo:
    """Delete every demo item still as the demo gave it; keep (and unmark) the ones the user
    changed; forget every mark.  Returns what went, to :func:`restore` it (undo)."""
    marks = all_marks()
    gone_entries, gone_ladders, gone_runs, result = _split(marks, read_entries)
    records = read_entries(gone_entries)
    revisions: dict[str, str] = {}
    for start in range(0, len(gone_entries), 500):
        revisions.update(tuple_rows(Attempt.select(Attempt.uuid, Attempt.earlier_revisions)
                                    .where(Attempt.uuid.in_(gone_entries[start : start + 500]))))
    history = _history(gone_entries)
    entries = tuple(
        RemovedEntry(records[u], revision(records[u]), split_revisions(revisions[u]),
                     tuple(history[u]))
        for u in gone_entries)
    # Runs first: a run on a demo ladder would only be unlinked (SET NULL) by the ladder.
    for start in range(0, len(gone_runs), 500):
        ChallengeRun.delete().where(ChallengeRun.uuid.in_(
            [r.uuid for r in gone_runs[start : start + 500]])).execute()
    for ladder in gone_ladders:
        ladder_queries.remove_ladder(ladder.uuid)
    for start in range(0, len(gone_entries), 500):  # their history goes with them (CASCADE)
        Attempt.delete().where(Attempt.uuid.in_(gone_entries[start : start + 500])).execute()
    MarkRow.delete().execute()
    return RemovedDemo(result, tuple(marks), entries, tuple(gone_ladders), tuple(gone_runs))


def restore(removed: RemovedDemo) -> None:
    """Put back what :func:`remove` took, exactly (UUIDs, timestamps, revisions, history,
    marks).  An item that is in the journal again by now is left as it is."""
    for ladder in removed.ladders:
        if ladder_queries.get_ladder(ladder.uuid) is None:
            ladder_queries.write_ladder(ladder, keep_times=True, skip_missing=True)
    for run in removed.runs:
        if ladder_queries.get_run(run.uuid) is None:
            ladder_queries.write_run(run, keep_times=True, unknown_ladder_ok=True)
    missing = {m.uuid for m in absent(DemoMark(DemoKind.ENTRY, e.record.uuid, UNKNOWN)
                                      for e in removed.entries)}
    entries = [e for e in removed.entries if e.record.uuid in missing]
    ids = challenge_ids()
    for entry in entries:
        row = attempt_row(entry.record, ids, entry.revision)
        row["earlier_revisions"] = join_revisions(entry.earlier_revisions)
        row_id = Attempt.insert(**row).execute()
        if entry.history:
            AttemptVersion.insert_many([
                {"attempt": row_id, "revision": rev, "kind": kind, "saved_at": saved_at,
                 "record": record}
                for rev, kind, saved_at, record in entry.history]).execute()
    mark(removed.marks)
