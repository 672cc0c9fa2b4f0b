"""The optional evening reminder: off by default, once a day, never about nothing; and the
login entry switched on and off from its settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QSettings

from rejection_journal import APP_ID
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.reminder import ReminderSettings
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.reminder import (
    LAST_SHOWN_KEY,
    NO_TRAY_TEXT,
    ReminderDialog,
    ReminderScheduler,
    write_settings,
)
from tests.gui.conftest import FakeDialogs


def test_reminder_notifies_once_a_day_after_the_time_and_only_with_open_entries(
    qtbot, journal: Journal, settings_path: Path,
) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 21, 30))
    service = JournalService(journal, clock=clock)
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    shown: list[str] = []
    scheduler = ReminderScheduler(service, settings, shown.append)

    service.save(AttemptRecord(ask="Ask for a discount", attempted_on=date(2026, 11, 24)))
    assert not scheduler.check(), "off by default"
    write_settings(settings, ReminderSettings(enabled=True, at=time(21, 0)))
    scheduler.apply()
    assert scheduler.timer.isActive()
    assert shown == ["One entry is waiting for its after half, whenever you are ready."]
    assert settings.value(LAST_SHOWN_KEY) == "2026-11-24"
    assert not scheduler.check(), "at most once a day"

    clock.set(datetime(2026, 11, 25, 20, 0))
    assert not scheduler.check(), "not before the chosen time"
    for record in service.open_entries():
        service.delete(record.uuid)
    clock.set(datetime(2026, 11, 25, 22, 0))
    assert not scheduler.check() and len(shown) == 1, "never when nothing is open"

    write_settings(settings, ReminderSettings(enabled=False))
    scheduler.apply()
    assert not scheduler.timer.isActive()


def test_settings_switch_the_login_entry_on_and_off(
    make_window: Callable[[], MainWindow], dialogs: FakeDialogs, tmp_path: Path,
) -> None:
    window = make_window()
    entry = Path.home() / ".config" / "autostart" / f"{APP_ID}.desktop"
    dialogs.reminder_answers = [ReminderSettings(enabled=False, at=time(20, 30), at_login=True)]
    window.evening.reminder_action.trigger()
    offered, tray = dialogs.reminder_questions[-1]
    assert offered == ReminderSettings() and tray is False  # offscreen: no system tray
    assert entry.is_file() and "Exec=" in entry.read_text(encoding="utf-8")

    dialogs.reminder_answers = [ReminderSettings(enabled=False, at=time(20, 30))]
    window.evening.reminder_action.trigger()
    assert dialogs.reminder_questions[-1][0].at_login is True
    assert dialogs.reminder_questions[-1][0].at == time(20, 30), "the chosen time is kept"
    assert not entry.exists()


def test_without_a_system_tray_the_dialog_says_so_and_stays_off(qtbot) -> None:
    dialog = ReminderDialog(ReminderSettings(enabled=True), tray_available=False)
    qtbot.addWidget(dialog)
    assert not dialog.enabled.isEnabled() and not dialog.enabled.isChecked()
    assert not dialog.no_tray.isHidden() and dialog.no_tray.text() == NO_TRAY_TEXT
    assert dialog.chosen().enabled is False

    with_tray = ReminderDialog(ReminderSettings(), tray_available=True)
    qtbot.addWidget(with_tray)
    assert with_tray.no_tray.isHidden() and not with_tray.enabled.isChecked()
    with_tray.enabled.setChecked(True)
    assert with_tray.chosen() == ReminderSettings(enabled=True, at=time(21, 0))
