"""File ▸ Protect with a passphrase…, Change passphrase…, Remove passphrase…: the window's side
of a journal only its owner can open (the work is in services.protection)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from rejection_journal.services import JournalService, StorageError
from rejection_journal.services.protection import (
    backup_passphrase_fits,
    change_open,
    check_passphrase,
    has_other_passphrase,
    is_protected,
    protect_open,
    read_hint,
    restore_open,
    unprotect_open,
)
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.passphrase_dialog import PassphraseAnswer, PassphraseMode

WRONG = "That passphrase does not open this journal. Try again."


def _protected_now(service: JournalService) -> bool:
    return service.journal.is_open and service.journal.key is not None


#: where the idle time before locking is kept (minutes; 0: never)
LOCK_SETTING = "protection/lockAfterMinutes"
DEFAULT_LOCK_MINUTES = 15
LOCK_CHOICES = ((5, "After 5 minutes"), (15, "After 15 minutes"), (30, "After 30 minutes"),
                (60, "After an hour"), (0, "Never"))
#: what counts as someone at the window (the idle time starts again)
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class ProtectionActions(QObject):
    """The menu actions, shown as the journal's state allows; ``changed`` after each change.

    While the journal is protected, it also locks the window after the idle time the user
    chose (:data:`LOCK_SETTING`, default 15 minutes, or never): what is typed and not saved
    is kept as a draft (in the journal, so encrypted) first, then the window hides and the
    unlock screen asks for the passphrase; Quit there closes the app, keeping the draft.
    ``locked`` and ``unlocked`` say when."""

    changed = Signal()
    locked = Signal()
    unlocked = Signal()

    def __init__(self, service: JournalService, dialogs: Dialogs, parent: QWidget, *,
                 settings: QSettings | None = None,
                 keep_draft: Callable[[], None] = lambda: None,
                 quit_app: Callable[[], None] = lambda: None) -> None:
        super().__init__(parent)
        self.service = service
        self.dialogs = dialogs
        self.window = parent
        self.settings = settings
        self._keep_draft = keep_draft
        self._quit_app = quit_app
        self.is_locked = False
        self.auto_lock_timer = QTimer(self)
        self.auto_lock_timer.setObjectName("autoLockTimer")
        self.auto_lock_timer.setSingleShot(True)
        self.auto_lock_timer.timeout.connect(self.lock)
        self.lock_action = QAction("&Lock now", parent)
        self.lock_action.setStatusTip("Hide the journal until its passphrase is typed again")
        self.lock_action.triggered.connect(self.lock)
        self.lock_menu = QMenu("Lock &after", parent)
        self.lock_menu.setAccessibleName("Lock after")
        group = QActionGroup(self)
        self.lock_choices: dict[int, QAction] = {}
        for minutes, text in LOCK_CHOICES:
            choice = QAction(text, group)
            choice.setCheckable(True)
            choice.triggered.connect(lambda _checked=False, m=minutes: self.set_lock_minutes(m))
            self.lock_menu.addAction(choice)
            self.lock_choices[minutes] = choice
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.protect_action = QAction("Protect with a &passphrase…", parent)
        self.protect_action.setStatusTip("Encrypt the journal and its backups with a passphrase "
                                         "only you know")
        self.change_action = QAction("Change the passphrase…", parent)
        self.change_action.setStatusTip("Give the journal a new passphrase")
        self.unprotect_action = QAction("Remove the passphrase…", parent)
        self.unprotect_action.setStatusTip("Store the journal in the clear again")
        self.protect_action.triggered.connect(self.protect)
        self.change_action.triggered.connect(self.change)
        self.unprotect_action.triggered.connect(self.unprotect)
        self.update_state()

    def actions(self) -> list[QAction]:
        return [self.protect_action, self.change_action, self.unprotect_action,
                self.lock_action, self.lock_menu.menuAction()]

    # -- locking --------------------------------------------------------------------------
    def lock_minutes(self) -> int:
        """The idle time before locking, in minutes (0: never), as the user chose it."""
        value = self.settings.value(LOCK_SETTING, DEFAULT_LOCK_MINUTES) \
            if self.settings is not None else DEFAULT_LOCK_MINUTES
        try:
            minutes = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return DEFAULT_LOCK_MINUTES
        return minutes if minutes in dict(LOCK_CHOICES) else DEFAULT_LOCK_MINUTES

    def set_lock_minutes(self, minutes: int) -> None:
        if self.settings is not None:
            self.settings.setValue(LOCK_SETTING, minutes)
        self._restart_idle()
        self.update_state()

    def _restart_idle(self) -> None:
        minutes = self.lock_minutes()
        if minutes and not self.is_locked and _protected_now(self.service):
            self.auto_lock_timer.start(minutes * 60_000)
        else:
            self.auto_lock_timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.auto_lock_timer.isActive():
            self.auto_lock_timer.start()  # someone is here: the idle time starts again
        return False

    def lock(self) -> None:
        """Keep the unsaved entry as a draft, hide the window, ask for the passphrase."""
        if self.is_locked or not _protected_now(self.service):
            return
        self.auto_lock_timer.stop()
        self._keep_draft()
        self.is_locked = True
        # The window and every other window of the app that shows the journal (a report,
        # the evening review) hide until it is unlocked.
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in hidden:
            widget.hide()
        self.locked.emit()
        data_dir = self._data_dir
        answer = self.dialogs.ask_passphrase(
            PassphraseMode.UNLOCK,
            lambda a: None if check_passphrase(data_dir, a.passphrase) else WRONG,
            hint=read_hint(data_dir))
        if answer is None:
            self._quit_app()
            return
        self.is_locked = False
        for widget in hidden:
            widget.show()
        self.unlocked.emit()
        self._restart_idle()

    @property
    def _data_dir(self) -> Path:
        return self.service.journal.data_dir

    def update_state(self) -> None:
        protected = is_protected(self._data_dir)
        writable = self.service.read_only_reason is None
        self.protect_action.setVisible(not protected)
        self.protect_action.setEnabled(writable)
        for action in (self.change_action, self.unprotect_action):
            action.setVisible(protected)
            action.setEnabled(writable)
        self.lock_action.setVisible(protected)
        self.lock_menu.menuAction().setVisible(protected)
        self.lock_choices[self.lock_minutes()].setChecked(True)
        self._restart_idle()

    def _run(self, title: str, work: Callable[[], None]) -> bool:
        """Do ``work`` (the journal is closed and reopened inside it) with a busy cursor; a
        failure is said in one dialog (the journal is left as it was, and open)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            work()
        except StorageError as exc:
            QApplication.restoreOverrideCursor()
            self.dialogs.error(title, f"Nothing was changed.\n\n{exc}")
            return False
        else:
            QApplication.restoreOverrideCursor()
        finally:
            self.update_state()
            self.changed.emit()
        return True

    def protect(self) -> bool:
        answer = self.dialogs.ask_passphrase(PassphraseMode.PROTECT, lambda _a: None)
        if answer is None:
            return False
        journal = self.service.journal
        return self._run("Journal not protected", lambda: protect_open(
            journal, answer.passphrase, hint=answer.hint,
            remove_old_backups=answer.remove_old_backups))

    def change(self) -> bool:
        answer = self.dialogs.ask_passphrase(PassphraseMode.CHANGE, self._current_fits,
                                             hint=read_hint(self._data_dir))
        if answer is None:
            return False
        journal = self.service.journal
        return self._run("Passphrase not changed", lambda: change_open(
            journal, answer.passphrase, answer.new, hint=answer.hint))

    def unprotect(self) -> bool:
        answer = self.dialogs.ask_passphrase(PassphraseMode.UNPROTECT, self._current_fits)
        if answer is None:
            return False
        journal = self.service.journal
        return self._run("Passphrase not removed",
                         lambda: unprotect_open(journal, answer.passphrase))

    def _current_fits(self, answer: PassphraseAnswer) -> str | None:
        return None if check_passphrase(self._data_dir, answer.passphrase) else WRONG


