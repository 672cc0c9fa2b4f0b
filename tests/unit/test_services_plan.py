"""Build my plan through the service: the journal's archived and settled challenges are left
out, and a saved plan is an ordinary, undoable ladder (with a 30-day run when asked)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.plan import check_items
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.services.plan import DEFAULT_GOAL, PlanSource, save_plan
from rejection_journal.storage import Journal

TODAY = date(2026, 3, 10)
ANSWERS = {item.id: (3, 4) for item in check_items()}


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


def test_archived_and_settled_challenges_are_left_out(service: JournalService) -> None:
    first = PlanSource(service).propose(ANSWERS).plan
    archived, settled = (r.challenge for r in first.rungs[:2])
    service.save_challenge(dataclasses.replace(archived, archived=True))
    for days in (2, 1):
        service.save(AttemptRecord(ask="A step", attempted_on=TODAY - timedelta(days=days),
                                   challenge_uuid=settled.uuid, anticipated_discomfort=7,
                                   outcome=Outcome.YES, actual_discomfort=2))
    source = PlanSource(service)
    assert settled.uuid in source.settled
    used = {r.challenge.uuid for r in source.propose(ANSWERS).plan.rungs}
    assert archived.uuid not in used and settled.uuid not in used
    similar = source.similar([], first.rungs[2].challenge)
    assert archived.uuid not in {c.uuid for c in similar}


def test_a_saved_plan_is_an_undoable_ladder_with_an_optional_run(
        service: JournalService) -> None:
    plan = PlanSource(service).propose(ANSWERS).plan
    challenges = [r.challenge for r in plan.rungs]
    ladder, run = save_plan(service, challenges, "", start_run=True)
    assert ladder.goal == DEFAULT_GOAL
    assert [r.challenge_uuid for r in ladder.rungs] == [c.uuid for c in challenges]
    assert run is not None and run.ladder_uuid == ladder.uuid
    assert run.started_on == TODAY and run.length_days == 30
    second, no_run = save_plan(service, challenges[:3], "  ")
    assert second.goal == f"{DEFAULT_GOAL} (2)" and no_run is None
    assert service.undo_text == f"Build my plan: {DEFAULT_GOAL} (2)"
    service.undo()
    assert [x.goal for x in service.ladders()] == [DEFAULT_GOAL]


def test_each_self_check_is_kept_with_its_date_and_can_be_taken_again(
        journal: Journal) -> None:
    from rejection_journal.services import Change, Entity

    clock = FixedClock(TODAY)
    service = JournalService(journal, clock=clock)
    heard: list[Change] = []
    service.changes.subscribe(heard.append)
    first = service.save_self_check(ANSWERS)
    clock.advance(timedelta(days=30))
    again = service.save_self_check({item.id: (2, 5) for item in check_items()})
    assert [(c.taken_on, c.overall) for c in service.self_checks()] == [
        (TODAY, 9.0), (TODAY + timedelta(days=30), 4.0)]
    assert service.self_checks() == [first, again]
    assert dict(first.answers) == ANSWERS
    assert [c.entity for c in heard] == [Entity.SELF_CHECK, Entity.SELF_CHECK]
