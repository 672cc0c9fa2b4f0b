"""Backups: checked, private, self-contained copies, rotated by kind, and restorable."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rejection_journal.domain.records import utcnow
from rejection_journal.paths import DB_FILENAME, backups_dir, database_path
from rejection_journal.services import JournalService
from rejection_journal.storage import (
    EnvironmentStorageError,
    StorageError,
    migrations,
    open_journal,
)
from rejection_journal.storage.backup import create_backup, daily_backup_if_due
from rejection_journal.storage.backup_check import verify_backup
from rejection_journal.storage.backup_list import (
    KEEP,
    KEEP_DAILY,
    KEEP_PRE_RESTORE,
    BackupInfo,
    checksum_path,
    choose_backups_folder,
    list_backups,
    rotate,
)
from rejection_journal.storage.errors import DamagedJournalError
from rejection_journal.storage.health import check_journal
from rejection_journal.storage.models import current_database, database
from rejection_journal.storage.restore import foreign_backup_note, restore_backup

from .damage import (
    corrupt_attempt_tree,
    crash_after_saving,
    fill,
    journal_id,
    snapshot,
    stored_uuids,
)

DAY = datetime(2026, 3, 1, 12, 0, 0)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        verdict: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict
    finally:
        conn.close()


@pytest.fixture
def small(data_dir: Path) -> tuple[Path, set[str]]:
    """A closed journal with 20 attempts: (its file, their UUIDs)."""
    return database_path(data_dir), fill(data_dir, 20)


# -- making a backup -----------------------------------------------------------------------

def test_a_backup_taken_while_the_journal_is_open_has_every_saved_attempt(
    small, make_attempt
) -> None:
    path, earlier = small
    with open_journal(path.parent) as journal:
        saved = {journal.save_attempt(make_attempt()).uuid for _ in range(25)}
        # The saves are committed but still in the write-ahead log, not in the journal file.
        assert journal.path.with_name(DB_FILENAME + "-wal").stat().st_size > 0
        assert stored_uuids(journal.path) == earlier

        info = journal.backup()

        assert info.kind == "manual"
        assert info.path.parent == backups_dir(journal.data_dir)
        assert stored_uuids(info.path) == earlier | saved
        assert _integrity(info.path) == "ok"
        header = info.path.read_bytes()[:100]
        assert header[18:20] == b"\x01\x01"  # rollback journal: one self-contained file
        assert sorted(p.name for p in info.path.parent.iterdir()) == [
            info.path.name, info.path.name + ".sha256"]  # the backup and its checksum
        assert info.size == info.path.stat().st_size
        assert list_backups(info.path.parent) == [info]
        # The open journal carries on as before.
        later = journal.save_attempt(make_attempt())
        assert journal.attempt(later.uuid) == later


@pytest.fixture
def open_umask():
    old = os.umask(0o000)  # the most permissive umask must still give private backups
    yield
    os.umask(old)


def test_backups_are_private(small, open_umask) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    info = create_backup(path, folder, "daily")
    assert _mode(folder) == 0o700
    assert _mode(info.path) == 0o600


def test_the_file_name_carries_kind_and_utc_time(small) -> None:
    path, _ = small
    info = create_backup(path, backups_dir(path.parent), "pre-import",
                         now=datetime(2026, 11, 23, 18, 30, 5, 123456))
    assert info.path.name == "journal-20261123T183005Z-pre-import.sqlite3"
    assert info.created_at == datetime(2026, 11, 23, 18, 30, 5)
    assert info.kind == "pre-import"


def test_backups_in_the_same_second_get_their_own_names(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    made = [create_backup(path, folder, "manual", now=DAY) for _ in range(3)]
    assert len({b.path for b in made}) == 3
    assert list_backups(folder) == made[::-1]  # newest first


def test_listing_is_newest_first_and_ignores_other_files(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    kinds = ["daily", "manual", "pre-migration", "pre-import", "pre-restore"]
    made = [create_backup(path, folder, kind, now=DAY + timedelta(hours=i))
            for i, kind in enumerate(kinds)]
    for name in ("notes.txt", "journal-2026-bad-daily.sqlite3", ".journal-abc.tmp",
                 "journal-20260301T120000Z-weekly.sqlite3"):
        (folder / name).write_text("not a backup")
    (folder / "journal-20990101T000000Z-daily.sqlite3").mkdir()
    assert list_backups(folder) == made[::-1]
    assert list_backups(path.parent / "no-such-folder") == []


def test_an_unknown_kind_is_refused(small) -> None:
    path, _ = small
    with pytest.raises(ValueError, match="unknown backup kind"):
        create_backup(path, backups_dir(path.parent), "weekly")


def test_there_is_nothing_to_back_up_without_a_journal(data_dir: Path) -> None:
    with pytest.raises(StorageError, match="no journal"):
        create_backup(database_path(data_dir), backups_dir(data_dir), "manual")
    assert not data_dir.exists()


_DISK_FULL = """
import resource, signal, sys
from pathlib import Path
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.errors import StorageError

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    create_backup(Path(sys.argv[1]), Path(sys.argv[2]), "manual")
except StorageError as exc:
    print(type(exc).__name__, exc, sep="|")
