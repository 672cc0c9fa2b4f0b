"""The window on a read-only journal: a calm banner, reading and exporting work, nothing is lost.

Which journals are read-only (a 0400 file, a read-only folder or disk) is found by the app
itself; that is tested with real processes in tests/e2e/test_read_only.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal, open_journal
from rejection_journal.ui.dialogs import UnsavedChoice
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs

ASKS = ["Ask for a discount", "Ask a stranger for the time"]


@pytest.fixture
def read_only_journal(tmp_path: Path) -> Iterator[Journal]:
    data = tmp_path / "journal"
    with open_journal(data) as writable:
        for ask in ASKS:
            writable.save_attempt(AttemptRecord(ask=ask, attempted_on=date(2024, 5, 1),
                                                anticipated_discomfort=7, outcome=Outcome.NO,
                                                actual_discomfort=3))
    journal = open_journal(data, read_only=True)
    yield journal
    journal.close()


@pytest.fixture
def ro_window(qtbot, read_only_journal: Journal, dialogs: FakeDialogs,
              settings_path: Path) -> Iterator[MainWindow]:
    before = set(QApplication.topLevelWidgets())
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(JournalService(read_only_journal), settings=settings, dialogs=dialogs)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.editor._set_clean()
    window.close()
    window.deleteLater()
    leaked = [w for w in QApplication.topLevelWidgets()
              if w not in before and w.isVisible() and w is not window]
    assert not leaked, f"leaked top-level widgets: {leaked}"


def test_a_banner_says_why_and_the_writing_actions_are_off(ro_window: MainWindow) -> None:
    banner = ro_window.read_only_banner
    assert banner is not None and banner.isVisible()
    assert banner.text() == ("This journal is read-only because it was opened for reading only, "
                             "so changes can't be saved. You can still read, export and chart it.")
    for action in (ro_window.save_action, ro_window.import_action, ro_window.backup_action,
                   ro_window.restore_action):
        assert not action.isEnabled(), action.text()
    assert not ro_window.editor.save_button.isEnabled()
    for action in (ro_window.export_journal_action, ro_window.export_chart_action,
                   ro_window.new_action):
        assert action.isEnabled(), action.text()


def test_entries_can_be_browsed_exported_and_charted(
    qtbot, ro_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    assert ro_window.entries.model.rowCount() == 2
    uuid = ro_window.service.attempt_uuids_sorted()[0]
    ro_window.open_attempt(uuid)
    assert ro_window.editor.ask.text() in ASKS

    out = tmp_path / "export.json"
    dialogs.save_paths.append(out)
    ro_window.export_journal_action.trigger()
    assert dialogs.errors == []
    assert sorted(a["ask"] for a in json.loads(out.read_text())["attempts"]) == sorted(ASKS)

    if not ro_window.chart.is_active:
        with qtbot.waitSignal(ro_window.chart.activated, timeout=20_000):
            pass
    chart = tmp_path / "chart.png"
    dialogs.save_paths.append(chart)
    assert ro_window.export_chart() == chart
    assert chart.stat().st_size > 0


def test_typed_text_is_kept_when_saving_is_refused(
    ro_window: MainWindow, dialogs: FakeDialogs
) -> None:
    editor = ro_window.editor
    editor.ask.setText("Ask for a seat upgrade")
    editor.ask.textEdited.emit("Ask for a seat upgrade")
    editor.feelings_before.setPlainText("Nervous but curious")
    assert editor.is_dirty

    assert editor.save() is None
    assert editor.error_label.isVisible()
    assert "read-only" in editor.error_label.text()
    assert "Your text is still here" in editor.error_label.text()
    assert editor.ask.text() == "Ask for a seat upgrade"
    assert editor.feelings_before.toPlainText() == "Nervous but curious"

    # Quitting and choosing Save keeps the window (and the text) instead of losing it.
    dialogs.unsaved_answers.append(UnsavedChoice.SAVE)
    assert not ro_window.close()
    assert ro_window.isVisible()
    assert editor.ask.text() == "Ask for a seat upgrade"
    assert ro_window.service.attempt_count() == 2


def test_import_backup_and_restore_refuse_calmly(
    ro_window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    export = tmp_path / "other.json"
    export.write_text("{}")
    actions = ro_window.journal_actions
    assert actions.import_journal(export) is False
    assert actions.backup_now() is None
    assert actions.restore() is False
    assert [title for title, _text in dialogs.errors] == [
        "Nothing imported", "No backup made", "Journal not restored"]
    for _title, text in dialogs.errors:
        assert text.startswith("This journal is read-only because it was opened for reading only")
    assert ro_window.service.attempt_count() == 2


def test_the_window_state_is_not_written_beside_a_read_only_journal(
    ro_window: MainWindow, settings_path: Path
) -> None:
    ro_window.main_splitter.setSizes([250, 450, 400])
    ro_window.close()
    assert not settings_path.exists()


def test_the_evening_review_welcome_and_reminder_stay_out_of_a_read_only_journal(
    qtbot, ro_window: MainWindow, dialogs: FakeDialogs, settings_path: Path,
) -> None:
    evening = ro_window.evening
    for action in (evening.review_action, evening.reminder_action,
                   evening.remove_demo_action):
        assert not action.isEnabled(), action.text()
    assert evening.start_review() is None
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))
    assert dialogs.welcomes == [], "no welcome (and nothing written) for a read-only journal"
    assert not settings_path.exists()


def test_build_my_plan_stays_out_of_a_read_only_journal(
        ro_window: MainWindow, dialogs: FakeDialogs) -> None:
    """Issue 23: a plan could not be saved there; the menu, the Ladders tab and the welcome
    don't offer it."""
    assert not ro_window.plan_action.isEnabled()
    assert not ro_window.ladders.empty_plan_button.isEnabled()
    assert not ro_window.ladders.menu_button.isEnabled()
