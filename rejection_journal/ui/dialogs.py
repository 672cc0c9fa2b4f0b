"""The one seam for modal dialogs, so tests can answer them without blocking.

Widgets never call ``QMessageBox``/``QFileDialog`` directly; they ask a :class:`Dialogs`.
Tests pass a subclass with canned answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

if TYPE_CHECKING:
    from rejection_journal.charts.formats import ChartExportRequest
    from rejection_journal.domain.picker import Ladder
    from rejection_journal.domain.records import ChallengeRecord
    from rejection_journal.domain.reminder import ReminderSettings
    from rejection_journal.services import BackupInfo, JournalService
    from rejection_journal.ui.passphrase_dialog import Check, PassphraseAnswer, PassphraseMode


class UnsavedChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class RecoveryChoice(Enum):
    RESTORE_BACKUP = "restore"
    OPEN_WHAT_IS_LEFT = "open-rest"
    START_EMPTY = "start-empty"
    QUIT = "quit"


class Dialogs:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def ask_save_path_and_type(self, title: str, suggested: Path, filters: str
                               ) -> tuple[Path, str] | None:
        """A save dialog that also says which type (filter) was chosen: the file name's
        extension decides when it has a known one, else this type does."""
        path, chosen = QFileDialog.getSaveFileName(self.parent, title, str(suggested), filters)
        return (Path(path), chosen) if path else None

    def ask_chart_export(self, request: ChartExportRequest) -> ChartExportRequest | None:
        """File, format, size, resolution and background for a chart image."""
        from rejection_journal.ui.chart_export_dialog import ChartExportDialog

        dialog = ChartExportDialog(request, self.parent)
        try:
            if dialog.exec() != ChartExportDialog.DialogCode.Accepted:
                return None
            return dialog.request()
        finally:
            dialog.deleteLater()

    def ask_open_path(self, title: str, directory: Path, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, str(directory), filters)
        return Path(path) if path else None

    def confirm(self, title: str, text: str, action: str) -> bool:
        """Ask before doing ``action`` (the label of the button that goes ahead)."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(go)
        box.exec()
        return box.clickedButton() is go

    def choose_backup(self, backups: Sequence[BackupInfo]) -> BackupInfo | None:
        from rejection_journal.ui.backup_dialog import RestoreDialog

        dialog = RestoreDialog(backups, self.parent)
        return dialog.selected() if dialog.exec() == RestoreDialog.DialogCode.Accepted else None

    def ask_unsaved(self, what: str) -> UnsavedChoice:
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save your changes to {what}?")
        box.setInformativeText("If you don't save, what you typed since the last save is lost.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return UnsavedChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return UnsavedChoice.DISCARD
        return UnsavedChoice.CANCEL

    def ask_recovery(self, message: str, choices: Sequence[tuple[RecoveryChoice, str]],
                     default: RecoveryChoice | None = None) -> RecoveryChoice:
        """The journal is damaged: explain, and offer ``choices`` (each with a button label).

        ``default`` is the suggested answer (Enter); without it, the first choice.
        """
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("The journal needs attention")
        box.setText(message)
        box.setInformativeText(
            "Whatever you choose, nothing is deleted: the damaged file is kept beside the "
            "journal in case you need it later."
        )
        buttons = {}
        for choice, label in choices:
            role = (QMessageBox.ButtonRole.RejectRole if choice is RecoveryChoice.QUIT
                    else QMessageBox.ButtonRole.AcceptRole)
            buttons[box.addButton(label, role)] = choice
        suggested = [b for b, choice in buttons.items() if choice is default]
        box.setDefaultButton(suggested[0] if suggested else next(iter(buttons)))
        box.exec()
        clicked = box.clickedButton()
        if isinstance(clicked, QPushButton):  # one of ours (the box holds no other)
            return buttons.get(clicked, RecoveryChoice.QUIT)
        return RecoveryChoice.QUIT

    def show_welcome(self, can_add_demo: bool, on_demo: Callable[[], None],
                     on_plan: Callable[[], None] | None = None) -> None:
        """The first-run welcome, opened over the window without blocking; ``on_demo`` runs
        if the user asks for demo entries (offered only when ``can_add_demo``), ``on_plan``
        if they ask to build a plan (offered when given)."""
        from rejection_journal.ui.welcome import WelcomeDialog

        dialog = WelcomeDialog(can_add_demo, self.parent, can_plan=on_plan is not None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.demoRequested.connect(on_demo)
        if on_plan is not None:
            dialog.planRequested.connect(on_plan)
        dialog.open()

    def build_plan(self, service: JournalService) -> Ladder | None:
        """Build my plan: the self-check and a proposed ladder; the ladder saved, or None."""
        from rejection_journal.ui.plan_dialog import PlanDialog

        dialog = PlanDialog(service, self.parent)
        try:
            accepted = dialog.exec() == PlanDialog.DialogCode.Accepted
            return dialog.saved if accepted else None
        finally:
            dialog.deleteLater()

    def ask_reminder(self, current: ReminderSettings, tray_available: bool
                     ) -> ReminderSettings | None:
        """The evening reminder's settings; None when cancelled."""
        from rejection_journal.ui.reminder import ReminderDialog

        dialog = ReminderDialog(current, tray_available, self.parent)
        try:
            if dialog.exec() != ReminderDialog.DialogCode.Accepted:
                return None
            return dialog.chosen()
        finally:
            dialog.deleteLater()

    def ask_passphrase(self, mode: PassphraseMode, check: Check, *, hint: str = ""
                       ) -> PassphraseAnswer | None:
        """Unlock, protect, change or remove a passphrase (``mode``); ``check`` says what is
        wrong while the dialog stays open.  None when cancelled (or Quit, at unlocking)."""
        from rejection_journal.ui.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(mode, check, hint=hint, parent=self.parent)
        try:
            if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
                return None
            return dialog.answer()
        finally:
            dialog.deleteLater()

    def error(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def edit_challenge(self, service: JournalService, initial: ChallengeRecord | None,
                       title: str = "") -> ChallengeRecord | None:
        """Add (``initial`` None, ``title`` prefilled) or edit one of the user's own
        challenges; returns what was saved, or None if the user cancelled."""
        from rejection_journal.ui.challenge_dialog import ChallengeDialog

        dialog = ChallengeDialog(service, initial, title, self.parent)
        try:
            accepted = dialog.exec() == ChallengeDialog.DialogCode.Accepted
            return dialog.saved if accepted else None
        finally:
            dialog.deleteLater()

    def boundary_reminder(self, text: str) -> bool:
        """A gentle reminder before saving an ask that someone already said no to; True to
        save the entry anyway, False to go back to it (nothing typed is lost either way)."""
        box = QMessageBox(self.parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("A gentle reminder")
        box.setText(text)
        save = box.addButton("Save the entry", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("Go back to it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is save

    def info(self, title: str, html: str) -> None:
        box = QMessageBox(self.parent)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(html)
        box.exec()

    def about(self, title: str, html: str) -> None:
        QMessageBox.about(self.parent, title, html)
