"""The one-writer guard in one process: two guards on one folder, a deleted lock file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_journal.lock import Holder, _subcommand, find_holder, journal_lock, try_lock
from rejection_journal.paths import ensure_private_dir, lock_path

COMMANDS = ("demo", "export", "import", "backup", "restore")


def test_the_guard_holds_after_its_lock_file_is_deleted_or_replaced(tmp_path: Path) -> None:
    data = ensure_private_dir(tmp_path / "journal")
    held = journal_lock(data)
    assert try_lock(held, data)
    try:
        lock_path(data).unlink()
        assert not try_lock(journal_lock(data), data, 50)
        assert not lock_path(data).exists(), "a refused guard leaves no lock file behind"
        lock_path(data).write_text("99999999\nsomething\nelsewhere\n")  # replaced
        assert not try_lock(journal_lock(data), data)
    finally:
        held.unlock()
    lock_path(data).unlink(missing_ok=True)
    again = journal_lock(data)
    assert try_lock(again, data), "released on unlock"
    again.unlock()


def test_the_holder_is_named_even_without_its_lock_file(tmp_path: Path) -> None:
    import os

    data = ensure_private_dir(tmp_path / "journal")
    held = journal_lock(data)
    assert try_lock(held, data)
    try:
        lock_path(data).unlink()
        loser = journal_lock(data)
        assert not try_lock(loser, data)
        holder = find_holder(loser, data, COMMANDS)
    finally:
        held.unlock()
    if not Path("/proc/locks").exists():
        pytest.skip("only Linux lists flock holders (/proc/locks)")
    assert holder == Holder(os.getpid(), None)  # pytest is no rejection-journal command


@pytest.mark.parametrize(("argv", "command"), [
    (["/usr/bin/python3", "/venv/bin/rejection-journal"], None),
    (["/venv/bin/rejection-journal", "--data-dir", "import", "import", "x.json"], "import"),
    (["python", "-m", "rejection_journal", "--data-dir=/d", "restore", "b.sqlite3"], "restore"),
    (["python", "-m", "pytest", "-k", "import"], None),
    (["python", "/src/rejection_journal/__main__.py", "backup"], "backup"),
])
def test_the_subcommand_is_read_from_a_command_line(argv: list[str], command: str | None
                                                    ) -> None:
    assert _subcommand(argv, COMMANDS) == command


# -- issue 18 item 6: no flock, and a holder that cannot be checked --------------------------

def _no_flock(monkeypatch: pytest.MonkeyPatch) -> None:
    """This folder's file system cannot flock (ENOLCK, as on some network mounts)."""
    import errno

    from rejection_journal import lock

    def refuse(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock, "_flock", refuse)


def _pid_not_running() -> int:
    pid = 4_000_000
    while Path(f"/proc/{pid}").exists():
        pid -= 1
    return pid


def _lock_file(data: Path, pid: int, extra: str) -> str:
    """A journal.lock as Qt writes it on this machine, naming ``pid``, plus ``extra``."""
    from PySide6.QtCore import QSysInfo

    text = (f"{pid}\nrejection-journal\n{QSysInfo.machineHostName()}\n"
            f"{bytes(QSysInfo.machineUniqueId().data()).decode()}\n"
            f"{bytes(QSysInfo.bootUniqueId().data()).decode()}\n{extra}")
    lock_path(data).write_text(text)
    return text


@pytest.mark.parametrize("extra", ["pidns=pid:[4026500001]\n", ""],
                         ids=["another pid namespace", "no namespace recorded"])
def test_without_flock_a_lock_from_another_namespace_is_refused_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    from rejection_journal.lock import LockUnavailableError

    _no_flock(monkeypatch)
    data = ensure_private_dir(tmp_path / "journal")
    # Its PID is not running *here*; in its own namespace it may well be the running app.
    written = _lock_file(data, _pid_not_running(), extra)
    with pytest.raises(LockUnavailableError) as caught:
        try_lock(journal_lock(data), data)
    message = str(caught.value)
    assert "may be open elsewhere" in message and f"delete {lock_path(data)}" in message
    assert ("another container" if extra else "did not record where it runs") in message
    assert lock_path(data).read_text() == written, "the lock was left alone"


def test_without_flock_a_stale_lock_from_this_namespace_is_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    _no_flock(monkeypatch)
    data = ensure_private_dir(tmp_path / "journal")
    _lock_file(data, _pid_not_running(), f"pidns={os.readlink('/proc/self/ns/pid')}\n")
    lock = journal_lock(data)
    assert try_lock(lock, data), "its holder can be checked here: it is gone"
    try:
        lines = lock_path(data).read_text().splitlines()
        assert lines[0] == str(os.getpid())
        assert lines[-1] == f"pidns={os.readlink('/proc/self/ns/pid')}", "recorded for others"
        assert not try_lock(journal_lock(data), data), "held now: a second guard is refused"
    finally:
        lock.unlock()


_HOLD = """
import sys
from pathlib import Path
from rejection_journal.lock import journal_lock, try_lock
data = Path(sys.argv[1])
lock = journal_lock(data)
assert try_lock(lock, data)
print("held", flush=True)
sys.stdin.read()  # until the test closes it
lock.unlock()
"""


@pytest.mark.subprocess
def test_without_flock_the_app_in_another_pid_namespace_is_not_taken_for_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real holder in its own PID namespace (unshare --pid): it is PID 1 there, which here
    is another program, so Qt's own check would call its lock stale."""
    import shutil
    import subprocess
    import sys

    from rejection_journal.lock import LockUnavailableError

    command = ["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "-c", _HOLD]
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "--pid", "--fork", "--mount-proc", "true"],
            capture_output=True).returncode != 0:
        pytest.skip("needs PID namespaces (unshare --pid, as root)")
    data = ensure_private_dir(tmp_path / "journal")
    with subprocess.Popen([*command, str(data)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline() == "held\n"
            assert lock_path(data).read_text().splitlines()[0] == "1"
            _no_flock(monkeypatch)
            with pytest.raises(LockUnavailableError, match="another container"):
                try_lock(journal_lock(data), data)
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)
    assert lock_path(data).exists() is False, "the holder released its own lock"


# -- issue 18 item 14: a lock file that cannot be made is not "open elsewhere" ----------------

@pytest.mark.parametrize("full", ["blocks", "inodes"])
@pytest.mark.subprocess
def test_a_full_disk_is_named_not_taken_for_another_window(tmp_path: Path, full: str) -> None:
    from rejection_journal.lock import LockUnavailableError
    from tests.small_disk import can_mount, fill_up, small_disk, use_up_inodes

    if not can_mount():
        pytest.skip("needs root to mount a small real tmpfs")
    with small_disk(tmp_path / "disk", size_kb=1024, inodes=64) as disk:
        data = ensure_private_dir(disk / "journal")
        if full == "blocks":
            fill_up(disk)
        else:
            use_up_inodes(disk)
        with pytest.raises(LockUnavailableError) as caught:
            try_lock(journal_lock(data), data)
        assert str(caught.value) == (
            f"The disk is full, so the journal in {data} cannot be opened for writing (not "
            "even its small lock file journal.lock fits). Free some space and try again.")
        assert not lock_path(data).exists()
