"""Issue 10's entries list (columns, sort, filter) and issue 9's layout and tab order."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.modeltest import ModelTester

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.entry_list import (
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
)
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock
from rejection_journal.storage import Journal
from rejection_journal.ui.entries_model import COLUMNS, OPEN_TEXT, column_index
from rejection_journal.ui.main_window import MainWindow

from .layout_check import layout_problems

TODAY = date(2026, 11, 23)


def _fill(journal: Journal, count: int = 80) -> None:
    journal.add_demo_attempts(generate_attempts(journal.challenges(), count, seed=7,
                                                today=TODAY))


def _shown(window: MainWindow) -> list[str]:
    model = window.entries.model
    return [model.uuid_at(row) for row in range(model.rowCount())]


def _wait_order(qtbot, window: MainWindow, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(window.entries.model.orderApplied, timeout=10_000):
        action()


@pytest.fixture
def clock() -> FixedClock:
    """The day the demo entries end on: "Last 7 days" means the same entries whatever day
    the suite runs."""
    return FixedClock(TODAY)


@pytest.fixture
def filled(make_window: Callable[[], MainWindow], journal: Journal) -> MainWindow:
    _fill(journal)
    return make_window()


def test_the_list_shows_every_column_and_marks_open_entries_in_words(
        filled: MainWindow, qtmodeltester: ModelTester) -> None:
    model = filled.entries.model
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert titles == ["Date", "Ask", "Category", "Level", "Exp.", "No %", "Felt", "Gap",
                      "Outcome"]
    first = model.record_at(0)
    assert first is not None and first.is_open, "demo data ends with open entries"
    assert model.index(0, column_index(SortColumn.OUTCOME)).data() == OPEN_TEXT
    assert model.index(0, column_index(SortColumn.GAP)).data() == "", "no gap while open"
    done = next(r for r in range(model.rowCount()) if not model.record_at(r).is_open)  # type: ignore[union-attr]
    record = model.record_at(done)
    assert record is not None and record.gap is not None
    assert model.index(done, column_index(SortColumn.GAP)).data() == (
        f"{record.gap:+d}" if record.gap else "0")
    assert model.index(done, column_index(SortColumn.NO_CHANCE)).data() == \
        f"{record.predicted_no_chance} %"
    qtmodeltester.check(model)


@pytest.mark.parametrize("key", list(SortColumn))
def test_sorting_by_each_column_shows_the_storage_order(
        qtbot, filled: MainWindow, key: SortColumn) -> None:
    entries = filled.entries
    header = entries.table.horizontalHeader()
    section = column_index(key)
    entries.set_column_shown(key, True)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    expected_first = EntrySort(key, key not in (SortColumn.ASK, SortColumn.CATEGORY,
                                                SortColumn.OUTCOME))
    if key is SortColumn.DATE:  # already sorted by date, newest first: a click turns it round
        expected_first = EntrySort(key, False)
    _wait_order(qtbot, filled, lambda: qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)))
    assert entries.model.order == expected_first
    assert _shown(filled) == filled.service.attempt_uuids_sorted(expected_first)
    # again: the other way round (the keyboard way: View > Sort entries > Descending)
    other = EntrySort(key, not expected_first.descending)
    _wait_order(qtbot, filled, entries.descending_action.trigger)
    assert _shown(filled) == filled.service.attempt_uuids_sorted(other)
    assert header.sortIndicatorSection() == section


def test_sort_by_gap_puts_entries_without_a_gap_last(qtbot, filled: MainWindow) -> None:
    _wait_order(qtbot, filled, filled.entries.sort_actions[SortColumn.GAP].trigger)
    model = filled.entries.model
    gaps = [model.record_at(r).gap for r in range(model.rowCount())]  # type: ignore[union-attr]
    known = [g for g in gaps if g is not None]
    assert known == sorted(known, reverse=True)
    assert gaps[len(known):] == [None] * (len(gaps) - len(known))


def test_filters_by_outcome_category_dates_and_open_and_clears(
        qtbot, filled: MainWindow) -> None:
    bar = filled.entries.filter_bar
    service = filled.service
    total = service.attempt_count()

    def pick(combo, value) -> None:
        _wait_order(qtbot, filled, lambda: combo.setCurrentIndex(combo.findData(value)))

    pick(bar.outcome, Outcome.NO)
    assert set(_shown(filled)) == set(service.attempt_uuids_sorted(
        EntrySort(), EntryFilter(outcome=Outcome.NO)))
    assert all(r.outcome is Outcome.NO for r in service.attempts_by_uuid(_shown(filled)).values())
    assert f"of {total} shown" in filled.entries.heading.text()
    assert filled.counts_label.text() == f"{total} entries", "the status bar counts them all"

    pick(bar.category, Category.SOCIAL)
    both = EntryFilter(outcome=Outcome.NO, category=Category.SOCIAL)
    assert _shown(filled) == service.attempt_uuids_sorted(EntrySort(), both)

    _wait_order(qtbot, filled, bar.clear)
    assert len(_shown(filled)) == total

    pick(bar.completion, Completion.OPEN)
    shown = service.attempts_by_uuid(_shown(filled))
    assert shown and all(r.is_open for r in shown.values())
    pick(bar.completion, Completion.COMPLETED)
    assert not any(r.is_open for r in service.attempts_by_uuid(_shown(filled)).values())
    _wait_order(qtbot, filled, bar.clear)

    _wait_order(qtbot, filled, lambda: bar.range.setCurrentText("Last 7 days"))
    days = {r.attempted_on for r in service.attempts_by_uuid(_shown(filled)).values()}
    assert days and min(days) >= date(2026, 11, 17) and max(days) <= TODAY
    _wait_order(qtbot, filled, lambda: bar.range.setCurrentIndex(bar.range.count() - 1))
    assert bar.since.isVisible() and bar.until.isVisible()
    from PySide6.QtCore import QDate
    _wait_order(qtbot, filled, lambda: bar.since.setDate(QDate(2026, 11, 1)))
    _wait_order(qtbot, filled, lambda: bar.until.setDate(QDate(2026, 11, 10)))
    days = {r.attempted_on for r in service.attempts_by_uuid(_shown(filled)).values()}
    assert days and min(days) >= date(2026, 11, 1) and max(days) <= date(2026, 11, 10)

    # Nothing matches: a clear empty state with a way back.
    _wait_order(qtbot, filled, lambda: bar.since.setDate(QDate(2000, 1, 1)))
    _wait_order(qtbot, filled, lambda: bar.until.setDate(QDate(2000, 1, 2)))
    entries = filled.entries
    assert entries.stack.currentWidget() is entries.no_match
    assert entries.no_match_clear.isVisible()
    _wait_order(qtbot, filled, lambda: qtbot.mouseClick(entries.no_match_clear,
                                                        Qt.MouseButton.LeftButton))
    assert entries.stack.currentWidget() is entries.table
    assert len(_shown(filled)) == total


def test_a_save_moves_its_row_to_its_sorted_place_or_out_of_the_filter(
        qtbot, filled: MainWindow) -> None:
    entries, service = filled.entries, filled.service
    _wait_order(qtbot, filled, entries.sort_actions[SortColumn.GAP].trigger)
    resets: list[bool] = []
    entries.model.modelReset.connect(lambda: resets.append(True))
    last = entries.model.record_at(entries.model.rowCount() - 1)
    assert last is not None
    # An entry with no gap (last) gets the largest gap of all: it moves to the top.
    service.save(last.replace(anticipated_discomfort=10, actual_discomfort=0,
                              outcome=last.outcome or Outcome.YES))
    assert entries.model.uuid_at(0) == last.uuid
    assert _shown(filled) == service.attempt_uuids_sorted(EntrySort(SortColumn.GAP))
    # Filtered to "No": a save that makes it a "Yes" takes it out of the list.
    _wait_order(qtbot, filled, lambda: entries.set_filter(EntryFilter(outcome=Outcome.NO)))
    resets.clear()
    uuid = entries.model.uuid_at(3)
    record = service.attempt(uuid)
    assert record is not None
    service.save(record.replace(outcome=Outcome.YES, reasons=()))
    assert entries.model.row_of(uuid) == -1
    service.save(record)  # and back in, in its place
    assert _shown(filled) == service.attempt_uuids_sorted(EntrySort(SortColumn.GAP),
                                                          EntryFilter(outcome=Outcome.NO))
    new = service.save(AttemptRecord(ask="A brand new no", attempted_on=TODAY,
                                     anticipated_discomfort=5, actual_discomfort=5,
                                     outcome=Outcome.NO))
    assert entries.model.row_of(new.uuid) >= 0
    assert _shown(filled) == service.attempt_uuids_sorted(EntrySort(SortColumn.GAP),
                                                          EntryFilter(outcome=Outcome.NO))
    assert resets == [], "single rows move; the list is not reloaded"


def test_a_save_while_a_new_order_is_computed_is_not_lost(
        qtbot, filled: MainWindow) -> None:
    entries, service = filled.entries, filled.service
    new = AttemptRecord(ask="Saved meanwhile", attempted_on=TODAY, anticipated_discomfort=9,
                        actual_discomfort=0, outcome=Outcome.YES)

    def sort_and_save() -> None:
        entries.sort_by(SortColumn.GAP)
        service.save(new)

    _wait_order(qtbot, filled, sort_and_save)
    assert _shown(filled) == service.attempt_uuids_sorted(EntrySort(SortColumn.GAP))
    assert entries.model.uuid_at(0) == new.uuid


def test_column_choice_and_order_are_remembered_in_a_new_window(
        qtbot, make_window: Callable[[], MainWindow], journal: Journal,
        settings_path: Path) -> None:
    _fill(journal, 20)
    first = make_window()
    assert first.entries.shown_columns()[:2] == [SortColumn.DATE, SortColumn.ASK]
    assert SortColumn.LEVEL not in first.entries.shown_columns()
    first.entries.column_actions[SortColumn.CATEGORY].setChecked(False)  # header menu / View
    first.entries.column_actions[SortColumn.LEVEL].setChecked(True)
    _wait_order(qtbot, first, lambda: first.entries.sort_by(SortColumn.FELT))
    shown = first.entries.shown_columns()
    first.close()
    assert "hiddenColumns" in settings_path.read_text()

    second = make_window()
    assert second.entries.shown_columns() == shown
    assert SortColumn.CATEGORY not in shown and SortColumn.LEVEL in shown
    assert not second.entries.column_actions[SortColumn.CATEGORY].isChecked()
    assert second.entries.model.order == EntrySort(SortColumn.FELT, True)
    assert _shown(second) == second.service.attempt_uuids_sorted(EntrySort(SortColumn.FELT))


def test_the_header_menu_offers_the_columns(qtbot, filled: MainWindow) -> None:
    menu = filled.entries.columns_menu()
    texts = [a.text() for a in menu.actions()]
    assert "Category" in texts and "Chance of “no”" in texts and "Ask" not in texts
    view = next(cast(QMenu, a.menu()) for a in filled.menuBar().actions() if a.text() == "&View")
    assert any(a.menu() is not None and a.text() == "Entry &columns" for a in view.actions())
    menu.deleteLater()


def _process() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_at_least_twelve_rows_show_at_1366x768(filled: MainWindow) -> None:
    filled.resize(1366, 768)
    _process()
    table = filled.entries.table
    assert table.isVisible()
    rows = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows >= 12, rows


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768), (1324, 810), (1920, 1080)])
def test_nothing_scrolls_sideways_or_is_cut_off(filled: MainWindow, size: tuple[int, int]
                                                ) -> None:
    filled.resize(*size)
    _process()
    filled.entries.table.selectRow(0)  # an entry with both halves in the editor
    _process()
    assert layout_problems(filled) == []
    for pane in (filled.go_picker_action, filled.go_entries_action, filled.go_chart_action):
        pane.trigger()
        _process()
        assert layout_problems(filled) == [], pane.text()


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_nothing_scrolls_sideways_at_twice_the_scale(size: tuple[int, int]) -> None:
    env = dict(os.environ, QT_SCALE_FACTOR="2")
    result = subprocess.run(
        [sys.executable, "-m", "tests.gui.layout_check", str(size[0]), str(size[1])],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=120)
    assert result.stdout.strip().endswith(": ok"), (result.stdout, result.stderr)
    assert result.returncode == 0


def _tab_through(qtbot, window: MainWindow, start, limit: int = 120) -> list[QWidget | None]:
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is start:
            break
        seen.append(widget)
    return seen


@pytest.mark.parametrize("size", [(1324, 810), (1366, 768), (1024, 640)])
def test_tab_goes_through_picker_editor_list_and_chart_in_visual_order(
        qtbot, filled: MainWindow, size: tuple[int, int]) -> None:
    filled.resize(*size)
    _process()
    filled.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is filled)
    chain = filled.focus_chain()
    start = chain[0]
    seen = _tab_through(qtbot, filled, start)
    editor, entries, picker, chart = filled.editor, filled.entries, filled.picker, filled.chart
    tabs = filled.panes.tabs
    if tabs.count():
        # Tabs: the tab bar is reached after the editor; the shown tab's inputs follow.
        assert tabs.tabBar() in seen
        assert seen.index(editor.ask) < seen.index(tabs.tabBar()) < seen.index(entries.table)
        tabs.setCurrentWidget(chart)
        _process()
        seen = _tab_through(qtbot, filled, start)
        assert chart.kind_combo in seen
        if tabs.indexOf(filled.picker_tabs) >= 0:  # the challenges pane is a tab
            tabs.setCurrentWidget(filled.picker_tabs)
            _process()
            seen = _tab_through(qtbot, filled, start)
            assert seen.index(editor.save_button) < seen.index(picker.list)
        else:
            assert seen.index(picker.list) < seen.index(editor.ask)
    else:
        order = [picker.list, editor.ask, editor.save_button, entries.table, chart.kind_combo]
        assert all(w in seen for w in order), [w for w in order if w not in seen]
        assert [seen.index(w) for w in order] == sorted(seen.index(w) for w in order)


def test_ctrl_1_to_4_show_and_focus_each_pane(qtbot, filled: MainWindow) -> None:
    filled.resize(1024, 640)
    _process()
    filled.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is filled)
    for action, target in ((filled.go_picker_action, filled.picker.list),
                           (filled.go_editor_action, filled.editor.ask),
                           (filled.go_entries_action, filled.entries.table),
                           (filled.go_chart_action, filled.chart.kind_combo)):
        action.trigger()
        qtbot.waitUntil(target.hasFocus)
        assert target.isVisible()


def test_filter_by_ladder_shows_its_steps_entries_and_follows_ladder_changes(
        qtbot, filled: MainWindow) -> None:
    bar = filled.entries.filter_bar
    service = filled.service
    assert bar.ladder_combo.isHidden(), "no ladders yet: no ladder filter"
    by_challenge: dict[str, int] = {}
    for record in service.attempts_by_uuid(service.attempt_uuids_sorted()).values():
        if record.challenge_uuid:
            by_challenge[record.challenge_uuid] = by_challenge.get(record.challenge_uuid, 0) + 1
    first, second, third = sorted(by_challenge, key=by_challenge.__getitem__)[-3:]
    ladder = service.new_ladder("Ask for a raise", [first, second])
    qtbot.waitUntil(lambda: not bar.ladder_combo.isHidden())

    _wait_order(qtbot, filled, lambda: bar.ladder_combo.setCurrentIndex(
        bar.ladder_combo.findData(ladder.uuid)))
    records = service.attempts_by_uuid(_shown(filled)).values()
    assert {r.challenge_uuid for r in records} == {first, second}
    assert len(_shown(filled)) == by_challenge[first] + by_challenge[second]

    # a step added to the ladder brings its entries into the filtered list
    service.add_rung(ladder.uuid, third)  # (the list reloads at once: a ladder's few entries)
    assert len(_shown(filled)) == sum(by_challenge[c] for c in (first, second, third))

    # the ladder deleted: its filter goes, every entry is back
    _wait_order(qtbot, filled, lambda: service.delete_ladder(ladder.uuid))
    assert bar.ladder is None and bar.ladder_combo.isHidden()
    assert not bar.clear_button.isEnabled()
    assert len(_shown(filled)) == service.attempt_count()


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_the_ask_keeps_twenty_characters_whatever_columns_are_shown(
        filled: MainWindow, size: tuple[int, int]) -> None:
    """Issue 20: the Ask column shrank to about eight characters once Level was shown."""
    filled.resize(*size)
    filled.go_entries_action.trigger()
    _process()
    entries, table = filled.entries, filled.entries.table
    readable = 20 * table.fontMetrics().averageCharWidth()
    ask = column_index(SortColumn.ASK)
    for key in (SortColumn.LEVEL, *(c.key for c in COLUMNS)):  # Level, then every column
        entries.set_column_shown(key, True)
        _process()
        assert table.columnWidth(ask) >= readable, (key, table.columnWidth(ask), readable)
        assert layout_problems(filled) == [], key
        shown = [i for i in range(len(COLUMNS)) if not table.isColumnHidden(i)]
        assert sum(table.columnWidth(i) for i in shown) <= table.viewport().width()
