"""Read-only journals met by real processes: a 0400 journal, a read-only folder, a read-only disk.

Permission bits do not stop root, and these tests run as root in CI: the processes under test
then run as uid 65534 (``setpriv``) in a folder owned by it.  A read-only disk is a read-only
bind mount inside a private mount namespace (``unshare -m``).  Run as an ordinary user, the
same tests use that user's own permissions and a user namespace instead.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rejection_journal.paths import DB_FILENAME
from tests.conftest import same_clock
from tests.unit.test_read_only import snapshot

LAUNCHER = Path(sys.executable).with_name("rejection-journal")
APP_DRIVER = Path(__file__).with_name("read_only_app.py")
NOBODY = 65534
IS_ROOT = os.geteuid() == 0
AS_USER = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if IS_ROOT \
    else []
UNSHARE = ["unshare", "-m"] if IS_ROOT else ["unshare", "-rm"]
# "$0" is the folder to make read-only for the command that follows.
READ_ONLY_MOUNT = ['sh', '-c', 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" '
                   '&& exec "$@"']

#: the offscreen platform says this about every main window; it is not the app's
OFFSCREEN_NOTE = "This plugin does not support propagateSizeHints()"

Run = Callable[..., subprocess.CompletedProcess[str]]

pytestmark = pytest.mark.slow


def _chown(path: Path) -> None:
    if IS_ROOT:
        os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def home() -> Iterator[Path]:
    """A folder the test user owns (pytest's tmp_path is private to root)."""
    if IS_ROOT and shutil.which("setpriv") is None:
        pytest.skip("running as root, these tests need setpriv to act as another user")
    folder = Path(tempfile.mkdtemp(prefix="rejection-journal-ro-test-"))
    _chown(folder)
    for name in ("home", "run"):
        (folder / name).mkdir(mode=0o700)
        _chown(folder / name)
    yield folder
    for path in [folder, *folder.rglob("*")]:  # let the clean-up in (as a non-root user)
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(folder)


def _env(home: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home / "home"),
            "XDG_RUNTIME_DIR": str(home / "run"), "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8", **same_clock()}


@pytest.fixture
def as_user(home: Path) -> Run:
    """Run a command as the test user (uid 65534 when the tests run as root)."""

    def run(*command: str | Path, prefix: list[str] | None = None
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*(AS_USER if prefix is None else prefix), *map(str, command)],
                              env=_env(home), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    return run


@pytest.fixture
def on_read_only_disk(home: Path) -> Run:
    """Run a command with a folder mounted read-only (in a mount namespace of its own)."""
    probe = subprocess.run([*UNSHARE, "true"], capture_output=True)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("cannot make a mount namespace here (needs unshare and namespaces)")

    def run(folder: Path, *command: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*UNSHARE, *READ_ONLY_MOUNT, str(folder), *map(str, command)],
                              env=_env(home), capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

    return run


def _journal(as_user: Run, home: Path, state: str = "clean") -> Path:
    """A journal of 5 demo entries owned by the test user; ``state`` adds one only in its log."""
    data = home / "journal"
    result = as_user(LAUNCHER, "--data-dir", data, "demo", "--entries", "5")
    assert result.returncode == 0, result.stderr
    if state != "clean":
        code = ("import os, sys; from datetime import date; from pathlib import Path;"
                "from rejection_journal.storage import open_journal;"
                "from rejection_journal.domain.records import AttemptRecord;"
                "open_journal(Path(sys.argv[1])).save_attempt("
                "AttemptRecord(ask='Only in the log', attempted_on=date(2024, 5, 2)));"
                "os._exit(0)")  # killed: the entry stays in the -wal
        result = as_user(sys.executable, "-c", code, data)
        assert result.returncode == 0, result.stderr
        assert (data / f"{DB_FILENAME}-wal").stat().st_size > 0
    if state == "wal-only":
        (data / f"{DB_FILENAME}-shm").unlink()
    return data


def _asks_in(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT ask FROM attempt")]
    finally:
        conn.close()


def _can_save(as_user: Run, data: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys; from datetime import date; from pathlib import Path;"
            "from rejection_journal.storage import open_journal;"
            "from rejection_journal.domain.records import AttemptRecord;"
            "j = open_journal(Path(sys.argv[1]));"
            "j.save_attempt(AttemptRecord(ask='Saved later', attempted_on=date(2024, 6, 1)));"
            "print(j.attempt_count()); j.close()")
    return as_user(sys.executable, "-c", code, data)


STATES = ["clean", "wal-and-shm", "wal-only"]


@pytest.mark.parametrize("state", STATES)
def test_backup_of_a_0400_journal_leaves_no_side_files_and_saves_work_after(
    as_user: Run, home: Path, state: str
) -> None:
    data = _journal(as_user, home, state)
    (data / DB_FILENAME).chmod(0o400)
    # (the folder itself changes: it gains backups/)
    outside_backups = {k: v for k, v in snapshot(data).items() if k.startswith(DB_FILENAME)}

    result = as_user(LAUNCHER, "--data-dir", data, "backup")
    assert result.returncode == 0, result.stderr
    after = {k: v for k, v in snapshot(data).items() if k.startswith(DB_FILENAME)}
    assert after == outside_backups, "the journal, its side files and their modes are as before"
    made = [p for p in (data / "backups").iterdir() if p.name.endswith("-manual.sqlite3")]
    assert len(made) == 1
    assert sorted(p.name for p in (data / "backups").iterdir()) == [
        made[0].name, made[0].name + ".sha256"]  # the backup and its checksum
    assert made[0].stat().st_mode & 0o777 == 0o600
    assert len(_asks_in(made[0])) == (5 if state == "clean" else 6), "the log's entry is in it"

    # The user makes the journal writable again: saving works (no 0400 -shm in the way).
    (data / DB_FILENAME).chmod(0o600)
    saved = _can_save(as_user, data)
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.split() == [str(6 if state == "clean" else 7)]


def test_export_from_a_read_only_folder_changes_nothing(as_user: Run, home: Path) -> None:
    data = _journal(as_user, home, "wal-and-shm")
    data.chmod(0o500)
    before = snapshot(data)
    out = home / "home" / "export.json"
    result = as_user(LAUNCHER, "--data-dir", data, "export", "--format", "json", "--out", out)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text())["attempts"]) == 6
    assert snapshot(data) == before, "no permission added, no lock or side file made"


