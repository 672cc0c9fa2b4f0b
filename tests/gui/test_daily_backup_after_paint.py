"""Start-up does only what the first screen shows before it paints: today's daily backup comes
right after the first paint (issue 13), and is still made, and a failure still said."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from rejection_journal.app import open_main_window
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.backup_list import DAILY, list_backups
from rejection_journal.ui.after_paint import AfterFirstPaint
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs


def _dailies(data: Path) -> list[Path]:
    return [b.path for b in list_backups(data / "backups") if b.kind == DAILY]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A journal with one entry (an empty journal gets no daily backup)."""
    folder = tmp_path / "journal"
    with open_journal(folder) as journal:
        journal.save_attempt(AttemptRecord(ask="Ask for a window seat",
                                           attempted_on=date(2024, 7, 1)))
    return folder


@pytest.fixture
def opened(qtbot, data: Path) -> Iterator[list[tuple[MainWindow, Journal]]]:
    windows: list[tuple[MainWindow, Journal]] = []
    yield windows
    for window, journal in windows:
        window.close()
        window.deleteLater()
        journal.close()


def _task(window: MainWindow) -> AfterFirstPaint:
    task = window.findChild(QObject, "dailyBackup")
    assert isinstance(task, AfterFirstPaint)
    return task


def test_the_daily_backup_waits_for_the_first_paint_and_is_then_made(
    qtbot, data: Path, opened: list[tuple[MainWindow, Journal]]
) -> None:
    window, journal = open_main_window(data, daily_backup=True, dialogs=FakeDialogs())
    opened.append((window, journal))
    assert _dailies(data) == [], "the daily backup was made before the window painted"
    assert journal.daily_backup is None
    task = _task(window)
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass  # the window paints, then the backup runs
    assert journal.backup_error is None
    assert journal.daily_backup is not None
    assert _dailies(data) == [journal.daily_backup.path]


def test_a_failed_daily_backup_after_the_first_paint_is_said_in_the_status_bar(
    qtbot, data: Path, opened: list[tuple[MainWindow, Journal]]
) -> None:
    (data / "backups").write_text("a file where the backups folder should be")
    window, journal = open_main_window(data, daily_backup=True, dialogs=FakeDialogs())
    opened.append((window, journal))
    with qtbot.waitSignal(_task(window).finished, timeout=10_000):
        pass
    assert journal.backup_error is not None
    assert window.statusBar().currentMessage().startswith(
        "Today's automatic backup could not be made:")
    assert window.isVisible()  # the journal opened anyway


def test_without_daily_backup_nothing_is_scheduled(
    qtbot, data: Path, opened: list[tuple[MainWindow, Journal]]
) -> None:
    window, journal = open_main_window(data, dialogs=FakeDialogs())
    opened.append((window, journal))
    assert window.findChild(QObject, "dailyBackup") is None
