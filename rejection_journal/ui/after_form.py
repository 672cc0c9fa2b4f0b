"""The *after* half of an entry, as one form: the editor and the evening review both show it.

:class:`AfterHalfForm` builds the fields (outcome, actual discomfort, feelings after, the
reasons for the no with another reason and "I asked why", reflection, lesson, hopefulness and
the belief update: next time's discomfort and chance of "no"), shows the rows that apply for
the outcome chosen (the rule is :mod:`rejection_journal.domain.after_half`; hidden fields keep
what they hold), reads and writes its part of a form state (what "unsaved" and a draft
compare and keep) and gives the after-half attributes of the record it shows.  A rating that
is not acceptable is named beside it (:class:`~rejection_journal.ui.form_widgets.
RatingMessages`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from rejection_journal.domain.after_half import applicable, applies, keep_applicable
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.experiment import (
    LIKELIHOOD_MAX,
    LIKELIHOOD_MIN,
    SURPRISE_MAX,
    SURPRISE_MIN,
    FearHappened,
)
from rejection_journal.domain.records import (
    CHANCE_MAX,
    CHANCE_MIN,
    DISCOMFORT_MAX,
    DISCOMFORT_MIN,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    AttemptRecord,
)
from rejection_journal.ui.experiment_form import SafetyPicker, safety_state
from rejection_journal.ui.form_widgets import (
    GrowingTextEdit,
    RatingEdit,
    RatingMessages,
    with_counter,
)

HOPEFUL_CHOICES = ((None, "—"), (-2, "Much less hopeful"), (-1, "A little less hopeful"),
                   (0, "About the same"), (1, "A little more hopeful"),
                   (2, "Much more hopeful"))

#: the after half's names in a form state, with the record attribute each shows
STATE_ATTRIBUTES: dict[str, str] = {
    "outcome": "outcome", "actual": "actual_discomfort", "feelings_after": "feelings_after",
    "reasons": "reasons", "other_reason": "other_reason", "asked_why": "asked_why",
    "reflection": "reflection", "lesson": "lesson", "hopefulness": "hopefulness",
    "next_discomfort": "next_discomfort", "next_no_chance": "next_no_chance",
    "fear_happened": "fear_happened", "fear_likelihood_after": "fear_likelihood_after",
    "surprise": "surprise", "safety_dropped": "safety_dropped",
}
_RATINGS = ("actual", "next_discomfort", "next_no_chance", "fear_likelihood_after", "surprise")
_TEXTS = ("feelings_after", "reflection", "lesson")


def new_form_layout(parent: QWidget) -> QFormLayout:
    """The entry forms' layout: labels above their fields when the pane is narrow (no
    sideways scrolling), fields as wide as there is room."""
    form = QFormLayout(parent)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def add_row(form: QFormLayout, text: str, field: QWidget,
            buddy: QWidget | None = None) -> tuple[QLabel, QWidget]:
    """A labelled row; the label's mnemonic goes to ``buddy`` (by default the field's input).
    The label's words name the field's input for screen readers; with a ``buddy`` of its own
    (a check box among several, which keeps its own text) they name ``field``, the group."""
    label = QLabel(text)
    target: QWidget = buddy if buddy is not None else getattr(field, "input_widget", field)
    label.setBuddy(target)
    (field if buddy is not None else target).setAccessibleName(
        text.replace("&", "").rstrip(":"))
    form.addRow(label, field)
    return label, field


def _rating_text(value: int | None) -> str:
    return "" if value is None else str(value)


class AfterHalfForm(QWidget):
    """The after half's fields, in one form layout.

    ``open_label`` is the outcome choice that leaves the entry open; ``feelings_label`` the
    label (with its mnemonic) of "Feelings after", which differs where the owner's other
    mnemonics take its letter.  ``messages`` is the owner's set of rating-with-error rows, so
    the owner names every problem of the form in one place."""

    #: anything in the form changed (typing, a choice, a box ticked)
    edited = Signal()
    #: a rating was checked as it was typed (its message beside it shown or hidden)
    ratingChecked = Signal(object)

    def __init__(self, *, open_label: str, feelings_label: str = "&Feelings after:",
                 messages: RatingMessages | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("afterHalfForm")
        self.messages = messages if messages is not None else RatingMessages()

        self.outcome = QComboBox()
        self.outcome.addItem(open_label, None)
        for outcome in Outcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.outcome.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no wheel-by-accident
        self.actual = RatingEdit(DISCOMFORT_MIN, DISCOMFORT_MAX, " / 10")
        self.actual.setToolTip("How uncomfortable did it actually feel? 0 = not at all")
        self.feelings_after = GrowingTextEdit("How do you feel now?", TEXT_MAX)
        self.reason_boxes: dict[Reason, QCheckBox] = {r: QCheckBox(r.label) for r in Reason}
        self.other_reason = QLineEdit()
        self.other_reason.setMaxLength(SHORT_TEXT_MAX)
        self.other_reason.setPlaceholderText("Another reason, in your words")
        self.asked_why = QCheckBox("I asked wh&y")
        self.reflection = GrowingTextEdit("What happened? Was it about you, or about them?",
                                          TEXT_MAX)
        self.lesson = GrowingTextEdit("One thing to keep for next time", TEXT_MAX)
        self.hopefulness = QComboBox()
        for value, text in HOPEFUL_CHOICES:
            self.hopefulness.addItem(text, value)
        self.hopefulness.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hopefulness.setToolTip("Compared with before this ask, do you feel more or less "
                                    "hopeful?")
        self.next_discomfort = RatingEdit(DISCOMFORT_MIN, DISCOMFORT_MAX, " / 10")
        self.next_discomfort.setToolTip("Next time you ask something like this, how "
                                        "uncomfortable do you expect to feel?")
        self.next_no_chance = RatingEdit(CHANCE_MIN, CHANCE_MAX, " %")
        self.next_no_chance.setToolTip("Next time, how likely do you think a \"no\" is?")
        # Issue 21: the experiment's after half
        self.fear_happened = QComboBox()
        self.fear_happened.addItem("—", None)
        for answer in FearHappened:
            self.fear_happened.addItem(answer.label, answer.value)
        self.fear_happened.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.fear_happened.setToolTip("Did what you feared happen?")
        self.fear_likelihood_after = RatingEdit(LIKELIHOOD_MIN, LIKELIHOOD_MAX, " %")
        self.fear_likelihood_after.setToolTip("For next time: how likely does the same fear "
                                              "feel now?")
        self.surprise = RatingEdit(SURPRISE_MIN, SURPRISE_MAX, " / 10")
        self.surprise.setToolTip("0 = just as expected, 10 = completely surprised")
        self.safety_dropped = SafetyPicker("Other safety behaviours I dropped")

        form = new_form_layout(self)
        form.setContentsMargins(0, 0, 0, 0)
        add_row(form, "&Outcome:", self.outcome)
        #: the rows that show or hide with the outcome, by the attribute that decides it
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        self.rows["actual_discomfort"] = add_row(form, "A&ctual discomfort:",
                                                 self.messages.row(self.actual))
        add_row(form, feelings_label, with_counter(self.feelings_after))
        self.reasons_box = QWidget()
        grid = QGridLayout(self.reasons_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, box in enumerate(self.reason_boxes.values()):
            grid.addWidget(box, index // 2, index % 2)
        other_label = QLabel("Other:")
        other_label.setBuddy(self.other_reason)
        self.other_reason.setAccessibleName("Other reason")
        other_row = QHBoxLayout()
        other_row.addWidget(other_label)
        other_row.addWidget(self.other_reason, 1)
        grid.addLayout(other_row, (len(Reason) + 1) // 2, 0, 1, 2)
        grid.addWidget(self.asked_why, (len(Reason) + 3) // 2, 0, 1, 2)
        self.rows["reasons"] = add_row(form, "&Reasons for the no:", self.reasons_box,
                                       buddy=next(iter(self.reason_boxes.values())))
        add_row(form, "Reflect&ion:", with_counter(self.reflection))
        add_row(form, "&Lesson:", with_counter(self.lesson))
        self.rows["hopefulness"] = add_row(form, "Ho&peful:", self.hopefulness)
        self.rows["next_discomfort"] = add_row(form, "Ne&xt time, discomfort:",
                                               self.messages.row(self.next_discomfort))
        self.rows["next_no_chance"] = add_row(form, "Next ti&me, chance of \"no\":",
                                              self.messages.row(self.next_no_chance))
        self.rows["fear_happened"] = add_row(form, "Did it happen?", self.fear_happened)
        self.rows["fear_likelihood_after"] = add_row(
            form, "How likely does it feel now?", self.messages.row(self.fear_likelihood_after))
        self.rows["surprise"] = add_row(form, "How surprised were you?",
                                        self.messages.row(self.surprise))
        self.rows["safety_dropped"] = add_row(
            form, "Safety behaviours I dropped:", self.safety_dropped,
            buddy=next(iter(self.safety_dropped.boxes.values())))

        self.outcome.currentIndexChanged.connect(self.update_visible)
        for signal in (self.outcome.currentIndexChanged, self.hopefulness.currentIndexChanged,
                       self.fear_happened.currentIndexChanged, self.safety_dropped.edited,
                       self.other_reason.textChanged, self.asked_why.toggled,
                       *(box.toggled for box in self.reason_boxes.values()),
                       *(box.textChanged for box in self.text_boxes())):
            signal.connect(self.edited)
        for rating in self.ratings():
            rating.textChanged.connect(self.edited)
            rating.textChanged.connect(lambda _text, rating=rating: self._check(rating))
        self.update_visible()

    # -- the widgets -------------------------------------------------------------------------
    def ratings(self) -> tuple[RatingEdit, ...]:
        return (self.actual, self.next_discomfort, self.next_no_chance,
                self.fear_likelihood_after, self.surprise)

    def text_boxes(self) -> tuple[GrowingTextEdit, ...]:
        return (self.feelings_after, self.reflection, self.lesson)

    def inputs(self) -> tuple[QWidget, ...]:
        """Every input, in the order they are shown (and Tab goes)."""
        return (self.outcome, self.actual, self.feelings_after, *self.reason_boxes.values(),
                self.other_reason, self.asked_why, self.reflection, self.lesson,
                self.hopefulness, self.next_discomfort, self.next_no_chance,
                self.fear_happened, self.fear_likelihood_after, self.surprise,
                *self.safety_dropped.inputs())

    def targets(self) -> dict[str, QWidget]:
        """The widget that shows each after-half attribute (to name and focus a problem)."""
        return {"outcome": self.outcome, "actual_discomfort": self.actual,
                "feelings_after": self.feelings_after,
                "reasons": next(iter(self.reason_boxes.values())),
                "other_reason": self.other_reason, "asked_why": self.asked_why,
                "reflection": self.reflection, "lesson": self.lesson,
                "hopefulness": self.hopefulness, "next_discomfort": self.next_discomfort,
                "next_no_chance": self.next_no_chance, "fear_happened": self.fear_happened,
                "fear_likelihood_after": self.fear_likelihood_after, "surprise": self.surprise,
                "safety_dropped": self.safety_dropped.own}

    # -- the outcome and what applies ------------------------------------------------------
    def outcome_value(self) -> Outcome | None:
        value = self.outcome.currentData()
        return Outcome(value) if value else None

    def update_visible(self) -> None:
        """Show the rows that apply to the outcome; hidden ones keep what they hold."""
        outcome = self.outcome_value()
        for attribute, row in self.rows.items():
            shown = applies(attribute, outcome)
            for widget in row:
                widget.setVisible(shown)

    def _check(self, rating: RatingEdit) -> None:
        self.messages.show(rating)
        self.ratingChecked.emit(rating)

    def show_rating_problems(self) -> None:
        """Name what is wrong beside each rating (after its text was put in, not typed)."""
        for rating in self.ratings():
            self.messages.show(rating)

    # -- state and record ------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The after half as typed (hidden fields included), by the names of
        :data:`STATE_ATTRIBUTES`."""
        return {
            "outcome": self.outcome.currentData(),
            **{name: getattr(self, name).text() for name in _RATINGS},
            **{name: getattr(self, name).toPlainText() for name in _TEXTS},
            "reasons": [r.value for r, box in self.reason_boxes.items() if box.isChecked()],
            "other_reason": self.other_reason.text(),
            "asked_why": self.asked_why.isChecked(),
            "hopefulness": self.hopefulness.currentData(),
            "fear_happened": self.fear_happened.currentData(),
            "safety_dropped": self.safety_dropped.state(),
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Show ``state`` (a missing name shows empty) and the rows its outcome applies to."""
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(state.get("outcome"))))
        for name in _RATINGS:
            getattr(self, name).setText(str(state.get(name, "")))
        for name in _TEXTS:
            getattr(self, name).setPlainText(str(state.get(name, "")))
        chosen = set(state.get("reasons", []))
        for reason, box in self.reason_boxes.items():
            box.setChecked(reason.value in chosen)
        self.other_reason.setText(str(state.get("other_reason", "")))
        self.asked_why.setChecked(bool(state.get("asked_why", False)))
        self.hopefulness.setCurrentIndex(
            max(0, self.hopefulness.findData(state.get("hopefulness"))))
        self.fear_happened.setCurrentIndex(
            max(0, self.fear_happened.findData(state.get("fear_happened"))))
        self.safety_dropped.set_state(list(state.get("safety_dropped", [])))
        self.update_visible()

    @staticmethod
    def state_of(record: AttemptRecord) -> dict[str, Any]:
        """The after-half state that shows ``record``."""
        return {
            "outcome": record.outcome.value if record.outcome else None,
            "actual": _rating_text(record.actual_discomfort),
            "next_discomfort": _rating_text(record.next_discomfort),
            "next_no_chance": _rating_text(record.next_no_chance),
            "feelings_after": record.feelings_after,
            "reflection": record.reflection,
            "lesson": record.lesson,
            "reasons": [r.value for r in record.reasons],
            "other_reason": record.other_reason,
            "asked_why": record.asked_why,
            "hopefulness": record.hopefulness,
            "fear_happened": record.fear_happened.value if record.fear_happened else None,
            "fear_likelihood_after": _rating_text(record.fear_likelihood_after),
            "surprise": _rating_text(record.surprise),
            "safety_dropped": safety_state(record.safety_dropped),
        }

    def values(self) -> dict[str, Any]:
        """The after-half attributes of the record the form shows; a field that does not
        apply for the outcome is left out (blank), though the form keeps it.  Check
        :meth:`RatingMessages.problems` first: a visible rating that is not a whole number
        raises ValueError."""
        outcome = self.outcome_value()
        shown = applicable(outcome)

        def rating(attribute: str, box: RatingEdit) -> int | None:
            return box.value() if attribute in shown else None

        return keep_applicable(outcome, {
            "outcome": outcome,
            "actual_discomfort": rating("actual_discomfort", self.actual),
            "feelings_after": self.feelings_after.toPlainText(),
            "reasons": tuple(r for r, box in self.reason_boxes.items() if box.isChecked()),
            "other_reason": self.other_reason.text().strip(),
            "asked_why": self.asked_why.isChecked(),
            "reflection": self.reflection.toPlainText(),
            "lesson": self.lesson.toPlainText(),
            "hopefulness": self.hopefulness.currentData(),
            "next_discomfort": rating("next_discomfort", self.next_discomfort),
            "next_no_chance": rating("next_no_chance", self.next_no_chance),
            "fear_happened": (FearHappened(self.fear_happened.currentData())
                              if self.fear_happened.currentData() else None),
            "fear_likelihood_after": rating("fear_likelihood_after",
                                            self.fear_likelihood_after),
            "surprise": rating("surprise", self.surprise),
            "safety_dropped": self.safety_dropped.items(),
        })


class ShowsAfterHalf:
    """For a widget that shows an :class:`AfterHalfForm` as ``after``: its fields by name
    (``editor.lesson`` is ``editor.after.lesson``)."""

    after: AfterHalfForm

    @property
    def outcome(self) -> QComboBox:
        return self.after.outcome

    @property
    def actual(self) -> RatingEdit:
        return self.after.actual

    @property
    def feelings_after(self) -> GrowingTextEdit:
        return self.after.feelings_after

    @property
    def reason_boxes(self) -> dict[Reason, QCheckBox]:
        return self.after.reason_boxes

    @property
    def other_reason(self) -> QLineEdit:
        return self.after.other_reason

    @property
    def asked_why(self) -> QCheckBox:
        return self.after.asked_why

    @property
    def reflection(self) -> GrowingTextEdit:
        return self.after.reflection

    @property
    def lesson(self) -> GrowingTextEdit:
        return self.after.lesson

    @property
    def hopefulness(self) -> QComboBox:
        return self.after.hopefulness

    @property
    def next_discomfort(self) -> RatingEdit:
        return self.after.next_discomfort

    @property
    def next_no_chance(self) -> RatingEdit:
        return self.after.next_no_chance
