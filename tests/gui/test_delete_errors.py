"""Issue 18 item 15: deleting an entry on a locked database or a full disk is one calm
message through the Dialogs seam, never the crash dialog, and the entry stays."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal, open_journal
from rejection_journal.storage.models import database
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs
from tests.small_disk import fill_up, needs_mount, small_disk


def _saved_and_selected(qtbot, window: MainWindow) -> AttemptRecord:
    entry = window.service.save(AttemptRecord(ask="Ask for a discount",
                                              attempted_on=date(2024, 5, 1)))
    window.entries.select(entry.uuid)
    qtbot.waitUntil(lambda: window.entries.current_uuid() == entry.uuid)
    return entry


def test_delete_on_a_locked_journal_says_so_and_keeps_the_entry(
    qtbot, window: MainWindow, journal: Journal, dialogs: FakeDialogs
) -> None:
    entry = _saved_and_selected(qtbot, window)
    database.execute_sql("PRAGMA busy_timeout = 100")  # wait 0.1 s for the lock, not 5
    other = sqlite3.connect(journal.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        window.delete_action.trigger()  # Delete, as the menu and the key do
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dialogs.errors == [("Not deleted", "The entry could not be deleted: The journal is "
                                              "busy in another program. Close it and try again.")]
    assert window.service.attempt(entry.uuid) == entry


@pytest.fixture
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    """The journal, in tmp_path or (``indirect`` param "small disk") on a small real disk."""
    with contextlib.ExitStack() as stack:
        folder = tmp_path
        if getattr(request, "param", None) == "small disk":
            folder = stack.enter_context(small_disk(tmp_path / "disk"))
        j = open_journal(folder / "journal")
        stack.callback(j.close)
        yield j


@needs_mount
@pytest.mark.parametrize("journal", ["small disk"], indirect=True)
def test_delete_on_a_full_disk_says_so_and_keeps_the_entry(
    qtbot, window: MainWindow, journal: Journal, dialogs: FakeDialogs
) -> None:
    entry = _saved_and_selected(qtbot, window)
    journal.close()  # the log checkpointed away, so deleting must grow it
    journal.reopen()
    fill_up(journal.data_dir.parent)
    window.delete_action.trigger()
    assert dialogs.errors == [("Not deleted", "The entry could not be deleted: The disk is "
                                              "full. Free some space and try again.")]
    assert window.service.attempt(entry.uuid) == entry
    (journal.data_dir.parent / "filler").unlink()
