"""JSON import: the whole file is checked first, then merged by UUID, all or nothing."""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import TEXT_MAX, TITLE_MAX, AttemptRecord, utcnow
from rejection_journal.storage import Journal, StorageError, open_journal
from rejection_journal.storage.export import export_document, export_json
from rejection_journal.storage.import_decode import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    ImportValidationError,
)
from rejection_journal.storage.import_schema import (
    ATTEMPT_KEYS,
    CHALLENGE_KEYS,
    ImportPlan,
    parse_document,
    read_plan,
)
from rejection_journal.storage.merge import ImportCancelled, ImportResult, apply_import, import_file
from rejection_journal.storage.models import Challenge
from tests.conftest import isolate_profile

OLD = datetime(2021, 6, 1, 9, 30, 0, 250_000)
CUSTOM_UUID = "0b7f4d1e-2a3c-4e5f-8a9b-0c1d2e3f4a5b"
ARCHIVED_UUID = "9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0"
BUILTIN = builtin_challenges()[0]


def content(journal: Journal) -> dict[str, Any]:
    """Everything the journal holds, as the export sees it (minus the moment of export)."""
    document = export_document(journal)
    del document["exported_at"]
    return document


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def add_custom_challenge(uuid: str, *, title: str = "Ask the baker for yesterday's bread",
                         archived: bool = False, **fields: object) -> None:
    values: dict[str, object] = {
        "category": Category.EVERYDAY.value, "level": 3, "how_to": "Just ask.",
        "respect_note": "Thank them either way.", "created_at": OLD, "updated_at": OLD,
    }
    values.update(fields)
    Challenge.create(uuid=uuid, title=title, is_custom=True, archived=archived, **values)


def fill(journal: Journal) -> list[AttemptRecord]:
    """A journal with one of every kind of attempt, and two custom challenges."""
    add_custom_challenge(CUSTOM_UUID, level=4)
    add_custom_challenge(ARCHIVED_UUID, title="An old ask «archived»", archived=True,
                         category=Category.ROMANCE.value, level=9)
    records = [
        AttemptRecord(
            ask=BUILTIN.title, challenge_uuid=BUILTIN.uuid, attempted_on=date(2024, 1, 5),
            anticipated_discomfort=8, predicted_no_chance=70, feelings_before="Tight chest.",
            worst_case="They laugh.", outcome=Outcome.NO, actual_discomfort=3,
            feelings_after="Relieved.", reasons=(Reason.TIMING,), asked_why=True,
            reflection="Busy.", lesson="Ask earlier.", created_at=OLD, updated_at=OLD,
        ),
        AttemptRecord(
            ask="Ask my landlord to fix the heating, «now» 😬", attempted_on=date(2024, 1, 6),
            outcome=Outcome.YES, actual_discomfort=0,
            reflection="Multi-line\nreflection, \"quotes\"\ttabs",
            created_at=datetime(2024, 1, 6, 20, 0), updated_at=datetime(2024, 1, 7, 8, 0, 0, 1),
        ),
        AttemptRecord(ask="Ask for a raise", attempted_on=date(2024, 1, 7),
                      anticipated_discomfort=10, predicted_no_chance=100),
        AttemptRecord(ask="Ask the baker", challenge_uuid=CUSTOM_UUID,
                      attempted_on=date(2024, 2, 29), outcome=Outcome.NO_RESPONSE,
                      reasons=(Reason.UNKNOWN,), actual_discomfort=10, predicted_no_chance=0),
        AttemptRecord(ask="An old ask", challenge_uuid=ARCHIVED_UUID,
                      attempted_on=date(1999, 12, 31), outcome=Outcome.DIDNT_ASK,
                      anticipated_discomfort=0),
    ]
    journal.add_demo_attempts(records)  # stores every field as given, timestamps included
    return records


