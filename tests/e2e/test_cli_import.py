"""``rejection-journal import FILE``, run as the installed command."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run


def _export(run_cli: Run, data: Path, out: Path) -> dict[str, Any]:
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    del document["exported_at"]
    return document


@pytest.fixture
def exported(run_cli: Run, tmp_path: Path) -> Path:
    """A JSON export of a demo journal with 30 attempts."""
    source = tmp_path / "source"
    assert run_cli("--data-dir", str(source), "demo", "--entries", "30", "--seed", "4"
                   ).returncode == 0
    out = tmp_path / "source.json"
    _export(run_cli, source, out)
    return out


def test_import_into_a_new_journal_reproduces_the_export(
    run_cli: Run, tmp_path: Path, exported: Path
) -> None:
    data = tmp_path / "new"
    result = run_cli("--data-dir", str(data), "import", str(exported))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Imported 30 attempts: 30 added, 0 updated")
    assert len(result.stdout.strip().splitlines()) == 1
    original = json.loads(exported.read_text(encoding="utf-8"))
    del original["exported_at"]
    assert _export(run_cli, data, tmp_path / "copy.json") == original
    assert oct((data / "journal.sqlite3").stat().st_mode & 0o777) == "0o600"


def test_importing_twice_changes_nothing(run_cli: Run, tmp_path: Path, exported: Path) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "5", "--seed", "9"
                   ).returncode == 0
    assert run_cli("--data-dir", str(data), "import", str(exported)).returncode == 0
    first = _export(run_cli, data, tmp_path / "first.json")
    assert len(first["attempts"]) == 35
    result = run_cli("--data-dir", str(data), "import", str(exported))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nothing to import")
    assert _export(run_cli, data, tmp_path / "second.json") == first


def test_a_pre_import_backup_is_taken_before_changing_the_journal(
    run_cli: Run, tmp_path: Path, exported: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "import", str(exported)).returncode == 0
    assert any("pre-import" in p.name for p in (data / "backups").iterdir())


@pytest.mark.parametrize(("damage", "words"), [
    # (the first rating, whatever the demo data holds: it changes when the demo does)
    (lambda text: re.sub(r'"anticipated_discomfort": \d+', '"anticipated_discomfort": 11', text,
                         count=1),
     "anticipated_discomfort: must be from 0 to 10, not 11"),
    (lambda text: text.replace('"format": "rejection-journal"', '"format": "diary"'),
     "top level: format: not a Rejection Journal export"),
    (lambda text: text[: len(text) // 2], "not valid JSON"),
])
def test_a_bad_file_is_one_line_exit_1_and_the_journal_is_unchanged(
    run_cli: Run, tmp_path: Path, exported: Path, damage: Any, words: str
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "5", "--seed", "9"
                   ).returncode == 0
    before = _export(run_cli, data, tmp_path / "before.json")
    text = exported.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(damage(text), encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != text
    result = run_cli("--data-dir", str(data), "import", str(bad))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rejection-journal: ")
    assert words in lines[0]
    assert _export(run_cli, data, tmp_path / "after.json") == before
    assert not (data / "backups").exists() or not any(
        "pre-import" in p.name for p in (data / "backups").iterdir()
    )


def test_a_bad_record_is_named_by_index_and_uuid(run_cli: Run, tmp_path: Path,
                                                 exported: Path) -> None:
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["attempts"][7]["attempted_on"] = "2026-02-30"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("--data-dir", str(tmp_path / "journal"), "import", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"rejection-journal: attempts[7] (uuid {document['attempts'][7]['uuid']}): "
        "attempted_on: 2026-02-30 is not a real calendar date (day is out of range for month)"
    )
    assert not (tmp_path / "journal").exists(), "a bad file does not even create a journal"


def test_a_missing_file_or_a_folder_is_one_line(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    for target, words in ((tmp_path / "nope.json", "no such file"), (tmp_path, "is a folder")):
        result = run_cli("--data-dir", str(data), "import", str(target))
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1
        assert words in result.stderr
    assert not data.exists()
    result = run_cli("--data-dir", str(data), "import")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_import_waits_for_the_app_to_close(run_cli: Run, tmp_path: Path, exported: Path) -> None:
    from rejection_journal.lock import journal_lock, try_lock

    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "3").returncode == 0
    before = _export(run_cli, data, tmp_path / "before.json")
    lock = journal_lock(data)
    assert try_lock(lock, data)  # as the running app holds it
    try:
        result = run_cli("--data-dir", str(data), "import", str(exported))
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"rejection-journal: the journal is open in Rejection Journal (PID {os.getpid()}); "
            "close the app, then import"
        )
        assert _export(run_cli, data, tmp_path / "during.json") == before
    finally:
        lock.unlock()
    assert run_cli("--data-dir", str(data), "import", str(exported)).returncode == 0
    assert not (data / "journal.lock").exists()
