"""The editor shows and keeps an entry's date as it is, within the domain's accepted range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from rejection_journal.domain.records import DATE_MAX, DATE_MIN, AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.storage.models import Attempt
from rejection_journal.ui.main_window import MainWindow


def test_the_date_box_offers_exactly_the_domains_range(window: MainWindow) -> None:
    box = window.editor.attempted_on
    assert box.minimumDate() == QDate(DATE_MIN.year, DATE_MIN.month, DATE_MIN.day)
    assert box.maximumDate() == QDate(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day)


def test_an_entry_from_1998_is_shown_and_saved_with_its_own_date(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    record = journal.save_attempt(AttemptRecord(ask="Ask for a raise",
                                                attempted_on=date(1998, 6, 15)))
    editor = window.editor
    editor.load(record)
    assert editor.attempted_on.date() == QDate(1998, 6, 15)
    editor.lesson.setPlainText("Ask again next year.")
    with qtbot.waitSignal(editor.saved):
        editor.save()
    stored = journal.attempt(record.uuid)
    assert stored is not None
    assert stored.attempted_on == date(1998, 6, 15)
    assert stored.lesson == "Ask again next year."


def test_an_old_entry_dated_outside_the_range_is_not_silently_redated(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    record = journal.save_attempt(AttemptRecord(ask="Ask", attempted_on=date(2024, 1, 1)))
    # As an old journal may hold it, from before the range was enforced:
    Attempt.update(attempted_on=date(1, 1, 1)).where(Attempt.uuid == record.uuid).execute()
    reloaded = journal.attempt(record.uuid)
    assert reloaded is not None
    record = reloaded

    editor = window.editor
    editor.load(record)
    editor.lesson.setPlainText("Something learned.")
    assert editor.save() is None
    assert editor.error_label.isVisible()
    text = editor.error_label.text()
    assert "Date" in text and "1900-01-01" in text and "0001-01-01" in text
    assert journal.attempt(record.uuid) == record  # nothing changed
    assert editor.lesson.toPlainText() == "Something learned."  # nothing typed is lost

    # Picking a date saves it (even the end of the range the old date was shown at), with
    # the text typed before.
    editor.attempted_on.setDate(QDate(1900, 1, 2))
    editor.attempted_on.setDate(QDate(1900, 1, 1))
    with qtbot.waitSignal(editor.saved):
        editor.save()
    stored = journal.attempt(record.uuid)
    assert stored is not None
    assert stored.attempted_on == date(1900, 1, 1)
    assert stored.lesson == "Something learned."
