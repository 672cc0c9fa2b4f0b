"""Issue 22, first paint first: the panes not on the first screen (the Ladders & runs tab, the
chart behind its tab) are built when first shown, and then show the journal as it is then —
not as it was when the window opened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.panes import Arrangement


def _small_window(make_window: Callable[[], MainWindow], settings_path: Path) -> MainWindow:
    """A window that opens narrow (a 1024x640 laptop): the chart is a tab behind the list."""
    sized = QWidget()
    sized.resize(1024, 640)
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", sized.saveGeometry())
    settings.sync()
    sized.deleteLater()
    window = make_window()
    assert window.panes.arrangement is Arrangement.NARROW
    return window


def test_the_ladders_tab_is_built_when_first_chosen_and_shows_a_ladder_made_before(
        qtbot, make_window: Callable[[], MainWindow], settings_path: Path) -> None:
    window = _small_window(make_window, settings_path)
    tabs = window.picker_tabs
    assert not tabs.ladders_tab.is_built, "the ladders tab was built before it was shown"
    assert tabs.tabText(1) == "Ladders && runs"
    challenge = window.service.challenges()[0]
    ladder = window.service.new_ladder("Ask for small things", [challenge.uuid])

    tabs.setCurrentIndex(1)
    assert tabs.ladders_tab.is_built
    panel = window.ladders
    assert tabs.widget(1) is panel and tabs.currentWidget() is panel
    assert panel.current_ladder_uuid() == ladder.uuid
    assert challenge.title in str(panel.rung_texts())
    # and from now on it hears changes like every other view
    window.service.new_ladder("Ask strangers", [challenge.uuid])
    qtbot.waitUntil(lambda: panel.ladder_combo.count() == 2)


def test_the_chart_is_built_when_its_tab_is_first_shown_and_draws_the_journal_as_it_is(
        qtbot, make_window: Callable[[], MainWindow], settings_path: Path) -> None:
    window = _small_window(make_window, settings_path)
    assert not window.chart_box.is_built, "the chart was built before it was shown"
    window.service.add_demo_data(40)

    window.panes.tabs.setCurrentWidget(window.chart_box)
    assert window.chart_box.is_built
    chart = window.chart
    assert window.panes.tabs.currentWidget() is chart  # the chart took its stand-in's place
    assert window.panes.current_tab() == "chart"
    if not chart.is_active:
        with qtbot.waitSignal(chart.activated, timeout=20_000):
            pass
    # the demo entries added after the window opened are drawn (an empty journal's gap chart
    # says there is no gap to show yet)
    qtbot.waitUntil(lambda: chart.description.startswith("Over the last"))
    assert chart.kind_combo in window.focus_chain()


def test_the_chart_built_late_still_opens_entries_and_exports(
        qtbot, make_window: Callable[[], MainWindow], settings_path: Path) -> None:
    window = _small_window(make_window, settings_path)
    window.go_chart_action.trigger()  # View ▸ Chart (Ctrl+4) builds and shows it
    assert window.panes.tabs.currentWidget() is window.chart
    assert window.chart.kind_combo.hasFocus() or not window.isActiveWindow()