@pytest.fixture(scope="module")
def _source_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The export document of a filled journal (closed again), built once for the module."""
    folder = tmp_path_factory.mktemp("source")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_profile(folder / "home", monkeypatch)
        with open_journal(folder / "source") as journal:
            fill(journal)
            return export_document(journal)


@pytest.fixture
def source(_source_document: dict[str, Any]) -> dict[str, Any]:
    """The export document of a filled journal: each test's own copy, free to change."""
    return copy.deepcopy(_source_document)


@pytest.fixture
def target(tmp_path: Path, source: dict[str, Any]) -> Iterator[Journal]:
    """Another journal with entries of its own (opened after ``source`` is closed)."""
    with open_journal(tmp_path / "target") as journal:
        journal.add_demo_attempts(
            generate_attempts(builtin_challenges(), 25, seed=5, today=date(2024, 6, 30))
        )
        yield journal


# -- round trip and merging ----------------------------------------------------------------

def test_an_export_imported_into_an_empty_journal_reproduces_every_field(
    tmp_path: Path, source: dict[str, Any]
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(encode(source))
    with open_journal(tmp_path / "empty") as journal:
        result = import_file(journal, path)
        assert content(journal) == {k: v for k, v in source.items() if k != "exported_at"}
        by_uuid = {c.uuid: c for c in journal.challenges(include_archived=True)}
        assert by_uuid[ARCHIVED_UUID].archived
        assert by_uuid[ARCHIVED_UUID].is_custom
        assert by_uuid[CUSTOM_UUID].level == 4
    # (fill() adds its entries as demo entries: the file says so, and they stay demo here)
    assert result == ImportResult(added_attempts=5, added_challenges=2,
                                  unchanged_challenges=len(builtin_challenges()), demo_items=5)


def test_timestamps_come_from_the_file_not_the_clock(tmp_path: Path, source) -> None:
    with open_journal(tmp_path / "empty") as journal:
        apply_import(journal, parse_document(encode(source)))
        # the export lists attempts by date: [1] is the built-in challenge from 2024-01-05
        first = journal.attempt(source["attempts"][1]["uuid"])
    assert first is not None
    assert first.created_at == OLD
    assert first.updated_at == OLD


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, target, source) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(encode(source))
    first = import_file(target, path)
    after_first = content(target)
    count = target.attempt_count()
    second = import_file(target, path)
    assert first.added_attempts == 5
    assert first.changed
    assert second == ImportResult(unchanged_attempts=5,
                                  unchanged_challenges=len(source["challenges"]), demo_items=5)
    assert not second.changed
    assert content(target) == after_first
    assert target.attempt_count() == count == 25 + 5
    assert second.summary().startswith("Nothing to import")


def test_merging_two_journals_gives_the_union_and_the_edit_made_since_wins(tmp_path: Path) -> None:
    shared = AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 3, 1),
                           anticipated_discomfort=6, created_at=OLD, updated_at=OLD)
    with open_journal(tmp_path / "a") as a:
        a.add_demo_attempts([shared, AttemptRecord(ask="Only in A", attempted_on=date(2024, 3, 2),
                                                   created_at=OLD, updated_at=OLD)])
        doc_a = export_document(a)
    with open_journal(tmp_path / "b") as b:
        apply_import(b, parse_document(encode(doc_a)))
        b.delete_attempt(next(x for x in doc_a["attempts"] if x["ask"] == "Only in A")["uuid"])
        edited = b.save_attempt(shared.replace(outcome=Outcome.PARTIAL, actual_discomfort=2,
                                               reasons=(Reason.REQUEST_SIZE,),
                                               lesson="Ask smaller"))
        b.save_attempt(AttemptRecord(ask="Only in B", attempted_on=date(2024, 3, 3)))
        doc_b = export_document(b)
    assert edited.updated_at > OLD

    with open_journal(tmp_path / "a") as a:
        result = apply_import(a, parse_document(encode(doc_b)))
        assert result.added_attempts == 1 and result.updated_attempts == 1
        assert result.unchanged_attempts == 0
        assert a.attempt(shared.uuid) == edited
        assert {x.ask for x in a.attempts()} == {"Ask for a discount", "Only in A", "Only in B"}
        merged_a = content(a)
    with open_journal(tmp_path / "b") as b:
        result = apply_import(b, parse_document(encode(merged_a)))
        # B's copy of the shared attempt is already the latest revision: it is left alone.
        assert (result.added_attempts, result.updated_attempts, result.unchanged_attempts) == (
            1, 0, 2)
        assert b.attempt(shared.uuid) == edited
        assert content(b) == merged_a, "both journals now hold the same union"


