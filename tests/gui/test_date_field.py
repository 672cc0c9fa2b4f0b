"""The entry's date: Tab leaves it in one step, and nothing typed there becomes a date the
user did not mean without being shown and refused (issue 20)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from rejection_journal.ui.form_widgets import DateBox
from rejection_journal.ui.main_window import MainWindow


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _focus_ask(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.editor.ask.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(window.editor.ask.hasFocus)


def test_tab_goes_through_the_date_in_one_step(qtbot, window: MainWindow) -> None:
    editor = window.editor
    _focus_ask(qtbot, window)
    QTest.keyClicks(editor.ask, "Ask for a discount")
    QTest.keyClick(editor.ask, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.attempted_on
    QTest.keyClick(editor.attempted_on, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.who_asked, "one Tab leaves the date"
    QTest.keyClick(editor.who_asked, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is editor.attempted_on
    QTest.keyClick(editor.attempted_on, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is editor.ask


def test_a_rating_typed_after_the_ask_and_two_tabs_lands_in_the_rating(
        qtbot, window: MainWindow) -> None:
    """Ask, Tab (date), Tab (who), Tab (expected discomfort): the "3" is a rating."""
    editor = window.editor
    day = editor.attempted_on.date()
    _focus_ask(qtbot, window)
    QTest.keyClicks(editor.ask, "Ask for a discount")
    for _ in range(3):
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    QTest.keyClicks(_focused(), "3")
    assert editor.anticipated.text() == "3"
    assert editor.attempted_on.date() == day
    assert "0000" not in editor.attempted_on.text()


def _year_of(qtbot, window: MainWindow) -> DateBox:
    """The date, 6 Dec 2026, reached from the ask with Tab, its year selected."""
    box = window.editor.attempted_on
    box.setDate(QDate(2026, 12, 6))
    _focus_ask(qtbot, window)
    QTest.keyClick(window.editor.ask, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is box
    box.setSelectedSection(box.Section.YearSection)
    return box


def test_a_year_typed_half_way_is_named_and_refused_visibly(qtbot, window: MainWindow) -> None:
    editor = window.editor
    box = _year_of(qtbot, window)
    QTest.keyClicks(box, "0")
    assert box.text().endswith("0000")
    assert editor.date_message.isVisible()
    assert "Not a date yet" in editor.date_message.text()
    assert "Sun 6 Dec 2026" in editor.date_message.text()
    QTest.keyClick(box, Qt.Key.Key_Tab)  # the keyboard leaves: refused, and said so
    assert QApplication.focusWidget() is editor.who_asked
    assert box.date() == QDate(2026, 12, 6)
    assert box.text() == "Sun 6 Dec 2026"
    assert editor.date_message.isVisible()
    assert "“Sun 6 Dec 0000” is not a date" in editor.date_message.text()
    box.setDate(QDate(2026, 12, 5))  # a date picked: the message goes
    assert not editor.date_message.isVisible()


def test_a_whole_year_typed_is_taken(qtbot, window: MainWindow) -> None:
    box = _year_of(qtbot, window)
    QTest.keyClicks(box, "2025")
    assert box.date() == QDate(2025, 12, 6)
    assert not window.editor.date_message.isVisible()
