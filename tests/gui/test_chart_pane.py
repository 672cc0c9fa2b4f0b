"""The chart pane in the real window: kinds, ranges, clicking a dot, export through the seam."""

from __future__ import annotations

import csv
import struct
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import Collection
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from rejection_journal.charts.common import entry_artists
from rejection_journal.charts.formats import ChartExportRequest
from rejection_journal.charts.kinds import SHOWN_FIELDS
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import Change, FixedClock
from rejection_journal.storage import Journal
from rejection_journal.ui import chart_pane
from rejection_journal.ui.chart_export_dialog import ChartExportDialog
from rejection_journal.ui.journal_actions import CSV_FILTER
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs

TODAY = date(2026, 11, 23)


@pytest.fixture
def clock() -> FixedClock:
    """The windows' "today": ranges and the headline's month count from it, whatever day
    the suite runs."""
    return FixedClock(TODAY)


def _add(journal: Journal, days_ago: int, before: int, after: int,
         outcome: Outcome = Outcome.NO, reason: Reason | None = None) -> AttemptRecord:
    return journal.save_attempt(AttemptRecord(
        ask=f"Ask {days_ago}", attempted_on=TODAY - timedelta(days=days_ago),
        anticipated_discomfort=before, predicted_no_chance=70, outcome=outcome,
        actual_discomfort=after, reasons=(reason,) if reason else ()))


def _active(qtbot, window: MainWindow) -> chart_pane.ChartPane:
    if not window.chart.is_active:
        with qtbot.waitSignal(window.chart.activated, timeout=20_000):
            pass
    return window.chart


def _line_x(pane: chart_pane.ChartPane, label: str) -> list[object]:
    return [x for ax in pane.figure.axes for line in ax.get_lines()
            if line.get_label() == label for x in np.asarray(line.get_xdata())]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_kind_selector_switches_charts_and_what_redraws_them(
    qtbot, journal: Journal, make_window
) -> None:
    _add(journal, 1, 8, 3, reason=Reason.TIMING)
    pane = _active(qtbot, make_window())
    names = [pane.kind_combo.itemData(i) for i in range(pane.kind_combo.count())]
    assert names == ["gap", "calibration", "belief", "outcomes", "reasons", "ladder",
                     "self-check", "learned"]
    titles = {"gap": pane.figure.get_suptitle()}
    for name in names[1:]:
        with qtbot.waitSignal(pane.redrawn, timeout=5000):
            pane.set_kind(name)
        titles[name] = pane.figure.get_suptitle()
    assert titles["calibration"].startswith("Predicted vs actual")
    assert titles["reasons"].startswith("Why the answer")
    # A reason change redraws the reasons chart, not the gap chart.
    reason_change = Change(changed=("x",), fields=frozenset({"reasons"}))
    pane.set_kind("gap")
    pane.apply_change(reason_change)
    assert not pane.is_stale
    pane.set_kind("reasons")
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.apply_change(reason_change)
    assert not pane.is_stale
    assert "reasons" in SHOWN_FIELDS["reasons"]
    assert "reasons" not in SHOWN_FIELDS["gap"]
    # Re-rating a fear redraws "What you learned" (issue 21), not the gap chart.
    fear_change = Change(changed=("x",), fields=frozenset({"fear_likelihood_after"}))
    pane.set_kind("gap")
    pane.apply_change(fear_change)
    assert not pane.is_stale
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.set_kind("learned")
    assert pane.figure.get_suptitle() == "What you learned"
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.apply_change(fear_change)
    assert not pane.is_stale