else:
    print("made a backup")
"""


@pytest.mark.subprocess
def test_a_full_disk_leaves_no_half_written_backup(data_dir: Path) -> None:
    fill(data_dir, 1500)
    path = database_path(data_dir)
    folder = backups_dir(data_dir)
    assert path.stat().st_size > 400_000
    before = snapshot(data_dir)
    # The process may write at most 200 KB per file: the copy runs out of room part-way.
    result = subprocess.run([sys.executable, "-c", _DISK_FULL, str(path), str(folder),
                             "200000"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    kind, message = result.stdout.strip().split("|")
    assert kind == "EnvironmentStorageError"
    assert "Traceback" not in message and "\n" not in message
    assert sorted(folder.iterdir()) == []  # no partial or temp file
    assert snapshot(data_dir) == before
    assert create_backup(path, folder, "manual").size > 400_000  # with room, it works


def test_a_backup_folder_that_cannot_be_made_is_an_environment_error(small) -> None:
    path, _ = small
    blocker = backups_dir(path.parent)
    blocker.write_text("a file where the backups folder should be")
    with pytest.raises(EnvironmentStorageError):
        create_backup(path, blocker, "manual")
    assert blocker.read_text() == "a file where the backups folder should be"


def test_a_corrupted_journal_is_not_backed_up(data_dir: Path) -> None:
    fill(data_dir, 3000)
    path = database_path(data_dir)
    folder = backups_dir(data_dir)
    good = create_backup(path, folder, "manual")
    corrupt_attempt_tree(path)
    with pytest.raises(StorageError, match="did not pass its integrity check"):
        create_backup(path, folder, "manual")
    assert sorted(folder.iterdir()) == [good.path, checksum_path(good.path)]


# -- rotation ------------------------------------------------------------------------------

def test_rotation_keeps_a_week_of_daily_backups(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    manual = create_backup(path, folder, "manual", now=DAY - timedelta(days=30))
    daily = [create_backup(path, folder, "daily", now=DAY + timedelta(days=i)) for i in range(10)]
    kept = list_backups(folder)
    assert KEEP_DAILY == 7
    assert [b for b in kept if b.kind == "daily"] == daily[:2:-1]  # the newest seven
    assert manual in kept  # another kind is not pushed out by daily backups
    assert not any(b.path.exists() for b in daily[:3])


#: the journal the fake backups below belong to
FAKE_ID = "f" * 32


def _fake_backups(folder: Path, kind: str, count: int, start: datetime,
                  journal_id: str = FAKE_ID) -> list[Path]:
    """Small backup files of ``journal_id``, oldest first: each holds its journal's id and one
    change more than the one before (rotation reads the names and what the files hold)."""
    folder.mkdir(exist_ok=True)
    made = []
    for i in range(count):
        stamp = (start + timedelta(minutes=i)).strftime("%Y%m%dT%H%M%S")
        path = folder / f"journal-{stamp}Z-{kind}.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE journal_meta (id INTEGER PRIMARY KEY, journal_id TEXT, "
                     "changes INTEGER)")
        changes = int((start + timedelta(minutes=i)).timestamp())
        conn.execute("INSERT INTO journal_meta VALUES (1, ?, ?)", (journal_id, changes))
        conn.commit()
        conn.close()
        made.append(path)
    return made


def test_rotation_keeps_each_kinds_own_quota(tmp_path: Path) -> None:
    # Ten imports (or anything else in a row) must not push out the backups made by hand or
    # the one that undoes a restore: every kind has its own quota.
    assert KEEP == {"daily": 7, "manual": 10, "pre-import": 5, "pre-restore": 5,
                    "pre-migration": 3}
    folder = tmp_path / "backups"
    made = {kind: _fake_backups(folder, kind, quota + 4, DAY + timedelta(hours=n))
            for n, (kind, quota) in enumerate(KEEP.items())}
    made["pre-import"] += _fake_backups(folder, "pre-import", 10, DAY + timedelta(days=2))
    removed = rotate(folder, FAKE_ID)
    kept = list_backups(folder)
    for kind, paths in made.items():
        assert [b.path for b in kept if b.kind == kind] == paths[::-1][: KEEP[kind]], kind
    assert len(removed) == sum(len(paths) - KEEP[kind] for kind, paths in made.items())


def test_rotation_never_removes_the_newest_backup_of_a_kind(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    (oldest_manual,) = _fake_backups(folder, "manual", 1, DAY - timedelta(days=400))
    (pre_restore,) = _fake_backups(folder, "pre-restore", 1, DAY - timedelta(days=300))
    _fake_backups(folder, "pre-import", 30, DAY)
    _fake_backups(folder, "daily", 30, DAY + timedelta(days=1))
    rotate(folder, FAKE_ID, keep={"pre-import": 1, "daily": 1})
    assert sorted(b.kind for b in list_backups(folder)) == [
        "daily", "manual", "pre-import", "pre-restore"]
    assert oldest_manual.exists() and pre_restore.exists()
    for quota in (0, -1):
        with pytest.raises(ValueError, match="at least the newest"):
            rotate(folder, FAKE_ID, keep={"manual": quota})


def test_rotation_limits_are_configurable(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    daily = [create_backup(path, folder, "daily", now=DAY + timedelta(days=i)) for i in range(4)]
    other = [create_backup(path, folder, "manual", now=DAY + timedelta(hours=i))
             for i in range(3)]
    owner = daily[0].journal_id
    assert owner is not None
    removed = rotate(folder, owner, keep={"daily": 2, "manual": 1})
    assert sorted(removed) == sorted([b.path for b in daily[:2]] + [b.path for b in other[:2]])
    assert list_backups(folder) == [daily[3], daily[2], other[2]]
    assert rotate(folder, owner, keep={"daily": 1, "manual": 1},
                  protect=[daily[2].path]) == []
    with pytest.raises(ValueError):
        rotate(folder, owner, keep={"weekly": 2})


def test_rotation_clears_temp_files_left_by_an_interrupted_backup(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    folder.mkdir()
    stale = folder / ".journal-crashed.tmp"
    fresh = folder / ".journal-in-progress.tmp"
    stale.write_bytes(b"half a backup")
    fresh.write_bytes(b"being written right now")
    # two days older than a file written now, by the file system's clock (the one that
    # stamps files: the computer's may have jumped, as under `make test-dates`)
    two_days_ago = fresh.stat().st_mtime - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))
    create_backup(path, folder, "manual")
    assert not stale.exists()
    assert fresh.exists()


# -- daily backups -------------------------------------------------------------------------

def test_the_daily_backup_is_made_once_a_day(small) -> None:
    path, uuids = small
    folder = backups_dir(path.parent)
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    first = daily_backup_if_due(path, folder, today=monday)
    assert first is not None and first.kind == "daily"
    assert first.local_time.date() == monday
    assert stored_uuids(first.path) == uuids
    assert daily_backup_if_due(path, folder, today=monday) is None
    second = daily_backup_if_due(path, folder, today=tuesday)
    assert second is not None
    assert daily_backup_if_due(path, folder, today=tuesday) is None
    assert list_backups(folder) == [second, first]
    # A manual backup today does not count as today's daily one.
    create_backup(path, folder, "manual")
    assert daily_backup_if_due(path, folder) is not None
    assert daily_backup_if_due(path, folder) is None


def test_no_daily_backup_of_a_journal_that_does_not_exist_or_is_empty(data_dir: Path) -> None:
    path = database_path(data_dir)
    folder = backups_dir(data_dir)
    assert daily_backup_if_due(path, folder) is None
    data_dir.mkdir()
    path.touch()
    assert daily_backup_if_due(path, folder) is None
    assert not folder.exists()


def test_opening_the_journal_makes_the_daily_backup_when_asked(small) -> None:
    path, uuids = small
    data_dir = path.parent
    with open_journal(data_dir) as journal:  # the CLI: no daily backup
        assert journal.daily_backup is None
    assert list_backups(backups_dir(data_dir)) == []
    with open_journal(data_dir, daily_backup=True) as journal:  # the app
        made = journal.daily_backup
        assert made is not None and journal.backup_error is None
    with open_journal(data_dir, daily_backup=True) as journal:
        assert journal.daily_backup is None  # already made today
    assert list_backups(backups_dir(data_dir)) == [made]
    assert stored_uuids(made.path) == uuids


def test_a_failed_daily_backup_does_not_stop_the_journal_from_opening(small, make_attempt) -> None:
    path, _ = small
    backups_dir(path.parent).write_text("in the way")
    with open_journal(path.parent, daily_backup=True) as journal:
        assert journal.daily_backup is None
        assert isinstance(journal.backup_error, EnvironmentStorageError)
        saved = journal.save_attempt(make_attempt())
        assert journal.attempt(saved.uuid) == saved


# -- before a migration --------------------------------------------------------------------

def _v2_add_mood(db) -> None:
    db.execute_sql("ALTER TABLE attempt ADD COLUMN mood TEXT")


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this app knows the next schema (a real migration step on a real file)."""
    following = NEXT
    monkeypatch.setattr(migrations, "MIGRATIONS",
                        (*migrations.MIGRATIONS, (following, _v2_add_mood)))
    monkeypatch.setattr(migrations, "SCHEMA", following)
    known = dict(migrations.KNOWN_SCHEMAS[CURRENT])
    known["attempt"] = known["attempt"] | {"mood"}
    monkeypatch.setitem(migrations.KNOWN_SCHEMAS, following, known)


