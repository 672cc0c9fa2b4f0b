"""Challenge runs, calmly: start a 30- or 100-day run (on the chosen ladder or on anything),
see which day of it it is, on how many days you tried, the asks made and the no's collected,
and end it.  A missed day is fine: nothing here counts consecutive days or resets.

The numbers come from the domain's ``run_progress`` through the service.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.runs import RunProgress, RunRecord
from rejection_journal.services import JournalService, StorageError
from rejection_journal.ui.appearance import set_palette_style
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.dialogs import Dialogs

NO_RUN_TEXT = ("A run is 30 or 100 days of practice at your own pace. Days without an ask "
               "are fine; every ask counts.")


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def progress_html(progress: RunProgress, ladder_goal: str | None) -> str:
    """Two calm lines: which day of the run, then the attempts, asks and no's so far."""
    run = progress.run
    scope = f" on “{escape(ladder_goal, quote=False)}”" if ladder_goal else ""
    if progress.day == 0:
        head = f"Your {progress.length_days}-day run{scope} starts on {day_text(run.started_on)}."
    elif progress.finished:
        head = f"<b>{progress.length_days}-day run{scope}: finished</b>"
    else:
        head = f"<b>Day {progress.day} of {progress.length_days}</b> · run{scope}"
    body = (f"{_count(progress.days_with_attempt, 'day')} with an attempt · "
            f"{_count(progress.asks_made, 'ask')} made · "
            f"{_count(progress.nos, 'no', 'no’s')} collected")
    if progress.planned:
        body += f" · {progress.planned} planned"
    return f"{head}<br>{body}"


class RunPanel(QFrame):
    """The run going on today (or how to start one); ``message`` notes for the status bar.

    ``ladder_uuid`` returns the ladder shown beside it (a new run may be on that ladder)."""

    message = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None,
                 ladder_uuid: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        set_palette_style(self, "QFrame#runPanel { background: palette(alternate-base); "
                                "border-radius: 6px; }")
        self._service = service
        self._dialogs = dialogs or Dialogs(self)
        self._ladder_uuid = ladder_uuid or (lambda: None)
        self._run: RunRecord | None = None

        heading = QLabel("Challenge run")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("runProgress")
        self.progress_label.setWordWrap(True)
        self.progress_label.setTextFormat(Qt.TextFormat.RichText)
        self.on_ladder = QCheckBox("On this ladder")
        self.on_ladder.setToolTip("Count only the entries on the ladder shown above")
        self.start30_button = QPushButton("30-day run")
        self.start30_button.setToolTip("Start a 30-day run today")
        self.start100_button = QPushButton("100-day run")
        self.start100_button.setToolTip("Start a 100-day run today")
        self.end_button = QPushButton("End run")
        self.end_button.setToolTip("End this run today; its entries stay")

        self.start_row = QWidget()
        start_layout = QHBoxLayout(self.start_row)
        start_layout.setContentsMargins(0, 0, 0, 0)
        start_layout.addWidget(self.start30_button)
        start_layout.addWidget(self.start100_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.end_button)
        layout.addLayout(top)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.on_ladder)
        layout.addWidget(self.start_row)

        self.start30_button.clicked.connect(lambda: self.start(30))
        self.start100_button.clicked.connect(lambda: self.start(100))
        self.end_button.clicked.connect(self.end)
        if service.read_only_reason is not None:
            for widget in (self.start30_button, self.start100_button, self.end_button,
                           self.on_ladder):
                widget.setEnabled(False)
        self.refresh()

    @property
    def run(self) -> RunRecord | None:
        """The run going on today, if any."""
        return self._run

    def refresh(self) -> None:
        try:
            self._run = self._service.active_run()
            progress = None if self._run is None else self._service.run_progress(self._run)
        except StorageError as exc:
            self._run, progress = None, None
            self.progress_label.setText(escape(str(exc), quote=False))
        has_ladder = self._ladder_uuid() is not None
        self.on_ladder.setVisible(self._run is None and has_ladder)
        self.start_row.setVisible(self._run is None)
        self.end_button.setVisible(self._run is not None)
        if self._run is None or progress is None:
            if self._run is None:
                self.progress_label.setText(NO_RUN_TEXT)
            return
        goal = None
        if self._run.ladder_uuid is not None:
            ladder = self._service.ladder(self._run.ladder_uuid)
            goal = ladder.goal if ladder is not None else None
        self.progress_label.setText(progress_html(progress, goal))

    def progress_text(self) -> str:
        """What the progress line says, as plain text."""
        doc = self.progress_label.text().replace("<br>", "\n")
        for tag in ("<b>", "</b>"):
            doc = doc.replace(tag, "")
        return doc

    def start(self, length_days: int) -> RunRecord | None:
        ladder = self._ladder_uuid() if self.on_ladder.isChecked() else None
        try:
            run = self._service.start_run(length_days, ladder_uuid=ladder)
        except (StorageError, ValueError) as exc:
            self.message.emit(f"The run could not start: {exc}")
            return None
        self.refresh()
        self.message.emit(f"Your {length_days}-day run starts today. Go at your own pace.")
        return run

    def end(self) -> RunRecord | None:
        if self._run is None:
            return None
        if not self._dialogs.confirm("End this run?",
                                     "End this run today? Its entries stay in your journal.",
                                     "End run"):
            return None
        try:
            ended = self._service.end_run(self._run.uuid)
        except (StorageError, ValueError) as exc:
            self.message.emit(f"The run could not be ended: {exc}")
            return None
        self.refresh()
        self.message.emit("Run ended. Everything you tried is still in your journal.")
        return ended
