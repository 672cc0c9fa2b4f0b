"""The one-writer guard in one process: two guards on one folder, a deleted lock file."""

from __future__ import annotations

from pathlib import Path

import pytest

from rejection_journal.lock import Holder, _subcommand, find_holder, journal_lock, try_lock
from rejection_journal.paths import ensure_private_dir, lock_path

COMMANDS = ("demo", "export", "import", "backup", "restore")


def test_the_guard_holds_after_its_lock_file_is_deleted_or_replaced(tmp_path: Path) -> None:
    data = ensure_private_dir(tmp_path / "journal")
    held = journal_lock(data)
    assert try_lock(held, data)
    try:
        lock_path(data).unlink()
        assert not try_lock(journal_lock(data), data, 50)
        assert not lock_path(data).exists(), "a refused guard leaves no lock file behind"
        lock_path(data).write_text("99999999\nsomething\nelsewhere\n")  # replaced
        assert not try_lock(journal_lock(data), data)
    finally:
        held.unlock()
    lock_path(data).unlink(missing_ok=True)
    again = journal_lock(data)
    assert try_lock(again, data), "released on unlock"
    again.unlock()


def test_the_holder_is_named_even_without_its_lock_file(tmp_path: Path) -> None:
    import os

    data = ensure_private_dir(tmp_path / "journal")
    held = journal_lock(data)
    assert try_lock(held, data)
    try:
        lock_path(data).unlink()
        loser = journal_lock(data)
        assert not try_lock(loser, data)
        holder = find_holder(loser, data, COMMANDS)
    finally:
        held.unlock()
    if not Path("/proc/locks").exists():
        pytest.skip("only Linux lists flock holders (/proc/locks)")
    assert holder == Holder(os.getpid(), None)  # pytest is no rejection-journal command


@pytest.mark.parametrize(("argv", "command"), [
    (["/usr/bin/python3", "/venv/bin/rejection-journal"], None),
    (["/venv/bin/rejection-journal", "--data-dir", "import", "import", "x.json"], "import"),
    (["python", "-m", "rejection_journal", "--data-dir=/d", "restore", "b.sqlite3"], "restore"),
    (["python", "-m", "pytest", "-k", "import"], None),
    (["python", "/src/rejection_journal/__main__.py", "backup"], "backup"),
])
def test_the_subcommand_is_read_from_a_command_line(argv: list[str], command: str | None
                                                    ) -> None:
    assert _subcommand(argv, COMMANDS) == command
