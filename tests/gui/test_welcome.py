"""The first-run welcome: shown once, reachable from Help, with removable demo entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QMenu

from rejection_journal.domain.guidance import NOT_THERAPY
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.welcome import WelcomeDialog
from tests.gui.conftest import FakeDialogs


def _settle(qtbot) -> None:
    """Let timers already due (the welcome's, started with the window) run first."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))


def test_the_welcome_is_shown_once_and_help_reaches_it(
    qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
    settings_path,
) -> None:
    first = make_window()
    qtbot.waitUntil(lambda: dialogs.welcomes == [True])  # demo entries offered: empty journal
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value("welcome/shown")

    second = make_window()
    _settle(qtbot)
    assert dialogs.welcomes == [True], "a later start does not show it again"

    help_menu = cast(QMenu, second.menuBar().actions()[-1].menu())
    welcome = [a for a in help_menu.actions() if a.text().replace("&", "") == "Welcome…"]
    second.service.save(AttemptRecord(ask="My first ask", attempted_on=date.today()))
    welcome[0].trigger()
    assert dialogs.welcomes == [True, False], "reachable from Help; no demo beside real entries"
    assert first.evening.welcome_seen


def test_demo_entries_from_the_welcome_are_marked_and_removed_in_one_step(
    qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
) -> None:
    dialogs.welcome_answers = ["demo"]
    window = make_window()
    qtbot.waitUntil(lambda: window.service.attempt_count() > 0)
    count = window.service.attempt_count()
    assert window.entries.model.rowCount() == count
    banner = window.evening.demo_banner
    assert banner.isVisible() and "demo entries" in banner.label.text()
    assert window.evening.remove_demo_action.isEnabled()
    assert window.evening.open_button.isVisible(), "demo data leaves entries to review"

    mine = window.service.save(AttemptRecord(ask="My own ask", attempted_on=date.today()))
    qtbot.mouseClick(banner.remove_button, Qt.MouseButton.LeftButton)
    assert window.service.attempt_uuids_sorted() == [mine.uuid], "only the demo entries went"
    assert window.entries.model.rowCount() == 1
    assert not banner.isVisible() and not window.evening.remove_demo_action.isEnabled()
    assert "Your own entries are untouched" in window.statusBar().currentMessage()


def test_the_welcome_says_what_this_is_and_when_not_to_do_it(qtbot) -> None:
    dialog = WelcomeDialog(can_add_demo=True)
    qtbot.addWidget(dialog)
    label = dialog.findChild(type(dialog.note), "welcomeText")
    assert label is not None
    text = label.text()
    for words in ("Rejection therapy", NOT_THERAPY, "When to leave it for now",
                  "mental-health professional", "no account, no network"):
        assert words in text, words
    asked: list[bool] = []
    dialog.demoRequested.connect(lambda: asked.append(True))
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert asked == [True] and not dialog.isVisible()

    no_demo = WelcomeDialog(can_add_demo=False)
    qtbot.addWidget(no_demo)
    assert no_demo.demo_button.isHidden() and "already has entries" in no_demo.note.text()


def test_quit_still_works_while_the_welcome_is_open(
    qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: dialogs.welcomes == [True])  # the first start's, answered
    window.dialogs = window.evening.dialogs = _RealWelcome(window)
    window.evening.show_welcome()
    welcome = window.findChild(WelcomeDialog)
    assert welcome is not None
    qtbot.waitUntil(welcome.isActiveWindow)
    qtbot.keyClick(welcome, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not welcome.isVisible() and not window.isVisible()


class _RealWelcome(FakeDialogs):
    """Canned answers, except the welcome: the real one, opened over ``window``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.parent = window

    def show_welcome(self, can_add_demo: bool, on_demo: Callable[[], None],
                     on_plan: Callable[[], None] | None = None) -> None:
        from rejection_journal.ui.dialogs import Dialogs

        Dialogs.show_welcome(self, can_add_demo, on_demo, on_plan)
