"""Schema 3.4 (issue 21): an entry's experiment, waiting for an answer, a rejection that
happened to me, the way of asking — saved and read back whole, searched, and safe for the
schema-3.3 release, which opens such a journal and reads it."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import database_path
from rejection_journal.storage import migrations, open_journal
from rejection_journal.storage.search import search

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DAY = date(2026, 11, 20)

FULL = AttemptRecord(
    ask="Ask the café for a window seat", attempted_on=DAY, outcome=Outcome.PARTIAL,
    actual_discomfort=4, kind=EntryKind.ASK, ask_mode=AskMode.IN_PERSON,
    feared_outcome="The waiter rolls his eyes", fear_likelihood=70,
    safety_behaviours=("apologising", "Keeping my coat on"),
    fear_happened=FearHappened.PARTLY, fear_likelihood_after=35, surprise=7,
    safety_dropped=("apologising",))


def _install(name: str, tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    data.mkdir(mode=0o700)
    shutil.copyfile(FIXTURES / name, database_path(data))
    return data


def test_every_new_field_is_saved_and_read_back(tmp_path: Path) -> None:
    waiting = AttemptRecord(ask="Send the pitch", attempted_on=DAY, awaiting_answer=True,
                            follow_up_on=date(2026, 12, 4), ask_mode=AskMode.MESSAGE)
    hurt = AttemptRecord(ask="My friend cancelled again", attempted_on=DAY, outcome=Outcome.NO,
                         kind=EntryKind.HAPPENED_TO_ME, who_asked="Sam")
    with open_journal(tmp_path / "journal") as journal:
        for record in (FULL, waiting, hurt):
            journal.save_attempt(record)
        for record in (FULL, waiting, hurt):
            stored = journal.attempt(record.uuid)
            assert stored is not None
            assert stored.replace(created_at=record.created_at,
                                  updated_at=record.updated_at) == record


def test_the_feared_outcome_is_searched_after_the_upgrade(tmp_path: Path) -> None:
    data = _install("schema-v3.3.sqlite3", tmp_path)
    with open_journal(data) as journal:
        before = len(search("Ünïcode", 10, 0))  # the upgraded index still holds the old texts
        journal.save_attempt(FULL)
        hits = search("rolls eyes", 10, 0)
        assert [hit.uuid for hit in hits] == [FULL.uuid]
        assert hits[0].field == "feared_outcome"
        journal.save_attempt(FULL.replace(feared_outcome="Nothing at all"))
        assert search("rolls", 10, 0) == []
    assert before == 1


def test_the_schema_3_3_release_opens_a_3_4_journal_and_reads_it_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """3.4 only adds columns with defaults (and a column of the search index): the 3.3
    release finds every table and column it knows, so it opens the journal; a row it writes
    (it names only the columns it knows) reads here as a plain ask with no experiment."""
    data = tmp_path / "journal"
    with open_journal(data) as journal:
        journal.save_attempt(FULL)
    db = database_path(data)
    connection = sqlite3.connect(db)
    try:
        schema = migrations.read_schema(connection)
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        # as the 3.3 release judges it: its newest schema is 3.3, it knows no 3.4
        known = {v: s for v, s in migrations.KNOWN_SCHEMAS.items()
                 if v <= migrations.SchemaVersion(3, 3)}
        monkeypatch.setattr(migrations, "KNOWN_SCHEMAS", known)
        monkeypatch.setattr(migrations, "SCHEMA", migrations.SchemaVersion(3, 3))
        assert not migrations.is_newer(version)
        assert not migrations.is_foreign(version, schema)
        monkeypatch.undo()
        # the 3.3 release writes an entry with its columns only, and edits FULL's texts
        connection.execute(
            'INSERT INTO "attempt" ("uuid", "ask", "attempted_on", "feelings_before", '
            '"worst_case", "feelings_after", "asked_why", "reflection", "lesson", '
            '"created_at", "updated_at", "revision", "earlier_revisions", "who_asked", '
            '"reasons", "other_reason") VALUES (?, ?, ?, \'\', \'\', \'\', 0, \'\', \'\', ?, ?, '
            "'', '', '', '', '')",
            ("0d1e2f30-4a5b-4c6d-8e7f-8091a2b3c4d5", "Ask written by 3.3", DAY.isoformat(),
             "2026-11-20 10:00:00", "2026-11-20 10:00:00"))
        connection.execute('UPDATE "attempt" SET "lesson" = ? WHERE "uuid" = ?',
                           ("Edited by 3.3", FULL.uuid))
        connection.commit()
    finally:
        connection.close()
    with open_journal(data) as journal:
        old = journal.attempt("0d1e2f30-4a5b-4c6d-8e7f-8091a2b3c4d5")
        edited = journal.attempt(FULL.uuid)
        assert search("Edited", 10, 0)[0].uuid == FULL.uuid  # the index kept in step
        assert search("rolls", 10, 0)[0].uuid == FULL.uuid
    assert old is not None and edited is not None
    assert (old.kind, old.feared_outcome, old.fear_likelihood, old.awaiting_answer,
            old.safety_behaviours, old.ask_mode) == (EntryKind.ASK, "", None, False, (), None)
    # what the 3.3 release did not know of is kept through its edit
    assert edited.replace(lesson=FULL.lesson, created_at=FULL.created_at,
                          updated_at=FULL.updated_at) == FULL


def test_schema_3_4_is_a_minor_version_that_only_adds() -> None:
    new = migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 4)]
    old = migrations.KNOWN_SCHEMAS[migrations.SchemaVersion(3, 3)]
    assert set(new) == set(old)
    assert all(old[table] <= new[table] for table in old)
    assert new["attempt_fts"] - old["attempt_fts"] == {"feared_outcome"}
