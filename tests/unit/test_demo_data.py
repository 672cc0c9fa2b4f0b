"""Demo data: marked when added, told apart, removed in one step (real SQLite journals).

Issue 18: a demo item the user changed is theirs (removing demo data keeps it, unmarked, and
counts it); removing is undoable; the mark is per kind of thing; demo UUIDs never repeat
across journals; the mark survives export and import.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.demo import DemoKind, generate_attempts
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.picker import Ladder as LadderRecord
from rejection_journal.domain.picker import Rung
from rejection_journal.domain.wellbeing import TrendSignal
from rejection_journal.paths import database_path
from rejection_journal.services import Change, FixedClock, JournalService
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.errors import JournalNotEmptyError
from rejection_journal.storage.export import export_document
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_experiment import EXPERIMENT_TYPES
from rejection_journal.storage.import_schema import parse_document
from rejection_journal.storage.merge import apply_import, preview_import
from rejection_journal.storage.models import ChallengeRun, DemoItem, DemoMark, Ladder
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
    assert DemoMark.select().where(DemoMark.kind == "entry").count() == 12
    assert DemoItem.select().count() == 0, "schema 3.1's table is no longer written"
    assert journal.has_demo_data()
    real = journal.save_attempt(make_attempt(ask="My own ask", attempted_on=TODAY))
    assert journal.remove_demo_data().result.removed == 12
    assert journal.attempt_uuids_sorted() == [real.uuid]
    assert DemoMark.select().count() == 0
    assert not journal.has_demo_data()


def test_demo_ladders_and_runs_go_too(journal: Journal) -> None:
    records = generate_attempts(journal.challenges(), 3, seed=1, today=TODAY)
    journal.add_demo_attempts(records)
    now = records[0].created_at
    ladder = Ladder.create(uuid="l-demo", goal="Ask for a raise", created_at=now, updated_at=now)
    Ladder.create(uuid="l-real", goal="Mine", created_at=now, updated_at=now)
    ChallengeRun.create(uuid="r-demo", started_on=TODAY, length_days=30, ladder=ladder,
                        created_at=now, updated_at=now)
    from rejection_journal.storage.demo import ladder_marks, mark, run_marks

    mark([*ladder_marks([journal.ladder("l-demo")]),  # type: ignore[list-item]
          *run_marks([journal.run("r-demo")])])  # type: ignore[list-item]
    assert journal.remove_demo_data().result.removed == 5
    assert [ladder.uuid for ladder in Ladder.select()] == ["l-real"]
    assert ChallengeRun.select().count() == 0


def test_demo_data_only_goes_into_an_empty_journal_and_adds_nothing_otherwise(
    journal: Journal, make_attempt: AttemptFactory,
) -> None:
    journal.save_attempt(make_attempt())
    with pytest.raises(JournalNotEmptyError):
        journal.add_demo_attempts(generate_attempts(journal.challenges(), 5, today=TODAY))
    assert journal.attempt_count() == 1 and DemoMark.select().count() == 0
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
    removal = service.remove_demo_data()
    assert (removal.removed, removal.kept) == (20 + ladders + runs, 0)
    assert not service.has_demo_data() and service.attempt_count() == 0
    assert heard == [Change.reset(), Change.reset()]
    assert service.undo_text == f"Remove demo data ({20 + ladders + runs} items)"


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
    assert service.attempt_uuids_sorted() == [real.uuid]
    assert not service.has_demo_data()


# -- issue 18: what the user wrote in a demo item is theirs ------------------------------------

def _content(journal: Journal) -> dict[str, Any]:
    """Everything the journal holds as the export sees it, entries by UUID (a restored
    entry's row id, which only breaks ties in the export's order, is not content)."""
    document = export_document(journal)
    del document["exported_at"]
    document["attempts"] = sorted(document["attempts"], key=lambda item: item["uuid"])
    return document


def _histories(journal: Journal) -> dict[str, list[tuple[str, str, object]]]:
    return {uuid: [(v.kind, v.revision, v.record) for v in journal.attempt_versions(uuid)]
            for uuid in journal.attempt_uuids_sorted()}


def _items(document: dict[str, Any]) -> int:
    return len(document["attempts"]) + len(document["ladders"]) + len(document["runs"])


def test_a_demo_entry_the_user_wrote_in_stays_theirs_unmarked_and_counted(
    service: JournalService,
) -> None:
    """The reported case: the evening review offers an open demo entry; the user writes its
    after half; Remove demo data must keep it (it deleted it, and said "untouched")."""
    service.add_demo_data()
    items = _items(_content(service.journal))
    entry = service.open_entries()[0]
    mine = service.save(entry.replace(
        outcome=Outcome.YES, actual_discomfort=2, lesson="Ask before the fear gets loud.",
        reflection="They smiled and said yes; I was braced for a scene that never came."))
    removal = service.remove_demo_data()
    assert (removal.kept_entries, removal.kept, removal.removed) == (1, 1, items - 1)
    assert service.attempt_uuids_sorted() == [mine.uuid]
    assert service.attempt(mine.uuid) == mine
    assert [hit.uuid for hit in service.search("braced")] == [mine.uuid]
    assert not service.has_demo_data() and DemoMark.select().count() == 0, "unmarked: theirs"
    assert "Kept 1 entry you had changed: it is yours now." in removal.summary()
    again = service.remove_demo_data()
    assert (again.removed, again.kept) == (0, 0) and service.attempt_uuids_sorted() == [mine.uuid]


def test_changed_ladders_and_runs_stay_and_so_does_a_ladder_a_staying_run_climbs(
    service: JournalService,
) -> None:
    service.add_demo_data(40, seed=5)
    first, *others = service.ladders()
    (run,) = service.runs()
    assert run.ladder_uuid == first.uuid and len(others) >= 1
    renamed = service.rename_ladder(others[0].uuid, "Ask for a raise, my way")
    ended = service.end_run(run.uuid, TODAY)
    # Saved again as it was: a new updated_at, the same content. Content decides, not clocks.
    untouched = service.attempts_by_uuid(service.attempt_uuids_sorted())
    same = next(e for e in untouched.values() if not e.is_open)
    service.journal.save_attempt(same)
    for ladder in others[1:]:
        service.journal.save_ladder(ladder)
    removal = service.remove_demo_data()
    assert (removal.kept_ladders, removal.kept_runs, removal.kept_entries) == (2, 1, 0)
    assert removal.removed_ladders == len(others) - 1 and removal.removed_runs == 0
    assert {x.uuid for x in service.ladders()} == {first.uuid, renamed.uuid}
    assert service.runs() == [ended] and ended.ladder_uuid == first.uuid, "still on its ladder"
    assert service.attempt_count() == 0 and not service.has_demo_data()


def test_removing_demo_data_is_undone_exactly_and_redone_by_the_same_rule(
    service: JournalService,
) -> None:
    service.add_demo_data(40, seed=2)
    entry = service.open_entries()[0]
    service.save(entry.replace(reflection="Mine now"))
    # A demo entry with a history (a copy from another journal kept as a conflict): it is
    # still what the demo gave, so it goes, and undo must bring its history back too.
    document = _content(service.journal)
    other = next(item for item in document["attempts"] if item["uuid"] != entry.uuid)
    conflict = {**document, "format_version": 6, "demo": None, "ladders": [], "runs": [],
                "attempts": [{**other, "lesson": "Changed elsewhere", "revision": "0" * 32,
                              "earlier_revisions": []}]}
    del conflict["demo"]
    assert apply_import(service.journal, parse_document(json.dumps(conflict))).conflict_attempts
    before, history = _content(service.journal), _histories(service.journal)
    marks: list[Any] = list(DemoMark.select().tuples())
    assert history[other["uuid"]]

    undo_when_announced: list[str | None] = []
    service.changes.subscribe(lambda _change: undo_when_announced.append(service.undo_text))
    removal = service.remove_demo_data()
    after = _content(service.journal)
    assert removal.kept == 1 and service.attempt_count() == 1
    assert service.undo_text == f"Remove demo data ({removal.removed} items)"
    assert undo_when_announced == [service.undo_text], "Edit ▸ Undo is named when told"
    heard: list[Change] = []
    service.changes.subscribe(heard.append)

    assert service.undo() == f"Remove demo data ({removal.removed} items)"
    assert _content(service.journal) == before
    assert _histories(service.journal) == history
    marks_now: list[Any] = list(DemoMark.select().tuples())
    assert sorted(marks_now) == sorted(marks)
    assert service.has_demo_data() and heard == [Change.reset()]

    assert service.redo() is not None
    assert _content(service.journal) == after
    assert service.undo() is not None and _content(service.journal) == before


def test_an_entrys_demo_mark_never_deletes_a_real_ladder_with_the_same_uuid(
    service: JournalService,
) -> None:
    service.add_demo_data(20, seed=1)
    demo_entry = service.attempt_uuids_sorted()[0]
    challenges = [c.uuid for c in service.challenges()[:2]]
    crafted = {"format": "rejection-journal", "format_version": 4, "challenges": [],
               "attempts": [], "runs": [],
               "ladders": [{"uuid": demo_entry, "goal": "My real ladder", "rungs": challenges,
                            "created_at": "2026-11-01T08:00:00Z",
                            "updated_at": "2026-11-01T08:00:00Z"}]}
    assert apply_import(service.journal, parse_document(json.dumps(crafted))).added_ladders == 1
    service.remove_demo_data()
    assert [(x.uuid, x.goal) for x in service.ladders()] == [(demo_entry, "My real ladder")]
    assert service.attempt(demo_entry) is None, "the demo entry itself went"


def test_a_files_demo_mark_never_lands_on_what_the_journal_already_has(
    service: JournalService, make_attempt: AttemptFactory,
) -> None:
    from rejection_journal.storage.revisions import revision

    mine = service.save(make_attempt(ask="My own ask", attempted_on=TODAY))
    document = _content(service.journal)
    assert document["format_version"] == 6 and "demo" not in document, "no demo: no marks"
    document.update(demo=[{"kind": "entry", "uuid": mine.uuid,
                                             "fingerprint": revision(mine)}])
    result = apply_import(service.journal, parse_document(json.dumps(document)))
    assert result.demo_items == 1 and not result.changed
    assert not service.has_demo_data()
    service.remove_demo_data()
    assert service.attempt(mine.uuid) == mine


def test_demo_uuids_never_repeat_across_journals_but_a_seed_gives_the_same_content(
    tmp_path: Path,
) -> None:
    contents, uuids = [], []
    for name in ("a", "b"):
        with open_journal(tmp_path / name) as journal:
            JournalService(journal, clock=FixedClock(TODAY)).add_demo_data(30, seed=4)
            document = export_document(journal)
        uuids.append({item["uuid"] for key in ("attempts", "ladders", "runs")
                      for item in document[key]})
        contents.append([{k: v for k, v in item.items() if k != "uuid"}
                         for item in document["attempts"]])
    assert contents[0] == contents[1]
    assert len(uuids[0]) == len(uuids[1]) > 30 and not uuids[0] & uuids[1]


def test_the_mark_survives_export_and_import_and_the_preview_counts_it(tmp_path: Path) -> None:
    with open_journal(tmp_path / "laptop") as journal:
        service = JournalService(journal, clock=FixedClock(TODAY))
        service.add_demo_data(30, seed=4)
        entry = service.open_entries()[0]
        mine = service.save(entry.replace(reflection="Written on the laptop"))
        document = export_document(journal)
    items = _items(document)
    assert document["format_version"] == 6 and len(document["demo"]) == items
    assert {m["kind"] for m in document["demo"]} == {"entry", "ladder", "run"}
    with open_journal(tmp_path / "desktop") as journal:
        service = JournalService(journal, clock=FixedClock(TODAY))
        plan = parse_document(json.dumps(document))
        preview = preview_import(journal, plan)
        assert preview.demo_items == items
        assert f"The file holds {items} demo items" in preview.summary()
        assert not service.has_demo_data(), "a preview writes nothing"
        assert service.import_plan(plan).demo_items == items
        assert service.has_demo_data()
        assert export_document(journal)["demo"] == document["demo"]
        removal = service.remove_demo_data()
        assert (removal.kept_entries, removal.removed) == (1, items - 1)
        assert service.attempt_uuids_sorted() == [mine.uuid]


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["demo"].append({"kind": "entry", "uuid": "0" * 8 + "-0000-4000-8000-"
                                 + "0" * 12, "fingerprint": ""}), "names no entry in this file"),
    (lambda d: d["demo"][0].update(kind="ladder"), "names no ladder in this file"),
    (lambda d: d["demo"][0].update(kind="challenge"), "unknown kind 'challenge'"),
    (lambda d: d["demo"][0].update(fingerprint="not hex"), "must be a revision"),
    (lambda d: d["demo"].append(dict(d["demo"][0])), "appears twice"),
    (lambda d: d.update(format_version=5), "self_checks: is not a key this version knows"),
    (lambda d: (d.update(format_version=4), d.pop("self_checks"),
                [a.pop(k) for a in d["attempts"] for k in EXPERIMENT_TYPES]),
     "demo: is not a key this version knows"),
    (lambda d: d.update(demo={}), "must be a list"),
])
def test_a_files_demo_marks_are_checked_before_anything_is_written(
    tmp_path: Path, change: Any, words: str,
) -> None:
    with open_journal(tmp_path / "a") as journal:
        JournalService(journal, clock=FixedClock(TODAY)).add_demo_data(5, seed=1)
        document = export_document(journal)
    document["demo"].sort(key=lambda m: m["kind"])  # an entry's mark first
    change(document)
    with pytest.raises(ImportValidationError) as caught:
        parse_document(json.dumps(document))
    assert words in str(caught.value)


def test_the_golden_files_of_older_formats_still_import(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "fixtures" / "export-golden"
    for name in ("export.json", "export-v4.json", "export-v5.json"):
        plan = parse_document((golden / name).read_bytes())
        assert plan.demo == () and plan.attempts, name


def test_schema_3_1_marks_move_to_their_kind_and_keep_what_was_changed_before(
    tmp_path: Path,
) -> None:
    """Upgrading the schema-3.1 fixture with demo marks in it: an entry edited before the
    upgrade stays; a UUID marked on two kinds (the crafted case) marks neither."""
    data = tmp_path / "journal"
    data.mkdir(mode=0o700)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema-v3.1.sqlite3"
    shutil.copyfile(fixture, database_path(data))
    connection = sqlite3.connect(database_path(data))
    entries = connection.execute(
        'SELECT "uuid", "earlier_revisions" != \'\' FROM "attempt" ORDER BY "id"').fetchall()
    edited = next(uuid for uuid, was_edited in entries if was_edited)
    plain = [uuid for uuid, was_edited in entries if not was_edited][:2]
    (ladder,) = connection.execute('SELECT "uuid" FROM "ladder"').fetchone()
    on_ladder, unlinked = (uuid for (uuid,) in connection.execute(
        'SELECT "uuid" FROM "challenge_run" ORDER BY "ladder_id" IS NULL'))
    connection.execute('UPDATE "challenge_run" SET "updated_at" = \'2026-11-30 10:00:00\' '
                       'WHERE "uuid" = ?', (unlinked,))
    connection.execute('INSERT INTO "ladder" ("uuid", "goal", "created_at", "updated_at") '
                       "VALUES (?, 'Crafted', '2026-11-01 09:00:00', '2026-11-01 09:00:00')",
                       (plain[1],))
    connection.executemany('INSERT INTO "demo_item" VALUES (?)',
                           [(u,) for u in (edited, *plain, ladder, on_ladder, unlinked)])
    connection.commit()
    connection.close()
    with open_journal(data) as journal:
        from rejection_journal.storage.demo import all_marks

        marks = {(m.kind, m.uuid) for m in all_marks()}
        assert marks == {(DemoKind.ENTRY, edited), (DemoKind.ENTRY, plain[0]),
                         (DemoKind.LADDER, ladder), (DemoKind.RUN, on_ladder),
                         (DemoKind.RUN, unlinked)}
        assert DemoItem.select().count() == 0
        removal = journal.remove_demo_data().result
        assert (removal.removed_entries, removal.kept_entries) == (1, 1)
        assert (removal.removed_runs, removal.kept_runs, removal.removed_ladders) == (1, 1, 1)
        assert journal.attempt(edited) is not None and journal.attempt(plain[0]) is None
        assert journal.attempt(plain[1]) is not None
        assert [x.goal for x in journal.ladders()] == ["Crafted"]
        assert [r.uuid for r in journal.runs()] == [unlinked]


def test_a_ladder_record_is_not_a_demo_ladder_by_uuid_alone(journal: Journal) -> None:
    """Marks are by kind in storage too: marking a ladder marks no run or entry."""
    from rejection_journal.storage.demo import ladder_marks, mark

    challenge = journal.challenges()[0]
    ladder = journal.save_ladder(LadderRecord("Goal", (Rung(challenge.uuid),)))
    mark(ladder_marks([ladder]))
    assert journal.has_demo_data()
    assert [m.kind for m in journal.demo_marks()] == [DemoKind.LADDER]
