"""The one-writer guard: held by whoever writes the journal (the app, or a CLI command).

Two locks, taken together by :meth:`JournalLock.tryLock`:

* ``journal.lock``, a ``QLockFile``: it records the holder's PID and host, so a lock left
  behind by a killed process is recognised as stale and taken over.
* An OS lock nobody can delete.  On Linux and macOS: ``flock()`` on a descriptor of the data
  folder itself, kept open while the guard is held and released by the kernel when the holder
  exits, even after kill -9.  So deleting or replacing ``journal.lock`` while the app runs
  does not let a second writer in.  ``flock`` is independent of the ``fcntl`` locks SQLite
  takes, and it is never taken on the database or its side files.  On Windows, Qt keeps
  ``journal.lock`` open without ``FILE_SHARE_DELETE`` while it is held, so the file cannot be
  deleted or replaced then; no second lock is needed there.

A file system that cannot ``flock`` a folder (some network mounts: ENOLCK) keeps the
``QLockFile`` guard alone.  That guard decides a lock is stale when the PID it names is not
running, which is a guess when the holder may be in another PID namespace (a container) or
on another machine.  So the holder also records its PID namespace in ``journal.lock``, and
without ``flock`` a lock is taken over only when its holder can really be checked from here:
same host, same boot, same PID namespace.  Otherwise :class:`LockUnavailableError` says
so, rather than guess and write over a running app.

A lock file that cannot be created at all (a full disk, no inodes left, a folder that cannot
be written) is not "held by someone else": :class:`LockUnavailableError` names the real
cause.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo

from rejection_journal.fileio import disk_is_full
from rejection_journal.paths import FILE_MODE, lock_path, restrict_mode

try:
    import fcntl
except ImportError:  # Windows: see the module docstring
    fcntl = None  # type: ignore[assignment]

_RETRY_SECONDS = 0.02

#: the line ``journal.lock`` gains after Qt's own (PID, app, host, machine id, boot id)
_NAMESPACE_KEY = "pidns="


class LockUnavailableError(Exception):
    """The guard was not taken, and not because another writer holds it: the message says
    why (a full disk, a holder that cannot be checked), in words for the user."""


def _flock(fd: int, operation: int) -> None:
    """``flock(2)``; the seam a test replaces to act out a file system without it."""
    fcntl.flock(fd, operation)


def _pid_namespace() -> str:
    """This process's PID namespace (``pid:[4026531836]``), or ``none`` where there are none."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return "none"


def _machine() -> list[str]:
    """What Qt's lock file says of the machine it was written on: host, machine id, boot id."""
    return [QSysInfo.machineHostName(), bytes(QSysInfo.machineUniqueId().data()).decode(),
            bytes(QSysInfo.bootUniqueId().data()).decode()]


def _unverifiable(path: Path) -> str | None:
    """Why the holder ``path`` (an existing ``journal.lock``) names cannot be checked from
    this process, or None when it can (Qt's own stale check is then sound)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"its lock file {path} cannot be read ({exc.strerror or exc})"
    pid = lines[0].strip() if lines else ""
    who = f"the program (PID {pid}) named in {path}" if pid else f"the program named in {path}"
    host, machine, boot = [*lines, "", "", "", ""][2:5]
    here = _machine()
    if [host, machine] != here[:2]:
        return f"{who} runs on another computer ({host or 'unnamed'})"
    if boot and boot != here[2]:
        return None  # written before this computer last started: certainly not running
    recorded = next((line[len(_NAMESPACE_KEY):] for line in lines
                     if line.startswith(_NAMESPACE_KEY)), None)
    if recorded is None:
        return f"{who} did not record where it runs"
    if recorded != _pid_namespace():
        return f"{who} runs in another container (PID namespace {recorded})"
    return None


def _record_namespace(path: Path) -> None:
    """Add this process's PID namespace to the lock file it now holds (Qt reads only its
    own lines)."""
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{_NAMESPACE_KEY}{_pid_namespace()}\n")


def _not_created(data_dir: Path) -> LockUnavailableError:
    """The lock file could not be made: say why, as far as the system tells."""
    path = lock_path(data_dir)
    if disk_is_full(data_dir):
        why = (f"The disk is full, so the journal in {data_dir} cannot be opened for writing "
               f"(not even its small lock file {path.name} fits). Free some space and try "
               "again.")
    elif not os.access(data_dir, os.W_OK):
        why = (f"The folder {data_dir} cannot be written, so the journal cannot be opened for "
               "writing. Check its permissions.")
    else:
        why = (f"The journal's lock file {path} could not be created. Check that the folder "
               f"{data_dir} exists and that you may write to it.")
    return LockUnavailableError(why)


def _hold_folder(data_dir: Path, timeout_ms: int) -> int | None:
    """An open descriptor of ``data_dir`` with an exclusive ``flock``, ``-1`` where folders
    cannot be locked, or ``None`` if another process holds it (after ``timeout_ms``)."""
    if fcntl is None:
        return -1
    try:
        fd = os.open(data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return -1  # QLockFile will report the real problem (missing folder, permissions)
    deadline = time.monotonic() + max(timeout_ms, 0) / 1000
    while True:
        try:
            _flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                os.close(fd)
                return -1  # no flock on this file system: the QLockFile alone guards it
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
        time.sleep(_RETRY_SECONDS)


class JournalLock(QLockFile):
    """``journal.lock`` plus an OS lock on the data folder; see the module docstring."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(str(lock_path(data_dir)))
        self.data_dir = data_dir
        self._folder_fd: int | None = None
        self.setStaleLockTime(0)  # never stale by age; only when its process is gone

    def tryLock(self, timeout: int = 0) -> bool:  # QLockFile's name
        """Take both locks within ``timeout`` ms, or neither: False while another writer
        holds them; :class:`LockUnavailableError` when that cannot be told or the lock file
        cannot be made."""
        if self._folder_fd is not None:
            return False  # like QLockFile: already held by this object
        start = time.monotonic()
        fd = _hold_folder(self.data_dir, timeout)
        if fd is None:
            return False
        path = lock_path(self.data_dir)
        if fd < 0 and fcntl is not None and (why := _unverifiable(path)) is not None:
            raise LockUnavailableError(
                f"The journal in {self.data_dir} may be open elsewhere: {why}, and this "
                "folder's file system cannot lock it for certain, so it was left alone. If "
                f"Rejection Journal is not running anywhere else, delete {path} and try again."
            )
        left = max(0, timeout - int((time.monotonic() - start) * 1000))
        if not super().tryLock(left):
            if fd >= 0:
                os.close(fd)
            if self.error() != QLockFile.LockError.LockFailedError:
                raise _not_created(self.data_dir)
            return False
        if fcntl is not None:
            _record_namespace(path)
        self._folder_fd = fd
        return True

    def unlock(self) -> None:
        super().unlock()
        if self._folder_fd is not None:
            if self._folder_fd >= 0:
                os.close(self._folder_fd)  # releases the flock
            self._folder_fd = None


