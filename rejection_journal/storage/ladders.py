"""The queries of fear ladders and challenge runs (schema 3.1), returning domain records.

:class:`~rejection_journal.storage.journal.Journal` offers them as methods (its "ladders and
runs" section: those check the journal is open and writable and sort errors); the JSON
import's merge and the demo data (storage/demo.py) use the functions here directly, inside their own
transactions.  Every function here runs on the open journal's database and expects the caller
to hold a transaction where it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import peewee
from peewee import fn

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.experiment import AskMode
from rejection_journal.domain.ladders import DeletedLadder, validated_ladder
from rejection_journal.domain.picker import Ladder, PastAttempt, Rung
from rejection_journal.domain.records import ValidationError, utcnow
from rejection_journal.domain.runs import RunRecord
from rejection_journal.domain.text_match import match_key
from rejection_journal.storage import models
from rejection_journal.storage.models import (
    Attempt,
    Challenge,
    ChallengeRun,
    LadderRung,
    first_tuple,
    tuple_rows,
)
from rejection_journal.storage.revisions import (
    effective_revisions,
    join_revisions,
    ladder_revision,
    run_revision,
    split_revisions,
)

#: a record's revision and its earlier revisions, newest first (storage/revisions.py)
Revisions = tuple[str, tuple[str, ...]]


def ladder_named(goal: str, *, other_than: str | None = None) -> Ladder | None:
    """The ladder whose goal is ``goal`` as text is matched (case, accents and spaces
    ignored), other than the one with UUID ``other_than``; None if there is none.  Two ladders
    never share a goal: ``--ladder NAME`` and the chart's choice must name one."""
    wanted = normalised_goal(goal)
    for uuid, stored in tuple_rows(models.Ladder.select(models.Ladder.uuid,
                                                        models.Ladder.goal)):
        if uuid != other_than and normalised_goal(stored) == wanted:
            return get_ladder(uuid)
    return None


def normalised_goal(goal: str) -> str:
    """How two goals are compared (``--ladder NAME``, duplicate names): case, accents and
    spaces ignored (``domain/text_match.py``)."""
    return match_key(goal)


# -- reading ladders -------------------------------------------------------------------------

def _rungs_of(ladder_ids: Sequence[int]) -> dict[int, list[Rung]]:
    out: dict[int, list[Rung]] = {ladder_id: [] for ladder_id in ladder_ids}
    if not ladder_ids:
        return out
    query = (LadderRung.select(LadderRung.ladder, Challenge.uuid, Challenge.title,
                               Challenge.level)
             .join(Challenge)
             .where(LadderRung.ladder.in_(list(ladder_ids)))
             .order_by(LadderRung.ladder, LadderRung.position, LadderRung.id))
    for ladder_id, uuid, title, level in tuple_rows(query):
        out[ladder_id].append(Rung(uuid, title, level))
    return out


def _ladders(where: peewee.Expression | None = None) -> list[Ladder]:
    query = (models.Ladder.select(models.Ladder.id, models.Ladder.uuid, models.Ladder.goal,
                                  models.Ladder.created_at, models.Ladder.updated_at)
             .order_by(models.Ladder.created_at, models.Ladder.id))
    if where is not None:
        query = query.where(where)
    rows = list(tuple_rows(query))
    rungs = _rungs_of([row[0] for row in rows])
    return [Ladder(goal, tuple(rungs[row_id]), uuid, created_at=created, updated_at=updated)
            for row_id, uuid, goal, created, updated in rows]


def all_ladders() -> list[Ladder]:
    """Every ladder, oldest first, each with its rungs easiest first."""
    return _ladders()


def get_ladder(uuid: str) -> Ladder | None:
    found = _ladders(models.Ladder.uuid == uuid)
    return found[0] if found else None


def _ladder_id(uuid: str) -> int | None:
    row = first_tuple(models.Ladder.select(models.Ladder.id).where(models.Ladder.uuid == uuid))
    return None if row is None else int(row[0])


