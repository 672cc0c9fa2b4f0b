"""An encrypted journal's backups, restores and copies: all encrypted, none in the clear."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.backup_check import verify_backup
from rejection_journal.storage.backup_list import list_backups
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.protection import (
    WrongPassphraseError,
    change_passphrase,
    is_encrypted,
    protect,
    restore,
)
from tests.unit.conftest import AttemptFactory
from tests.unit.damage import fill

PHRASE = "quetzal-umbrella-whisper"


@pytest.fixture
def plain_with_backups(data_dir: Path, make_attempt: AttemptFactory) -> Path:
    fill(data_dir, 30)
    with open_journal(data_dir) as journal:
        journal.save_attempt(make_attempt(reflection=f"Nobody knows: {PHRASE}."))
    create_backup(database_path(data_dir), backups_dir(data_dir), "manual")
    create_backup(database_path(data_dir), backups_dir(data_dir), "pre-import")
    return data_dir


def _backup_files(data_dir: Path) -> list[Path]:
    return sorted(backups_dir(data_dir).glob("*.sqlite3"))


def test_protecting_encrypts_the_backups_made_before(plain_with_backups: Path) -> None:
    data_dir = plain_with_backups
    before = _backup_files(data_dir)
    assert len(before) == 2 and not any(is_encrypted(p) for p in before)
    protect(data_dir, "pass one")
    assert _backup_files(data_dir) == before
    for path in before:
        assert is_encrypted(path)
        assert PHRASE.encode() not in path.read_bytes()
    with open_journal(data_dir, passphrase="pass one") as journal:
        assert journal.attempt_count() == 31
        for path in before:
            verify_backup(path)  # whole, checksum rewritten, readable with the key
        assert len(list_backups(backups_dir(data_dir))) == 2


def test_protecting_can_remove_the_backups_made_before(plain_with_backups: Path) -> None:
    protect(plain_with_backups, "pass one", old_backups="remove")
    assert list(backups_dir(plain_with_backups).iterdir()) == [] or all(
        not p.name.endswith((".sqlite3", ".sha256"))
        for p in backups_dir(plain_with_backups).iterdir())


def test_backups_of_an_encrypted_journal_are_encrypted(plain_with_backups: Path) -> None:
    data_dir = plain_with_backups
    protect(data_dir, "pass one")
    with open_journal(data_dir, passphrase="pass one") as journal:
        made = create_backup(journal.path, backups_dir(data_dir), "manual")
    assert is_encrypted(made.path)
    with pytest.raises(StorageError, match="protected with a passphrase"):
        verify_backup(made.path)  # without the key it cannot be read, and says so


def test_a_backup_under_an_older_passphrase_restores_with_it(
        plain_with_backups: Path, make_attempt: AttemptFactory) -> None:
    data_dir = plain_with_backups
    protect(data_dir, "old pass")
    with open_journal(data_dir, passphrase="old pass") as journal:
        old = create_backup(journal.path, backups_dir(data_dir), "manual")
    change_passphrase(data_dir, "old pass", "new pass")
    with open_journal(data_dir, passphrase="new pass") as journal:
        journal.save_attempt(make_attempt(reflection="after the change"))
        assert journal.attempt_count() == 32
    with pytest.raises(WrongPassphraseError):
        restore(old.path, data_dir, "new pass")  # the backup needs the passphrase it had
    saved = restore(old.path, data_dir, "new pass", backup_passphrase="old pass")
    assert saved is not None and is_encrypted(saved.path)  # the pre-restore backup too
    # The journal keeps its protection as it is now: the new passphrase.
    with open_journal(data_dir, passphrase="new pass") as journal:
        assert journal.attempt_count() == 31
    with pytest.raises(WrongPassphraseError):
        open_journal(data_dir, passphrase="old pass")


def test_a_plain_backup_restored_into_an_encrypted_journal_is_encrypted(
        plain_with_backups: Path) -> None:
    data_dir = plain_with_backups
    plain_copy = data_dir.parent / "kept-aside.sqlite3"
    plain_copy.write_bytes(_backup_files(data_dir)[0].read_bytes())
    protect(data_dir, "pass")
    restore(plain_copy, data_dir, "pass")
    assert is_encrypted(database_path(data_dir))
    with open_journal(data_dir, passphrase="pass") as journal:
        assert journal.attempt_count() == 31


def _files_holding(phrase: bytes, *folders: Path) -> list[str]:
    found = []
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(root) / name
                try:
                    if phrase in path.read_bytes():
                        found.append(str(path))
                except OSError:
                    continue
    return found


def test_no_plaintext_of_an_entry_in_any_file_once_protected(
        data_dir: Path, tmp_path: Path, make_attempt: AttemptFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "temp-folder"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    home = Path(os.environ["HOME"])
    phrase = b"glockenspiel-under-the-stairs"
    fill(data_dir, 20)
    with open_journal(data_dir, daily_backup=True) as journal:
        saved = journal.save_attempt(make_attempt(reflection=phrase.decode()))
        journal.save_draft("editor", phrase.decode() + " (draft)", saved.uuid)
    create_backup(database_path(data_dir), backups_dir(data_dir), "manual")
    assert _files_holding(phrase, data_dir)  # the test can see plaintext where there is some
    protect(data_dir, "a passphrase")
    with open_journal(data_dir, passphrase="a passphrase", daily_backup=True) as journal:
        journal.save_attempt(make_attempt(uuid=saved.uuid, lesson=phrase.decode() + " again"))
        assert journal.search("glockenspiel")
        create_backup(journal.path, backups_dir(data_dir), "manual")
    with open_journal(data_dir, passphrase="a passphrase", read_only=True) as journal:
        assert journal.attempt_count() == 21
    restore(_backup_files(data_dir)[0], data_dir, "a passphrase")
    assert _files_holding(phrase, data_dir, temp, home) == []
    assert _files_holding(phrase[:12], data_dir, temp, home) == []


def test_the_window_s_restore_sequence_reopens_a_protected_journal(
        plain_with_backups: Path, make_attempt: AttemptFactory) -> None:
    from rejection_journal.services import JournalService

    data_dir = plain_with_backups
    protect(data_dir, "pass")
    with open_journal(data_dir, passphrase="pass") as journal:
        service = JournalService(journal)
        first = journal.backup()
        journal.save_attempt(make_attempt(reflection="after the backup"))
        assert journal.attempt_count() == 32
        saved = service.restore(first.path)  # closes, restores with the key, reopens
        assert saved is not None and is_encrypted(saved.path)
        assert journal.attempt_count() == 31
        assert journal.key is not None
    assert os.environ.get("REJECTION_JOURNAL_PASSPHRASE") is None