def test_range_presets_and_the_category_filter_choose_the_entries(
    qtbot, journal: Journal, make_window
) -> None:
    _add(journal, 2, 8, 3)
    _add(journal, 45, 6, 2)
    _add(journal, 200, 9, 1)
    pane = _active(qtbot, make_window())
    assert len(_line_x(pane, "Anticipated")) == 3  # "All time" to start with
    for preset, shown in (("Last 30 days", 1), ("Last 90 days", 2), ("Last year", 3)):
        with qtbot.waitSignal(pane.redrawn, timeout=5000):
            pane.range_combo.setCurrentText(preset)
        assert len(_line_x(pane, "Anticipated")) == shown, preset
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.range_combo.setCurrentText("Custom…")
    assert pane.since_edit.isVisible() and pane.until_edit.isVisible()
    flt = pane.chart_filter()
    assert flt.until == TODAY and flt.since == TODAY - timedelta(days=29)
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.range_combo.setCurrentText("All time")
    # Free-form asks have no category: filtering by one leaves the chart empty, honestly.
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.category_combo.setCurrentIndex(pane.category_combo.findData("career"))
    assert any("No finished attempts yet" in t.get_text() for t in pane.figure.axes[0].texts)


def test_the_headline_shows_this_months_gap_and_the_brier_score(
    qtbot, journal: Journal, make_window
) -> None:
    _add(journal, 0, 8, 3)
    pane = _active(qtbot, make_window())
    text = pane.headline.text()
    assert "+5.0" in text  # 8 feared, 3 felt
    assert "Brier score: <b>0.09</b>" in text  # 70 % predicted, it was a no: 0.3²


def test_clicking_a_dot_opens_that_entry_in_the_editor(
    qtbot, journal: Journal, make_window
) -> None:
    older = _add(journal, 3, 8, 3)
    newer = _add(journal, 1, 5, 5)
    window = make_window()
    pane = _active(qtbot, window)
    pane.canvas.draw()  # type: ignore[attr-defined]
    dots = entry_artists(pane.figure)[0]
    assert isinstance(dots, Collection)
    x, y = dots.get_offset_transform().transform(np.asarray(dots.get_offsets())[0])
    ratio = pane.canvas.devicePixelRatioF()
    at = QPoint(round(x / ratio), round(pane.canvas.height() - y / ratio))
    with qtbot.waitSignal(pane.entryActivated, timeout=5000) as signal:
        qtbot.mouseClick(pane.canvas, Qt.MouseButton.LeftButton, pos=at)
    assert signal.args == [older.uuid]
    assert window.editor.current_uuid == older.uuid
    assert newer.uuid != older.uuid


def test_export_honours_the_chosen_type_size_and_resolution_and_remembers_them(
    qtbot, journal: Journal, make_window, dialogs: FakeDialogs, tmp_path: Path,
    settings_path: Path,
) -> None:
    _add(journal, 1, 8, 3)
    window = make_window()
    _active(qtbot, window)
    # Issue 11: SVG chosen, a name typed without an extension: it wrote a PNG.
    dialogs.chart_exports.append(ChartExportRequest(tmp_path / "chart", fmt="svg",
                                                    width=6, height=4))
    assert window.export_chart() == tmp_path / "chart.svg"
    assert ET.parse(tmp_path / "chart.svg").getroot().tag.endswith("svg")
    # The image is the size asked for, not the pane's.
    dialogs.chart_exports.append(ChartExportRequest(tmp_path / "big.png", fmt="png",
                                                    width=10, height=5.625, dpi=120))
    assert window.export_chart() == tmp_path / "big.png"
    assert _png_size(tmp_path / "big.png") == (1200, 675)
    dialogs.chart_exports.append(ChartExportRequest(tmp_path / "t.png", fmt="png",
                                                    transparent=True, dpi=72))
    window.export_chart()
    from matplotlib.image import imread

    assert imread(tmp_path / "t.png")[0, 0][3] == 0.0  # transparent corner
    assert dialogs.errors == []
    # What was chosen last is offered next time, in the same folder.
    dialogs.chart_exports.append(None)
    assert window.export_chart() is None
    offered = dialogs.offered_chart_exports[-1]
    assert offered.path.parent == tmp_path
    assert (offered.fmt, offered.dpi, offered.transparent) == ("png", 72, True)
    stored = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert stored.value("chartExport/folder") == str(tmp_path)


