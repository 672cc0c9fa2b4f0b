"""The passphrase dialogs: unlock a protected journal, protect one, change its passphrase,
remove it.  Calm words, no lockout and no delays: a wrong passphrase is said plainly and the
field is ready for another try.

Each dialog takes a ``check`` that gets the answer when the main button is pressed and returns
what to say (the dialog stays open, nothing else happens) or None (it closes, accepted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from rejection_journal import APP_NAME


class PassphraseMode(Enum):
    UNLOCK = "unlock"
    PROTECT = "protect"
    CHANGE = "change"
    UNPROTECT = "unprotect"
    EXPORT = "export"
    BACKUP = "backup"


@dataclass(frozen=True)
class PassphraseAnswer:
    """What was typed: the passphrase (the current one; for protecting, the new one), the new
    one when changing, the reminder, and whether to remove the older backups."""

    passphrase: str
    new: str = ""
    hint: str = ""
    remove_old_backups: bool = False


Check = Callable[[PassphraseAnswer], "str | None"]

FORGOTTEN = ("<b>If you forget this passphrase, nobody can open the journal again</b> — not "
             "you, not us, not anyone. There is no reset and no back door.")
_TEXTS = {
    PassphraseMode.UNLOCK: ("Your journal is locked",
                            "This journal is protected with a passphrase. Type it to open "
                            "the journal.", "Open"),
    PassphraseMode.PROTECT: ("Protect with a passphrase",
                             "With a passphrase, the journal and its backups are stored "
                             "encrypted: someone else using this computer cannot read them. "
                             + FORGOTTEN, "Protect"),
    PassphraseMode.CHANGE: ("Change the passphrase",
                            "Type the passphrase the journal has now, then the new one. "
                            "Backups made before keep the passphrase they were made with.",
                            "Change"),
    PassphraseMode.UNPROTECT: ("Remove the passphrase",
                               "Without a passphrase the journal is stored in the clear: "
                               "anyone who can read your files could read it. Backups made "
                               "before keep the passphrase they were made with.",
                               "Remove passphrase"),
    PassphraseMode.EXPORT: ("Export a copy in the clear",
                            "<b>The exported file is not encrypted:</b> anyone who can open it "
                            "can read what it holds. Keep it somewhere private, or delete it "
                            "when you are done. Type the journal's passphrase to go on.",
                            "Go on"),
    PassphraseMode.BACKUP: ("A backup with another passphrase",
                            "This backup was made when the journal had another passphrase. "
                            "Type that one to restore it; the journal keeps the passphrase "
                            "it has now.", "Restore"),
}


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PassphraseDialog(QDialog):
    """One dialog for the four moments (:class:`PassphraseMode`)."""

    def __init__(self, mode: PassphraseMode, check: Check, *, hint: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self._check = check
        title, intro, action = _TEXTS[mode]
        self.setWindowTitle(title if mode is not PassphraseMode.UNLOCK else APP_NAME)
        self.setObjectName(f"passphraseDialog-{mode.value}")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h3>{title}</h3>")
        heading.setAccessibleName(title)
        layout.addWidget(heading)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.intro.setAccessibleName(title + ": what it means")
        layout.addWidget(self.intro)
        form = QFormLayout()
        layout.addLayout(form)
        current_label = "Passphrase now" if mode is PassphraseMode.CHANGE else "Passphrase"
        self.passphrase = _password_field(current_label)
        form.addRow(f"{current_label}:", self.passphrase)
        self.new = _password_field("New passphrase")
        self.repeat = _password_field("The passphrase again")
        self.hint = QLineEdit()
        self.hint.setAccessibleName("Reminder (optional)")
        self.hint.setPlaceholderText("Something only you would understand — never the "
                                     "passphrase itself")
        self.hint.setText(hint if mode is PassphraseMode.CHANGE else "")
        self.remove_backups = QCheckBox("Remove the backups made before, instead of "
                                        "encrypting them")
        self.remove_backups.setAccessibleName("Remove older backups instead of encrypting them")
        if mode is PassphraseMode.CHANGE:
            form.addRow("New passphrase:", self.new)
        if mode in (PassphraseMode.PROTECT, PassphraseMode.CHANGE):
            form.addRow("Once more:", self.repeat)
            form.addRow("Reminder:", self.hint)
        if mode is PassphraseMode.PROTECT:
            layout.addWidget(self.remove_backups)
        self.reminder = QLabel(f"Your reminder: {hint}" if hint else "")
        self.reminder.setWordWrap(True)
        self.reminder.setAccessibleName("Your reminder")
        self.reminder.setTextFormat(Qt.TextFormat.PlainText)
        self.reminder.setVisible(mode is PassphraseMode.UNLOCK and bool(hint))
        layout.addWidget(self.reminder)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setObjectName("passphraseMessage")
        self.message.setAccessibleName("What happened")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(action)
        self.cancel_button = self.buttons.addButton(
            "Quit" if mode is PassphraseMode.UNLOCK else "Cancel",
            QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName(self.cancel_button.text())
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.passphrase, self.new, self.repeat, self.hint):
            field.textEdited.connect(self._clear_message)
        self.passphrase.setFocus()
        self.setMinimumWidth(460)

    def _clear_message(self) -> None:
        if self.message.isVisible():
            self.message.setVisible(False)
            self.adjustSize()

    def answer(self) -> PassphraseAnswer:
        return PassphraseAnswer(self.passphrase.text(), self.new.text(), self.hint.text().strip(),
                                self.remove_backups.isChecked())

    def _problem(self, answer: PassphraseAnswer) -> str | None:
        """What is wrong with the fields themselves, before the journal is asked."""
        if not answer.passphrase:
            return "Type the passphrase first."
        if self.mode in (PassphraseMode.PROTECT, PassphraseMode.CHANGE):
            chosen = answer.passphrase if self.mode is PassphraseMode.PROTECT else answer.new
            if not chosen:
                return "Type the new passphrase first."
            if chosen != self.repeat.text():
                return "The two passphrases are not the same. Type them again."
            if answer.hint and chosen.casefold() in answer.hint.casefold():
                return ("The reminder holds the passphrase itself. Write something that "
                        "reminds only you of it.")
        return None

    def _try(self) -> None:
        answer = self.answer()
        problem = self._problem(answer) or self._check(answer)
        if problem is None:
            self.accept()
            return
        self.message.setText(problem)
        self.message.setVisible(True)
        self.adjustSize()
        self.passphrase.selectAll()
        self.passphrase.setFocus()
