"""The evening session and the journal's care for its user, wired in one place.

The evening review (menu, Ctrl+R, the status bar's open-entries button), the optional
reminder, the first-run welcome with its demo entries, and the gentle pause banner.  The main
window only places what this makes (actions, banners, a status-bar button) and forwards change
events to :meth:`EveningSession.apply_change`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from rejection_journal import APP_NAME
from rejection_journal.domain.demo import DemoRemoval
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.wellbeing import Dismissal, banner_due
from rejection_journal.services import Change, Entity, JournalService, StorageError
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.editor import AttemptEditor
from rejection_journal.ui.reminder import ReminderScheduler, read_settings, write_settings
from rejection_journal.ui.review import OpenEntriesButton, ReviewDialog
from rejection_journal.ui.wellbeing import DemoBanner, EveningBanner, PauseBanner

WELCOME_KEY = "welcome/shown"
DISMISSED_ON_KEY = "wellbeing/pauseDismissedOn"
DISMISSED_LEVEL_KEY = "wellbeing/pauseDismissedLevel"
#: the day the evening banner was put away ("Not tonight")
EVENING_DISMISSED_KEY = "reminder/bannerDismissedOn"
#: how often the window looks whether the evening has come (the service's clock decides)
EVENING_CHECK_MS = 60_000


class EveningSession(QObject):
    """Review, reminder, welcome, demo data and the pause banner for one main window."""

    def __init__(self, window: QWidget, service: JournalService, settings: QSettings,
                 dialogs: Dialogs, editor: AttemptEditor, *,
                 settle_unsaved: Callable[[], bool], journal_replaced: Callable[[], None],
                 show_guidance: Callable[[], None], message: Callable[[str], None],
                 build_plan: Callable[[], None] | None = None) -> None:
        super().__init__(window)
        #: Build my plan, offered beside the demo in the welcome (not on a read-only journal)
        self._build_plan = build_plan
        self._window = window
        self.service = service
        self.settings = settings
        self.dialogs = dialogs
        self._editor = editor
        self._settle_unsaved = settle_unsaved
        self._journal_replaced = journal_replaced
        self._message = message
        self._today = service.today
        self._read_only = service.read_only_reason is not None
        self.review: ReviewDialog | None = None
        self.tray: QSystemTrayIcon | None = None

        self.review_action = QAction("Evening &review…", self)
        self.review_action.setShortcut(QKeySequence("Ctrl+R"))
        self.review_action.setStatusTip("Step through the entries still waiting for their "
                                        "after half")
        self.reminder_action = QAction("Evening re&minder…", self)
        self.reminder_action.setStatusTip("A gentle evening note when entries are open "
                                          "(off unless you switch it on)")
        self.remove_demo_action = QAction("Remove &demo data", self)
        self.remove_demo_action.setStatusTip("Delete the demo entries in one step; yours, and "
                                             "any you changed, stay")
        self.welcome_action = QAction("&Welcome…", self)
        self.welcome_action.setStatusTip("What rejection therapy is, and when to leave it "
                                         "for now")

        self.open_button = OpenEntriesButton(service)
        self.demo_banner = DemoBanner()
        self.pause_banner = PauseBanner()
        self.evening_banner = EveningBanner()
        self.evening_timer = QTimer(self)
        self.evening_timer.setInterval(EVENING_CHECK_MS)
        self.reminder = ReminderScheduler(service, settings, self._notify, self)

        self.review_action.triggered.connect(self.start_review)
        self.open_button.clicked.connect(self.start_review)
        self.reminder_action.triggered.connect(self.reminder_settings)
        self.remove_demo_action.triggered.connect(self.remove_demo_data)
        self.welcome_action.triggered.connect(self.show_welcome)
        self.demo_banner.removeRequested.connect(self.remove_demo_data)
        self.pause_banner.dismissed.connect(self.dismiss_pause)
        self.pause_banner.guidanceRequested.connect(show_guidance)
        self.evening_banner.reviewRequested.connect(self.start_review)
        self.evening_banner.dismissed.connect(self.dismiss_evening)
        self.evening_timer.timeout.connect(self.update_evening)

        if self._read_only:
            why = (f"Not available: this journal is read-only because "
                   f"{service.read_only_reason}.")
            for action in (self.review_action, self.reminder_action, self.remove_demo_action):
                action.setEnabled(False)
                action.setStatusTip(why)
            self.open_button.setEnabled(False)
            self.open_button.setToolTip(why)
        self._update_demo()
        self.update_pause()
        if not self._read_only:
            self.update_evening()
            self.evening_timer.start()
            self._apply_reminder()
            if not self.welcome_seen:
                # After the window has appeared: the welcome opens over it, not before it.
                QTimer.singleShot(0, self, self.first_run)

    def banners(self) -> list[QWidget]:
        return [self.demo_banner, self.evening_banner, self.pause_banner]

    def menu_actions(self) -> list[QAction]:
        """For the Journal menu."""
        return [self.review_action, self.reminder_action, self.remove_demo_action]

    # -- change events -------------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """The journal changed: update the open count, the demo banner and the pause rule."""
        if change.touches(Entity.OPEN_COUNT) or change.entity is Entity.DAY:
            self.open_button.refresh()
            self.update_evening()
        if change.everything or change.added or change.removed:
            self._update_demo()
        if change.touches(Entity.PAUSE):  # (a new day too: a dismissal lasts some days)
            self.update_pause()

    # -- the evening review --------------------------------------------------------------------
    def start_review(self) -> ReviewDialog | None:
        """Open the review over the window (one at a time); the editor's unsaved text is
        settled first, so the review and the editor never hold the same entry differently."""
        if self.review is not None:
            self.review.raise_()
            self.review.activateWindow()
            return self.review
        if self._read_only:
            return None
        if not self._settle_unsaved():
            return None
        review = ReviewDialog(self.service, self.dialogs, self._window)
        review.saved.connect(self._review_saved)
        review.finished_review.connect(self._review_closed)
        self.review = review
        self.update_evening()  # (the banner steps aside while the review is open)
        review.show()
        review.start()
        return review

    def _review_saved(self, record: AttemptRecord) -> None:
        if self._editor.current_uuid == record.uuid and not self._editor.is_dirty:
            self._editor.load(record)  # the editor shows what the review just saved

    def _review_closed(self) -> None:
        review, self.review = self.review, None
        if review is not None:
            review.deleteLater()
        self.open_button.refresh()
        self.update_evening()

    def close_review(self) -> None:
        """The window is closing: keep the review's unsaved text as a draft and close it."""
        if self.review is not None:
            self.review.write_draft()
            self.review.done(0)

    # -- the reminder --------------------------------------------------------------------------
    def reminder_settings(self) -> None:
        from rejection_journal.desktop_entry import autostart_enabled, set_autostart

        tray = QSystemTrayIcon.isSystemTrayAvailable()
        current = read_settings(self.settings, at_login=autostart_enabled())
        chosen = self.dialogs.ask_reminder(current, tray)
        if chosen is None or self._read_only:
            return
        write_settings(self.settings, chosen)
        if chosen.at_login != current.at_login:
            try:
                set_autostart(chosen.at_login)
            except OSError as exc:
                self.dialogs.error("Start at login",
                                   f"The login entry could not be changed: {exc.strerror or exc}.")
        self._apply_reminder()
        if chosen.enabled:
            self._message(f"You will get a gentle reminder after {chosen.at:%H:%M} when "
                          "entries are open.")
        else:
            self._message("The evening reminder is off.")

    def _apply_reminder(self) -> None:
        enabled = read_settings(self.settings, at_login=False).enabled
        if enabled and self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(QApplication.windowIcon(), self)
            self.tray.setToolTip(APP_NAME)
            self.tray.messageClicked.connect(self._from_notification)
            self.tray.activated.connect(lambda _reason: self._from_notification())
            self.tray.show()
        elif not enabled and self.tray is not None:
            self.tray.hide()
            self.tray.deleteLater()
            self.tray = None
        self.reminder.apply()

    def _notify(self, text: str) -> None:
        if self.tray is not None:
            self.tray.showMessage("Evening review", text,
                                  QSystemTrayIcon.MessageIcon.Information, 15_000)

    def _from_notification(self) -> None:
        window = self._window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        self.start_review()

    # -- the in-app evening banner -----------------------------------------------------------
    def update_evening(self) -> None:
        """Show the evening banner when the service's clock says it is evening (from the
        reminder's time) and entries are open, unless put away today; otherwise hide it."""
        from rejection_journal.domain.reminder import (
            evening_banner_due,
            evening_banner_text,
            parse_day,
        )

        if self._read_only or self.review is not None:
            self.evening_banner.show_text(None)
            return
        now = self.service.now()
        evening_from = read_settings(self.settings, at_login=False).at
        dismissed = parse_day(self.settings.value(EVENING_DISMISSED_KEY, ""))
        if now.time() < evening_from or dismissed == now.date():
            self.evening_banner.show_text(None)  # (nothing to ask the journal)
            return
        count = self.service.open_count()
        due = evening_banner_due(now, evening_from, dismissed, count)
        self.evening_banner.show_text(evening_banner_text(count) if due else None)

    def dismiss_evening(self) -> None:
        self.evening_banner.show_text(None)
        if self._read_only:
            return
        self.settings.setValue(EVENING_DISMISSED_KEY, self._today().isoformat())
        self.settings.sync()

    # -- welcome and demo data -----------------------------------------------------------------
    @property
    def welcome_seen(self) -> bool:
        return str(self.settings.value(WELCOME_KEY, "false")).lower() == "true"

    def first_run(self) -> None:
        if self.welcome_seen:
            return
        self.settings.setValue(WELCOME_KEY, "true")
        self.settings.sync()
        self.show_welcome()

    def show_welcome(self) -> None:
        can_add_demo = not self._read_only and self.service.attempt_count() == 0
        on_plan = None if self._read_only else self._build_plan
        self.dialogs.show_welcome(can_add_demo, self._demo_from_welcome, on_plan)

    def _demo_from_welcome(self) -> None:
        self.add_demo_data()

    def add_demo_data(self) -> int:
        if self._read_only or not self._settle_unsaved():
            return 0
        try:
            added = self.service.add_demo_data()
        except StorageError as exc:
            self.dialogs.error("No demo entries added", str(exc))
            return 0
        self._journal_replaced()
        self._message(f"Added {added} demo entries to look around. Remove them in one step "
                      "from the banner above.")
        return added

    def remove_demo_data(self) -> DemoRemoval | None:
        """Remove the demo items the user has not changed (the service's rule); say what
        went, how many stayed, and that Undo brings them back."""
        if self._read_only or not self._settle_unsaved():
            return None
        try:
            removal = self.service.remove_demo_data()
        except StorageError as exc:
            self.dialogs.error("Demo entries not removed", str(exc))
            return None
        self._journal_replaced()
        undo = " Edit ▸ Undo (Ctrl+Z) brings them back." if removal.removed else ""
        self._message(removal.summary() + undo)
        return removal

    def _update_demo(self) -> None:
        has_demo = self.service.has_demo_data()
        self.demo_banner.setVisible(has_demo)
        self.remove_demo_action.setEnabled(has_demo and not self._read_only)

    # -- the pause suggestion ------------------------------------------------------------------
    def _dismissal(self) -> Dismissal | None:
        from rejection_journal.domain.reminder import parse_day

        day = parse_day(self.settings.value(DISMISSED_ON_KEY, ""))
        try:
            level = int(str(self.settings.value(DISMISSED_LEVEL_KEY, "0")))
        except ValueError:
            level = 0
        return Dismissal(day, level) if day is not None else None

    def update_pause(self) -> None:
        suggestion = self.service.pause_suggestion()
        if suggestion is None and self._dismissal() is not None and not self._read_only:
            # The trend is over: forget the dismissal, so a new one is shown again.
            self.settings.remove(DISMISSED_ON_KEY)
            self.settings.remove(DISMISSED_LEVEL_KEY)
        due = banner_due(suggestion, self._dismissal(), self._today())
        self.pause_banner.show_suggestion(suggestion if due else None)

    def dismiss_pause(self) -> None:
        suggestion = self.pause_banner.suggestion
        self.pause_banner.show_suggestion(None)
        if suggestion is None or self._read_only:
            return
        self.settings.setValue(DISMISSED_ON_KEY, self._today().isoformat())
        self.settings.setValue(DISMISSED_LEVEL_KEY, suggestion.level)
        self.settings.sync()
