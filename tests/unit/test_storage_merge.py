"""Merging by revision: no clock decides, and a local edit is never silently discarded."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.records import AttemptRecord, utcnow
from rejection_journal.services.sequences import import_into
from rejection_journal.storage import Journal, StorageError, open_journal
from rejection_journal.storage import entries as entries_module
from rejection_journal.storage.export import export_document
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_schema import parse_document
from rejection_journal.storage.merge import ImportResult, apply_import, preview_import
from rejection_journal.storage.models import AttemptVersion
from rejection_journal.storage.revisions import (
    REVISION_FIELDS,
    VERSIONS_KEPT,
    differing_fields,
    revision,
)
from tests.unit.legacy import as_format

YEAR = timedelta(days=365)
#: a clock running most of a day fast: its timestamps pass the import's "not in the future"
#: check (a day), yet claim to be newer than an edit made here later in real time
AHEAD = timedelta(hours=20)
#: an updated_at from such a clock, as a file carries it
AHEAD_STAMP = (utcnow() + AHEAD).isoformat(timespec="seconds") + "Z"
ENTRY = AttemptRecord(ask="Ask for a window seat", attempted_on=date(2026, 3, 1),
                      uuid="5a0c6d3e-8f1b-4c2d-9e7f-0a1b2c3d4e5f", anticipated_discomfort=6,
                      predicted_no_chance=60, lesson="first words")


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def export(journal: Journal) -> dict[str, Any]:
    return export_document(journal)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[timedelta]]:
    """``clock[0]`` is how far this machine's clock is off while saving (set it freely)."""
    offset = [timedelta(0)]
    monkeypatch.setattr(entries_module, "utcnow", lambda: utcnow() + offset[0])
    yield offset


def shared_entry(tmp_path: Path) -> dict[str, Any]:
    """Journal "here" has ENTRY; "elsewhere" got it from here's export. Returns that export."""
    with open_journal(tmp_path / "here") as here:
        here.save_attempt(ENTRY)
        document = export(here)
    with open_journal(tmp_path / "elsewhere") as elsewhere:
        assert apply_import(elsewhere, parse_document(encode(document))).added_attempts == 1
    return document


def edit_elsewhere(tmp_path: Path, clock: list[timedelta], offset: timedelta,
                   **changes: object) -> dict[str, Any]:
    """Edit ENTRY in "elsewhere" with its clock ``offset`` off; returns its export."""
    clock[0] = offset
    with open_journal(tmp_path / "elsewhere") as elsewhere:
        current = elsewhere.attempt(ENTRY.uuid)
        assert current is not None
        elsewhere.save_attempt(current.replace(**changes))
        document = export(elsewhere)
    clock[0] = timedelta(0)
    return document


# -- the clock-skew case -------------------------------------------------------------------

def test_an_edit_here_survives_an_import_edited_elsewhere_by_a_clock_running_ahead(
    tmp_path: Path, clock: list[timedelta]
) -> None:
    shared_entry(tmp_path)
    theirs = edit_elsewhere(tmp_path, clock, AHEAD, lesson="written elsewhere",
                            outcome=Outcome.YES, actual_discomfort=1)
    with open_journal(tmp_path / "here") as here:
        current = here.attempt(ENTRY.uuid)
        assert current is not None
        mine = here.save_attempt(current.replace(lesson="written here, later"))
        # the file claims the newer edit, although ours was made later in real time
        assert theirs["attempts"][0]["updated_at"] > mine.updated_at.isoformat()
        plan = parse_document(encode(theirs))
        preview = preview_import(here, plan)
        result = apply_import(here, plan)

        assert here.attempt(ENTRY.uuid) == mine, "the local edit is kept"
        assert result == preview
        assert (result.conflict_attempts, result.conflict_uuids) == (1, (ENTRY.uuid,))
        assert (result.updated_attempts, result.stored_conflicts) == (0, 1)
        assert result.changed
        assert result.summary().endswith(
            "1 entry had changed here and in the file: your version was kept; the imported "
            "one is saved in the entry's history."
        )
        versions = here.attempt_versions(ENTRY.uuid)
        assert [(v.number, v.kind) for v in versions] == [(1, "conflict"), (2, "earlier")]
        assert versions[0].record.lesson == "written elsewhere"
        assert versions[0].record.outcome is Outcome.YES
        assert versions[1].record.lesson == "first words"
        assert differing_fields(mine, versions[0].record) == [
            "outcome", "actual_discomfort", "lesson"]

        # ... and the other version can be brought back; that too keeps what it replaces
        back = here.restore_attempt_version(ENTRY.uuid, 1)
        assert (back.lesson, back.outcome) == ("written elsewhere", Outcome.YES)
        assert back.created_at == mine.created_at
        after = here.attempt_versions(ENTRY.uuid)
        assert after[0].kind == "earlier"
        assert after[0].record.lesson == "written here, later"
        converged = export(here)
    # the two journals now agree: each import into the other changes nothing
    with open_journal(tmp_path / "elsewhere") as elsewhere:
        assert not apply_import(elsewhere, parse_document(encode(converged))).changed
        assert elsewhere.attempt(ENTRY.uuid).lesson == "written elsewhere"  # type: ignore[union-attr]


