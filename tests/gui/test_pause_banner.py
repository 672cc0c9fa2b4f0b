"""The gentle pause banner: appears on a worsening trend, not otherwise, and can be dismissed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs


def _completed(service: JournalService, days_ago: int, actual: int,
               hopeful: int | None = None) -> AttemptRecord:
    return service.save(AttemptRecord(
        ask=f"Ask {days_ago}", attempted_on=date.today() - timedelta(days=days_ago),
        anticipated_discomfort=6, outcome=Outcome.NO, actual_discomfort=actual,
        hopefulness=hopeful))


def test_no_banner_for_an_ordinary_run_of_entries(
    make_window: Callable[[], MainWindow], journal: Journal,
) -> None:
    service = JournalService(journal)
    for days_ago, actual in ((5, 6), (4, 3), (3, 4), (2, 2), (1, 3)):
        _completed(service, days_ago, actual, hopeful=1)
    window = make_window()
    assert window.evening.pause_banner.isHidden()


def test_banner_appears_on_start_when_discomfort_stays_high(
    make_window: Callable[[], MainWindow], journal: Journal,
) -> None:
    service = JournalService(journal)
    for days_ago, actual in ((5, 9), (4, 8), (3, 5), (2, 9), (1, 10)):
        _completed(service, days_ago, actual)
    window = make_window()
    banner = window.evening.pause_banner
    assert banner.isVisible()
    assert "very uncomfortable" in banner.label.text()
    assert "talk it over with someone you trust" in banner.label.text()


def test_banner_follows_new_entries_and_stays_dismissed_until_it_worsens(
    qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
) -> None:
    window = make_window()
    banner = window.evening.pause_banner
    service = window.service
    for days_ago, hopeful in ((9, -1), (8, 0), (7, -1)):
        _completed(service, days_ago, 3, hopeful)
    assert banner.isHidden(), "now and then a little less hopeful is not yet a trend"
    _completed(service, 6, 3, hopeful=-2)
    assert banner.isVisible(), "the save itself brought it up"
    assert "less hopeful" in banner.label.text()

    qtbot.mouseClick(banner.guidance_button, Qt.MouseButton.LeftButton)
    assert dialogs.infos and "When to pause" in dialogs.infos[-1][1]
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden()
    _completed(service, 5, 3, hopeful=-1)
    assert banner.isHidden(), "the same trend stays dismissed"
    assert make_window().evening.pause_banner.isHidden(), "and across a restart"

    for days_ago, actual in ((4, 9), (3, 9), (2, 9), (1, 10)):
        _completed(service, days_ago, actual, hopeful=-2)
    assert banner.isVisible(), "worse than when it was dismissed: shown again"
    assert "very uncomfortable" in banner.label.text()


def test_the_trend_ending_forgets_the_dismissal(
    make_window: Callable[[], MainWindow],
) -> None:
    window = make_window()
    service, banner = window.service, window.evening.pause_banner
    for days_ago in (9, 8, 7):
        _completed(service, days_ago, 3, hopeful=-2)
    window.evening.dismiss_pause()
    for days_ago in (6, 5, 4, 3, 2):
        _completed(service, days_ago, 2, hopeful=1)
    assert banner.isHidden()
    for days_ago in (1, 0, 0, 0):
        _completed(service, days_ago, 3, hopeful=-2)
    assert banner.isVisible(), "a new worrying trend is shown again"


def test_the_banner_links_to_where_to_find_help_in_a_crisis(
    qtbot, make_window: Callable[[], MainWindow], journal: Journal, dialogs: FakeDialogs,
) -> None:
    service = JournalService(journal)
    for days_ago, actual in ((5, 9), (4, 8), (3, 5), (2, 9), (1, 10)):
        _completed(service, days_ago, actual)
    window = make_window()
    link = window.evening.pause_banner.crisis_button
    assert link.isVisible() and "struggling" in link.text()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert [title for title, _html in dialogs.infos] == ["If you are struggling"]
    html = dialogs.infos[0][1]
    assert "emergency" in html and "doctor" in html and "crisis line" in html
    assert "findahelpline.com" in html


def test_help_offers_the_crisis_page_in_two_keystrokes(window: MainWindow) -> None:
    help_menu = next(cast(QMenu, a.menu()) for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "Help")
    assert window.crisis_action in help_menu.actions()
    assert window.crisis_action.text() == "If you are &struggling…"  # Alt+H, S
    assert window.crisis_action.shortcut().toString() == "Ctrl+Shift+H"