#: the schema this app writes, and the one the fixture above pretends to know
CURRENT = migrations.SCHEMA
NEXT = migrations.SchemaVersion(CURRENT.major + 1)


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        return version
    finally:
        conn.close()


def test_a_migration_is_preceded_by_a_backup_of_the_old_journal(small, version_2) -> None:
    path, uuids = small
    with open_journal(path.parent) as journal:
        assert database.pragma("user_version") == NEXT.user_version
        assert {a.uuid for a in journal.attempts()} == uuids
    (backup,) = list_backups(backups_dir(path.parent))
    assert backup.kind == "pre-migration"
    assert _user_version(backup.path) == CURRENT.user_version
    assert stored_uuids(backup.path) == uuids
    with open_journal(path.parent):
        pass
    assert len(list_backups(backups_dir(path.parent))) == 1  # nothing pending any more


def test_a_new_journal_needs_no_pre_migration_backup(data_dir: Path, version_2) -> None:
    with open_journal(data_dir):
        assert database.pragma("user_version") == NEXT.user_version
    assert list_backups(backups_dir(data_dir)) == []


def test_no_migration_without_its_backup(small, version_2) -> None:
    path, _ = small
    backups_dir(path.parent).write_text("in the way")
    before = snapshot(path.parent)
    with pytest.raises(EnvironmentStorageError):
        open_journal(path.parent)
    assert snapshot(path.parent) == before
    assert _user_version(path) == CURRENT.user_version
    assert current_database() is None