def test_a_copy_edited_only_elsewhere_is_taken_even_if_that_clock_ran_a_year_behind(
    tmp_path: Path, clock: list[timedelta]
) -> None:
    shared_entry(tmp_path)
    theirs = edit_elsewhere(tmp_path, clock, -YEAR, lesson="edited elsewhere",
                            reasons=(Reason.TIMING,), outcome=Outcome.NO)
    with open_journal(tmp_path / "here") as here:
        before = here.attempt(ENTRY.uuid)
        assert before is not None
        assert before.updated_at > datetime.fromisoformat(theirs["attempts"][0]["updated_at"][:-1])
        result = apply_import(here, parse_document(encode(theirs)))
        assert (result.updated_attempts, result.conflict_attempts) == (1, 0)
        now = here.attempt(ENTRY.uuid)
        assert now is not None and now.lesson == "edited elsewhere"
        (kept,) = here.attempt_versions(ENTRY.uuid)
        assert (kept.kind, kept.record) == ("earlier", before)
        # its ancestry now includes both sides' revisions: re-exporting is a no-op there
        document = export(here)
    assert document["attempts"][0]["revision"] == theirs["attempts"][0]["revision"]
    with open_journal(tmp_path / "elsewhere") as elsewhere:
        assert not apply_import(elsewhere, parse_document(encode(document))).changed


def test_a_copy_the_journal_has_edited_since_is_left_alone_whatever_its_timestamps(
    tmp_path: Path,
) -> None:
    document = shared_entry(tmp_path)
    document["attempts"][0]["updated_at"] = AHEAD_STAMP
    with open_journal(tmp_path / "here") as here:
        current = here.attempt(ENTRY.uuid)
        assert current is not None
        mine = here.save_attempt(current.replace(lesson="newer words"))
        result = apply_import(here, parse_document(encode(document)))
        assert result == ImportResult(unchanged_attempts=1,
                                      unchanged_challenges=len(document["challenges"]))
        assert here.attempt(ENTRY.uuid) == mine
        assert len(here.attempt_versions(ENTRY.uuid)) == 1  # only the save's own


def test_importing_its_own_export_changes_nothing(tmp_path: Path) -> None:
    with open_journal(tmp_path / "here") as here:
        saved = here.save_attempt(ENTRY)
        for words in ("two", "three"):
            saved = here.save_attempt(saved.replace(lesson=words))
        document = export(here)
        versions = AttemptVersion.select().count()
        plan = parse_document(encode(document))
        assert not preview_import(here, plan).changed
        result = import_into(here, plan)
        assert not result.changed and result.unchanged_attempts == 1
        assert export(here)["attempts"] == document["attempts"]
        assert AttemptVersion.select().count() == versions == 2
        assert here.backups_dir.exists() is False or not any(here.backups_dir.iterdir())


def test_a_format_2_round_trip_keeps_revisions_and_ancestry(tmp_path: Path) -> None:
    with open_journal(tmp_path / "here") as here:
        saved = here.save_attempt(ENTRY)
        first = revision(saved)
        saved = here.save_attempt(saved.replace(lesson="second"))
        second = revision(saved)
        here.save_attempt(saved.replace(lesson="third"))
        document = export(here)
    item = document["attempts"][0]
    assert item["earlier_revisions"] == [second, first]
    assert item["revision"] == revision(here_record := parse_document(
        encode(document)).attempts[0])
    assert here_record.lesson == "third"
    with open_journal(tmp_path / "copy") as other:
        apply_import(other, parse_document(encode(document)))
        again = export(other)
    assert again["attempts"] == document["attempts"]


