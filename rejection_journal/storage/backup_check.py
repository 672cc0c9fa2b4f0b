"""Checking backups: a backup's checksum and integrity before it is restored, the newest good
one, and what a damaged journal's message suggests."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from rejection_journal.storage.backup_list import (
    BackupInfo,
    backup_identity,
    backups_of,
    checksum_path,
    file_sha256,
    integrity,
    read_choice,
)
from rejection_journal.storage.cipher import (
    PROBE_SIZE,
    current_key,
    is_wrong_key,
    looks_encrypted,
    memory_copy_target,
)
from rejection_journal.storage.errors import (
    DamagedJournalError,
    StorageError,
    classify,
    is_corrupt,
)
from rejection_journal.storage.health import (
    SQLITE_MAGIC,
    Damage,
    copy_with_log,
    side_file,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection_uri,
    read_start,
    scratch_dir,
)


@contextlib.contextmanager
def readable_uri(path: Path, scratch: Path | None = None) -> Iterator[str]:
    """An SQLite URI that reads ``path`` with its committed ``-wal``, changing nothing beside it.

    Without a log the file is read as it is; with one, from a private copy of both (in
    ``scratch``, or a private folder beside it), so SQLite never writes an index or
    checkpoint next to it.
    """
    real = Path(os.path.realpath(path))
    wal = side_file(real, "-wal")
    if not (wal.is_file() and wal.stat().st_size):
        yield sqlite_uri(real, "mode=ro&immutable=1")
        return
    if scratch is not None:
        yield sqlite_uri(copy_with_log(real, scratch), "mode=ro")
        return
    with scratch_dir(real) as folder:
        yield sqlite_uri(copy_with_log(real, folder), "mode=ro")


_FTS_CHECK = "INSERT INTO \"attempt_fts\"(\"attempt_fts\", rank) VALUES ('integrity-check', 1)"


def _checksum_problem(path: Path) -> str | None:
    """Why ``path`` does not match the checksum written beside it when it was made, if so.
    A file with no checksum beside it (an older backup, a journal) is not judged here."""
    sidecar = checksum_path(path)
    try:
        text = sidecar.read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return None
    words = text.split()
    if not words or not re.fullmatch(r"[0-9a-f]{64}", words[0]):
        return f"its checksum file {sidecar.name} is unreadable, so it cannot be trusted"
    if file_sha256(path) != words[0]:
        return ("its bytes changed after it was made (they no longer match its checksum in "
                f"{sidecar.name}), so it is damaged")
    return None


def _search_index_agrees(conn: sqlite3.Connection) -> bool:
    """FTS5's own check that the full-text index matches the entries' text.  It runs on an
    in-memory copy: SQLite runs it as a write, and the file is only ever read."""
    memory = memory_copy_target(conn)  # an encrypted journal's copy is SQLCipher's
    try:
        conn.backup(memory)
        memory.execute(_FTS_CHECK)
    except sqlite3.DatabaseError:
        return False
    finally:
        memory.close()
    return True


def verify_backup(backup_path: Path, *, name: str | None = None) -> None:
    """Raise :class:`StorageError` (one plain sentence naming the file) unless ``backup_path``
    is a whole, undamaged journal of a schema this version of the app knows (tables *and*
    columns).  Its committed ``-wal``, if one is beside it, is read too.  Only reads the file.
    ``name`` is how the message names it (a temp copy is named after its source).

    Undamaged means: its bytes match the checksum written beside it when it was made (if there
    is one), SQLite's ``integrity_check`` passes, and so does the full-text index's own check
    (its text and its search index agree).
    """
    from rejection_journal.storage.migrations import is_foreign, is_newer, read_schema

    path = Path(backup_path)
    name = name or path.name

    def refuse(why: str) -> StorageError:
        return StorageError(f"{name} cannot be restored: {why}.")

    try:
        if not path.is_file():
            raise refuse("there is no such file")
        header = read_start(path, PROBE_SIZE)
        if not header:
            raise refuse("the file is empty")
        if not header.startswith(SQLITE_MAGIC):
            if current_key() is None:
                raise refuse("it is protected with a passphrase; give it to restore this "
                              "backup" if looks_encrypted(header, path.stat().st_size)
                              else "it is not a journal backup")
            if not looks_encrypted(header, path.stat().st_size):
                raise refuse("it is not a journal backup")
        changed = _checksum_problem(path)
        if changed is not None:
            raise refuse(changed)
        with readable_uri(path) as uri, connection_uri(uri) as conn:
            if integrity(conn) != ["ok"]:
                raise refuse("it is damaged (it did not pass its integrity check)")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            schema = read_schema(conn)
            if "attempt_fts" in schema and not _search_index_agrees(conn):
                raise refuse("it is damaged (its text and its search index disagree)")
    except StorageError:
        raise
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and not is_corrupt(exc):
            raise classify(exc) from exc
        if is_wrong_key(exc):
            raise refuse("its passphrase is not the one given (a backup keeps the passphrase "
                         "the journal had when it was made)") from exc
        raise refuse("it is damaged (it did not pass its integrity check)") from exc
    except OSError as exc:
        raise classify(exc) from exc
    if is_newer(version):
        raise refuse("it was made by a newer version of Rejection Journal; please update the app")
    if version == 0 or is_foreign(version, schema):
        raise refuse("it is not a journal backup (its tables or columns are not a Rejection "
                      "Journal's)")


def newest_good_backup(backups_dir: Path, journal_id: str | None = None) -> BackupInfo | None:
    """The newest backup of the journal ``journal_id`` (see :func:`backups_of`) that passes
    :func:`verify_backup`, or ``None``."""
    for info in backups_of(backups_dir, journal_id):
        try:
            verify_backup(info.path)
        except StorageError:
            continue
        return info
    return None


def damaged_journal_error(damage: Damage, backups_dir: Path, db_path: Path | None = None
                          ) -> DamagedJournalError:
    """The error for a damaged journal (at ``db_path``), naming the newest of its own backups
    that would bring it back - never another journal's."""
    journal_id = None
    if db_path is not None:
        with contextlib.suppress(OSError, StorageError):
            journal_id, _changes = backup_identity(Path(os.path.realpath(db_path)))
        if journal_id is None:  # lost with the damage: as recorded beside a shared folder
            journal_id = read_choice(Path(db_path).parent)[1]
    good = newest_good_backup(backups_dir, journal_id)
    return DamagedJournalError(damage, good.path if good else None)
