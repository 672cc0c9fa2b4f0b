"""Backups of the journal: checked, private, self-contained copies, rotated by kind.

A backup is made with SQLite's online backup API, so it works while the app has the journal
open and includes every saved entry, even those still in the write-ahead log.  When the journal
is this process's own open journal, the copy is read through that very connection: no second
descriptor of the live file is opened (see :mod:`.sqlite_files`).  The copy is written to a
private temp file, must pass ``PRAGMA integrity_check``, is switched to a single
self-contained file (``journal_mode=DELETE``), synced to disk and only then renamed into
place: a backup file is whole or absent.

File names carry the kind and the UTC time (for people: the clock may be wrong)::

    backups/journal-20261123T183005Z-daily.sqlite3
    backups/journal-20261123T183005Z-1-manual.sqlite3   (a second one in the same second)

**Whose, and how new.**  A backup is a copy of the journal, so it carries the journal's own
``journal_meta`` row: the journal's stable id and its count of changes (kept by SQLite
triggers, see :mod:`.migrations`).  A backups folder shared by two journals (a link) is
therefore never mixed up: rotation, the list to restore from and the backup suggested to a
damaged journal consider only this journal's backups.  "Newest" means holding the most
changes, never the newest time on a clock that may be stuck in the past.  Backups made before
journals had an id are listed too, but never rotated away (whose they are cannot be told).
Another journal's backup can still be restored when the user names it by its path (the
command line says whose it is, :func:`.restore.foreign_backup_note`); the restored journal keeps the
id of the journal it replaces, and a change count above all of that journal's backups, so it
carries on as that journal and its next backups count as its newest.

**Checked before a restore.**  Beside each backup, ``<name>.sha256`` holds its SHA-256
(``sha256sum -c`` reads it), written when it was made; a backup whose bytes changed since, or
whose text and full-text index disagree (FTS5's own integrity check), is refused.

**The folder.**  The backups folder the app creates inside the data folder is private (0700).
A ``backups`` link to a folder elsewhere is used only once the user has chosen it
(:func:`.backup_list.choose_backups_folder`, ``backup --use-linked-folder``); its permissions
are never changed.

**The modules.**  This one makes backups; :mod:`.backup_list` names, lists and rotates them
and keeps the folder; :mod:`.backup_check` checks one before a restore; :mod:`.restore` puts
one back.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path

from rejection_journal.domain.records import utcnow
from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import (
    FILE_MODE,
    restrict_mode,
)
from rejection_journal.storage.backup_check import damaged_journal_error
from rejection_journal.storage.backup_list import (
    DAILY,
    KINDS,
    STAMP,
    BackupInfo,
    backup_identity,
    backup_temp_prefix,
    file_sha256,
    fsync_file,
    integrity,
    journal_identity,
    list_backups,
    local_date,
    prepare_backups_dir,
    remember_id,
    remove_with_side_files,
    rotate,
    utc_naive,
    write_checksum,
)
from rejection_journal.storage.errors import (
    StorageError,
    classify,
    is_corrupt,
)
from rejection_journal.storage.health import (
    header_damage,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection,
    connection_uri,
    own_connection,
)


def _copy_online(db_path: Path, target: Path, own: sqlite3.Connection | None = None) -> None:
    """Copy the journal page by page into ``target`` and check the copy.

    ``own`` is this process's open connection to the journal, if it has one: the copy is then
    read through it, so no second descriptor of the live file is opened here.  Inside a
    transaction it would copy changes not committed yet, so then a second SQLite connection
    reads the committed journal (SQLite keeps a descriptor it closes open while another
    connection of the process holds locks on the file, so that is safe; plain I/O is not).
    """
    from rejection_journal.storage.readonly import open_read_only, read_only_reason

    if own is None and read_only_reason(db_path.parent) is not None:
        # A journal that cannot be written is read in a way that creates no side files: SQLite
        # would give a new -shm the journal's own (read-only) permissions, and every later
        # save would fail on it.
        with open_read_only(db_path) as source, connection(target) as dest:
            source.backup(dest)
    elif own is not None and not own.in_transaction:
        with connection(target) as dest:
            own.backup(dest)
    else:
        # A separate connection that only reads: it sees every committed change, in the log
        # too.  mode=rw never creates a journal that is not there.
        with connection_uri(sqlite_uri(db_path, "mode=rw"), timeout=10) as source:
            source.execute("PRAGMA query_only = 1")
            with connection(target) as dest:
                source.backup(dest)
    with connection(target) as dest:
        # The copy inherits the journal's WAL mode; a backup must be one self-contained file.
        dest.execute("PRAGMA journal_mode = DELETE")
        result = integrity(dest)
    if result != ["ok"]:
        raise StorageError(_COPY_DAMAGED)


_COPY_DAMAGED = ("The copy of the journal did not pass its integrity check, so no backup was "
                 "made; the journal itself may be damaged.")


def _place(temp: Path, backups_dir: Path, created: datetime, kind: str) -> Path:
    """Give ``temp`` its final name, never replacing an existing backup."""
    stamp = created.strftime(STAMP)
    counter = 0
    while True:
        extra = f"-{counter}" if counter else ""
        final = backups_dir / f"journal-{stamp}Z{extra}-{kind}.sqlite3"
        try:
            os.link(temp, final)
        except FileExistsError:
            counter += 1
            continue
        except OSError:  # a file system without hard links
            if os.path.lexists(final):
                counter += 1
                continue
            os.replace(temp, final)
            return final
        os.unlink(temp)
        return final


def create_backup(
    db_path: Path,
    backups_dir: Path,
    kind: str,
    *,
    now: datetime | None = None,
    keep: Mapping[str, int] | None = None,
    protect: Iterable[Path] = (),
) -> BackupInfo:
    """Back up the journal at ``db_path`` into ``backups_dir`` now, then rotate.

    Works while the journal is open in this or another process; when this process has it open,
    the copy is read through that connection and the file is never opened again here (a
    damaged journal then fails the copy's integrity check).  ``now`` (UTC) names the file;
    tests inject it.  Raises :class:`EnvironmentStorageError` when the disk is full, the folder
    read-only and so on, :class:`DamagedJournalError` if the journal is visibly damaged, and
    :class:`StorageError` if the copy fails its integrity check - in every case no backup file,
    whole or partial, is left behind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}; expected one of {', '.join(KINDS)}")
    db_path = Path(db_path)
    backups_dir = Path(backups_dir)
    created = (utc_naive(now) if now is not None else utcnow()).replace(microsecond=0)
    temp: Path | None = None
    try:
        if not db_path.is_file():
            raise StorageError(f"There is no journal at {db_path} to back up.")
        own = own_connection(db_path)
        if own is None:  # not open in this process: its header can be read safely
            damage = header_damage(db_path)
            if damage is not None:
                raise damaged_journal_error(damage, backups_dir, db_path)
        prepare_backups_dir(db_path.parent, backups_dir)
        fd, name = tempfile.mkstemp(prefix=backup_temp_prefix(), suffix=".tmp",
                                    dir=backups_dir)
        os.close(fd)  # mkstemp made it 0600, so the copy is private from its first byte
        temp = Path(name)
        _copy_online(db_path, temp, own)
        restrict_mode(temp, FILE_MODE)
        fsync_file(temp)
        journal_id, changes = backup_identity(temp)
        remember_id(db_path.parent, backups_dir, journal_id)
        digest = file_sha256(temp)
        final = _place(temp, backups_dir, created, kind)
        temp = None
        try:
            write_checksum(backups_dir, final, digest)
        except BaseException:
            final.unlink()  # no backup without its checksum
            raise
        fsync_dir(backups_dir)
    except StorageError:
        raise
    except sqlite3.DatabaseError as exc:
        if is_corrupt(exc):
            raise StorageError(_COPY_DAMAGED) from exc
        raise classify(exc) from exc
    except OSError as exc:
        raise classify(exc) from exc
    finally:
        if temp is not None:
            remove_with_side_files(temp)
    info = BackupInfo(final, kind, created, final.stat().st_size, journal_id, changes)
    rotate(backups_dir, journal_id, keep=keep, protect=(final, *protect))
    return info


def daily_backup_if_due(
    db_path: Path,
    backups_dir: Path,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> BackupInfo | None:
    """Make today's "daily" backup unless there is one already; returns it, or ``None``.

    "Today" is the local date.  Nothing is done for a journal that does not exist yet or is
    still an empty file.  ``today`` (local) or ``now`` (UTC) can be injected; with only
    ``today``, a day other than the real one is stamped at its local noon.
    """
    db_path = Path(db_path)
    if now is None:
        now = utcnow()
        if today is not None and today != local_date(now):
            now = utc_naive(datetime.combine(today, time(12)).astimezone())
    now = utc_naive(now)
    if today is None:
        today = local_date(now)
    try:
        if not db_path.is_file() or db_path.stat().st_size == 0:
            return None
    except OSError as exc:
        raise classify(exc) from exc
    journal_id, _changes = journal_identity(db_path)
    for info in list_backups(backups_dir):
        if info.kind == DAILY and local_date(info.created_at) == today \
                and info.journal_id in (journal_id, None):
            return None
    return create_backup(db_path, backups_dir, DAILY, now=now)
