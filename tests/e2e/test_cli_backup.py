"""``rejection-journal backup`` and ``restore``, run as a user (or a script) would."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from ..unit.damage import journal_id
from .conftest import Run


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _attempt_count(run_cli: Run, data: Path, tmp_path: Path) -> int:
    out = tmp_path / "count.json"
    result = run_cli("--data-dir", str(data), "export", "--format", "json", "--out", str(out),
                     "--force")
    assert result.returncode == 0, result.stderr
    return len(json.loads(out.read_text(encoding="utf-8"))["attempts"])


def _one_line_error(result) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines: list[str] = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rejection-journal: ")
    assert "Traceback" not in result.stderr
    return lines[0]


def _replace_with_a_bigger_journal(data: Path, run_cli: Run, tmp_path: Path) -> None:
    """Swap in a journal with 9 attempts (the demo only fills an empty journal); it carries on
    as the same journal (its id), as if those entries had been written in it."""
    other = tmp_path / "other"
    assert run_cli("--data-dir", str(other), "demo", "--entries", "9").returncode == 0
    kept_id = journal_id(data / "journal.sqlite3")
    (data / "journal.sqlite3").write_bytes((other / "journal.sqlite3").read_bytes())
    conn = sqlite3.connect(data / "journal.sqlite3")
    conn.execute("UPDATE journal_meta SET journal_id = ?", (kept_id,))
    conn.commit()
    conn.close()


def test_backup_then_list_then_restore_by_name(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "5").returncode == 0

    result = run_cli("--data-dir", str(data), "backup")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Backed up the journal to ")
    backup = Path(result.stdout.strip().removeprefix("Backed up the journal to "))
    assert backup.parent == data / "backups"
    assert backup.name.endswith("-manual.sqlite3")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert oct(backup.parent.stat().st_mode & 0o777) == "0o700"

    _replace_with_a_bigger_journal(data, run_cli, tmp_path)
    assert _attempt_count(run_cli, data, tmp_path) == 9

    listing = run_cli("--data-dir", str(data), "restore")
    assert listing.returncode == 0, listing.stderr
    (line,) = listing.stdout.strip().splitlines()
    assert "manual" in line and line.endswith(str(backup)) and "KB" in line

    result = run_cli("--data-dir", str(data), "restore", backup.name)
    assert result.returncode == 0, result.stderr
    assert f"Restored the journal from {backup.name}." in result.stdout
    assert "-pre-restore.sqlite3" in result.stdout
    assert _attempt_count(run_cli, data, tmp_path) == 5

    lines = run_cli("--data-dir", str(data), "restore").stdout.strip().splitlines()
    assert len(lines) == 2
    assert "pre-restore" in lines[0]  # newest first
    pre_restore = Path(lines[0].split()[-1])

    # The pre-restore backup undoes the restore; a full path works as well as a name.
    result = run_cli("--data-dir", str(data), "restore", str(pre_restore))
    assert result.returncode == 0, result.stderr
    assert _attempt_count(run_cli, data, tmp_path) == 9
    assert not list(data.glob("*.tmp")) and not (data / "journal.lock").exists()


def test_restore_lists_nothing_when_there_are_no_backups(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    result = run_cli("--data-dir", str(data), "restore")
    assert result.returncode == 0
    assert result.stdout.strip() == f"No backups yet in {data / 'backups'}"
    assert not data.exists()


def test_backup_without_a_journal_fails_cleanly(run_cli: Run, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    assert "no journal in" in _one_line_error(run_cli("--data-dir", str(data), "backup"))
    assert not data.exists()


def test_a_bad_or_missing_backup_is_refused_and_the_journal_unchanged(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "4").returncode == 0
    assert run_cli("--data-dir", str(data), "backup").returncode == 0
    before = _digest(data)

    bad = tmp_path / "journal-20260101T000000Z-manual.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 3000)
    cases = {
        str(bad): "cannot be restored",
        "journal-19990101T000000Z-daily.sqlite3": "no backup called",
        str(tmp_path / "nowhere" / "x.sqlite3"): "no backup called",
        str(tmp_path): "is not a file",
    }
    for file, words in cases.items():
        line = _one_line_error(run_cli("--data-dir", str(data), "restore", file))
        assert words in line, line
    assert _digest(data) == before
    assert _attempt_count(run_cli, data, tmp_path) == 4


def test_a_damaged_journal_is_reported_in_one_line_naming_the_fix(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "6").returncode == 0
    assert run_cli("--data-dir", str(data), "backup").returncode == 0
    (backup,) = (data / "backups").glob("*.sqlite3")
    journal = data / "journal.sqlite3"
    with journal.open("r+b") as handle:
        handle.truncate(journal.stat().st_size // 2 + 10)
    damaged = journal.read_bytes()

    for args in (("export", "--format", "json", "--out", str(tmp_path / "x.json")),
                 ("backup",)):
        line = _one_line_error(run_cli("--data-dir", str(data), *args))
        assert "incomplete" in line
        assert f"rejection-journal --data-dir {data} restore {backup.name}" in line
    assert journal.read_bytes() == damaged
    assert not (tmp_path / "x.json").exists()

    result = run_cli("--data-dir", str(data), "restore", backup.name)
    assert result.returncode == 0, result.stderr
    assert "The damaged journal was kept as journal.damaged-" in result.stdout
    (kept,) = data.glob("journal.damaged-*.sqlite3")
    assert kept.read_bytes() == damaged
    assert _attempt_count(run_cli, data, tmp_path) == 6


def test_restore_waits_for_the_app_to_close(run_cli: Run, tmp_path: Path) -> None:
    from rejection_journal.lock import journal_lock, try_lock

    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "3").returncode == 0
    assert run_cli("--data-dir", str(data), "backup").returncode == 0
    (backup,) = (data / "backups").glob("*.sqlite3")
    lock = journal_lock(data)
    assert try_lock(lock, data)  # as the running app holds it
    try:
        before = _digest(data)
        line = _one_line_error(run_cli("--data-dir", str(data), "restore", backup.name))
        assert "open in Rejection Journal" in line
        assert _digest(data) == before
        # A backup is fine while the app runs.
        assert run_cli("--data-dir", str(data), "backup").returncode == 0
    finally:
        lock.unlock()
    assert run_cli("--data-dir", str(data), "restore", backup.name).returncode == 0
    assert os.listdir(data / "backups")


def _backup_path(result) -> Path:
    assert result.returncode == 0, result.stderr
    first = result.stdout.strip().splitlines()[0]
    return Path(first.removeprefix("Backed up the journal to "))


def test_two_journals_sharing_a_backups_folder_through_links_stay_apart(
    run_cli: Run, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    a, b = tmp_path / "a", tmp_path / "b"
    for data, entries in ((a, "4"), (b, "7")):
        assert run_cli("--data-dir", str(data), "demo", "--entries", entries).returncode == 0
        (data / "backups").symlink_to(shared, target_is_directory=True)

    # A link to a folder elsewhere is not used (nor its mode changed) until it is chosen.
    line = _one_line_error(run_cli("--data-dir", str(a), "backup"))
    assert f"is a link to {shared}" in line and "--use-linked-folder" in line
    assert list(shared.iterdir()) == [] and shared.stat().st_mode & 0o777 == 0o755
    chosen = run_cli("--data-dir", str(a), "backup", "--use-linked-folder")
    assert f"Backups go to {shared} from now on" in chosen.stdout
    mine = _backup_path(chosen)
    theirs = _backup_path(run_cli("--data-dir", str(b), "backup", "--use-linked-folder"))
    assert shared.stat().st_mode & 0o777 == 0o755
    assert mine.parent == a / "backups" and theirs.parent == b / "backups"

    listing = run_cli("--data-dir", str(a), "restore")
    assert listing.returncode == 0, listing.stderr
    (line,) = listing.stdout.strip().splitlines()  # its own only
    assert line.endswith(mine.name)

    # By name, the other journal's backup is refused; by its path it is restored, and said so.
    before = _digest(a)
    refused = _one_line_error(run_cli("--data-dir", str(a), "restore", theirs.name))
    assert "is a backup of another journal" in refused and "full path" in refused
    assert _digest(a) == before
    done = run_cli("--data-dir", str(a), "restore", str(shared / theirs.name))
    assert done.returncode == 0, done.stderr
    assert f"{theirs.name} is a backup of another journal" in done.stdout
    assert _attempt_count(run_cli, a, tmp_path) == 7
    assert journal_id(a / "journal.sqlite3") != journal_id(b / "journal.sqlite3")


def test_a_backup_changed_after_it_was_made_is_refused_and_nothing_changes(
    run_cli: Run, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    assert run_cli("--data-dir", str(data), "demo", "--entries", "6").returncode == 0
    backup = _backup_path(run_cli("--data-dir", str(data), "backup"))
    conn = sqlite3.connect(f"file:{backup}?mode=ro&immutable=1", uri=True)
    (ask,) = conn.execute("SELECT ask FROM attempt ORDER BY length(ask) DESC").fetchone()
    conn.close()
    raw = backup.read_bytes()
    at = raw.index(ask.encode())
    backup.write_bytes(raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:])  # one bit flipped
    before = _digest(data)

    line = _one_line_error(run_cli("--data-dir", str(data), "restore", backup.name))
    assert f"{backup.name} cannot be restored" in line and "checksum" in line
    assert _digest(data) == before
    (backup.parent / (backup.name + ".sha256")).unlink()  # lost, or copied without it
    before = _digest(data)
    line = _one_line_error(run_cli("--data-dir", str(data), "restore", backup.name))
    assert "its text and its search index disagree" in line
    assert _digest(data) == before
