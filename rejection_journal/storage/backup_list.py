"""The backups folder: backup names and kinds, whose journal each holds, listing, checksums,
the folder the user chose, rotation, and the temp files interrupted backups leave.

See :mod:`.backup` for what a backup is."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rejection_journal import paths
from rejection_journal.fileio import filesystem_now, write_atomic
from rejection_journal.paths import (
    FILE_MODE,
    backups_choice_path,
    database_path,
    ensure_private_dir,
    restrict_mode,
)
from rejection_journal.storage.errors import (
    EnvironmentStorageError,
    StorageError,
    classify,
)
from rejection_journal.storage.health import (
    SIDE_SUFFIXES,
    side_file,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection_uri,
    own_connection,
    owner_alive,
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
STAMP = "%Y%m%dT%H%M%S"


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


def utc_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def local_date(utc: datetime) -> date:
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


def backup_entry_count(path: Path) -> int | None:
    """How many entries the self-contained backup at ``path`` holds; None if it cannot be
    read.  Only reads."""
    try:
        with connection_uri(sqlite_uri(Path(path), "mode=ro&immutable=1")) as conn:
            row = conn.execute('SELECT count(*) FROM "attempt"').fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row is not None else None


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
        created = datetime.strptime(match["stamp"], STAMP)
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


def write_checksum(backups_dir: Path, backup: Path, digest: str) -> None:
    """Write ``backup``'s checksum file beside it, through a temp file that carries this
    process's id like a backup's own (``.journal-<pid>-….tmp``): one left by a kill -9 is
    removed at the next start."""
    fd, name = tempfile.mkstemp(prefix=backup_temp_prefix(), suffix=".tmp", dir=backups_dir)
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


def file_sha256(path: Path) -> str:
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


def read_choice(data_dir: Path) -> tuple[Path | None, str | None]:
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
    return read_choice(data_dir)[0]


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


def remember_id(data_dir: Path, backups_dir: Path, journal_id: str | None) -> None:
    """Beside a chosen (shared) backups folder's choice, keep the journal's id up to date."""
    real = _linked_elsewhere(data_dir, backups_dir)
    if real is None or journal_id is None:
        return
    folder, known = read_choice(data_dir)
    if folder == real and known != journal_id:
        _write_choice(data_dir, real, journal_id)


def prepare_backups_dir(data_dir: Path, backups_dir: Path) -> None:
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
    remove_stale_temps(backups_dir)
    return removed


def backup_temp_prefix() -> str:
    """Temp files of a backup carry the PID of the process making it: ``.journal-4242-....tmp``."""
    return f"{_TEMP_PREFIX}{os.getpid()}-"


_OWNED_BACKUP_TEMP = re.compile(re.escape(_TEMP_PREFIX) + r"(?P<pid>\d+)-")


class Leftovers:
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


def remove_entry(entry: os.DirEntry[str]) -> bool:
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


def remove_stale_temps(backups_dir: Path) -> list[Path]:
    """Remove temp files of backups that were interrupted (their process is gone)."""
    removed = []
    is_leftover = Leftovers(backups_dir)
    with contextlib.suppress(OSError):
        for entry in os.scandir(backups_dir):
            if entry.name.startswith(_TEMP_PREFIX) and ".tmp" in entry.name:
                owned = _OWNED_BACKUP_TEMP.match(entry.name)
                if is_leftover(entry, int(owned["pid"]) if owned else None) \
                        and remove_entry(entry):
                    removed.append(Path(entry.path))
    return removed


def remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(side_file(path, s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def integrity(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("PRAGMA integrity_check")]
