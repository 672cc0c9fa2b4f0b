"""Issue 20, screen readers: the chart pane in words (its accessible name and description,
from charts/describe.py) and *Show as table* (the CSV's rows in an accessible table,
remembered)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from rejection_journal.charts.describe import describe
from rejection_journal.charts.registry import KIND_NAMES, kind_named
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock
from rejection_journal.storage import Journal
from rejection_journal.ui.chart_pane import ChartPane
from rejection_journal.ui.chart_table import cell_text
from rejection_journal.ui.main_window import MainWindow

TODAY = date(2026, 11, 23)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def _fill(journal: Journal) -> None:
    for days_ago, before, after in ((20, 8, 2), (12, 7, 3), (5, 6, 4), (1, 5, 5)):
        journal.save_attempt(AttemptRecord(
            ask=f"Ask {days_ago}", attempted_on=TODAY - timedelta(days=days_ago),
            anticipated_discomfort=before, predicted_no_chance=70, outcome=Outcome.NO,
            actual_discomfort=after))


def _active(qtbot, window: MainWindow) -> ChartPane:
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass
    return window.chart


def _table(pane: ChartPane) -> tuple[list[str], list[list[str]]]:
    table = pane.table
    columns = range(table.columnCount())
    header = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in columns]
    return header, [[table.model().index(r, c).data() for c in columns]
                    for r in range(table.rowCount())]


def test_the_chart_has_a_name_and_says_what_it_shows(qtbot, journal: Journal,
                                                     make_window) -> None:
    _fill(journal)
    pane = _active(qtbot, make_window())
    canvas = pane.canvas
    assert canvas.accessibleName() == "Chart: Anticipated vs actual discomfort"
    assert canvas.accessibleDescription() == (
        "Over your 4 rated asks you expected 3.0 points more discomfort than you felt; the "
        "gap is shrinking.")
    for name in KIND_NAMES[1:]:
        with qtbot.waitSignal(pane.redrawn, timeout=5000):
            pane.set_kind(name)
        kind = kind_named(name)
        assert canvas.accessibleName() == f"Chart: {kind.title}"
        assert canvas.accessibleDescription() == describe(name, pane._data)
        assert canvas.accessibleDescription()


def test_show_as_table_shows_the_csv_rows_and_is_remembered(qtbot, journal: Journal,
                                                            make_window) -> None:
    _fill(journal)
    window = make_window()
    pane = _active(qtbot, window)
    assert not pane.table_button.isChecked() and not pane.table.isVisible()
    pane.table_button.click()
    assert pane.table.isVisible() and not pane.canvas.isVisible()
    header, rows = kind_named("gap").csv(pane._data)
    shown_header, shown_rows = _table(pane)
    # the CSV's rows and columns, but the entries' UUIDs
    assert shown_header == ["Date", "Anticipated", "Actual", "Gap", "Trend: anticipated",
                            "Trend: actual", "Trend: gap"]
    assert header[1] == "entry_uuid"
    assert shown_rows == [[cell_text(value) for i, value in enumerate(row) if i != 1]
                          for row in rows]
    assert len(shown_rows) == 4
    assert pane.table.accessibleName() == "Anticipated vs actual discomfort, as a table"
    assert pane.table.accessibleDescription() == pane.description
    # another kind: the table follows
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.set_kind("outcomes")
    assert _table(pane)[0][0] == "Week starting"
    # the choice is remembered by the next window
    window.close()
    again = _active(qtbot, make_window())
    assert again.table_button.isChecked()
    assert again.table.isVisible() and not again.canvas.isVisible()
    again.table_button.click()
    assert again.canvas.isVisible() and not again.table.isVisible()
