"""Demo data: marked when added, told apart, removed in one step (real SQLite journals)."""

from __future__ import annotations

from datetime import date

import pytest

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.wellbeing import TrendSignal
from rejection_journal.services import Change, FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.storage.errors import JournalNotEmptyError
from rejection_journal.storage.models import ChallengeRun, DemoItem, Ladder
from tests.unit.conftest import AttemptFactory

TODAY = date(2026, 11, 24)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


def test_demo_attempts_are_marked_and_removed_leaving_real_entries(
    journal: Journal, make_attempt: AttemptFactory,
) -> None:
    records = generate_attempts(journal.challenges(), 12, seed=3, today=TODAY)
    assert journal.add_demo_attempts(records) == 12
    assert DemoItem.select().count() == 12
    assert journal.has_demo_data()
    real = journal.save_attempt(make_attempt(ask="My own ask", attempted_on=TODAY))
    assert journal.remove_demo_data() == 12
    assert journal.attempt_uuids() == [real.uuid]
    assert DemoItem.select().count() == 0
    assert not journal.has_demo_data()


def test_demo_ladders_and_runs_go_too(journal: Journal) -> None:
    records = generate_attempts(journal.challenges(), 3, seed=1, today=TODAY)
    journal.add_demo_attempts(records)
    now = records[0].created_at
    ladder = Ladder.create(uuid="l-demo", goal="Ask for a raise", created_at=now, updated_at=now)
    Ladder.create(uuid="l-real", goal="Mine", created_at=now, updated_at=now)
    ChallengeRun.create(uuid="r-demo", started_on=TODAY, length_days=30, ladder=ladder,
                        created_at=now, updated_at=now)
    DemoItem.insert_many([("l-demo",), ("r-demo",)], fields=[DemoItem.uuid]).execute()
    assert journal.remove_demo_data() == 5
    assert [ladder.uuid for ladder in Ladder.select()] == ["l-real"]
    assert ChallengeRun.select().count() == 0


def test_demo_data_only_goes_into_an_empty_journal_and_adds_nothing_otherwise(
    journal: Journal, make_attempt: AttemptFactory,
) -> None:
    journal.save_attempt(make_attempt())
    with pytest.raises(JournalNotEmptyError):
        journal.add_demo_attempts(generate_attempts(journal.challenges(), 5, today=TODAY))
    assert journal.attempt_count() == 1 and DemoItem.select().count() == 0
    assert not journal.has_demo_data()


def test_marks_of_entries_already_deleted_do_not_count(journal: Journal) -> None:
    records = generate_attempts(journal.challenges(), 2, seed=2, today=TODAY)
    journal.add_demo_attempts(records)
    for record in records:
        journal.delete_attempt(record.uuid)
    assert not journal.has_demo_data()


def test_service_adds_and_removes_demo_data_and_announces_a_reset(
    service: JournalService,
) -> None:
    heard: list[Change] = []
    service.changes.subscribe(heard.append)
    assert service.add_demo_data(20) == 20
    assert service.has_demo_data() and heard == [Change.reset()]
    assert service.open_count() >= 1, "demo data leaves an entry to review"
    ladders, runs = len(service.ladders()), len(service.runs())
    assert service.remove_demo_data() == 20 + ladders + runs
    assert not service.has_demo_data() and service.attempt_count() == 0
    assert heard == [Change.reset(), Change.reset()]
    assert service.undo_text is None


def test_recent_completed_reads_the_last_entries_oldest_first(
    service: JournalService, make_attempt: AttemptFactory,
) -> None:
    for day, actual, hopeful in ((1, 8, 1), (2, 9, -1), (3, 9, -2), (4, 8, -1), (5, 10, -2)):
        service.save(make_attempt(attempted_on=date(2026, 11, day), actual_discomfort=actual,
                                  hopefulness=hopeful))
    service.save(make_attempt(attempted_on=date(2026, 11, 6), outcome=None,
                              actual_discomfort=None, reasons=(), asked_why=False))
    assert service.journal.recent_completed(3) == [(9, -2), (8, -1), (10, -2)]
    found = service.pause_suggestion()
    assert found is not None
    assert found.signals == (TrendSignal.LESS_HOPEFUL, TrendSignal.STAYING_HIGH)


def test_no_pause_suggested_for_an_ordinary_journal(
    service: JournalService, make_attempt: AttemptFactory,
) -> None:
    for day in range(1, 6):
        service.save(make_attempt(attempted_on=date(2026, 11, day), outcome=Outcome.YES,
                                  reasons=(), asked_why=False, actual_discomfort=3))
    assert service.pause_suggestion() is None


def test_the_welcomes_demo_fills_ladders_and_a_run_and_removal_takes_them_all(
    service: JournalService, make_attempt: AttemptFactory,
) -> None:
    assert service.add_demo_data(40, seed=5) == 40
    assert service.ladders(), "the demo shows what a ladder looks like"
    assert service.runs()
    own = service.new_ladder("My own goal")
    real = service.save(make_attempt(ask="My own ask", attempted_on=TODAY))
    service.remove_demo_data()
    assert [ladder.uuid for ladder in service.ladders()] == [own.uuid]
    assert service.runs() == []
    assert service.attempt_uuids() == [real.uuid]
    assert not service.has_demo_data()
