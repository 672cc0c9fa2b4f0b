"""Is the journal file damaged?  Checked before every open, without changing a byte.

:func:`check_journal` reads the file header itself (through :mod:`.sqlite_files`, which refuses
a file this process has open in SQLite), then runs ``PRAGMA quick_check`` on a
read-only connection that can neither write the journal nor leave ``-wal``/``-shm`` files next
to it.  A damaged journal is never repaired in place or deleted: :func:`move_aside` renames it
(with its side files) so a backup can be restored while the damaged copy is kept.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import sqlite3
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rejection_journal.domain.records import utcnow
from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import backups_dir
from rejection_journal.storage.errors import classify
from rejection_journal.storage.sqlite_files import (
    SIDE_SUFFIXES,
    connection_uri,
    copy_file,
    read_start,
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
    (mx_frame,) = struct.unpack_from(order + "I", header, _SHM_MX_FRAME)
    (backfilled,) = struct.unpack_from(order + "I", header, _SHM_BACKFILL)
    return mx_frame > backfilled


def header_damage(db_path: Path) -> Damage | None:
    """The checks that need no SQLite connection: size, header, page count, lost log.

    Reads the first 100 bytes and the sizes of the side files; never opens the database.
    Raises :class:`~.sqlite_files.LiveFileError` for a journal this process has open in SQLite
    (reading it here would drop that connection's locks).
    """
    size = _size(db_path)
    if size is None:
        return None
    wal_size = _size(side_file(db_path, "-wal"))
    if size == 0:
        if _has_backups(db_path) or wal_size:
            return _damage(DamageKind.EMPTY, db_path)
        return None  # created and not written yet: a new journal
    header = read_start(db_path, HEADER_SIZE)
    if not header.startswith(SQLITE_MAGIC[: len(header)]):
        return _damage(DamageKind.NOT_A_DATABASE, db_path)
    if len(header) < HEADER_SIZE:
        return _damage(DamageKind.TRUNCATED, db_path)
    (page_size,) = struct.unpack_from(">H", header, 16)
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return _damage(DamageKind.CORRUPTED, db_path)
    (change_counter,) = struct.unpack_from(">I", header, 24)
    (page_count,) = struct.unpack_from(">I", header, 28)
    (valid_for,) = struct.unpack_from(">I", header, 92)
    if size % page_size:
        return _damage(DamageKind.TRUNCATED, db_path)
    if page_count and valid_for == change_counter and size < page_count * page_size:
        return _damage(DamageKind.TRUNCATED, db_path)
    wal_mode = header[18] == 2 or header[19] == 2
    shm = side_file(db_path, "-shm")
    if wal_mode and wal_size is None and shm.exists() and _unsaved_wal_frames(shm):
        return _damage(DamageKind.LOST_WAL, db_path)
    return None


def _quick_check(uri: str) -> list[str]:
    with connection_uri(uri, timeout=5) as conn:
        return [row[0] for row in conn.execute("PRAGMA quick_check")]


def _quick_check_copy(db_path: Path) -> list[str]:
    """Check a private copy of the journal and its log (used when the log has no index).

    SQLite would otherwise create the index (``-shm``) next to the journal to read the log.
    """
    with tempfile.TemporaryDirectory(prefix="rejection-journal-check-") as folder:
        copy = Path(folder) / db_path.name
        copy_file(db_path, copy)
        with contextlib.suppress(FileNotFoundError):
            copy_file(side_file(db_path, "-wal"), side_file(copy, "-wal"))
        return _quick_check(sqlite_uri(copy, "mode=ro"))


def check_journal(db_path: Path) -> Damage | None:
    """Return what is wrong with the journal at ``db_path``, or ``None`` if it looks healthy.

    A missing file, or a zero-length one with no backups beside it, is a new journal: healthy.
    Only reads: the file, its ``-wal`` and ``-shm`` keep their bytes, and no file is created
    next to them.  Raises :class:`EnvironmentStorageError` when the file cannot be read at all
    (no permission, I/O error) - that is not damage to the journal.
    """
    db_path = Path(db_path)
    try:
        if not db_path.is_file():
            return None
        damage = header_damage(db_path)
        if damage is not None:
            return damage
        wal_size = _size(side_file(db_path, "-wal"))
        if not wal_size:
            # Nothing in a log: read the file alone, with no locks and no side files.
            result = _quick_check(sqlite_uri(db_path, "mode=ro&immutable=1"))
        elif side_file(db_path, "-shm").exists():
            # A log and its index (the app is running, or was killed): read both, read-only.
            try:
                result = _quick_check(sqlite_uri(db_path, "mode=ro&readonly_shm=1"))
            except sqlite3.OperationalError as exc:
                if "malformed" in str(exc).lower():
                    raise
                result = _quick_check_copy(db_path)  # e.g. an index that needs rebuilding
        else:
            result = _quick_check_copy(db_path)
    except sqlite3.OperationalError as exc:
        if "malformed" in str(exc).lower():
            return _damage(DamageKind.CORRUPTED, db_path)
        raise classify(exc) from exc
    except sqlite3.DatabaseError as exc:  # "malformed", "file is not a database", ...
        if "not a database" in str(exc).lower():
            return _damage(DamageKind.NOT_A_DATABASE, db_path)
        return _damage(DamageKind.CORRUPTED, db_path)
    except OSError as exc:
        raise classify(exc) from exc
    if result != ["ok"]:
        return _damage(DamageKind.CORRUPTED, db_path)
    return None


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

