"""Every documented shortcut works whichever kind of widget has the keyboard (issue 20).

A focused widget is asked first whether it wants a key (Qt's ShortcutOverride).  With the
X11, GNOME and KDE key bindings a one-line field claims Ctrl+E ("end of line"), so *Export
chart* did nothing from *What you ask*.  The offscreen platform's key bindings claim less, so
these tests let the focused widget claim every key, as the strictest key bindings would, and
check that the window's own shortcuts still reach their actions.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from rejection_journal.domain.guidance import CRISIS_TITLE
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.shortcuts import WindowShortcutsWin
from tests.gui.conftest import FakeDialogs

README = Path(__file__).resolve().parents[2] / "README.md"


def documented_shortcuts() -> list[str]:
    """The Ctrl+… keys of the README's *Using the app* table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("## Using the app", 1)[1].split("The window at 1024×640", 1)[0]
    found = re.findall(r"\*\*(Ctrl\+[^*]+)\*\*", table)
    return list(dict.fromkeys(found))


class ClaimsEveryKey(QObject):
    """A focused widget that wants every key for itself (as a line edit wants Ctrl+E)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
        return False


WIDGET_KINDS: dict[str, Callable[[MainWindow], QWidget]] = {
    "line edit (What you ask)": lambda w: w.editor.ask,
    "line edit (Who you asked)": lambda w: w.editor.who_asked,
    "rating field": lambda w: w.editor.anticipated,
    "plain text edit": lambda w: w.editor.feelings_before,
    "date edit": lambda w: w.editor.attempted_on,
    "spin box": lambda w: w.picker.min_level,
    "combo box": lambda w: w.picker.category,
    "check box": lambda w: w.picker.show_archived,
    "list view": lambda w: w.picker.list,
    "table view": lambda w: w.entries.table,
}

#: a text field keeps Ctrl+Z / Ctrl+Shift+Z for undoing its own typing
TEXT_KINDS = {"line edit (What you ask)", "line edit (Who you asked)", "rating field",
              "plain text edit", "date edit", "spin box"}
TEXT_UNDO = {"Ctrl+Z", "Ctrl+Shift+Z"}


def _action_for(window: MainWindow, keys: str) -> QAction:
    sequence = QKeySequence(keys)
    found = [a for a in window.findChildren(QAction)
             if any(s.matches(sequence) is QKeySequence.SequenceMatch.ExactMatch
                     for s in a.shortcuts())]
    assert len(found) == 1, f"{keys}: {[a.text() for a in found]}"
    return found[0]


def _press(qtbot, widget: QWidget, keys: str) -> None:
    combination = QKeySequence(keys)[0]  # type: ignore[index]  # (PySide6 stubs)
    QTest.keyClick(widget, combination.key(), combination.keyboardModifiers())


@pytest.fixture
def wide(make_window: Callable[[], MainWindow], journal: Journal, qtbot) -> MainWindow:
    # one entry, so the list shows rows
    journal.save_attempt(AttemptRecord(ask="Ask for a window seat",
                                       attempted_on=date(2024, 5, 1)))
    window = make_window()
    window.resize(1600, 1000)  # every pane beside the others, none in a tab
    qtbot.waitUntil(lambda: window.picker.list.isVisible() and window.entries.table.isVisible())
    return window


def test_the_readme_table_names_the_shortcuts_and_each_is_one_action(wide: MainWindow) -> None:
    documented = documented_shortcuts()
    assert {"Ctrl+N", "Ctrl+S", "Ctrl+F", "Ctrl+E", "Ctrl+Shift+E", "Ctrl+I", "Ctrl+R",
            "Ctrl+Q", "Ctrl+Z", "Ctrl+1", "Ctrl+4"} <= set(documented)
    for keys in documented:
        _action_for(wide, keys)


@pytest.mark.parametrize("kind", list(WIDGET_KINDS))
def test_every_documented_shortcut_fires_from_every_kind_of_widget(
        qtbot, wide: MainWindow, kind: str) -> None:
    keys = [*documented_shortcuts(), "Ctrl+Shift+H", "F1"]  # Help's two, from the menus
    fired: list[str] = []
    for key in keys:
        action = _action_for(wide, key)
        action.triggered.disconnect()  # only whether it fires: no dialogs, no quitting
        action.setEnabled(True)  # (Undo and Redo are off until there is something to undo)
        action.triggered.connect(lambda _checked=False, key=key: fired.append(key))
    widget = WIDGET_KINDS[kind](wide)
    greedy = ClaimsEveryKey(widget)
    widget.installEventFilter(greedy)
    expected = []
    for key in keys:
        if kind in TEXT_KINDS and key in TEXT_UNDO:
            continue
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(widget.hasFocus)
        _press(qtbot, widget, key)
        expected.append(key)
        assert fired == expected, f"{key} did nothing in the {kind}"


def test_ctrl_e_in_what_you_ask_opens_the_chart_export(
        qtbot, wide: MainWindow, dialogs: FakeDialogs) -> None:
    ask = wide.editor.ask
    ask.installEventFilter(greedy := ClaimsEveryKey(ask))
    ask.setFocus()
    qtbot.waitUntil(ask.hasFocus)
    QTest.keyClicks(ask, "Ask for a discount")
    dialogs.save_paths.append(None)  # the export dialog, cancelled
    _press(qtbot, ask, "Ctrl+E")
    assert len(dialogs.offered_chart_exports) == 1
    assert ask.text() == "Ask for a discount"
    assert greedy is not None


def test_a_text_fields_own_undo_stays_its_own(qtbot, wide: MainWindow) -> None:
    ask = wide.editor.ask
    ask.setFocus()
    qtbot.waitUntil(ask.hasFocus)
    QTest.keyClicks(ask, "Ask")
    undone: list[bool] = []
    wide.undo_action.triggered.connect(lambda: undone.append(True))
    _press(qtbot, ask, "Ctrl+Z")
    assert ask.text() == "" and not undone


def test_the_crisis_help_opens_from_a_line_edit(
        qtbot, wide: MainWindow, dialogs: FakeDialogs) -> None:
    who = wide.editor.who_asked
    who.installEventFilter(ClaimsEveryKey(who))
    who.setFocus()
    qtbot.waitUntil(who.hasFocus)
    _press(qtbot, who, "Ctrl+Shift+H")
    assert [title for title, _html in dialogs.infos] == [CRISIS_TITLE]
    assert "findahelpline.com" in dialogs.infos[0][1]
    assert "href" not in dialogs.infos[0][1]  # shown as text: nothing opens the network


def test_the_window_installs_one_winner(wide: MainWindow) -> None:
    assert len(wide.findChildren(WindowShortcutsWin)) == 1


@pytest.mark.subprocess
@pytest.mark.slow
def test_ctrl_e_from_what_you_ask_on_a_real_x_display(tmp_path: Path) -> None:
    """On X11 (xcb) a one-line field's "end of line" is Ctrl+E: the export still comes."""
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (`bash .ci/run` installs it)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb",
               "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
        result = subprocess.run(
            [sys.executable, "-m", "tests.gui.xcb_shortcut_check"],
            cwd=README.parent, env=env, capture_output=True, text=True, timeout=120)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "a field's end of line is Ctrl+E: True" in result.stdout, (result.stdout,
                                                                     result.stderr)
    assert result.stdout.strip().endswith("ok"), (result.stdout, result.stderr)
    assert result.returncode == 0
