"""Restoring a backup over the journal (closed), and removing what killed restores left."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
from pathlib import Path

import peewee

from rejection_journal import paths
from rejection_journal.fileio import fsync_dir
from rejection_journal.paths import (
    DIR_MODE,
    FILE_MODE,
    database_path,
    ensure_private_dir,
    restrict_mode,
)
from rejection_journal.storage.backup import create_backup
from rejection_journal.storage.backup_check import readable_uri, verify_backup
from rejection_journal.storage.backup_list import (
    PRE_RESTORE,
    BackupInfo,
    Leftovers,
    backup_identity,
    fsync_file,
    journal_identity,
    list_backups,
    remove_entry,
    remove_stale_temps,
    remove_with_side_files,
    short_id,
)
from rejection_journal.storage.errors import (
    StorageError,
    classify,
)
from rejection_journal.storage.health import (
    SIDE_SUFFIXES,
    _rename_no_clobber,
    check_journal,
    move_aside,
    side_file,
    sqlite_uri,
)
from rejection_journal.storage.sqlite_files import (
    connection,
    connection_uri,
    remove_dead_scratch,
)


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
        is_leftover = Leftovers(folder)
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
            if remove_entry(entry):
                done.append(Path(entry.path))
    done += remove_stale_temps(paths.backups_dir(data_dir))
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
        with (readable_uri(source, scratch) as uri, connection_uri(uri, timeout=10) as src,
              connection(temp) as dest):
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    fsync_file(temp)


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
    fsync_file(temp)


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
            remove_with_side_files(temp)
    return saved
