"""The gap chart: what it shows, and the image files it exports."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D
from matplotlib.text import Text

from rejection_journal.charts.export import DEFAULT_DPI, ChartExportError, save_figure
from rejection_journal.charts.gap import EMPTY_MESSAGE, build_gap_figure
from rejection_journal.charts.theme import DARK, LIGHT, theme_named
from rejection_journal.domain.chart_stats import ChartRow, gap_from_rows
from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.domain.stats import GapSeries


def _gap(rows: list[tuple[date, int | None, int | None]], outcome: str = "no") -> GapSeries:
    """The gap series of these (day, anticipated, actual) entries: the one gap computation
    (chart_stats.gap_from_rows), as the chart, its CSV and the headline get it."""
    return gap_from_rows(
        ChartRow(f"uuid-{i}", day, None, before, after, None, outcome, None)
        for i, (day, before, after) in enumerate(rows))


EMPTY = _gap([])


def _series(pairs: list[tuple[int, int]], start: date = date(2024, 1, 1)) -> GapSeries:
    return _gap([(start + timedelta(days=i), before, after)
                 for i, (before, after) in enumerate(pairs)])


def _records_view(attempts: list[AttemptRecord]) -> GapSeries:
    return _gap([(a.attempted_on, a.anticipated_discomfort, a.actual_discomfort)
                 for a in attempts if a.outcome is not None and a.outcome.was_asked])


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text)]


def _line(figure: Figure, label: str) -> Line2D:
    # Lines drawn on the axes (the legend holds look-alike copies of them).
    matches = [line for ax in figure.axes for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, f"expected one line labelled {label!r}"
    return matches[0]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# -- what the chart shows ------------------------------------------------------------------

def test_an_empty_journal_shows_a_friendly_message_instead_of_axes() -> None:
    figure = build_gap_figure(EMPTY)
    assert any("No finished attempts yet" in text for text in _texts(figure))
    assert len(figure.axes) == 1
    assert not figure.axes[0].get_lines()
    assert list(figure.axes[0].get_xticks()) == []


def _dots(ax) -> list[list[float]]:
    """The y values of each scatter (one dot per attempt) on ``ax``."""
    return [[float(y) for _, y in np.asarray(c.get_offsets())] for c in ax.collections
            if isinstance(c, PathCollection)]


def _gap_line(figure: Figure) -> Line2D:
    matches = [line for ax in figure.axes for line in ax.get_lines()
               if str(line.get_label()).startswith("Gap, ")]
    assert len(matches) == 1
    return matches[0]


def test_finished_attempts_are_drawn_as_anticipated_and_actual_lines() -> None:
    pairs = [(8, 3), (7, 4), (9, 6), (6, 5), (5, 5)]
    series = _series(pairs)
    figure = build_gap_figure(series)
    anticipated = _line(figure, "Anticipated")
    actual = _line(figure, "Actual")
    assert len(np.asarray(anticipated.get_xdata())) == len(pairs)
    assert len(np.asarray(actual.get_xdata())) == len(pairs)
    assert list(np.asarray(anticipated.get_ydata())) == pytest.approx(series.rolling_anticipated)
    assert list(np.asarray(actual.get_ydata())) == pytest.approx(series.rolling_actual)
    assert not any("No finished attempts yet" in text for text in _texts(figure))


def test_every_single_rating_is_shown_as_a_dot() -> None:
    pairs = [(8, 3), (7, 4), (9, 6), (6, 5), (5, 5)]
    figure = build_gap_figure(_series(pairs))
    main = _line(figure, "Anticipated").axes
    assert sorted(_dots(main)) == sorted([[b for b, _ in pairs], [a for _, a in pairs]])


def test_the_gap_and_its_rolling_mean_are_drawn_with_the_window_named() -> None:
    # twelve entries: the chart averages the last two (gap_window), and says so
    pairs = [(8, 3), (7, 4), (9, 6)] * 4
    series = _series(pairs)
    assert series.window == 2
    figure = build_gap_figure(series)
    rolling = _gap_line(figure)
    assert rolling.get_label() == "Gap, average of last 2"
    assert list(np.asarray(rolling.get_ydata())) == pytest.approx(series.rolling_gap)
    assert [b - a for b, a in pairs] in _dots(rolling.axes)
    # under ten entries the line joins the real values
    assert _gap_line(build_gap_figure(_series(pairs[:3]))).get_label() == "Gap, each attempt"
    legends = [legend for ax in figure.axes if (legend := ax.get_legend()) is not None]
    legend_texts = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert {"Anticipated", "Actual", rolling.get_label()} <= set(legend_texts)


@pytest.mark.parametrize("pairs", [[(0, 10)], [(10, 0), (5, 5)], [(1, 1), (2, 1)]])
def test_no_gap_falls_outside_the_gap_axis(pairs) -> None:
    figure = build_gap_figure(_series(pairs))
    axes = _gap_line(figure).axes
    assert axes is not None
    low, high = axes.get_ylim()
    assert all(low < before - after < high for before, after in pairs)
    assert low < 0 < high


def test_long_histories_show_every_attempt() -> None:
    attempts = generate_attempts(builtin_challenges(), 150, seed=1, today=date(2024, 6, 30))
    series = _records_view(attempts)
    assert len(series.points) > 100
    figure = build_gap_figure(series)
    anticipated = _line(figure, "Anticipated")
    assert len(np.asarray(anticipated.get_xdata())) == len(series.points)
    assert all(len(dots) == len(series.points) for dots in _dots(anticipated.axes))


def test_themes_colour_the_figure_background() -> None:
    assert build_gap_figure(_series([(5, 2)]), DARK).get_facecolor() == to_rgba(DARK.background)
    assert build_gap_figure(_series([(5, 2)])).get_facecolor() == to_rgba(LIGHT.background)
    assert build_gap_figure(EMPTY, DARK).get_facecolor() == to_rgba(DARK.background)
    assert theme_named("dark") is DARK
    assert theme_named("light") is LIGHT
    assert theme_named("anything else") is LIGHT


def test_redrawing_into_the_same_figure_replaces_the_old_chart() -> None:
    figure = Figure()
    build_gap_figure(_series([(8, 3), (7, 4)]), figure=figure)
    assert build_gap_figure(EMPTY, figure=figure) is figure
    assert len(figure.axes) == 1
    assert not figure.findobj(Line2D)
    assert any("No finished attempts yet" in t for t in _texts(figure))
    build_gap_figure(_series([(6, 1)]), figure=figure)
    assert len(figure.axes) == 2  # discomfort above, the gap below
    assert len(np.asarray(_line(figure, "Actual").get_xdata())) == 1


# -- saving --------------------------------------------------------------------------------

@pytest.mark.parametrize("pairs", [[], [(7, 2)], [(8, 3), (7, 4), (9, 6), (2, 8)]])
def test_png_export_is_a_valid_image_of_the_right_size(tmp_path: Path, pairs) -> None:
    figure = build_gap_figure(_series(pairs))
    out = save_figure(figure, tmp_path / "gap.png", dpi=100)
    assert out == tmp_path / "gap.png"
    width, height = figure.get_size_inches()
    assert _png_size(out) == (round(width * 100), round(height * 100))


def test_png_export_default_and_custom_dpi_scale_the_image(tmp_path: Path) -> None:
    figure = build_gap_figure(_series([(8, 3), (6, 2)]))
    width, height = figure.get_size_inches()
    default = save_figure(figure, tmp_path / "default.png")
    assert _png_size(default) == (round(width * DEFAULT_DPI), round(height * DEFAULT_DPI))
    small = save_figure(figure, tmp_path / "small.png", dpi=30)
    assert _png_size(small) == (round(width * 30), round(height * 30))


def test_dark_png_export_keeps_the_dark_background(tmp_path: Path) -> None:
    out = save_figure(build_gap_figure(_series([(8, 3), (6, 2)]), DARK), tmp_path / "d.png",
                      dpi=40)
    corner = imread(out)[1, 1]
    assert tuple(corner[:3]) == pytest.approx(to_rgba(DARK.background)[:3], abs=1 / 255)


def test_svg_export_is_valid_svg(tmp_path: Path) -> None:
    out = save_figure(build_gap_figure(_series([(8, 3), (6, 2)])), tmp_path / "gap.svg")
    root = ET.parse(out).getroot()
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def test_pdf_export_is_a_pdf(tmp_path: Path) -> None:
    out = save_figure(build_gap_figure(_series([(8, 3), (6, 2)])), tmp_path / "gap.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")


def test_the_extension_decides_the_format_whatever_its_case(tmp_path: Path) -> None:
    figure = build_gap_figure(_series([(8, 3)]))
    _png_size(save_figure(figure, tmp_path / "GAP.PNG", dpi=30))
    assert save_figure(figure, tmp_path / "gap.Pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["gap.jpg", "gap", "gap.png.txt"])
def test_an_unknown_format_is_refused_and_nothing_is_written(tmp_path: Path, name) -> None:
    with pytest.raises(ChartExportError, match=r"\.png, \.svg or \.pdf"):
        save_figure(build_gap_figure(EMPTY), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dpi", [0, 29, 1201, 100_000])
def test_a_resolution_out_of_range_is_refused_and_nothing_is_written(tmp_path, dpi) -> None:
    with pytest.raises(ChartExportError, match="DPI"):
        save_figure(build_gap_figure(EMPTY), tmp_path / "gap.png", dpi=dpi)
    assert list(tmp_path.iterdir()) == []


def test_the_highest_resolution_is_accepted(tmp_path: Path) -> None:
    # (The smallest size a chart is exported at is 2 inches: its title and message fit.)
    figure = build_gap_figure(EMPTY, figure=Figure(figsize=(2, 1.6)))
    assert _png_size(save_figure(figure, tmp_path / "tiny.png", dpi=1200)) == (2400, 1920)


def test_a_failed_save_leaves_the_previous_image_and_no_temp_file(tmp_path: Path) -> None:
    out = tmp_path / "gap.png"
    save_figure(build_gap_figure(_series([(8, 3)])), out, dpi=30)
    before = out.read_bytes()
    with pytest.raises(FileNotFoundError):
        save_figure(build_gap_figure(EMPTY), tmp_path / "missing" / "gap.png")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap.png"]


def test_an_existing_image_is_replaced_privately(tmp_path: Path) -> None:
    out = tmp_path / "gap.svg"
    out.write_text("<not-svg>" * 100_000)
    out.chmod(0o644)
    save_figure(build_gap_figure(_series([(8, 3)])), out)
    assert ET.parse(out).getroot().tag.endswith("svg")
    assert out.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap.svg"]


def test_the_empty_message_is_the_one_the_chart_shows() -> None:
    assert EMPTY_MESSAGE.startswith("No finished attempts yet")


def test_a_huge_series_is_drawn_as_averages_per_period_not_merged_dots() -> None:
    # Issue 11: at 20,000 entries the dots merged into bands. Above AGGREGATE_ABOVE entries
    # the chart draws one average per day/week/month, and says so.
    from rejection_journal.domain.chart_stats import AGGREGATE_ABOVE

    start = date(2020, 1, 1)
    rows: list[tuple[date, int | None, int | None]] = [
        (start + timedelta(days=i // 10), 6, 3) for i in range(AGGREGATE_ABOVE * 30)]
    figure = build_gap_figure(_gap(rows))
    axes = figure.axes[0]
    assert not [c for c in axes.collections if type(c).__name__ == "PathCollection"]
    lines = {line.get_label(): line for line in axes.get_lines()}
    # 1,200 days: monthly averages (about 40 steps), not 12,000 points
    assert 35 <= len(np.asarray(lines["Anticipated"].get_xdata())) <= 45
    assert any("monthly averages" in t for t in _texts(figure))


# -- dates the chart cannot draw ---------------------------------------------------------------

def _series_with_odd_dates(*odd: date) -> GapSeries:
    good = [(date(2024, 1, 1) + timedelta(days=i), 7, 3) for i in range(10)]
    return _gap([*good, *((day, 5, 5) for day in odd)])


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_entries_dated_outside_the_range_are_left_out_with_a_note_and_export_works(
    tmp_path: Path, suffix: str
) -> None:
    series = _series_with_odd_dates(date(1, 1, 1), date(9999, 12, 31))
    assert len(series.points) == 10
    assert series.left_out == 2
    figure = build_gap_figure(series)
    assert any("2 entries" in text and "left out" in text and "1900" in text
               for text in _texts(figure))
    out = save_figure(figure, tmp_path / f"gap{suffix}")
    assert out.stat().st_size > 0


def test_a_journal_of_only_odd_dates_shows_the_empty_chart_with_the_note(tmp_path: Path) -> None:
    series = _gap([(date(1, 1, 1), 4, 2)])
    assert series.is_empty and series.left_out == 1
    figure = build_gap_figure(series)
    texts = _texts(figure)
    assert EMPTY_MESSAGE in texts
    assert any("1 entry" in text and "left out" in text for text in texts)
    save_figure(figure, tmp_path / "gap.png")


def test_the_edges_of_the_range_are_drawn_and_a_redraw_drops_the_note() -> None:
    figure = build_gap_figure(_series_with_odd_dates(date(1, 1, 1)))
    series = _series_with_odd_dates(date(1900, 1, 1), date(2100, 12, 31))
    assert len(series.points) == 12 and series.left_out == 0
    build_gap_figure(series, figure=figure)
    assert not any("left out" in text for text in _texts(figure))