# -- restoring -----------------------------------------------------------------------------

def test_restore_brings_the_backup_back_and_keeps_the_journal_it_replaces(
    small, make_attempt
) -> None:
    path, uuids = small
    data_dir = path.parent
    backup = create_backup(path, backups_dir(data_dir), "manual")
    with open_journal(data_dir) as journal:
        later = journal.save_attempt(make_attempt()).uuid

    saved = restore_backup(backup.path, data_dir)

    assert isinstance(saved, BackupInfo) and saved.kind == "pre-restore"
    assert stored_uuids(saved.path) == uuids | {later}
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == uuids
    assert _mode(path) == 0o600
    assert backup.path.exists()
    assert sorted(p.name for p in data_dir.iterdir()) == ["backups", DB_FILENAME]
    # And back again: the pre-restore backup undoes the restore.
    restore_backup(saved.path, data_dir)
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == uuids | {later}


@pytest.mark.subprocess
def test_restore_replaces_a_journal_left_by_a_crash_without_replaying_its_log(
    small,
) -> None:
    path, uuids = small
    data_dir = path.parent
    backup = create_backup(path, backups_dir(data_dir), "manual")
    late = crash_after_saving(data_dir, 3)  # the old journal's -wal and -shm are left behind
    saved = restore_backup(backup.path, data_dir)
    assert saved is not None
    assert stored_uuids(saved.path) == uuids | late  # the crashed journal's log was kept
    assert not path.with_name(DB_FILENAME + "-wal").exists()
    with open_journal(data_dir) as journal:
        assert {a.uuid for a in journal.attempts()} == uuids


