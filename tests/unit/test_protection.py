"""Passphrase protection of the journal file (SQLCipher): opening, wrong passphrases, and
conversion both ways keeping every row of every table."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_journal.paths import database_path
from rejection_journal.storage import cipher, open_journal
from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.health import check_journal
from rejection_journal.storage.protection import (
    PassphraseNeededError,
    WrongPassphraseError,
    change_passphrase,
    is_encrypted,
    protect,
    unprotect,
)
from tests.unit.conftest import AttemptFactory
from tests.unit.damage import fill, snapshot

PHRASE = "zanzibar-marmalade-quietly"


def every_row(db: Path, key: cipher.Key | None) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the full-text index's shadow tables too), read by SQLite."""
    conn = cipher.connect(str(db), key)
    try:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
        rows["user_version"] = conn.execute("PRAGMA user_version").fetchall()
        return rows
    finally:
        conn.close()


def key_of(db: Path, passphrase: str) -> cipher.Key:
    return cipher.derive_key(passphrase, db.read_bytes()[:16])


@pytest.fixture
def journal_with_history(data_dir: Path, make_attempt: AttemptFactory) -> Path:
    fill(data_dir, 40)
    with open_journal(data_dir) as journal:
        saved = journal.save_attempt(make_attempt(reflection=f"I said {PHRASE} out loud."))
        journal.save_attempt(make_attempt(uuid=saved.uuid, reflection="A second version."))
        journal.save_draft("editor", f'{{"reflection": "{PHRASE} draft"}}', None)
    return data_dir


def test_the_key_derived_here_is_sqlciphers_own(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    raw = cipher.connect_raw(str(db), None)
    raw.execute("PRAGMA key = 'open sesame'")
    raw.execute("CREATE TABLE t (x)")
    raw.commit()
    raw.close()
    conn = cipher.connect(str(db), key_of(db, "open sesame"))
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    conn.close()


def test_protect_then_unprotect_keeps_every_row(journal_with_history: Path) -> None:
    data_dir = journal_with_history
    db = database_path(data_dir)
    before = every_row(db, None)
    assert not is_encrypted(db)
    protect(data_dir, "correct horse")
    assert is_encrypted(db)
    assert not db.read_bytes().startswith(b"SQLite format 3")
    assert PHRASE.encode() not in db.read_bytes()
    assert every_row(db, key_of(db, "correct horse")) == before
    unprotect(data_dir, "correct horse")
    assert not is_encrypted(db)
    assert every_row(db, None) == before


def test_an_encrypted_journal_opens_writes_and_searches_with_its_passphrase(
        journal_with_history: Path, make_attempt: AttemptFactory) -> None:
    data_dir = journal_with_history
    protect(data_dir, "correct horse")
    with open_journal(data_dir, passphrase="correct horse", daily_backup=True) as journal:
        assert journal.attempt_count() == 41
        assert [hit.uuid for hit in journal.search("zanzibar")] == [
            a.uuid for a in journal.attempts() if PHRASE in a.reflection]
        journal.save_attempt(make_attempt(reflection="written while encrypted"))
        assert cipher.current_key() is not None
    assert cipher.current_key() is None  # the key leaves memory with the journal
    db = database_path(data_dir)
    assert is_encrypted(db)
    assert check_journal(db) is None  # encrypted, not damaged (only the key can say more)
    with cipher.key_in_use(key_of(db, "correct horse")):
        assert check_journal(db) is None  # with the key, SQLite's own check runs
    with open_journal(data_dir, passphrase="correct horse", read_only=True) as journal:
        assert journal.attempt_count() == 42


def test_without_a_passphrase_or_with_a_wrong_one_nothing_is_touched(
        journal_with_history: Path) -> None:
    data_dir = journal_with_history
    protect(data_dir, "correct horse")
    files = snapshot(data_dir)
    with pytest.raises(PassphraseNeededError):
        open_journal(data_dir)
    with pytest.raises(WrongPassphraseError, match="does not open this journal"):
        open_journal(data_dir, passphrase="Correct horse")
    with pytest.raises(WrongPassphraseError):
        open_journal(data_dir, passphrase="wrong", read_only=True)
    with pytest.raises(WrongPassphraseError):
        unprotect(data_dir, "wrong")
    with pytest.raises(WrongPassphraseError):
        change_passphrase(data_dir, "wrong", "new one")
    assert snapshot(data_dir) == files
    assert cipher.current_key() is None


def test_change_passphrase_takes_a_new_salt_and_the_old_one_stops_working(
        journal_with_history: Path) -> None:
    data_dir = journal_with_history
    db = database_path(data_dir)
    protect(data_dir, "first")
    salt = db.read_bytes()[:16]
    before = every_row(db, key_of(db, "first"))
    change_passphrase(data_dir, "first", "second")
    assert db.read_bytes()[:16] != salt
    assert every_row(db, key_of(db, "second")) == before
    with pytest.raises(WrongPassphraseError):
        open_journal(data_dir, passphrase="first")
    with open_journal(data_dir, passphrase="second") as journal:
        assert journal.attempt_count() == 41


def test_conversions_refuse_what_makes_no_sense(journal_with_history: Path) -> None:
    data_dir = journal_with_history
    with pytest.raises(StorageError, match="not protected"):
        unprotect(data_dir, "x")
    with pytest.raises(StorageError, match="empty passphrase"):
        protect(data_dir, "")
    with open_journal(data_dir), pytest.raises(StorageError, match="Close the journal"):
        protect(data_dir, "x")
    protect(data_dir, "x")
    with pytest.raises(StorageError, match="already protected"):
        protect(data_dir, "y")


def test_a_plain_journal_ignores_a_passphrase(journal_with_history: Path) -> None:
    with open_journal(journal_with_history, passphrase="anything") as journal:
        assert journal.attempt_count() == 41
    assert not is_encrypted(database_path(journal_with_history))
