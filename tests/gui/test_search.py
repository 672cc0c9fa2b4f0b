"""The search box: typing shows ranked hits with the words in bold, Enter opens one, Ctrl+F
focuses it, Esc gives the list back, bad syntax gets a calm line (real window, real journal)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.search import DEBOUNCE_MS, HTML_ROLE, PLACEHOLDER, hit_html


def _fill(journal: Journal) -> dict[str, str]:
    records = {
        "lesson": AttemptRecord(ask="Ask for a discount", attempted_on=date(2026, 3, 1),
                                outcome=Outcome.NO, lesson="Try the Bakery on Sunday"),
        "ask": AttemptRecord(ask="Ask the bakery for yesterday's bread",
                             attempted_on=date(2026, 3, 2)),
        "other": AttemptRecord(ask="Ask a stranger <b>the</b> time & place",
                               attempted_on=date(2026, 3, 3)),
    }
    return {key: journal.save_attempt(r).uuid for key, r in records.items()}


def _type(qtbot, window: MainWindow, text: str) -> int:
    with qtbot.waitSignal(window.search.resultsShown, timeout=5000) as shown:
        QTest.keyClicks(window.search.field, text)
    return int(shown.args[0])


def test_ctrl_f_focuses_the_search_field_which_says_what_it_is(qtbot, journal: Journal,
                                                               make_window) -> None:
    window = make_window()
    field = window.search.field
    assert field.placeholderText() == PLACEHOLDER == "Search your entries (Ctrl+F)"
    assert field.isClearButtonEnabled()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    window.editor.ask.setFocus()
    qtbot.waitUntil(window.editor.ask.hasFocus)
    assert not field.hasFocus()
    assert QKeySequence(QKeySequence.StandardKey.Find).toString() == "Ctrl+F"
    qtbot.keyClick(window.editor.ask, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(field.hasFocus, timeout=3000)
    edit_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "Edit")
    assert window.find_action in edit_menu.actions()


def test_typing_shows_ranked_hits_with_the_words_highlighted_and_enter_opens_one(
        qtbot, journal: Journal, make_window) -> None:
    uuids = _fill(journal)
    window = make_window()
    search = window.search
    assert window.entries.isVisible() and not search.results.isVisible()
    window.find_action.trigger()
    assert _type(qtbot, window, "bak") == 2
    assert search.results.isVisible() and not window.entries.isVisible()
    assert [h.uuid for h in search.model.hits] == [uuids["ask"], uuids["lesson"]]
    first = search.model.data(search.model.index(0, 0), HTML_ROLE)
    second = search.model.data(search.model.index(1, 0), HTML_ROLE)
    assert "Ask the <b>bakery</b> for yesterday's bread" in first
    assert "Lesson:</span> Try the <b>Bakery</b> on Sunday" in second
    assert "2 entries found" in search.message.text()
    # Down moves to the second hit, Enter opens it in the editor.
    QTest.keyClick(search.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(search.hitActivated) as opened:
        QTest.keyClick(search.field, Qt.Key.Key_Return)
    assert opened.args == [uuids["lesson"]]
    assert window.editor.current_uuid == uuids["lesson"]
    assert window.editor.ask.text() == "Ask for a discount"
    # Up and Enter opens the best one.
    QTest.keyClick(search.field, Qt.Key.Key_Up)
    QTest.keyClick(search.field, Qt.Key.Key_Enter)
    assert window.editor.current_uuid == uuids["ask"]
    # Esc clears the search and gives the list back, with the focus.
    search.field.setFocus()
    QTest.keyClick(search.field, Qt.Key.Key_Escape)
    assert search.field.text() == "" and not search.results.isVisible()
    assert window.entries.isVisible()
    qtbot.waitUntil(lambda: window.entries.isAncestorOf(QApplication.focusWidget())
                    or QApplication.focusWidget() is window.entries, timeout=3000)


def test_typing_waits_for_a_pause_before_searching(qtbot, journal: Journal,
                                                    make_window) -> None:
    _fill(journal)
    window = make_window()
    searched: list[int] = []
    window.search.resultsShown.connect(searched.append)
    QTest.keyClicks(window.search.field, "bakery")
    assert searched == [] and window.search.timer.isActive()
    assert window.search.timer.interval() == DEBOUNCE_MS
    qtbot.waitUntil(lambda: searched == [2], timeout=5000)


def test_user_text_is_escaped_not_rendered_as_html(journal: Journal) -> None:
    uuids = _fill(journal)
    hit = next(h for h in journal.search("stranger") if h.uuid == uuids["other"])
    rendered = hit_html(hit)
    assert "&lt;b&gt;the&lt;/b&gt; time &amp; place" in rendered
    assert "<b>stranger</b>" in rendered


def test_nothing_found_and_bad_syntax_get_a_calm_line(qtbot, journal: Journal,
                                                      make_window, dialogs) -> None:
    _fill(journal)
    window = make_window()
    search = window.search
    assert _type(qtbot, window, "walrus") == 0
    assert search.message.text() == "Nothing found for “walrus”"
    assert search.message.isVisible() and search.model.rowCount() == 0
    search.field.clear()
    assert _type(qtbot, window, "bakery OR") == 0
    text = search.message.text()
    assert text.startswith("The search “bakery OR” can't be read: ")
    assert "\n" not in text and "Traceback" not in text
    assert dialogs.errors == []  # inline, no dialog
    assert _type(qtbot, window, " bread") == 2  # finished ("bakery OR bread"): hits again
    assert "2 entries found" in search.message.text()


def test_an_edit_refreshes_the_hits_on_screen(qtbot, journal: Journal,
                                              make_window) -> None:
    uuids = _fill(journal)
    window = make_window()
    assert _type(qtbot, window, "bakery") == 2
    record = window.service.attempt(uuids["ask"])
    assert record is not None
    with qtbot.waitSignal(window.search.resultsShown, timeout=5000) as shown:
        window.service.save(record.replace(ask="Ask the baker for bread"))
    assert shown.args == [1]


# -- issue 18 item 13: a long search never freezes the window ------------------------------

def test_a_pasted_5000_word_search_is_refused_at_once_with_a_plain_line(
        qtbot, journal: Journal, make_window) -> None:
    _fill(journal)
    window = make_window()
    search = window.search
    window.find_action.trigger()
    pasted = " ".join(["bakery", "bread"] * 2500)  # the field takes 32,767 characters
    QApplication.clipboard().setText(pasted)
    with qtbot.waitSignal(search.resultsShown, timeout=5000) as shown:
        qtbot.keyClick(search.field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert search.field.text() == pasted, "what was pasted stays, to shorten"
    assert shown.args == [0] and not search.is_searching, "nothing was searched"
    assert search.message.isVisible()
    assert search.message.text() == ("That search is too long (5,000 words): search for up "
                                     "to 64 words (1,000 characters) at a time.")


def test_the_search_runs_off_the_gui_thread_and_its_hits_arrive_later(
        qtbot, journal: Journal, make_window) -> None:
    _fill(journal)
    window = make_window()
    search = window.search
    search.field.setText("bakery")
    with qtbot.waitSignal(search.resultsShown, timeout=5000) as shown:
        search.run_search()
        # run_search returned at once: the search is on the worker thread (its hits come
        # back as an event, so none can be in before the event loop runs again)
        assert search.is_searching and search.model.rowCount() == 0
    assert shown.args == [2] and len(search.model.hits) == 2
    assert not search.is_searching


def test_a_newer_search_or_esc_cancels_the_one_running(
        qtbot, journal: Journal, make_window) -> None:
    _fill(journal)
    window = make_window()
    search = window.search
    shown: list[int] = []
    search.resultsShown.connect(shown.append)
    search.field.setText("bakery")
    search.run_search()
    search.field.setText("walrus")
    search.run_search()  # the bakery search is cancelled: only the walrus one shows
    qtbot.waitUntil(lambda: shown == [0], timeout=5000)
    assert search.message.text() == "Nothing found for “walrus”"
    assert search.wait_for_search()
    QApplication.processEvents()
    assert shown == [0] and search.model.rowCount() == 0

    search.field.setText("bakery")
    search.run_search()
    QTest.keyClick(search.field, Qt.Key.Key_Escape)  # Esc while it runs
    assert search.wait_for_search()
    QApplication.processEvents()
    assert shown == [0], "the cancelled search's hits never show"
    assert not search.results.isVisible() and window.entries.isVisible()


def test_enter_before_the_hits_are_in_opens_the_best_one_when_they_come(
        qtbot, journal: Journal, make_window) -> None:
    uuids = _fill(journal)
    window = make_window()
    search = window.search
    window.find_action.trigger()
    with qtbot.waitSignal(search.hitActivated, timeout=5000) as opened:
        QTest.keyClicks(search.field, "bakery")
        QTest.keyClick(search.field, Qt.Key.Key_Return)  # before the pause ended
    assert opened.args == [uuids["ask"]]
