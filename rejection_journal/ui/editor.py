"""Journaling editor: the *before* half and the *after* half of one attempt.

Nothing typed is lost or changed behind the user's back: ratings are typed numbers kept as
typed (an out-of-range one is named next to it, never clamped); changing the outcome hides the
fields that no longer apply without clearing them (only what is visible is saved); "unsaved"
means "differs from what is saved"; and the form as typed is kept in the journal as a draft
about a second after the last keystroke and on focus-out, so a crash, a kill or a logout
loses nothing (:meth:`AttemptEditor.restore_draft` brings it back on the next start).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.labels import label as label_of
from rejection_journal.domain.records import (
    CHANCE_MAX,
    CHANCE_MIN,
    DATE_MAX,
    DATE_MIN,
    DISCOMFORT_MAX,
    DISCOMFORT_MIN,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
)
from rejection_journal.services import JournalService, StorageError
from rejection_journal.ui.after_form import (
    STATE_ATTRIBUTES,
    AfterHalfForm,
    ShowsAfterHalf,
    add_row,
    new_form_layout,
)
from rejection_journal.ui.appearance import set_palette_style, set_toned_style
from rejection_journal.ui.dates import date_format, day_text
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.drafts import FormDraft
from rejection_journal.ui.experiment_form import BeforeExperimentForm
from rejection_journal.ui.form_widgets import (
    DateBox,
    GrowingTextEdit,
    RatingEdit,
    RatingMessages,
    with_counter,
    with_error_label,
)

#: the key of this editor's draft in the journal
DRAFT_KEY = "editor"


def _text_box(placeholder: str) -> GrowingTextEdit:
    return GrowingTextEdit(placeholder, TEXT_MAX)


class AttemptEditor(ShowsAfterHalf, QWidget):
    """Edits one attempt. ``saved`` carries the stored :class:`AttemptRecord`."""

    saved = Signal(object)
    dirtyChanged = Signal(bool)
    newRequested = Signal()
    #: "Keep as my challenge…" on a free-form ask: carries the ask's text
    keepAsChallengeRequested = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attemptEditor")
        self._service = service
        self._dialogs = dialogs or Dialogs(self)
        self._record: AttemptRecord | None = None
        self._challenge_uuid: str | None = None
        self._dirty = False
        self._loading = False
        self._date_was_picked = False
        self._saved_state: dict[str, Any] = {}
        self._read_only = service.read_only_reason is not None
        self._free_form = True
        self.draft = FormDraft(service, DRAFT_KEY, self.write_draft, self)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("editorError")
        self.error_label.setWordWrap(True)
        set_toned_style(
            self.error_label, "QLabel#editorError {{ background: {error_bg}; color: {error_fg};"
            " border-radius: 4px; padding: 6px; }}")
        self.error_label.hide()
        self.draft_notice = QLabel()
        self.draft_notice.setObjectName("draftNotice")
        self.draft_notice.setWordWrap(True)
        self.draft_notice.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the user's text
        self.discard_draft_button = QPushButton("Discard it")
        self.discard_draft_button.setAccessibleName("Discard the text brought back")
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.draft_notice, 1)
        notice_row.addWidget(self.discard_draft_button)
        self.draft_bar = QWidget()
        self.draft_bar.setLayout(notice_row)
        set_toned_style(self.draft_bar, "background: {ok_bg}; color: {ok_fg}; "
                        "border-radius: 4px;")
        self.draft_bar.hide()

        # The entry's challenge (or "Free-form ask"), and keeping a free-form ask as one.
        self.challenge_label = QLabel()
        self.challenge_label.setObjectName("editorChallenge")
        self.challenge_label.setWordWrap(True)
        self.challenge_label.setTextFormat(Qt.TextFormat.RichText)
        self.keep_button = QPushButton("Keep as my challenge…")
        self.keep_button.setFlat(True)
        self.keep_button.setCursor(Qt.CursorShape.PointingHandCursor)
        set_palette_style(self.keep_button,
                          "QPushButton { color: palette(link); padding: 1px 4px; }")
        self.keep_button.setToolTip("Add this ask to your own challenges, to pick it again")
        challenge_row = QWidget()
        challenge_layout = QHBoxLayout(challenge_row)
        challenge_layout.setContentsMargins(0, 0, 0, 0)
        challenge_layout.addWidget(self.challenge_label, 1)
        challenge_layout.addWidget(self.keep_button)

        # Before
        self.ask = QLineEdit()
        self.ask.setMaxLength(TITLE_MAX)
        self.ask.setPlaceholderText("What will you ask?")
        self.attempted_on = DateBox()
        self.attempted_on.setCalendarPopup(True)
        self.attempted_on.setDisplayFormat(date_format())
        # The domain's accepted range: any date an entry may hold is shown as it is.
        self.attempted_on.setDateRange(_to_qdate(DATE_MIN), _to_qdate(DATE_MAX))
        self.who_asked = QLineEdit()
        self.who_asked.setMaxLength(SHORT_TEXT_MAX)
        self.who_asked.setPlaceholderText("Optional: who you asked (only you see this)")
        self.anticipated = RatingEdit(DISCOMFORT_MIN, DISCOMFORT_MAX, " / 10")
        self.anticipated.setToolTip("How uncomfortable do you expect to feel? 0 = not at all")
        self.predicted = RatingEdit(CHANCE_MIN, CHANCE_MAX, " %")
        self.predicted.setToolTip("How likely is a \"no\", in percent?")
        self.feelings_before = _text_box("How do you feel about asking?")
        self.worst_case = _text_box("What's the worst you imagine could happen?")

        #: each rating's message line, shown beside it while what is typed is wrong
        self.messages = RatingMessages()
        self.field_errors = self.messages.labels

        before = QGroupBox("Before you ask")
        before_form = new_form_layout(before)
        before_form.addRow(challenge_row)
        add_row(before_form, "What you &ask:", self.ask)
        date_row, self.date_message = with_error_label(self.attempted_on)
        self.attempted_on.problemChanged.connect(self._show_date_problem)
        add_row(before_form, "Da&te:", date_row)
        add_row(before_form, "Who you as&ked:", self.who_asked)
        add_row(before_form, "Expected &discomfort:", self.messages.row(self.anticipated))
        add_row(before_form, "Chance of \"&no\":", self.messages.row(self.predicted))
        add_row(before_form, "Feelings &before:", with_counter(self.feelings_before))
        add_row(before_form, "&Worst case:", with_counter(self.worst_case))
        # Issue 21: the kind of entry, the way of asking, the fear and waiting for an answer
        self.experiment = BeforeExperimentForm(self.messages)
        self.experiment.add_rows(before_form, add_row)

        # After: the form the evening review shows too
        self.after = AfterHalfForm(open_label="Not yet — fill this in afterwards",
                                   feelings_label="Feelin&gs after:", messages=self.messages)
        after = QGroupBox("After")
        after_layout = QVBoxLayout(after)
        after_layout.addWidget(self.after)

        self.new_button = QPushButton("New entry")
        self.new_button.setToolTip("Start a new, empty entry (Ctrl+N)")
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
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.draft_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)

        for line in (self.ask, self.who_asked):
            line.textChanged.connect(self._changed)
        for text_box in (self.feelings_before, self.worst_case):
            text_box.textChanged.connect(self._changed)
        for rating in (self.anticipated, self.predicted):
            rating.textChanged.connect(self._changed)
            rating.textChanged.connect(
                lambda _text, rating=rating: self._show_rating_problem(rating))
        self.after.edited.connect(self._changed)
        self.experiment.edited.connect(self._changed)
        self.after.ratingChecked.connect(self._problem_fixed)
        self.attempted_on.dateChanged.connect(self._date_picked)
        self.attempted_on.dateChanged.connect(self._changed)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.newRequested)
        self.discard_draft_button.clicked.connect(self.discard_draft)
        self.keep_button.clicked.connect(
            lambda: self.keepAsChallengeRequested.emit(self.ask.text().strip()))
        self.ask.textChanged.connect(lambda _text: self._update_keep_button())
        for widget in self._inputs():
            widget.installEventFilter(self)

        # (the draft a last run left stays until restore_draft() has had its chance)
        self._fill(None, None, keep_draft=True)
        self._focus(self.ask)

    # -- construction helpers ------------------------------------------------------------------
    def _ratings(self) -> tuple[RatingEdit, ...]:
        return (self.anticipated, self.predicted, self.experiment.fear_likelihood,
                *self.after.ratings())

    def _inputs(self) -> tuple[QWidget, ...]:
        """Every input, in the order they are shown."""
        return (self.ask, self.attempted_on, self.who_asked, self.anticipated, self.predicted,
                self.feelings_before, self.worst_case, *self.experiment.inputs(),
                *self.after.inputs())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._dirty:
            self.write_draft()  # leaving a field keeps what it holds at once
        return super().eventFilter(watched, event)

    @property
    def _draft_written(self) -> bool:
        """A draft of this form may be in the journal (written here, or left by a last run)."""
        return self.draft.written

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

    def form_state(self) -> dict[str, Any]:
        """Everything the form holds, as typed (hidden fields included): what "unsaved" and
        a draft compare and keep."""
        return {
            "ask": self.ask.text(),
            "attempted_on": self.attempted_on.date().toString(Qt.DateFormat.ISODate),
            "who_asked": self.who_asked.text(),
            "anticipated": self.anticipated.text(),
            "predicted": self.predicted.text(),
            "feelings_before": self.feelings_before.toPlainText(),
            "worst_case": self.worst_case.toPlainText(),
            **self.experiment.state(),
            **self.after.state(),
            "challenge_uuid": self._challenge_uuid,
        }

    def _set_form_state(self, state: dict[str, Any]) -> None:
        self.ask.setText(str(state.get("ask", "")))
        day = QDate.fromString(str(state.get("attempted_on", "")), Qt.DateFormat.ISODate)
        if day.isValid():
            self.attempted_on.setDate(day)
        self.who_asked.setText(str(state.get("who_asked", "")))
        for name in ("anticipated", "predicted"):
            getattr(self, name).setText(str(state.get(name, "")))
        for name in ("feelings_before", "worst_case"):
            getattr(self, name).setPlainText(str(state.get(name, "")))
        self.experiment.set_state(state)
        self.after.set_state(state)
        self._challenge_uuid = state.get("challenge_uuid")

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        dirty = self.form_state() != self._saved_state
        if dirty:
            self.draft.schedule()
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)
            if not dirty:
                self.draft.stop()
                self.discard_draft()

    def day_changed(self) -> None:
        """A new day began while the app was open: an untouched new entry takes the new date
        (one the user is writing, or picked a date for, keeps what it shows)."""
        if self._record is not None or self._dirty or self._date_was_picked:
            return
        self._loading = True
        try:
            self.attempted_on.setDate(_to_qdate(self._service.today()))
        finally:
            self._loading = False
        self._set_clean()

    def _set_clean(self) -> None:
        """What the form shows now counts as saved."""
        self._saved_state = self.form_state()
        self.draft.stop()
        changed = self._dirty
        self._dirty = False
        if changed:
            self.dirtyChanged.emit(False)

    def _show_rating_problem(self, rating: RatingEdit, problem: str | None = None) -> None:
        self.messages.show(rating, problem)
        self._problem_fixed()

    def _show_date_problem(self, problem: str) -> None:
        """What was typed in the date is not a date (or was refused): said beside it."""
        self.date_message.setText(problem + "." if problem else "")
        self.date_message.setVisible(bool(problem))

    def _problem_fixed(self) -> None:
        if self.error_label.isVisible() and not self.messages.any_shown():
            self.error_label.hide()  # the problem it named is fixed

    # -- loading ---------------------------------------------------------------------------
    def start_new(self, challenge: ChallengeRecord | None) -> None:
        """Clear the form for a new attempt, optionally for ``challenge``; the cursor goes to
        the first field to fill in, so the first key typed lands there."""
        self._fill(None, challenge)
        target = self.ask if challenge is None else self.anticipated
        self._focus(target)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_area.ensureWidgetVisible(widget)

    def load(self, record: AttemptRecord) -> None:
        self._fill(record, None)

    def _fill(self, record: AttemptRecord | None, challenge: ChallengeRecord | None, *,
              keep_draft: bool = False) -> None:
        self._loading = True
        try:
            self._record = record
            self._date_was_picked = False
            self.error_label.hide()
            self.messages.hide_all()
            if record is None:
                self._set_form_state({
                    "ask": challenge.title if challenge else "",
                    "attempted_on": self._service.today().isoformat(),
                    "challenge_uuid": challenge.uuid if challenge else None,
                    **BeforeExperimentForm.state_of(AttemptRecord(
                        ask="-", attempted_on=self._service.today())),
                })
                title = "New entry" + (f" — level {challenge.level}" if challenge else "")
            else:
                self._set_form_state(_state_of(record))
                day = record.attempted_on
                title = f"Entry of {day_text(day)}"
                if record.is_open:
                    title += " — the after half is still open"
            self._update_challenge_label()
            self.heading.setText(f"<h3>{title}</h3>")
        finally:
            self._loading = False
        self._set_clean()
        if not keep_draft:
            self.discard_draft()

    def _update_challenge_label(self) -> None:
        """Name the entry's challenge and level, or say it is a free-form ask (which can be
        kept as one of the user's own challenges)."""
        challenge = (self._service.challenge(self._challenge_uuid)
                     if self._challenge_uuid is not None else None)
        self._free_form = challenge is None
        if challenge is None:
            self.challenge_label.setText("Challenge: <b>Free-form ask</b>")
            self.challenge_label.setToolTip("")
        else:
            self.challenge_label.setText(
                f"Challenge: <b>{escape(challenge.title, quote=False)}</b> · "
                f"level {challenge.level} · {escape(challenge.category.label)}")
            self.challenge_label.setToolTip(challenge.how_to)
        self._update_keep_button()

    def _update_keep_button(self) -> None:
        """"Keep as my challenge…" is offered for a free-form ask that has some words."""
        self.keep_button.setVisible(self._free_form and not self._read_only
                                    and bool(self.ask.text().strip()))

    def set_challenge(self, challenge: ChallengeRecord) -> None:
        """Make the entry one of ``challenge`` (after a free-form ask was kept as one); the
        form then differs from what is saved until it is saved."""
        self._challenge_uuid = challenge.uuid
        self._update_challenge_label()
        self._changed()

    def set_read_only(self, reason: str) -> None:
        """The journal cannot be written: Save is off (the form can still be read and copied)."""
        self._read_only = True
        self._update_keep_button()
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(f"Not available: this journal is read-only because {reason}.")

    # -- drafts ----------------------------------------------------------------------------
    def write_draft(self) -> None:
        """Keep what the user changed in the form (nothing to keep when it is saved as is).

        Only the fields changed since the entry was loaded are kept, with the form as loaded
        and the entry's revision then: brought back after something else changed the entry
        (an import), the draft changes only what the user changed (see
        :meth:`restore_draft`)."""
        self.draft.stop()
        if self._read_only or not self._dirty:
            return
        revision = self._service.revision(self._record) if self._record is not None else None
        try:
            self.draft.write(self.form_state(), self._saved_state, self.current_uuid, revision)
        except StorageError as exc:
            self.error_label.setText(f"Your text could not be kept as a draft: {exc}")
            self.error_label.show()

    def discard_draft(self) -> None:
        self.draft_bar.hide()
        if not self._read_only:
            self.draft.discard()

    def restore_draft(self) -> bool:
        """Bring back the draft the last run left (after a crash, kill or logout); True if
        there was one.  The form shows the entry as saved now with the fields the user had
        changed put back, and counts as unsaved.  When the entry changed since the draft was
        written (an import), the notice names those fields, and where the user had changed
        one too, quotes the saved text: nothing is reverted or lost unseen."""
        draft = self.draft.read()
        if draft is None:
            return False
        entry_uuid, changes = draft.entry_uuid, draft.changes
        record = self._service.attempt(entry_uuid) if entry_uuid else None
        current = _state_of(record) if record is not None else draft.base
        changed_since = (draft.changed_since(current, self._service.revision(record))
                         if record is not None else [])
        self._loading = True
        try:
            self._record = record
            self._set_form_state(draft.over(current))
            self._update_challenge_label()
            what = "an entry" if record is not None else "a new entry"
            self.heading.setText("<h3>Brought back</h3>")
        finally:
            self._loading = False
        self._saved_state = current
        self._dirty = False
        self._changed()
        for rating in self._ratings():
            self._show_rating_problem(rating)
        notice = (f"This is what you were writing in {what} when the app last closed. Save "
                  "it, or discard it.")
        if entry_uuid and record is None:
            notice += " The entry has been deleted since; saving keeps this as a new entry."
        notice += self._changed_since_note(changed_since, changes, current)
        self.draft_notice.setText(notice)
        self.draft_bar.show()
        return True

    def _changed_since_note(self, changed_since: list[str], changes: dict[str, Any],
                            current: dict[str, Any]) -> str:
        """What the notice adds when the saved entry changed after the draft was written."""
        if not changed_since:
            return ""
        theirs = [name for name in changed_since if name not in changes]
        both = [name for name in changed_since if name in changes]
        note = ""
        if theirs:
            note += (f" Since then the saved entry changed in {_names(theirs)}: "
                     f"{'that shows' if len(theirs) == 1 else 'those show'} the saved version.")
        for name in both:
            note += (f" {_STATE_LABELS.get(name, name)} changed there too; your draft's text "
                     f"is shown, and the saved one is “{_quoted(current.get(name))}”.")
        if both:
            note += " Saving keeps the saved version in the entry's history."
        return note

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

    def _rating_problems(self) -> list[tuple[RatingEdit, str]]:
        """Visible ratings whose text is not acceptable, in the order they are shown."""
        return self.messages.problems(self._ratings(), self)

    def record_from_form(self) -> AttemptRecord:
        """Build (and validate) the record the form currently shows; hidden fields are left
        out (kept in the form, not stored)."""
        values: dict[str, Any] = {
            "ask": self.ask.text().strip(),
            "attempted_on": self._form_date(),
            "challenge_uuid": self._challenge_uuid,
            "who_asked": self.who_asked.text().strip(),
            "anticipated_discomfort": self.anticipated.value(),
            "predicted_no_chance": self.predicted.value(),
            "feelings_before": self.feelings_before.toPlainText(),
            "worst_case": self.worst_case.toPlainText(),
            **self.after.values(),
        }
        values.update(self.experiment.values(answered=values["outcome"] is not None))
        if self._record is None:
            return AttemptRecord(**values).validated()
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
        problems = self._rating_problems()
        if problems:
            for rating, problem in problems:
                self._show_rating_problem(rating, problem)
            first, problem = problems[0]
            name = self.field_label(first)
            more = f" (and {len(problems) - 1} more, marked below)" if len(problems) > 1 else ""
            self.error_label.setText(f"Not saved yet — {name}: {problem}{more}.")
            self.error_label.show()
            self._focus(first)
            return None
        try:
            record = self.record_from_form()
            if not self._boundary_ok(record):
                return None
            record = self._service.save(record)
        except ValidationError as exc:
            self._show_error(f"Not saved yet — {exc.label}: {exc.message}.", exc.attribute)
            return None
        except StorageError as exc:
            self._show_error(f"Not saved — {exc} Your text is still here.", None)
            return None
        self.load(record)
        self.saved.emit(record)
        return record

    def _boundary_ok(self, record: AttemptRecord) -> bool:
        """The boundary guard: if the person this entry names said no to a similar ask
        before, remind the user gently (a no is the end of that ask) and let them choose.
        True to go on saving.  An edit that leaves who, what and the challenge as they were
        saved is not asked about again."""
        if not record.who_asked.strip():
            return True
        saved = self._record
        if saved is not None and (saved.who_asked, saved.ask, saved.challenge_uuid) == (
                record.who_asked, record.ask, record.challenge_uuid):
            return True
        earlier = self._service.boundary_reminder(record)
        if earlier is None:
            return True
        day = earlier.attempted_on
        text = (f"On {day_text(day)}, {earlier.person.strip()} said no when you asked "
                f"“{earlier.ask.strip()}”. A no is the end of that ask: thank them in your "
                "mind and let it go — there are plenty of other people and other asks.\n\n"
                "If this is a different ask, or you are writing down what already happened, "
                "you can save it.")
        return self._dialogs.boundary_reminder(text)

    def field_label(self, widget: QWidget) -> str:
        for attribute, target in self._targets().items():
            if target is widget:
                return label_of(attribute)
        return widget.accessibleName()

    def _targets(self) -> dict[str, QWidget]:
        return {
            "ask": self.ask,
            "attempted_on": self.attempted_on,
            "who_asked": self.who_asked,
            "anticipated_discomfort": self.anticipated,
            "predicted_no_chance": self.predicted,
            "feelings_before": self.feelings_before,
            "worst_case": self.worst_case,
            **self.experiment.targets(),
            **self.after.targets(),
        }

    def _show_error(self, text: str, attribute: str | None) -> None:
        """Show ``text`` and focus the widget of the record's ``attribute`` (if it has one)."""
        self.error_label.setText(text)
        self.error_label.show()
        target = self._targets().get(attribute or "")
        if target is not None:
            self._focus(target)


