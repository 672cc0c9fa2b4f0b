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
command line says whose it is, :func:`foreign_backup_note`); the restored journal keeps the
id of the journal it replaces, and a change count above all of that journal's backups, so it
carries on as that journal and its next backups count as its newest.

**Checked before a restore.**  Beside each backup, ``<name>.sha256`` holds its SHA-256
(``sha256sum -c`` reads it), written when it was made; a backup whose bytes changed since, or
whose text and full-text index disagree (FTS5's own integrity check), is refused.

**The folder.**  The backups folder the app creates inside the data folder is private (0700).
A ``backups`` link to a folder elsewhere is used only once the user has chosen it
(:func:`choose_backups_folder`, ``backup --use-linked-folder``); its permissions are never
changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import peewee

from rejection_journal import paths
from rejection_journal.domain.records import utcnow
from rejection_journal.fileio import filesystem_now, fsync_dir, write_atomic
from rejection_journal.paths import (
    DIR_MODE,
    FILE_MODE,
    backups_choice_path,
    database_path,
    ensure_private_dir,
    restrict_mode,
)
from rejection_journal.storage.errors import (
    DamagedJournalError,
    EnvironmentStorageError,
    StorageError,
    classify,
    is_corrupt,
)
from rejection_journal.storage.health import (
    SIDE_SUFFIXES,
    SQLITE_MAGIC,
    Damage,
    _rename_no_clobber,
    check_journal,
    copy_with_log,
    header_damage,
    move_aside,
    side_file,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection,
    connection_uri,
    own_connection,
    owner_alive,
    read_start,
    remove_dead_scratch,
    scratch_dir,
)

DAILY = "daily"
MANUAL = "manual"
PRE_MIGRATION = "pre-migration"
PRE_IMPORT = "pre-import"
PRE_RESTORE = "pre-restore"
KINDS = (DAILY, MANUAL, PRE_MIGRATION, PRE_IMPORT, PRE_RESTORE)

# How many backups of each kind rotation keeps. Each kind has its own quota, so a run of
# one kind (ten imports, say) never pushes out another (the backups you made by hand, or the
# one that undoes a restore); and every quota is at least 1, so the newest of a kind stays.
#: one a day: a week
KEEP_DAILY = 7
#: made by you (Back up now, the ``backup`` command)
KEEP_MANUAL = 10
#: before an import that changed something
KEEP_PRE_IMPORT = 5
#: the journal as it was before a restore: the undo of that restore
KEEP_PRE_RESTORE = 5
#: before a schema upgrade
KEEP_PRE_MIGRATION = 3
KEEP = {
    DAILY: KEEP_DAILY,
    MANUAL: KEEP_MANUAL,
    PRE_IMPORT: KEEP_PRE_IMPORT,
    PRE_RESTORE: KEEP_PRE_RESTORE,
    PRE_MIGRATION: KEEP_PRE_MIGRATION,
}
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
    """One backup file. ``created_at`` is UTC without a time zone, like every stored time.

    ``journal_id`` and ``changes`` are read from inside the file: whose journal it is, and how
    many changes that journal had had when it was made (``None`` for a backup made before
    journals had an id, or a file that cannot be read).
    """

    path: Path
    kind: str
    created_at: datetime
    size: int
    journal_id: str | None = None
    changes: int | None = None

    @property
    def short_id(self) -> str:
        """The first characters of its journal's id, for showing."""
        return short_id(self.journal_id)

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


def short_id(journal_id: str | None) -> str:
    return journal_id[:8] if journal_id else "unknown"


_META_QUERY = 'SELECT "journal_id", "changes" FROM "journal_meta" WHERE "id" = 1'


def _meta(conn: sqlite3.Connection) -> tuple[str | None, int | None]:
    """The journal id and change count of the database behind ``conn`` (None, None without)."""
    try:
        row = conn.execute(_META_QUERY).fetchone()
    except sqlite3.Error:
        return None, None
    if row is None:
        return None, None
    return str(row[0]), int(row[1])


def backup_identity(path: Path) -> tuple[str | None, int | None]:
    """Whose journal the self-contained database file at ``path`` is, and its change count;
    ``(None, None)`` if it has none or cannot be read.  Only reads."""
    try:
        with connection_uri(sqlite_uri(Path(path), "mode=ro&immutable=1")) as conn:
            return _meta(conn)
    except sqlite3.Error:
        return None, None


def journal_identity(db_path: Path) -> tuple[str | None, int | None]:
    """The id and change count of the journal at ``db_path`` (open here or not, with its
    committed log), best effort: ``(None, None)`` when it has none or cannot be read."""
    from rejection_journal.storage.readonly import open_read_only

    own = own_connection(db_path)
    if own is not None:
        return _meta(own)
    db_path = Path(os.path.realpath(db_path))
    found = backup_identity(db_path)
    wal = side_file(db_path, "-wal")
    try:
        if wal.is_file() and wal.stat().st_size:
            # The file alone may lag behind its log (a new journal, or a crash).
            with open_read_only(db_path) as conn:
                found = _meta(conn)
    except (sqlite3.Error, OSError, StorageError):
        pass
    return found


def _parse(path: Path) -> tuple[BackupInfo, int] | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        created = datetime.strptime(match["stamp"], _STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    journal_id, changes = backup_identity(path)
    info = BackupInfo(path, match["kind"], created, size, journal_id, changes)
    return info, int(match["counter"] or 0)


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup in ``backups_dir``, whoever's, newest first; other files (and temp files)
    are ignored.

    Newest means holding the most changes (read from inside each file), then the time in its
    name: a backup made with the clock stuck in the past still comes first when it holds more.
    Backups without a change count (made by older releases) come after those with one.
    """
    try:
        entries = [Path(entry.path) for entry in os.scandir(backups_dir)
                   if entry.is_file(follow_symlinks=False)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise classify(exc) from exc
    found = [parsed for parsed in map(_parse, entries) if parsed is not None]
    found.sort(key=lambda item: (-1 if item[0].changes is None else item[0].changes,
                                 item[0].created_at, item[1], item[0].path.name),
               reverse=True)
    return [info for info, _counter in found]


def backups_of(backups_dir: Path, journal_id: str | None) -> list[BackupInfo]:
    """The backups in ``backups_dir`` that belong to the journal ``journal_id``, newest first,
    and those made before journals had an id (whose they are cannot be told).

    With ``journal_id`` unknown (a damaged journal whose id cannot be read) the folder's
    backups are its own only if they all belong to one journal; never another journal's.
    """
    found = list_backups(backups_dir)
    if journal_id is None:
        owners = {b.journal_id for b in found if b.journal_id is not None}
        journal_id = owners.pop() if len(owners) == 1 else None
    return [b for b in found if b.journal_id is None or b.journal_id == journal_id]


def checksum_path(backup: Path) -> Path:
    """The file beside a backup that holds its SHA-256 (``sha256sum`` format)."""
    return backup.with_name(backup.name + ".sha256")


def _write_checksum(backups_dir: Path, backup: Path, digest: str) -> None:
    """Write ``backup``'s checksum file beside it, through a temp file that carries this
    process's id like a backup's own (``.journal-<pid>-….tmp``): one left by a kill -9 is
    removed at the next start."""
    fd, name = tempfile.mkstemp(prefix=_backup_temp_prefix(), suffix=".tmp", dir=backups_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(f"{digest}  {backup.name}\n".encode())
            handle.flush()
            os.fsync(handle.fileno())
        restrict_mode(Path(name), FILE_MODE)
        os.replace(name, checksum_path(backup))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# -- the backups folder --------------------------------------------------------------------

def _linked_elsewhere(data_dir: Path, backups_dir: Path) -> Path | None:
    """The real folder ``backups_dir`` leads to when that is not a folder of its own inside
    the data folder (a link to a folder elsewhere); ``None`` when it is the app's own."""
    real = Path(os.path.realpath(backups_dir))
    if not os.path.islink(backups_dir) and real.parent == Path(os.path.realpath(data_dir)):
        return None
    return real


def _read_choice(data_dir: Path) -> tuple[Path | None, str | None]:
    """The folder the user chose for backups, and the id of the journal that chose it (kept
    outside the journal: a damaged journal may have lost its own, and a shared folder holds
    other journals' backups)."""
    try:
        lines = backups_choice_path(data_dir).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, None
    folder = Path(lines[0].strip()) if lines and lines[0].strip() else None
    journal_id = lines[1].strip() if len(lines) > 1 and lines[1].strip() else None
    return folder, journal_id


def _write_choice(data_dir: Path, folder: Path, journal_id: str | None) -> None:
    try:
        write_atomic(backups_choice_path(data_dir),
                     f"{folder}\n{journal_id or ''}\n".encode())
    except OSError as exc:
        raise classify(exc) from exc


def _chosen_folder(data_dir: Path) -> Path | None:
    return _read_choice(data_dir)[0]


def choose_backups_folder(data_dir: Path) -> Path:
    """Record that the user chose the folder the data folder's ``backups`` link leads to;
    returns that folder.  Its permissions stay as they are."""
    data_dir = Path(data_dir)
    link = paths.backups_dir(data_dir)
    real = _linked_elsewhere(data_dir, link)
    if real is None:
        raise StorageError(f"{link} is the journal's own backups folder, not a link to one "
                           "elsewhere; there is nothing to choose.")
    if not real.is_dir():
        raise EnvironmentStorageError(
            f"The backups folder {link} leads to {real}, which is not a folder.")
    journal_id, _changes = journal_identity(database_path(data_dir))
    _write_choice(data_dir, real, journal_id)
    return real


def _remember_id(data_dir: Path, backups_dir: Path, journal_id: str | None) -> None:
    """Beside a chosen (shared) backups folder's choice, keep the journal's id up to date."""
    real = _linked_elsewhere(data_dir, backups_dir)
    if real is None or journal_id is None:
        return
    folder, known = _read_choice(data_dir)
    if folder == real and known != journal_id:
        _write_choice(data_dir, real, journal_id)


def _prepare_backups_dir(data_dir: Path, backups_dir: Path) -> None:
    """Make the app's own backups folder (private), or check a linked one was chosen.

    The mode of a folder the app did not create is never changed.
    """
    real = _linked_elsewhere(data_dir, backups_dir)
    if real is None:
        ensure_private_dir(backups_dir)
        return
    if _chosen_folder(data_dir) != real:
        raise EnvironmentStorageError(
            f"The backups folder {backups_dir} is a link to {real}, outside the journal's "
            "folder, so no backup was written there. If you chose that folder, run "
            "'rejection-journal backup --use-linked-folder' once (its permissions are left "
            "as they are); otherwise remove the link.")
    if not real.is_dir():
        raise EnvironmentStorageError(
            f"The backups folder {backups_dir} leads to {real}, which is not a folder.")


def rotate(
    backups_dir: Path,
    journal_id: str | None,
    *,
    keep: Mapping[str, int] | None = None,
    protect: Iterable[Path] = (),
) -> list[Path]:
    """Keep the newest backups of each kind of the journal ``journal_id``, up to that kind's
    quota (:data:`KEEP`); newest by the changes they hold, not by the clock.

    Only that journal's backups are ever removed: not another journal's in a shared folder,
    nor one without an id (made by an older release).  ``keep`` overrides some kinds' quotas;
    a quota below 1 is refused, so the newest backup of a kind is never removed.  Files in
    ``protect`` are never removed (a backup being restored, for one).  Also clears temp files
    that an interrupted backup left behind.  Returns the removed files.
    """
    quotas = {**KEEP, **(keep or {})}
    for kind, quota in quotas.items():
        if kind not in KINDS:
            raise ValueError(f"unknown backup kind {kind!r}")
        if quota < 1:
            raise ValueError(f"rotation keeps at least the newest {kind} backup, not {quota}")
    backups = [b for b in list_backups(backups_dir)  # newest first
               if journal_id is not None and b.journal_id == journal_id]
    protected = {Path(p).absolute() for p in protect}
    removed = []
    surplus = [info for kind in KINDS
               for info in [b for b in backups if b.kind == kind][quotas[kind]:]]
    for info in surplus:
        if info.path.absolute() in protected:
            continue
        try:
            info.path.unlink()
        except FileNotFoundError:
            continue
        except OSError:
            continue  # an extra old backup is no harm; the next rotation tries again
        with contextlib.suppress(OSError):
            checksum_path(info.path).unlink()
        removed.append(info.path)
    _remove_stale_temps(backups_dir)
    return removed


def _backup_temp_prefix() -> str:
    """Temp files of a backup carry the PID of the process making it: ``.journal-4242-....tmp``."""
    return f"{_TEMP_PREFIX}{os.getpid()}-"


_OWNED_BACKUP_TEMP = re.compile(re.escape(_TEMP_PREFIX) + r"(?P<pid>\d+)-")


class _Leftovers:
    """Tells the temp files of operations that are over in one folder: their owner is gone,
    or (where that cannot be told, or for names without a PID) they are older than
    :data:`STALE_TEMP_AGE` by the file system's own clock (:func:`filesystem_now`, asked
    once, and only if an age is needed)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._now: float | None = None

    def __call__(self, entry: os.DirEntry[str], pid: int | None) -> bool:
        alive = owner_alive(pid) if pid is not None else None
        if alive is not None:
            return not alive
        if self._now is None:
            self._now = filesystem_now(self._folder)
        try:
            age = self._now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            return False
        return age > STALE_TEMP_AGE.total_seconds()


def _remove_entry(entry: os.DirEntry[str]) -> bool:
    try:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    except FileNotFoundError:
        return False
    except OSError:
        return False  # the next start tries again
    return True


def _remove_stale_temps(backups_dir: Path) -> list[Path]:
    """Remove temp files of backups that were interrupted (their process is gone)."""
    removed = []
    is_leftover = _Leftovers(backups_dir)
    with contextlib.suppress(OSError):
        for entry in os.scandir(backups_dir):
            if entry.name.startswith(_TEMP_PREFIX) and ".tmp" in entry.name:
                owned = _OWNED_BACKUP_TEMP.match(entry.name)
                if is_leftover(entry, int(owned["pid"]) if owned else None) \
                        and _remove_entry(entry):
                    removed.append(Path(entry.path))
    return removed


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
    created = (_utc_naive(now) if now is not None else utcnow()).replace(microsecond=0)
    temp: Path | None = None
    try:
        if not db_path.is_file():
            raise StorageError(f"There is no journal at {db_path} to back up.")
        own = own_connection(db_path)
        if own is None:  # not open in this process: its header can be read safely
            damage = header_damage(db_path)
            if damage is not None:
                raise damaged_journal_error(damage, backups_dir, db_path)
        _prepare_backups_dir(db_path.parent, backups_dir)
        fd, name = tempfile.mkstemp(prefix=_backup_temp_prefix(), suffix=".tmp",
                                    dir=backups_dir)
        os.close(fd)  # mkstemp made it 0600, so the copy is private from its first byte
        temp = Path(name)
        _copy_online(db_path, temp, own)
        restrict_mode(temp, FILE_MODE)
        _fsync_file(temp)
        journal_id, changes = backup_identity(temp)
        _remember_id(db_path.parent, backups_dir, journal_id)
        digest = _sha256(temp)
        final = _place(temp, backups_dir, created, kind)
        temp = None
        try:
            _write_checksum(backups_dir, final, digest)
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
            _remove_with_side_files(temp)
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
    journal_id, _changes = journal_identity(db_path)
    for info in list_backups(backups_dir):
        if info.kind == DAILY and _local_date(info.created_at) == today \
                and info.journal_id in (journal_id, None):
            return None
    return create_backup(db_path, backups_dir, DAILY, now=now)


# -- checking and restoring ----------------------------------------------------------------

@contextlib.contextmanager
def _readable(path: Path, scratch: Path | None = None) -> Iterator[str]:
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
    if _sha256(path) != words[0]:
        return ("its bytes changed after it was made (they no longer match its checksum in "
                f"{sidecar.name}), so it is damaged")
    return None


def _search_index_agrees(conn: sqlite3.Connection) -> bool:
    """FTS5's own check that the full-text index matches the entries' text.  It runs on an
    in-memory copy: SQLite runs it as a write, and the file is only ever read."""
    memory = sqlite3.connect(":memory:")
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
        header = read_start(path, len(SQLITE_MAGIC))
        if not header:
            raise refuse("the file is empty")
        if header != SQLITE_MAGIC:
            raise refuse("it is not a journal backup")
        changed = _checksum_problem(path)
        if changed is not None:
            raise refuse(changed)
        with _readable(path) as uri, connection_uri(uri) as conn:
            if _integrity(conn) != ["ok"]:
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
            journal_id = _read_choice(Path(db_path).parent)[1]
    good = newest_good_backup(backups_dir, journal_id)
    return DamagedJournalError(damage, good.path if good else None)


def _journal_is_open_here(journal_path: Path) -> bool:
    from rejection_journal.storage.models import current_database

    db = current_database()
    if db is None or db.is_closed() or not db.database:
        return False
    return Path(db.database).absolute() == journal_path.absolute()


# -- temp files of a restore, and what a killed one leaves -----------------------------------

#: ``.journal.sqlite3.<pid>.<token>.restore.tmp``: the journal being built;
#: ``...restore-old.tmp``: the journal it replaces, for the instant of the swap;
#: ``...restore-src.tmp/``: a private copy of a source that has a ``-wal``.
_RESTORE_TEMP = re.compile(
    r"^\.(?P<journal>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.restore(?P<what>|-old|-src)\.tmp"
    r"(?:-wal|-shm|-journal)?$"
)
#: names made before temp files carried their owner's PID (mkstemp's random part only)
_LEGACY_RESTORE_TEMP = re.compile(r"^\.(?P<journal>.+?)\.[a-z0-9_]{8}\.restore\.tmp"
                                  r"(?:-wal|-shm|-journal)?$")


def _restore_temp(target: Path, what: str = "") -> Path:
    """A new, private, empty temp file (or folder, for ``-src``) beside ``target``."""
    while True:
        path = target.with_name(
            f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.restore{what}.tmp")
        try:
            if what == "-src":
                path.mkdir(mode=DIR_MODE)
            else:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
        except FileExistsError:
            continue
        return path


def _journal_target(journal_path: Path) -> Path:
    """The file a restore writes: the journal, or the file it links to (the link is kept)."""
    return Path(os.path.realpath(journal_path))


def remove_leftovers(data_dir: Path) -> list[Path]:
    """Remove what killed restores and backups left in ``data_dir`` and its backups folder.

    Temp files of an operation still running (its PID is alive) are kept; names without a PID
    (older versions) are removed once a day old.  If a restore was killed in the instant
    between moving the journal out of the way and putting the new one in, the journal is put
    back.  Returns the paths removed (or put back).
    """
    journal_path = database_path(data_dir)
    target = _journal_target(journal_path)
    names = {journal_path.name, target.name}
    done: list[Path] = []
    for folder in dict.fromkeys((Path(data_dir), target.parent)):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        is_leftover = _Leftovers(folder)
        for entry in entries:
            match = _RESTORE_TEMP.match(entry.name)
            legacy = None if match else _LEGACY_RESTORE_TEMP.match(entry.name)
            found = match or legacy
            if found is None or found["journal"] not in names:
                continue
            if not is_leftover(entry, int(match["pid"]) if match else None):
                continue
            if match and match["what"] == "-old" and entry.name.endswith(".tmp") \
                    and not os.path.lexists(target):
                with contextlib.suppress(OSError):
                    os.rename(entry.path, target)  # killed mid-swap: the journal comes back
                    fsync_dir(target.parent)
                    done.append(target)
                    continue
            if _remove_entry(entry):
                done.append(Path(entry.path))
    done += _remove_stale_temps(paths.backups_dir(data_dir))
    for folder in dict.fromkeys((Path(data_dir), target.parent)):
        done += remove_dead_scratch(folder)  # copies killed read-only commands left
    done += remove_dead_scratch()  # ... and older releases left in the temp folder
    return done


def _copy_into(source: Path, temp: Path, scratch_beside: Path) -> None:
    """Write the journal ``source`` holds (with its committed ``-wal``) into ``temp``, as one
    self-contained file, through SQLite's backup API; never a byte copy of the file alone."""
    scratch: Path | None = None
    try:
        if side_file(Path(os.path.realpath(source)), "-wal").exists():
            scratch = _restore_temp(scratch_beside, "-src")
        with (_readable(source, scratch) as uri, connection_uri(uri, timeout=10) as src,
              connection(temp) as dest):
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    _fsync_file(temp)


def _adopt(temp: Path, journal_id: str | None, floor: int) -> None:
    """Make the journal being restored (the private copy ``temp``) carry on as the journal it
    replaces: its id (so every backup of that journal stays its own), and a change count
    above ``floor`` (so its next backups count as newer than every one made before).

    A backup from before journals had an id is brought up to this schema first (the backup
    file itself stays as it was).
    """
    from rejection_journal.storage.migrations import SCHEMA, SchemaVersion, is_newer, migrate

    with connection(temp) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not is_newer(version) and SchemaVersion.from_user_version(version) < SCHEMA:
        db = peewee.SqliteDatabase(str(temp), pragmas={"foreign_keys": 1})
        try:
            migrate(db)
        finally:
            db.close()
    with connection(temp) as conn:
        if journal_id is not None:
            conn.execute('UPDATE "journal_meta" SET "journal_id" = ?', (journal_id,))
        conn.execute('UPDATE "journal_meta" SET "changes" = max("changes", ?)', (floor + 1,))
        conn.commit()
    _fsync_file(temp)


def foreign_backup_note(backup_path: Path, data_dir: Path) -> str | None:
    """When ``backup_path`` is another journal's backup than the one in ``data_dir``, one
    sentence saying whose it is (for the restore's message); otherwise ``None``."""
    theirs, _ = backup_identity(Path(os.path.realpath(backup_path)))
    mine, _ = journal_identity(database_path(data_dir))
    if theirs is None or mine is None or theirs == mine:
        return None
    return (f"{Path(backup_path).name} is a backup of another journal (id {short_id(theirs)}), "
            f"not of this one (id {short_id(mine)}); restored here, it carries on as this "
            "journal.")


def _settle(journal: Path) -> None:
    """Make the closed journal one self-contained file: SQLite copies its log back and removes
    it with its index, so no log of the old journal is ever replayed onto the restored one."""
    with connection_uri(sqlite_uri(journal, "mode=rw"), timeout=10) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _opens(path: Path) -> bool:
    """Does the file at ``path`` open as a journal (SQLite reads it, quick_check, schema)?"""
    try:
        return check_journal(path) is None
    except StorageError:
        return False


def _put_in_place(temp: Path, target: Path) -> None:
    """Swap ``temp`` in as ``target``, then check the result opens; if it does not, put the
    previous journal back exactly (and raise).  Each step is one rename, so a kill at any
    point leaves the old journal, the new one, or - for an instant - the old one under a
    temp name that :func:`remove_leftovers` puts back."""
    old: Path | None = None
    if os.path.lexists(target):
        old = _restore_temp(target, "-old")
        os.replace(target, old)
    os.replace(temp, target)
    fsync_dir(target.parent)
    if _opens(target):
        if old is not None:
            old.unlink()
        return
    if old is not None:
        os.replace(old, target)
    else:
        target.unlink()
    fsync_dir(target.parent)
    raise StorageError("The restored journal did not open, so the journal was put back as it "
                       "was.")


def _move_back(aside: Path, target: Path) -> None:
    for suffix in ("", *SIDE_SUFFIXES):
        with contextlib.suppress(FileNotFoundError):
            _rename_no_clobber(side_file(aside, suffix), side_file(target, suffix))


def restore_backup(backup_path: Path, data_dir: Path) -> BackupInfo | None:
    """Replace the journal in ``data_dir`` with the backup at ``backup_path``.

    **The journal must be closed** (by this process and any other) before calling this.

    1. The backup is checked first - with its committed ``-wal`` if one is beside it; if it
       is missing, damaged, not a journal of a known schema or from a newer app, or is the
       journal itself, :class:`StorageError` names it and nothing changes.
    2. It is written through SQLite's backup API into a private temp file beside the journal
       (beside the file a symlinked journal points to: the link is kept) and checked again.
    3. The current journal is kept: backed up as "pre-restore" if it is healthy, or - if it is
       damaged - renamed aside by :func:`~rejection_journal.storage.health.move_aside`.  It is
       never deleted.
    4. The old journal's log is folded back by SQLite, the copy is renamed into place (0600)
       and must open; otherwise the previous journal is put back exactly.

    Leftovers of killed restores and backups are removed first.  Returns the "pre-restore"
    backup of the journal that was replaced, or ``None`` when there was nothing healthy to
    back up (no journal yet, or a damaged one that was moved aside).
    """
    backup_path = Path(backup_path).absolute()
    data_dir = Path(data_dir)
    journal_path = database_path(data_dir)
    if _journal_is_open_here(journal_path):
        raise StorageError("Close the journal before restoring a backup.")
    target = _journal_target(journal_path)
    with contextlib.suppress(OSError):
        if os.path.samefile(backup_path, target):
            raise StorageError(f"{backup_path.name} is the journal itself, so it cannot be "
                               "restored over itself; choose a backup.")
    verify_backup(backup_path)
    temp: Path | None = None
    aside: Path | None = None
    try:
        ensure_private_dir(data_dir)
        remove_leftovers(data_dir)
        journal_id, changes = journal_identity(journal_path) if target.exists() else (None, None)
        floor = max([changes or 0, *(b.changes or 0 for b in list_backups(
            paths.backups_dir(data_dir)) if journal_id is not None
            and b.journal_id == journal_id)])
        temp = _restore_temp(target)
        _copy_into(backup_path, temp, target)
        _adopt(temp, journal_id, floor)
        verify_backup(temp, name=backup_path.name)  # what landed on disk is what was checked
        saved: BackupInfo | None = None
        sides_exist = any(os.path.lexists(side_file(target, s)) for s in SIDE_SUFFIXES)
        if target.exists():
            damage = check_journal(journal_path)
            if damage is not None:
                aside = move_aside(target)
            elif target.stat().st_size > 0:
                saved = create_backup(journal_path, paths.backups_dir(data_dir), PRE_RESTORE,
                                      protect=(backup_path,))
                _settle(target)
        elif sides_exist:
            aside = move_aside(target)  # a log without its journal: keep it, never delete it
        # The old log must not be replayed onto the restored journal (after _settle it holds
        # nothing the journal file lacks).
        for suffix in SIDE_SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                side_file(target, suffix).unlink()
        try:
            _put_in_place(temp, target)
        except BaseException:
            if aside is not None:
                _move_back(aside, target)
            raise
        temp = None
        restrict_mode(target, FILE_MODE)
        restrict_mode(data_dir, DIR_MODE)
        fsync_dir(data_dir)
    except StorageError:
        raise
    except (sqlite3.Error, OSError) as exc:
        raise classify(exc) from exc
    finally:
        if temp is not None:
            _remove_with_side_files(temp)
    return saved
