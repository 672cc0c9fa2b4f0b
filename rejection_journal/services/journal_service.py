"""The journal's use cases, written once for the window and the command line.

Widgets and commands call a :class:`JournalService`; it calls storage, keeps the undo history
and announces every change on its :class:`~rejection_journal.services.events.ChangeBus`.
Whole-journal sequences (back up, then import; back up, then restore) live in
:mod:`rejection_journal.services.sequences` and nowhere else.  Qt-free.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    LadderChartData,
)
from rejection_journal.domain.demo import DemoRemoval
from rejection_journal.domain.entry_list import DEFAULT_SORT, EntryFilter, EntrySort
from rejection_journal.domain.enums import Category
from rejection_journal.domain.fields import ATTEMPT_FIELDS
from rejection_journal.domain.ladders import DeletedLadder, LadderOverview, ladder_overview
from rejection_journal.domain.picker import (
    Ladder,
    PastAttempt,
    Rung,
    Suggestion,
    boundary_match,
)
from rejection_journal.domain.picker import draw_card as pick_card
from rejection_journal.domain.picker import todays_challenge as pick_todays_challenge
from rejection_journal.domain.plan import Answers, TakenCheck
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.domain.runs import RunProgress, RunRecord, run_progress
from rejection_journal.domain.search import SearchHit
from rejection_journal.domain.stats import GapPoint
from rejection_journal.domain.wellbeing import (
    TREND_WINDOW,
    PauseSuggestion,
    TrendPoint,
    pause_suggestion,
)
from rejection_journal.paths import default_data_dir
from rejection_journal.services.clock import Clock
from rejection_journal.services.derived import attempt_derived
from rejection_journal.services.events import Change, ChangeBus, Entity
from rejection_journal.services.experiments import FOLLOW_UP_AFTER, ExperimentCases
from rejection_journal.services.sequences import import_description, import_into, restore_journal
from rejection_journal.services.undo import Step, Touch, UndoStack
from rejection_journal.storage import Journal, StorageError
from rejection_journal.storage.backup_list import (
    MANUAL,
    BackupInfo,
    backup_entry_count,
    backups_of,
    journal_identity,
)
from rejection_journal.storage.demo import RemovedDemo
from rejection_journal.storage.import_schema import ImportPlan, read_plan
from rejection_journal.storage.import_undo import ImportChanges
from rejection_journal.storage.merge import ImportResult, Progress, preview_import
from rejection_journal.storage.revisions import revision

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


class _DemoRemovalStep:
    """Removing demo data as an undo step: undo writes back what the last removal took (one
    transaction); redo removes again by the same rule (what the user changed meanwhile
    stays)."""

    def __init__(self, service: JournalService) -> None:
        self._service = service
        self._removed: RemovedDemo | None = None

    def remove(self) -> DemoRemoval:
        """Remove (announcing nothing: the caller announces once its undo stack is set)."""
        self._removed = self._service.journal.remove_demo_data()
        return self._removed.result

    def redo(self) -> DemoRemoval:
        return self.remove()

    def undo(self) -> None:
        if self._removed is not None:
            self._service.journal.restore_demo_data(self._removed)


class UndoRun:
    """One undo or redo in progress (:meth:`JournalService.begin_undo`)."""

    def __init__(self, service: JournalService, step: Step, description: str,
                 redo: bool) -> None:
        self._service = service
        self._step = step
        self.description = description
        self.redo = redo
        #: how many records it writes (what progress counts)
        self.size = step.size
        self._announcements: list[Change] = []

    def write(self, progress: Progress | None = None) -> None:
        """Write the step to the journal; announces nothing (call :meth:`finish`)."""
        self._announcements = self._service._apply(self._step, progress)

    def finish(self, *, ok: bool) -> None:
        """Announce what was written; or, if :meth:`write` failed (nothing was written then,
        for an import's step), put the step back where it was."""
        stack = self._service.undo_stack
        if not ok:
            stack.restore_redo() if self.redo else stack.restore_undo()
            return
        for change in self._announcements:
            self._service.changes.publish(change)


class JournalService(ExperimentCases):
    """One open journal's use cases; ``changes`` announces what each of them changed."""

    def __init__(self, journal: Journal, changes: ChangeBus | None = None, *,
                 clock: Clock | None = None) -> None:
        self.journal = journal
        self.changes = changes or ChangeBus()
        self.undo_stack = UndoStack()
        #: the one clock: every "today" and "now" of the window and the commands comes from
        #: it; tests (and ``today --date``) pass a :class:`FixedClock`
        self.clock = clock or Clock()
        self._day = self.clock.today()

    def today(self) -> date:
        """The local calendar day (the date rule compares with it)."""
        return self.clock.today()

    def now(self) -> datetime:
        """The local date and time."""
        return self.clock.now()

    def check_day(self) -> bool:
        """Announce a new day (``Entity.DAY``) if the clock has moved to another date since
        the last look; True if it did.  The window asks every minute, so an app left open
        overnight moves on by itself: today's challenge, a new entry's date, the evening
        review and the date filters follow."""
        day = self.clock.today()
        if day == self._day:
            return False
        self._day = day
        self.changes.publish(Change(entity=Entity.DAY, changed=(day.isoformat(),),
                                    fields=frozenset()))
        return True

    @property
    def data_dir(self) -> Path:
        return self.journal.data_dir

    @property
    def path(self) -> Path:
        """The journal file."""
        return self.journal.path

    @property
    def journal_name(self) -> str:
        """What the window's title calls this journal: "" for the one in the default place,
        else its folder's name (a second journal, a copy, the demo)."""
        if self.data_dir.resolve() == default_data_dir().resolve():
            return ""
        return self.data_dir.name

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

    def attempt_uuids_sorted(self, sort: EntrySort = DEFAULT_SORT,
                             flt: EntryFilter | None = None, *,
                             among: Sequence[str] | None = None) -> list[str]:
        """The UUIDs of the entries ``flt`` admits, ordered by ``sort``, computed by
        storage (see ``Journal.attempt_uuids_sorted``)."""
        return self.journal.attempt_uuids_sorted(sort, flt or EntryFilter(), among=among)

    def worker_connection(self) -> AbstractContextManager[None]:
        """Wrap reads made on a worker thread: its own connection, closed afterwards."""
        return self.journal.worker_connection()

    def attempts_by_uuid(self, uuids: Sequence[str]) -> dict[str, AttemptRecord]:
        return self.journal.attempts_by_uuid(uuids)

    def attempt_count(self) -> int:
        return self.journal.attempt_count()

    def open_entries(self) -> list[AttemptRecord]:
        """Entries to reflect on, oldest first: open ones, but an entry waiting for an answer
        only once its day to follow up has come (services/experiments.py)."""
        return self.to_reflect_on()

    def open_count(self) -> int:
        return self.journal.to_reflect_count(self.today(), FOLLOW_UP_AFTER)

    def challenges(self, *, include_archived: bool = False) -> list[ChallengeRecord]:
        return self.journal.challenges(include_archived=include_archived)

    def challenge(self, uuid: str) -> ChallengeRecord | None:
        return self.journal.challenge(uuid)

    def challenge_usage(self, until: date | None = None) -> dict[str, tuple[int, date]]:
        """(how many entries, date of the latest) per challenge UUID that has entries."""
        return self.journal.challenge_usage(until)

    def save_challenge(self, record: ChallengeRecord) -> ChallengeRecord:
        """Add or edit one of the user's own challenges, or archive/unarchive any challenge;
        announces it.  Not on the undo stack (that holds entries): archiving is undone by
        unarchiving.  Raises ``ValidationError`` or :class:`StorageError`; nothing changes
        then."""
        before = self.journal.challenge(record.uuid)
        stored = self.journal.save_challenge(record)
        if before is None:
            self.changes.publish(Change(entity=Entity.CHALLENGE, added=(stored.uuid,)))
        elif before != stored:
            fields = frozenset(name for name in ("title", "category", "level", "how_to",
                                                 "respect_note", "archived")
                               if getattr(before, name) != getattr(stored, name))
            self.changes.publish(Change(entity=Entity.CHALLENGE, changed=(stored.uuid,),
                                        fields=fields))
        return stored

    def _usage_history(self, until: date | None = None) -> list[PastAttempt]:
        """Each used challenge's latest entry, as the picker rules read history."""
        return [PastAttempt(challenge_uuid=uuid, attempted_on=last)
                for uuid, (_count, last) in self.journal.challenge_usage(until).items()]

    def todays_challenge(self, day: date, current_rung: Rung | None = None
                         ) -> ChallengeRecord | None:
        """The challenge suggested for ``day`` (the same all day; see
        :func:`~rejection_journal.domain.picker.todays_challenge`): the current ladder rung
        when one is given, else one not done in the two weeks before."""
        # What was done on ``day`` itself does not count: the suggestion stays put all day,
        # even after it has been done.
        history = self._usage_history(day - timedelta(days=1))
        return pick_todays_challenge(day, self.journal.challenges(), history,
                                     current_rung=current_rung)

    def draw_card(self, challenges: Sequence[ChallengeRecord], rng: random.Random, *,
                  exclude: Collection[str] = ()) -> ChallengeRecord | None:
        """A random card from ``challenges`` (the picker's filtered list), avoiding the
        challenges done most recently and the UUIDs in ``exclude`` (cards just drawn)."""
        return pick_card(challenges, self._usage_history(), rng, exclude=exclude)

    def boundary_reminder(self, record: AttemptRecord) -> PastAttempt | None:
        """An earlier entry where the person ``record`` names said "no" to a similar ask, if
        any (the most recent): a no is the end of that ask.  ``record`` itself (when it is an
        entry being edited) is never its own reminder."""
        if not record.who_asked.strip():
            return None
        past = [p for p in self.journal.asks_refused_by(record.who_asked)
                if p.uuid != record.uuid]
        return boundary_match(record.who_asked, record.ask, past,
                              challenge_uuid=record.challenge_uuid)

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
        """Every entry the charts may show (no texts), oldest first, within ``flt``."""
        flt = flt or ChartFilter()
        return self.journal.chart_rows(flt.since, flt.until, flt.category)

    def gap_points(self, flt: ChartFilter | None = None) -> list[GapPoint]:
        """Only what the gap chart plots (finished asks rated twice), oldest first."""
        flt = flt or ChartFilter()
        return self.journal.gap_points(flt.since, flt.until, flt.category)

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
        """(prediction before, prediction for next time) per entry, for the belief chart."""
        flt = flt or ChartFilter()
        return self.journal.belief_pairs(flt.since, flt.until, flt.category)

    def search(self, text: str, limit: int = 50, offset: int = 0,
               cancelled: Callable[[], bool] | None = None) -> list[SearchHit]:
        """The entries whose texts hold ``text``, best first, matched words marked; raises
        ``SearchSyntaxError`` (a :class:`StorageError`) for FTS5 syntax SQLite cannot read,
        ``SearchTooLongError`` for a search too long to run, and ``SearchCancelledError``
        once ``cancelled()`` is true (checked as it runs: a search on a worker thread)."""
        return self.journal.search(text, limit, offset, cancelled)

    def search_count(self, text: str, cancelled: Callable[[], bool] | None = None) -> int:
        """How many entries :meth:`search` finds for ``text`` in all."""
        return self.journal.search_count(text, cancelled)

    def self_checks(self) -> list[TakenCheck]:
        """Every self-check taken, oldest first (the self-check chart plots them)."""
        return self.journal.self_checks()

    def save_self_check(self, answers: Answers, *, replacing: str | None = None
                        ) -> TakenCheck:
        """Keep the self-check taken today with ``answers`` (validated); it can be taken
        again, each result with its date.  ``replacing``: the UUID of a result these answers
        correct (the same sitting, answers changed).  Announces ``Entity.SELF_CHECK``."""
        taken = TakenCheck.of(answers, self.today())
        if replacing is not None:
            taken = dataclasses.replace(taken, uuid=replacing)
        self.journal.save_self_check(taken)
        which = (taken.uuid,)
        self.changes.publish(Change(Entity.SELF_CHECK, changed=which) if replacing
                             else Change(Entity.SELF_CHECK, added=which))
        return taken

    def ladder_chart(self, flt: ChartFilter | None = None) -> LadderChartData:
        """The chosen ladder's goal, rungs and the entries on them, for the ladder chart
        (``chart_stats.ladder_progress`` applies the one rule of what counts as a try).
        ``flt.ladder`` is a ladder's UUID or goal (case and spaces ignored); None charts the
        ladder worked on most recently.  No such ladder: its name, no rungs, no entries."""
        flt = flt or ChartFilter()
        found = self.journal.find_ladder(flt.ladder)
        if found is None:
            return LadderChartData(flt.ladder or "", (), [])
        return LadderChartData(found.goal, found.rungs, self.journal.ladder_history(found.uuid))

    def chart_open_count(self, flt: ChartFilter | None = None) -> int:
        """How many entries within ``flt`` (dates, category) still wait for their after half:
        what a chart says it does not show yet (those to reflect on: :meth:`open_entries`)."""
        flt = flt or ChartFilter()
        entries = self.to_reflect_on()
        categories: dict[str, str] = {}
        if flt.category is not None:
            categories = {c.uuid: c.category.value
                          for c in self.journal.challenges(include_archived=True)}
        return sum(1 for e in entries if flt.admits_entry(
            e.attempted_on, categories.get(e.challenge_uuid or "")))

    # -- ladders and runs ----------------------------------------------------------------------
    def ladders(self) -> list[Ladder]:
        """Every fear ladder, oldest first, each with its rungs easiest first."""
        return self.journal.ladders()

    def ladder(self, uuid: str) -> Ladder | None:
        return self.journal.ladder(uuid)

    def find_ladder(self, key: str | None) -> Ladder | None:
        """The ladder with this UUID or goal (case and spaces ignored); None: the ladder
        worked on most recently.  None when there is no such ladder."""
        return self.journal.find_ladder(key)

    def _existing_ladder(self, uuid: str) -> Ladder:
        found = self.journal.ladder(uuid)
        if found is None:
            raise StorageError("That ladder is no longer in this journal; it may have been "
                               "deleted.")
        return found

    def ladder_overview(self, uuid: str) -> LadderOverview:
        """A ladder with each rung's stats (latest anticipated and actual discomfort, number
        of entries) and the suggested next rung: everything a ladder view shows."""
        ladder = self._existing_ladder(uuid)
        return ladder_overview(ladder, self.journal.ladder_history(uuid))

    def ladder_suggestion(self, uuid: str) -> Suggestion:
        """Which rung of the ladder to practise next, and why (the domain's next-rung rule)."""
        return self.ladder_overview(uuid).suggestion

    def current_rung(self) -> Rung | None:
        """The suggested next rung of the ladder worked on most recently (the one with the
        latest entry on a rung, else the one changed last); None without ladders or rungs."""
        uuid = self.journal.recent_ladder_uuid()
        return None if uuid is None else self.ladder_suggestion(uuid).rung

    def save_ladder(self, ladder: Ladder, *, description: str | None = None) -> Ladder:
        """Create or change a ladder (goal and rungs, in order); undoable.  Announces
        ``Entity.LADDER``.  Raises :class:`ValidationError` or :class:`StorageError`."""
        before = self.journal.ladder(ladder.uuid)
        stored = self.journal.save_ladder(ladder)
        if before is not None and before == stored:
            return stored
        if description is None:
            description = (f"New ladder {_short(stored.goal)}" if before is None
                           else f"Edit ladder {_short(stored.goal)}")
        self.undo_stack.push(Step(description, (Touch(stored.uuid, before, stored),)))
        self._announce_ladder(stored.uuid, before, stored)
        return stored

    def new_ladder(self, goal: str, challenge_uuids: Sequence[str] = ()) -> Ladder:
        """A new ladder for ``goal`` with these challenges as rungs, easiest first."""
        return self.save_ladder(Ladder(goal, tuple(Rung(u) for u in challenge_uuids)))

    def rename_ladder(self, uuid: str, goal: str) -> Ladder:
        """Give a ladder a new goal; undoable."""
        ladder = self._existing_ladder(uuid)
        return self.save_ladder(replace(ladder, goal=goal),
                                description=f"Rename ladder {_short(ladder.goal)}")

    def set_rungs(self, uuid: str, challenge_uuids: Sequence[str]) -> Ladder:
        """Replace a ladder's rungs by these challenges, easiest first (reorder, add or
        remove in one step); undoable."""
        ladder = self._existing_ladder(uuid)
        return self.save_ladder(replace(ladder, rungs=tuple(Rung(u) for u in challenge_uuids)),
                                description=f"Change the steps of {_short(ladder.goal)}")

    def add_rung(self, uuid: str, challenge_uuid: str, index: int | None = None) -> Ladder:
        """Add a challenge as a rung at ``index`` (None: at the top); undoable."""
        rungs = [r.challenge_uuid for r in self._existing_ladder(uuid).rungs]
        rungs.insert(len(rungs) if index is None else index, challenge_uuid)
        return self.set_rungs(uuid, rungs)

    def remove_rung(self, uuid: str, index: int) -> Ladder:
        """Take the rung at ``index`` off the ladder (its entries stay); undoable."""
        rungs = [r.challenge_uuid for r in self._existing_ladder(uuid).rungs]
        del rungs[index]
        return self.set_rungs(uuid, rungs)

    def move_rung(self, uuid: str, from_index: int, to_index: int) -> Ladder:
        """Move a rung (drag and drop, or a keyboard move) to ``to_index``; undoable."""
        rungs = [r.challenge_uuid for r in self._existing_ladder(uuid).rungs]
        rungs.insert(to_index, rungs.pop(from_index))
        return self.set_rungs(uuid, rungs)

    def delete_ladder(self, uuid: str) -> Ladder | None:
        """Delete a ladder (undoable: it comes back with its rungs, and runs on it are linked
        to it again); its entries stay.  Returns what was deleted, None if nothing was."""
        deleted = self.journal.delete_ladder(uuid)
        if deleted is None:
            return None
        self.undo_stack.push(Step(f"Delete ladder {_short(deleted.ladder.goal)}",
                                  (Touch(uuid, deleted.ladder, None, deleted.run_uuids),)))
        self._announce_ladder(uuid, deleted.ladder, None)
        if deleted.run_uuids:
            self.changes.publish(Change(Entity.RUN, changed=deleted.run_uuids))
        return deleted.ladder

    def _apply_ladder(self, touch: Touch, publish: Callable[[Change], None]) -> None:
        """Write one side of a ladder's undo step (see :meth:`_apply`)."""
        current = self.journal.ladder(touch.uuid)
        after = touch.after
        assert after is None or isinstance(after, Ladder)
        if after is None:
            self.journal.delete_ladder(touch.uuid)
        else:
            self.journal.restore_ladder(DeletedLadder(after, touch.runs))
        self._announce_ladder(touch.uuid, current, after, publish)
        if touch.runs:
            publish(Change(Entity.RUN, changed=touch.runs))

    def _announce_ladder(self, uuid: str, before: Ladder | None, after: Ladder | None,
                         publish: Callable[[Change], None] | None = None) -> None:
        publish = publish or self.changes.publish
        if before is None and after is not None:
            publish(Change(Entity.LADDER, added=(uuid,)))
        elif after is None and before is not None:
            publish(Change(Entity.LADDER, removed=(uuid,)))
        elif before != after:
            publish(Change(Entity.LADDER, changed=(uuid,)))

    def runs(self) -> list[RunRecord]:
        """Every challenge run, the earliest started first."""
        return self.journal.runs()

    def run(self, uuid: str) -> RunRecord | None:
        return self.journal.run(uuid)

    def active_run(self, today: date | None = None) -> RunRecord | None:
        """The run going on ``today`` (default: today), the latest started if several."""
        today = today or self.today()
        active = [run for run in self.journal.runs() if run.is_active(today)]
        return active[-1] if active else None

    def start_run(self, length_days: int = 30, *, started_on: date | None = None,
                  ladder_uuid: str | None = None, categories: Sequence[Category] = ()
                  ) -> RunRecord:
        """Start a run of ``length_days`` (30 or 100 usually; 7-365) today or on
        ``started_on``, optionally on one ladder or some categories.  Announces ``RUN``."""
        run = RunRecord(started_on or self.today(), length_days, ladder_uuid=ladder_uuid,
                        categories=tuple(categories))
        stored = self.journal.save_run(run)
        self.changes.publish(Change(Entity.RUN, added=(stored.uuid,)))
        return stored

    def save_run(self, run: RunRecord) -> RunRecord:
        """Store a run as given (insert or update by UUID); announces ``RUN``."""
        existed = self.journal.run(run.uuid) is not None
        stored = self.journal.save_run(run)
        self.changes.publish(Change(Entity.RUN, changed=(stored.uuid,)) if existed
                             else Change(Entity.RUN, added=(stored.uuid,)))
        return stored

    def end_run(self, uuid: str, ended_on: date | None = None) -> RunRecord:
        """End a run on ``ended_on`` (default: today, or its start if that is later)."""
        run = self.journal.run(uuid)
        if run is None:
            raise StorageError("That run is no longer in this journal.")
        day = ended_on or max(self.today(), run.started_on)
        return self.save_run(run.replace(ended_on=day))

    def delete_run(self, uuid: str) -> RunRecord | None:
        """Delete a run (not undoable: ask first); its entries stay."""
        deleted = self.journal.delete_run(uuid)
        if deleted is not None:
            self.changes.publish(Change(Entity.RUN, removed=(uuid,)))
        return deleted

    def run_progress(self, run: RunRecord | str, today: date | None = None) -> RunProgress:
        """Where a run stands on ``today`` (default: today): day N of M, days with an
        attempt, asks made, no's collected (domain ``run_progress``)."""
        if isinstance(run, str):
            found = self.journal.run(run)
            if found is None:
                raise StorageError("That run is no longer in this journal.")
            run = found
        today = today or self.today()
        entries = self.journal.entries_between(run.started_on, run.last_day)
        ladder = (None if run.ladder_uuid is None else self.journal.ladder(run.ladder_uuid))
        rungs = None if ladder is None else {r.challenge_uuid for r in ladder.rungs}
        categories = self.journal.challenge_categories() if run.categories else None
        return run_progress(run, entries, today, challenge_categories=categories,
                            ladder_challenges=rungs)

    # -- saving, deleting, undo --------------------------------------------------------------
    def save(self, record: AttemptRecord) -> AttemptRecord:
        """Validate and store ``record``; announce it and remember it for undo.

        What a user saves also follows the date rule (``check_date``: a completed entry is not
        dated after today, a planned one at most a few weeks ahead); imports keep the dates
        their files carry.

        Raises :class:`~rejection_journal.domain.records.ValidationError` or
        :class:`~rejection_journal.storage.StorageError`; nothing changes then.
        """
        record = record.answered().validated().check_date(self.today())
        before, stored = self.journal.save_attempt_from(record)
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

    def undo(self, *, progress: Progress | None = None) -> str | None:
        """Undo the last step (a save, a delete, a ladder's change, an import); returns its
        description, or None if there is nothing to undo.  ``progress(done, total)`` follows
        an import's undo."""
        return self._run_whole(self.begin_undo(), progress)

    def redo(self, *, progress: Progress | None = None) -> str | None:
        return self._run_whole(self.begin_undo(redo=True), progress)

    def next_step_size(self, *, redo: bool = False) -> int:
        """How many records the next undo (or redo) writes: the window runs a large one off
        the GUI thread, with progress."""
        step = self.undo_stack.peek(redo=redo)
        return 0 if step is None else step.size

    def begin_undo(self, *, redo: bool = False) -> UndoRun | None:
        """Take the next step to undo (or redo) off the history, to be written by
        :meth:`UndoRun.write` (on any thread, in the journal's or a worker's connection) and
        then :meth:`UndoRun.finish` on the thread that called this."""
        step = self.undo_stack.take_redo() if redo else self.undo_stack.take_undo()
        if step is None:
            return None
        return UndoRun(self, step if redo else step.reversed(), step.description, redo)

    @staticmethod
    def _run_whole(run: UndoRun | None, progress: Progress | None) -> str | None:
        if run is None:
            return None
        try:
            run.write(progress)
        except BaseException:
            run.finish(ok=False)
            raise
        run.finish(ok=True)
        return run.description

    def _apply(self, step: Step, progress: Progress | None = None) -> list[Change]:
        """Write ``step``; returns what it changed, to announce (by the caller's thread)."""
        out: list[Change] = []
        if step.action is not None:  # (removing demo data) it writes itself, both ways
            if step.undoing:
                step.action.undo()
            else:
                step.action.redo()
            return [Change.reset()]
        if step.import_changes is not None:
            # An import taken back or redone: every row it changed, in one transaction, and
            # one reset rather than thousands of row updates.
            self.journal.apply_import_changes(step.import_changes, undo=step.undoing,
                                              progress=progress)
            return [Change.reset()]
        many = len(step.touches) > 1
        for touch in step.touches:
            if touch.is_ladder:
                self._apply_ladder(touch, out.append)
                continue
            assert not isinstance(touch.after, Ladder)
            current = self.journal.attempt(touch.uuid)
            if touch.after is None:
                self.journal.delete_attempt(touch.uuid)
                stored = None
            else:
                stored = self.journal.save_attempt(touch.after)
            if not many:
                self._announce(touch.uuid, current, stored, changed_fields(current, stored),
                               out.append)
        if many:
            out.append(Change.reset())
        return out

    # -- the editor's draft ----------------------------------------------------------------------
    def save_draft(self, key: str, content: str, entry_uuid: str | None) -> None:
        """Keep editor ``key``'s unsaved form (``content``, the form as typed) in the journal,
        so a crash, a kill or a logout loses nothing; replaces its previous draft."""
        self.journal.save_draft(key, content, entry_uuid)

    def draft(self, key: str) -> tuple[str, str | None] | None:
        """(content, entry UUID) of the draft editor ``key`` left, or None."""
        return self.journal.draft(key)

    @staticmethod
    def revision(record: AttemptRecord) -> str:
        """The revision of ``record``'s words (the same words give the same revision on every
        machine): what a draft names as the version of the entry it was written on."""
        return revision(record)

    def discard_draft(self, key: str) -> None:
        self.journal.delete_draft(key)

    def _announce(self, uuid: str, before: AttemptRecord | None, after: AttemptRecord | None,
                  fields: frozenset[str], publish: Callable[[Change], None] | None = None
                  ) -> None:
        publish = publish or self.changes.publish
        derived = attempt_derived(before, after, is_rung=self._rung_test(before, after))
        if before is None and after is not None:
            publish(Change(added=(uuid,), fields=fields, derived=derived))
        elif after is None and before is not None:
            publish(Change(removed=(uuid,), fields=fields, derived=derived))
        elif fields:
            publish(Change(changed=(uuid,), fields=fields, derived=derived))

    def _rung_test(self, *records: AttemptRecord | None) -> Callable[[str], bool]:
        """Whether a challenge is a rung of some ladder (read only when an entry has one)."""
        if all(r is None or r.challenge_uuid is None for r in records):
            return lambda _uuid: False
        rungs = {rung.challenge_uuid for ladder in self.journal.ladders()
                 for rung in ladder.rungs}
        return rungs.__contains__

    # -- whole-journal operations --------------------------------------------------------------
    @staticmethod
    def read_import(path: Path) -> ImportPlan:
        """Read and check a whole export file; touches no journal (``import_schema.read_plan``)."""
        return read_plan(path)

    def preview_import(self, plan: ImportPlan) -> ImportResult:
        """What importing ``plan`` would add, update and keep; writes nothing."""
        return preview_import(self.journal, plan)

    def import_plan(self, plan: ImportPlan, *, progress: Progress | None = None
                    ) -> ImportResult:
        """Import a checked file (see :func:`import_into`); announces a reset if it changed
        anything.  Whatever it changed (entries, custom challenges, ladders, runs, versions
        stored in a history) is one step on the undo history, taken back exactly and in one
        transaction."""
        changes = ImportChanges()
        result = import_into(self.journal, plan, progress=progress, changes=changes)
        if result.changed:
            if not changes.is_empty:
                self.undo_stack.push(Step(import_description(changes), (),
                                          import_changes=changes))
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
        """This journal's backups, newest first (not another journal's sharing the folder)."""
        journal_id, _changes = journal_identity(self.journal.path)
        return backups_of(self.journal.backups_dir, journal_id)

    def backup_entries(self, backup: Path) -> int | None:
        """How many entries ``backup`` holds (None: unreadable), before restoring it."""
        return backup_entry_count(backup)

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
        from rejection_journal.domain.demo import generate_demo

        demo = generate_demo(self.journal.challenges(), count, seed=seed, today=self.today(),
                             now=self.clock.utc_now())
        added, _ladders, _runs = self.journal.add_demo_data(demo.attempts, demo.ladders,
                                                            demo.runs)
        self.undo_stack.clear()
        self.changes.publish(Change.reset())
        return added

    def has_demo_data(self) -> bool:
        """True while anything demo data added is still in the journal."""
        return self.journal.has_demo_data()

    def remove_demo_data(self) -> DemoRemoval:
        """Delete the demo items still as the demo gave them, in one step; keep (unmarked)
        every one the user changed, and real entries.  Undoable: Undo puts back exactly
        what went, Redo removes again by the same rule.  Announces a reset."""
        removal = _DemoRemovalStep(self)
        result = removal.remove()
        if result.removed or result.kept:
            noun = "item" if result.removed == 1 else "items"
            self.undo_stack.push(Step(f"Remove demo data ({result.removed:,} {noun})", (),
                                      removal))
        self.changes.publish(Change.reset())
        return result

    # -- wellbeing -------------------------------------------------------------------------------
    def pause_suggestion(self) -> PauseSuggestion | None:
        """Whether the recent entries' trend suggests a pause (see ``domain/wellbeing.py``)."""
        recent = self.journal.recent_completed(TREND_WINDOW)
        return pause_suggestion([TrendPoint(actual, hopeful) for actual, hopeful in recent])
