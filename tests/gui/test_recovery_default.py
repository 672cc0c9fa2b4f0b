"""Recovery never suggests restoring a backup over a journal that still holds more than it."""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from rejection_journal.app import open_with_recovery
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.health import DamageKind, check_journal
from rejection_journal.ui.dialogs import Dialogs, RecoveryChoice

from ..unit.damage import crash_after_saving, fill
from .conftest import FakeDialogs


class AskedDialogs(FakeDialogs):
    """Records the message, choices and suggested answer; answers Quit (changes nothing)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, list[RecoveryChoice], RecoveryChoice | None]] = []

    def ask_recovery(self, message: str, choices: Sequence[tuple[RecoveryChoice, str]],
                     default: RecoveryChoice | None = None) -> RecoveryChoice:
        self.asked.append((message, [c for c, _label in choices], default))
        return RecoveryChoice.QUIT


def _ask() -> AttemptRecord:
    return AttemptRecord(ask="Ask for a window seat", attempted_on=date(2024, 7, 1))


def _corrupt_index(db: Path, name: str) -> None:
    """Point the cells of an index's root page outside it: quick_check fails, while the
    table itself (every entry) still reads."""
    conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                               (name,)).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    page = (root - 1) * page_size
    assert data[page] in (0x02, 0x0A), "expected an index b-tree page"
    (cells,) = struct.unpack_from(">H", data, page + 3)
    start = page + (12 if data[page] == 0x02 else 8)
    data[start : start + 2 * cells] = b"\xff" * (2 * cells)
    db.write_bytes(bytes(data))


def test_a_damaged_journal_with_newer_entries_does_not_suggest_the_backup(
    qapp: QApplication, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    fill(data, 50)
    with open_journal(data) as journal:
        journal.backup("manual")
        for _ in range(3):
            journal.save_attempt(_ask())  # after the backup
    db = database_path(data)
    _corrupt_index(db, "attempt_uuid")
    damage = check_journal(db)
    assert damage is not None and damage.kind is DamageKind.CORRUPTED
    before = db.read_bytes()

    dialogs = AskedDialogs()
    assert open_with_recovery(data, dialogs) is None
    ((message, choices, default),) = dialogs.asked
    assert RecoveryChoice.RESTORE_BACKUP in choices
    assert default is RecoveryChoice.QUIT
    assert "3 entries newer than that backup" in message
    assert db.read_bytes() == before


def test_a_lost_log_with_entries_newer_than_the_backup_suggests_opening_what_is_left(
    qapp: QApplication, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    fill(data, 10)
    with open_journal(data, daily_backup=True) as journal:
        assert journal.daily_backup is not None
        journal.save_attempt(_ask())
    crash_after_saving(data, 2)
    (data / "journal.sqlite3-wal").unlink()
    dialogs = AskedDialogs()
    assert open_with_recovery(data, dialogs) is None
    ((_message, _choices, default),) = dialogs.asked
    assert default is RecoveryChoice.OPEN_WHAT_IS_LEFT


def test_an_unreadable_journal_suggests_the_backup(qapp: QApplication, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    fill(data, 10)
    with open_journal(data) as journal:
        journal.backup("manual")
    database_path(data).write_bytes(b"not a journal any more" * 200)
    dialogs = AskedDialogs()
    assert open_with_recovery(data, dialogs) is None
    ((_message, _choices, default),) = dialogs.asked
    assert default is RecoveryChoice.RESTORE_BACKUP


def test_the_real_dialog_makes_the_suggested_answer_its_default_button(
    qapp: QApplication,
) -> None:
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        button = box.defaultButton()
        seen.append(button.text())
        button.click()

    QTimer.singleShot(0, answer)
    choice = Dialogs().ask_recovery(
        "The journal needs attention.",
        [(RecoveryChoice.RESTORE_BACKUP, "Restore the newest backup"),
         (RecoveryChoice.START_EMPTY, "Start an empty journal"),
         (RecoveryChoice.QUIT, "Quit")],
        default=RecoveryChoice.QUIT,
    )
    assert seen == ["Quit"]
    assert choice is RecoveryChoice.QUIT
