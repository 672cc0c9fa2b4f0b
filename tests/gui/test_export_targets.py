"""The app's exports (journal and chart) never write over the journal's own files or a device;
entries with dates the chart cannot draw are left out of it, with a note."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from matplotlib.text import Text

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.storage.models import Attempt
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs

_AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="making a device node needs root (tests run as root here and in CI)",
)


def _journal_intact(journal: Journal, count: int) -> None:
    with sqlite3.connect(f"file:{journal.path}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM attempt").fetchone() == (count,)
    assert journal.attempt_count() == count


@pytest.fixture
def one_entry(journal: Journal) -> Journal:
    journal.save_attempt(AttemptRecord(ask="Ask for extra sauce", attempted_on=date(2024, 5, 1),
                                       anticipated_discomfort=6))
    return journal


def _links_to_own_files(journal: Journal, tmp_path: Path, suffix: str) -> list[Path]:
    link = tmp_path / f"innocent{suffix}"
    link.symlink_to(journal.path)
    return [link, journal.backups_dir / f"inside-backups{suffix}"]


def test_exporting_the_journal_over_its_own_files_is_refused_calmly(
    window: MainWindow, one_entry: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    one_entry.backups_dir.mkdir(exist_ok=True)
    for target in _links_to_own_files(one_entry, tmp_path, ".json"):
        dialogs.save_paths.append(target)
        assert window.journal_actions.export_journal() is None
        title, text = dialogs.errors.pop()
        assert title == "Journal not exported"
        assert "journal's own files" in text and "Traceback" not in text
    assert (tmp_path / "innocent.json").is_symlink()
    assert not (one_entry.backups_dir / "inside-backups.json").exists()
    _journal_intact(one_entry, 1)


def test_exporting_the_chart_over_the_journal_is_refused_calmly(
    window: MainWindow, one_entry: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    one_entry.backups_dir.mkdir(exist_ok=True)
    for target in _links_to_own_files(one_entry, tmp_path, ".png"):
        dialogs.save_paths.append(target)
        assert window.export_chart() is None
        title, text = dialogs.errors.pop()
        assert title == "Chart not exported"
        assert "journal's own files" in text
    assert (tmp_path / "innocent.png").is_symlink()
    _journal_intact(one_entry, 1)


def test_a_fifo_is_refused_by_both_exports(
    window: MainWindow, one_entry: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    for name, export in (("pipe.json", window.journal_actions.export_journal),
                         ("pipe.png", window.export_chart)):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        dialogs.save_paths.append(fifo)
        assert export() is None
        assert "not a regular file" in dialogs.errors.pop()[1]
        assert stat.S_ISFIFO(fifo.lstat().st_mode)


@_AS_ROOT
def test_a_device_is_refused_by_both_exports(
    window: MainWindow, one_entry: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    for name, export in (("null.csv", window.journal_actions.export_journal),
                         ("null.svg", window.export_chart)):
        device = tmp_path / name
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        dialogs.save_paths.append(device)
        assert export() is None
        assert "device" in dialogs.errors.pop()[1]
        assert stat.S_ISCHR(device.lstat().st_mode)


def test_an_existing_file_is_replaced_the_dialog_already_asked(
    window: MainWindow, one_entry: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    for name, export in (("old.json", window.journal_actions.export_journal),
                         ("old.png", window.export_chart)):
        target = tmp_path / name
        target.write_bytes(b"old")
        dialogs.save_paths.append(target)
        assert export() == target
        assert target.read_bytes() != b"old"
    assert dialogs.errors == []


def test_an_entry_dated_outside_the_range_is_left_out_of_the_chart_with_a_note(
    qtbot, make_window, journal: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    for day in (1, 2, 3):
        journal.save_attempt(AttemptRecord(ask="Ask", attempted_on=date(2024, 5, day),
                                           anticipated_discomfort=7, outcome=Outcome.NO,
                                           actual_discomfort=day))
    # An old journal may hold dates the app now refuses: put two there as such a journal would.
    uuids = [a.uuid for a in journal.attempts()]
    Attempt.update(attempted_on=date(1, 1, 1)).where(Attempt.uuid == uuids[0]).execute()
    Attempt.update(attempted_on=date(9999, 12, 31)).where(Attempt.uuid == uuids[1]).execute()

    window = make_window()
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass
    texts = [t.get_text() for t in window.chart.figure.findobj(Text)]
    assert any("2 entries" in t and "left out" in t for t in texts), texts
    for suffix in (".png", ".svg", ".pdf"):
        target = tmp_path / f"chart{suffix}"
        dialogs.save_paths.append(target)
        assert window.export_chart() == target
    assert dialogs.errors == []
