"""Issue 18 items 2, 5 and 8: ladders, runs and custom challenges merge by revision (no clock
decides), and an import is one undo step covering everything it changed, written back in one
transaction."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.enums import Category
from rejection_journal.domain.picker import Ladder, Rung
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, utcnow
from rejection_journal.services import FixedClock, JournalService, StorageError
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.export import export_document

CUSTOM = "0b7f4d1e-2a3c-4e5f-8a9b-0c1d2e3f4a5b"


def _save(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _import(service: JournalService, path: Path) -> Any:
    return service.import_plan(service.read_import(path))


def _clock_ahead(document: dict[str, Any], key: str) -> dict[str, Any]:
    """The same file, every ``key`` record's ``updated_at`` an hour after now (a clock that
    ran ahead on the machine that wrote it)."""
    ahead = (utcnow() + timedelta(hours=1)).isoformat() + "Z"
    for item in document[key]:
        item["updated_at"] = ahead
    return document


def _custom(service: JournalService, **changes: object) -> ChallengeRecord:
    values: dict[str, Any] = {"uuid": CUSTOM, "title": "Ask the baker for yesterday's bread",
                              "category": Category.EVERYDAY, "level": 3, "how_to": "Just ask.",
                              "is_custom": True, **changes}
    return service.save_challenge(ChallengeRecord(**values))


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(date(2026, 11, 24)))


# -- item 2: no clock decides --------------------------------------------------------------------

def test_a_ladder_renamed_here_is_not_renamed_back_by_an_older_export_whatever_its_clock(
        service: JournalService, tmp_path: Path) -> None:
    rung = service.challenges()[0].uuid
    ladder = service.new_ladder("Ask for a raise", [rung])
    older = _save(_clock_ahead(export_document(service.journal), "ladders"), tmp_path / "old.json")
    service.rename_ladder(ladder.uuid, "Ask for a raise, calmly")

    result = _import(service, older)

    assert service.ladder(ladder.uuid).goal == "Ask for a raise, calmly"  # type: ignore[union-attr]
    assert (result.unchanged_ladders, result.updated_ladders, result.changed) == (1, 0, False)


def test_a_run_ended_here_is_not_reopened_by_an_older_export(service: JournalService,
                                                             tmp_path: Path) -> None:
    run = service.start_run(30, started_on=date(2026, 11, 1))
    older = _save(_clock_ahead(export_document(service.journal), "runs"), tmp_path / "old.json")
    service.end_run(run.uuid, date(2026, 11, 20))
    _import(service, older)
    assert service.run(run.uuid).ended_on == date(2026, 11, 20)  # type: ignore[union-attr]


@pytest.mark.parametrize("edit", [{"title": "Ask the baker, kindly"},
                                  {"how_to": "Ask once; smile either way."},
                                  {"archived": True}], ids=["title", "how_to", "archived"])
def test_a_custom_challenge_edited_here_is_not_overwritten_by_an_older_copy(
        service: JournalService, tmp_path: Path, edit: dict[str, object]) -> None:
    _custom(service)
    older = _save(export_document(service.journal), tmp_path / "old.json")
    edited = _custom(service, **edit)

    result = _import(service, older)

    assert service.challenge(CUSTOM) == edited
    assert (result.updated_challenges, result.changed) == (0, False)
    assert service.undo_text is None  # nothing changed: nothing to undo


def test_a_copy_edited_from_ours_is_taken_and_ours_kept_in_the_history(
        tmp_path: Path) -> None:
    with open_journal(tmp_path / "a") as journal:
        a = JournalService(journal)
        ladder = a.new_ladder("Ask for a raise", [a.challenges()[0].uuid])
        _custom(a)
        shared = export_document(journal)
    _save(shared, tmp_path / "shared.json")
    with open_journal(tmp_path / "b") as journal:
        b = JournalService(journal)
        _import(b, tmp_path / "shared.json")
        b.rename_ladder(ladder.uuid, "Ask for a raise at the review")
        _custom(b, title="Ask the baker at closing time")
        _save(export_document(journal), tmp_path / "from-b.json")
    with open_journal(tmp_path / "a") as journal:
        a = JournalService(journal)
        result = _import(a, tmp_path / "from-b.json")
        assert (result.updated_ladders, result.updated_challenges) == (1, 1)
        assert a.ladder(ladder.uuid).goal == "Ask for a raise at the review"  # type: ignore[union-attr]
        assert a.challenge(CUSTOM).title == "Ask the baker at closing time"  # type: ignore[union-attr]
        (kind, _revision, text), = journal.record_versions("ladder", ladder.uuid)
        assert (kind, json.loads(text)["goal"]) == ("earlier", "Ask for a raise")


def test_changed_on_both_sides_keeps_ours_stores_theirs_and_reports_it(tmp_path: Path) -> None:
    with open_journal(tmp_path / "a") as journal:
        a = JournalService(journal)
        ladder = a.new_ladder("Ask for a raise", [a.challenges()[0].uuid])
        _custom(a)
        _save(export_document(journal), tmp_path / "shared.json")
    with open_journal(tmp_path / "b") as journal:
        b = JournalService(journal)
        _import(b, tmp_path / "shared.json")
        b.rename_ladder(ladder.uuid, "Their goal")
        _custom(b, how_to="Their how-to", archived=True)
        _save(export_document(journal), tmp_path / "theirs.json")
    with open_journal(tmp_path / "a") as journal:
        a = JournalService(journal)
        a.rename_ladder(ladder.uuid, "My goal")
        mine = _custom(a, how_to="My how-to")

        result = _import(a, tmp_path / "theirs.json")

        assert a.ladder(ladder.uuid).goal == "My goal"  # type: ignore[union-attr]
        assert a.challenge(CUSTOM) == mine
        assert (result.conflict_ladders, result.conflict_challenges) == (1, 1)
        assert result.changed and "1 challenge and 1 ladder had changed here and in the file: " \
            "your versions were kept" in result.summary()
        (kind, _rev, text), = journal.record_versions("ladder", ladder.uuid)
        assert (kind, json.loads(text)["goal"]) == ("conflict", "Their goal")
        (kind, _rev, text), = journal.record_versions("challenge", CUSTOM)
        stored = json.loads(text)
        assert (kind, stored["how_to"], stored["archived"]) == ("conflict", "Their how-to", True)
        # stored once, however often the file comes again
        again = _import(a, tmp_path / "theirs.json")
        assert (again.conflict_ladders, again.changed) == (1, False)
        assert len(journal.record_versions("ladder", ladder.uuid)) == 1


# -- item 8: one undo step covering everything ---------------------------------------------------

def _file_with_ladder_run_challenge(tmp_path: Path) -> tuple[Path, str, str]:
    """A file from another journal: a custom challenge, an entry on it, a ladder, a run."""
    with open_journal(tmp_path / "other") as journal:
        other = JournalService(journal, clock=FixedClock(date(2026, 11, 24)))
        _custom(other)
        other.save(AttemptRecord(ask="Ask the baker", attempted_on=date(2026, 11, 2),
                                 challenge_uuid=CUSTOM))
        ladder = other.new_ladder("Bread", [CUSTOM])
        run = other.start_run(30, started_on=date(2026, 11, 1), ladder_uuid=ladder.uuid)
        path = _save(export_document(journal), tmp_path / "other.json")
    return path, ladder.uuid, run.uuid


def test_an_import_that_changes_only_a_ladder_is_its_own_undo_step(
        service: JournalService, tmp_path: Path) -> None:
    entry = service.save(AttemptRecord(ask="Ask for a window seat",
                                       attempted_on=date(2026, 11, 20)))
    ladder = service.new_ladder("Ask for a raise", [service.challenges()[0].uuid])
    document = export_document(service.journal)
    document["ladders"][0].update(goal="Ask for a raise, calmly")  # edited from ours
    path = _save(document, tmp_path / "ladder.json")

    result = _import(service, path)

    assert (result.updated_ladders, result.updated_attempts) == (1, 0)
    assert service.undo_text == "Import of 1 ladder"
    assert service.undo() == "Import of 1 ladder"
    assert service.ladder(ladder.uuid).goal == "Ask for a raise"  # type: ignore[union-attr]
    assert service.attempt(entry.uuid) == entry, "the previous edit is not what was undone"


@pytest.fixture
def other_file(tmp_path: Path) -> tuple[Path, str, str]:
    """(Asked for before ``service``, so the other journal is closed again first.)"""
    return _file_with_ladder_run_challenge(tmp_path)


def test_undoing_an_import_takes_back_its_ladders_runs_and_challenges_and_redo_brings_them(
        other_file: tuple[Path, str, str], service: JournalService) -> None:
    path, ladder, run = other_file
    before = export_document(service.journal)

    result = _import(service, path)
    assert (result.added_challenges, result.added_attempts, result.added_ladders,
            result.added_runs) == (1, 1, 1, 1)
    after = export_document(service.journal)
    assert service.undo_text == "Import of 1 entry, 1 challenge, 1 ladder and 1 run"

    service.undo()
    assert (service.ladder(ladder), service.run(run), service.challenge(CUSTOM)) == (
        None, None, None)
    assert {**export_document(service.journal), "exported_at": None} == {
        **before, "exported_at": None}
    service.redo()
    assert {**export_document(service.journal), "exported_at": None} == {
        **after, "exported_at": None}


def test_after_undo_the_same_file_imports_again(service: JournalService,
                                                tmp_path: Path) -> None:
    entry = service.save(AttemptRecord(ask="Ask for a window seat",
                                       attempted_on=date(2026, 11, 20)))
    ladder = service.new_ladder("Ask for a raise", [service.challenges()[0].uuid])
    document = export_document(service.journal)
    document["attempts"][0].update(reflection="Edited on the other computer")
    document["ladders"][0].update(goal="Ask for a raise, calmly")
    path = _save(document, tmp_path / "edited.json")

    first = _import(service, path)
    assert (first.updated_attempts, first.updated_ladders) == (1, 1)
    service.undo()
    assert service.attempt(entry.uuid).reflection == ""  # type: ignore[union-attr]
    assert service.journal.attempt_versions(entry.uuid) == []
    assert service.journal.record_versions("ladder", ladder.uuid) == []

    again = _import(service, path)

    assert again == first and again.changed
    assert service.attempt(entry.uuid).reflection == "Edited on the other computer"  # type: ignore[union-attr]


def test_an_import_of_only_conflicts_is_an_undo_step_too(service: JournalService,
                                                        tmp_path: Path) -> None:
    ladder = service.new_ladder("Ask for a raise", [service.challenges()[0].uuid])
    document = export_document(service.journal)
    document["ladders"][0].update(goal="Theirs", revision="0" * 32)  # from an unknown copy
    path = _save(document, tmp_path / "theirs.json")
    result = _import(service, path)
    assert (result.conflict_ladders, result.stored_record_conflicts) == (1, 1)
    assert service.undo_text == "Import of versions into history"
    service.undo()
    assert service.journal.record_versions("ladder", ladder.uuid) == []
    assert _import(service, path).stored_record_conflicts == 1


# -- item 5: one transaction ------------------------------------------------------------------

class _Stop(Exception):
    pass


def test_an_undo_of_an_import_that_fails_half_way_changes_nothing_and_stays(
        service: JournalService, tmp_path: Path) -> None:
    from rejection_journal.storage.export import attempt_to_dict
    from rejection_journal.storage.revisions import revision

    records = [AttemptRecord(ask=f"Ask {i}", attempted_on=date(2026, 1, 1) + timedelta(days=i))
               for i in range(1000)]
    path = _save({"format": "rejection-journal", "format_version": 6, "challenges": [],
                  "ladders": [], "runs": [], "self_checks": [],
                  "attempts": [{**attempt_to_dict(r), "revision": revision(r),
                                "earlier_revisions": []} for r in records]},
                 tmp_path / "many.json")
    _import(service, path)
    assert service.attempt_count() == 1000

    def stop_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            raise _Stop

    with pytest.raises(_Stop):
        service.undo(progress=stop_half_way)
    assert service.attempt_count() == 1000, "all or nothing"
    assert service.undo_text == "Import of 1,000 entries"
    seen: list[tuple[int, int]] = []
    service.undo(progress=lambda done, total: seen.append((done, total)))
    assert service.attempt_count() == 0
    assert seen[0] == (0, 1000) and seen[-1] == (1000, 1000)


def test_a_challenge_changed_after_the_import_is_left_as_it_is_by_its_undo(
        other_file: tuple[Path, str, str], service: JournalService) -> None:
    path, _ladder, _run = other_file
    _import(service, path)
    kept = _custom(service, title="Mine now")  # not on the undo history
    service.undo()
    assert service.challenge(CUSTOM) == kept
    assert service.attempt_count() == 0


def test_a_read_only_journal_refuses_the_undo_and_keeps_the_step(tmp_path: Path) -> None:
    path, _ladder, _run = _file_with_ladder_run_challenge(tmp_path)
    with open_journal(tmp_path / "journal") as journal:
        service = JournalService(journal)
        _import(service, path)
        journal.read_only_reason = "the test says so"
        with pytest.raises(StorageError):
            service.undo()
        assert service.undo_text is not None


def test_rungs_come_back_exactly(service: JournalService, tmp_path: Path) -> None:
    uuids = [c.uuid for c in service.challenges()[:3]]
    ladder = service.save_ladder(Ladder("Three steps", tuple(Rung(u) for u in uuids)))
    document = export_document(service.journal)
    document["ladders"][0]["rungs"] = uuids[::-1]
    _import(service, _save(document, tmp_path / "reordered.json"))
    assert [r.challenge_uuid for r in service.ladder(ladder.uuid).rungs] == uuids[::-1]  # type: ignore[union-attr]
    service.undo()
    assert service.ladder(ladder.uuid) == ladder
    assert isinstance(service.ladder(ladder.uuid), Ladder)


def test_an_imported_ladder_whose_goal_this_journal_has_gets_a_number(
        tmp_path: Path) -> None:
    """Two ladders never share a goal: a file's ladder named like one of ours (case, accents
    and spaces aside) is added as "… (2)", and the preview says so."""
    from rejection_journal.storage.export import export_document
    from rejection_journal.storage.import_schema import parse_document
    from rejection_journal.storage.merge import apply_import, preview_import

    with open_journal(tmp_path / "theirs") as journal:
        service = JournalService(journal, clock=FixedClock(date(2026, 11, 24)))
        service.new_ladder("ASK for a raise", [service.challenges()[0].uuid])
        document = export_document(journal)
    with open_journal(tmp_path / "mine") as journal:
        service = JournalService(journal, clock=FixedClock(date(2026, 11, 24)))
        mine = service.new_ladder("Ask for a raise")
        plan = parse_document(json.dumps(document))
        preview = preview_import(journal, plan)
        assert preview.renamed_ladders == 1
        assert "got a number after its goal" in preview.summary()
        apply_import(journal, plan)
        assert sorted(x.goal for x in service.ladders()) == ["ASK for a raise (2)",
                                                              "Ask for a raise"]
        assert service.find_ladder("ask for a raise") == service.ladder(mine.uuid)
        assert not apply_import(journal, plan).changed, "the same file again changes nothing"
