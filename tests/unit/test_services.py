"""The service layer without Qt: use cases, change events, undo and the review controller."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord, ValidationError
from rejection_journal.domain.review import (
    EveningSummary,
    evening_headline,
    evening_summary,
    review_order,
)
from rejection_journal.services import Change, ChangeBus, FixedClock, JournalService
from rejection_journal.services.review import ReviewController
from rejection_journal.storage import Journal, open_journal

TODAY = date(2026, 11, 24)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal)


@pytest.fixture
def heard(service: JournalService) -> list[Change]:
    changes: list[Change] = []
    service.changes.subscribe(changes.append)
    return changes


def _entry(ask: str = "Ask for a window seat", **values: object) -> AttemptRecord:
    return AttemptRecord(ask=ask, attempted_on=values.pop("attempted_on", TODAY),  # type: ignore[arg-type]
                         **values)  # type: ignore[arg-type]


CHART_FIELDS = ("attempted_on", "anticipated_discomfort", "actual_discomfort")


def test_a_new_entry_is_announced_as_added(service: JournalService,
                                           heard: list[Change]) -> None:
    stored = service.save(_entry(anticipated_discomfort=6))
    assert [c.added for c in heard] == [(stored.uuid,)]
    assert heard[0].alters_fields(CHART_FIELDS)


def test_an_edit_announces_only_the_fields_that_changed(service: JournalService,
                                                       heard: list[Change]) -> None:
    stored = service.save(_entry(anticipated_discomfort=6))
    heard.clear()
    service.save(stored.replace(reflection="It went fine."))
    assert [(c.changed, c.fields) for c in heard] == [((stored.uuid,), frozenset({"reflection"}))]
    assert not heard[0].alters_fields(CHART_FIELDS), "a text edit does not redraw the chart"
    heard.clear()
    service.save(service.attempt(stored.uuid).replace(anticipated_discomfort=3))  # type: ignore[union-attr]
    assert heard[0].alters_fields(CHART_FIELDS)


def test_saving_unchanged_content_announces_nothing_and_adds_no_undo_step(
    service: JournalService, heard: list[Change]
) -> None:
    stored = service.save(_entry())
    heard.clear()
    service.save(stored)
    assert heard == []
    assert service.undo_text == "New entry “Ask for a window seat”"


def test_an_invalid_entry_changes_nothing(service: JournalService, heard: list[Change]) -> None:
    with pytest.raises(ValidationError):
        service.save(_entry(anticipated_discomfort=11))
    assert heard == [] and service.attempt_count() == 0 and service.undo_text is None


def test_delete_then_undo_brings_the_entry_back_exactly(service: JournalService,
                                                         heard: list[Change]) -> None:
    stored = service.save(_entry(anticipated_discomfort=7, outcome=Outcome.NO,
                                 reasons=(Reason.TIMING,), actual_discomfort=3,
                                 lesson="Timing, not me."))
    heard.clear()
    deleted = service.delete(stored.uuid)
    assert deleted == stored
    assert service.attempt(stored.uuid) is None
    assert heard[-1].removed == (stored.uuid,)
    assert service.undo() == f"Delete “{stored.ask}”"
    back = service.attempt(stored.uuid)
    assert back is not None
    assert back.replace(updated_at=stored.updated_at) == stored  # same uuid, created_at, fields
    assert heard[-1].added == (stored.uuid,)
    assert service.redo() == f"Delete “{stored.ask}”"
    assert service.attempt(stored.uuid) is None


def test_undo_of_an_edit_restores_the_earlier_text_and_redo_reapplies_it(
    service: JournalService,
) -> None:
    first = service.save(_entry(reflection="first thoughts"))
    service.save(first.replace(reflection="second thoughts"))
    service.undo()
    assert service.attempt(first.uuid).reflection == "first thoughts"  # type: ignore[union-attr]
    service.redo()
    assert service.attempt(first.uuid).reflection == "second thoughts"  # type: ignore[union-attr]
    service.undo()
    service.undo()
    assert service.attempt(first.uuid) is None, "undoing the first save removes the new entry"
    assert service.undo() is None


def test_a_new_action_clears_redo(service: JournalService) -> None:
    stored = service.save(_entry())
    service.delete(stored.uuid)
    service.undo()
    assert service.redo_text is not None
    service.save(_entry("Another ask"))
    assert service.redo_text is None


def test_a_failing_listener_does_not_keep_others_uninformed() -> None:
    reported: list[BaseException] = []
    bus = ChangeBus(on_listener_error=reported.append)
    seen: list[Change] = []

    def broken(_change: Change) -> None:
        raise RuntimeError("listener bug")

    drop_broken = bus.subscribe(broken)
    unsubscribe = bus.subscribe(seen.append)
    bus.publish(Change(added=("x",)))
    assert len(seen) == 1
    assert [str(e) for e in reported] == ["listener bug"], "reported once, as a bug"
    unsubscribe()
    drop_broken()
    bus.publish(Change.reset())
    assert len(seen) == 1


def test_a_view_that_fails_to_show_a_save_does_not_make_the_save_look_failed(
    journal: Journal,
) -> None:
    """The save committed: the use case returns it; the view's bug is reported on its own."""
    reported: list[BaseException] = []
    service = JournalService(journal, ChangeBus(on_listener_error=reported.append))

    def broken_view(_change: Change) -> None:
        raise KeyError("a widget's bug")

    service.changes.subscribe(broken_view)
    stored = service.save(_entry("Ask for a later checkout"))
    assert service.attempt(stored.uuid) == stored
    assert service.undo_text is not None, "it is on the undo history like any save"
    assert len(reported) == 1 and isinstance(reported[0], KeyError)


