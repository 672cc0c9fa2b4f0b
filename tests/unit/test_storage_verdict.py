""""Damaged" only when SQLite itself cannot read the journal (its -wal counted), or it is not
a Rejection Journal at all; header facts alone never condemn a journal that SQLite reads."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import migrations, open_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.errors import DamagedJournalError
from rejection_journal.storage.health import DamageKind, check_journal, damaged_copies

from .damage import crash_after_saving, fill, snapshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _page_count(header: bytes) -> int:
    return int.from_bytes(header[28:32], "big")


def _checkpointed_copy(path: Path, scratch: Path) -> bytes:
    """The journal file as a full checkpoint of its log would leave it."""
    scratch.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(path.with_name(path.name + suffix), scratch / (path.name + suffix))
    conn = sqlite3.connect(scratch / path.name)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()
    return (scratch / path.name).read_bytes()


@pytest.mark.parametrize("extra", [0, 100], ids=["header ahead of the file", "cut mid-page"])
@pytest.mark.subprocess
def test_a_checkpoint_killed_half_way_with_its_log_intact_is_healthy(
    extra: int, data_dir: Path, tmp_path: Path
) -> None:
    """kill -9 during a checkpoint: page 1 (the new page count) is written first, the file
    grows after it, and the log still holds every committed page. SQLite reads it whole."""
    kept = fill(data_dir, 20)
    path = database_path(data_dir)
    create_backup(path, backups_dir(data_dir), "daily")  # so "restore" would be offered
    old_size = path.stat().st_size
    late = crash_after_saving(data_dir, 300)  # the journal grows in its log only
    done = _checkpointed_copy(path, tmp_path / "scratch")
    assert _page_count(done) * 4096 > old_size
    with path.open("r+b") as handle:  # what the killed checkpoint had written so far
        handle.write(done[: old_size + extra])
    assert _page_count(path.read_bytes()[:100]) * 4096 > path.stat().st_size
    before = snapshot(data_dir)

    assert check_journal(path) is None
    assert snapshot(data_dir) == before
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == kept | late
        assert journal.attempt_count() == len(kept | late)


@pytest.mark.subprocess
def test_an_empty_file_beside_a_log_and_no_backups_is_a_new_journal(data_dir: Path,
                                                                     tmp_path: Path) -> None:
    """A new journal killed in its first open: SQLite reads an empty database (and would
    delete the log); the app opens it as new and keeps the log aside, not deleted."""
    other = tmp_path / "other"
    fill(other, 3)
    crash_after_saving(other, 2)
    data_dir.mkdir()
    path = database_path(data_dir)
    path.write_bytes(b"")
    log = (database_path(other).with_name("journal.sqlite3-wal")).read_bytes()
    path.with_name("journal.sqlite3-wal").write_bytes(log)

    assert check_journal(path) is None
    with open_journal(data_dir) as journal:
        assert journal.attempt_count() == 0
        assert journal.challenges()
    kept = [p for p in data_dir.iterdir() if p.name.endswith("-wal") and "damaged" in p.name]
    assert [p.read_bytes() for p in kept] == [log]


def test_an_empty_file_that_held_entries_is_still_damage(data_dir: Path) -> None:
    fill(data_dir, 3)
    path = database_path(data_dir)
    create_backup(path, backups_dir(data_dir), "manual")
    path.write_bytes(b"")
    damage = check_journal(path)
    assert damage is not None and damage.kind is DamageKind.EMPTY


def _foreign(path: Path, *, version: int = 1) -> None:
    """Same table names as a journal, other columns: another program's database."""
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE challenge (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE attempt (id INTEGER PRIMARY KEY, challenge_id INTEGER, note TEXT)")
    conn.execute("INSERT INTO attempt (note) VALUES ('not ours')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("version", [0, 1])
def test_a_foreign_database_in_place_of_the_journal_is_damage_with_recovery(
    version: int, data_dir: Path
) -> None:
    fill(data_dir, 5)
    path = database_path(data_dir)
    backup = create_backup(path, backups_dir(data_dir), "manual")
    _foreign(path, version=version)
    before = snapshot(data_dir)

    damage = check_journal(path)
    assert damage is not None and damage.kind is DamageKind.FOREIGN
    assert "not a Rejection Journal" in damage.message and "\n" not in damage.message
    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.damage.kind is DamageKind.FOREIGN
    assert caught.value.backup == backup.path
    assert snapshot(data_dir) == before
    assert damaged_copies(data_dir) == []


def test_the_known_schemas_describe_every_version_and_what_the_app_creates(
    data_dir: Path,
) -> None:
    assert sorted(migrations.KNOWN_SCHEMAS) == [target for target, _ in migrations.MIGRATIONS]
    with open_journal(data_dir):
        pass
    conn = sqlite3.connect(database_path(data_dir))
    try:
        created = migrations.read_schema(conn)
    finally:
        conn.close()
    assert created == migrations.KNOWN_SCHEMAS[migrations.SCHEMA]
    for version, schema in migrations.KNOWN_SCHEMAS.items():
        name = str(version) if version.minor else str(version.major)
        fixture = FIXTURES / f"schema-v{name}.sqlite3"
        conn = sqlite3.connect(f"file:{fixture}?mode=ro&immutable=1", uri=True)
        try:
            assert migrations.read_schema(conn) == schema
        finally:
            conn.close()