def test_a_copy_the_journal_has_edited_since_never_replaces_it_whatever_its_timestamps(
    tmp_path: Path, target, source
) -> None:
    # Was "an older or equally old copy never replaces the journal": updated_at decided, so a
    # file from a machine whose clock ran ahead overwrote newer edits. Revisions decide now.
    apply_import(target, parse_document(encode(source)))
    for item in source["attempts"][:2]:
        stored = target.attempt(item["uuid"])
        assert stored is not None
        target.save_attempt(stored.replace(lesson="edited after the export"))
    before = content(target)
    stale = copy.deepcopy(source)
    # a clock running most of a day ahead (a day or more is refused as "in the future")
    stale["attempts"][0]["updated_at"] = (
        (utcnow() + timedelta(hours=20)).isoformat(timespec="seconds") + "Z")
    stale["attempts"][1]["updated_at"] = "2001-01-01T00:00:00Z"  # a clock far behind
    result = apply_import(target, parse_document(encode(stale)))
    assert content(target) == before
    assert (result.updated_attempts, result.conflict_attempts) == (0, 0)
    assert result.unchanged_attempts == 5


def test_a_copy_edited_only_in_the_file_is_taken_even_from_a_clock_that_ran_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rejection_journal.storage import entries as entries_module

    with open_journal(tmp_path / "here") as here:
        fill(here)
        shared = export_document(here)
    uuid_ = shared["attempts"][2]["uuid"]
    with open_journal(tmp_path / "laptop") as laptop:
        apply_import(laptop, parse_document(encode(shared)))
        stored = laptop.attempt(uuid_)
        assert stored is not None
        # the laptop's clock is set ten years back when the entry is finished there
        monkeypatch.setattr(entries_module, "utcnow", lambda: datetime(2011, 1, 1))
        finished = laptop.save_attempt(stored.replace(outcome=Outcome.YES, actual_discomfort=2,
                                                      lesson="Finished on the laptop"))
        monkeypatch.undo()
        from_laptop = export_document(laptop)
    with open_journal(tmp_path / "here") as here:
        result = apply_import(here, parse_document(encode(from_laptop)))
        assert here.attempt(uuid_) == finished
    assert result.updated_attempts == 1


def test_a_newer_copy_replaces_every_field_including_created_at(
    tmp_path: Path, target, source
) -> None:
    apply_import(target, parse_document(encode(source)))
    newer = copy.deepcopy(source)
    item = newer["attempts"][2]
    item.update(outcome="partial", actual_discomfort=4, reasons=["policy"], asked_why=True,
                challenge_uuid=CUSTOM_UUID, created_at="2024-01-07T10:00:00Z",
                updated_at="2025-05-05T05:05:05.5Z")
    result = apply_import(target, parse_document(encode(newer)))
    assert result.updated_attempts == 1
    stored = target.attempt(item["uuid"])
    assert stored is not None
    assert stored.outcome is Outcome.PARTIAL and stored.reason is Reason.POLICY
    assert stored.challenge_uuid == CUSTOM_UUID
    assert stored.created_at == datetime(2024, 1, 7, 10, 0)
    assert stored.updated_at == datetime(2025, 5, 5, 5, 5, 5, 500_000)


