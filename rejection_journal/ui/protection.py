"""File ▸ Protect with a passphrase…, Change passphrase…, Remove passphrase…: the window's side
of a journal only its owner can open (the work is in services.protection)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from rejection_journal.services import JournalService, StorageError
from rejection_journal.services.protection import (
    change_open,
    check_passphrase,
    is_protected,
    protect_open,
    read_hint,
    unprotect_open,
)
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.passphrase_dialog import PassphraseAnswer, PassphraseMode

WRONG = "That passphrase does not open this journal. Try again."


class ProtectionActions(QObject):
    """The menu actions, shown as the journal's state allows; ``changed`` after each change."""

    changed = Signal()

    def __init__(self, service: JournalService, dialogs: Dialogs, parent: QWidget) -> None:
        super().__init__(parent)
        self.service = service
        self.dialogs = dialogs
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
        return [self.protect_action, self.change_action, self.unprotect_action]

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