def recent_ladder_uuid() -> str | None:
    """The ladder the user worked on most recently: the one with the latest entry on one of
    its rungs; if no ladder has entries yet, the one changed last; None without ladders."""
    row = first_tuple(
        models.Ladder.select(models.Ladder.uuid)
        .join(LadderRung).join(Attempt, on=(Attempt.challenge == LadderRung.challenge))
        .order_by(Attempt.attempted_on.desc(), Attempt.created_at.desc(), Attempt.id.desc(),
                  models.Ladder.updated_at.desc())
        .limit(1))
    if row is None:
        row = first_tuple(models.Ladder.select(models.Ladder.uuid)
                          .order_by(models.Ladder.updated_at.desc(), models.Ladder.id.desc())
                          .limit(1))
    return None if row is None else str(row[0])


def find_ladder(key: str | None) -> Ladder | None:
    """The ladder a chart filter or ``--ladder NAME`` means: ``key`` is a ladder's UUID or
    its goal (compared like :func:`normalised_goal`; the most recently changed one if several
    share it); ``None`` is the ladder worked on most recently (:func:`recent_ladder_uuid`)."""
    if key is None:
        recent = recent_ladder_uuid()
        return None if recent is None else get_ladder(recent)
    found = get_ladder(key)
    if found is not None:
        return found
    wanted = normalised_goal(key)
    matches = [ladder for ladder in all_ladders() if normalised_goal(ladder.goal) == wanted]
    return max(matches, key=lambda ladder: ladder.updated_at) if matches else None


def ladder_history(uuid: str) -> list[PastAttempt]:
    """The entries of the ladder's rung challenges, oldest first (what the rung stats and the
    next-rung rule read), without their texts."""
    query = (Attempt.select(Challenge.uuid, fn.date(Attempt.attempted_on).coerce(False),
                            Attempt.anticipated_discomfort, Attempt.actual_discomfort,
                            Attempt.outcome, Attempt.uuid, Attempt.ask_mode)
             .join(Challenge)
             .join(LadderRung, on=(LadderRung.challenge == Challenge.id))
             .join(models.Ladder)
             .where(models.Ladder.uuid == uuid)
             .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id))
    return [PastAttempt(challenge, date.fromisoformat(day), before, after,
                        Outcome(outcome) if outcome else None, uuid=entry,
                        ask_mode=AskMode(mode) if mode else None)
            for challenge, day, before, after, outcome, entry, mode in tuple_rows(query)]


def challenge_history() -> list[PastAttempt]:
    """Every entry made on a challenge (no texts), oldest first: what "Build my plan" reads
    to leave out the challenges already settled."""
    query = (Attempt.select(Challenge.uuid, fn.date(Attempt.attempted_on).coerce(False),
                            Attempt.anticipated_discomfort, Attempt.actual_discomfort,
                            Attempt.outcome, Attempt.uuid)
             .join(Challenge)
             .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id))
    return [PastAttempt(challenge, date.fromisoformat(day), before, after,
                        Outcome(outcome) if outcome else None, uuid=entry)
            for challenge, day, before, after, outcome, entry in tuple_rows(query)]


# -- revisions (schema 3.2) -------------------------------------------------------------------

def revisions_of(model: type[models.Ladder | ChallengeRun | Challenge], uuid: str
                 ) -> Revisions | None:
    """The stored revision and earlier revisions of the ``model`` row with ``uuid``."""
    row = first_tuple(model.select(model.revision, model.earlier_revisions)
                      .where(model.uuid == uuid))
    return None if row is None else (str(row[0]), split_revisions(row[1]))


def revisions_by_uuid(model: type[models.Ladder | ChallengeRun | Challenge]
                      ) -> dict[str, Revisions]:
    """Every ``model`` row's revision and earlier revisions, by UUID (what an export writes)."""
    query = model.select(model.uuid, model.revision, model.earlier_revisions)
    return {uuid: (revision, split_revisions(earlier))
            for uuid, revision, earlier in tuple_rows(query)}


def next_revisions(stored: Revisions | None, current: str) -> Revisions:
    """What a record whose content now hashes to ``current`` carries after a local write:
    when what it is changed, its old revision goes to the front of its earlier ones."""
    if stored is None:
        return current, ()
    return effective_revisions(stored[0], stored[1], current)


def _revision_values(revisions: Revisions) -> dict[str, str]:
    return {"revision": revisions[0], "earlier_revisions": join_revisions(revisions[1])}


