"""A full disk during a save, an import and `demo`: the message names the disk being full,
no traceback is printed, and the journal is exactly as it was before.

The disk is a real small tmpfs, mounted in a private mount namespace (``unshare -m``, as
root here and in CI), so SQLite meets a real ENOSPC and reports SQLITE_FULL.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import open_journal
from rejection_journal.storage.export import export_document

DRIVER = Path(__file__).with_name("disk_full.py")
LAUNCHER = Path(sys.executable).with_name("rejection-journal")


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _namespaces_work(),
    reason="needs root and mount namespaces (unshare -m) for a small real tmpfs",
)


def _contents(data: Path) -> list[tuple[object, ...]]:
    """integrity_check must be ok; every attempt row, in order (the -wal is read too)."""
    connection = sqlite3.connect(f"file:{data / 'journal.sqlite3'}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return connection.execute("SELECT * FROM attempt ORDER BY id").fetchall()
    finally:
        connection.close()


def _on_a_full_disk(tmp_path: Path, template: Path, command: list[str], *, size_kb: int,
                    leave_kb: int | None) -> tuple[dict[str, object], Path]:
    mount = tmp_path / "mnt"
    mount.mkdir()
    after = tmp_path / "after"
    spec: dict[str, object] = {"mount": str(mount), "size_kb": size_kb,
                               "template": str(template), "command": command,
                               "after": str(after)}
    if leave_kb is not None:
        spec["leave_kb"] = leave_kb
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    env.pop("REJECTION_JOURNAL_DATA_DIR", None)
    driver = subprocess.run(["unshare", "-m", sys.executable, str(DRIVER), json.dumps(spec)],
                            capture_output=True, text=True, timeout=180, env=env)
    assert driver.returncode == 0, driver.stderr
    return json.loads(driver.stdout.strip().splitlines()[-1]), after


def _assert_says_the_disk_is_full(result: dict[str, object]) -> None:
    stderr = str(result["stderr"])
    assert result["returncode"] == 1, result
    assert "Traceback" not in stderr and "Traceback" not in str(result["stdout"])
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("rejection-journal: ")
    assert "disk is full" in lines[0].lower(), lines[0]
    assert "rollback" not in lines[0].lower()


def _journal(folder: Path, entries: int) -> Path:
    """A closed journal with ``entries`` attempts (the -wal checkpointed away)."""
    with open_journal(folder) as journal:
        for i in range(entries):
            journal.save_attempt(AttemptRecord(ask=f"Ask {i}", attempted_on=date(2024, 5, 1),
                                               anticipated_discomfort=i % 11))
    return folder


_SAVE = """
import sys
from datetime import date
from pathlib import Path
sys.path.insert(0, {tests!r})
from disk_full import fill
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import StorageError, open_journal

data = Path(sys.argv[1])
journal = open_journal(data)
fill(data.parent, 16 * 1024)
try:  # an entry bigger than the space left
    journal.save_attempt(AttemptRecord(ask="Big", attempted_on=date(2024, 6, 1),
                                       reflection="x" * 19_000, lesson="y" * 19_000))
except StorageError as exc:
    print(f"rejection-journal: {{exc}}", file=sys.stderr)
    sys.exit(1)
print("saved?")
"""


def test_a_save_on_a_full_disk_says_so_and_keeps_the_journal(tmp_path: Path) -> None:
    template = _journal(tmp_path / "template", 5)
    before = _contents(template)
    script = _SAVE.format(tests=str(DRIVER.parent))
    result, after = _on_a_full_disk(tmp_path, template,
                                    [sys.executable, "-c", script, "{data}"],
                                    size_kb=2048, leave_kb=None)
    _assert_says_the_disk_is_full(result)
    assert _contents(after) == before


def test_an_import_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    template = _journal(tmp_path / "template", 5)
    before = _contents(template)
    # An export of 400 long entries from another journal: several MB to write.
    with open_journal(tmp_path / "other") as other:
        for i in range(400):
            other.save_attempt(AttemptRecord(ask=f"Imported {i}", attempted_on=date(2024, 7, 1),
                                             reflection="y" * 15_000))
        document = export_document(other)
    big = tmp_path / "big.json"
    big.write_text(json.dumps(document), encoding="utf-8")
    size = template.joinpath("journal.sqlite3").stat().st_size // 1024
    result, after = _on_a_full_disk(
        tmp_path, template, [str(LAUNCHER), "--data-dir", "{data}", "import", str(big)],
        size_kb=8192, leave_kb=3 * size + 512,
    )
    _assert_says_the_disk_is_full(result)
    assert _contents(after) == before


def test_demo_on_a_full_disk_says_so_without_a_traceback(tmp_path: Path) -> None:
    template = _journal(tmp_path / "template", 0)
    result, after = _on_a_full_disk(
        tmp_path, template,
        [str(LAUNCHER), "--data-dir", "{data}", "demo", "--entries", "20000"],
        size_kb=8192, leave_kb=512,
    )
    _assert_says_the_disk_is_full(result)
    assert _contents(after) == []


def test_a_command_on_a_disk_with_no_room_for_the_lock_says_the_disk_is_full(
    tmp_path: Path,
) -> None:
    """It said the journal was open in the app (issue 18 item 14): journal.lock could not be
    created."""
    template = _journal(tmp_path / "template", 5)
    before = _contents(template)
    export = tmp_path / "in.json"
    with open_journal(tmp_path / "other") as other:
        other.save_attempt(AttemptRecord(ask="Imported", attempted_on=date(2024, 7, 1)))
        export.write_text(json.dumps(export_document(other)), encoding="utf-8")
    result, after = _on_a_full_disk(
        tmp_path, template, [str(LAUNCHER), "--data-dir", "{data}", "import", str(export)],
        size_kb=2048, leave_kb=0,
    )
    _assert_says_the_disk_is_full(result)
    assert "open in" not in str(result["stderr"])
    assert _contents(after) == before


def test_the_app_on_a_disk_with_no_room_for_the_lock_says_the_disk_is_full(
    tmp_path: Path,
) -> None:
    template = _journal(tmp_path / "template", 5)
    command = ["env", "QT_QPA_PLATFORM=offscreen", "REJECTION_JOURNAL_NO_ERROR_DIALOG=1",
               str(LAUNCHER), "--data-dir", "{data}"]
    result, _after = _on_a_full_disk(tmp_path, template, command, size_kb=2048, leave_kb=0)
    _assert_says_the_disk_is_full(result)
    assert "already open" not in str(result["stderr"])
