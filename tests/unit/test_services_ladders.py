"""Ladders and runs through the service: change events, undo and redo, the current rung."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import AskMode
from rejection_journal.domain.picker import Step
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import Change, Entity, FixedClock, JournalService
from rejection_journal.storage import Journal, StorageError

TODAY = date(2026, 3, 10)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


@pytest.fixture
def heard(service: JournalService) -> list[Change]:
    changes: list[Change] = []
    service.changes.subscribe(changes.append)
    return changes


def _uuids(service: JournalService, count: int = 3) -> list[str]:
    return [c.uuid for c in service.challenges()[:count]]


def _try(challenge: str, day: date, actual: int, before: int = 7) -> AttemptRecord:
    return AttemptRecord(ask="A step", attempted_on=day, challenge_uuid=challenge,
                         anticipated_discomfort=before, outcome=Outcome.NO,
                         actual_discomfort=actual)


def test_every_ladder_write_is_announced_and_undoable(service: JournalService,
                                                       heard: list[Change]) -> None:
    a, b, c = _uuids(service)
    ladder = service.new_ladder("Ask for a raise", [a, b])
    assert heard[-1] == Change(Entity.LADDER, added=(ladder.uuid,))
    assert service.undo_text == "New ladder “Ask for a raise”"
    service.rename_ladder(ladder.uuid, "Ask for more")
    service.add_rung(ladder.uuid, c)
    service.move_rung(ladder.uuid, 2, 0)
    assert [r.challenge_uuid for r in service.ladder(ladder.uuid).rungs] == [c, a, b]  # type: ignore[union-attr]
    assert heard[-1] == Change(Entity.LADDER, changed=(ladder.uuid,))
    service.remove_rung(ladder.uuid, 1)
    assert [r.challenge_uuid for r in service.ladder(ladder.uuid).rungs] == [c, b]  # type: ignore[union-attr]
    assert service.undo() == "Change the steps of “Ask for more”"
    assert [r.challenge_uuid for r in service.ladder(ladder.uuid).rungs] == [c, a, b]  # type: ignore[union-attr]
    service.undo()
    service.undo()
    assert service.undo() == "Rename ladder “Ask for a raise”"
    assert service.ladder(ladder.uuid) == ladder
    assert service.undo() == "New ladder “Ask for a raise”"
    assert service.ladders() == [] and heard[-1] == Change(Entity.LADDER, removed=(ladder.uuid,))
    service.redo()
    assert service.ladder(ladder.uuid) == ladder
    assert all(change.entity is Entity.LADDER for change in heard)


def test_delete_is_undone_with_its_rungs_and_its_runs(service: JournalService,
                                                      heard: list[Change]) -> None:
    ladder = service.new_ladder("Speak up", _uuids(service))
    run = service.start_run(30, ladder_uuid=ladder.uuid)
    assert heard[-1] == Change(Entity.RUN, added=(run.uuid,))
    assert service.delete_ladder(ladder.uuid) == ladder
    assert Change(Entity.LADDER, removed=(ladder.uuid,)) in heard
    assert service.run(run.uuid).ladder_uuid is None  # type: ignore[union-attr]
    assert service.undo_text == "Delete ladder “Speak up”"
    service.undo()
    assert service.ladder(ladder.uuid) == ladder
    assert service.run(run.uuid).ladder_uuid == ladder.uuid  # type: ignore[union-attr]
    assert heard[-2:] == [Change(Entity.LADDER, added=(ladder.uuid,)),
                          Change(Entity.RUN, changed=(run.uuid,))]
    service.redo()
    assert service.ladder(ladder.uuid) is None
    assert service.delete_ladder("missing") is None


def test_saving_the_same_ladder_again_is_not_an_undo_step(service: JournalService) -> None:
    ladder = service.new_ladder("Same", _uuids(service, 1))
    service.save_ladder(ladder)
    assert service.undo() == "New ladder “Same”" and service.undo() is None


def test_current_rung_follows_the_ladder_worked_on_most_recently(
        service: JournalService) -> None:
    assert service.current_rung() is None
    a, b, c = _uuids(service)
    first = service.new_ladder("First", [a, b])
    second = service.new_ladder("Second", [c])
    assert service.current_rung().challenge_uuid == c  # type: ignore[union-attr]
    service.save(_try(a, TODAY - timedelta(days=2), 2))
    service.save(_try(a, TODAY - timedelta(days=1), 1))
    suggestion = service.ladder_suggestion(first.uuid)
    assert suggestion.step is Step.MOVE_UP and suggestion.rung.challenge_uuid == b  # type: ignore[union-attr]
    assert service.current_rung() == suggestion.rung
    assert service.todays_challenge(TODAY, service.current_rung()).uuid == b  # type: ignore[union-attr]
    overview = service.ladder_overview(first.uuid)
    assert (overview.rungs[0].attempts, overview.rungs[0].latest_actual) == (2, 1)
    assert service.ladder_overview(second.uuid).suggestion.step is Step.START
    with pytest.raises(StorageError):
        service.ladder_suggestion("missing")


def test_todays_challenge_is_the_same_for_the_same_day(service: JournalService) -> None:
    first = service.todays_challenge(TODAY)
    assert first is not None and service.todays_challenge(TODAY) == first


def test_ladder_chart_data_by_uuid_goal_or_most_recent(service: JournalService) -> None:
    from rejection_journal.domain.chart_stats import ladder_progress

    a, b, _ = _uuids(service)
    ladder = service.new_ladder("Ask for a raise", [a, b])
    service.save(_try(b, TODAY, 2, before=8))
    for key in (ladder.uuid, "ask for a raise", None):
        data = service.ladder_chart(ChartFilter(ladder=key))
        assert data.goal == "Ask for a raise" and data.rungs == ladder.rungs
        progress = ladder_progress(data)
        assert [(r.rung, r.count, r.actual) for r in progress.rungs] == [(0, 0, None),
                                                                         (1, 1, 2.0)]
    assert service.ladder_chart(ChartFilter(ladder="Nope")) == ("Nope", (), [])
    later = ChartFilter(ladder=ladder.uuid, since=TODAY + timedelta(1))
    assert ladder_progress(service.ladder_chart(later), later).is_empty


def test_runs_start_end_and_progress(service: JournalService, heard: list[Change]) -> None:
    a, *_ = _uuids(service)
    run = service.start_run(30, started_on=TODAY - timedelta(days=4))
    assert service.active_run() == run and service.runs() == [run]
    service.save(_try(a, TODAY - timedelta(days=1), 3))
    progress = service.run_progress(run.uuid)
    assert (progress.day, progress.asks_made, progress.nos) == (5, 1, 1)
    ended = service.end_run(run.uuid)
    assert ended.ended_on == TODAY and heard[-1] == Change(Entity.RUN, changed=(run.uuid,))
    assert service.active_run() is None and service.run_progress(ended).finished
    assert service.delete_run(run.uuid) == ended
    assert heard[-1] == Change(Entity.RUN, removed=(run.uuid,))


def test_attempt_changes_stay_attempt_events(service: JournalService,
                                             heard: list[Change]) -> None:
    a, *_ = _uuids(service)
    service.new_ladder("L", [a])
    service.save(_try(a, TODAY, 3))
    assert heard[-1].entity is Entity.ATTEMPT


@pytest.mark.parametrize("again", ["ask for a RAISE", "Ask For A  Raise", "  Ásk for a raise "])
def test_two_ladders_never_share_a_goal(service: JournalService, again: str) -> None:
    """Case, accents and spaces ignored (domain/text_match.py): `--ladder NAME` and the
    chart's choice must name one ladder, never silently the newest of several."""
    from rejection_journal.domain.records import ValidationError

    first = service.new_ladder("Ask for a raise", _uuids(service, 2))
    with pytest.raises(ValidationError, match="already have a ladder “Ask for a raise”"):
        service.new_ladder(again)
    other = service.new_ladder("Ask for feedback")
    with pytest.raises(ValidationError, match="already have a ladder"):
        service.rename_ladder(other.uuid, again)
    assert [x.goal for x in service.ladders()].count("Ask for a raise") == 1
    # renaming a ladder to its own goal in other letters is fine
    assert service.rename_ladder(first.uuid, again).goal == again
    assert service.find_ladder("ask for a raise") == service.ladder(first.uuid)