# -- writing ladders -----------------------------------------------------------------------

def challenge_ids_of(uuids: Iterable[str]) -> dict[str, int]:
    wanted = list(dict.fromkeys(uuids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = Challenge.select(Challenge.uuid, Challenge.id).where(Challenge.uuid.in_(chunk))
        found.update((uuid, row_id) for uuid, row_id in tuple_rows(query))
    return found


def write_ladder(ladder: Ladder, *, keep_times: bool = False,
                 skip_missing: bool = False,
                 revisions: Revisions | None = None) -> tuple[Ladder, int]:
    """Insert or update ``ladder`` (by UUID): its goal, and its rungs replaced in order.

    Returns (the ladder as stored, how many rungs were left out because their challenge is
    not in the journal).  A missing challenge is refused (:class:`ValidationError`) unless
    ``skip_missing``.  ``keep_times`` stores the record's own timestamps (undo, import);
    otherwise ``updated_at`` is now.  The caller holds the transaction.
    """
    validated_ladder(ladder)
    ids = challenge_ids_of(r.challenge_uuid for r in ladder.rungs)
    missing = [r for r in ladder.rungs if r.challenge_uuid not in ids]
    if missing and not skip_missing:
        shown = missing[0].title or missing[0].challenge_uuid
        raise ValidationError("rungs", f"there is no challenge “{shown}” in this journal",
                              label="Steps")
    now = utcnow()
    updated = ladder.updated_at if keep_times else now
    row_id = _ladder_id(ladder.uuid)
    if revisions is None:
        kept = [r.challenge_uuid for r in ladder.rungs if r.challenge_uuid in ids]
        current = ladder_revision(Ladder(ladder.goal, tuple(Rung(u) for u in kept)))
        revisions = next_revisions(revisions_of(models.Ladder, ladder.uuid), current)
    if row_id is None:
        created = ladder.created_at if keep_times else now
        row_id = int(models.Ladder.insert(uuid=ladder.uuid, goal=ladder.goal,
                                          created_at=created, updated_at=updated,
                                          **_revision_values(revisions)).execute())
    else:
        (models.Ladder.update(goal=ladder.goal, updated_at=updated,
                              **_revision_values(revisions))
         .where(models.Ladder.id == row_id).execute())
        LadderRung.delete().where(LadderRung.ladder == row_id).execute()
    rows = [{"ladder": row_id, "challenge": ids[r.challenge_uuid], "position": position}
            for position, r in enumerate(r for r in ladder.rungs if r.challenge_uuid in ids)]
    if rows:
        LadderRung.insert_many(rows).execute()
    stored = get_ladder(ladder.uuid)
    assert stored is not None
    return stored, len(missing)


def remove_ladder(uuid: str) -> DeletedLadder | None:
    """Delete a ladder and its rungs (runs on it keep running without it); returns what was
    deleted, for :func:`bring_back_ladder`.  The caller holds the transaction."""
    found = get_ladder(uuid)
    if found is None:
        return None
    row_id = _ladder_id(uuid)
    runs = tuple(u for (u,) in tuple_rows(ChallengeRun.select(ChallengeRun.uuid)
                                          .where(ChallengeRun.ladder == row_id)
                                          .order_by(ChallengeRun.id)))
    models.Ladder.delete().where(models.Ladder.id == row_id).execute()  # rungs cascade
    return DeletedLadder(found, runs)


def bring_back_ladder(deleted: DeletedLadder) -> Ladder:
    """Put a deleted ladder back exactly (UUID, timestamps, rungs) and re-link its runs."""
    stored, _ = write_ladder(deleted.ladder, keep_times=True, skip_missing=True)
    row_id = _ladder_id(stored.uuid)
    if deleted.run_uuids:
        (ChallengeRun.update(ladder=row_id)
         .where(ChallengeRun.uuid.in_(list(deleted.run_uuids))
                & ChallengeRun.ladder.is_null()).execute())
    return stored


# -- runs ------------------------------------------------------------------------------------

def _split_categories(text: str) -> tuple[Category, ...]:
    return tuple(Category(value) for value in text.split(",") if value)


def _runs(where: peewee.Expression | None = None) -> list[RunRecord]:
    query = (ChallengeRun.select(ChallengeRun.uuid, ChallengeRun.started_on,
                                 ChallengeRun.length_days, models.Ladder.uuid,
                                 ChallengeRun.categories, ChallengeRun.ended_on,
                                 ChallengeRun.created_at, ChallengeRun.updated_at)
             .join(models.Ladder, peewee.JOIN.LEFT_OUTER)
             .order_by(ChallengeRun.started_on, ChallengeRun.created_at, ChallengeRun.id))
    if where is not None:
        query = query.where(where)
    return [RunRecord(started, length, uuid, ladder, _split_categories(categories), ended,
                      created_at=created, updated_at=updated)
            for uuid, started, length, ladder, categories, ended, created, updated
            in tuple_rows(query)]


def all_runs() -> list[RunRecord]:
    """Every run, the earliest started first."""
    return _runs()


def get_run(uuid: str) -> RunRecord | None:
    found = _runs(ChallengeRun.uuid == uuid)
    return found[0] if found else None


def write_run(run: RunRecord, *, keep_times: bool = False,
              unknown_ladder_ok: bool = False, revisions: Revisions | None = None
              ) -> RunRecord:
    """Insert or update ``run`` (by UUID).  A ladder that is not in the journal is refused
    (:class:`ValidationError`), or with ``unknown_ladder_ok`` the run is stored without it.
    Revisions as :func:`write_ladder`'s.  The caller holds the transaction."""
    run.validated()
    ladder_id = None if run.ladder_uuid is None else _ladder_id(run.ladder_uuid)
    if run.ladder_uuid is not None and ladder_id is None and not unknown_ladder_ok:
        raise ValidationError("ladder_uuid", "there is no such ladder in this journal",
                              label="Ladder")
    now = utcnow()
    values = {"started_on": run.started_on, "length_days": run.length_days,
              "ladder": ladder_id, "categories": ",".join(c.value for c in run.categories),
              "ended_on": run.ended_on,
              "updated_at": run.updated_at if keep_times else now}
    if revisions is None:
        stored_as = run.replace(ladder_uuid=None) if ladder_id is None else run
        revisions = next_revisions(revisions_of(ChallengeRun, run.uuid),
                                   run_revision(stored_as))
    values.update(_revision_values(revisions))
    existing = first_tuple(ChallengeRun.select(ChallengeRun.id)
                           .where(ChallengeRun.uuid == run.uuid))
    if existing is None:
        ChallengeRun.insert(uuid=run.uuid, created_at=run.created_at if keep_times else now,
                            **values).execute()
    else:
        ChallengeRun.update(**values).where(ChallengeRun.id == existing[0]).execute()
    stored = get_run(run.uuid)
    assert stored is not None
    return stored


def remove_run(uuid: str) -> RunRecord | None:
    found = get_run(uuid)
    if found is not None:
        ChallengeRun.delete().where(ChallengeRun.uuid == uuid).execute()
    return found


def entries_between(since: date, until: date) -> list[PastAttempt]:
    """Entries dated from ``since`` to ``until`` (inclusive) without their texts, oldest
    first: what a run's progress counts."""
    query = (Attempt.select(Challenge.uuid, fn.date(Attempt.attempted_on).coerce(False),
                            Attempt.anticipated_discomfort, Attempt.actual_discomfort,
                            Attempt.outcome, Attempt.uuid)
             .join(Challenge, peewee.JOIN.LEFT_OUTER)
             .where((Attempt.attempted_on >= since) & (Attempt.attempted_on <= until))
             .order_by(Attempt.attempted_on, Attempt.created_at, Attempt.id))
    return [PastAttempt(challenge, date.fromisoformat(day), before, after,
                        Outcome(outcome) if outcome else None, uuid=entry)
            for challenge, day, before, after, outcome, entry in tuple_rows(query)]


def challenge_categories() -> dict[str, Category]:
    """Every challenge's category, by UUID (to tell which entries a run on categories counts)."""
    return {uuid: Category(category) for uuid, category in
            tuple_rows(Challenge.select(Challenge.uuid, Challenge.category))}

