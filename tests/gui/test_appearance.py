"""View ▸ Appearance: System, Light, Dark — remembered, the whole window and the charts
follow at once, and exports stay light unless the export dialog says dark."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QMenu

from rejection_journal.charts.formats import ChartExportRequest
from rejection_journal.charts.registry import kind_named
from rejection_journal.charts.theme import DARK, LIGHT
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock
from rejection_journal.storage import Journal
from rejection_journal.ui import appearance
from rejection_journal.ui.chart_export_dialog import ChartExportDialog
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.theme import is_dark

from .conftest import FakeDialogs

TODAY = date(2026, 11, 23)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture(autouse=True)
def _back_to_the_system_look(qapp) -> Iterator[None]:
    """Whatever a test chose, the next test starts with the platform's own look."""
    yield
    appearance.apply_appearance(appearance.SYSTEM)


def _add_entries(journal: Journal, count: int = 3) -> None:
    for days_ago in range(count):
        journal.save_attempt(AttemptRecord(
            ask=f"Ask {days_ago}", attempted_on=TODAY - timedelta(days=days_ago),
            anticipated_discomfort=7, predicted_no_chance=70, outcome=Outcome.NO,
            actual_discomfort=3))


def _active_chart(qtbot, window: MainWindow) -> Figure:
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass
    return window.chart.figure


def test_view_menu_offers_system_light_and_dark_one_checked(window: MainWindow) -> None:
    menu = window.findChild(QMenu, "appearanceMenu")
    assert menu is not None
    assert [a.text().replace("&", "") for a in menu.actions()] == ["System", "Light", "Dark"]
    assert all(a.isCheckable() for a in menu.actions())
    assert window.appearance.group.isExclusive()
    assert [a.isChecked() for a in menu.actions()] == [True, False, False]  # the default


def test_the_choice_is_remembered_by_a_new_window(
    make_window: Callable[[], MainWindow], settings_path: Path
) -> None:
    first = make_window()
    first.appearance.actions[appearance.DARK].trigger()
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(
        appearance.SETTING) == "dark"
    first.close()
    appearance.apply_appearance(appearance.SYSTEM)  # as a fresh start would find it
    assert not is_dark(QGuiApplication.palette())

    second = make_window()
    assert second.appearance.current == "dark"
    assert second.appearance.actions[appearance.DARK].isChecked()
    assert is_dark(QGuiApplication.palette())
    assert is_dark(second.palette())


def test_dark_redraws_the_chart_at_once_and_light_brings_it_back(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow]
) -> None:
    _add_entries(journal)
    window = make_window()
    figure = _active_chart(qtbot, window)
    assert to_hex(figure.get_facecolor()) == LIGHT.background

    window.appearance.choose(appearance.DARK)
    assert to_hex(figure.get_facecolor()) == DARK.background  # redrawn, no wait
    texts = [t for ax in figure.axes for t in (ax.title, ax.xaxis.label, ax.yaxis.label)
             if t.get_text()]
    assert texts and all(to_hex(t.get_color()) in (DARK.foreground, DARK.muted) for t in texts)

    window.appearance.choose(appearance.LIGHT)
    assert to_hex(figure.get_facecolor()) == LIGHT.background


def test_dark_is_the_whole_window_banners_and_labels_from_the_palette(
    make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.appearance.choose(appearance.DARK)
    palette = window.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 180
    assert palette.color(QPalette.ColorRole.Base).lightness() < 80
    label = window.findChild(QLabel)
    assert label is not None and is_dark(label.palette())
    # The tinted banners take the dark tints (light text on a dark tint), in step.
    dark = appearance.TONES[appearance.DARK]
    for name, tone in (("pauseBanner", "calm"), ("demoBanner", "note")):
        style = _frame(window, name).styleSheet()
        assert dark[f"{tone}_bg"] in style and dark[f"{tone}_fg"] in style
    window.appearance.choose(appearance.LIGHT)
    light = appearance.TONES[appearance.LIGHT]
    assert light["calm_bg"] in _frame(window, "pauseBanner").styleSheet()
    assert not is_dark(window.palette())


def _words(figure: Figure) -> str:
    return " ".join(text.get_text() for text in figure.findobj(Text) if isinstance(text, Text))


def _frame(window: MainWindow, name: str) -> QFrame:
    frame = window.findChild(QFrame, name)
    assert frame is not None, name
    return frame


def test_system_follows_a_dark_gtk_theme(
    make_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GTK_THEME", "Adwaita:dark")
    window = make_window()
    assert window.appearance.current == appearance.SYSTEM
    assert is_dark(window.palette())


def test_exports_stay_light_in_a_dark_window_unless_asked(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
    tmp_path: Path
) -> None:
    _add_entries(journal)
    window = make_window()
    _active_chart(qtbot, window)
    window.appearance.choose(appearance.DARK)
    light = tmp_path / "light.svg"
    dialogs.chart_exports.append(ChartExportRequest(light, fmt="svg"))
    assert window.export_chart() == light
    assert LIGHT.background in light.read_text()
    assert DARK.background not in light.read_text()

    dark = tmp_path / "dark.svg"
    dialogs.chart_exports.append(ChartExportRequest(dark, fmt="svg", dark=True))
    assert window.export_chart() == dark
    assert DARK.background in dark.read_text()
    assert dialogs.offered_chart_exports[-1].dark is False
    dialogs.chart_exports.append(None)
    window.export_chart()
    assert dialogs.offered_chart_exports[-1].dark is True  # remembered


def test_the_export_dialog_offers_a_dark_background(qtbot, tmp_path: Path) -> None:
    dialog = ChartExportDialog(ChartExportRequest(tmp_path / "c.png"))
    qtbot.addWidget(dialog)
    assert dialog.request().dark is False
    dialog.dark_check.setChecked(True)
    assert dialog.request().dark is True
    again = ChartExportDialog(ChartExportRequest(tmp_path / "c.png", dark=True))
    qtbot.addWidget(again)
    assert again.dark_check.isChecked()


def test_the_click_hint_is_on_screen_only(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow], dialogs: FakeDialogs,
    tmp_path: Path
) -> None:
    _add_entries(journal)
    window = make_window()
    figure = _active_chart(qtbot, window)
    shown = _words(figure)
    assert "click" in shown.lower()
    out = tmp_path / "gap.svg"
    dialogs.chart_exports.append(ChartExportRequest(out, fmt="svg"))
    assert window.export_chart() == out
    exported = kind_named("gap").figure(window.chart._data, LIGHT)
    words = _words(exported)
    assert "Lines join your own ratings" in words
    assert "click" not in words.lower()


def test_style_sheets_that_name_palette_colours_follow_the_switch(window: MainWindow) -> None:
    """The challenge picker's card reads palette(alternate-base): after Dark it is dark,
    not the light colour read when the window was built."""
    card = window.picker.today_card
    assert "palette(" in card.styleSheet()

    def card_lightness() -> int:
        image = card.grab().toImage()
        return image.pixelColor(3, image.height() // 2).lightness()

    assert card_lightness() > 200
    window.appearance.choose(appearance.DARK)
    assert card_lightness() < 80
    window.appearance.choose(appearance.LIGHT)
    assert card_lightness() > 200
