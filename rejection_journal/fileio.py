"""Crash-safe file writes: a private temp file beside the target, fsync, then rename.

Shared by storage (exports) and charts (image exports); pure standard library.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rejection_journal.paths import FILE_MODE


@contextlib.contextmanager
def atomic_target(path: Path, mode: int = FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on success it replaces ``path`` in one rename.

    On any failure the temp file is removed and ``path`` is left exactly as it was.
    """
    path = Path(path)
    folder = path.parent
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
        os.replace(tmp_name, path)
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