def test_the_ladder_chart_and_the_ladders_tab_count_the_same_tries(
        service: JournalService) -> None:
    """One rule for what counts as a try: an open entry and a "didn't ask" are in neither the
    rung's count and latest ratings nor the ladder chart."""
    a, b = _uuids(service, 2)
    ladder = service.new_ladder("Ask for a raise", [a, b])
    service.save(_try(a, TODAY - timedelta(days=3), actual=7, before=8))
    service.save(_try(a, TODAY - timedelta(days=2), actual=3, before=9))
    service.save(AttemptRecord(ask="A step", attempted_on=TODAY - timedelta(days=1),
                               challenge_uuid=a, anticipated_discomfort=7,
                               outcome=Outcome.DIDNT_ASK, actual_discomfort=2))
    service.save(AttemptRecord(ask="A step", attempted_on=TODAY, challenge_uuid=a,
                               anticipated_discomfort=6))  # open: before half only
    rung = service.ladder_overview(ladder.uuid).rungs[0]
    assert (rung.attempts, rung.latest_anticipated, rung.latest_actual) == (2, 9, 3)
    from rejection_journal.domain.chart_stats import ladder_progress

    charted = ladder_progress(service.ladder_chart(ChartFilter(ladder=ladder.uuid)))
    assert [(r.count, r.anticipated, r.actual) for r in charted.rungs] == [
        (2, 8.5, 5.0), (0, None, None)]
    assert charted.open_count == 1  # the open entry: said, not charted


def test_the_overview_applies_the_variety_rule_to_the_ways_stored(
        service: JournalService) -> None:
    """(issue 21) The ladder's history read from the journal carries each try's way of
    asking, so a calm step tried only in person is suggested once more another way."""
    first, second = _uuids(service, 2)
    ladder = service.new_ladder("Speak up", [first, second])
    for days_ago in (3, 1):
        service.save(replace(_try(first, TODAY - timedelta(days=days_ago), 2),
                             ask_mode=AskMode.IN_PERSON))
    suggestion = service.ladder_overview(ladder.uuid).suggestion
    assert (suggestion.step, suggestion.index) == (Step.VARY, 0)
    assert "once more by phone instead of in person" in suggestion.explanation
    service.save(replace(_try(first, TODAY, 2), ask_mode=AskMode.PHONE))
    suggestion = service.ladder_overview(ladder.uuid).suggestion
    assert (suggestion.step, suggestion.index) == (Step.MOVE_UP, 1)
