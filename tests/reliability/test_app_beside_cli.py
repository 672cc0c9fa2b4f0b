"""The real app and real CLI commands side by side on one journal, then kill -9 of the app.

Every entry the app said it saved must be in the journal afterwards, whatever CLI ``backup``
and ``export`` ran in between and whatever backups the app made itself (the daily one at
start, *Back up now*). Nothing is mocked: the app runs offscreen in its own process
(``app_driver.py``), the CLI is the installed ``rejection-journal``.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rejection_journal.paths import database_path

DRIVER = Path(__file__).with_name("app_driver.py")
LAUNCHER = Path(sys.executable).with_name("rejection-journal")

# What happens between the app's saves: a CLI command, or the app's own backup.
SCRIPT = ("cli-backup", "app-backup", "cli-export", "cli-backup", "app-backup", "cli-export")


def _env(tmp_path: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
            "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}


def _stored(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {uuid for (uuid,) in connection.execute("SELECT uuid FROM attempt")}
    finally:
        connection.close()


@pytest.mark.slow
def test_app_saves_survive_cli_backups_and_exports_and_kill_9(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    env = _env(tmp_path)

    def cli(*args: str) -> None:
        done = subprocess.run([str(LAUNCHER), "--data-dir", str(data), *args], env=env,
                              capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr

    with subprocess.Popen([sys.executable, str(DRIVER), str(data)], env=env, text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE) as app:
        assert app.stdin is not None and app.stdout is not None

        def ask(command: str) -> str:
            assert app.stdin is not None and app.stdout is not None
            app.stdin.write(command + "\n")
            app.stdin.flush()
            answer = app.stdout.readline().strip()
            assert answer and not answer.startswith("error"), answer
            return answer

        assert app.stdout.readline().strip() == "ready"  # the daily backup has been made
        saved: list[str] = []
        for step, between in enumerate(SCRIPT):
            for _ in range(2):
                saved.append(ask("save").removeprefix("saved "))
            if between == "app-backup":
                assert ask("backup") == "backed-up"
            else:
                command = between.removeprefix("cli-")
                cli(*(["export", "--format", "json", "--out", str(tmp_path / f"e{step}.json")]
                      if command == "export" else ["backup"]))
        saved.append(ask("save").removeprefix("saved "))
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=30)
    assert app.returncode == -signal.SIGKILL

    missing = set(saved) - _stored(database_path(data))
    assert not missing, f"{len(missing)} of {len(saved)} entries the app called saved are lost"
