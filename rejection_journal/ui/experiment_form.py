"""The fields of issue 21 in the entry forms: each ask as a small experiment.

:class:`BeforeExperimentForm` (the editor's before half): the kind of entry, how the ask was
made, "What I fear will happen", "How likely it feels", the safety behaviours to try without,
and "Waiting for an answer" with a day to follow up.  :class:`SafetyPicker` is the pick-list
of safety behaviours plus the user's own, shown before ("I'll try without") and after ("I
dropped") the ask; the after half's experiment rows live in the shared
:class:`~rejection_journal.ui.after_form.AfterHalfForm`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from rejection_journal.domain.experiment import (
    LIKELIHOOD_MAX,
    LIKELIHOOD_MIN,
    SAFETY_BEHAVIOURS,
    AskMode,
    EntryKind,
)
from rejection_journal.domain.records import DATE_MAX, DATE_MIN, SHORT_TEXT_MAX, AttemptRecord
from rejection_journal.ui.dates import date_format
from rejection_journal.ui.form_widgets import RatingEdit, RatingMessages

#: a new waiting entry's day to follow up, from the entry's date
FOLLOW_UP_DAYS = 7


def _rating_text(value: int | None) -> str:
    return "" if value is None else str(value)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class SafetyPicker(QWidget):
    """The listed safety behaviours as check boxes, and the user's own in a line (separated
    by ";")."""

    edited = Signal()

    def __init__(self, own_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes = {key: QCheckBox(text) for key, text in SAFETY_BEHAVIOURS.items()}
        self.own = QLineEdit()
        self.own.setPlaceholderText("Separated by ;")
        self.own.setAccessibleName(own_name)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, box in enumerate(self.boxes.values()):  # one column: narrow panes
            box.setAccessibleName(box.text())
            grid.addWidget(box, index, 0)
            box.toggled.connect(self.edited)
        own_label = QLabel("Your own:")
        own_label.setBuddy(self.own)
        own_row = QHBoxLayout()
        own_row.addWidget(own_label)
        own_row.addWidget(self.own, 1)
        grid.addLayout(own_row, len(self.boxes), 0)
        self.own.textChanged.connect(self.edited)

    def inputs(self) -> tuple[QWidget, ...]:
        return (*self.boxes.values(), self.own)

    def items(self) -> tuple[str, ...]:
        """The listed ones ticked (their keys), then the user's own, each once."""
        own = (part.strip() for part in self.own.text().split(";"))
        return tuple(dict.fromkeys((*(key for key, box in self.boxes.items()
                                      if box.isChecked()), *(part for part in own if part))))

    def state(self) -> list[str]:
        return [*(key for key, box in self.boxes.items() if box.isChecked()),
                *([f"own:{self.own.text()}"] if self.own.text() else [])]

    def set_state(self, items: list[str] | tuple[str, ...]) -> None:
        own = [item.removeprefix("own:") if item.startswith("own:") else item
               for item in items if item not in self.boxes]
        for key, box in self.boxes.items():
            box.setChecked(key in items)
        self.own.setText("; ".join(own))


def safety_state(items: tuple[str, ...]) -> list[str]:
    """The :meth:`SafetyPicker.state` that shows ``items``."""
    listed = [item for item in items if item in SAFETY_BEHAVIOURS]
    own = "; ".join(item for item in items if item not in SAFETY_BEHAVIOURS)
    return [*(key for key in SAFETY_BEHAVIOURS if key in listed),
            *([f"own:{own}"] if own else [])]


