"""Fear ladders' rung stats and challenge runs' calm progress: pure domain rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from rejection_journal.domain.demo import generate_demo
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.ladders import (
    MAX_RUNGS,
    ladder_overview,
    rung_stats,
    validated_ladder,
)
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import Ladder, PastAttempt, Rung, Step
from rejection_journal.domain.records import ValidationError
from rejection_journal.domain.runs import RunRecord, run_progress

DAY = date(2026, 3, 1)
RUNGS = (Rung("a", "Easy", 1), Rung("b", "Middle", 4), Rung("c", "Hard", 8))


def _entry(challenge: str | None, day: date, before: int | None = 7, after: int | None = 3,
           outcome: Outcome | None = Outcome.NO) -> PastAttempt:
    return PastAttempt(challenge, day, before, after, outcome)


# -- rung stats ------------------------------------------------------------------------------
def test_rung_stats_give_latest_ratings_and_counts_per_rung_in_ladder_order() -> None:
    history = [
        _entry("a", DAY, 8, 6),
        _entry("a", DAY + timedelta(days=2), 6, 2),
        # an open entry and a "didn't ask" are not tries (the README's rule, the same one the
        # next-rung suggestion reads): no count, and the latest ratings come from one try
        _entry("a", DAY + timedelta(days=3), 5, None, None),
        _entry("a", DAY + timedelta(days=4), 9, 1, Outcome.DIDNT_ASK),
        _entry("c", DAY, 9, 7),
        _entry("elsewhere", DAY, 1, 1),
    ]
    stats = rung_stats(RUNGS, history)
    assert [(s.index, s.rung.challenge_uuid) for s in stats] == [(0, "a"), (1, "b"), (2, "c")]
    assert (stats[0].attempts, stats[0].latest_anticipated, stats[0].latest_actual) == (2, 6, 2)
    assert stats[0].last_on == DAY + timedelta(days=2)
    assert (stats[1].attempts, stats[1].latest_anticipated, stats[1].latest_actual,
            stats[1].last_on) == (0, None, None, None)
    assert (stats[2].attempts, stats[2].latest_actual) == (1, 7)


def test_rung_stats_order_by_date_not_by_how_history_is_given() -> None:
    history = [_entry("a", DAY + timedelta(days=5), 4, 1), _entry("a", DAY, 9, 9)]
    assert rung_stats(RUNGS[:1], history)[0].latest_actual == 1


def test_overview_carries_the_next_rung_suggestion() -> None:
    ladder = Ladder("Ask for a raise", RUNGS)
    calm = [_entry("a", DAY, 7, 2), _entry("a", DAY + timedelta(days=1), 6, 1)]
    overview = ladder_overview(ladder, calm)
    assert overview.suggestion.step is Step.MOVE_UP and overview.suggestion.index == 1
    assert overview.rungs[0].attempts == 2


def test_validated_ladder_refuses_empty_goal_repeated_rungs_and_too_many() -> None:
    assert validated_ladder(Ladder("Goal", RUNGS)).goal == "Goal"
    with pytest.raises(ValidationError, match="Goal: cannot be empty"):
        validated_ladder(Ladder("  ", RUNGS))
    with pytest.raises(ValidationError, match="twice"):
        validated_ladder(Ladder("Goal", (RUNGS[0], RUNGS[0])))
    with pytest.raises(ValidationError, match="at most"):
        validated_ladder(Ladder("Goal", tuple(Rung(f"r{i}") for i in range(MAX_RUNGS + 1))))
    with pytest.raises(ValidationError):
        validated_ladder(Ladder("Goal", (Rung("a", "x", 11),)))


def test_ladders_compare_without_their_timestamps() -> None:
    first = Ladder("Goal", RUNGS, "u")
    assert first == Ladder("Goal", RUNGS, "u", created_at=first.created_at + timedelta(1))


# -- runs --------------------------------------------------------------------------------------
def test_run_progress_counts_days_asks_and_nos_calmly() -> None:
    run = RunRecord(DAY, 30)
    entries = [
        _entry("a", DAY, outcome=Outcome.NO),
        _entry("a", DAY, outcome=Outcome.YES),  # same day: one day with an attempt
        _entry("b", DAY + timedelta(days=3), outcome=Outcome.NO_RESPONSE),
        _entry("b", DAY + timedelta(days=4), outcome=Outcome.DIDNT_ASK),  # a day, no ask
        _entry(None, DAY + timedelta(days=5), None, None, None),  # planned
        _entry("a", DAY - timedelta(days=1), outcome=Outcome.NO),  # before the run
    ]
    progress = run_progress(run, entries, DAY + timedelta(days=9))
    assert (progress.day, progress.length_days) == (10, 30)
    assert progress.days_with_attempt == 3
    assert (progress.asks_made, progress.nos, progress.planned) == (3, 2, 1)
    assert not progress.finished
    assert progress.summary == ("Day 10 of 30 · 3 days with an attempt · 3 asks made · "
                                "2 no’s collected")


def test_a_missed_week_changes_nothing_that_was_collected_and_no_word_shames() -> None:
    run = RunRecord(DAY, 30)
    before_gap = [_entry("a", DAY + timedelta(days=d)) for d in range(5)]
    early = run_progress(run, before_gap, DAY + timedelta(days=4))
    later = run_progress(run, before_gap, DAY + timedelta(days=12))  # a week with nothing
    assert (later.days_with_attempt, later.asks_made, later.nos) == (
        early.days_with_attempt, early.asks_made, early.nos)
    text = later.summary.lower()
    assert not re.search(r"streak|miss|fail|broke|lost|behind|only|should", text)
    for field in ("streak", "missed", "longest"):
        assert not hasattr(later, field)


def test_run_progress_before_start_after_end_and_ended_early() -> None:
    run = RunRecord(DAY, 30)
    assert run_progress(run, [], DAY - timedelta(days=2)).day == 0
    assert "starts on 2026-03-01" in run_progress(run, [], DAY - timedelta(days=2)).summary
    done = run_progress(run, [_entry("a", DAY + timedelta(days=29))], DAY + timedelta(days=60))
    assert (done.day, done.finished, done.asks_made) == (30, True, 1)
    assert done.summary.startswith("Finished: 30-day run")
    ended = run.replace(ended_on=DAY + timedelta(days=4))
    after_end = [_entry("a", DAY + timedelta(days=6))]
    progress = run_progress(ended, after_end, DAY + timedelta(days=8))
    assert (progress.day, progress.finished, progress.asks_made) == (5, True, 0)


def test_run_scope_ladder_or_categories() -> None:
    entries = [_entry("a", DAY), _entry("x", DAY), _entry(None, DAY)]
    on_ladder = RunRecord(DAY, 30, ladder_uuid="L")
    assert run_progress(on_ladder, entries, DAY, ladder_challenges={"a"}).asks_made == 1
    social = RunRecord(DAY, 30, categories=(Category.SOCIAL,))
    kinds = {"a": Category.CAREER, "x": Category.SOCIAL}
    assert run_progress(social, entries, DAY, challenge_categories=kinds).asks_made == 1
    assert run_progress(RunRecord(DAY, 30), entries, DAY).asks_made == 3


@pytest.mark.parametrize("length", [6, 366, True, 30.0])
def test_run_length_is_7_to_365_days(length: object) -> None:
    with pytest.raises(ValidationError, match="Length"):
        RunRecord(DAY, length).validated()  # type: ignore[arg-type]


def test_run_values_are_checked() -> None:
    assert RunRecord(DAY, 100).validated().last_day == DAY + timedelta(days=99)
    with pytest.raises(ValidationError, match="before the start"):
        RunRecord(DAY, 30, ended_on=DAY - timedelta(days=1)).validated()
    with pytest.raises(ValidationError, match="twice"):
        RunRecord(DAY, 30, categories=(Category.SOCIAL, Category.SOCIAL)).validated()
    assert RunRecord(DAY, 30).is_active(DAY + timedelta(days=29))
    assert not RunRecord(DAY, 30).is_active(DAY + timedelta(days=30))


# -- demo ------------------------------------------------------------------------------------
def test_demo_fills_ladders_whose_discomfort_comes_down_and_one_run() -> None:
    library = builtin_challenges()
    demo = generate_demo(library, 300, seed=3, today=DAY)
    assert 2 <= len(demo.ladders) <= 3 and len(demo.runs) == 1
    assert len(demo.attempts) == 300
    levels = {c.uuid: c.level for c in library}
    for ladder in demo.ladders:
        assert 4 <= len(ladder.rungs) <= 6
        assert [levels[r.challenge_uuid] for r in ladder.rungs] == sorted(
            levels[r.challenge_uuid] for r in ladder.rungs)
    first = demo.ladders[0]
    tries = [a for a in demo.attempts if a.challenge_uuid == first.rungs[0].challenge_uuid]
    assert len(tries) >= 2 and tries[-1].actual_discomfort < tries[0].actual_discomfort  # type: ignore[operator]
    overview = ladder_overview(first, demo.attempts)
    assert overview.suggestion.index is not None and overview.suggestion.index >= 1
    run = demo.runs[0]
    assert (run.length_days, run.ladder_uuid) == (30, first.uuid)
    assert run_progress(run, demo.attempts, DAY, ladder_challenges={
        r.challenge_uuid for r in first.rungs}).asks_made > 0
    again = generate_demo(library, 300, seed=3, today=DAY)
    # same seed, same content; new UUIDs each time (issue 18: demo UUIDs never repeat across
    # journals), so the ladder a run climbs is named by the new ladder's UUID
    assert [a.replace(uuid="") for a in again.attempts] == \
        [a.replace(uuid="") for a in demo.attempts]
    assert [(x.goal, x.rungs) for x in again.ladders] == [(x.goal, x.rungs) for x in demo.ladders]
    assert again.runs[0].replace(uuid="", ladder_uuid="") == \
        demo.runs[0].replace(uuid="", ladder_uuid="")
    assert again.runs[0].ladder_uuid == again.ladders[0].uuid
    uuids = {a.uuid for a in demo.attempts} | {x.uuid for x in demo.ladders} | \
        {r.uuid for r in demo.runs}
    assert not uuids & ({a.uuid for a in again.attempts} | {x.uuid for x in again.ladders}
                        | {r.uuid for r in again.runs})
