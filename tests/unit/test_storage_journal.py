"""The journal on disk: a private SQLite file that keeps entries safe."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.library import LibrarySync, builtin_challenges
from rejection_journal.domain.records import AttemptRecord, ValidationError
from rejection_journal.paths import DB_FILENAME
from rejection_journal.storage import (
    JournalNotEmptyError,
    NewerJournalError,
    StorageError,
    migrations,
    open_journal,
)
from rejection_journal.storage.models import Attempt, current_database, database
from rejection_journal.storage.revisions import revision
from rejection_journal.storage.rows import attempt_row

OLD = datetime(2020, 1, 1, 12, 0, 0)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- opening -------------------------------------------------------------------------------

def test_opening_creates_a_private_folder_and_file(journal, data_dir: Path) -> None:
    assert journal.path == data_dir / DB_FILENAME
    assert _mode(data_dir) == 0o700
    assert _mode(journal.path) == 0o600


def test_opening_tightens_an_existing_open_folder_and_file(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    open_journal(data_dir).close()
    os.chmod(data_dir / DB_FILENAME, 0o644)
    with open_journal(data_dir) as journal:
        assert _mode(data_dir) == 0o700
        assert _mode(journal.path) == 0o600


def test_the_write_ahead_log_is_private_too(journal, make_attempt) -> None:
    journal.save_attempt(make_attempt())
    wal = journal.path.with_name(journal.path.name + "-wal")
    assert wal.exists()
    assert _mode(wal) == 0o600


def test_schema_version_and_safety_pragmas(journal) -> None:
    assert database.pragma("user_version") == migrations.SCHEMA.user_version
    assert database.pragma("journal_mode") == "wal"
    assert database.pragma("foreign_keys") == 1
    assert database.pragma("synchronous") == 2  # FULL: a saved entry survives a power cut
    with sqlite3.connect(journal.path) as other:
        assert other.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA.user_version
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_a_new_journal_has_the_built_in_challenges(journal) -> None:
    stored = journal.challenges()
    assert {c.uuid for c in stored} == {c.uuid for c in builtin_challenges()}
    assert sorted(stored, key=lambda c: (c.level, c.title)) == stored  # easiest first
    by_uuid = {c.uuid: c for c in stored}
    for builtin in builtin_challenges():
        assert by_uuid[builtin.uuid] == builtin
    assert journal.challenge(builtin_challenges()[0].uuid) == builtin_challenges()[0]
    assert journal.challenge("no-such-uuid") is None


def test_reopening_keeps_entries_and_does_not_duplicate_challenges(
    data_dir: Path, make_attempt
) -> None:
    with open_journal(data_dir) as journal:
        saved = journal.save_attempt(make_attempt())
    with open_journal(data_dir) as journal:
        assert journal.sync_builtin_challenges() == LibrarySync(added=0, updated=0)
        assert len(journal.challenges(include_archived=True)) == len(builtin_challenges())
        assert journal.attempts() == [saved]


def test_challenges_added_in_a_new_version_appear_on_reopening(data_dir: Path) -> None:
    missing = builtin_challenges()[3]
    open_journal(data_dir).close()
    with sqlite3.connect(data_dir / DB_FILENAME) as raw:
        raw.execute("DELETE FROM challenge WHERE uuid = ?", (missing.uuid,))
    raw.close()
    with open_journal(data_dir) as journal:
        assert journal.challenge(missing.uuid) == missing
        assert len(journal.challenges()) == len(builtin_challenges())


def test_a_journal_from_a_newer_app_is_refused_and_left_byte_for_byte(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILENAME
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE future (x)")
    raw.execute("INSERT INTO future VALUES ('precious')")
    raw.execute("PRAGMA user_version = 99")
    raw.commit()
    raw.close()
    before = _sha256(path)
    with pytest.raises(NewerJournalError, match="newer version"):
        open_journal(data_dir)
    assert _sha256(path) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]
    assert current_database() is None


def test_a_file_that_is_not_a_journal_is_refused_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / DB_FILENAME
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = _sha256(path)
    with pytest.raises(StorageError):
        open_journal(data_dir)
    assert _sha256(path) == before
    assert current_database() is None


def test_a_refused_journal_does_not_stop_another_from_opening(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / DB_FILENAME).write_bytes(b"not a database" * 100)
    with pytest.raises(StorageError):
        open_journal(bad)
    with open_journal(tmp_path / "good") as journal:
        assert journal.attempt_count() == 0


def test_a_data_folder_that_is_a_file_is_reported_as_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "journal"
    blocker.write_text("in the way")
    with pytest.raises(StorageError):
        open_journal(blocker)
    assert blocker.read_text() == "in the way"


# -- saving --------------------------------------------------------------------------------

def test_save_inserts_and_returns_what_was_stored(journal, make_attempt) -> None:
    record = make_attempt(created_at=OLD, updated_at=OLD)
    stored = journal.save_attempt(record)
    assert stored.replace(updated_at=OLD) == record
    assert stored.created_at == OLD
    assert stored.updated_at > OLD
    assert journal.attempt(record.uuid) == stored
    assert journal.attempt_count() == 1


def test_saving_the_same_uuid_again_updates_in_place(journal, make_attempt) -> None:
    first = journal.save_attempt(make_attempt(created_at=OLD, updated_at=OLD))
    edited = first.replace(
        lesson="Slow down.", actual_discomfort=1, outcome=Outcome.PARTIAL,
        reasons=(Reason.REQUEST_SIZE,), created_at=datetime(2023, 5, 5), updated_at=OLD,
    )
    second = journal.save_attempt(edited)
    assert journal.attempt_count() == 1
    assert second.uuid == first.uuid
    assert second.lesson == "Slow down."
    assert second.outcome is Outcome.PARTIAL
    assert second.reason is Reason.REQUEST_SIZE
    assert second.actual_discomfort == 1
    assert second.created_at == OLD  # when it was first written never changes
    assert second.updated_at > OLD
    assert second.updated_at >= first.updated_at


def test_what_a_save_returns_is_what_reading_the_entry_back_gives(journal) -> None:
    # The save path does not read an entry back after writing it (Ctrl+S stays cheap): what
    # it returns must be exactly what the journal then holds, for entries of every shape,
    # new and edited (an edit keeps the first created_at), with or without a challenge.
    made = generate_attempts(builtin_challenges(), 60, seed=3, today=date(2024, 6, 1))
    made += [made[0].replace(uuid="a" * 36, challenge_uuid=None, created_at=OLD),
             made[1].replace(uuid="b" * 36, created_at=datetime(2021, 2, 3, 4, 5, 6, 789))]
    for record in made:
        stored = journal.save_attempt(record)
        assert stored == journal.attempt(record.uuid)
        assert stored == journal.attempts_by_uuid([record.uuid])[record.uuid]
    for record in made[::7]:
        edited = record.replace(lesson=record.lesson + " Again.", created_at=datetime(2023, 1, 1))
        before, stored = journal.save_attempt_from(edited)
        assert before == journal.attempt_versions(record.uuid)[0].record
        assert stored == journal.attempt(record.uuid)
        assert stored.created_at == before.created_at


def test_the_save_path_writes_the_row_peewee_writes(journal, make_attempt) -> None:
    # The save path sends its own prepared SQL; the row must be what peewee's insert (with
    # the model's defaults) and update write, column for column.
    record = make_attempt(created_at=OLD, updated_at=OLD)
    journal.save_attempt(record)
    stored = journal.attempt(record.uuid)
    twin = stored.replace(uuid="c" * 36)
    Attempt.insert(**attempt_row(twin)).execute()

    def raw(uuid: str) -> tuple[object, ...]:
        row = database.execute_sql('SELECT * FROM "attempt" WHERE "uuid" = ?', (uuid,)).fetchone()
        return tuple(row[2:])  # not id, uuid

    assert raw(record.uuid) == raw(twin.uuid)
    edited = journal.save_attempt(stored.replace(lesson="Changed."))
    Attempt.update(**{k: v for k, v in attempt_row(edited.replace(uuid=twin.uuid)).items()
                      if k != "created_at"},
                   earlier_revisions=revision(stored)).where(Attempt.uuid == twin.uuid).execute()
    assert raw(record.uuid) == raw(twin.uuid)


def test_an_open_entry_can_be_finished_later(journal) -> None:
    before = AttemptRecord(ask="Ask a neighbour for sugar", attempted_on=date(2024, 2, 2),
                           anticipated_discomfort=7, predicted_no_chance=60)
    stored = journal.save_attempt(before)
    assert stored.is_open
    finished = journal.save_attempt(stored.replace(outcome=Outcome.YES, actual_discomfort=2))
    assert not finished.is_open
    assert finished.gap == 5
    assert journal.attempts() == [finished]


def test_free_form_text_comes_back_exactly(journal, make_attempt) -> None:
    text = "Line one\nLine two\r\n\ttabbed — «quotes» 'single' \"double\" 😬 مرحبا 日本語"
    stored = journal.save_attempt(make_attempt(challenge_uuid=None, ask="Free ask 🎯",
                                               feelings_before=text, reflection=text))
    assert stored.challenge_uuid is None
    assert stored.ask == "Free ask 🎯"
    assert stored.feelings_before == text
    assert stored.reflection == text


def test_an_invalid_entry_is_refused_and_nothing_changes(journal, make_attempt) -> None:
    kept = journal.save_attempt(make_attempt())
    with pytest.raises(ValidationError) as caught:
        journal.save_attempt(kept.replace(anticipated_discomfort=11))
    assert caught.value.field == "Anticipated discomfort"
    with pytest.raises(ValidationError):
        journal.save_attempt(make_attempt(ask=""))
    assert journal.attempts() == [kept]


def test_text_the_database_cannot_hold_is_refused_with_a_field_name(journal, make_attempt) -> None:
    with pytest.raises(ValidationError) as caught:
        journal.save_attempt(make_attempt(reflection="half an emoji \ud83d"))
    assert caught.value.field == "Reflection"
    assert journal.attempt_count() == 0


def test_an_unknown_challenge_is_refused_and_nothing_is_written(journal, make_attempt) -> None:
    with pytest.raises(StorageError, match="Unknown challenge"):
        journal.save_attempt(make_attempt(challenge_uuid="not-a-challenge"))
    assert journal.attempt_count() == 0
    kept = journal.save_attempt(make_attempt())
    with pytest.raises(StorageError):
        journal.save_attempt(kept.replace(challenge_uuid="not-a-challenge", lesson="lost"))
    assert journal.attempts() == [kept]


def test_delete_removes_only_that_entry(journal, make_attempt) -> None:
    gone = journal.save_attempt(make_attempt())
    kept = journal.save_attempt(make_attempt())
    assert journal.delete_attempt(gone.uuid) is True
    assert journal.attempt(gone.uuid) is None
    assert journal.delete_attempt(gone.uuid) is False
    assert journal.attempts() == [kept]


# -- reading -------------------------------------------------------------------------------

def test_entries_list_is_newest_first_and_attempts_oldest_first(journal, make_attempt) -> None:
    day = date(2024, 5, 1)
    early = journal.save_attempt(make_attempt(attempted_on=day, created_at=datetime(2024, 5, 1, 9)))
    late = journal.save_attempt(make_attempt(attempted_on=day, created_at=datetime(2024, 5, 1, 18)))
    older = journal.save_attempt(make_attempt(attempted_on=date(2024, 4, 1)))
    newest = journal.save_attempt(make_attempt(attempted_on=date(2024, 6, 1)))
    assert journal.attempt_uuids_sorted() == [newest.uuid, late.uuid, early.uuid, older.uuid]
    assert [a.uuid for a in journal.attempts()] == [older.uuid, early.uuid, late.uuid,
                                                    newest.uuid]


def test_thousands_of_entries_load_by_uuid(journal) -> None:
    demo = generate_attempts(builtin_challenges(), 1200, seed=2, today=date(2024, 6, 30))
    assert journal.add_demo_attempts(demo) == 1200
    uuids = journal.attempt_uuids_sorted()
    assert len(uuids) == 1200
    loaded = journal.attempts_by_uuid([*uuids, "missing-uuid"])
    assert set(loaded) == set(uuids)
    assert loaded == {a.uuid: a for a in demo}


# -- demo data -----------------------------------------------------------------------------

def test_demo_data_goes_into_an_empty_journal(journal) -> None:
    demo = generate_attempts(builtin_challenges(), 50, seed=1, today=date(2024, 6, 30))
    assert journal.add_demo_attempts(demo) == 50
    assert journal.attempt_count() == 50
    assert {a.uuid: a for a in journal.attempts()} == {a.uuid: a for a in demo}


def test_demo_data_never_mixes_with_real_entries(journal, make_attempt) -> None:
    real = journal.save_attempt(make_attempt())
    demo = generate_attempts(builtin_challenges(), 20, seed=1, today=date(2024, 3, 10))
    with pytest.raises(JournalNotEmptyError, match="already has entries"):
        journal.add_demo_attempts(demo)
    assert journal.attempts() == [real]


def test_demo_data_is_all_or_nothing(journal, make_attempt) -> None:
    demo = generate_attempts(builtin_challenges(), 30, seed=1, today=date(2024, 3, 10))
    with pytest.raises(StorageError):
        journal.add_demo_attempts([*demo, make_attempt(challenge_uuid="nope")])
    assert journal.attempt_count() == 0
    with pytest.raises(ValidationError):
        journal.add_demo_attempts([*demo, make_attempt(predicted_no_chance=101)])
    assert journal.attempt_count() == 0


def test_a_file_where_the_journal_folder_should_be_is_explained(tmp_path: Path) -> None:
    from rejection_journal.storage import EnvironmentStorageError

    blocker = tmp_path / "journal"
    blocker.write_text("not a folder")
    with pytest.raises(EnvironmentStorageError, match="is a file, not a folder"):
        open_journal(blocker)
    assert blocker.read_text() == "not a folder"


# -- a journal owns its database -------------------------------------------------------------

def _entry(ask: str) -> AttemptRecord:
    return AttemptRecord(ask=ask, attempted_on=date(2026, 11, 20))


def test_opening_a_second_journal_is_refused_and_the_first_keeps_its_saves(
    tmp_path: Path,
) -> None:
    from rejection_journal.storage.journal import JournalAlreadyOpenError

    first = open_journal(tmp_path / "a")
    try:
        with pytest.raises(JournalAlreadyOpenError, match="still open"):
            open_journal(tmp_path / "b")
        saved = first.save_attempt(_entry("Meant for journal A"))
    finally:
        first.close()
    assert not (tmp_path / "b" / "journal.sqlite3").exists()
    with open_journal(tmp_path / "a") as again:
        assert again.attempt(saved.uuid) is not None


def test_a_closed_journal_refuses_work_instead_of_writing_into_another(tmp_path: Path) -> None:
    first = open_journal(tmp_path / "a")
    first.close()
    with open_journal(tmp_path / "b") as second:
        with pytest.raises(StorageError, match="is closed"):
            first.save_attempt(_entry("Meant for journal A"))
        with pytest.raises(StorageError, match="is closed"):
            first.attempt_count()
        assert second.attempt_count() == 0, "nothing landed in B"
    assert current_database() is None


def test_the_database_class_can_be_swapped_without_touching_queries(tmp_path: Path) -> None:
    """SQLCipher later: any JournalDatabase subclass serves every query, also after reopen()."""
    from rejection_journal.storage.models import JournalDatabase

    class CountingDatabase(JournalDatabase):
        statements = 0

        def execute_sql(self, sql, params=None, *args, **kwargs):
            CountingDatabase.statements += 1
            return super().execute_sql(sql, params, *args, **kwargs)

    with open_journal(tmp_path / "a", database_class=CountingDatabase) as journal:
        assert isinstance(current_database(), CountingDatabase)
        before = CountingDatabase.statements
        journal.save_attempt(_entry("Through the swapped class"))
        assert journal.attempt_count() == 1
        assert CountingDatabase.statements > before
        journal.reopen()
        assert isinstance(current_database(), CountingDatabase)
        assert journal.attempt_count() == 1
