"""One window title, by Qt's conventions (issue 20): "Rejection Journal" for the journal in
its default place, "<folder> — Rejection Journal" for another, and a modified mark only while
there are unsaved edits. It read "Rejection Journal* — Rejection Journal" when edited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from rejection_journal import APP_NAME
from rejection_journal.paths import default_data_dir
from rejection_journal.storage import Journal, open_journal
from rejection_journal.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _display_name(qapp: QGuiApplication) -> Iterator[None]:
    """The display name the app sets (app.py), for these tests only."""
    before = QGuiApplication.applicationDisplayName()
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    yield
    QGuiApplication.setApplicationDisplayName(before)


def shown_title(window: MainWindow) -> str:
    """The title the window manager shows: Qt puts the modified mark where "[*]" is, and
    the platform (QPlatformWindow::formatWindowTitle) adds " — " and the application's display
    name unless the title already ends in it."""
    handle = window.windowHandle()
    assert handle is not None
    title, name = handle.title(), QGuiApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} \N{EM DASH} {name}"


def _edit_and_save(window: MainWindow, qtbot) -> list[str]:
    """The shown title clean, while an ask is typed, and after it is saved."""
    titles = [shown_title(window)]
    qtbot.keyClicks(window.editor.ask, "Ask for a discount")
    titles.append(shown_title(window))
    window.editor.save()
    titles.append(shown_title(window))
    return titles


@pytest.fixture
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Journal]:
    """The windows' journal: in the default place, or in a folder named "journal"."""
    place = default_data_dir() if request.param == "default" else tmp_path / "journal"
    j = open_journal(place)
    try:
        yield j
    finally:
        j.close()


@pytest.mark.parametrize(("journal", "titles"), [
    ("default", ["Rejection Journal", "*Rejection Journal", "Rejection Journal"]),
    ("other", ["journal — Rejection Journal", "*journal — Rejection Journal",
               "journal — Rejection Journal"]),
], indirect=["journal"])
def test_the_title_names_the_journal_once_and_marks_unsaved_edits(
        qtbot, make_window: Callable[[], MainWindow], titles: list[str]) -> None:
    window = make_window()
    assert _edit_and_save(window, qtbot) == titles
