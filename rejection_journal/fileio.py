"""Crash-safe file writes: a private temp file beside the target, fsync, then rename.

Shared by storage (exports) and charts (image exports); pure standard library.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rejection_journal.paths import FILE_MODE, backups_dir, is_own_file


class UnsafeTargetError(OSError):
    """A file is not written there (a folder, a device, the journal's own file): one line
    for the user, raised before anything is written."""


class TargetExistsError(UnsafeTargetError):
    """The target file exists and replacing it was not asked for."""


def _shown(path: Path) -> str:
    text = str(path)
    return text if text.isprintable() else repr(text)


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _regular_or_missing(path: Path, real: Path) -> os.stat_result | None:
    """The stat of ``real`` if it is a regular file, None if nothing is there; else refuse."""
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(info.st_mode):
        raise UnsafeTargetError(f"{_shown(path)} is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeTargetError(
            f"{_shown(path)} is {_kind(info.st_mode)}, not a regular file; files are only "
            "written to regular files"
        )
    return info


def _hard_link_to_own_file(data_dir: Path, info: os.stat_result) -> bool:
    """Is the file with ``info`` also one of the journal's own files under another name?"""
    if info.st_nlink < 2:
        return False
    for folder in (data_dir, backups_dir(data_dir)):
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                candidate = Path(entry.path)
                if not is_own_file(data_dir, candidate):
                    continue
                with contextlib.suppress(OSError):
                    own = entry.stat(follow_symlinks=False)
                    if (own.st_dev, own.st_ino) == (info.st_dev, info.st_ino):
                        return True
    return False


def check_export_target(path: Path, data_dir: Path | None, *, force: bool = False) -> Path:
    """Refuse a place an export must not be written to; return the (absolute) path to write.

    Refused, with :class:`UnsafeTargetError`, before anything is written: a folder, a device,
    a FIFO or socket, a missing folder, and (when ``data_dir`` is given) the data folder's own
    files — the journal and its ``-wal``/``-shm``/``-journal``, the lock, the window state,
    damaged copies, anything in ``backups/`` — also when reached through a symlink or a hard
    link.  An existing file is refused with :class:`TargetExistsError` unless ``force``.
    """
    path = Path(path).expanduser().absolute()
    real = Path(os.path.realpath(path))
    real_dir = None if data_dir is None else Path(os.path.realpath(data_dir))
    if real_dir is not None and is_own_file(real_dir, real):
        via = "" if real == path else f" (it points to {_shown(real)})"
        raise UnsafeTargetError(
            f"{_shown(path)} is one of the journal's own files{via}; choose another file"
        )
    info = _regular_or_missing(path, real)
    if info is None:
        if not real.parent.is_dir():
            raise UnsafeTargetError(f"folder {_shown(path.parent)} does not exist")
        return path
    if real_dir is not None and _hard_link_to_own_file(real_dir, info):
        raise UnsafeTargetError(
            f"{_shown(path)} is one of the journal's own files (a hard link to it); choose "
            "another file"
        )
    if not force:
        raise TargetExistsError(f"{_shown(path)} already exists")
    return path


@contextlib.contextmanager
def atomic_target(path: Path, mode: int = FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on success it replaces ``path`` in one rename.

    On any failure the temp file is removed and ``path`` is left exactly as it was.  A
    symlink is written through: its target is replaced and the link kept.  Only a regular
    file is ever replaced (:class:`UnsafeTargetError` for a folder, device or FIFO).
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    _regular_or_missing(path, target)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such folder", str(folder))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def write_atomic(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    with atomic_target(path, mode) as handle:
        handle.write(data)


def fsync_dir(folder: Path) -> None:
    """Make a rename or new file in ``folder`` survive a power cut (POSIX)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class UnknownFormatError(ValueError):
    """A file name whose extension is not one of the formats offered."""


def resolve_format(path: Path, chosen: str | None, formats: dict[str, str]) -> tuple[Path, str]:
    """The file to write and its format, from what the user set in a save dialog.

    ``formats`` maps extensions (".csv") to format names ("csv"). A known extension typed in
    the name decides; with none, the ``chosen`` format (the dialog's filter) decides and its
    extension is added (also after a dot that is part of the name, "notes.v2"). The name and
    the content never disagree. An unknown extension with nothing chosen is refused
    (:class:`UnknownFormatError`, naming the formats)."""
    suffix = path.suffix.lower()
    if suffix in formats:
        return path, formats[suffix]
    extension = {fmt: ext for ext, fmt in formats.items()}.get(chosen or "")
    looks_like_extension = bool(suffix) and suffix[1:].isalpha() and len(suffix) <= 5
    if extension is not None and not looks_like_extension:
        return path.with_name(path.name + extension), chosen or ""
    exts = list(formats)
    names = exts[0] if len(exts) == 1 else ", ".join(exts[:-1]) + " or " + exts[-1]
    raise UnknownFormatError(f"Unsupported format '{path.suffix or '(none)'}': use {names}")


#: less free space than this counts as a full disk: SQLite and a lock file need a few pages
FULL_BELOW_BYTES = 1 << 20


def disk_is_full(folder: Path) -> bool:
    """Is the file system holding ``folder`` out of space or out of inodes (for this user)?

    False when it cannot be told (no ``statvfs``, a folder that cannot be read): the caller
    then says what it knows instead of guessing."""
    if not hasattr(os, "statvfs"):
        return False
    place = folder
    while True:
        try:
            info = os.statvfs(place)
            break
        except FileNotFoundError:
            if place.parent == place:
                return False
            place = place.parent  # not made yet: its disk is the nearest existing parent's
        except OSError:
            return False
    if info.f_bavail * info.f_frsize < FULL_BELOW_BYTES:
        return True
    return info.f_files > 0 and info.f_favail == 0


def filesystem_now(folder: Path) -> float:
    """The time the file system of ``folder`` gives a file written now (seconds since the
    epoch), to judge the age of files there by the same clock that stamped them: a computer
    clock that jumped (a dead RTC battery, a corrected clock) never makes a file written a
    moment ago look a day old.  Falls back to the computer's clock where nothing can be
    written."""
    import time

    try:
        fd, name = tempfile.mkstemp(prefix=".clock-", suffix=".tmp", dir=folder)
    except OSError:
        return time.time()
    try:
        return os.fstat(fd).st_mtime
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