def test_built_in_challenges_are_never_changed_and_custom_ones_follow_the_file(
    tmp_path: Path, target, source
) -> None:
    apply_import(target, parse_document(encode(source)))
    changed = copy.deepcopy(source)
    for item in changed["challenges"]:
        if item["uuid"] == BUILTIN.uuid:
            item["title"] = "Hijacked built-in"
            item["archived"] = True
        if item["uuid"] == CUSTOM_UUID:
            item["title"] = "Ask the baker for two loaves"
            item["level"] = 5
    result = apply_import(target, parse_document(encode(changed)))
    assert target.challenge(BUILTIN.uuid) == BUILTIN
    custom = target.challenge(CUSTOM_UUID)
    assert custom is not None
    assert (custom.title, custom.level, custom.is_custom) == ("Ask the baker for two loaves", 5,
                                                              True)
    assert result.updated_challenges == 1
    assert result.unchanged_challenges == len(source["challenges"]) - 1


def test_an_attempt_may_name_a_challenge_that_only_the_journal_has(tmp_path, target) -> None:
    add_custom_challenge(CUSTOM_UUID)
    document = export_document(target)
    document["challenges"] = []
    document["attempts"] = [{**document["attempts"][0], "uuid": str(uuid.uuid4()),
                             "challenge_uuid": CUSTOM_UUID}]
    document["demo"] = []  # (its demo marks named the attempts replaced here)
    plan = parse_document(encode(document))
    assert plan.needs_journal_challenge == (0,)
    assert apply_import(target, plan).added_attempts == 1


def test_a_file_with_no_challenges_list_entries_still_uses_built_ins(tmp_path, target) -> None:
    document = export_document(target)
    document["challenges"] = []
    for item in document["attempts"]:
        item["uuid"] = str(uuid.uuid4())
    document["demo"] = []  # (its demo marks named the attempts' old UUIDs)
    plan = parse_document(encode(document))
    assert plan.needs_journal_challenge == ()
    assert apply_import(target, plan).added_attempts == 25


# -- progress and cancelling ---------------------------------------------------------------

def _big_document(tmp_path: Path, entries: int) -> bytes:
    with open_journal(tmp_path / "big") as journal:
        journal.add_demo_attempts(
            generate_attempts(builtin_challenges(), entries, seed=2, today=date(2024, 6, 30))
        )
        return encode(export_document(journal))


def test_progress_is_reported_in_steps_up_to_the_total(tmp_path: Path) -> None:
    data = _big_document(tmp_path, 1_000)
    calls: list[tuple[int, int]] = []
    with open_journal(tmp_path / "fresh") as journal:
        plan = parse_document(data)
        apply_import(journal, plan, progress=lambda done, total: calls.append((done, total)))
    total = plan.total
    assert total == 1_000 + len(builtin_challenges())
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)
    assert max(b - a for a, b in itertools.pairwise(dones)) <= 200
    assert len(calls) >= total // 200


def test_a_progress_callback_that_raises_cancels_and_writes_nothing(tmp_path, source) -> None:
    data = _big_document(tmp_path, 1_000)
    with open_journal(tmp_path / "target") as journal:
        apply_import(journal, parse_document(encode(source)))
        before = content(journal)
        plan = parse_document(data)
        seen: list[int] = []

        def cancel_halfway(done: int, total: int) -> None:
            seen.append(done)
            if done >= total // 2:
                raise ImportCancelled()

        with pytest.raises(ImportCancelled, match="not changed"):
            apply_import(journal, plan, progress=cancel_halfway)
        assert 0 < seen[-1] < plan.total
        assert content(journal) == before
        assert journal.attempt_count() == 5
        # and the journal is still usable afterwards
        assert apply_import(journal, plan).added_attempts == 1_000


def test_any_exception_from_progress_propagates_and_rolls_back(tmp_path, target, source) -> None:
    before = content(target)

    def boom(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        apply_import(target, parse_document(encode(source)), progress=boom)
    assert content(target) == before


# -- refused files: where and what ---------------------------------------------------------

Mutate = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: object) -> Mutate:
    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return mutate


def _delete(path: tuple[Any, ...]) -> Mutate:
    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
    return mutate