def test_a_format_1_file_never_overwrites_different_words_but_adds_new_entries(
    tmp_path: Path,
) -> None:
    document = shared_entry(tmp_path)
    old = copy.deepcopy(document)
    old["format_version"] = 1
    del old["ladders"], old["runs"]  # format 4's lists: a format 1 file has none
    del old["self_checks"]  # format 6's
    for item in old["challenges"]:  # format 5's: a format 1 file's challenges have none
        del item["revision"], item["earlier_revisions"]
    for item in old["attempts"]:
        del item["revision"], item["earlier_revisions"]
    old["attempts"] = [as_format(item, 1) for item in old["attempts"]]
    with open_journal(tmp_path / "here") as here:
        same = apply_import(here, parse_document(encode(old)))
        assert (same.unchanged_attempts, same.changed) == (1, False)

        newer = copy.deepcopy(old)
        newer["attempts"][0].update(lesson="from an old app", updated_at=AHEAD_STAMP)
        newer["attempts"].append({**newer["attempts"][0], "lesson": "new one",
                                  "uuid": "6b1d7e4f-9a2c-4d3e-8f0a-1b2c3d4e5f60"})
        result = apply_import(here, parse_document(encode(newer)))
        assert (result.added_attempts, result.conflict_attempts, result.updated_attempts) == (
            1, 1, 0)
        assert here.attempt(ENTRY.uuid).lesson == "first words"  # type: ignore[union-attr]
        (conflict,) = here.attempt_versions(ENTRY.uuid)
        assert (conflict.kind, conflict.record.lesson) == ("conflict", "from an old app")

        # the same file again: reported again, but not stored twice
        again = apply_import(here, parse_document(encode(newer)))
        assert (again.conflict_attempts, again.stored_conflicts, again.changed) == (1, 0, False)
        assert again.summary().startswith("Nothing to import")
        assert "1 entry had changed here and in the file" in again.summary()
        assert len(here.attempt_versions(ENTRY.uuid)) == 1


def test_a_hand_edited_export_counts_as_an_edit_of_the_revision_it_names(
    tmp_path: Path,
) -> None:
    document = shared_entry(tmp_path)
    document["attempts"][0]["lesson"] = "edited in a text editor"
    with open_journal(tmp_path / "here") as here:
        result = apply_import(here, parse_document(encode(document)))
        assert result.updated_attempts == 1
        assert here.attempt(ENTRY.uuid).lesson == "edited in a text editor"  # type: ignore[union-attr]


def test_an_edit_taken_back_on_either_side_is_merged_the_right_way(
    tmp_path: Path, clock: list[timedelta]
) -> None:
    shared_entry(tmp_path)
    edit_elsewhere(tmp_path, clock, timedelta(0), lesson="tried")
    reverted = edit_elsewhere(tmp_path, clock, timedelta(0), lesson="first words")
    with open_journal(tmp_path / "here") as here:
        current = here.attempt(ENTRY.uuid)
        assert current is not None
        here.save_attempt(current.replace(lesson="tried"))  # here got to "tried" too
        # elsewhere went back to the first words after "tried": that is the later one
        result = apply_import(here, parse_document(encode(reverted)))
        assert (result.updated_attempts, result.conflict_attempts) == (1, 0)
        assert here.attempt(ENTRY.uuid).lesson == "first words"  # type: ignore[union-attr]

    with open_journal(tmp_path / "other") as other:
        other.save_attempt(ENTRY)
        edited = other.save_attempt(ENTRY.replace(lesson="tried"))
        before_revert = export(other)
        other.save_attempt(edited.replace(lesson="first words"))  # taken back here
        result = apply_import(other, parse_document(encode(before_revert)))
        assert (result.unchanged_attempts, result.changed) == (1, False)
        assert other.attempt(ENTRY.uuid).lesson == "first words"  # type: ignore[union-attr]


# -- revisions and history -----------------------------------------------------------------