class BeforeExperimentForm(QWidget):
    """The before half's experiment rows, for the editor's before form (``add_rows``)."""

    edited = Signal()

    def __init__(self, messages: RatingMessages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = messages
        self.kind = QComboBox()
        for kind in EntryKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setToolTip("A rejection that happened to you needs no prediction")
        self.ask_mode = QComboBox()
        self.ask_mode.addItem("—", None)
        for mode in AskMode:
            self.ask_mode.addItem(mode.label, mode.value)
        self.feared_outcome = QLineEdit()
        self.feared_outcome.setMaxLength(SHORT_TEXT_MAX)
        self.feared_outcome.setPlaceholderText("For example: they'll laugh at me")
        self.fear_likelihood = RatingEdit(LIKELIHOOD_MIN, LIKELIHOOD_MAX, " %")
        self.fear_likelihood.setToolTip("How likely does it feel that it will happen?")
        self.safety = SafetyPicker("Other safety behaviours to try without")
        self.waiting = QCheckBox("Waiting for an answer")
        self.waiting.setToolTip("Applications, pitches and messages are often answered days "
                                "later; the evening review asks about it on the day below")
        self.follow_up_on = QDateEdit()
        self.follow_up_on.setCalendarPopup(True)
        self.follow_up_on.setDisplayFormat(date_format())
        self.follow_up_on.setDateRange(_qdate(DATE_MIN), _qdate(DATE_MAX))
        for combo in (self.kind, self.ask_mode):
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            combo.currentIndexChanged.connect(self.edited)
        self.kind.currentIndexChanged.connect(self.update_visible)
        self.waiting.toggled.connect(self.update_visible)
        for signal in (self.feared_outcome.textChanged, self.fear_likelihood.textChanged,
                       self.safety.edited, self.waiting.toggled,
                       self.follow_up_on.dateChanged):
            signal.connect(self.edited)
        self.fear_likelihood.textChanged.connect(
            lambda _text: self.messages.show(self.fear_likelihood))
        #: rows hidden for a rejection that happened to me (no prediction, no waiting)
        self.ask_rows: list[tuple[QLabel, QWidget]] = []
        self.follow_up_row: tuple[QLabel, QWidget] | None = None

    def add_rows(self, form: Any, add_row: Any) -> None:
        """Put the rows into the owner's form layout (``add_row`` from after_form)."""
        add_row(form, "Kind of entry:", self.kind)
        self.ask_rows = [
            add_row(form, "Way of asking:", self.ask_mode),
            add_row(form, "What I fear will happen:", self.feared_outcome),
            add_row(form, "How likely it feels:", self.messages.row(self.fear_likelihood)),
            add_row(form, "I'll try without:", self.safety,
                    buddy=next(iter(self.safety.boxes.values()))),
        ]
        waiting_row = add_row(form, "Answer:", self.waiting, buddy=self.waiting)
        self.waiting.setAccessibleName(self.waiting.text())
        self.follow_up_row = add_row(form, "Follow up on:", self.follow_up_on)
        self.ask_rows.append(waiting_row)
        self.update_visible()

    def inputs(self) -> tuple[QWidget, ...]:
        return (self.kind, self.ask_mode, self.feared_outcome, self.fear_likelihood,
                *self.safety.inputs(), self.waiting, self.follow_up_on)

    def targets(self) -> dict[str, QWidget]:
        return {"kind": self.kind, "ask_mode": self.ask_mode,
                "feared_outcome": self.feared_outcome, "fear_likelihood": self.fear_likelihood,
                "safety_behaviours": self.safety.own, "awaiting_answer": self.waiting,
                "follow_up_on": self.follow_up_on}

    def is_ask(self) -> bool:
        return bool(self.kind.currentData() == EntryKind.ASK.value)

    def update_visible(self) -> None:
        ask = self.is_ask()
        for row in self.ask_rows:
            for widget in row:
                widget.setVisible(ask)
        if self.follow_up_row is not None:
            for widget in self.follow_up_row:
                widget.setVisible(ask and self.waiting.isChecked())

    def follow_up_default(self, day: date) -> None:
        """A new entry: its day to follow up is a week after ``day``."""
        self.follow_up_on.setDate(_qdate(min(day + timedelta(days=FOLLOW_UP_DAYS), DATE_MAX)))

    # -- state and record ------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "ask_mode": self.ask_mode.currentData(),
                "feared_outcome": self.feared_outcome.text(),
                "fear_likelihood": self.fear_likelihood.text(),
                "safety_behaviours": self.safety.state(),
                "awaiting_answer": self.waiting.isChecked(),
                "follow_up_on": self.follow_up_on.date().toString(Qt.DateFormat.ISODate)}

    def set_state(self, state: dict[str, Any]) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(state.get("kind", "ask"))))
        self.ask_mode.setCurrentIndex(max(0, self.ask_mode.findData(state.get("ask_mode"))))
        self.feared_outcome.setText(str(state.get("feared_outcome", "")))
        self.fear_likelihood.setText(str(state.get("fear_likelihood", "")))
        self.safety.set_state(list(state.get("safety_behaviours", [])))
        self.waiting.setChecked(bool(state.get("awaiting_answer", False)))
        day = QDate.fromString(str(state.get("follow_up_on", "")), Qt.DateFormat.ISODate)
        if day.isValid():
            self.follow_up_on.setDate(day)
        self.update_visible()

    @staticmethod
    def state_of(record: AttemptRecord) -> dict[str, Any]:
        follow_up = record.follow_up_on or min(
            record.attempted_on + timedelta(days=FOLLOW_UP_DAYS), DATE_MAX)
        return {"kind": record.kind.value,
                "ask_mode": record.ask_mode.value if record.ask_mode else None,
                "feared_outcome": record.feared_outcome,
                "fear_likelihood": _rating_text(record.fear_likelihood),
                "safety_behaviours": safety_state(record.safety_behaviours),
                "awaiting_answer": record.awaiting_answer,
                "follow_up_on": min(max(follow_up, DATE_MIN), DATE_MAX).isoformat()}

    def values(self, *, answered: bool) -> dict[str, Any]:
        """The record's before-half experiment attributes.  ``answered``: the after half
        has an outcome, so the entry no longer waits.  Rows hidden for a rejection that
        happened to me are left out (kept in the form, not stored)."""
        if not self.is_ask():
            return {"kind": EntryKind.HAPPENED_TO_ME, "ask_mode": None, "feared_outcome": "",
                    "fear_likelihood": None, "safety_behaviours": (),
                    "awaiting_answer": False, "follow_up_on": None}
        mode = self.ask_mode.currentData()
        waiting = self.waiting.isChecked() and not answered
        day = self.follow_up_on.date().toPython()
        assert isinstance(day, date)
        return {"kind": EntryKind.ASK, "ask_mode": AskMode(mode) if mode else None,
                "feared_outcome": self.feared_outcome.text().strip(),
                "fear_likelihood": self.fear_likelihood.value(),
                "safety_behaviours": self.safety.items(),
                "awaiting_answer": waiting, "follow_up_on": day if waiting else None}