def _custom_index(doc: dict[str, Any]) -> int:
    return next(i for i, c in enumerate(doc["challenges"]) if c["uuid"] == CUSTOM_UUID)


def _bad_category(doc: dict[str, Any]) -> None:
    doc["challenges"][_custom_index(doc)]["category"] = "sports"


def _duplicate_uuid(doc: dict[str, Any]) -> None:
    doc["attempts"][3]["uuid"] = doc["attempts"][1]["uuid"]


# (name, mutation of the source document, record, field, words the message must hold)
DOCUMENT_CASES: list[tuple[str, Mutate, str | None, str | None, str]] = [
    ("wrong format", _set(("format",), "diary"), None, "format",
     "top level: format: not a Rejection Journal export"),
    ("no format", _delete(("format",)), None, "format", "not a Rejection Journal export"),
    ("newer format_version", _set(("format_version",), 7), None, "format_version",
     "written by a newer version"),
    ("format_version as text", _set(("format_version",), "1"), None, "format_version",
     "must be a whole number"),
    ("attempts not a list", _set(("attempts",), {"a": 1}), None, "attempts", "must be a list"),
    ("no challenges", _delete(("challenges",)), None, "challenges", "is missing"),
    ("unknown top-level key", _set(("comments",), "hi"), None, "comments", "not a key"),
    ("bad exported_at", _set(("exported_at",), "yesterday"), None, "exported_at",
     "UTC timestamp"),
    ("missing key", _delete(("attempts", 1, "lesson")), "attempts[1]", "lesson", "is missing"),
    ("unknown key", _set(("attempts", 2, "mood"), "calm"), "attempts[2]", "mood",
     "not a key this version knows"),
    ("wrong type", _set(("attempts", 0, "ask"), 5), "attempts[0]", "ask",
     "must be text, not the number 5"),
    ("bool for int", _set(("attempts", 0, "anticipated_discomfort"), True), "attempts[0]",
     "anticipated_discomfort", "not the boolean true"),
    ("int for bool", _set(("attempts", 0, "asked_why"), 1), "attempts[0]", "asked_why",
     "must be true or false"),
    ("float for int", _set(("attempts", 0, "predicted_no_chance"), 50.0), "attempts[0]",
     "predicted_no_chance", "must be a whole number or null"),
    ("rating 11", _set(("attempts", 4, "anticipated_discomfort"), 11), "attempts[4]",
     "anticipated_discomfort", "anticipated_discomfort: must be from 0 to 10, not 11"),
    ("chance 101", _set(("attempts", 3, "predicted_no_chance"), 101), "attempts[3]",
     "predicted_no_chance", "must be from 0 to 100, not 101"),
    ("level 0", lambda d: d["challenges"][_custom_index(d)].update(level=0),
     "challenges[custom]", "level",
     "must be from 1 to 10"),
    ("bad date", _set(("attempts", 2, "attempted_on"), "2026-02-30"), "attempts[2]",
     "attempted_on", "2026-02-30 is not a real calendar date"),
    ("date in another layout", _set(("attempts", 2, "attempted_on"), "20240107"),
     "attempts[2]", "attempted_on", "YYYY-MM-DD"),
    ("timestamp without Z", _set(("attempts", 1, "updated_at"), "2024-01-07T08:00:00+02:00"),
     "attempts[1]", "updated_at", "ending in Z"),
    ("bad time", _set(("attempts", 1, "created_at"), "2024-01-07T25:00:00Z"), "attempts[1]",
     "created_at", "not a real date and time"),
    ("bad uuid", _set(("attempts", 1, "uuid"), "not-a-uuid"), "attempts[1]", "uuid",
     "must be a UUID"),
    ("upper-case uuid", lambda d: d["attempts"][1].update(uuid=d["attempts"][1]["uuid"].upper()),
     "attempts[1]", "uuid", "lowercase"),
    ("bad challenge_uuid", _set(("attempts", 1, "challenge_uuid"), 42), "attempts[1]",
     "challenge_uuid", "must be a UUID"),
    ("duplicate uuid", _duplicate_uuid, "attempts[3]", "uuid",
     "appears twice in the file (also attempts[1])"),
    ("unknown outcome", _set(("attempts", 0, "outcome"), "maybe"), "attempts[0]", "outcome",
     "unknown outcome 'maybe'"),
    ("reason with outcome yes", _set(("attempts", 2, "reasons"), ["timing"]), "attempts[2]",
     "reasons", "only applies when the answer was no"),
    ("rating without outcome", _set(("attempts", 3, "actual_discomfort"), 3), "attempts[3]",
     "outcome", "pick what happened"),
    ("NUL in text", _set(("attempts", 0, "reflection"), "fine\x00hidden"), "attempts[0]",
     "reflection", "NUL"),
    ("lone surrogate", _set(("attempts", 0, "worst_case"), "\ud83d alone"), "attempts[0]",
     "worst_case", "cannot be saved"),
    ("empty ask", _set(("attempts", 0, "ask"), "   "), "attempts[0]", "ask", "cannot be empty"),
    ("ask too long", _set(("attempts", 0, "ask"), "x" * (TITLE_MAX + 1)), "attempts[0]", "ask",
     "longer than 300"),
    ("unknown category", _bad_category, "challenges[custom]", "category",
     "category: unknown category 'sports'"),
    ("attempt not an object", _set(("attempts", 2), ["a", "list"]), "attempts[2]", None,
     "must be a JSON object, not a list"),
    ("NaN", _set(("attempts", 0, "anticipated_discomfort"), float("nan")), "attempts[0]",
     "anticipated_discomfort", "NaN (not allowed in JSON)"),
    ("huge number", _set(("attempts", 0, "predicted_no_chance"), 10**400), "attempts[0]",
     "predicted_no_chance", "a number with 401 digits"),
]