def confirm_unprotected_export(service: JournalService, dialogs: Dialogs) -> bool:
    """Before exporting a protected journal: its passphrase again (someone at an unlocked
    window is not necessarily its owner), and the warning that the file is not encrypted.
    True to go on (always, for a plain journal)."""
    data_dir = service.journal.data_dir
    if not is_protected(data_dir):
        return True

    def fits(answer: PassphraseAnswer) -> str | None:
        return None if check_passphrase(data_dir, answer.passphrase) else WRONG

    return dialogs.ask_passphrase(PassphraseMode.EXPORT, fits) is not None


def restore_with_its_passphrase(service: JournalService, dialogs: Dialogs, backup: Path
                                ) -> bool | None:
    """Restore ``backup`` if it was made under another passphrase, asking for that one
    first: True once restored, False if cancelled or it failed (said in a dialog); None when
    the backup has the journal's own key (the usual restore does it)."""
    if not has_other_passphrase(service, backup):
        return None

    def fits(answer: PassphraseAnswer) -> str | None:
        if backup_passphrase_fits(backup, answer.passphrase):
            return None
        return "That passphrase does not open this backup. Try again."

    answer = dialogs.ask_passphrase(PassphraseMode.BACKUP, fits)
    if answer is None:
        return False
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        restore_open(service, backup, answer.passphrase)
    except StorageError as exc:
        QApplication.restoreOverrideCursor()
        dialogs.error("Journal not restored",
                      f"The backup could not be restored; nothing changed.\n\n{exc}")
        return False
    QApplication.restoreOverrideCursor()
    return True
