"""Backups of the journal: checked, private, self-contained copies, rotated by kind.

A backup is made with SQLite's online backup API, so it works while the app has the journal
open and includes every saved entry, even those still in the write-ahead log.  When the journal
is this process's own open journal, the copy is read through that very connection: no second
descriptor of the live file is opened (see :mod:`.sqlite_files`).  The copy is written to a
private temp file, must pass ``PRAGMA integrity_check``, is switched to a single
self-contained file (``journal_mode=DELETE``), synced to disk and only then renamed into
place: a backup file is whole or absent.

File names carry the kind and the UTC time, so listing backups needs no database::

    backups/journal-20261123T183005Z-daily.sqlite3
    backups/journal-20261123T183005Z-1-manual.sqlite3   (a second one in the same second)
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from rejection_journal import paths
from rejection_journal.domain.records import utcnow
from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import DIR_MODE, FILE_MODE, database_path, ensure_private_dir
from rejection_journal.storage.errors import DamagedJournalError, StorageError, classify
from rejection_journal.storage.health import (
    SIDE_SUFFIXES,
    SQLITE_MAGIC,
    Damage,
    check_journal,
    header_damage,
    move_aside,
    side_file,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection,
    connection_uri,
    copy_into,
    own_connection,
    read_start,
)

DAILY = "daily"
MANUAL = "manual"
PRE_MIGRATION = "pre-migration"
PRE_IMPORT = "pre-import"
PRE_RESTORE = "pre-restore"
KINDS = (DAILY, MANUAL, PRE_MIGRATION, PRE_IMPORT, PRE_RESTORE)

#: how many daily backups rotation keeps (one a day: a week)
KEEP_DAILY = 7
#: how many of the other kinds (manual and before an operation), counted together
KEEP_OTHER = 10
#: a temp file left by a backup that was interrupted (crash, power cut) is removed after this
STALE_TEMP_AGE = timedelta(days=1)

_TEMP_PREFIX = ".journal-"
_NAME = re.compile(
    r"^journal-(?P<stamp>\d{8}T\d{6})Z(?:-(?P<counter>\d+))?-(?P<kind>"
    + "|".join(re.escape(k) for k in KINDS)
    + r")\.sqlite3$"
)
_STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. ``created_at`` is UTC without a time zone, like every stored time."""

    path: Path
    kind: str
    created_at: datetime
    size: int

    @property
    def local_time(self) -> datetime:
        """When it was made, in the computer's time zone (for showing to the user)."""
        return self.created_at.replace(tzinfo=UTC).astimezone()


def _utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _local_date(utc: datetime) -> date:
    return utc.replace(tzinfo=UTC).astimezone().date()