def _serialise(doc: dict[str, Any]) -> bytes:
    # ensure_ascii keeps lone surrogates as \ud83d escapes, as another program might write them
    return json.dumps(doc, ensure_ascii=True, indent=2).encode("ascii")


@pytest.mark.parametrize(
    ("mutate", "record", "field", "words"),
    [case[1:] for case in DOCUMENT_CASES],
    ids=[case[0] for case in DOCUMENT_CASES],
)
def test_a_bad_record_is_named_and_nothing_is_written(
    tmp_path: Path, target: Journal, source: dict[str, Any], mutate: Mutate,
    record: str | None, field: str | None, words: str,
) -> None:
    before = content(target)
    bad = copy.deepcopy(source)
    mutate(bad)
    path = tmp_path / "bad.json"
    path.write_bytes(_serialise(bad))
    with pytest.raises(ImportValidationError) as caught:
        import_file(target, path)
    error = caught.value
    message = str(error)
    assert words in message
    record = (record or "").replace("challenges[custom]",
                                    f"challenges[{_custom_index(source)}]") or None
    assert error.record == record
    assert error.field == field
    if record is not None:
        assert message.startswith(record)
        if error.uuid is not None:
            assert message.startswith(f"{record} (uuid {error.uuid}): ")
    elif error.line is None:
        assert message.startswith("top level: ")
    if field is not None:
        assert f": {field}: " in message
    assert "\n" not in message
    assert content(target) == before


def test_the_uuid_of_a_bad_record_is_in_the_message(source: dict[str, Any]) -> None:
    bad = copy.deepcopy(source)
    bad["attempts"][4]["anticipated_discomfort"] = 11
    with pytest.raises(ImportValidationError) as caught:
        parse_document(_serialise(bad))
    expected_uuid = source["attempts"][4]["uuid"]
    assert caught.value.uuid == expected_uuid
    assert str(caught.value) == (
        f"attempts[4] (uuid {expected_uuid}): anticipated_discomfort: must be from 0 to 10, "
        "not 11"
    )