def test_restore_through_the_service_reopens_and_announces_a_reset(
    service: JournalService, heard: list[Change]
) -> None:
    kept = service.save(_entry("Before the backup"))
    backup = service.backup_now()
    later = service.save(_entry("After the backup"))
    heard.clear()
    saved = service.restore(backup.path)
    assert saved is not None and saved.kind == "pre-restore"
    assert heard == [Change.reset()]
    assert service.attempt(kept.uuid) is not None
    assert service.attempt(later.uuid) is None
    assert service.undo_text is None, "undo history of the replaced journal is forgotten"


# -- the evening review ---------------------------------------------------------------------

def _at(day: date, hour: int, ask: str, **values: object) -> AttemptRecord:
    stamp = datetime(day.year, day.month, day.day, hour)
    return _entry(ask, attempted_on=day, created_at=stamp, updated_at=stamp, **values)


def test_review_order_is_todays_first_then_older_most_recent_first() -> None:
    entries = [
        _at(date(2026, 11, 20), 9, "older"),
        _at(TODAY, 15, "today afternoon"),
        _at(date(2026, 11, 23), 9, "yesterday"),
        _at(TODAY, 8, "today morning"),
        _at(date(2026, 11, 25), 8, "planned for tomorrow"),
        _at(TODAY, 7, "done already", outcome=Outcome.YES),
    ]
    assert [e.ask for e in review_order(entries, TODAY)] == [
        "today morning", "today afternoon", "yesterday", "older"]


def test_evening_summary_counts_asks_nos_gap_and_picks_the_latest_lesson() -> None:
    completed = [
        _at(TODAY, 8, "a", outcome=Outcome.NO, anticipated_discomfort=8, actual_discomfort=3,
            lesson="They were busy."),
        _at(TODAY, 9, "b", outcome=Outcome.YES, anticipated_discomfort=5, actual_discomfort=4,
            lesson="  "),
        _at(TODAY, 10, "c", outcome=Outcome.DIDNT_ASK, lesson="Next time, earlier."),
        _at(TODAY, 7, "d", outcome=Outcome.NO),
    ]
    summary = evening_summary(completed, waiting=5, skipped=1)
    assert summary == EveningSummary(attempts=3, nos=2, mean_gap=3.0,
                                     lesson="Next time, earlier.", waiting=5, finished=4,
                                     skipped=1)
    assert evening_summary([]).is_empty


