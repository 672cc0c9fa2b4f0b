"""The optional evening reminder: its settings dialog and the timer that checks the rule.

Off by default.  When on, and while the app runs, a tray notification says how many entries
are open once the chosen time has passed: at most once a day (the last day shown is kept in
ui-state.ini), never when nothing is open, no network.  "Start at login" writes or removes an
XDG autostart entry (``desktop_entry.set_autostart``).  Without a system tray the dialog says
so and the reminder stays off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QObject, QSettings, QTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.reminder import (
    DEFAULT_TIME,
    ReminderSettings,
    parse_day,
    parse_time,
    reminder_due,
    reminder_text,
)
from rejection_journal.services import JournalService

ENABLED_KEY = "reminder/enabled"
TIME_KEY = "reminder/time"
LAST_SHOWN_KEY = "reminder/lastShown"
#: how often the running app looks at the clock
CHECK_INTERVAL_MS = 60_000
NO_TRAY_TEXT = ("Your desktop has no system tray, so Rejection Journal cannot show a reminder "
                "here. The option stays off.")


def read_settings(settings: QSettings, at_login: bool) -> ReminderSettings:
    enabled = str(settings.value(ENABLED_KEY, "false")).lower() == "true"
    at = parse_time(str(settings.value(TIME_KEY, DEFAULT_TIME.strftime("%H:%M"))))
    return ReminderSettings(enabled=enabled, at=at, at_login=at_login)


def write_settings(settings: QSettings, chosen: ReminderSettings) -> None:
    settings.setValue(ENABLED_KEY, "true" if chosen.enabled else "false")
    settings.setValue(TIME_KEY, chosen.at.strftime("%H:%M"))
    settings.sync()


class ReminderDialog(QDialog):
    """Switch the reminder on or off, pick its time, and whether to start at login."""

    def __init__(self, current: ReminderSettings, tray_available: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderDialog")
        self.setWindowTitle("Evening reminder")
        intro = QLabel("A gentle note in the evening when entries are still waiting for their "
                       "after half. Only while Rejection Journal is running, at most once a "
                       "day, and never when nothing is open.")
        intro.setWordWrap(True)
        self.enabled = QCheckBox("&Remind me at")
        self.enabled.setChecked(current.enabled and tray_available)
        self.time = QTimeEdit(QTime(current.at.hour, current.at.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Reminder time")
        row = QHBoxLayout()
        row.addWidget(self.enabled)
        row.addWidget(self.time)
        row.addStretch(1)
        self.at_login = QCheckBox("&Start Rejection Journal when I log in")
        self.at_login.setChecked(current.at_login)
        self.no_tray = QLabel(NO_TRAY_TEXT)
        self.no_tray.setObjectName("noTrayNotice")
        self.no_tray.setWordWrap(True)
        self.no_tray.setVisible(not tray_available)
        self.enabled.setEnabled(tray_available)
        self.time.setEnabled(tray_available and self.enabled.isChecked())
        self.enabled.toggled.connect(self.time.setEnabled)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.no_tray)
        layout.addWidget(self.at_login)
        layout.addWidget(buttons)

    def chosen(self) -> ReminderSettings:
        at = self.time.time()
        return ReminderSettings(enabled=self.enabled.isEnabled() and self.enabled.isChecked(),
                                at=time(at.hour(), at.minute()),
                                at_login=self.at_login.isChecked())


class ReminderScheduler(QObject):
    """Looks at the clock every minute while the app runs and calls ``notify(text)`` when
    the rule (``domain/reminder.py``) says a reminder is due."""

    def __init__(self, service: JournalService, settings: QSettings,
                 notify: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._settings = settings
        self._notify = notify
        self._now = service.now
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def apply(self) -> None:
        """Start or stop looking, as the settings say."""
        if read_settings(self._settings, at_login=False).enabled:
            if not self.timer.isActive():
                self.timer.start()
            self.check()
        else:
            self.timer.stop()

    def last_shown(self) -> date | None:
        return parse_day(self._settings.value(LAST_SHOWN_KEY, ""))

    def check(self) -> bool:
        """Notify if due; True if it did."""
        chosen = read_settings(self._settings, at_login=False)
        now = self._now()
        last = self.last_shown()
        if not chosen.enabled or now.time() < chosen.at or last == now.date():
            return False  # nothing to ask the journal
        count = self._service.open_count()
        if not reminder_due(now, chosen, last, count):
            return False
        self._settings.setValue(LAST_SHOWN_KEY, now.date().isoformat())
        self._settings.sync()
        self._notify(reminder_text(count))
        return True