def _parse(path: Path) -> tuple[BackupInfo, int] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        created = datetime.strptime(match["stamp"], _STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, match["kind"], created, size), int(match["counter"] or 0)


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in ``backups_dir``, newest first; other files (and temp files) are ignored."""
    try:
        entries = [Path(entry.path) for entry in os.scandir(backups_dir)
                   if entry.is_file(follow_symlinks=False)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise classify(exc) from exc
    found = [parsed for parsed in map(_parse, entries) if parsed is not None]
    found.sort(key=lambda item: (item[0].created_at, item[1], item[0].path.name), reverse=True)
    return [info for info, _counter in found]


def rotate(
    backups_dir: Path,
    *,
    keep_daily: int = KEEP_DAILY,
    keep_other: int = KEEP_OTHER,
    protect: Iterable[Path] = (),
) -> list[Path]:
    """Keep the newest ``keep_daily`` daily backups and the newest ``keep_other`` of the rest.

    Files in ``protect`` are never removed (a backup being restored, for one).  Also clears temp
    files that an interrupted backup left behind.  Returns the removed files.
    """
    if keep_daily < 0 or keep_other < 0:
        raise ValueError("keep_daily and keep_other must be zero or more")
    backups = list_backups(backups_dir)
    daily = [b for b in backups if b.kind == DAILY]
    other = [b for b in backups if b.kind != DAILY]
    protected = {Path(p).absolute() for p in protect}
    removed = []
    for info in (*daily[keep_daily:], *other[keep_other:]):
        if info.path.absolute() in protected:
            continue
        try:
            info.path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # an extra old backup is no harm; the next rotation tries again
        removed.append(info.path)
    _remove_stale_temps(backups_dir)
    return removed


def _remove_stale_temps(backups_dir: Path) -> None:
    cutoff = datetime.now().timestamp() - STALE_TEMP_AGE.total_seconds()
    with contextlib.suppress(OSError):
        for entry in os.scandir(backups_dir):
            if entry.name.startswith(_TEMP_PREFIX) and ".tmp" in entry.name:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)


def _remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(side_file(path, s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def _copy_online(db_path: Path, target: Path, own: sqlite3.Connection | None = None) -> None:
    """Copy the journal page by page into ``target`` and check the copy.

    ``own`` is this process's open connection to the journal, if it has one: the copy is then
    read through it, so no second descriptor of the live file is opened here.  Inside a
    transaction it would copy changes not committed yet, so then a second SQLite connection
    reads the committed journal (SQLite keeps a descriptor it closes open while another
    connection of the process holds locks on the file, so that is safe; plain I/O is not).
    """
    if own is not None and not own.in_transaction:
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
        result = _integrity(dest)
    if result != ["ok"]:
        raise StorageError(_COPY_DAMAGED)


_COPY_DAMAGED = ("The copy of the journal did not pass its integrity check, so no backup was "
                 "made; the journal itself may be damaged.")


def _place(temp: Path, backups_dir: Path, created: datetime, kind: str) -> Path:
    """Give ``temp`` its final name, never replacing an existing backup."""
    stamp = created.strftime(_STAMP)
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
    keep_daily: int = KEEP_DAILY,
    keep_other: int = KEEP_OTHER,
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
    created = (_utc_naive(now) if now is not None else utcnow()).replace(microsecond=0)
    temp: Path | None = None
    try:
        if not db_path.is_file():
            raise StorageError(f"There is no journal at {db_path} to back up.")
        own = own_connection(db_path)
        if own is None:  # not open in this process: its header can be read safely
            damage = header_damage(db_path)
            if damage is not None:
                raise damaged_journal_error(damage, backups_dir)
        ensure_private_dir(backups_dir)
        fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=backups_dir)
        os.close(fd)  # mkstemp made it 0600, so the copy is private from its first byte
        temp = Path(name)
        _copy_online(db_path, temp, own)
        os.chmod(temp, FILE_MODE)
        _fsync_file(temp)
        final = _place(temp, backups_dir, created, kind)
        temp = None
        fsync_dir(backups_dir)
    except StorageError:
        raise
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc).lower():
            raise StorageError(_COPY_DAMAGED) from exc
        raise classify(exc) from exc
    except OSError as exc:
        raise classify(exc) from exc
    finally:
        if temp is not None:
            _remove_with_side_files(temp)
    info = BackupInfo(final, kind, created, final.stat().st_size)
    rotate(backups_dir, keep_daily=keep_daily, keep_other=keep_other, protect=(final, *protect))
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
        if today is not None and today != _local_date(now):
            now = _utc_naive(datetime.combine(today, time(12)).astimezone())
    now = _utc_naive(now)
    if today is None:
        today = _local_date(now)
    try:
        if not db_path.is_file() or db_path.stat().st_size == 0:
            return None
    except OSError as exc:
        raise classify(exc) from exc
    for info in list_backups(backups_dir):
        if info.kind == DAILY and _local_date(info.created_at) == today:
            return None
    return create_backup(db_path, backups_dir, DAILY, now=now)


# -- checking and restoring ----------------------------------------------------------------

def verify_backup(backup_path: Path) -> None:
    """Raise :class:`StorageError` (one plain sentence naming the file) unless ``backup_path``
    is a whole, undamaged journal this version of the app can open.  Only reads the file.
    """
    from rejection_journal.storage.migrations import SCHEMA_VERSION

    path = Path(backup_path)
    name = path.name

    def refuse(why: str) -> StorageError:
        return StorageError(f"{name} cannot be restored: {why}.")

    try:
        if not path.is_file():
            raise refuse("there is no such file")
        header = read_start(path, len(SQLITE_MAGIC))
        if not header:
            raise refuse("the file is empty")
        if header != SQLITE_MAGIC:
            raise refuse("it is not a journal backup")
        with connection(path, "mode=ro&immutable=1") as conn:
            if _integrity(conn) != ["ok"]:
                raise refuse("it is damaged (it did not pass its integrity check)")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except StorageError:
        raise
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc).lower():
            raise classify(exc) from exc
        raise refuse("it is damaged (it did not pass its integrity check)") from exc
    except OSError as exc:
        raise classify(exc) from exc
    if version > SCHEMA_VERSION:
        raise refuse("it was made by a newer version of Rejection Journal; please update the app")
    if version < 1 or not {"attempt", "challenge"} <= tables:
        raise refuse("it is not a journal backup")


def newest_good_backup(backups_dir: Path) -> BackupInfo | None:
    """The newest backup that passes :func:`verify_backup`, or ``None``."""
    for info in list_backups(backups_dir):
        try:
            verify_backup(info.path)
        except StorageError:
            continue
        return info
    return None


def damaged_journal_error(damage: Damage, backups_dir: Path) -> DamagedJournalError:
    """The error for a damaged journal, naming the newest backup that would bring it back."""
    good = newest_good_backup(backups_dir)
    return DamagedJournalError(damage, good.path if good else None)


def _journal_is_open_here(journal_path: Path) -> bool:
    from rejection_journal.storage.models import database

    if database.is_closed() or not database.database:
        return False
    return Path(database.database).absolute() == journal_path.absolute()


def restore_backup(backup_path: Path, data_dir: Path) -> BackupInfo | None:
    """Replace the journal in ``data_dir`` with the backup at ``backup_path``.

    **The journal must be closed** (by this process and any other) before calling this.

    1. The backup is checked first; if it is missing, damaged, not a journal or from a newer
       app, :class:`StorageError` names it and nothing changes.
    2. It is copied to a private temp file beside the journal and synced to disk.
    3. The current journal is kept: backed up as "pre-restore" if it is healthy, or - if it is
       damaged - renamed aside by :func:`~rejection_journal.storage.health.move_aside`.  It is
       never deleted.
    4. Its stale ``-wal``/``-shm`` are removed, and the copy is renamed into place (0600).

    Returns the "pre-restore" backup of the journal that was replaced, or ``None`` when there
    was nothing healthy to back up (no journal yet, or a damaged one that was moved aside).
    """
    backup_path = Path(backup_path).absolute()
    data_dir = Path(data_dir)
    journal_path = database_path(data_dir)
    if _journal_is_open_here(journal_path):
        raise StorageError("Close the journal before restoring a backup.")
    verify_backup(backup_path)
    temp: Path | None = None
    try:
        ensure_private_dir(data_dir)
        fd, name = tempfile.mkstemp(prefix=f".{journal_path.name}.", suffix=".restore.tmp",
                                    dir=data_dir)
        temp = Path(name)
        with os.fdopen(fd, "wb") as out:
            copy_into(backup_path, out)
            out.flush()
            os.fsync(out.fileno())
        verify_backup(temp)  # what landed on disk is what was checked
        saved: BackupInfo | None = None
        sides_exist = any(side_file(journal_path, s).exists() for s in SIDE_SUFFIXES)
        if journal_path.exists():
            damage = check_journal(journal_path)
            if damage is not None:
                move_aside(journal_path)
            elif journal_path.stat().st_size > 0:
                saved = create_backup(journal_path, paths.backups_dir(data_dir), PRE_RESTORE,
                                      protect=(backup_path,))
        elif sides_exist:
            move_aside(journal_path)  # a log without its journal: keep it, never delete it
        # The old log must not be replayed onto the restored journal.
        for suffix in SIDE_SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                side_file(journal_path, suffix).unlink()
        os.replace(temp, journal_path)
        temp = None
        os.chmod(journal_path, FILE_MODE)
        os.chmod(data_dir, DIR_MODE)
        fsync_dir(data_dir)
    except StorageError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise classify(exc) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return saved