def test_writing_commands_refuse_a_read_only_folder_in_one_line(as_user: Run, home: Path) -> None:
    data = _journal(as_user, home)
    export = home / "home" / "export.json"
    assert as_user(LAUNCHER, "--data-dir", data, "export", "--format", "json",
                   "--out", export).returncode == 0
    data.chmod(0o500)
    before = snapshot(data)
    result = as_user(LAUNCHER, "--data-dir", data, "import", export)
    assert result.returncode == 1
    assert result.stderr == (f"rejection-journal: the journal in {data} is read-only because "
                             f"its folder {data} is read-only; make it writable, then import\n")
    assert snapshot(data) == before


def test_versions_lists_an_entrys_history_on_a_read_only_journal(as_user: Run,
                                                                  home: Path) -> None:
    """Listing only reads; it was refused as a write (issue 18 item 15)."""
    data = _journal(as_user, home)
    out = home / "home" / "export.json"
    assert as_user(LAUNCHER, "--data-dir", data, "export", "--format", "json",
                   "--out", out).returncode == 0
    entry = json.loads(out.read_text())["attempts"][0]
    changed = as_user(LAUNCHER, "--data-dir", data, "versions", entry["uuid"], "--restore", "1")
    assert changed.returncode == 1  # no earlier version yet: one made by saving it again
    code = ("import sys; from pathlib import Path; from rejection_journal.storage import "
            "open_journal; j = open_journal(Path(sys.argv[1])); e = j.attempt(sys.argv[2]); "
            "j.save_attempt(e.replace(lesson='Changed later')); j.close()")
    assert as_user(sys.executable, "-c", code, data, entry["uuid"]).returncode == 0
    data.chmod(0o500)
    before = snapshot(data)
    result = as_user(LAUNCHER, "--data-dir", data, "versions", entry["uuid"])
    assert result.returncode == 0, result.stderr
    assert "1 kept version" in result.stdout and "differs in: lesson" in result.stdout
    assert snapshot(data) == before
    refused = as_user(LAUNCHER, "--data-dir", data, "versions", entry["uuid"], "--restore", "1")
    assert refused.returncode == 1 and "read-only" in refused.stderr, "bringing one back writes"


@pytest.mark.parametrize("state", STATES)
def test_export_from_a_read_only_disk(
    as_user: Run, on_read_only_disk: Run, home: Path, state: str
) -> None:
    data = _journal(as_user, home, state)
    before = snapshot(data)
    out = home / "export.json"
    result = on_read_only_disk(data, LAUNCHER, "--data-dir", data, "export", "--format", "json",
                               "--out", out)
    assert result.returncode == 0, result.stderr
    asks = [a["ask"] for a in json.loads(out.read_text())["attempts"]]
    assert len(asks) == (5 if state == "clean" else 6)
    assert state == "clean" or "Only in the log" in asks
    assert snapshot(data) == before


@pytest.mark.parametrize("how", ["file", "folder", "disk"])
def test_the_app_opens_a_read_only_journal_read_only_with_a_banner(
    as_user: Run, on_read_only_disk: Run, home: Path, how: str
) -> None:
    data = _journal(as_user, home, "wal-and-shm")
    if how == "file":
        (data / DB_FILENAME).chmod(0o400)
    elif how == "folder":
        data.chmod(0o500)
    before = snapshot(data)
    if how == "disk":
        result = on_read_only_disk(data, sys.executable, APP_DRIVER, data)
        why = "it is on a read-only disk"
    else:
        result = as_user(sys.executable, APP_DRIVER, data)
        why = ("the file journal.sqlite3 is read-only" if how == "file"
               else f"its folder {data} is read-only")
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if line != OFFSCREEN_NOTE]
    assert warnings == [], "no warnings (window state, lock file) on the way"
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["read_only"] is True
    assert shown["banner"] == (f"This journal is read-only because {why}, so changes can't be "
                               "saved. You can still read, export and chart it.")
    assert shown["entries"] == 6
    assert shown["enabled"] == {"save": False, "import": False, "backup": False,
                                "restore": False, "export_journal": True, "export_chart": True}
    assert shown["save_button"] is False
    assert snapshot(data) == before, "no lock file, window state, side file or mode change"
