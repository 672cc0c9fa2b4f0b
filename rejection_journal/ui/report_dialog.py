"""*Journal ▸ Make a report…*: choose a period (and a category, a ladder), tick the entries
whose reflections go in and whether names do, see exactly what will go in, then save a PDF.

Private by default: nothing is ticked, so the report holds numbers only. The numbers and
the PDF come from ``services/report.py`` (the same as ``rejection-journal report``).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.chart_stats import ChartFilter
from rejection_journal.domain.enums import Category
from rejection_journal.services import JournalService, StorageError
from rejection_journal.services.report import (
    EmptyReportError,
    ReportChoice,
    gather_report,
    report_entries,
    save_report,
)
from rejection_journal.ui.accessible import label_combo_boxes
from rejection_journal.ui.dates import date_format, day_text
from rejection_journal.ui.dialogs import Dialogs

PDF_FILTER = "PDF document (*.pdf)"
#: the period a new report starts with: the last three months
DEFAULT_DAYS = 91
UUID_ROLE = Qt.ItemDataRole.UserRole


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


class ReportDialog(QDialog):
    """The report's choices, a preview of what goes in, and *Save report…*."""

    #: a report was written (its path)
    savedReport = Signal(Path)

    def __init__(self, service: JournalService, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.dialogs = dialogs
        self.setWindowTitle("Make a report")
        self.setMinimumSize(620, 640)
        today = service.today()
        intro = QLabel(
            "A few pages to keep, or to bring to someone you trust: what you tried, what you "
            "feared, what happened. Only numbers go in unless you tick entries below.")
        intro.setWordWrap(True)
        self.since = self._date_edit(today - timedelta(days=DEFAULT_DAYS - 1), "From")
        self.until = self._date_edit(today, "To")
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.addItem("All categories", None)
        for category in Category:
            self.category.addItem(category.label, category.value)
        self.ladder = QComboBox()
        self.ladder.setAccessibleName("Ladder")
        self.ladder.addItem("All ladders", None)
        for ladder in service.ladders():
            self.ladder.addItem(ladder.goal, ladder.uuid)
        period = QHBoxLayout()
        period.addWidget(self.since)
        period.addWidget(QLabel("to"))
        period.addWidget(self.until)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow("Period:", period)
        form.addRow("&Category:", self.category)
        form.addRow("&Ladder:", self.ladder)
        self.entries = QListWidget()
        self.entries.setAccessibleName("Entries whose reflection and lesson go in")
        self.entries_label = QLabel("&Reflections and lessons to include (tick entries):")
        self.entries_label.setBuddy(self.entries)
        self.names = QCheckBox("Include the &names of the people asked (ticked entries only)")
        self.names.setAccessibleName("Include the names of the people asked")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("What goes in")
        preview_label = QLabel("&What goes in:")
        preview_label.setBuddy(self.preview)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("&Save report…")
        self.save_button.setAccessibleName("Save report")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.entries_label)
        layout.addWidget(self.entries, 2)
        layout.addWidget(self.names)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        label_combo_boxes(self)
        self._ticked: set[str] = set()
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self._period_changed)
        self.category.currentIndexChanged.connect(self._period_changed)
        self.ladder.currentIndexChanged.connect(self.refresh_preview)
        self.entries.itemChanged.connect(self._ticks_changed)
        self.names.toggled.connect(self.refresh_preview)
        self._period_changed()

    def _date_edit(self, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_format())
        edit.setAccessibleName(name)
        return edit

    # -- the choices -----------------------------------------------------------------------------
    def flt(self) -> ChartFilter:
        return ChartFilter(_day(self.since), _day(self.until), self.category.currentData(),
                           self.ladder.currentData())

    def choice(self) -> ReportChoice:
        ticked = tuple(self.entries.item(row).data(UUID_ROLE)
                       for row in range(self.entries.count())
                       if self.entries.item(row).checkState() == Qt.CheckState.Checked)
        return ReportChoice(self.flt(), ticked, include_names=bool(ticked)
                            and self.names.isChecked())

    def _period_changed(self) -> None:
        self.entries.blockSignals(True)
        self.entries.clear()
        for entry in report_entries(self.service, self.flt()):
            has = " and ".join(w for w, text in (("a reflection", entry.reflection),
                                                 ("a lesson", entry.lesson)) if text)
            item = QListWidgetItem(f"{day_text(entry.day)} — {entry.ask} ({has})")
            item.setData(UUID_ROLE, entry.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if entry.uuid in self._ticked
                               else Qt.CheckState.Unchecked)
            self.entries.addItem(item)
        if not self.entries.count():
            self.entries.addItem(QListWidgetItem("No entry in this period has a reflection "
                                                 "or a lesson."))
        self.entries.blockSignals(False)
        self._ticks_changed()

    def _ticks_changed(self) -> None:
        for row in range(self.entries.count()):
            item = self.entries.item(row)
            uuid = item.data(UUID_ROLE)
            if uuid is None:
                continue
            if item.checkState() == Qt.CheckState.Checked:
                self._ticked.add(uuid)
            else:
                self._ticked.discard(uuid)
        self.names.setEnabled(bool(self.choice().entry_uuids))
        self.refresh_preview()

    # -- what goes in --------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        """Say exactly what the report will hold, in words."""
        choice = self.choice()
        try:
            data = gather_report(self.service, choice)
        except EmptyReportError as exc:
            self.preview.setPlainText(f"Nothing to report: {exc}.\n\nChoose a longer period "
                                      "or another category.")
            self.save_button.setEnabled(False)
            return
        s = data.summary
        lines = [f"Period: {s.period}" + (f", {Category(s.category).label} only"
                                          if s.category else ", all categories") + ".",
                 f"Page 1, in words: {s.entries:,} entries — {s.asks:,} asks, "
                 f"{s.no + s.no_response:,} no’s; discomfort expected and felt; how well "
                 "you predicted a no; your fear ladders"
                 + (f" ({', '.join(line.goal for line in s.ladders)})" if s.ladders else "")
                 + "; whether the journal suggests a pause."]
        if data.charts:
            lines.append("Then one page per chart: "
                         + ", ".join(chart.title for chart in data.charts) + ".")
        else:
            lines.append("No chart pages: too few finished asks in this period.")
        if data.entries:
            lines.append(f"Then the reflections and lessons of {len(data.entries):,} ticked "
                         "entr" + ("y" if len(data.entries) == 1 else "ies") + ":")
            lines += [f"  • {day_text(e.day)} — {e.ask}" for e in data.entries]
            names = sorted({e.who_asked for e in data.entries if e.who_asked})
            lines.append("Names of the people asked: " + (
                (", ".join(names) if names else "none written down") if data.include_names
                else "not included."))
        else:
            lines.append("No reflections, lessons or names: no words you wrote go in.")
        lines.append("Never included: feelings before and after, worst cases, and the "
                     "words of entries you did not tick.")
        pages = 1 + len(data.charts) + (1 if data.entries else 0)
        lines.append(f"About {pages:,} page{'s' if pages != 1 else ''} of A4, each with the "
                     "period and its page number.")
        self.preview.setPlainText("\n".join(lines))
        self.save_button.setEnabled(True)

    # -- saving ----------------------------------------------------------------------------------
    def suggested_path(self) -> Path:
        flt = self.flt()
        return Path.home() / f"rejection-journal-report-{flt.since}-to-{flt.until}.pdf"

    def save(self) -> Path | None:
        """Ask where (the file dialog asks before replacing a file), then write the PDF;
        refuses the journal's own files (the export rules)."""
        answer = self.dialogs.ask_save_path_and_type("Save report", self.suggested_path(),
                                                     PDF_FILTER)
        if answer is None:
            return None
        path = answer[0]
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
            # the file dialog asked about the name as typed, not this one: ask here
            if path.exists() and not self.dialogs.confirm(
                    "Replace file?", f"“{path.name}” already exists. Replace it with the "
                    "new report?", "Replace"):
                return None
        self.status.setText("Making the report…")
        self.save_button.setEnabled(False)
        self.status.repaint()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            saved = save_report(self.service, self.choice(), path, force=True)
        except (EmptyReportError, StorageError, OSError) as exc:
            self.status.setText("")
            self.dialogs.error("Report not saved", f"Could not write {path.name}: {exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
            self.save_button.setEnabled(True)
        self.status.setText(f"Saved {saved.pages:,} page{'s' if saved.pages != 1 else ''} "
                            f"to {saved.path}.")
        self.savedReport.emit(saved.path)
        return saved.path