class FakeReviewView:
    def __init__(self) -> None:
        self.shown: list[tuple[str, int, int]] = []
        self.summaries: list[EveningSummary] = []

    def show_entry(self, record: AttemptRecord, position: int, total: int) -> None:
        self.shown.append((record.ask, position, total))

    def show_summary(self, summary: EveningSummary) -> None:
        self.summaries.append(summary)


def test_review_controller_steps_through_open_entries_and_ends_with_a_summary(
    service: JournalService,
) -> None:
    for record in (_at(date(2026, 11, 22), 9, "older", anticipated_discomfort=7),
                   _at(TODAY, 9, "today", anticipated_discomfort=6),
                   _at(TODAY, 6, "finished", outcome=Outcome.YES)):
        service.save(record)
    view = FakeReviewView()
    controller = ReviewController(service, view, TODAY)
    assert controller.start() == 2
    assert view.shown == [("today", 1, 2)]
    today = service.open_entries()[-1]
    controller.next(today.replace(outcome=Outcome.NO, actual_discomfort=2, lesson="Fine."))
    assert view.shown[-1] == ("older", 2, 2)
    controller.skip()
    assert view.summaries == [EveningSummary(attempts=1, nos=1, mean_gap=4.0, lesson="Fine.",
                                             waiting=2, finished=1, skipped=1)]
    assert [e.ask for e in service.open_entries()] == ["older"], "skipped stays open"


def test_review_keeps_its_place_when_a_save_is_refused(service: JournalService) -> None:
    service.save(_at(TODAY, 9, "today"))
    view = FakeReviewView()
    controller = ReviewController(service, view, TODAY)
    controller.start()
    entry = service.open_entries()[0]
    with pytest.raises(ValidationError):
        controller.next(entry.replace(outcome=Outcome.NO, actual_discomfort=12))
    assert controller.remaining == 1 and view.summaries == []


def test_review_with_nothing_open_goes_straight_to_an_empty_summary(
    service: JournalService,
) -> None:
    view = FakeReviewView()
    assert ReviewController(service, view, TODAY).start() == 0
    assert view.shown == [] and view.summaries[0].is_empty
    assert view.summaries[0].waiting == 0
    assert evening_headline(view.summaries[0]) == [
        "Nothing was waiting tonight: every entry is finished."]


def test_a_reflection_saved_on_an_open_entry_counts_as_written(service: JournalService) -> None:
    service.save(_at(TODAY, 9, "today"))
    service.save(_at(TODAY, 10, "later"))
    view = FakeReviewView()
    controller = ReviewController(service, view, TODAY)
    controller.start()
    entry = service.open_entries()[0]
    controller.next(entry.replace(reflection="They were kind about it."))  # still open
    controller.skip()
    summary = view.summaries[0]
    assert (summary.waiting, summary.finished, summary.written, summary.skipped) == (2, 0, 1, 1)
    assert evening_headline(summary) == [
        "You wrote in 1 entry; it stays open for when you want to finish.",
        "You skipped 1 entry."]


@pytest.mark.parametrize(("counts", "expected"), [
    ((0, 0, 0, 0), ["Nothing was waiting tonight: every entry is finished."]),
    ((3, 0, 0, 0), ["Nothing written tonight — and that is fine. Reflecting is for when you "
                    "have the energy."]),
    ((3, 0, 0, 3), ["Nothing written tonight — and that is fine. Reflecting is for when you "
                    "have the energy.", "You skipped 3 entries."]),
    ((1, 1, 0, 0), ["You finished 1 entry tonight."]),
    ((4, 2, 1, 1), ["You finished 2 entries tonight.",
                    "You also wrote in 1 entry; it stays open for when you want to finish.",
                    "You skipped 1 entry."]),
    ((2, 0, 2, 0), ["You wrote in 2 entries; they stay open for when you want to finish."]),
])
def test_the_evenings_headline_says_what_happened(
        counts: tuple[int, int, int, int], expected: list[str]) -> None:
    waiting, finished, written, skipped = counts
    summary = EveningSummary(attempts=0, nos=0, mean_gap=None, lesson=None, waiting=waiting,
                             finished=finished, written=written, skipped=skipped)
    lines = evening_headline(summary)
    assert lines == expected
    assert not any("after half" in line for line in lines)  # our word, not the user's