def test_restore_into_a_folder_with_no_journal(small, tmp_path: Path) -> None:
    path, uuids = small
    backup = create_backup(path, backups_dir(path.parent), "manual")
    elsewhere = tmp_path / "new-machine"
    assert restore_backup(backup.path, elsewhere) is None
    assert _mode(elsewhere) == 0o700
    with open_journal(elsewhere) as journal:
        assert {a.uuid for a in journal.attempts()} == uuids


def test_the_backup_being_restored_survives_rotation(small) -> None:
    path, _ = small
    folder = backups_dir(path.parent)
    oldest = create_backup(path, folder, "pre-restore", now=DAY)
    for i in range(1, KEEP_PRE_RESTORE):
        create_backup(path, folder, "pre-restore", now=DAY + timedelta(hours=i))
    saved = restore_backup(oldest.path, path.parent)  # one "pre-restore" over the quota
    assert saved is not None and saved.path.exists()
    assert oldest.path.exists()


def test_restore_refuses_while_the_journal_is_open(journal) -> None:
    backup = journal.backup()
    before = snapshot(journal.data_dir)
    with pytest.raises(StorageError, match="Close the journal"):
        restore_backup(backup.path, journal.data_dir)
    assert snapshot(journal.data_dir) == before


@pytest.fixture(scope="module")
def big_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of a journal with 3,000 attempts (built once; tests copy it)."""
    data_dir = tmp_path_factory.mktemp("big") / "journal"
    fill(data_dir, 3000)
    return create_backup(database_path(data_dir), backups_dir(data_dir), "manual").path


def _cut_in_half(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _other_database(path: Path) -> None:
    path.unlink()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _from_the_future(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()


BAD_BACKUPS = {
    "missing": (Path.unlink, "there is no such file"),
    "empty": (lambda p: p.write_bytes(b""), "the file is empty"),
    "garbage": (lambda p: p.write_bytes(b"PK\x03\x04 a zip file " * 100), "not a journal backup"),
    "cut in half": (_cut_in_half, "damaged"),
    "corrupted b-tree": (corrupt_attempt_tree, "damaged"),
    "another database": (_other_database, "not a journal backup"),
    "newer app": (_from_the_future, "newer version"),
}


@pytest.mark.parametrize("how", list(BAD_BACKUPS))
def test_a_bad_backup_is_refused_and_nothing_changes(
    how: str, big_backup: Path, small, tmp_path: Path
) -> None:
    spoil, words = BAD_BACKUPS[how]
    path, uuids = small
    create_backup(path, backups_dir(path.parent), "daily")
    candidate = tmp_path / "journal-20260301T120000Z-manual.sqlite3"
    shutil.copyfile(big_backup, candidate)
    spoil(candidate)
    before = snapshot(path.parent)
    with pytest.raises(StorageError) as caught:
        restore_backup(candidate, path.parent)
    message = str(caught.value)
    assert message.startswith(f"{candidate.name} cannot be restored: ")
    assert words in message
    assert "\n" not in message
    assert snapshot(path.parent) == before
    assert stored_uuids(path) == uuids


def test_backups_have_utc_times_and_show_local_ones(small) -> None:
    path, _ = small
    info = create_backup(path, backups_dir(path.parent), "manual")
    assert abs(info.created_at - utcnow()) < timedelta(minutes=1)
    assert info.local_time.tzinfo is not None
    assert info.local_time.replace(tzinfo=None) - info.created_at == (
        info.local_time.utcoffset())


def test_folders_with_unusual_names_work(tmp_path: Path, make_attempt) -> None:
    data_dir = tmp_path / "my journal #1 ?100% ünïcode"
    with open_journal(data_dir) as journal:
        saved = journal.save_attempt(make_attempt()).uuid
        backup = journal.backup()
    # Checked once closed: reading a journal this process has open would drop its locks.
    assert check_journal(database_path(data_dir)) is None
    assert stored_uuids(backup.path) == {saved}
    assert restore_backup(backup.path, data_dir) is not None
    with open_journal(data_dir) as journal:
        assert [a.uuid for a in journal.attempts()] == [saved]


# -- backups belong to their journal (issue 18, item 3) -------------------------------------

@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two real journals whose ``backups`` are links to one shared folder (chosen by the
    user): (journal A's data folder, journal B's, the shared folder)."""
    folder = tmp_path / "shared-backups"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    made = []
    for name, count, seed in (("a", 5, 1), ("b", 12, 2)):
        data = tmp_path / name
        fill(data, count, seed=seed)
        backups_dir(data).symlink_to(folder, target_is_directory=True)
        choose_backups_folder(data)
        made.append(data)
    return made[0], made[1], folder


