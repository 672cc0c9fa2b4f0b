"""A real small disk for a test in this process: a tmpfs mounted on a folder under tmp_path.

Unlike tests/reliability/disk_full.py (a private mount namespace for a subprocess), the
mount is made here so a pytest-qt window or a service in the test's own process can meet a
real ENOSPC.  It needs root; it is unmounted (lazily) when the test ends, whatever happens.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def can_mount() -> bool:
    return (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None
            and Path("/proc/self/mountinfo").exists())


needs_mount = pytest.mark.skipif(not can_mount(),
                                 reason="needs root to mount a small real tmpfs")


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int = 4096, inodes: int | None = None) -> Iterator[Path]:
    """``folder`` (made here) as a tmpfs of ``size_kb`` KB (and ``inodes`` files at most)."""
    folder.mkdir(parents=True)
    options = f"size={size_kb}k,mode=0700" + (f",nr_inodes={inodes}" if inodes else "")
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_up(folder: Path) -> None:
    """Take every free block of ``folder``'s disk (a filler file, written until ENOSPC)."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        chunk = b"\0" * (1 << 16)
        while True:
            try:
                written = handle.write(chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    return
                chunk = chunk[: len(chunk) // 2]
                continue
            if not written:
                return


def use_up_inodes(folder: Path) -> None:
    """Create empty files in ``folder`` until the disk has no inode left."""
    for number in range(1_000_000):
        try:
            (folder / f"inode-{number}").touch()
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                return
            raise
