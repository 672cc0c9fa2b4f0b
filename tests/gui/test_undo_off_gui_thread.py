"""Issue 18 item 5, the window half: Edit ▸ Undo and Redo of a large import are written off
the GUI thread, with the import's progress dialog; the window keeps running meanwhile."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage.export import attempt_to_dict
from rejection_journal.storage.revisions import revision
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs

IMPORTED = 3_000
STEP = "Import of 3,000 entries"


def _import_entries(service: JournalService, tmp_path: Path) -> None:
    """Import an export of 3,000 new entries through the service (one undo step)."""
    records = generate_attempts(service.challenges(), IMPORTED, seed=11,
                                today=date(2026, 10, 1))
    document = {"format": "rejection-journal", "format_version": 6, "challenges": [],
                "ladders": [], "runs": [], "self_checks": [],
                "attempts": [{**attempt_to_dict(record), "revision": revision(record),
                              "earlier_revisions": []} for record in records]}
    path = tmp_path / "laptop.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    service.import_plan(service.read_import(path))
    assert service.undo_text == STEP


@pytest.fixture
def ticks(window: MainWindow) -> Iterator[list[int]]:
    """Ticks of a 5 ms timer started now: it only ticks while the GUI thread is free."""
    counted: list[int] = []
    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(lambda: counted.append(1))
    timer.start()
    yield counted
    timer.stop()


def _writers(window: MainWindow) -> tuple[QAction, ...]:
    return (window.undo_action, window.redo_action, window.import_action, window.save_action)


def _run_in_background(qtbot, window: MainWindow, action: QAction, label: str,
                       ticks: list[int]) -> tuple[object, int]:
    """Trigger ``action``; check it is being written with progress and no other writer;
    wait for it; return what it reports and how often the timer ticked meanwhile."""
    action.trigger()
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None and dialog.isVisible(), "no progress: written on the GUI thread"
    assert dialog.labelText() == label
    assert not any(writer.isEnabled() for writer in _writers(window))
    ticks_then: list[int] = []
    window.edit_commands.stepWritten.connect(lambda _done: ticks_then.append(len(ticks)))
    with qtbot.waitSignal(window.edit_commands.stepWritten, timeout=60_000) as written:
        pass
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is None)
    return written.args[0], ticks_then[0]


def test_undo_and_redo_of_a_large_import_keep_the_window_running(
        window: MainWindow, qtbot, tmp_path: Path, ticks: list[int]) -> None:
    service = window.service
    mine = service.save(AttemptRecord(ask="Ask for a window seat",
                                      attempted_on=date(2026, 9, 20)))
    _import_entries(service, tmp_path)
    assert window.entries.model.rowCount() == IMPORTED + 1

    done, ticked = _run_in_background(qtbot, window, window.undo_action,
                                      "Undoing the import of 3,000 entries…", ticks)
    assert done == STEP
    assert ticked > 0, "the window froze while the undo was written"
    assert service.attempt_uuids_sorted() == [mine.uuid]
    assert window.entries.model.rowCount() == 1
    assert window.statusBar().currentMessage() == f"Undone: {STEP}."
    assert window.redo_action.isEnabled() and window.redo_action.text() == f"&Redo {STEP}"
    assert window.import_action.isEnabled() and window.save_action.isEnabled()

    before = len(ticks)
    done, ticked = _run_in_background(qtbot, window, window.redo_action,
                                      "Redoing the import of 3,000 entries…", ticks)
    assert done == STEP
    assert ticked > before, "the window froze while the redo was written"
    assert service.attempt_count() == IMPORTED + 1
    assert window.entries.model.rowCount() == IMPORTED + 1
    assert window.statusBar().currentMessage() == f"Redone: {STEP}."
    assert window.undo_action.isEnabled() and window.undo_action.text() == f"&Undo {STEP}"


def test_an_undo_that_cannot_be_written_says_so_and_keeps_the_step(
        window: MainWindow, dialogs: FakeDialogs, qtbot, tmp_path: Path,
        ticks: list[int]) -> None:
    service = window.service
    _import_entries(service, tmp_path)
    other = sqlite3.connect(service.path, isolation_level=None)  # another program's hold
    try:
        other.execute("BEGIN EXCLUSIVE")
        done, ticked = _run_in_background(qtbot, window, window.undo_action,
                                          "Undoing the import of 3,000 entries…", ticks)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert done is None
    assert ticked > 0, "the window froze while waiting for the journal"
    assert len(dialogs.errors) == 1
    title, text = dialogs.errors[0]
    assert title == "Not undone" and text.startswith("That could not be undone: ")
    assert "Traceback" not in text and "\n" not in text
    assert service.attempt_count() == IMPORTED
    assert window.undo_action.isEnabled() and window.undo_action.text() == f"&Undo {STEP}"
    assert not window.redo_action.isEnabled()
    assert window.import_action.isEnabled() and window.save_action.isEnabled()

    # The step is still there: with the journal free again, the same undo goes through.
    done, _ticked = _run_in_background(qtbot, window, window.undo_action,
                                       "Undoing the import of 3,000 entries…", ticks)
    assert done == STEP and service.attempt_count() == 0
    assert len(dialogs.errors) == 1
