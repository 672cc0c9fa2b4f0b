"""Issue 18, as reported: welcome ▸ demo entries; the evening review offers an open demo
entry; the user writes a reflection and a lesson on it; Remove demo data.  The entry with the
reflection stays and search finds it; the status bar says how many stayed; Undo brings the
removed demo items back (real window, real journal)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from rejection_journal.domain.enums import Outcome
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_reflection_written_on_a_demo_entry_survives_remove_demo_data_and_undo_works(
    qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
) -> None:
    dialogs.welcome_answers = ["demo"]
    window = make_window()
    service = window.service
    qtbot.waitUntil(lambda: service.attempt_count() > 0)
    demo_count = service.attempt_count()
    ladders, runs = len(service.ladders()), len(service.runs())
    banner = window.evening.demo_banner
    assert banner.isVisible()

    # The evening review offers the demo entries still open; the user answers the first.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    review = window.evening.review
    assert review is not None
    qtbot.waitUntil(review.isActiveWindow)
    was_open = {e.uuid for e in service.open_entries()}
    assert QApplication.focusWidget() is review.outcome
    while review.outcome.currentData() != Outcome.YES.value:
        qtbot.keyClick(review.outcome, Qt.Key.Key_Down)
    qtbot.keyClicks(review.actual, "2")
    qtbot.keyClicks(review.reflection, "The baker laughed kindly and said yes.")
    qtbot.keyClicks(review.lesson, "Ask before the fear gets loud.")
    qtbot.keyClick(review.lesson, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: len(service.open_entries()) == len(was_open) - 1)
    (uuid,) = was_open - {e.uuid for e in service.open_entries()}
    window.evening.close_review()
    qtbot.waitUntil(lambda: window.evening.review is None)

    qtbot.mouseClick(banner.remove_button, Qt.MouseButton.LeftButton)
    assert service.attempt_uuids_sorted() == [uuid], "the entry the user wrote in stays"
    kept = service.attempt(uuid)
    assert kept is not None and kept.reflection == "The baker laughed kindly and said yes."
    assert window.entries.model.rowCount() == 1
    assert not banner.isVisible(), "it is the user's now, not demo data"
    status = window.statusBar().currentMessage()
    assert f"Removed the demo data ({demo_count - 1} entries" in status
    assert "Kept 1 entry you had changed: it is yours now." in status
    assert "Undo" in status

    # Search finds it, through the window's own search box.
    with qtbot.waitSignal(window.search.resultsShown, timeout=5000) as shown:
        QTest.keyClicks(window.search.field, "baker laughed")
    assert shown.args == [1]
    window.search.clear()

    # Edit ▸ Undo brings back every demo item that went, marked as demo again.
    assert window.undo_action.isEnabled()
    assert "Remove demo data" in window.undo_action.text()
    window.undo_action.trigger()
    assert service.attempt_count() == demo_count
    assert (len(service.ladders()), len(service.runs())) == (ladders, runs)
    assert window.entries.model.rowCount() == demo_count
    assert banner.isVisible() and service.attempt(uuid) == kept
    assert "Undone: Remove demo data" in window.statusBar().currentMessage()
