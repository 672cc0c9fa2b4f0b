"""No command prints a traceback: environment errors are named in one line, and anything
unexpected is one calm line naming the log file that holds the details."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .conftest import Run


def test_an_unexpected_error_is_one_calm_line_and_the_details_go_to_a_log(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "5").returncode == 0
    # A value no version of the app writes: reading it back is a bug's path, not the user's.
    with sqlite3.connect(data / "journal.sqlite3") as db:
        db.execute("UPDATE attempt SET outcome = 'bogus' WHERE id = (SELECT min(id) FROM attempt)")
    db.close()

    out = tmp_path / "out.json"
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    log = data / "last-error.txt"
    assert lines[0].startswith("rejection-journal: ")
    assert str(log) in lines[0]
    details = log.read_text(encoding="utf-8")
    assert "Traceback" in details and "bogus" in details and "export" in details
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    assert not out.exists()


def test_a_missing_file_is_still_named_plainly(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path / "journal"), "import",
                     str(tmp_path / "nothing.json"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nothing.json" in result.stderr


def test_a_data_folder_path_longer_than_sqlite_opens_is_named_as_too_long(
    run_cli: Run, tmp_path: Path
) -> None:
    """It said "check the folder exists" (issue 18 item 15)."""
    data = tmp_path
    while len(str(data)) < 620:
        data = data / ("a-long-folder-name-" * 10)
    data.mkdir(parents=True)  # it exists: only its path is too long
    result = run_cli("--data-dir", str(data), "demo", "--entries", "5")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "path is too long" in lines[0] and "at most 488 characters" in lines[0]
    assert "exists" not in lines[0]
    assert list(data.iterdir()) == []
