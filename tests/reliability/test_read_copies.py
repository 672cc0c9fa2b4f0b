"""Read-only commands killed with SIGKILL leave no copy of the journal outside its folder.

``export``, ``search`` and ``chart`` read a journal another process may be writing from a
private copy.  That copy lives inside the data folder (deleting the folder deletes it), and
the next start removes one a killed command left, whatever its age (issue 18, item 11).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

LAUNCHER = Path(sys.executable).with_name("rejection-journal")

#: each read-only command, killed in turn while it reads from its copy
COMMANDS = [
    ["export", "--format", "json", "--out", "{out}.json"],
    ["search", "window"],
    ["chart", "--kind", "gap", "--out", "{out}.png"],
]
TRIALS = 6
#: how often a trial's command is run at most until it is killed holding its copy
ATTEMPTS = 30


def _env(tmp_path: Path, temp: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"),
            "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "TMPDIR": str(temp),
            "MPLCONFIGDIR": str(tmp_path / "mpl")}


def _copies(data: Path) -> list[Path]:
    return sorted(data.glob(".journal.sqlite3.*.read.tmp"))


def _journal_in(temp: Path) -> list[Path]:
    """Anything in the temp folder that is or holds a database: a folder, or an SQLite file.
    (Python itself may leave an empty probe file there when killed at its first use.)"""
    found = []
    for path in temp.iterdir():
        try:
            if path.is_dir() or path.read_bytes()[:16] == b"SQLite format 3\x00":
                found.append(path)
        except FileNotFoundError:  # that probe, removed as we looked
            continue
    return sorted(found)


def _kill_once_a_copy_exists(command: list[str], data: Path, temp: Path, env: dict[str, str]
                             ) -> bool:
    """Start ``command``, SIGKILL it as soon as a copy of the journal exists (in the data
    folder or the temp folder); True if it was killed with a copy there."""
    before = set(_copies(data)) | set(_journal_in(temp))
    with subprocess.Popen([str(LAUNCHER), "--data-dir", str(data), *command], env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as process:
        deadline = time.monotonic() + 60
        caught = False
        while process.poll() is None and time.monotonic() < deadline:
            if set(_copies(data)) - before or set(_journal_in(temp)) - before:
                caught = True
                break
        process.kill()  # SIGKILL (nothing if it has already ended)
        process.wait()
    # It may have finished (and removed its copy) between being seen and being killed.
    return caught and bool(set(_copies(data)) - before)


def test_killed_read_only_commands_leave_no_copy_outside_the_data_folder(
    tmp_path: Path,
) -> None:
    data = tmp_path / "journal"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = _env(tmp_path, temp)
    made = subprocess.run([str(LAUNCHER), "--data-dir", str(data), "demo", "--entries",
                           "3000"], env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    assert list(temp.iterdir()) == []

    caught = 0
    for trial in range(TRIALS):
        command = [part.format(out=tmp_path / f"out-{trial}")
                   for part in COMMANDS[trial % len(COMMANDS)]]
        # A quick command may finish before it is caught holding its copy: run it again.
        for _attempt in range(ATTEMPTS):
            if _kill_once_a_copy_exists(command, data, temp, env):
                caught += 1
                break
            assert _journal_in(temp) == [] and _copies(data) == []
        assert _journal_in(temp) == [], f"a copy was left in TMPDIR by {command[0]}"
        # Inside the data folder (deleting it deletes the copy): only this command's; each
        # start removed the one the command before it left.
        assert len(_copies(data)) == 1, command[0]
    assert caught == TRIALS, "every command was killed while it held its copy"

    # The next start removes the last one too, whatever its age.
    result = subprocess.run([str(LAUNCHER), "--data-dir", str(data), "search", "window"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _copies(data) == []
    assert _journal_in(temp) == []