def journal_lock(data_dir: Path) -> JournalLock:
    return JournalLock(data_dir)


def try_lock(lock: QLockFile, data_dir: Path, timeout_ms: int = 0) -> bool:
    """Take ``lock`` (a stale one is taken over) and make the lock file private; False while
    another writer holds it.  Raises :class:`LockUnavailableError` when the lock cannot be
    taken for another reason (see :meth:`JournalLock.tryLock`)."""
    if not lock.tryLock(timeout_ms):
        return False
    with contextlib.suppress(OSError):
        restrict_mode(lock_path(data_dir), FILE_MODE)
    return True


def holder_pid(lock: QLockFile) -> int | None:
    """The PID ``journal.lock`` names, or ``None`` if there is no (readable) lock file."""
    pid, _host, _app = lock.getLockInfo()  # PySide6: (0, "", "") when it cannot be read
    return int(pid) or None


# -- who holds it --------------------------------------------------------------------------

@dataclass(frozen=True)
class Holder:
    """The process holding the guard, as far as can be told.

    ``command`` is the ``rejection-journal`` subcommand it runs (``"import"``), or ``None`` for
    the app (or a process that is not a ``rejection-journal`` command line).
    """

    pid: int | None
    command: str | None


def _flock_holder(data_dir: Path) -> int | None:
    """The PID holding the folder's ``flock`` (Linux ``/proc/locks``), if it can be read."""
    try:
        info = os.stat(data_dir)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    fallback = None
    for line in lines:
        fields = line.split()
        if "->" in fields:  # a process waiting for the lock, not holding it
            continue
        if len(fields) < 6 or fields[1] != "FLOCK":
            continue
        with contextlib.suppress(ValueError):
            major, minor, inode = fields[5].split(":")
            if int(inode) != info.st_ino:
                continue
            pid = int(fields[4])
            if (int(major, 16), int(minor, 16)) == (os.major(info.st_dev),
                                                     os.minor(info.st_dev)):
                return pid
            fallback = pid  # same inode, device numbered differently (overlay file systems)
    return fallback


def _command_line(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        raw = b""
    if raw:
        return [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    if sys.platform == "darwin":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                                  text=True, timeout=5, check=False)
            if done.stdout.strip():
                return done.stdout.split()
    return None


def _is_launcher(argv: list[str], index: int) -> bool:
    part = argv[index]
    if Path(part).name in ("rejection-journal", "rejection-journal.exe"):
        return True
    if part == "rejection_journal" and index > 0 and argv[index - 1] == "-m":
        return True
    return Path(part).name == "__main__.py" and Path(part).parent.name == "rejection_journal"


def _subcommand(argv: list[str], commands: Iterable[str]) -> str | None:
    """The subcommand in a ``rejection-journal`` command line, or ``None`` (the app, or not
    a ``rejection-journal`` command line at all)."""
    known = set(commands)
    for index in range(len(argv)):
        if not _is_launcher(argv, index):
            continue
        rest = iter(argv[index + 1:])
        for arg in rest:
            if arg == "--data-dir":
                next(rest, None)
            elif arg in known:
                return arg
            elif not arg.startswith("-"):
                return None
        return None
    return None


def find_holder(lock: QLockFile, data_dir: Path, commands: Iterable[str]) -> Holder:
    """Who holds the guard that ``lock`` just failed to take.

    The PID comes from the folder's OS lock where the system lists it (Linux), else from
    ``journal.lock``; the subcommand from the holder's command line where the system shows it.
    """
    pid = _flock_holder(data_dir) or holder_pid(lock)
    argv = _command_line(pid) if pid else None
    return Holder(pid, _subcommand(argv, commands) if argv else None)


def server_name(data_dir: Path) -> str:
    """A per-user, per-journal name for the channel a second start uses to wake the first."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"rejection-journal-{uid}-{digest}"
