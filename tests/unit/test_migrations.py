"""Every released schema's journal upgrades to the current one; a failed step changes nothing."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from rejection_journal.domain.library import builtin_challenges
from rejection_journal.paths import database_path
from rejection_journal.storage import NewerJournalError, migrations, open_journal
from rejection_journal.storage.export import export_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _fixtures() -> dict[int, Path]:
    found = {}
    for path in FIXTURES.glob("schema-v*.sqlite3"):
        match = re.fullmatch(r"schema-v(\d+)\.sqlite3", path.name)
        assert match, path
        found[int(match[1])] = path
    return found


def _install(fixture: Path, tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    data.mkdir(mode=0o700)
    shutil.copyfile(fixture, database_path(data))
    return data


def test_there_is_a_fixture_for_every_released_schema() -> None:
    assert sorted(_fixtures()) == list(range(1, migrations.SCHEMA_VERSION + 1)), (
        "add one with tests/fixtures/make_schema_fixture.py when a schema is released"
    )


@pytest.mark.parametrize("version", sorted(_fixtures()))
def test_released_journal_upgrades_and_keeps_everything(version: int, tmp_path: Path) -> None:
    fixture = _fixtures()[version]
    expected = json.loads(fixture.with_suffix(".expected.json").read_text("utf-8"))
    data = _install(fixture, tmp_path)
    with open_journal(data) as journal:
        assert int(journal_pragma("user_version")) == migrations.SCHEMA_VERSION
        assert journal_pragma("integrity_check") == "ok"
        document = export_document(journal)
    assert document["attempts"] == expected["attempts"]
    challenges = {c["uuid"]: c for c in document["challenges"]}
    library = {c.uuid: c for c in builtin_challenges()}
    for challenge in expected["challenges"]:
        if challenge["is_custom"] or challenge["uuid"] not in library:
            assert challenges[challenge["uuid"]] == challenge
        else:  # built-in texts follow the library the app ships; the archive flag is kept
            built_in = library[challenge["uuid"]]
            assert challenges[challenge["uuid"]] == {
                **challenge, "title": built_in.title, "how_to": built_in.how_to,
                "respect_note": built_in.respect_note, "level": built_in.level,
                "category": built_in.category.value,
            }
    assert set(library) <= set(challenges)
    assert any(c["is_custom"] for c in document["challenges"])


def journal_pragma(name: str) -> str:
    from rejection_journal.storage.models import database

    return str(database.pragma(name))


def _columns(db: Path, table: str) -> list[str]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def test_a_failed_migration_changes_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = _install(_fixtures()[1], tmp_path)
    with open_journal(data) as journal:
        before = export_document(journal)

    def broken_step(db: SqliteDatabase) -> None:
        db.execute_sql("ALTER TABLE attempt ADD COLUMN mood TEXT")
        db.execute_sql("UPDATE attempt SET ask = 'overwritten'")
        raise RuntimeError("step failed half-way")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken_step))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", migrations.SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError, match="half-way"):
        open_journal(data)
    from rejection_journal.storage.models import database

    assert database.is_closed(), "a failed open leaves no connection behind"
    monkeypatch.undo()

    assert "mood" not in _columns(database_path(data), "attempt")
    with open_journal(data) as journal:
        assert int(journal_pragma("user_version")) == 1
        after = export_document(journal)
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before


def test_a_journal_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    data = _install(_fixtures()[1], tmp_path)
    db = database_path(data)
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    connection.close()
    before = db.read_bytes()
    with pytest.raises(NewerJournalError, match="newer version"):
        open_journal(data)
    assert db.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["journal.sqlite3"]
