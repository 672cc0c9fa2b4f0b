"""*Journal ▸ Make a report…* (issue 25): the dialog's choices, what it says goes in, and the
PDF it saves through the Dialogs seam."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.report_dialog import ReportDialog
from tests.gui.conftest import FakeDialogs

TODAY = date(2026, 11, 24)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def _entry(day: int, *, category: Category = Category.EVERYDAY, reflection: str = "",
           who: str = "") -> AttemptRecord:
    challenge = next(c for c in builtin_challenges() if c.category is category)
    return AttemptRecord(ask=challenge.title, attempted_on=date(2026, 11, day),
                         challenge_uuid=challenge.uuid, anticipated_discomfort=7,
                         predicted_no_chance=60, outcome=Outcome.NO, actual_discomfort=3,
                         reflection=reflection, lesson="Breathe first." if reflection else "",
                         who_asked=who)


def _open(qtbot, window: MainWindow) -> ReportDialog:
    window.report_action.trigger()
    dialog = window.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    return dialog


def test_choices_preview_and_save(qtbot, window: MainWindow, dialogs: FakeDialogs,
                                  tmp_path: Path) -> None:
    for day in (2, 5, 9, 12):
        window.service.save(_entry(day))
    window.service.save(_entry(14, reflection="The clerk was kind about it", who="Sam Reed"))
    window.service.save(_entry(16, category=Category.SOCIAL, reflection="A warm chat",
                               who="Ana"))
    dialog = _open(qtbot, window)

    # Private by default: nothing ticked, no names, numbers only.
    choice = dialog.choice()
    assert choice.entry_uuids == () and not choice.include_names
    assert (choice.flt.since, choice.flt.until) == (date(2026, 8, 26), TODAY)
    assert "no words you wrote go in" in dialog.preview.toPlainText()
    assert not dialog.names.isEnabled()
    assert dialog.entries.count() == 2

    # Tick the first entry with the keyboard, then the names.
    dialog.entries.setFocus()
    dialog.entries.setCurrentRow(0)
    qtbot.keyClick(dialog.entries, Qt.Key.Key_Space)
    assert dialog.entries.item(0).checkState() == Qt.CheckState.Checked
    assert dialog.names.isEnabled()
    preview = dialog.preview.toPlainText()
    assert "reflections and lessons of 1 ticked entry" in preview
    assert "Names of the people asked: not included." in preview
    dialog.names.click()
    assert dialog.choice().include_names
    assert "Names of the people asked: Sam Reed" in dialog.preview.toPlainText()

    # A category leaves the other entry out of the list (and the report).
    dialog.category.setCurrentIndex(dialog.category.findData(Category.SOCIAL.value))
    assert dialog.choice().flt.category == "social"
    assert dialog.entries.count() == 1 and dialog.choice().entry_uuids == ()
    dialog.category.setCurrentIndex(0)
    assert dialog.choice().entry_uuids != (), "the tick is remembered"

    dialogs.save_paths.append(tmp_path / "november")  # ".pdf" is added
    saved = dialog.save()
    assert saved == tmp_path / "november.pdf"
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    # the page count the preview promised: the first page, the charts, the reflections
    assert f"About {pages} pages" in dialog.preview.toPlainText() and pages > 2
    assert dialog.status.text().startswith(f"Saved {pages} pages to")


def test_an_empty_period_cannot_be_saved_and_the_journal_is_refused(
        qtbot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path) -> None:
    window.service.save(_entry(14, reflection="Kept to myself"))
    dialog = _open(qtbot, window)
    dialog.until.setDate(QDate(2026, 1, 31))
    dialog.since.setDate(QDate(2026, 1, 1))
    assert not dialog.save_button.isEnabled()
    assert "Nothing to report" in dialog.preview.toPlainText()
    dialog.since.setDate(QDate(2026, 11, 1))
    dialog.until.setDate(QDate(2026, 11, 30))
    assert dialog.save_button.isEnabled()
    sneaky = tmp_path / "sneaky.pdf"
    sneaky.symlink_to(window.service.path)
    dialogs.save_paths.append(sneaky)
    assert dialog.save() is None
    assert dialogs.errors and "journal's own files" in dialogs.errors[-1][1]
    dialog.close()
    assert window.report_dialog is None


def test_a_name_without_pdf_never_replaces_a_file_unasked(
        qtbot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path) -> None:
    window.service.save(_entry(12))
    existing = tmp_path / "autumn.pdf"
    existing.write_bytes(b"my own file")
    dialog = _open(qtbot, window)
    # typed "autumn": the file dialog asked about "autumn", the report would go to autumn.pdf
    dialogs.save_paths.append(tmp_path / "autumn")
    dialogs.confirm_answers.append(False)
    assert dialog.save() is None
    assert existing.read_bytes() == b"my own file"
    assert dialogs.confirmations and "autumn.pdf" in dialogs.confirmations[-1]
    dialogs.save_paths.append(tmp_path / "autumn")
    dialogs.confirm_answers.append(True)
    assert dialog.save() == existing
    assert existing.read_bytes().startswith(b"%PDF")
