"""Issue 21 through the service: a waiting entry is not one to reflect on (nor a no) until
its follow-up day; "Did you hear back?" lists the due ones; an answer ends the wait; the
chart reads the experiments."""

from __future__ import annotations

from datetime import date, timedelta

from rejection_journal.charts.registry import KINDS
from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import EntryKind, FearHappened
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal

TODAY = date(2026, 12, 6)


def _service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


def test_waiting_entries_come_to_the_review_only_once_their_day_has_come(
    journal: Journal,
) -> None:
    service = _service(journal)
    plain = service.save(AttemptRecord(ask="Ask for a refill", attempted_on=TODAY))
    not_yet = service.save(AttemptRecord(ask="Apply for the job", attempted_on=TODAY,
                                         awaiting_answer=True,
                                         follow_up_on=TODAY + timedelta(days=1)))
    due = service.save(AttemptRecord(ask="Pitch the article", attempted_on=TODAY
                                     - timedelta(days=3), awaiting_answer=True,
                                     follow_up_on=TODAY))
    week_old = service.save(AttemptRecord(ask="Message the club",
                                          attempted_on=TODAY - timedelta(days=7),
                                          awaiting_answer=True))
    fresh = service.save(AttemptRecord(ask="Email the landlord",
                                       attempted_on=TODAY - timedelta(days=6),
                                       awaiting_answer=True))
    assert {r.uuid for r in service.open_entries()} == {plain.uuid, due.uuid, week_old.uuid}
    assert service.open_count() == 3
    assert [r.uuid for r in service.follow_ups_due()] == [week_old.uuid, due.uuid]
    assert {r.uuid for r in service.waiting_entries()} == {not_yet.uuid, due.uuid,
                                                           week_old.uuid, fresh.uuid}
    # "No response" chosen at last: the wait ends, the follow-up day goes with it
    answered = service.save(due.replace(outcome=Outcome.NO_RESPONSE))
    assert (answered.awaiting_answer, answered.follow_up_on, answered.is_open) == (
        False, None, False)
    assert service.attempt(due.uuid) == answered
    assert service.open_count() == 2


def test_the_chart_reads_experiments_and_counts_what_happened_to_me(journal: Journal) -> None:
    service = _service(journal)
    ask = service.save(AttemptRecord(
        ask="Ask for a discount", attempted_on=TODAY, outcome=Outcome.NO,
        feared_outcome="They'll laugh", fear_likelihood=70,
        fear_happened=FearHappened.NO, fear_likelihood_after=40))
    service.save(AttemptRecord(ask="Plain ask", attempted_on=TODAY, outcome=Outcome.YES))
    service.save(AttemptRecord(ask="My friend cancelled", attempted_on=TODAY,
                               outcome=Outcome.NO, kind=EntryKind.HAPPENED_TO_ME))
    rows = service.experiment_rows(ChartFilter())
    assert [(r.uuid, r.kind) for r in rows] == [
        (ask.uuid, EntryKind.ASK), (rows[1].uuid, EntryKind.HAPPENED_TO_ME)]
    assert service.experiment_rows(ChartFilter(since=TODAY + timedelta(days=1))) == []


def test_versions_name_the_experiments_fields_and_bring_them_back(journal: Journal) -> None:
    from rejection_journal.services.files import bring_back_version, entry_versions

    service = _service(journal)
    first = service.save(AttemptRecord(
        ask="Ask for a discount", attempted_on=TODAY, outcome=Outcome.NO,
        feared_outcome="They'll laugh", fear_likelihood=70, fear_happened=FearHappened.NO,
        fear_likelihood_after=40, safety_behaviours=("script",)))
    service.save(first.replace(fear_likelihood_after=20, safety_behaviours=()))
    _current, versions = entry_versions(service, first.uuid)
    assert [v.differs_in for v in versions] == [("safety_behaviours",
                                                 "fear_likelihood_after")]
    restored, changed = bring_back_version(service, first.uuid, 1)
    assert changed and (restored.fear_likelihood_after, restored.safety_behaviours) == (
        40, ("script",))


def test_every_chart_counts_the_open_entries_as_the_status_bar_does(journal: Journal) -> None:
    service = _service(journal)
    service.save(AttemptRecord(ask="Ask for a refill", attempted_on=TODAY))
    service.save(AttemptRecord(ask="Apply for the job", attempted_on=TODAY,
                               awaiting_answer=True))  # not due for a week
    service.save(AttemptRecord(ask="Pitch", attempted_on=TODAY - timedelta(days=9),
                               awaiting_answer=True))  # due
    assert service.open_count() == service.chart_open_count(ChartFilter()) == 2
    for kind in KINDS:
        if kind.name != "ladder":  # (the ladder chart counts the entries on its rungs)
            assert kind.load(service, ChartFilter()).open_count == 2, kind.name
