"""Drive the real main window the way a user would: pick, predict, record, see it charted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import cast

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QSplitter

from rejection_journal.domain.entry_list import SortColumn
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.guidance import NOT_THERAPY
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui import chart_pane
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.dialogs import UnsavedChoice
from rejection_journal.ui.entries_model import column_index
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs


def _table_row(window: MainWindow, row: int) -> list[str]:
    """Date, ask, expected, felt and outcome of ``row`` (the list has more columns)."""
    model = window.entries.model
    keys = (SortColumn.DATE, SortColumn.ASK, SortColumn.EXPECTED, SortColumn.FELT,
            SortColumn.OUTCOME)
    return [model.index(row, column_index(key)).data() for key in keys]


def _wait_chart(qtbot, window: MainWindow) -> None:
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass


def _chart_line_data(window: MainWindow) -> dict[str, list[float]]:
    axes = window.chart.figure.axes[0]
    return {str(line.get_label()): [float(y) for y in np.asarray(line.get_ydata())]
            for line in axes.get_lines()}


def test_window_has_title_three_panes_menus_and_not_therapy_note(window: MainWindow) -> None:
    assert window.windowTitle() == "[*]journal"  # test_window_title.py: what is shown
    splitter = window.main_splitter  # under the banners (demo data, pause suggestion)
    assert isinstance(splitter, QSplitter)
    # Challenges | editor | entries and chart (issue 9/10: the editor keeps its full height;
    # ui/panes.py puts the side panes in tabs on smaller windows).
    central = window.centralWidget()
    assert central is not None and central.isAncestorOf(splitter)
    assert [splitter.widget(i) for i in range(3)] == [
        window.panes.picker_holder, window.editor, window.panes,
    ]
    for pane in (window.picker, window.entries, window.chart):
        assert window.panes.isAncestorOf(pane) or window.panes.picker_holder.isAncestorOf(pane)
    # the challenges pane holds the challenge picker and the ladders (issue 8) as tabs
    ladders = window.ladders  # (built when first shown or asked for: issue 22)
    assert [window.picker_tabs.widget(i) for i in range(2)] == [window.picker, ladders]
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")  # the README says so
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Journal", "Help"]
    file_menu = cast(QMenu, window.menuBar().actions()[0].menu())
    file_items = [a.text().replace("&", "") for a in file_menu.actions()
                  if not a.isSeparator() and a.isVisible()]
    assert file_items == ["New entry", "Save", "Export chart…", "Export journal…",
                          "Import journal…", "Back up now", "Restore from backup…",
                          "Protect with a passphrase…", "Quit"]
    assert window.statusBar().currentMessage() == NOT_THERAPY


def test_full_loop_pick_predict_record_and_see_it_charted(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    _wait_chart(qtbot, window)
    assert window.entries.stack.currentWidget() is window.entries.empty

    # Pick a challenge and start it.
    assert window.picker.select_challenge(journal.challenges()[0].uuid)
    challenge = window.picker.current_challenge()
    assert challenge is not None
    qtbot.mouseClick(window.picker.start_button, Qt.MouseButton.LeftButton)
    editor = window.editor
    assert editor.ask.text() == challenge.title

    # Before: predictions typed with the keyboard.
    qtbot.keyClicks(editor.anticipated, "7")
    qtbot.keyClicks(editor.predicted, "80")
    qtbot.keyClicks(editor.feelings_before, "Nervous")
    # After.
    editor.outcome.setCurrentIndex(editor.outcome.findData(Outcome.NO.value))
    qtbot.keyClicks(editor.actual, "3")
    editor.reason_boxes[Reason.TIMING].setChecked(True)
    qtbot.keyClicks(editor.lesson, "Ask earlier")
    assert editor.is_dirty and window.isWindowModified()

    with qtbot.waitSignal(window.chart.redrawn, timeout=10_000):
        qtbot.keyClick(editor.ask, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not window.isWindowModified()
    assert window.entries.stack.currentWidget() is window.entries.table
    assert _table_row(window, 0) == [day_text(date.today()), challenge.title, "7", "3", "No"]
    lines = _chart_line_data(window)
    assert lines["Anticipated"] == [7.0]
    assert lines["Actual"] == [3.0]
    stored = journal.attempts()
    assert len(stored) == 1
    assert (stored[0].predicted_no_chance, stored[0].feelings_before, stored[0].lesson,
            stored[0].reason, stored[0].challenge_uuid) == (80, "Nervous", "Ask earlier",
                                                           Reason.TIMING, challenge.uuid)
    assert window.counts_label.text() == "1 entry"


def test_chart_waits_for_first_paint_then_loads(qtbot, window: MainWindow) -> None:
    _wait_chart(qtbot, window)
    assert window.chart.is_active
    assert window.chart.placeholder.isHidden()
    texts = [t.get_text() for t in window.chart.figure.axes[0].texts]
    assert any("No finished attempts yet" in t for t in texts)


def test_open_entry_fill_after_half_later(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    morning = journal.save_attempt(AttemptRecord(
        ask="Ask the baker for a discount", attempted_on=date(2026, 11, 20),
        anticipated_discomfort=6, predicted_no_chance=70))
    window.entries.reload()
    assert _table_row(window, 0)[4] == "Open — to reflect on"

    window.entries.table.selectRow(0)
    editor = window.editor
    assert editor.current_uuid == morning.uuid
    assert editor.anticipated.value() == 6
    assert "still open" in editor.heading.text()

    editor.outcome.setCurrentIndex(editor.outcome.findData(Outcome.YES.value))
    editor.actual.setValue(2)
    assert not editor.reason_boxes[Reason.TIMING].isVisibleTo(editor), "a yes has no reason"
    with qtbot.waitSignal(editor.saved):
        window.save_action.trigger()

    assert journal.attempt_count() == 1
    stored = journal.attempt(morning.uuid)
    assert stored is not None
    assert (stored.outcome, stored.actual_discomfort, stored.anticipated_discomfort) == (
        Outcome.YES, 2, 6)
    assert stored.created_at == morning.created_at
    assert _table_row(window, 0) == [day_text(date(2026, 11, 20)), "Ask the baker for a discount",
                                     "6", "2", "Yes"]


def test_invalid_entry_says_what_and_where_and_saves_nothing(
    window: MainWindow, journal: Journal
) -> None:
    editor = window.editor
    editor.anticipated.setValue(5)
    window.save_action.trigger()
    assert editor.error_label.isVisible()
    assert "What you asked" in editor.error_label.text()
    assert journal.attempt_count() == 0
    assert editor.anticipated.value() == 5, "nothing the user typed is lost"

    editor.ask.setText("Ask for a table by the window")
    editor.outcome.setCurrentIndex(editor.outcome.findData(Outcome.NO.value))
    editor.actual.setValue(14)  # out of range: kept as typed, named, nothing saved
    window.save_action.trigger()
    assert "Actual discomfort: must be from 0 to 10, not 14" in editor.error_label.text()
    assert editor.actual.text() == "14"
    assert journal.attempt_count() == 0


def test_unsaved_changes_are_never_silently_dropped(
    window: MainWindow, dialogs: FakeDialogs, journal: Journal
) -> None:
    editor = window.editor
    editor.ask.setFocus()
    editor.ask.setText("")
    editor.ask.insert("Ask a stranger for directions")
    assert editor.is_dirty

    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    window.new_action.trigger()
    assert editor.ask.text() == "Ask a stranger for directions"

    dialogs.unsaved_answers.append(UnsavedChoice.SAVE)
    window.new_action.trigger()
    assert editor.ask.text() == ""
    assert [a.ask for a in journal.attempts()] == ["Ask a stranger for directions"]

    editor.ask.insert("Something I changed my mind about")
    dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    window.new_action.trigger()
    assert editor.ask.text() == ""
    assert journal.attempt_count() == 1
    assert dialogs.unsaved_questions == ["“Ask a stranger for directions”"] * 2 + [
        "“Something I changed my mind about”"]


def test_closing_with_unsaved_text_can_be_cancelled(
    window: MainWindow, dialogs: FakeDialogs
) -> None:
    window.editor.ask.insert("Half-written ask")
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    assert not window.close()
    assert window.isVisible()
    assert window.editor.ask.text() == "Half-written ask"


def test_export_chart_as_png_svg_pdf(
    qtbot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    _wait_chart(qtbot, window)
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}
    for suffix, head in magic.items():
        target = tmp_path / f"chart{suffix}"
        dialogs.save_paths.append(target)
        assert window.export_chart() == target
        assert target.read_bytes().startswith(head)
    assert dialogs.errors == []


def test_export_chart_refuses_unknown_format_and_writes_nothing(
    qtbot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    target = tmp_path / "chart.bmp"
    dialogs.save_paths.append(target)
    assert window.export_chart() is None
    assert not target.exists()
    assert dialogs.errors and ".bmp" in dialogs.errors[0][1]
    assert list(tmp_path.glob("*.tmp")) == []


def test_cancelled_export_does_nothing(window: MainWindow, dialogs: FakeDialogs) -> None:
    dialogs.save_paths.append(None)
    assert window.export_chart() is None
    assert dialogs.errors == []


def test_guidance_is_one_click_away(window: MainWindow, dialogs: FakeDialogs) -> None:
    window.guidance_action.trigger()
    title, html = dialogs.infos[-1]
    assert title == "Is this for me?"
    assert "not therapy" in html
    assert "never ask the same" in html


def test_window_geometry_and_splitters_are_restored(
    make_window: Callable[[], MainWindow]
) -> None:
    first = make_window()
    first.resize(1100, 700)
    first.main_splitter.setSizes([250, 450, 400])
    sizes = first.main_splitter.sizes()
    first.close()

    second = make_window()
    assert (second.size().width(), second.size().height()) == (1100, 700)
    assert second.main_splitter.sizes() == sizes


def test_chart_follows_a_dark_palette(qtbot, window: MainWindow) -> None:
    from matplotlib.colors import to_hex
    from PySide6.QtGui import QColor, QPalette

    from rejection_journal.charts.theme import DARK, LIGHT

    _wait_chart(qtbot, window)
    assert to_hex(window.chart.figure.get_facecolor()) == LIGHT.background
    dark = QPalette(window.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    with qtbot.waitSignal(window.chart.redrawn):
        window.setPalette(dark)
    figure = window.chart.figure
    assert to_hex(figure.get_facecolor()) == DARK.background
    # The title is the figure's (above the legends), no longer the first axes'.
    assert figure.get_suptitle() == "Anticipated vs actual discomfort"
    assert figure._suptitle is not None  # type: ignore[attr-defined]
    assert to_hex(figure._suptitle.get_color()) == DARK.foreground  # type: ignore[attr-defined]


def test_an_unexpected_error_is_logged_and_explained_not_dumped(
    window: MainWindow, dialogs: FakeDialogs, tmp_path: Path, monkeypatch
) -> None:
    import sys

    from rejection_journal.ui.crash import CRASH_LOG, install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(dialogs, tmp_path)
    try:
        raise ValueError("a bug in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # what Qt does with an exception from a slot
    title, text = dialogs.errors[-1]
    assert title == "Something went wrong"
    assert "saved is safe" in text and CRASH_LOG in text
    assert "Traceback" not in text
    assert "ValueError: a bug in a slot" in (tmp_path / CRASH_LOG).read_text()


def test_a_text_edit_does_not_redraw_the_chart_but_a_rating_does(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    _wait_chart(qtbot, window)
    redraws: list[bool] = []
    window.chart.redrawn.connect(lambda: redraws.append(True))
    resets: list[bool] = []
    window.entries.model.modelReset.connect(lambda: resets.append(True))
    editor = window.editor
    qtbot.keyClicks(editor.ask, "Ask for a later checkout")
    editor.anticipated.setValue(6)
    editor.save()
    qtbot.waitUntil(lambda: not window.chart.is_stale, timeout=5000)
    assert len(redraws) == 1

    qtbot.keyClicks(editor.feelings_before, "Calm enough")
    editor.save()
    assert not window.chart.is_stale
    with qtbot.assertNotEmitted(window.chart.redrawn, wait=chart_pane.REDRAW_DELAY_MS * 2):
        pass
    assert len(redraws) == 1, "the chart does not plot feelings: no redraw"

    editor.outcome.setCurrentIndex(editor.outcome.findData(Outcome.YES.value))
    editor.actual.setValue(2)
    with qtbot.waitSignal(window.chart.redrawn, timeout=5000):
        editor.save()
    assert resets == [], "saving updates one row of the list, it does not reload it"
    assert _table_row(window, 0)[1:] == ["Ask for a later checkout", "6", "2", "Yes"]


def test_a_hidden_chart_redraws_only_when_shown_again(
    qtbot, window: MainWindow
) -> None:
    _wait_chart(qtbot, window)
    window.chart.hide()
    editor = window.editor
    qtbot.keyClicks(editor.ask, "Ask a colleague for feedback")
    editor.anticipated.setValue(8)
    with qtbot.assertNotEmitted(window.chart.redrawn, wait=chart_pane.REDRAW_DELAY_MS * 2):
        editor.save()
    assert window.chart.is_stale
    with qtbot.waitSignal(window.chart.redrawn, timeout=5000):
        window.chart.show()
    assert not window.chart.is_stale