def test_a_revision_is_what_the_user_wrote_not_when_or_where() -> None:
    base = revision(ENTRY)
    assert len(base) == 32 and int(base, 16) >= 0
    assert revision(ENTRY.replace(updated_at=datetime(1999, 1, 1),
                                  created_at=datetime(2099, 1, 1))) == base
    assert revision(ENTRY.replace(uuid="00000000-0000-4000-8000-000000000000")) == base
    changes = {
        "challenge_uuid": "00000000-0000-4000-8000-000000000001", "ask": "Other",
        "attempted_on": date(2026, 3, 2), "anticipated_discomfort": 7,
        "predicted_no_chance": 61, "feelings_before": "x", "worst_case": "x",
        "outcome": Outcome.NO, "actual_discomfort": 2, "feelings_after": "x",
        "reasons": (Reason.TIMING,), "asked_why": True, "reflection": "x", "lesson": "x",
        "who_asked": "Sam", "other_reason": "x", "hopefulness": 1, "next_discomfort": 4,
        "next_no_chance": 50,
        "kind": EntryKind.HAPPENED_TO_ME, "ask_mode": AskMode.PHONE, "feared_outcome": "x",
        "fear_likelihood": 60, "safety_behaviours": ("script",), "awaiting_answer": True,
        "follow_up_on": date(2026, 3, 9), "fear_happened": FearHappened.NO,
        "fear_likelihood_after": 20, "surprise": 3, "safety_dropped": ("script",),
    }
    assert set(changes) == set(REVISION_FIELDS)
    seen = {base}
    for name, value in changes.items():
        changed = revision(ENTRY.replace(**{name: value}))
        assert changed not in seen, name
        seen.add(changed)
    # a pinned value: the recipe is part of the file format and must never drift
    # (docs/json-format.md describes it, so other programs can compute it too)
    assert revision(AttemptRecord(ask="a", attempted_on=date(2000, 1, 1))) == (
        "90b8dcb58f651f5de4fdeae7beac020d")


def test_saving_the_same_words_again_keeps_no_history(journal: Journal) -> None:
    saved = journal.save_attempt(ENTRY)
    journal.save_attempt(saved)
    assert journal.attempt_versions(ENTRY.uuid) == []


def test_history_keeps_the_newest_versions_of_each_kind(journal: Journal) -> None:
    saved = journal.save_attempt(ENTRY)
    for i in range(VERSIONS_KEPT + 5):
        saved = journal.save_attempt(saved.replace(lesson=f"version {i}"))
    versions = journal.attempt_versions(ENTRY.uuid)
    assert len(versions) == VERSIONS_KEPT
    assert versions[0].record.lesson == f"version {VERSIONS_KEPT + 3}"


def test_deleting_an_entry_deletes_its_history(journal: Journal) -> None:
    saved = journal.save_attempt(ENTRY)
    journal.save_attempt(saved.replace(lesson="private second thoughts"))
    assert journal.delete_attempt(ENTRY.uuid)
    assert AttemptVersion.select().count() == 0


def test_unknown_entries_and_versions_are_one_clear_line(journal: Journal) -> None:
    with pytest.raises(StorageError, match="no entry"):
        journal.attempt_versions(ENTRY.uuid)
    journal.save_attempt(ENTRY)
    with pytest.raises(StorageError, match="has no version 1; it has no earlier versions"):
        journal.restore_attempt_version(ENTRY.uuid, 1)


# -- what a format 2 file must hold --------------------------------------------------------

@pytest.mark.parametrize(("change", "field", "words"), [
    ({"revision": "ABC"}, "revision", "32 lowercase hexadecimal digits"),
    ({"revision": None}, "revision", "not null"),
    ({"earlier_revisions": "0" * 32}, "earlier_revisions", "must be a list"),
    ({"earlier_revisions": ["0" * 31]}, "earlier_revisions", "item 0: must be a revision"),
    ({"earlier_revisions": ["0" * 32] * 1_001}, "earlier_revisions", "at most 1,000"),
])
def test_a_bad_revision_in_a_file_is_named(tmp_path: Path, change: dict[str, object],
                                           field: str, words: str) -> None:
    document = shared_entry(tmp_path)
    document["attempts"][0].update(change)
    with pytest.raises(ImportValidationError) as caught:
        parse_document(encode(document))
    assert caught.value.field == field
    assert words in str(caught.value)


def test_the_format_version_decides_which_keys_an_attempt_has(tmp_path: Path) -> None:
    document = shared_entry(tmp_path)
    del document["attempts"][0]["revision"]
    with pytest.raises(ImportValidationError, match="revision: is missing"):
        parse_document(encode(document))
    document = shared_entry(tmp_path / "again")
    document["format_version"] = 2
    del document["ladders"], document["runs"]  # format 4's lists: a format 2 file has none
    del document["self_checks"]  # format 6's
    for item in document["challenges"]:  # format 5's: a format 2 file's challenges have none
        del item["revision"], item["earlier_revisions"]
    document["attempts"] = [as_format(item, 2) for item in document["attempts"]]
    document["attempts"][0].pop("reason")
    with pytest.raises(ImportValidationError, match="reason: is missing"):
        parse_document(encode(document))
    document["attempts"][0]["reason"] = None
    document["format_version"] = 1
    with pytest.raises(ImportValidationError, match="revision: is not a key"):
        parse_document(encode(document))
