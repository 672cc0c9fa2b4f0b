"""Issue 19 item 5: storage by concern — one write wrapper, the save SQL from the model, no
module with more than one job or over 800 lines."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal
from rejection_journal.storage.entries import save_statements
from rejection_journal.storage.errors import EnvironmentStorageError
from rejection_journal.storage.models import Attempt, database

PACKAGE = Path(__file__).parents[2] / "rejection_journal"


@contextlib.contextmanager
def _write_locked(journal: Journal, how: str) -> Iterator[None]:
    """A second, real SQLite connection holds the journal's write lock meanwhile."""
    database.execute_sql("PRAGMA busy_timeout = 100")  # wait 0.1 s for the lock, not 5
    other = sqlite3.connect(journal.path, isolation_level=None)
    other.execute(f"BEGIN {how}")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("how", ["IMMEDIATE", "EXCLUSIVE"])
def test_a_delete_under_a_write_lock_says_what_a_save_says_and_keeps_the_entry(
    journal: Journal, how: str
) -> None:
    service = JournalService(journal)
    entry = service.save(AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 5, 1)))
    with _write_locked(journal, how):
        with pytest.raises(EnvironmentStorageError) as saving:
            service.save(entry.replace(lesson="Changed"))
        with pytest.raises(EnvironmentStorageError) as deleting:
            service.delete(entry.uuid)
    assert str(deleting.value) == str(saving.value) == (
        "The journal is busy in another program. Close it and try again.")
    assert service.attempt(entry.uuid) == entry
    assert service.delete(entry.uuid) == entry, "once the lock is gone, it deletes"


def _non_default(field_name: str) -> object:
    """A value for the model field ``field_name`` that is neither empty nor its default."""
    values: dict[str, object] = {
        "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "challenge": None,  # set from the record's challenge below
        "attempted_on": date(2024, 5, 1),
        "outcome": Outcome.NO,
        "reasons": (Reason.TIMING, Reason.POLICY),
        "asked_why": True,
        "hopefulness": 1,  # from -2 to 2
        "kind": EntryKind.HAPPENED_TO_ME,
        "ask_mode": AskMode.MESSAGE,
        "fear_happened": FearHappened.PARTLY,
        "safety_behaviours": ("script", "My own"),
        "safety_dropped": ("script",),
        # (only while waiting for an answer, with no outcome: saved in a second entry)
        "awaiting_answer": True,
        "follow_up_on": date(2024, 5, 14),
        "created_at": datetime(2024, 5, 1, 9, 30),
        "updated_at": datetime(2024, 5, 1, 9, 31),
    }
    if field_name in values:
        return values[field_name]
    field = Attempt._meta.fields[field_name]
    if field.field_type == "INT":
        return 3
    return f"written in {field_name}"


def test_every_column_of_the_model_is_saved_and_read_back(journal: Journal) -> None:
    """The save SQL is built from the model: every column but the row id is written (the
    earlier revisions by the history), so a field added to the model cannot be dropped."""
    statements = save_statements()
    written = {field.name for field in statements.fields}
    model = {field.name for field in Attempt._meta.sorted_fields}
    assert written == model - {"id", "earlier_revisions"}
    for name in model - {"id"}:
        assert f'"{Attempt._meta.fields[name].column_name}"' in statements.insert, name

    challenge = journal.challenges()[0]
    waiting = {"awaiting_answer", "follow_up_on"}
    values = {name: _non_default(name) for name in written
              if name not in ("challenge", "revision", *waiting)}
    record = AttemptRecord(ask="", attempted_on=date(2024, 1, 1),
                           challenge_uuid=challenge.uuid).replace(**values)
    stored = journal.save_attempt(record)
    assert journal.attempt(stored.uuid) == stored
    edited = journal.save_attempt(stored.replace(lesson="Edited"))
    assert journal.attempt(stored.uuid) == edited
    # waiting for an answer: an entry with no outcome yet
    waits = journal.save_attempt(AttemptRecord(
        ask="Waiting", attempted_on=date(2024, 1, 2),
        **{name: _non_default(name) for name in waiting}))  # type: ignore[arg-type]
    assert journal.attempt(waits.uuid) == waits

    connection = sqlite3.connect(f"file:{journal.path}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        row, waiting_row = connection.execute("SELECT * FROM attempt ORDER BY id").fetchall()
    finally:
        connection.close()
    for name in model - {"id"}:
        field = Attempt._meta.fields[name]
        value = (waiting_row if name in waiting else row)[field.column_name]
        assert value is not None and value != field.default, name


def test_no_module_is_over_800_lines() -> None:
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 800}
    assert long == {}
