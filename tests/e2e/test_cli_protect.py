"""``rejection-journal protect``, ``unprotect``, ``change-passphrase`` and every command on a
protected journal, run as a user or a script would: the passphrase from a file descriptor or
the environment, never an argument; a wrong one is one line, exit 1, and nothing touched."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..conftest import same_clock
from ..unit.damage import snapshot
from .conftest import Run

PASS = "a walk by the river"


@contextmanager
def fd_with(text: str) -> Iterator[int]:
    """A pipe's read end holding ``text`` and a newline, for --passphrase-fd."""
    read_fd, write_fd = os.pipe()
    os.write(write_fd, (text + "\n").encode())
    os.close(write_fd)
    try:
        yield read_fd
    finally:
        os.close(read_fd)


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    lines: list[str] = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rejection-journal: "), result.stderr
    return lines[0]


@pytest.fixture
def protected(run_cli: Run, tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "30").returncode == 0
    with fd_with(PASS) as fd:
        result = run_cli("--data-dir", str(data), "protect", "--passphrase-fd", str(fd),
                         pass_fds=(fd,))
    assert result.returncode == 0, result.stderr
    assert "protected with a passphrase" in result.stdout
    assert not (data / "journal.sqlite3").read_bytes().startswith(b"SQLite format 3")
    return data


def test_commands_work_with_the_passphrase_from_the_environment_or_a_descriptor(
        protected: Path, run_cli: Run, tmp_path: Path) -> None:
    env = {"REJECTION_JOURNAL_PASSPHRASE": PASS}
    out = tmp_path / "out.json"
    exported = run_cli("--data-dir", str(protected), "export", "--format", "json", "--out",
                       str(out), env=env)
    assert exported.returncode == 0, exported.stderr
    assert "not encrypted" in exported.stdout  # the export warns it is in the clear
    assert len(json.loads(out.read_text(encoding="utf-8"))["attempts"]) == 30
    with fd_with(PASS) as fd:
        backed = run_cli("--data-dir", str(protected), "backup", "--passphrase-fd", str(fd),
                         pass_fds=(fd,))
    assert backed.returncode == 0, backed.stderr
    for command in (("today",), ("ladders",), ("search", "coffee"), ("restore",)):
        result = run_cli("--data-dir", str(protected), *command, env=env)
        assert result.returncode == 0, (command, result.stderr)


def test_a_wrong_or_missing_passphrase_is_one_line_and_touches_nothing(
        protected: Path, run_cli: Run) -> None:
    before = snapshot(protected)
    wrong = {"REJECTION_JOURNAL_PASSPHRASE": "not it"}
    for command in (("today",), ("backup",), ("demo", "--remove"), ("unprotect",),
                    ("change-passphrase",)):
        line = _one_line_error(run_cli("--data-dir", str(protected), *command, env=wrong))
        assert "does not open this journal" in line, line
    missing = _one_line_error(run_cli("--data-dir", str(protected), "today"))
    assert "--passphrase-fd" in missing and "REJECTION_JOURNAL_PASSPHRASE" in missing
    assert snapshot(protected) == before


def test_change_then_unprotect_and_an_older_backup_restores_with_its_passphrase(
        protected: Path, run_cli: Run) -> None:
    old_env = {"REJECTION_JOURNAL_PASSPHRASE": PASS}
    assert run_cli("--data-dir", str(protected), "backup", env=old_env).returncode == 0
    backup = sorted((protected / "backups").glob("*-manual.sqlite3"))[-1]
    with fd_with("a newer passphrase") as fd:
        changed = run_cli("--data-dir", str(protected), "change-passphrase",
                          "--new-passphrase-fd", str(fd), env=old_env, pass_fds=(fd,))
    assert changed.returncode == 0, changed.stderr
    new_env = {"REJECTION_JOURNAL_PASSPHRASE": "a newer passphrase"}
    assert _one_line_error(run_cli("--data-dir", str(protected), "today", env=old_env))
    refused = run_cli("--data-dir", str(protected), "restore", str(backup), env=new_env)
    assert "passphrase" in _one_line_error(refused)
    restored = run_cli("--data-dir", str(protected), "restore", str(backup),
                       env={**new_env, "REJECTION_JOURNAL_BACKUP_PASSPHRASE": PASS})
    assert restored.returncode == 0, restored.stderr
    assert run_cli("--data-dir", str(protected), "today", env=new_env).returncode == 0
    plain = run_cli("--data-dir", str(protected), "unprotect", env=new_env)
    assert plain.returncode == 0, plain.stderr
    assert (protected / "journal.sqlite3").read_bytes().startswith(b"SQLite format 3")
    assert run_cli("--data-dir", str(protected), "today").returncode == 0


def _talk(launcher: Path, args: list[str], answers: list[str], env: dict[str, str],
          timeout: float = 60) -> tuple[int, str]:
    """Run the launcher in a terminal of its own (a pty: its controlling terminal), type each
    answer after each prompt that ends in ': ', and return its exit status and what it said."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, its terminal the pty
        os.execve(str(launcher), [str(launcher), *args], env)
    said = b""
    since = b""  # what it said since the last answer: a new prompt must end it
    typed = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal: it has finished
                break
            if not chunk:
                break
            said += chunk
            since += chunk
            if typed < len(answers) and since.rstrip().endswith(b":"):
                os.write(fd, answers[typed].encode() + b"\n")
                typed += 1
                since = b""
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), said.decode(errors="replace")


def test_in_a_terminal_the_passphrase_is_asked_for_and_not_shown(
        launcher: Path, tmp_path: Path, run_cli: Run) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "10").returncode == 0
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
           "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", **same_clock()}
    code, said = _talk(launcher, ["--data-dir", str(data), "protect"],
                       ["typed at a prompt", "typed at a prompt"], env)
    assert code == 0, said
    assert "nobody can open the journal again" in said  # the warning comes first
    assert "typed at a prompt" not in said  # no echo
    code, said = _talk(launcher, ["--data-dir", str(data), "today"], ["not this one"], env)
    assert code == 1 and "does not open this journal" in said
    code, said = _talk(launcher, ["--data-dir", str(data), "today"], ["typed at a prompt"], env)
    assert code == 0 and "Challenge for" in said, said
