"""The one-writer guard with real processes: the real app, real CLI commands.

* Deleting ``journal.lock`` while the app runs does not let a CLI ``restore``, ``import`` or
  ``demo`` in beside it.
* A second start beside a frozen app says so and exits non-zero (instead of exiting 0 with
  nothing shown).
* The loser of two CLI imports names the other import and its PID (not "the app").
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.lock import holder_pid, journal_lock, server_name
from rejection_journal.paths import ENV_DATA_DIR, database_path, lock_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.export import export_json
from tests.conftest import same_clock

from .conftest import Run

DEADLINE = 30.0  # seconds; every wait below polls a condition and ends far sooner


def _env(tmp_path: Path, data: Path, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
            "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", ENV_DATA_DIR: str(data),
            **same_clock(), **extra}


def _wait_for(condition: Callable[[], bool], what: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert process.poll() is None, f"{what}: the process exited ({process.returncode})"
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.01)


def _lock_held_by(data: Path, pid: int) -> bool:
    return holder_pid(journal_lock(data)) == pid


def _attempts(data: Path) -> int:
    conn = sqlite3.connect(f"file:{database_path(data)}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM attempt").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def app(launcher: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """The real app (the launcher, offscreen) on a new journal, up and holding the guard."""
    data = tmp_path / "journal"
    with subprocess.Popen([str(launcher)], env=_env(tmp_path, data), text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        try:
            _wait_for(lambda: _lock_held_by(data, process.pid), "the app holds the lock",
                      process)
            _wait_for(lambda: _attempts_or_none(data) is not None, "the journal is open",
                      process)
            yield process, data
        finally:
            os.kill(process.pid, signal.SIGCONT)
            process.terminate()
            process.communicate(timeout=DEADLINE)


def _attempts_or_none(data: Path) -> int | None:
    try:
        return _attempts(data)
    except sqlite3.Error:
        return None


@pytest.fixture
def other_journal(tmp_path: Path) -> tuple[Path, Path]:
    """A backup and a JSON export of another journal with three entries."""
    from rejection_journal.domain.demo import generate_attempts

    with open_journal(tmp_path / "other") as journal:
        journal.add_demo_attempts(generate_attempts(journal.challenges(), 3, seed=5,
                                                    today=date(2026, 11, 23)))
        backup = journal.backup().path
        exported = tmp_path / "other.json"
        export_json(journal, exported)
    return backup, exported


@pytest.mark.slow
def test_deleting_the_lock_file_lets_no_command_in_beside_the_app(
    app: tuple[subprocess.Popen[str], Path], other_journal: tuple[Path, Path], run_cli: Run
) -> None:
    process, data = app
    backup, exported = other_journal
    lock_path(data).unlink()  # a clean-up tool, or a user tidying the folder
    for args, action in ((["restore", str(backup)], "restore"),
                         (["import", str(exported)], "import"),
                         (["demo", "--entries", "3"], "add demo data")):
        result = run_cli("--data-dir", str(data), *args)
        assert result.returncode == 1, f"{args[0]} ran beside the app: {result.stdout}"
        assert result.stderr.strip() == (
            f"rejection-journal: the journal is open in Rejection Journal (PID {process.pid}); "
            f"close the app, then {action}"
        )
    assert _attempts(data) == 0, "the app's journal was changed behind its back"
    assert process.poll() is None


@pytest.mark.slow
def test_a_second_start_beside_a_frozen_app_says_so_and_fails(
    qtbot, app: tuple[subprocess.Popen[str], Path], launcher: Path,
    tmp_path: Path,
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    process, data = app

    def listening() -> bool:
        probe = QLocalSocket()
        probe.connectToServer(server_name(data))
        up = probe.waitForConnected(200)
        probe.abort()
        return up

    _wait_for(listening, "the app listens for a second start", process)
    os.kill(process.pid, signal.SIGSTOP)  # frozen: the OS still accepts the connection
    started = time.monotonic()
    second = subprocess.run([str(launcher)], capture_output=True, text=True, timeout=DEADLINE,
                            stdin=subprocess.DEVNULL,
                            env=_env(tmp_path, data, REJECTION_JOURNAL_NO_ERROR_DIALOG="1"))
    elapsed = time.monotonic() - started
    os.kill(process.pid, signal.SIGCONT)
    assert second.returncode == 1
    assert "already open in another Rejection Journal window, which is not answering" in (
        second.stderr)
    assert elapsed < 20
    assert process.poll() is None  # the first one carries on


@pytest.mark.slow
def test_the_loser_of_two_imports_names_the_other_import(
    launcher: Path, run_cli: Run, tmp_path: Path, other_journal: tuple[Path, Path]
) -> None:
    _backup, exported = other_journal
    data = tmp_path / "journal"
    with open_journal(data):
        pass
    # Hold SQLite's write lock, so the first import waits (up to its 5 s busy timeout) while
    # it holds the guard; the second import comes in during that wait.
    blocker = sqlite3.connect(database_path(data), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with subprocess.Popen([str(launcher), "--data-dir", str(data), "import", str(exported)],
                              env=_env(tmp_path, data), text=True, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as first:
            _wait_for(lambda: _lock_held_by(data, first.pid), "the first import holds the lock",
                      first)
            second = run_cli("--data-dir", str(data), "import", str(exported))
            blocker.execute("ROLLBACK")
            _out, err = first.communicate(timeout=DEADLINE)
    finally:
        blocker.close()
    assert second.returncode == 1
    assert second.stderr.strip() == (
        f"rejection-journal: the journal is in use by another rejection-journal command "
        f"('import', PID {first.pid}); wait for it to finish, then import"
    )
    assert first.returncode == 0, err
    assert _attempts(data) == len(json.loads(exported.read_text())["attempts"])