def test_text_that_is_not_json_is_named_by_line_and_column(tmp_path, target, source) -> None:
    before = content(target)
    text = encode(source).decode("utf-8")
    lines = text.splitlines()
    where = next(i for i, line in enumerate(lines) if '"ask":' in line)
    lines[where] = lines[where].rstrip(",")  # drop one comma
    path = tmp_path / "bad.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportValidationError) as caught:
        import_file(target, path)
    error = caught.value
    assert error.line == where + 2  # the next key is where the parser notices
    assert error.column is not None and error.column > 0
    assert str(error) == (f"line {error.line}, column {error.column}: "
                          "not valid JSON (Expecting ',' delimiter)")
    assert error.record is None and error.field is None
    assert content(target) == before


def test_bytes_that_are_not_utf8_are_named_by_offset_and_line(tmp_path, target, source) -> None:
    before = content(target)
    data = encode(source)
    offset = data.index(b"Relieved.")
    data = data[:offset] + b"\xff" + data[offset:]
    path = tmp_path / "latin.json"
    path.write_bytes(data)
    with pytest.raises(ImportValidationError) as caught:
        import_file(target, path)
    error = caught.value
    assert error.line == data[:offset].count(b"\n") + 1
    assert str(error).startswith(f"byte {offset:,} (line {error.line}): not UTF-8 text (byte 0xff")
    assert content(target) == before


@pytest.mark.parametrize(("data", "words"), [
    (b"", "file: is empty"),
    (b"  \n ", "file: is empty"),
    (b"[1, 2]", "top level: not a Rejection Journal export (expected a JSON object, found a list)"),
    (b'"rejection-journal"', "not a Rejection Journal export"),
    (b"[" * 100_000, "file: not valid JSON (nested too deeply)"),
    (b'{"format": "rejection-journal", "format": "rejection-journal"}',
     "top level: format: appears more than once"),
    (b'{"format": "rejection-journal", "format_version": 99999999999999999999999,'
     b' "challenges": [], "attempts": []}', "written by a newer version"),
    (b'{"format": "rejection-journal", "format_version": 0, "challenges": [], "attempts": []}',
     "format_version: must be a version from 1 to 6, not 0"),
])
def test_a_file_that_is_not_an_export_at_all_is_refused(data: bytes, words: str) -> None:
    with pytest.raises(ImportValidationError) as caught:
        parse_document(data)
    assert words in str(caught.value)


def test_a_key_given_twice_in_a_record_is_refused(source: dict[str, Any]) -> None:
    text = encode(source).decode("utf-8")
    first_lesson = text.index('"lesson"')
    text = text[:first_lesson] + '"lesson": "hidden", ' + text[first_lesson:]
    with pytest.raises(ImportValidationError) as caught:
        parse_document(text)
    assert caught.value.record == "attempts[0]"
    assert caught.value.field == "lesson"
    assert "appears more than once in this record" in str(caught.value)


def test_an_attempt_naming_a_challenge_that_is_nowhere_is_refused_before_writing(
    tmp_path: Path, target: Journal, source: dict[str, Any]
) -> None:
    before = content(target)
    bad = copy.deepcopy(source)
    missing = str(uuid.uuid4())
    bad["attempts"][3]["challenge_uuid"] = missing
    plan = parse_document(encode(bad))  # the file alone cannot know: the journal might have it
    assert plan.needs_journal_challenge == (3,)
    with pytest.raises(ImportValidationError) as caught:
        apply_import(target, plan)
    assert caught.value.record == "attempts[3]"
    assert caught.value.field == "challenge_uuid"
    assert str(caught.value).startswith(
        f"attempts[3] (uuid {bad['attempts'][3]['uuid']}): challenge_uuid: no challenge"
    )
    assert content(target) == before


@pytest.mark.parametrize("key", [
    "feelings_before", "worst_case", "feelings_after", "reflection", "lesson",
])
def test_every_attempt_text_field_is_named_by_its_key(source, key: str) -> None:
    bad = copy.deepcopy(source)
    bad["attempts"][0][key] = "x" * (TEXT_MAX + 1)
    with pytest.raises(ImportValidationError) as caught:
        parse_document(encode(bad))
    assert caught.value.field == key
    assert f"attempts[0] (uuid {bad['attempts'][0]['uuid']}): {key}: is longer than" in str(
        caught.value)