def test_export_refuses_an_out_of_range_resolution_and_writes_nothing(
    qtbot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    _active(qtbot, window)
    dialogs.chart_exports.append(ChartExportRequest(tmp_path / "x.png", dpi=601))
    assert window.export_chart() is None
    assert "DPI" in dialogs.errors[0][1]
    assert list(tmp_path.glob("x*")) == []


def test_export_data_writes_exactly_the_plotted_numbers(
    qtbot, journal: Journal, make_window, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    _add(journal, 3, 8, 3)
    _add(journal, 1, 6, 4)
    pane = _active(qtbot, make_window())
    dialogs.save_paths.append(tmp_path / "numbers")
    assert pane.export_data() == tmp_path / "numbers.csv"
    rows = list(csv.DictReader((tmp_path / "numbers.csv").read_text().splitlines()))
    assert [float(r["line_anticipated"]) for r in rows] == [8.0, 6.0]
    assert [float(r["line_gap"]) for r in rows] == [5.0, 2.0]


def test_copy_puts_the_chart_on_the_clipboard(
    qtbot, window: MainWindow
) -> None:
    pane = _active(qtbot, window)
    QApplication.clipboard().clear()
    assert pane.copy_image()
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.width() > 100


def test_the_journal_export_honours_the_chosen_type(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    _add(journal, 1, 8, 3)
    # CSV chosen, a name without an extension: it used to write JSON named .json.
    dialogs.save_paths.append(tmp_path / "entries")
    dialogs.save_types.append(CSV_FILTER)
    assert window.journal_actions.export_journal() == tmp_path / "entries.csv"
    assert (tmp_path / "entries.csv").read_text().splitlines()[0].count(",") > 3
    # A known extension typed wins: the name and the content agree.
    dialogs.save_paths.append(tmp_path / "all.json")
    dialogs.save_types.append(CSV_FILTER)
    assert window.journal_actions.export_journal() == tmp_path / "all.json"
    assert (tmp_path / "all.json").read_text().lstrip().startswith("{")


def test_the_export_dialog_keeps_the_name_and_the_format_in_step(qtbot) -> None:
    dialog = ChartExportDialog(ChartExportRequest(Path("/tmp/chart.png")))
    qtbot.addWidget(dialog)
    assert dialog.fmt == "png" and dialog.dpi_spin.isEnabled()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("svg"))
    assert dialog.path_edit.text() == "/tmp/chart.svg"
    assert not dialog.dpi_spin.isEnabled()  # vector: no resolution to choose
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, "/tmp/report.pdf")
    assert dialog.fmt == "pdf"
    dialog.size_combo.setCurrentText("Square (6 × 6 in)")
    assert (dialog.width_spin.value(), dialog.height_spin.value()) == (6.0, 6.0)
    dialog.width_spin.setValue(7)
    assert dialog.size_combo.currentText() == "Custom"
    assert dialog.dpi_spin.minimum() == 72 and dialog.dpi_spin.maximum() == 600
    request = dialog.request()
    assert (request.path, request.fmt, request.width, request.height) == (
        Path("/tmp/report.pdf"), "pdf", 7.0, 6.0)


def test_the_pane_holds_the_rows_of_the_shown_kind_only(
    qtbot, journal: Journal, make_window
) -> None:
    """Issue 22, memory: the gap chart holds only its points (finished asks rated twice),
    never every entry's chart row; another kind holds the rows and drops the points.  The
    headline says the same either way."""
    for days_ago in range(1, 9):
        _add(journal, days_ago, 7, days_ago % 5)
    journal.save_attempt(AttemptRecord(ask="Still open", attempted_on=TODAY,
                                       anticipated_discomfort=6, predicted_no_chance=50))
    pane = _active(qtbot, make_window())
    assert pane.kind == "gap"
    assert pane._rows is None, "the gap chart does not hold every entry's row"
    assert pane._points is not None and len(pane._points) == 8
    gap_headline = pane.headline.text()
    assert "average gap" in gap_headline
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.set_kind("calibration")
    assert pane._points is None and pane._rows is not None and len(pane._rows) == 9
    assert pane.headline.text() == gap_headline
    with qtbot.waitSignal(pane.redrawn, timeout=5000):
        pane.set_kind("gap")
    assert pane._rows is None and pane._points is not None
