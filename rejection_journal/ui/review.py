"""The evening review: one open entry at a time, its after half, then a short summary.

:class:`ReviewDialog` is the passive view of :class:`~rejection_journal.services.review.
ReviewController` (it shows what it is told and reports Next / Skip / Done); the controller
decides the order and saves.  Keyboard only works: Enter or Ctrl+Enter is Next (it saves),
Alt+S skips, Esc ends the review.  Nothing typed is lost: a refused save names the problem
beside the field and keeps the text; leaving with unsaved text asks first; and what is typed
is kept as a draft in the journal (key ``review``) until it is saved, so a crash loses nothing.

:class:`OpenEntriesButton` is the status bar's "3 open entries — review" (hidden at 0).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.records import AttemptRecord, ValidationError
from rejection_journal.domain.review import EveningSummary, evening_headline
from rejection_journal.services import JournalService, StorageError
from rejection_journal.services.review import ReviewController
from rejection_journal.ui.after_form import AfterHalfForm, ShowsAfterHalf
from rejection_journal.ui.appearance import set_palette_style, set_toned_style
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.dialogs import Dialogs, UnsavedChoice
from rejection_journal.ui.drafts import FormDraft
from rejection_journal.ui.form_widgets import RatingEdit, RatingMessages

#: the key of the review's draft in the journal (the editor's is "editor")
DRAFT_KEY = "review"


def open_entries_text(count: int) -> str:
    return f"{count} open entr{'y' if count == 1 else 'ies'} — review"


class OpenEntriesButton(QPushButton):
    """A quiet status-bar button naming how many entries wait for their after half; hidden
    when none do.  Clicking it starts the review."""

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openEntriesButton")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Step through the entries still waiting for their after half (Ctrl+R)")
        self._service = service
        self.count = 0
        self.refresh()

    def refresh(self) -> None:
        self.count = self._service.open_count()
        self.setText(open_entries_text(self.count))
        self.setAccessibleName(self.text())
        self.setVisible(self.count > 0)


def _tile(number: str, caption: str) -> str:
    return (f'<td align="center" style="padding: 6px 18px;"><span style="font-size: 22pt;">'
            f"<b>{number}</b></span><br>{caption}</td>")


def _summary_html(summary: EveningSummary, still_open: int) -> str:
    """The evening in a few numbers and warm sentences (never a score, never a streak)."""
    parts = [f"<p>{line}</p>" for line in evening_headline(summary)]
    if not summary.is_empty:
        gap = summary.mean_gap
        tiles = [_tile(str(summary.attempts), "asks reflected on"),
                 _tile(str(summary.nos), "no’s collected")]
        if gap is not None:
            tiles.append(_tile(f"{abs(gap):.1f}", "points " + (
                "easier than expected" if gap >= 0 else "harder than expected")))
        parts.append(f'<table align="center"><tr>{"".join(tiles)}</tr></table>')
    if summary.finished or summary.written:
        parts.append("<p>Thank you for taking the time tonight.</p>")
    if not summary.is_empty:
        gap = summary.mean_gap
        if summary.nos:
            parts.append("<p>Each “no” is practice in hearing it — and you came through.</p>")
        else:
            parts.append("<p>No “no” tonight. Asking was the brave part.</p>")
        if gap is not None:
            if gap >= 0.5:
                parts.append("<p>It felt easier than you feared: the fear was bigger than the "
                             "moment itself.</p>")
            elif gap <= -0.5:
                parts.append("<p>It felt harder than you expected. That is worth knowing; be "
                             "kind to yourself about it, and a smaller step next time is a "
                             "fine choice.</p>")
            else:
                parts.append("<p>It felt about as you expected: your predictions are getting "
                             "calibrated.</p>")
    if summary.lesson:
        lesson = (summary.lesson.replace("&", "&amp;").replace("<", "&lt;")
                  .replace(">", "&gt;"))
        parts.append(f"<p>A lesson to keep:</p><blockquote><i>“{lesson}”</i></blockquote>")
    if still_open:
        entries = (f"{still_open} entry is still open; it" if still_open == 1
                   else f"{still_open} entries are still open; they")
        parts.append(f"<p>{entries} will keep for another evening.</p>")
    return "".join(parts)


def experiment_lines(record: AttemptRecord) -> str:
    """What the review's before text adds for issue 21: the fear named, and for an entry
    that waited for an answer the follow-up question."""
    text = ""
    if record.feared_outcome.strip():
        fear = (record.feared_outcome.strip().replace("&", "&amp;").replace("<", "&lt;")
                .replace(">", "&gt;"))
        likely = ("" if record.fear_likelihood is None
                  else f" — it felt {record.fear_likelihood} % likely")
        text += f"<br>What you feared would happen: <i>{fear}</i>{likely}"
    if record.is_waiting:
        text += ("<br><b>Did you hear back?</b> Choose what the answer was — or "
                 "“No response” if none came.")
    return text


class ReviewDialog(ShowsAfterHalf, QDialog):
    """The review window (a :class:`~rejection_journal.services.review.ReviewView`)."""

    #: an entry was saved (the stored record)
    saved = Signal(object)
    #: the review window closed
    finished_review = Signal()

    def __init__(self, service: JournalService, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setWindowTitle("Evening review")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._service = service
        self._dialogs = dialogs
        self._today = service.today
        self.controller = ReviewController(service, self, self._today())
        self._record: AttemptRecord | None = None
        self._loaded_state: dict[str, Any] = {}
        self._closing = False
        #: filling the form from an entry: its changes are not the user's typing
        self._loading = False
        self.summary: EveningSummary | None = None
        self.draft = FormDraft(service, DRAFT_KEY, self.write_draft, self)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_entry_page())
        self.pages.addWidget(self._build_summary_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.resize(620, 720)

        for shortcut in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(shortcut), self, self._ctrl_enter)

    # -- construction ----------------------------------------------------------------------------
    def _build_entry_page(self) -> QWidget:
        page = QWidget()
        self.progress = QLabel()
        self.progress.setObjectName("reviewProgress")
        set_palette_style(self.progress, "color: palette(mid);")
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.before = QLabel()
        self.before.setObjectName("reviewBefore")
        self.before.setTextFormat(Qt.TextFormat.RichText)
        self.before.setWordWrap(True)
        self.draft_notice = QLabel("Brought back what you were writing here last time.")
        self.draft_notice.setObjectName("reviewDraftNotice")
        set_toned_style(self.draft_notice, "background: {ok_bg}; color: {ok_fg}; "
                        "border-radius: 4px; padding: 4px 6px;")
        self.draft_notice.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("reviewError")
        self.error_label.setWordWrap(True)
        set_toned_style(self.error_label, "QLabel#reviewError {{ background: {error_bg}; "
                        "color: {error_fg}; border-radius: 4px; padding: 6px; }}")
        self.error_label.hide()

        self.messages = RatingMessages()
        self.field_errors = self.messages.labels
        # the after half: the form the editor shows too
        self.after = AfterHalfForm(open_label="Not yet — leave it open",
                                   feelings_label="&Feelings after:", messages=self.messages)
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.after)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        self.scroll_area = scroll

        self.next_button = QPushButton("&Next")
        self.next_button.setToolTip("Save this entry and go on (Enter or Ctrl+Enter)")
        self.skip_button = QPushButton("&Skip")
        self.skip_button.setToolTip("Leave this entry open for another time (Alt+S)")
        self.done_button = QPushButton("&Done")
        self.done_button.setToolTip("End the review here (Esc)")
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        for button in (self.skip_button, self.done_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.heading)
        layout.addWidget(self.before)
        layout.addSpacing(6)
        layout.addWidget(self.draft_notice)
        layout.addWidget(self.error_label)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        self.after.edited.connect(self._changed)
        for widget in self._inputs():
            widget.installEventFilter(self)
        self.next_button.clicked.connect(self.next_entry)
        self.skip_button.clicked.connect(self.skip_entry)
        self.done_button.clicked.connect(self.finish)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        title = QLabel("<h2>Your evening</h2>")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("reviewSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.close_button = QPushButton("Close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(self.summary_label, 1)
        layout.addLayout(row)
        return page

    def _ratings(self) -> tuple[RatingEdit, ...]:
        return self.after.ratings()

    def _inputs(self) -> tuple[QWidget, ...]:
        return self.after.inputs()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and not self._loading and self.is_dirty:
            self.write_draft()  # leaving a field keeps what it holds at once
        return super().eventFilter(watched, event)

    # -- the form ----------------------------------------------------------------------------
    def form_state(self) -> dict[str, Any]:
        return self.after.state()

    @property
    def is_dirty(self) -> bool:
        return self._record is not None and self.form_state() != self._loaded_state

    def _changed(self, *_args: object) -> None:
        if not self._loading and self.is_dirty:
            self.draft.schedule()

    def record_from_form(self) -> AttemptRecord:
        """The entry with its after half as the form shows it (hidden fields left out); an
        answer ends a wait for one."""
        assert self._record is not None
        return self._record.replace(**self.after.values()).answered().validated()

    def _targets(self) -> dict[str, QWidget]:
        return self.after.targets()

    def _show_error(self, text: str, target: QWidget | None) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.scroll_area.ensureWidgetVisible(target)

    # -- ReviewView ------------------------------------------------------------------------------
    def start(self) -> int:
        """Begin the review (shows the first open entry, or straight away the summary)."""
        return self.controller.start()

    def show_entry(self, record: AttemptRecord, position: int, total: int) -> None:
        self.draft.stop()
        self._loading = True
        try:
            self._record = record
            self._loaded_state = self.after.state_of(record)
            self.after.set_state(self._loaded_state)
            self.error_label.hide()
            self.messages.hide_all()
            self.draft_notice.setVisible(self._restore_draft(record))
        finally:
            self._loading = False
        day = record.attempted_on
        when = "Today" if day == self._today() else day_text(day)
        self.progress.setText(f"Entry {position} of {total}")
        ask = record.ask.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        self.heading.setText(f"<h3>{ask}</h3>")
        before = [when]
        if record.anticipated_discomfort is not None:
            before.append(f"you expected {record.anticipated_discomfort}/10 discomfort")
        if record.predicted_no_chance is not None:
            before.append(f"a {record.predicted_no_chance} % chance of “no”")
        text = " · ".join(before)
        if record.worst_case.strip():
            worst = (record.worst_case.strip().replace("&", "&amp;").replace("<", "&lt;")
                     .replace(">", "&gt;"))
            text += f"<br>The worst case you imagined: <i>{worst}</i>"
        text += experiment_lines(record)
        self.before.setText(text)
        self.pages.setCurrentIndex(0)
        self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(self.outcome)

    def show_summary(self, summary: EveningSummary) -> None:
        self._record = None
        self.draft.stop()
        self.summary = summary
        self.summary_label.setText(_summary_html(summary, self._service.open_count()))
        self.pages.setCurrentIndex(1)
        self.resize(self.width(), min(self.height(), self.sizeHint().height() + 60))
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- Next / Skip / Done ---------------------------------------------------------------------
    def next_entry(self) -> bool:
        """Save the after half and go on; on a problem, say what and where and stay."""
        if self._record is None:
            return False
        problems = self.messages.problems(self._ratings(), self)
        if problems:
            for rating, problem in problems:
                self.messages.show(rating, problem)
            first, problem = problems[0]
            self._show_error(f"Not saved yet — {first.accessibleName()}: {problem}.", first)
            return False
        uuid = self._record.uuid
        try:
            stored = self.controller.next(self.record_from_form())
        except ValidationError as exc:
            self._show_error(f"Not saved yet — {exc.label}: {exc.message}.",
                             self._targets().get(exc.attribute))
            return False
        except StorageError as exc:
            self._show_error(f"Not saved — {exc} Your text is still here.", None)
            return False
        self._forget_draft(uuid)
        self.saved.emit(stored)
        return True

    def skip_entry(self) -> None:
        """Leave this entry open for another evening (asking first about unsaved text)."""
        if self._record is None:
            return
        if self.is_dirty:
            choice = self._ask_unsaved("skipping it")
            if choice is UnsavedChoice.SAVE:
                self.next_entry()  # saved, and on to the next (or stays, naming a problem)
                return
            if choice is UnsavedChoice.CANCEL:
                return
        self._forget_draft(self._record.uuid)
        self.controller.skip()

    def finish(self) -> None:
        """Done: end the review here (asking first about unsaved text), show the summary."""
        if self._record is None:
            if self.pages.currentIndex() == 1:
                self.accept()
            return
        if self.is_dirty:
            choice = self._ask_unsaved("ending the review")
            if choice is UnsavedChoice.CANCEL:
                return
            if choice is UnsavedChoice.SAVE and (not self.next_entry() or self._record is None):
                return  # a problem to fix first, or that was the last entry (summary shown)
        self._forget_draft(self._record.uuid)
        self.controller.done()

    def _ask_unsaved(self, doing: str) -> UnsavedChoice:
        assert self._record is not None
        return self._dialogs.ask_unsaved(f"the after half of “{self._record.ask}” before "
                                         f"{doing}")

    def _ctrl_enter(self) -> None:
        if self.pages.currentIndex() == 0:
            self.next_entry()
        else:
            self.accept()

    def reject(self) -> None:  # Esc and the window's close button
        if self._record is not None:
            self.finish()
        else:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._record is not None and not self._closing:
            event.ignore()
            self.finish()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._closing = True
        super().done(result)
        self.finished_review.emit()

    # -- drafts ----------------------------------------------------------------------------------
    def write_draft(self) -> None:
        """Keep the fields of the after half the user changed (see :mod:`~rejection_journal.
        ui.drafts`, the editor's mechanism), with the entry's revision."""
        self.draft.stop()
        if self._record is None or not self.is_dirty or self._service.read_only_reason:
            return
        try:
            self.draft.write(self.form_state(), self._loaded_state, self._record.uuid,
                             self._service.revision(self._record))
        except StorageError as exc:
            self._show_error(f"Your text could not be kept as a draft: {exc}", None)

    def _restore_draft(self, record: AttemptRecord) -> bool:
        """Put back what the user had changed in ``record``'s after half when the draft kept
        is of it: over the entry as saved now, so what changed elsewhere meanwhile stays."""
        draft = self.draft.read()
        if draft is None or draft.entry_uuid != record.uuid:
            return False
        self.after.set_state(draft.over(self._loaded_state))
        self.after.show_rating_problems()
        return True

    def _forget_draft(self, uuid: str) -> None:
        """Entry ``uuid`` is saved, skipped or let go: its draft (if the one kept is its) goes.
        (The review may already show the next entry, with a draft of its own.)"""
        if self._record is None or self._record.uuid == uuid:
            self.draft.stop()
        self.draft.discard(uuid, only_of=True)
