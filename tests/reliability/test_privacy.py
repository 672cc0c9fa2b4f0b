"""My journal stays mine: private files, and no network traffic at all."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import open_journal
from rejection_journal.storage.models import database

PROBE = Path(__file__).resolve().parents[2] / "benchmarks" / "startup_probe.py"
LAUNCHER = Path(sys.executable).with_name("rejection-journal")


def _modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


def test_journal_wal_and_shm_are_private_while_open(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    journal = open_journal(data)
    try:
        journal.save_attempt(AttemptRecord(ask="Ask for a window seat", attempted_on=date.today()))
        modes = _modes(data)
        assert {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"} <= set(modes)
        assert all(mode == 0o600 for mode in modes.values()), modes
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert int(database.pragma("secure_delete")) == 1, "deleted text does not linger"
    finally:
        journal.close()


def _session(data: Path, tmp_path: Path, prefix: list[str]) -> None:
    _run_session(data, tmp_path, lambda _i: prefix)


def _run_session(data: Path, tmp_path: Path, prefix_for: Callable[[int], list[str]]) -> None:
    """A whole session: CLI demo + export, then the app opens, draws its chart and quits."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "LANG": "C.UTF-8"}
    commands = [
        [str(LAUNCHER), "--data-dir", str(data), "demo", "--entries", "50"],
        [str(LAUNCHER), "--data-dir", str(data), "export", "--format", "json",
         "--out", str(tmp_path / "out.json")],
        [sys.executable, str(PROBE), "app", str(data)],
    ]
    for i, command in enumerate(commands):
        result = subprocess.run([*prefix_for(i), *command], env=env, capture_output=True, text=True,
                                timeout=180, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, (command, result.stderr[-2000:])


def test_a_session_makes_no_network_connections(tmp_path: Path) -> None:
    if shutil.which("strace") is None:
        pytest.skip("needs strace (`bash .ci/run` installs it)")

    def strace(i: int) -> list[str]:
        return ["strace", "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg",
                "-o", str(tmp_path / f"trace.{i}")]

    # The method must be able to see a connection attempt at all (positive control).
    control = subprocess.run([*strace(99), sys.executable, "-c",
                              "import socket; socket.socket(socket.AF_INET6)"], timeout=60)
    assert control.returncode == 0
    assert "AF_INET6" in (tmp_path / "trace.99").read_text()

    _run_session(tmp_path / "journal", tmp_path, strace)
    traces = sorted(tmp_path.glob("trace.[0-9]"))
    assert len(traces) == 3
    inet = [line for t in traces for line in t.read_text().splitlines()
            if re.search(r"AF_INET6?\b", line)]
    assert inet == [], f"network sockets or connections: {inet[:5]}"


def test_a_session_works_without_any_network(tmp_path: Path) -> None:
    prefix = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
    if shutil.which("unshare") is None or subprocess.run(
        [*prefix, "true"], capture_output=True
    ).returncode != 0:
        pytest.skip("cannot make a network namespace here (needs unshare and namespaces)")
    _session(tmp_path / "journal", tmp_path, prefix)