@pytest.mark.parametrize(("key", "value"), [
    ("title", ""), ("how_to", "x" * (TEXT_MAX + 1)), ("respect_note", "a\x00b"),
    ("is_custom", "yes"), ("archived", None), ("uuid", ""), ("level", "3"),
])
def test_every_challenge_field_is_named_by_its_key(source, key: str, value: object) -> None:
    bad = copy.deepcopy(source)
    index = _custom_index(bad)
    bad["challenges"][index][key] = value
    with pytest.raises(ImportValidationError) as caught:
        parse_document(encode(bad))
    assert caught.value.record == f"challenges[{index}]"
    assert caught.value.field == key


def test_the_keys_the_importer_requires_are_the_keys_the_export_writes(source) -> None:
    assert tuple(source["challenges"][0]) == CHALLENGE_KEYS
    assert set(source["attempts"][0]) == set(ATTEMPT_KEYS)


def test_a_byte_order_mark_is_accepted(source: dict[str, Any]) -> None:
    plan = parse_document(b"\xef\xbb\xbf" + encode(source))
    assert len(plan.attempts) == 5


def test_metadata_keys_are_optional(source: dict[str, Any]) -> None:
    for key in ("schema_version", "app_version", "exported_at"):
        del source[key]
    plan = parse_document(encode(source))
    assert plan.exported_at is None and plan.app_version is None
    assert isinstance(plan, ImportPlan)


# -- reading the file ----------------------------------------------------------------------

def test_a_missing_file_or_a_folder_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        read_plan(tmp_path / "nope.json")
    with pytest.raises(ImportFileError, match="is a folder"):
        read_plan(tmp_path)
    assert issubclass(ImportFileError, StorageError)
    assert issubclass(ImportValidationError, StorageError)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path, target) -> None:
    before = content(target)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no disk space, no time
    limit = r"^file: is 200\.0 MB; files over 200 MB are not imported$"
    with pytest.raises(ImportValidationError, match=limit):
        import_file(target, huge)
    assert content(target) == before


# -- summary and speed ---------------------------------------------------------------------

def test_the_summary_is_one_sentence_with_every_count() -> None:
    result = ImportResult(added_attempts=1_200, updated_attempts=3, unchanged_attempts=1,
                          added_challenges=1, updated_challenges=0, unchanged_challenges=30)
    assert result.summary() == (
        "Imported 1,204 attempts: 1,200 added, 3 updated, 1 already up to date; "
        "31 challenges: 1 added, 0 updated, 30 already up to date."
    )
    assert ImportResult(unchanged_attempts=1, unchanged_challenges=1).summary() == (
        "Nothing to import: the journal already has everything in this file "
        "(1 attempt, 1 challenge)."
    )


@pytest.mark.slow
def test_ten_thousand_attempts_import_in_seconds(tmp_path: Path) -> None:
    data = _big_document(tmp_path, 10_000)
    path = tmp_path / "big.json"
    path.write_bytes(data)
    with open_journal(tmp_path / "fresh") as journal:
        start = time.perf_counter()
        result = import_file(journal, path)
        elapsed = time.perf_counter() - start
        assert result.added_attempts == 10_000
        assert journal.attempt_count() == 10_000
    # ~0.5 s on the 2-core dev machine; the bound only catches a return to row-by-row work.
    assert elapsed < 15, f"10,000 attempts took {elapsed:.1f} s"


def test_export_json_file_imports_as_is(tmp_path: Path, source) -> None:
    with open_journal(tmp_path / "again") as journal:
        apply_import(journal, parse_document(encode(source)))
        out = tmp_path / "out.json"
        export_json(journal, out)
        assert import_file(journal, out).changed is False