def test_every_journal_has_its_own_stable_id_which_its_backups_carry(shared) -> None:
    a, b, _folder = shared
    id_a, id_b = journal_id(database_path(a)), journal_id(database_path(b))
    assert id_a != id_b and len(id_a) == 32
    backup = create_backup(database_path(a), backups_dir(a), "manual")
    assert backup.journal_id == id_a == journal_id(backup.path)
    with open_journal(a):
        pass
    assert journal_id(database_path(a)) == id_a  # stable across opens


def test_rotation_in_a_shared_folder_removes_only_its_own_journals_backups(shared) -> None:
    a, b, _folder = shared
    theirs = [create_backup(database_path(b), backups_dir(b), "daily",
                            now=DAY + timedelta(days=100 + i)).path for i in range(KEEP_DAILY)]
    mine = [create_backup(database_path(a), backups_dir(a), "daily",
                          now=DAY + timedelta(days=i)).path for i in range(KEEP_DAILY + 3)]
    assert all(path.exists() for path in theirs), "journal A's rotation removed B's backups"
    assert [p.exists() for p in mine] == [False] * 3 + [True] * KEEP_DAILY
    assert all(checksum_path(p).exists() for p in theirs)
    assert not any(checksum_path(p).exists() for p in mine[:3])


def test_each_journal_lists_and_is_offered_only_its_own_backups(shared) -> None:
    a, b, _folder = shared
    own = create_backup(database_path(a), backups_dir(a), "manual", now=DAY)
    # B's backups are newer by the clock and hold more changes: the old rules preferred them.
    other = [create_backup(database_path(b), backups_dir(b), "manual",
                           now=DAY + timedelta(hours=i + 1)) for i in range(3)]
    with open_journal(a) as journal:
        assert [info.path for info in JournalService(journal).backups()] == [own.path]
    with open_journal(b) as journal:
        assert [info.path for info in JournalService(journal).backups()] == [
            info.path for info in other[::-1]]

    # Cut short or emptied, the journal has lost its own id: the one recorded beside the
    # choice of the shared folder still says which backups are its own.
    for size in (database_path(a).stat().st_size // 2 + 10, 0):
        path = database_path(a)
        saved = path.read_bytes()
        with path.open("r+b") as handle:
            handle.truncate(size)
        with pytest.raises(DamagedJournalError) as caught:
            open_journal(a)
        assert caught.value.backup == own.path, size
        path.write_bytes(saved)


def test_a_foreign_backup_is_restored_only_by_its_path_and_carries_on_as_this_journal(
    shared,
) -> None:
    a, b, _folder = shared
    id_a = journal_id(database_path(a))
    mine = create_backup(database_path(a), backups_dir(a), "manual")
    theirs = create_backup(database_path(b), backups_dir(b), "manual")
    note = foreign_backup_note(theirs.path, a)
    assert note is not None and "another journal" in note
    assert theirs.short_id in note and mine.short_id in note
    assert foreign_backup_note(mine.path, a) is None

    saved = restore_backup(theirs.path, a)
    assert saved is not None and saved.journal_id == id_a
    assert journal_id(database_path(a)) == id_a  # B's entries, as journal A
    assert stored_uuids(database_path(a)) == stored_uuids(database_path(b))
    after = create_backup(database_path(a), backups_dir(a), "manual")
    assert after.journal_id == id_a
    assert after.changes is not None and saved.changes is not None
    assert after.changes > saved.changes  # carries on as the newest of A's backups
    with open_journal(a) as journal:
        assert JournalService(journal).backups()[0].path == after.path


# -- newest by what a backup holds, not by the clock (issue 18, item 4) ----------------------

def test_a_clock_stuck_in_the_past_never_rotates_away_the_newest_data(
    data_dir: Path, make_attempt
) -> None:
    fill(data_dir, 3)
    path = database_path(data_dir)
    folder = backups_dir(data_dir)
    weeks_of_2026 = datetime(2026, 3, 1, 20, 0)
    made = []
    for day in range(KEEP_DAILY):
        with open_journal(data_dir) as journal:
            journal.save_attempt(make_attempt(ask=f"Ask {day} in 2026"))
        made.append(daily_backup_if_due(path, folder, now=weeks_of_2026 + timedelta(days=day)))
    # The RTC battery dies: the clock says 2020 from now on, while the user keeps writing.
    stuck = datetime(2020, 1, 1, 20, 0)
    newest = []
    for day in range(3):
        with open_journal(data_dir) as journal:
            journal.save_attempt(make_attempt(ask=f"Ask {day} after the clock stopped"))
        info = daily_backup_if_due(path, folder, now=stuck + timedelta(days=day))
        assert info is not None
        newest.append(info)
    assert all(info.path.exists() for info in newest), "a backup of the newest data was removed"
    kept = list_backups(folder)
    assert [info.path for info in kept[:3]] == [info.path for info in newest[::-1]]
    assert [info is not None and info.path.exists() for info in made] == (
        [False] * 3 + [True] * (KEEP_DAILY - 3))
    assert stored_uuids(kept[0].path) == stored_uuids(path)

    path.write_bytes(b"")  # damaged: which backup brings it back?
    with pytest.raises(DamagedJournalError) as caught:
        open_journal(data_dir)
    assert caught.value.backup == newest[-1].path


def test_the_change_count_moves_with_every_change_and_only_then(
    data_dir: Path, make_attempt
) -> None:
    with open_journal(data_dir) as journal:
        first = journal.backup()
        saved = journal.save_attempt(make_attempt())
        second = journal.backup()
        journal.delete_attempt(saved.uuid)
        third = journal.backup()
    with open_journal(data_dir) as journal:
        fourth = journal.backup()  # opening changed nothing
    assert first.changes is not None and second.changes is not None
    assert third.changes is not None and fourth.changes is not None
    assert first.changes < second.changes < third.changes == fourth.changes


def test_the_3_1_journal_gains_an_id_and_a_change_count_when_upgraded(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema-v3.1.sqlite3"
    ids = set()
    for name in ("one", "two"):
        data = tmp_path / name
        data.mkdir(mode=0o700)
        shutil.copyfile(fixture, database_path(data))
        with open_journal(data) as journal:
            made = journal.backup()
        (before,) = [b for b in list_backups(backups_dir(data)) if b.kind == "pre-migration"]
        assert before.journal_id is None  # the journal as it was, before it had one
        assert made.journal_id == journal_id(database_path(data))
        ids.add(made.journal_id)
    assert len(ids) == 2


# -- a backup is checked against its checksum and its search index (issue 18, item 10) -------

def _flip_a_letter_of(path: Path, word: bytes) -> None:
    data = path.read_bytes()
    at = data.index(word)
    path.write_bytes(data[:at] + word[:-1] + bytes([word[-1] ^ 0x01]) + data[at + len(word):])


@pytest.fixture
def flipped(data_dir: Path, make_attempt) -> tuple[Path, BackupInfo]:
    """A journal, and a backup of it with one bit of an entry's text flipped since it was
    made: SQLite's integrity check still passes; its text and search index disagree."""
    with open_journal(data_dir) as journal:
        journal.save_attempt(make_attempt(reflection="Quetzalcoatl smiled at me."))
        backup = journal.backup()
    _flip_a_letter_of(backup.path, b"Quetzalcoatl")
    assert _integrity(backup.path) == "ok"
    return data_dir, backup


def test_a_backup_whose_bytes_changed_is_refused_by_its_checksum(flipped) -> None:
    data_dir, backup = flipped
    before = snapshot(data_dir)
    with pytest.raises(StorageError) as caught:
        restore_backup(backup.path, data_dir)
    message = str(caught.value)
    assert message.startswith(f"{backup.path.name} cannot be restored: ")
    assert "no longer match its checksum" in message and "\n" not in message
    assert snapshot(data_dir) == before


def test_without_its_checksum_the_search_index_check_still_refuses_it(
    flipped, tmp_path: Path
) -> None:
    data_dir, backup = flipped
    elsewhere = tmp_path / "copied-without-its-checksum.sqlite3"
    shutil.copyfile(backup.path, elsewhere)
    before = snapshot(data_dir)
    with pytest.raises(StorageError, match="its text and its search index disagree"):
        restore_backup(elsewhere, data_dir)
    assert snapshot(data_dir) == before


def test_the_checksum_is_sha256sum_format_and_a_good_backup_passes(small) -> None:
    path, _ = small
    info = create_backup(path, backups_dir(path.parent), "manual")
    digest, name = checksum_path(info.path).read_text().split()
    assert name == info.path.name
    assert digest == hashlib.sha256(info.path.read_bytes()).hexdigest()
    assert _mode(checksum_path(info.path)) == 0o600
    verify_backup(info.path)
    checksum_path(info.path).write_text("not a checksum\n")
    with pytest.raises(StorageError, match=r"checksum file .* is unreadable"):
        verify_backup(info.path)


# -- a backups folder elsewhere: only when chosen, and its mode is left alone (item 12) -------

def test_a_linked_backups_folder_is_refused_until_chosen_and_its_mode_never_changes(
    small, tmp_path: Path
) -> None:
    path, _ = small
    data_dir = path.parent
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    backups_dir(data_dir).symlink_to(shared, target_is_directory=True)

    with pytest.raises(EnvironmentStorageError) as caught:
        create_backup(path, backups_dir(data_dir), "manual")
    message = str(caught.value)
    assert f"is a link to {shared}" in message and "--use-linked-folder" in message
    assert "\n" not in message
    assert list(shared.iterdir()) == []
    assert _mode(shared) == 0o755
    with open_journal(data_dir, daily_backup=True) as journal:  # the app opens all the same
        assert isinstance(journal.backup_error, EnvironmentStorageError)
    assert _mode(shared) == 0o755 and list(shared.iterdir()) == []

    assert choose_backups_folder(data_dir) == shared
    info = create_backup(path, backups_dir(data_dir), "manual")
    assert info.path.parent == backups_dir(data_dir)
    assert _mode(shared) == 0o755, "the app never changes the mode of a folder it did not make"
    assert _mode(info.path) == 0o600
    assert restore_backup(info.path, data_dir) is not None  # its pre-restore backup too
    assert _mode(shared) == 0o755

    # A link moved to another folder is not the folder that was chosen.
    other = tmp_path / "other"
    other.mkdir()
    backups_dir(data_dir).unlink()
    backups_dir(data_dir).symlink_to(other, target_is_directory=True)
    with pytest.raises(EnvironmentStorageError, match="is a link to"):
        create_backup(path, backups_dir(data_dir), "manual")


def test_the_service_counts_a_backups_entries_read_only(small, make_attempt,
                                                        tmp_path: Path) -> None:
    path, _earlier = small
    with open_journal(path.parent) as journal:
        info = journal.backup()
        journal.save_attempt(make_attempt())
        service = JournalService(journal)
        before = info.path.read_bytes()
        assert service.backup_entries(info.path) == 20
        assert service.attempt_count() == 21
        assert info.path.read_bytes() == before  # only read
        assert sorted(p.name for p in info.path.parent.iterdir()) == [
            info.path.name, info.path.name + ".sha256"]  # nothing written beside it
        not_a_journal = tmp_path / "notes.txt"
        not_a_journal.write_text("not a database")
        assert service.backup_entries(not_a_journal) is None
