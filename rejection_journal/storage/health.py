"""Is the journal file damaged?  Checked before every open, without changing a byte.

:func:`check_journal` asks SQLite itself: ``PRAGMA quick_check`` and the schema, on a read-only
connection that sees the journal's committed ``-wal`` but can neither write the journal nor
leave ``-wal``/``-shm`` files next to it (a private copy when it must); raw bytes are read
only through :mod:`.sqlite_files`, which refuses a file this process has open in SQLite.
"Damaged" means SQLite cannot read it, the check fails, or it is not a Rejection Journal;
header facts only choose the words after that.  A damaged journal is never repaired in place
or deleted: :func:`move_aside` renames it (with its side files) so a backup can be restored
while the damaged copy is kept.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import sqlite3
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from rejection_journal.domain.records import utcnow
from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import backups_dir
from rejection_journal.storage.cipher import PROBE_SIZE, current_key, looks_encrypted
from rejection_journal.storage.errors import classify, is_corrupt, is_not_a_database
from rejection_journal.storage.sqlite_files import (
    SIDE_SUFFIXES,
    connection_uri,
    copy_file,
    ensure_not_live,
    read_start,
    scratch_dir,
    sqlite_uri,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

# The wal-index (``-shm``) header, in the machine's byte order: ``mxFrame`` is the last valid
# frame of the log, ``nBackfill`` how many of them were already copied into the journal file.
_SHM_MX_FRAME = 16
_SHM_BACKFILL = 96


class DamageKind(enum.Enum):
    EMPTY = "empty"
    NOT_A_DATABASE = "not-a-database"
    TRUNCATED = "truncated"
    CORRUPTED = "corrupted"
    LOST_WAL = "lost-wal"
    FOREIGN = "foreign"


_MESSAGES = {
    DamageKind.EMPTY: "The journal file is empty, although it held entries before.",
    DamageKind.NOT_A_DATABASE: "The journal file no longer holds a journal: something else was "
                               "written over it.",
    DamageKind.TRUNCATED: "The journal file is incomplete: part of it is missing, perhaps "
                          "because a copy or the disk was interrupted.",
    DamageKind.CORRUPTED: "The journal file is damaged inside, so some entries can no longer be "
                          "read reliably.",
    DamageKind.LOST_WAL: "The journal's most recent changes were lost: the file that held them "
                         "({wal}) is missing, perhaps removed by a clean-up or sync tool.",
    DamageKind.FOREIGN: "The journal file holds another program's database, not a Rejection "
                        "Journal: perhaps another file was copied over it.",
}


@dataclass(frozen=True)
class Damage:
    """What is wrong with a journal file, in words for the user (one or two sentences)."""

    kind: DamageKind
    message: str


def _damage(kind: DamageKind, db_path: Path) -> Damage:
    return Damage(kind, _MESSAGES[kind].format(wal=db_path.name + "-wal"))


def side_file(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _has_backups(db_path: Path) -> bool:
    folder = backups_dir(db_path.parent)
    try:
        return any(p.name.startswith("journal-") and p.suffix == ".sqlite3"
                   for p in folder.iterdir())
    except OSError:
        return False


def _unsaved_wal_frames(shm: Path) -> bool:
    """True if the ``-shm`` index says the log held changes not yet in the journal file.

    A ``-shm`` without its log is harmless when every frame had been copied back (a crash in
    the instant between SQLite deleting the two files); unreadable means we cannot tell.
    """
    try:
        header = read_start(shm, _SHM_BACKFILL + 4)
    except OSError:
        return True
    if len(header) < _SHM_BACKFILL + 4:
        return bool(header.strip(b"\x00"))
    order = "<" if sys.byteorder == "little" else ">"
    mx_frame: int
    backfilled: int
    (mx_frame,) = struct.unpack_from(order + "I", header, _SHM_MX_FRAME)
    (backfilled,) = struct.unpack_from(order + "I", header, _SHM_BACKFILL)
    return mx_frame > backfilled


def _read_header(db_path: Path) -> bytes:
    """The first 100 bytes of a database file (refused for a file SQLite has open here)."""
    return read_start(db_path, HEADER_SIZE)


def _header_kind(db_path: Path, size: int, *, wal_intact: bool) -> DamageKind | None:
    """What the header alone says is wrong: not a database, cut short, nonsense page size.

    With an intact log (``wal_intact``) the page count in the file's header says nothing:
    a checkpoint writes page 1 first and grows the file after it, and SQLite reads the log.
    """
    header = _read_header(db_path)
    if not header.startswith(SQLITE_MAGIC[: len(header)]):
        return DamageKind.NOT_A_DATABASE
    if len(header) < HEADER_SIZE:
        return DamageKind.TRUNCATED
    (page_size,) = struct.unpack_from(">H", header, 16)
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return DamageKind.CORRUPTED
    if wal_intact:
        return None
    (change_counter,) = struct.unpack_from(">I", header, 24)
    (page_count,) = struct.unpack_from(">I", header, 28)
    (valid_for,) = struct.unpack_from(">I", header, 92)
    if size % page_size:
        return DamageKind.TRUNCATED
    if page_count and valid_for == change_counter and size < page_count * page_size:
        return DamageKind.TRUNCATED
    return None


def _lost_wal(db_path: Path, wal_size: int | None) -> bool:
    """The header says WAL mode, the log is gone, and its index says it held unsaved changes."""
    if wal_size is not None:
        return False
    shm = side_file(db_path, "-shm")
    if not shm.exists():
        return False
    header = _read_header(db_path)
    wal_mode = len(header) == HEADER_SIZE and (header[18] == 2 or header[19] == 2)
    return wal_mode and _unsaved_wal_frames(shm)


def header_damage(db_path: Path) -> Damage | None:
    """The checks that need no SQLite connection: empty file, header, lost log.

    Reads the first 100 bytes and the sizes of the side files; never opens the database.  An
    intact ``-wal`` is taken into account: only :func:`check_journal` (SQLite itself) can say
    whether a journal with a log is damaged.
    Raises :class:`~.sqlite_files.LiveFileError` for a journal this process has open in SQLite
    (reading it here would drop that connection's locks).
    """
    size = _size(db_path)
    if size is None:
        return None
    wal_size = _size(side_file(db_path, "-wal"))
    if size == 0:
        return _empty_file_damage(db_path)
    if looks_encrypted(read_start(db_path, PROBE_SIZE), size):
        return None  # no header to read; SQLCipher checks each page as it reads it
    kind = _header_kind(db_path, size, wal_intact=bool(wal_size))
    if kind is not None:
        return _damage(kind, db_path)
    if _lost_wal(db_path, wal_size):
        return _damage(DamageKind.LOST_WAL, db_path)
    return None


def _empty_file_damage(db_path: Path) -> Damage | None:
    """A zero-length journal file is damage only when it held entries before (backups exist).

    Without backups it is a new journal, even with a log beside it (a first open killed before
    its first checkpoint): SQLite reads such a file as an empty database and ignores the log,
    which :func:`~rejection_journal.storage.journal.open_journal` sets aside, never deletes.
    """
    return _damage(DamageKind.EMPTY, db_path) if _has_backups(db_path) else None


@dataclass(frozen=True)
class _Reading:
    """What SQLite itself says of a journal: its quick check, schema version and tables."""

    check: list[str]
    version: int
    schema: dict[str, frozenset[str]]


def _quick_check(uri: str) -> _Reading:
    from rejection_journal.storage.migrations import read_schema

    with connection_uri(uri, timeout=5) as conn:
        check = [row[0] for row in conn.execute("PRAGMA quick_check")]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        return _Reading(check, version, read_schema(conn))


def copy_with_log(db_path: Path, folder: Path, *, with_wal: bool = True) -> Path:
    """Copy a (closed) database file and its log into ``folder``; returns the copy's path.

    Refused (:class:`~.sqlite_files.LiveFileError`) for a journal this process has open.
    """
    copy = folder / db_path.name
    copy_file(db_path, copy)
    if with_wal:
        with contextlib.suppress(FileNotFoundError):
            copy_file(side_file(db_path, "-wal"), side_file(copy, "-wal"))
    return copy


def _quick_check_copy(db_path: Path) -> _Reading:
    """Check a private copy of the journal and its log (used when the log has no index).

    SQLite would otherwise create the index (``-shm``) next to the journal to read the log.
    """
    with scratch_dir(db_path) as folder:
        copy = copy_with_log(db_path, folder)
        return _quick_check(sqlite_uri(copy, "mode=ro"))


def _read_with_sqlite(db_path: Path, wal_size: int | None) -> _Reading:
    """Let SQLite read the journal as it would open it (with its log), changing no byte."""
    if not wal_size:
        # Nothing in a log: read the file alone, with no locks and no side files.
        return _quick_check(sqlite_uri(db_path, "mode=ro&immutable=1"))
    if side_file(db_path, "-shm").exists():
        # A log and its index (the app is running, or was killed): read both, read-only.
        try:
            return _quick_check(sqlite_uri(db_path, "mode=ro&readonly_shm=1"))
        except sqlite3.OperationalError as exc:
            if is_corrupt(exc):
                raise
    return _quick_check_copy(db_path)  # no index, or one that needs rebuilding


def _failed_damage(db_path: Path, size: int, *, not_a_database: bool) -> Damage:
    """SQLite could not read the journal: the header only chooses the words."""
    try:
        kind = _header_kind(db_path, size, wal_intact=False)
    except OSError:
        kind = None
    if kind is None:
        kind = DamageKind.NOT_A_DATABASE if not_a_database else DamageKind.CORRUPTED
    return _damage(kind, db_path)


def check_journal(db_path: Path) -> Damage | None:
    """Return what is wrong with the journal at ``db_path``, or ``None`` if it is healthy.

    "Damaged" means SQLite itself cannot read the journal (with its ``-wal``), its
    ``quick_check`` fails, or it is not a Rejection Journal (foreign tables or columns).  Two
    facts SQLite cannot see are damage too: a zero-length file where backups show there were
    entries, and a lost log whose index says it held changes.  A missing file, or a
    zero-length one with no backups beside it, is a new journal: healthy.
    Only reads: the file, its ``-wal`` and ``-shm`` keep their bytes, and no file is created
    next to them.  Raises :class:`EnvironmentStorageError` when the file cannot be read at all
    (no permission, I/O error) - that is not damage to the journal.
    """
    from rejection_journal.storage.migrations import is_foreign

    # SQLite keeps the side files beside the file a link points to: look there.
    db_path = Path(os.path.realpath(db_path))
    # Checked before opening, never around an open connection (whose locks a plain read of
    # its files would drop): a bug, said at once rather than on some paths only.
    ensure_not_live(db_path)
    size: int | None = None
    try:
        if not db_path.is_file():
            return None
        size = db_path.stat().st_size
        if size == 0:
            return _empty_file_damage(db_path)
        if current_key() is None and looks_encrypted(read_start(db_path, PROBE_SIZE), size):
            return None  # encrypted: only its passphrase can tell (opening checks it then)
        wal_size = _size(side_file(db_path, "-wal"))
        if _lost_wal(db_path, wal_size):
            return _damage(DamageKind.LOST_WAL, db_path)
        reading = _read_with_sqlite(db_path, wal_size)
    except sqlite3.OperationalError as exc:
        if is_corrupt(exc) and size:
            return _failed_damage(db_path, size, not_a_database=False)
        raise classify(exc) from exc
    except sqlite3.DatabaseError as exc:  # corrupt, not a database, ...
        return _failed_damage(db_path, size or 0, not_a_database=is_not_a_database(exc))
    except OSError as exc:
        raise classify(exc) from exc
    if reading.check != ["ok"]:
        return _failed_damage(db_path, size, not_a_database=False)
    if is_foreign(reading.version, reading.schema):
        return _damage(DamageKind.FOREIGN, db_path)
    return None


def _readable_entries(uri: str) -> dict[str, str] | None:
    """Every entry SQLite can still read at ``uri`` (UUID -> updated_at), as far as it gets;
    ``None`` if it cannot read any of them."""
    found: dict[str, str] = {}
    try:
        with connection_uri(uri, timeout=5) as conn:
            cursor = conn.execute("SELECT uuid, updated_at FROM attempt")
            while (row := cursor.fetchone()) is not None:
                found[str(row[0])] = str(row[1])
    except sqlite3.Error:
        return found or None
    return found


def entries_only_in_journal(db_path: Path, kind: DamageKind, backup: Path) -> int | None:
    """How many entries the damaged journal still holds that ``backup`` lacks (or holds in an
    older version); ``None`` when none of its entries can be read.

    Best effort and read-only: the journal is read from a private copy (with its log, unless
    the log is what was lost), the backup as it is.  Recovery uses it to choose which answer
    to suggest: restoring a backup must never be the default over newer entries.
    """
    if kind in (DamageKind.EMPTY, DamageKind.NOT_A_DATABASE, DamageKind.FOREIGN):
        return None
    db_path = Path(os.path.realpath(db_path))
    try:
        with scratch_dir(db_path) as folder:
            copy = copy_with_log(db_path, folder, with_wal=kind is not DamageKind.LOST_WAL)
            journal = _readable_entries(sqlite_uri(copy, "mode=ro"))
    except OSError:
        return None
    if journal is None:
        return None
    kept = _readable_entries(sqlite_uri(backup, "mode=ro&immutable=1")) or {}
    return sum(1 for uuid, updated in journal.items()
               if uuid not in kept or updated > kept[uuid])


def _aside_name(db_path: Path, stamp: str, counter: int) -> Path:
    extra = f"-{counter}" if counter else ""
    return db_path.with_name(f"{db_path.stem}.damaged-{stamp}{extra}{db_path.suffix}")


def move_aside(db_path: Path, *, side_files_only: bool = False) -> Path:
    """Rename a damaged journal and its side files out of the way; returns the new path.

    ``journal.sqlite3`` becomes ``journal.damaged-20261123T183005Z.sqlite3`` in the same folder
    (``-wal``/``-shm``/``-journal`` follow with the same name; if only side files are left, only
    they move).  Nothing is deleted and nothing is overwritten.  The side files move first, so
    a crash half-way never leaves an old log beside a new journal.

    ``side_files_only`` keeps the journal itself in place and sets aside only its side files:
    after a lost WAL this opens the journal as it is, without its most recent changes.
    """
    db_path = Path(db_path)
    sides = [s for s in SIDE_SUFFIXES if os.path.lexists(side_file(db_path, s))]
    has_main = os.path.lexists(db_path) and not side_files_only
    if not has_main and not sides:
        raise FileNotFoundError(2, "No such file", str(db_path))
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    counter = 0
    while True:
        target = _aside_name(db_path, stamp, counter)
        wanted = [target, *(side_file(target, s) for s in SIDE_SUFFIXES)]
        if not any(os.path.lexists(p) for p in wanted):
            break
        counter += 1
    try:
        for suffix in sides:
            _rename_no_clobber(side_file(db_path, suffix), side_file(target, suffix))
        if has_main:
            _rename_no_clobber(db_path, target)
        fsync_dir(db_path.parent)
    except OSError as exc:
        raise classify(exc) from exc
    return target


_ASIDE = re.compile(r"\.damaged-(?P<stamp>\d{8}T\d{6})Z(?:-(?P<counter>\d+))?\.")


def damaged_copies(folder: Path) -> list[Path]:
    """Journals that :func:`move_aside` kept in ``folder``, newest first."""
    found = []
    try:
        for path in folder.iterdir():
            match = _ASIDE.search(path.name)
            if match and not path.name.endswith(SIDE_SUFFIXES):
                found.append(((match["stamp"], int(match["counter"] or 0)), path))
    except OSError:
        return []
    return [path for _key, path in sorted(found, reverse=True)]


def _rename_no_clobber(source: Path, target: Path) -> None:
    if os.path.lexists(target):
        raise FileExistsError(17, "File exists", str(target))
    os.rename(source, target)

