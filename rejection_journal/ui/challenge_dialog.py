"""A small dialog to add or edit one of your own challenges.

Problems are named inline (the domain's ``ValidationError``) and nothing typed is lost; a title
very like an existing challenge's gets a gentle, non-blocking note (the rule is the domain's
:func:`~rejection_journal.domain.picker.near_duplicates`).
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.enums import Category
from rejection_journal.domain.picker import near_duplicates
from rejection_journal.domain.records import (
    LEVEL_MAX,
    LEVEL_MIN,
    TITLE_MAX,
    ChallengeRecord,
    ValidationError,
    new_uuid,
)
from rejection_journal.services import JournalService, StorageError
from rejection_journal.ui.appearance import set_toned_style

_ERROR_STYLE = ("QLabel#challengeError {{ background: {error_bg}; color: {error_fg};"
                " border-radius: 4px; padding: 6px; }}")
_NOTE_STYLE = ("QLabel#duplicateNote {{ background: {note_bg}; color: {note_fg};"
               " border-radius: 4px; padding: 6px; }}")


class ChallengeDialog(QDialog):
    """Add (``initial`` None) or edit one of the user's own challenges.

    Save validates and stores through the service; on success :attr:`saved` holds what was
    stored and the dialog is accepted.  On a problem it stays open, saying what and where.
    """

    def __init__(self, service: JournalService, initial: ChallengeRecord | None = None,
                 title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("challengeDialog")
        self._service = service
        self._initial = initial
        self.saved: ChallengeRecord | None = None
        self.setWindowTitle("Edit your challenge" if initial else "New challenge")
        self._others = [c for c in service.challenges(include_archived=True)
                        if initial is None or c.uuid != initial.uuid]

        self.title_edit = QLineEdit(initial.title if initial else title)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("What will you ask? e.g. Ask the baker for a "
                                           "tour of the ovens")
        self.category = QComboBox()
        for category in Category:
            self.category.addItem(category.label, category.value)
        if initial is not None:
            self.category.setCurrentIndex(self.category.findData(initial.category.value))
        self.level = QSpinBox()
        self.level.setRange(LEVEL_MIN, LEVEL_MAX)
        self.level.setValue(initial.level if initial else 2)
        self.level.setSuffix(" of 10")
        self.level.setToolTip("1: hardly scary at all … 10: the hardest ask you can imagine")
        self.how_to = QPlainTextEdit(initial.how_to if initial else "")
        self.how_to.setPlaceholderText("One or two sentences: how you will ask")
        self.how_to.setTabChangesFocus(True)
        self.respect_note = QPlainTextEdit(initial.respect_note if initial else "")
        self.respect_note.setPlaceholderText("Optional: how to make “no” easy for them")
        self.respect_note.setTabChangesFocus(True)
        for box in (self.how_to, self.respect_note):
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)

        self.duplicate_note = QLabel()
        self.duplicate_note.setObjectName("duplicateNote")
        self.duplicate_note.setWordWrap(True)
        set_toned_style(self.duplicate_note, _NOTE_STYLE)
        self.duplicate_note.setTextFormat(Qt.TextFormat.RichText)
        self.duplicate_note.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("challengeError")
        self.error_label.setWordWrap(True)
        set_toned_style(self.error_label, _ERROR_STYLE)
        self.error_label.hide()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._rows: dict[str, QWidget] = {
            "title": self.title_edit, "category": self.category, "level": self.level,
            "how_to": self.how_to, "respect_note": self.respect_note,
        }
        for text, widget in (("&Title:", self.title_edit), ("&Category:", self.category),
                             ("&Level:", self.level), ("&How to:", self.how_to),
                             ("&Respect note:", self.respect_note)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
            if widget is self.title_edit:
                form.addRow(self.duplicate_note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

        self.title_edit.textChanged.connect(self._check_duplicates)
        self.title_edit.textChanged.connect(self._hide_error)
        self._check_duplicates()

    # -- the near-duplicate note -----------------------------------------------------------
    def _check_duplicates(self) -> None:
        alike = near_duplicates(self.title_edit.text(), self._others)
        if not alike:
            self.duplicate_note.hide()
            return
        first = alike[0]
        where = f"level {first.level}, {first.category.label}"
        if first.archived:
            where += ", archived"
        more = f" (and {len(alike) - 1} more)" if len(alike) > 1 else ""
        self.duplicate_note.setText(
            f"There is already a challenge very like this: “{escape(first.title, quote=False)}” "
            f"({escape(where, quote=False)}){more}. You can still save yours.")
        self.duplicate_note.show()

    def _hide_error(self) -> None:
        self.error_label.hide()

    # -- saving ----------------------------------------------------------------------------
    def record(self) -> ChallengeRecord:
        """The challenge the form shows (not yet validated)."""
        values = {
            "title": self.title_edit.text().strip(),
            "category": Category(self.category.currentData()),
            "level": self.level.value(),
            "how_to": self.how_to.toPlainText().strip(),
            "respect_note": self.respect_note.toPlainText().strip(),
        }
        if self._initial is not None:
            return replace(self._initial, **values)  # type: ignore[arg-type]
        return ChallengeRecord(uuid=new_uuid(), is_custom=True, **values)  # type: ignore[arg-type]

    def accept(self) -> None:
        try:
            self.saved = self._service.save_challenge(self.record())
        except ValidationError as exc:
            self._show_error(f"Not saved yet — {exc.label}: {exc.message}.", exc.attribute)
            return
        except StorageError as exc:
            self._show_error(f"Not saved — {exc} What you typed is still here.", None)
            return
        super().accept()

    def _show_error(self, text: str, attribute: str | None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        target = self._rows.get(attribute or "")
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
