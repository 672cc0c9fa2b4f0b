"""Journaling editor: the *before* half and the *after* half of one attempt."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import (
    CHANCE_MAX,
    DATE_MAX,
    DATE_MIN,
    DISCOMFORT_MAX,
    TITLE_MAX,
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
)
from rejection_journal.services import JournalService, StorageError

NOT_RATED = "Not rated"


def _rating_box(maximum: int, suffix: str = "") -> QSpinBox:
    """A 0..maximum spin box whose lowest step, -1, means "not rated yet"."""
    box = QSpinBox()
    box.setRange(-1, maximum)
    box.setSpecialValueText(NOT_RATED)
    box.setSuffix(suffix)
    box.setValue(-1)
    box.setAccelerated(True)
    return box


def _rating(box: QSpinBox) -> int | None:
    return None if box.value() < 0 else box.value()


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(64)
    return box


class AttemptEditor(QWidget):
    """Edits one attempt. ``saved`` carries the stored :class:`AttemptRecord`."""

    saved = Signal(object)
    dirtyChanged = Signal(bool)
    newRequested = Signal()

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attemptEditor")
        self._service = service
        self._record: AttemptRecord | None = None
        self._challenge_uuid: str | None = None
        self._dirty = False
        self._loading = False
        self._date_was_picked = False

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.error_label = QLabel()
        self.error_label.setObjectName("editorError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(
            "QLabel#editorError { background: #fde8e8; color: #7f1d1d; border-radius: 4px;"
            " padding: 6px; }"
        )
        self.error_label.hide()

        # Before
        self.ask = QLineEdit()
        self.ask.setMaxLength(TITLE_MAX)
        self.ask.setPlaceholderText("What will you ask, and whom?")
        self.attempted_on = QDateEdit()
        self.attempted_on.setCalendarPopup(True)
        self.attempted_on.setDisplayFormat("ddd d MMM yyyy")
        # The domain's accepted range: any date an entry may hold is shown as it is.
        self.attempted_on.setDateRange(QDate(DATE_MIN), QDate(DATE_MAX))
        self.anticipated = _rating_box(DISCOMFORT_MAX, " / 10")
        self.anticipated.setToolTip("How uncomfortable do you expect to feel? 0 = not at all")
        self.predicted = _rating_box(CHANCE_MAX, " %")
        self.predicted.setToolTip("How likely is a \"no\", in percent?")
        self.feelings_before = _text_box("How do you feel about asking?")
        self.worst_case = _text_box("What's the worst you imagine could happen?")

        before = QGroupBox("Before you ask")
        before_form = QFormLayout(before)
        before_form.addRow("&Ask:", self.ask)
        before_form.addRow("&Date:", self.attempted_on)
        before_form.addRow("Expected &discomfort:", self.anticipated)
        before_form.addRow("Chance of \"&no\":", self.predicted)
        before_form.addRow("&Feelings before:", self.feelings_before)
        before_form.addRow("&Worst case:", self.worst_case)

        # After
        self.outcome = QComboBox()
        self.outcome.addItem("Not yet — fill this in afterwards", None)
        for outcome in Outcome:
            self.outcome.addItem(outcome.label, outcome.value)
        self.actual = _rating_box(DISCOMFORT_MAX, " / 10")
        self.actual.setToolTip("How uncomfortable did it actually feel?")
        self.feelings_after = _text_box("How do you feel now?")
        self.reason = QComboBox()
        self.reason.addItem("—", None)
        for reason in Reason:
            self.reason.addItem(reason.label, reason.value)
        self.asked_why = QCheckBox("I asked why")
        self.reflection = _text_box("What happened? Was it about you, or about them?")
        self.lesson = _text_box("One thing to keep for next time")

        after = QGroupBox("After")
        after_form = QFormLayout(after)
        after_form.addRow("&Outcome:", self.outcome)
        after_form.addRow("Actual disco&mfort:", self.actual)
        after_form.addRow("Feelings &after:", self.feelings_after)
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.asked_why)
        reason_label = QLabel("&Reason for no:")
        reason_label.setBuddy(self.reason)
        after_form.addRow(reason_label, reason_row)
        after_form.addRow("Re&flection:", self.reflection)
        after_form.addRow("&Lesson:", self.lesson)

        self.new_button = QPushButton("New entry")
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save this entry (Ctrl+S)")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(before)
        form_layout.addWidget(after)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.error_label)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        for line in (self.ask,):
            line.textEdited.connect(self._mark_dirty)
        for text in (self.feelings_before, self.worst_case, self.feelings_after,
                     self.reflection, self.lesson):
            text.textChanged.connect(self._mark_dirty)
        for spin in (self.anticipated, self.predicted, self.actual):
            spin.valueChanged.connect(self._mark_dirty)
        self.attempted_on.dateChanged.connect(self._mark_dirty)
        self.attempted_on.dateChanged.connect(self._date_picked)
        self.outcome.currentIndexChanged.connect(self._mark_dirty)
        self.outcome.currentIndexChanged.connect(self._update_reason_enabled)
        self.reason.currentIndexChanged.connect(self._mark_dirty)
        self.asked_why.toggled.connect(self._mark_dirty)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.newRequested)

        self.start_new(None)

    # -- state -----------------------------------------------------------------------------
    @property
    def is_dirty(self) -> bool:
        return self._dirty

    @property
    def current_uuid(self) -> str | None:
        return self._record.uuid if self._record else None

    def describe(self) -> str:
        ask = self.ask.text().strip()
        return f"“{ask}”" if ask else "this entry"

    def _mark_dirty(self, *_args: object) -> None:
        if self._loading or self._dirty:
            return
        self._dirty = True
        self.dirtyChanged.emit(True)

    def _set_clean(self) -> None:
        changed = self._dirty
        self._dirty = False
        if changed:
            self.dirtyChanged.emit(False)

    def _update_reason_enabled(self) -> None:
        value = self.outcome.currentData()
        allowed = value is not None and Outcome(value).can_have_reason
        self.reason.setEnabled(allowed)
        self.asked_why.setEnabled(allowed)
        if not allowed:
            self.reason.setCurrentIndex(0)
            self.asked_why.setChecked(False)

    # -- loading ---------------------------------------------------------------------------
    def start_new(self, challenge: ChallengeRecord | None) -> None:
        """Clear the form for a new attempt, optionally for ``challenge``."""
        self._fill(None, challenge)
        (self.ask if challenge is None else self.anticipated).setFocus()

    def load(self, record: AttemptRecord) -> None:
        self._fill(record, None)

    def _fill(self, record: AttemptRecord | None, challenge: ChallengeRecord | None) -> None:
        self._loading = True
        try:
            self._record = record
            self._date_was_picked = False
            self.error_label.hide()
            if record is None:
                self._challenge_uuid = challenge.uuid if challenge else None
                self.ask.setText(challenge.title if challenge else "")
                self.attempted_on.setDate(QDate.currentDate())
                for spin in (self.anticipated, self.predicted, self.actual):
                    spin.setValue(-1)
                for text in (self.feelings_before, self.worst_case, self.feelings_after,
                             self.reflection, self.lesson):
                    text.setPlainText("")
                self.outcome.setCurrentIndex(0)
                self.reason.setCurrentIndex(0)
                self.asked_why.setChecked(False)
                title = "New entry" + (f" — level {challenge.level}" if challenge else "")
            else:
                self._challenge_uuid = record.challenge_uuid
                self.ask.setText(record.ask)
                self.attempted_on.setDate(QDate(record.attempted_on))
                self.anticipated.setValue(_none_to(record.anticipated_discomfort))
                self.predicted.setValue(_none_to(record.predicted_no_chance))
                self.actual.setValue(_none_to(record.actual_discomfort))
                self.feelings_before.setPlainText(record.feelings_before)
                self.worst_case.setPlainText(record.worst_case)
                self.feelings_after.setPlainText(record.feelings_after)
                self.reflection.setPlainText(record.reflection)
                self.lesson.setPlainText(record.lesson)
                self.outcome.setCurrentIndex(
                    self.outcome.findData(record.outcome.value if record.outcome else None)
                )
                self._update_reason_enabled()
                self.reason.setCurrentIndex(
                    self.reason.findData(record.reason.value if record.reason else None)
                )
                self.asked_why.setChecked(record.asked_why)
                day = record.attempted_on
                title = f"Entry of {day:%a} {day.day} {day:%b %Y}"
                if record.is_open:
                    title += " — the after half is still open"
            self._update_reason_enabled()
            self.heading.setText(f"<h3>{title}</h3>")
        finally:
            self._loading = False
        self._set_clean()

    def set_read_only(self, reason: str) -> None:
        """The journal cannot be written: Save is off (the form can still be read and copied)."""
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(f"Not available: this journal is read-only because {reason}.")

    # -- saving ----------------------------------------------------------------------------
    def _date_picked(self) -> None:
        if not self._loading:
            self._date_was_picked = True

    def _form_date(self) -> date:
        old = self._record.attempted_on if self._record is not None else None
        if old is not None and not DATE_MIN <= old <= DATE_MAX and not self._date_was_picked:
            # An old entry dated outside the range is shown at the nearest end of it: keep
            # its own date until one is picked, so validation names it instead of the entry
            # being quietly re-dated.
            return old
        return _to_date(self.attempted_on.date())

    def record_from_form(self) -> AttemptRecord:
        """Build (and validate) the record the form currently shows."""
        outcome = self.outcome.currentData()
        reason = self.reason.currentData() if self.reason.isEnabled() else None
        values = {
            "ask": self.ask.text().strip(),
            "attempted_on": self._form_date(),
            "challenge_uuid": self._challenge_uuid,
            "anticipated_discomfort": _rating(self.anticipated),
            "predicted_no_chance": _rating(self.predicted),
            "feelings_before": self.feelings_before.toPlainText(),
            "worst_case": self.worst_case.toPlainText(),
            "outcome": Outcome(outcome) if outcome else None,
            "actual_discomfort": _rating(self.actual),
            "feelings_after": self.feelings_after.toPlainText(),
            "reasons": (Reason(reason),) if reason else (),
            "asked_why": self.asked_why.isChecked() and self.asked_why.isEnabled(),
            "reflection": self.reflection.toPlainText(),
            "lesson": self.lesson.toPlainText(),
        }
        if self._record is None:
            return AttemptRecord(**values).validated()  # type: ignore[arg-type]
        return self._record.replace(**values).validated()

    def save(self) -> AttemptRecord | None:
        """Validate and store the form. On a problem, say what and where; keep the text."""
        if self._service.read_only_reason is not None:
            self._show_error(
                f"Not saved — this journal is read-only because {self._service.read_only_reason},"
                " so changes can't be saved. Your text is still here, to copy somewhere else.",
                None,
            )
            return None
        try:
            record = self._service.save(self.record_from_form())
        except ValidationError as exc:
            self._show_error(f"Not saved yet — {exc.label}: {exc.message}.", exc.attribute)
            return None
        except StorageError as exc:
            self._show_error(f"Not saved — {exc} Your text is still here.", None)
            return None
        self.load(record)
        self.saved.emit(record)
        return record

    def _show_error(self, text: str, attribute: str | None) -> None:
        """Show ``text`` and focus the widget of the record's ``attribute`` (if it has one)."""
        self.error_label.setText(text)
        self.error_label.show()
        target = {
            "ask": self.ask,
            "attempted_on": self.attempted_on,
            "anticipated_discomfort": self.anticipated,
            "predicted_no_chance": self.predicted,
            "actual_discomfort": self.actual,
            "outcome": self.outcome,
            "reasons": self.reason,
            "feelings_before": self.feelings_before,
            "worst_case": self.worst_case,
            "feelings_after": self.feelings_after,
            "reflection": self.reflection,
            "lesson": self.lesson,
        }.get(attribute or "")
        if target is not None:
            target.setFocus()


def _none_to(value: int | None) -> int:
    return -1 if value is None else value


def _to_date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())
