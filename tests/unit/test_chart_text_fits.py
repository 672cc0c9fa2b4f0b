"""Every chart kind's text fits the chart pane (issue 20): titles, captions, legends, axis
labels and tick labels lie inside the figure, and no two of them cover each other, at the
canvas sizes the pane has in a 1024×640, 1366×768 and 1920×1080 window, with 0, 1, 2 and
500 entries."""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations
from unittest.mock import patch

import pytest
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox, BboxBase

from rejection_journal.charts.registry import KIND_NAMES, kind_named
from rejection_journal.domain.chart_stats import BeliefPair, ChartFilter
from tests.unit.test_chart_kinds import TODAY, FakeSource, _rows, _tries

#: the chart canvas (pixels at 100 dpi) of the main window at these sizes, measured offscreen:
#: 1024×640 puts the chart in a tab of the narrow layout, 1366×768 in the side tabs,
#: 1920×1080 under the entries in the side splitter
PANE_SIZES = {"1024x640": (551, 482), "1366x768": (589, 610), "1920x1080": (888, 698)}
#: the smallest canvas the pane allows (chart_pane.MIN_CANVAS_WIDTH × MIN_CANVAS_HEIGHT)
SMALLEST = (380, 305)
COUNTS = (0, 1, 2, 500)
#: pixels a text may reach past the figure's edge or into another text (anti-aliasing)
TOLERANCE = 1.0


def _source(count: int) -> FakeSource:
    rows = _rows(count)
    beliefs = [BeliefPair(r.uuid, r.day, r.anticipated, (r.anticipated or 0) - 1)
               for r in rows]
    return FakeSource(rows, beliefs, _tries(count, [(7, 3), (6, 3), (5, 3)]))


#: the data of every kind at every count, loaded once (building the figures is the test)
_DATA = {(name, count): kind_named(name).load(_source(count), ChartFilter(
    since=TODAY - timedelta(days=3650), until=TODAY)) for name in KIND_NAMES for count in COUNTS}


def _drawn(name: str, count: int, size: tuple[int, int]) -> tuple[Figure, list[Text]]:
    """The figure drawn at ``size`` pixels, and the texts the drawing drew (a tick label
    outside the axis' limits is an artist but never drawn)."""
    figure = Figure(figsize=(size[0] / 100, size[1] / 100), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    kind_named(name).build(_DATA[name, count], figure=figure)
    drawn: list[Text] = []
    draw = Text.draw

    def recorded(text: Text, renderer: RendererBase) -> None:
        if text.get_visible() and text.get_text().strip():
            drawn.append(text)
        draw(text, renderer)

    with patch.object(Text, "draw", recorded):
        figure.draw_without_rendering()
    return figure, list(dict.fromkeys(drawn))


def _inside(box: BboxBase, outer: BboxBase) -> bool:
    return bool(box.x0 >= outer.x0 - TOLERANCE and box.y0 >= outer.y0 - TOLERANCE
                and box.x1 <= outer.x1 + TOLERANCE and box.y1 <= outer.y1 + TOLERANCE)


def _overlap(a: Bbox, b: Bbox) -> float:
    """How far two boxes run into each other (0: not at all), in pixels."""
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    up = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(max(0.0, min(across, up)))


@pytest.mark.parametrize("pane", PANE_SIZES)
@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("name", KIND_NAMES)
def test_every_text_lies_inside_the_chart_and_clear_of_the_others(
        name: str, count: int, pane: str) -> None:
    figure, drawn = _drawn(name, count, PANE_SIZES[pane])
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [(text, text.get_window_extent(renderer)) for text in drawn]
    assert texts
    outside = [repr(t.get_text()) for t, box in texts if not _inside(box, figure.bbox)]
    assert not outside, f"{name}, {count} entries, {pane}: cut at the edge: {outside}"
    crossing = [(repr(a.get_text()), repr(b.get_text()))
                for (a, box_a), (b, box_b) in combinations(texts, 2)
                if _overlap(box_a, box_b) > TOLERANCE]
    assert not crossing, f"{name}, {count} entries, {pane}: texts cover each other: {crossing}"


def test_the_gap_panel_keeps_its_height_with_one_entry() -> None:
    """The gap panel had a legend of its own between the two panels, which took its room;
    now one legend above both says what every line is."""
    for pane, size in {**PANE_SIZES, "smallest": SMALLEST}.items():
        figure, drawn = _drawn("gap", 1, size)
        top, bottom = figure.axes[:2]
        between = top.bbox.y0 - bottom.bbox.y1
        assert between <= 20, (pane, between)
        assert bottom.bbox.height >= 0.4 * top.bbox.height, pane
        assert "Gap, each attempt" in [t.get_text() for t in drawn]
        if pane != "smallest":
            assert bottom.bbox.height >= 0.22 * figure.bbox.height, pane


@pytest.mark.parametrize("name", ["belief", "gap", "ladder"])
def test_a_y_label_longer_than_its_axes_wraps(name: str) -> None:
    """In the smallest pane the belief chart's y label ran past the top and bottom."""
    figure, _ = _drawn(name, 2, SMALLEST)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    for ax in figure.axes:
        label = ax.yaxis.label.get_window_extent(renderer)
        assert _inside(label, figure.bbox), ax.get_ylabel()
        assert label.height <= ax.bbox.height + TOLERANCE, ax.get_ylabel()
