"""A damaged journal at start: the app explains, offers a way out, and never deletes anything."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from rejection_journal.app import open_with_recovery
from rejection_journal.paths import backups_dir, database_path
from rejection_journal.storage import open_journal
from rejection_journal.storage.health import damaged_copies
from rejection_journal.storage.journal import current_journal
from rejection_journal.ui.dialogs import RecoveryChoice
from rejection_journal.ui.main_window import MainWindow

from ..unit.damage import crash_after_saving, fill, stored_uuids
from .conftest import FakeDialogs


class RecoveryDialogs(FakeDialogs):
    def __init__(self, answer: RecoveryChoice) -> None:
        super().__init__()
        self.answer = answer
        self.offered: list[tuple[str, list[RecoveryChoice]]] = []

    def ask_recovery(self, message: str, choices: Sequence[tuple[RecoveryChoice, str]],
                     default: RecoveryChoice | None = None) -> RecoveryChoice:
        self.offered.append((message, [choice for choice, _label in choices]))
        return self.answer


@pytest.fixture
def opened(qapp: QApplication) -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.close()
        window.deleteLater()
    QApplication.processEvents()
    if (journal := current_journal()) is not None:
        journal.close()


def _garble(db: Path) -> None:
    db.write_bytes(b"this is not a journal any more" * 100)


def _backed_up_journal(data: Path) -> set[str]:
    uuids = fill(data, 30)
    with open_journal(data) as journal:
        journal.backup("manual")
    return uuids


def test_garbage_journal_restores_newest_backup(tmp_path: Path, opened: list) -> None:  # type: ignore[type-arg]
    data = tmp_path / "journal"
    uuids = _backed_up_journal(data)
    _garble(database_path(data))
    dialogs = RecoveryDialogs(RecoveryChoice.RESTORE_BACKUP)
    result = open_with_recovery(data, dialogs)
    assert result is not None
    window, journal = result
    opened.append(window)
    message, choices = dialogs.offered[0]
    assert "no longer holds a journal" in message and "backup" in message
    assert choices[0] is RecoveryChoice.RESTORE_BACKUP
    assert RecoveryChoice.QUIT in choices
    assert {a.uuid for a in journal.attempts()} == uuids
    assert window.entries.model.rowCount() == 30
    aside = damaged_copies(data)
    assert aside and aside[0].read_bytes().startswith(b"this is not a journal")


def test_quit_leaves_the_damaged_journal_exactly_as_it_was(
    qapp: QApplication, tmp_path: Path
) -> None:
    data = tmp_path / "journal"
    _backed_up_journal(data)
    db = database_path(data)
    _garble(db)
    before = db.read_bytes()
    assert open_with_recovery(data, RecoveryDialogs(RecoveryChoice.QUIT)) is None
    assert db.read_bytes() == before
    assert damaged_copies(data) == []


def test_no_backup_offers_an_empty_journal_and_keeps_the_old_file(
    tmp_path: Path, opened: list  # type: ignore[type-arg]
) -> None:
    data = tmp_path / "journal"
    fill(data, 5)
    for backup in backups_dir(data).glob("*"):
        backup.unlink()
    _garble(database_path(data))
    dialogs = RecoveryDialogs(RecoveryChoice.START_EMPTY)
    result = open_with_recovery(data, dialogs)
    assert result is not None
    window, journal = result
    opened.append(window)
    assert RecoveryChoice.RESTORE_BACKUP not in dialogs.offered[0][1]
    assert journal.attempt_count() == 0
    assert len(damaged_copies(data)) == 1


def test_lost_wal_can_open_what_is_left(tmp_path: Path, opened: list) -> None:  # type: ignore[type-arg]
    data = tmp_path / "journal"
    fill(data, 10)
    crash_after_saving(data, 5)
    (data / "journal.sqlite3-wal").unlink()
    on_disk = stored_uuids(database_path(data))
    dialogs = RecoveryDialogs(RecoveryChoice.OPEN_WHAT_IS_LEFT)
    result = open_with_recovery(data, dialogs)
    assert result is not None
    window, journal = result
    opened.append(window)
    assert RecoveryChoice.OPEN_WHAT_IS_LEFT in dialogs.offered[0][1]
    assert "lost" in dialogs.offered[0][0]
    assert {a.uuid for a in journal.attempts()} == on_disk
    assert len(on_disk) >= 10