# -- issue 9: the date rule, drafts, undoing an import -------------------------------------

def test_saving_follows_the_date_rule_and_names_the_date(tmp_path: Path) -> None:

    today = date(2026, 11, 24)
    with open_journal(tmp_path / "journal") as journal:
        service = JournalService(journal, clock=FixedClock(today))
        done = AttemptRecord(ask="Ask for a refund", attempted_on=date(2027, 11, 24),
                             outcome=Outcome.NO)
        with pytest.raises(ValidationError) as caught:
            service.save(done)
        assert caught.value.attribute == "attempted_on"
        assert journal.attempt_count() == 0
        planned = service.save(done.replace(outcome=None, attempted_on=date(2026, 12, 20)))
        assert planned.attempted_on == date(2026, 12, 20)


def test_a_draft_is_kept_replaced_and_discarded(tmp_path: Path) -> None:
    with open_journal(tmp_path / "journal") as journal:
        service = JournalService(journal)
        assert service.draft("editor") is None
        service.save_draft("editor", '{"ask": "Ask for"}', None)
        service.save_draft("editor", '{"ask": "Ask for a table"}', "u-1")
        assert service.draft("editor") == ('{"ask": "Ask for a table"}', "u-1")
    with open_journal(tmp_path / "journal") as journal:  # kept across a restart
        service = JournalService(journal)
        assert service.draft("editor") == ('{"ask": "Ask for a table"}', "u-1")
        service.discard_draft("editor")
        assert service.draft("editor") is None


def test_an_import_can_be_undone_and_redone(tmp_path: Path) -> None:
    from rejection_journal.storage.export import export_json

    with open_journal(tmp_path / "other") as other:
        first = other.save_attempt(AttemptRecord(ask="Ask A", attempted_on=date(2026, 1, 1)))
        other.save_attempt(AttemptRecord(ask="Ask B", attempted_on=date(2026, 1, 2)))
        export_json(other, tmp_path / "other.json")
    with open_journal(tmp_path / "journal") as journal:
        service = JournalService(journal)
        mine = service.save(AttemptRecord(ask="Mine", attempted_on=date(2026, 1, 3)))
        plan = service.read_import(tmp_path / "other.json")
        preview = service.preview_import(plan)
        assert preview.added_attempts == 2 and journal.attempt_count() == 1
        changes: list[Change] = []
        service.changes.subscribe(changes.append)
        service.import_plan(plan)
        assert journal.attempt_count() == 3
        assert service.undo_text == "Import of 2 entries"
        assert service.undo() == "Import of 2 entries"
        assert journal.attempt_uuids_sorted() == [mine.uuid]
        assert changes[-1].everything
        service.redo()
        assert journal.attempt(first.uuid) is not None and journal.attempt_count() == 3


def test_the_belief_chart_reads_what_entries_expect_next_time(service: JournalService) -> None:
    service.save(_at(date(2026, 11, 20), 9, "asked", anticipated_discomfort=8,
                     predicted_no_chance=70, outcome=Outcome.NO, actual_discomfort=3,
                     next_discomfort=5, next_no_chance=50))
    service.save(_at(date(2026, 11, 21), 9, "no expectation recorded", anticipated_discomfort=6,
                     outcome=Outcome.YES, actual_discomfort=2))
    pairs = service.belief_pairs()
    assert [(p.day, p.discomfort_before, p.discomfort_next, p.no_chance_before,
             p.no_chance_next) for p in pairs] == [(date(2026, 11, 20), 8, 5, 70, 50)]