def _state_of(record: AttemptRecord) -> dict[str, Any]:
    """The form state that shows ``record``."""
    return {
        "ask": record.ask,
        "attempted_on": min(max(record.attempted_on, DATE_MIN), DATE_MAX).isoformat(),
        "who_asked": record.who_asked,
        "anticipated": _rating_text(record.anticipated_discomfort),
        "predicted": _rating_text(record.predicted_no_chance),
        "feelings_before": record.feelings_before,
        "worst_case": record.worst_case,
        **BeforeExperimentForm.state_of(record),
        **AfterHalfForm.state_of(record),
        "challenge_uuid": record.challenge_uuid,
    }


def _rating_text(value: int | None) -> str:
    return "" if value is None else str(value)


#: the labels of the form's fields, by their name in :meth:`AttemptEditor.form_state`
_STATE_LABELS = {
    name: label_of(attribute) for name, attribute in {
        "ask": "ask", "attempted_on": "attempted_on", "who_asked": "who_asked",
        "anticipated": "anticipated_discomfort", "predicted": "predicted_no_chance",
        "feelings_before": "feelings_before", "worst_case": "worst_case",
        **{name: name for name in BeforeExperimentForm.state_of(
            AttemptRecord(ask="x", attempted_on=DATE_MIN))},
        **STATE_ATTRIBUTES, "challenge_uuid": "challenge_uuid",
    }.items()
}


def _names(fields: list[str]) -> str:
    labels = [_STATE_LABELS.get(name, name) for name in fields]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _quoted(value: object, limit: int = 160) -> str:
    """A saved value, on one line and elided, to quote in the notice."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _to_date(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
