"""Fear ladders and challenge runs in a real SQLite journal."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.picker import Ladder, Rung
from rejection_journal.domain.records import ValidationError
from rejection_journal.domain.runs import RunRecord
from rejection_journal.storage import StorageError, open_journal
from rejection_journal.storage.errors import ReadOnlyJournalError
from rejection_journal.storage.models import LadderRung, database
from tests.unit.conftest import AttemptFactory

DAY = date(2026, 3, 1)


def _ladder(journal: object, goal: str = "Ask for a raise", count: int = 3) -> Ladder:
    challenges = journal.challenges()  # type: ignore[attr-defined]
    return Ladder(goal, tuple(Rung(c.uuid) for c in challenges[:count]))


def test_ladders_are_stored_with_rungs_in_order_and_updated_in_place(data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        first = journal.save_ladder(_ladder(journal))
        second = journal.save_ladder(_ladder(journal, "Make friends", 2))
        assert [x.uuid for x in journal.ladders()] == [first.uuid, second.uuid]
        assert first.rungs[0].title and first.rungs[0].level == journal.challenges()[0].level
        reordered = Ladder("Ask for a RAISE", tuple(reversed(first.rungs)), first.uuid)
        stored = journal.save_ladder(reordered)
        assert stored.goal == "Ask for a RAISE" and stored.rungs == reordered.rungs
        assert stored.created_at == first.created_at
        assert journal.ladder(first.uuid) == stored
        assert LadderRung.select().count() == 5  # replaced, not added to
    with open_journal(data_dir) as journal:  # and it is on disk
        assert journal.ladder(first.uuid) == stored


def test_a_bad_save_changes_nothing(data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        stored = journal.save_ladder(_ladder(journal))
        bad = Ladder("New goal", (*stored.rungs, Rung("00000000-0000-4000-8000-000000000000")),
                     stored.uuid)
        with pytest.raises(ValidationError, match="no challenge"):
            journal.save_ladder(bad)
        with pytest.raises(ValidationError, match="twice"):
            journal.save_ladder(Ladder("x", (stored.rungs[0], stored.rungs[0]), stored.uuid))
        assert journal.ladder(stored.uuid) == stored


def test_delete_returns_the_ladder_and_restore_brings_it_back_with_its_runs(
        data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        ladder = journal.save_ladder(_ladder(journal))
        run = journal.save_run(RunRecord(DAY, 30, ladder_uuid=ladder.uuid))
        deleted = journal.delete_ladder(ladder.uuid)
        assert deleted is not None and deleted.ladder == ladder
        assert deleted.run_uuids == (run.uuid,)
        assert journal.ladder(ladder.uuid) is None and journal.ladders() == []
        assert journal.run(run.uuid).ladder_uuid is None  # type: ignore[union-attr]
        assert LadderRung.select().count() == 0
        assert journal.delete_ladder(ladder.uuid) is None
        back = journal.restore_ladder(deleted)
        assert back == ladder and back.created_at == ladder.created_at
        assert journal.run(run.uuid).ladder_uuid == ladder.uuid  # type: ignore[union-attr]


def test_runs_are_stored_and_checked(data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        later = journal.save_run(RunRecord(DAY + timedelta(days=5), 100,
                                           categories=(Category.SOCIAL, Category.CAREER)))
        earlier = journal.save_run(RunRecord(DAY, 30))
        assert [r.uuid for r in journal.runs()] == [earlier.uuid, later.uuid]
        assert journal.run(later.uuid) == later
        assert later.categories == (Category.SOCIAL, Category.CAREER)
        ended = journal.save_run(earlier.replace(ended_on=DAY + timedelta(days=3)))
        assert journal.run(earlier.uuid).ended_on == ended.ended_on  # type: ignore[union-attr]
        with pytest.raises(ValidationError, match="no such ladder"):
            journal.save_run(RunRecord(DAY, 30, ladder_uuid="nope"))
        with pytest.raises(ValidationError):
            journal.save_run(RunRecord(DAY, 400))
        assert journal.delete_run(later.uuid) == later
        assert [r.uuid for r in journal.runs()] == [earlier.uuid]


def test_ladder_history_reads_only_the_ladders_entries(
        data_dir: Path, make_attempt: AttemptFactory) -> None:
    with open_journal(data_dir) as journal:
        challenges = journal.challenges()
        ladder = journal.save_ladder(Ladder("Raise", (Rung(challenges[1].uuid),
                                                      Rung(challenges[0].uuid))))
        on = [make_attempt(challenge_uuid=challenges[0].uuid, attempted_on=DAY,
                           anticipated_discomfort=8, actual_discomfort=4),
              make_attempt(challenge_uuid=challenges[1].uuid, attempted_on=DAY,
                           anticipated_discomfort=6, actual_discomfort=2),
              make_attempt(challenge_uuid=challenges[1].uuid,
                           attempted_on=DAY + timedelta(days=9))]
        off = [make_attempt(challenge_uuid=challenges[5].uuid, attempted_on=DAY),
               make_attempt(challenge_uuid=challenges[0].uuid, attempted_on=DAY,
                            outcome=None, actual_discomfort=None, reasons=())]
        for record in (*on, *off):
            journal.save_attempt(record)
        history = journal.ladder_history(ladder.uuid)
        assert len(history) == 4 and all(h.challenge_uuid != challenges[5].uuid
                                         for h in history)


def test_the_most_recently_worked_ladder(data_dir: Path, make_attempt: AttemptFactory) -> None:
    with open_journal(data_dir) as journal:
        assert journal.recent_ladder_uuid() is None and journal.find_ladder(None) is None
        challenges = journal.challenges()
        old = journal.save_ladder(Ladder("Old", (Rung(challenges[0].uuid),)))
        new = journal.save_ladder(Ladder("New", (Rung(challenges[1].uuid),)))
        assert journal.recent_ladder_uuid() == new.uuid  # none worked on: the last changed
        journal.save_attempt(make_attempt(challenge_uuid=challenges[0].uuid))
        assert journal.recent_ladder_uuid() == old.uuid
        assert journal.find_ladder(None) == old
        assert journal.find_ladder("  NEW ") == new and journal.find_ladder(old.uuid) == old


def test_read_only_journals_refuse_every_ladder_and_run_write(data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        ladder = journal.save_ladder(_ladder(journal))
        run = journal.save_run(RunRecord(DAY, 30))
    with open_journal(data_dir, read_only=True) as journal:
        assert journal.ladders() == [ladder] and journal.runs() == [run]
        for write in (lambda: journal.save_ladder(ladder),
                      lambda: journal.delete_ladder(ladder.uuid),
                      lambda: journal.save_run(run),
                      lambda: journal.delete_run(run.uuid),
                      lambda: journal.add_demo_data([], [], [])):
            with pytest.raises(ReadOnlyJournalError):
                write()
        assert journal.ladders() == [ladder]


def test_storage_errors_are_sorted_like_entry_saves(data_dir: Path) -> None:
    with open_journal(data_dir) as journal:
        ladder = _ladder(journal)
        database.execute_sql('CREATE TRIGGER "refuse" BEFORE INSERT ON "ladder" '
                             "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        with pytest.raises(StorageError):
            journal.save_ladder(ladder)
        assert journal.ladders() == []


def test_demo_data_is_all_or_nothing_and_marks_ladders_and_runs(
        data_dir: Path, make_attempt: AttemptFactory) -> None:
    from rejection_journal.storage.models import DemoMark

    with open_journal(data_dir) as journal:
        ladder = _ladder(journal)
        run = RunRecord(DAY, 30, ladder_uuid=ladder.uuid)
        broken = RunRecord(DAY, 30, ladder_uuid="not-there")
        with pytest.raises(ValidationError):
            journal.add_demo_data([make_attempt()], [ladder], [broken])
        assert (journal.attempt_count(), journal.ladders(), journal.runs()) == (0, [], [])
        counts = journal.add_demo_data([make_attempt(outcome=Outcome.YES, reasons=())],
                                       [ladder], [run])
        assert counts == (1, 1, 1)
        marked = set(DemoMark.select(DemoMark.kind, DemoMark.uuid).tuples())
        assert {("ladder", ladder.uuid), ("run", run.uuid)} <= marked


# -- export and import (format 4) --------------------------------------------------------------
def test_ladders_and_runs_round_trip_through_json_and_merge_by_uuid(tmp_path: Path) -> None:
    import json

    from rejection_journal.storage.export import export_document
    from rejection_journal.storage.import_schema import parse_document
    from rejection_journal.storage.merge import apply_import

    with open_journal(tmp_path / "a") as journal:
        ladder = journal.save_ladder(_ladder(journal))
        run = journal.save_run(RunRecord(DAY, 100, ladder_uuid=ladder.uuid,
                                         categories=(Category.ROMANCE,)))
        document = export_document(journal)
    with open_journal(tmp_path / "b") as journal:
        result = apply_import(journal, parse_document(json.dumps(document)))
        assert (result.added_ladders, result.added_runs, result.skipped_rungs) == (1, 1, 0)
        assert journal.ladders() == [ladder] and journal.runs() == [run]
        assert journal.ladder(ladder.uuid).updated_at == ladder.updated_at  # type: ignore[union-attr]
        again = apply_import(journal, parse_document(json.dumps(document)))
        assert (again.changed, again.unchanged_ladders, again.unchanged_runs) == (False, 1, 1)

        # No clock decides (issue 18): a copy edited from the journal's (here by hand: its
        # stated revision is the journal's) replaces it; the journal's older copy, however
        # late its updated_at, never takes that back.
        newer = json.loads(json.dumps(document))
        newer["ladders"][0].update(goal="Newer", rungs=newer["ladders"][0]["rungs"][::-1])
        merged = apply_import(journal, parse_document(json.dumps(newer)))
        assert merged.updated_ladders == 1
        assert journal.ladder(ladder.uuid).goal == "Newer"  # type: ignore[union-attr]
        older = json.loads(json.dumps(document))
        stamp = journal.ladder(ladder.uuid).updated_at  # type: ignore[union-attr]
        older["ladders"][0]["updated_at"] = (stamp + timedelta(hours=1)).isoformat() + "Z"
        assert apply_import(journal, parse_document(json.dumps(older))).unchanged_ladders == 1
        assert journal.ladder(ladder.uuid).goal == "Newer"  # type: ignore[union-attr]


def test_a_rung_whose_challenge_is_nowhere_is_left_out_and_counted(tmp_path: Path) -> None:
    import json

    from rejection_journal.storage.import_schema import parse_document
    from rejection_journal.storage.merge import apply_import

    with open_journal(tmp_path / "j") as journal:
        known = journal.challenges()[0].uuid
        missing = "99999999-9999-4999-8999-999999999999"
        document = {
            "format": "rejection-journal", "format_version": 4, "challenges": [],
            "attempts": [],
            "ladders": [{"uuid": "bbbbbbbb-0000-4000-8000-000000000001", "goal": "G",
                         "rungs": [missing, known], "created_at": "2025-01-01T00:00:00Z",
                         "updated_at": "2025-01-01T00:00:00Z"}],
            "runs": [{"uuid": "cccccccc-0000-4000-8000-000000000001",
                      "started_on": "2025-01-01", "length_days": 30,
                      "ladder_uuid": "dddddddd-0000-4000-8000-000000000001",
                      "categories": [], "ended_on": None,
                      "created_at": "2025-01-01T00:00:00Z",
                      "updated_at": "2025-01-01T00:00:00Z"}],
        }
        result = apply_import(journal, parse_document(json.dumps(document)))
        assert (result.added_ladders, result.skipped_rungs, result.unlinked_runs) == (1, 1, 1)
        assert "1 ladder step was left out" in result.summary()
        assert "kept without its ladder" in result.summary()
        (ladder,) = journal.ladders()
        assert [r.challenge_uuid for r in ladder.rungs] == [known]
        assert journal.runs()[0].ladder_uuid is None


def test_format_4_ladders_are_checked_like_everything_else() -> None:
    import json

    from rejection_journal.storage.import_decode import ImportValidationError
    from rejection_journal.storage.import_schema import parse_document

    base = {"format": "rejection-journal", "format_version": 4, "challenges": [],
            "attempts": [], "ladders": [], "runs": []}
    ladder = {"uuid": "bbbbbbbb-0000-4000-8000-000000000001", "goal": " ",
              "rungs": [], "created_at": "2025-01-01T00:00:00Z",
              "updated_at": "2025-01-01T00:00:00Z"}
    with pytest.raises(ImportValidationError, match=r"ladders\[0\].*goal: cannot be empty"):
        parse_document(json.dumps({**base, "ladders": [ladder]}))
    run = {"uuid": "cccccccc-0000-4000-8000-000000000001", "started_on": "2025-01-01",
           "length_days": 3, "ladder_uuid": None, "categories": [], "ended_on": None,
           "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
    with pytest.raises(ImportValidationError, match=r"runs\[0\].*length_days"):
        parse_document(json.dumps({**base, "runs": [run]}))
    with pytest.raises(ImportValidationError, match="runs: is missing"):
        parse_document(json.dumps({k: v for k, v in base.items() if k != "runs"}))
    with pytest.raises(ImportValidationError, match="ladders: is not a key"):
        parse_document(json.dumps({**base, "format_version": 3}))


def test_a_file_without_ladders_or_runs_reports_progress_as_before(tmp_path: Path) -> None:
    import json

    from rejection_journal.storage.import_schema import parse_document
    from rejection_journal.storage.merge import apply_import

    document = {"format": "rejection-journal", "format_version": 4, "challenges": [],
                "attempts": [], "ladders": [], "runs": []}
    seen: list[tuple[int, int]] = []
    with open_journal(tmp_path / "j") as journal:
        apply_import(journal, parse_document(json.dumps(document)),
                     progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 0)]  # no repeated step for the empty lists (kill -9 tests count them)
