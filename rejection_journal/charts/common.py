"""What every chart kind shares: figure set-up, titles, captions, legends that never cover
data, date axes at day granularity or coarser, empty states, and clickable entry points."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DayLocator, date2num
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import Locator

from rejection_journal.charts.theme import ChartTheme

DEFAULT_SIZE = (8.0, 5.5)  # inches: the figure a builder makes when given none

#: artists whose points are single entries, with the entries' UUIDs (see :func:`entry_at`)
_ENTRY_UUIDS: weakref.WeakKeyDictionary[Artist, tuple[str, ...]] = weakref.WeakKeyDictionary()


#: what a figure's words must fit (see :class:`FittingLayout`), per figure
_FITS: weakref.WeakKeyDictionary[Figure, _Fits] = weakref.WeakKeyDictionary()
#: the space (pixels at 100 dpi, scaled with the figure's dpi) kept free at a figure's edges
EDGE = 8.0


@dataclass
class _Fits:
    #: texts that wrap to the figure's width: (artist, text as written, share of the width)
    texts: list[tuple[Text, str, float]] = field(default_factory=list)
    #: what fits to the axes once laid out: legends and y-axis labels
    after_layout: list[_LegendFit | _LabelFit] = field(default_factory=list)
    #: the figure size (pixels, dpi) the words were last fitted to
    fitted: tuple[float, float, float] | None = None


@dataclass
class _LegendFit:
    """A legend above ``ax``, with at most ``wanted`` columns and as many as fit beside it."""

    ax: Axes
    wanted: int
    build: Callable[[int], Legend]
    ncols: int = 0

    def fit(self, fig: Figure, renderer: RendererBase, edge: float) -> bool:
        room = fig.bbox.width - self.ax.get_window_extent(renderer).x0 - 2 * edge
        for ncols in range(self.wanted, 0, -1):
            if ncols == 1 or self._width(ncols, renderer) <= room:
                break
        if ncols == self.ncols:
            return False
        self.build(ncols)
        self.ncols = ncols
        # The layout measures how far the legend reaches past its axes from where the axes
        # are now: reach the axes out to the figure's edge (the legend now fits there), or a
        # legend that was too wide keeps them narrow however few its columns.
        pos = self.ax.get_position(original=True)
        right = 1 - 2 * edge / fig.bbox.width
        self.ax.set_position((pos.x0, pos.y0, max(pos.width, right - pos.x0), pos.height))
        self.ax.set_in_layout(True)  # set_position takes it out of the layout
        return True

    def _width(self, ncols: int, renderer: RendererBase) -> float:
        return float(self.build(ncols).get_window_extent(renderer).width)


@dataclass
class _LabelFit:
    """The y-axis label of ``ax``, wrapped to the axes' height."""

    ax: Axes
    written: str

    def fit(self, fig: Figure, renderer: RendererBase, edge: float) -> bool:
        label = self.ax.yaxis.label
        wrapped = wrap_to(self.written, self.ax.get_window_extent(renderer).height,
                          label.get_fontproperties(), renderer)
        if wrapped == label.get_text():
            return False
        label.set_text(wrapped)
        return True


def text_width(text: str, prop: FontProperties, renderer: RendererBase) -> float:
    """How wide ``text`` (one line) is drawn, in the renderer's pixels."""
    return float(renderer.get_text_width_height_descent(text, prop, ismath=False)[0])


def wrap_to(text: str, width: float, prop: FontProperties, renderer: RendererBase) -> str:
    """``text`` with its lines broken between words so that none is wider than ``width``
    pixels (a single word wider than that keeps a line of its own)."""
    lines = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        while words:
            # the most words that fit, found in a few measurements (each costs a layout)
            fitting, beyond = 1, len(words) + 1
            if text_width(" ".join(words), prop, renderer) <= width:
                fitting = beyond = len(words)
            while beyond - fitting > 1:
                middle = (fitting + beyond) // 2
                if text_width(" ".join(words[:middle]), prop, renderer) <= width:
                    fitting = middle
                else:
                    beyond = middle
            lines.append(" ".join(words[:fitting]))
            words = words[fitting:]
    return "\n".join(lines)


class FittingLayout(ConstrainedLayoutEngine):
    """Constrained layout that first fits the chart's words to the figure it is drawn at:
    titles, captions and messages wrap to its width, a legend takes as many columns as fit
    beside its axes, a y-axis label longer than its axes is tall wraps. It runs before every
    draw, so a resized pane and an export of another size are fitted anew (the words are
    measured only when the size changed)."""

    def execute(self, fig: Figure) -> Any:
        fits = _FITS.get(fig)
        size = (fig.bbox.width, fig.bbox.height, fig.dpi)
        if fits is None or fits.fitted == size:
            return super().execute(fig)
        renderer = fig._get_renderer()  # type: ignore[attr-defined]
        edge = EDGE * fig.dpi / 100
        for text, written, share in fits.texts:
            text.set_text(wrap_to(written, fig.bbox.width * share - 2 * edge,
                                  text.get_fontproperties(), renderer))
        for fit in fits.after_layout:  # where the axes are now, lest a legend collapse them
            if isinstance(fit, _LegendFit):
                fit.fit(fig, renderer, edge)
        result = super().execute(fig)
        for _ in range(3):  # a wrapped label moves the axes, a legend's rows resize them
            changed = [fit.fit(fig, renderer, edge) for fit in fits.after_layout]
            if not any(changed):
                break
            result = super().execute(fig)
        fits.fitted = size
        return result


def new_figure(figure: Figure | None, theme: ChartTheme) -> Figure:
    """``figure`` cleared, or a new one; coloured for ``theme``, laid out by constraint with
    its words fitted to its size (:class:`FittingLayout`)."""
    fig = figure if figure is not None else Figure(figsize=DEFAULT_SIZE, layout="constrained")
    fig.clear()
    fig.set_layout_engine(FittingLayout())
    fig.set_facecolor(theme.background)
    _FITS[fig] = _Fits()
    return fig


def _fits(fig: Figure) -> _Fits:
    return _FITS.setdefault(fig, _Fits())


def fit_to_width(fig: Figure, text: Text, share: float = 1.0) -> None:
    """Wrap ``text`` to ``share`` of the figure's width whenever the figure is drawn."""
    _fits(fig).texts.append((text, text.get_text(), share))


def fit_ylabel(ax: Axes, label: str) -> None:
    """The axes' y label, wrapped to the axes' height whenever the figure is drawn."""
    ax.set_ylabel(label)
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    _fits(figure).after_layout.append(_LabelFit(ax, label))


def style_axes(ax: Axes, theme: ChartTheme) -> None:
    ax.set_facecolor(theme.background)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_color(theme.muted)
    ax.tick_params(colors=theme.foreground, labelsize=8)
    ax.yaxis.label.set_color(theme.foreground)
    ax.xaxis.label.set_color(theme.foreground)
    ax.yaxis.label.set_fontsize(9)
    ax.xaxis.label.set_fontsize(9)
    ax.grid(True, color=theme.grid, linewidth=0.6, alpha=0.8)
    ax.set_axisbelow(True)


def title(fig: Figure, text: str, theme: ChartTheme) -> None:
    fit_to_width(fig, fig.suptitle(text, x=0.01, ha="left", fontsize=12,
                                   color=theme.foreground, fontweight="bold"))


def caption(fig: Figure, lines: Sequence[str], theme: ChartTheme) -> None:
    """How to read the chart (and any note), below everything: a figure label, so the
    constrained layout makes room for it and it never covers data."""
    text = "\n".join(line for line in lines if line)
    if text:
        fit_to_width(fig, fig.supxlabel(text, x=0.01, ha="left", fontsize=8,
                                        color=theme.muted, linespacing=1.4))


def open_note(count: int) -> str:
    """What every chart says of the entries it cannot show yet ("" when there are none)."""
    if not count:
        return ""
    return f"{count:,} open entr{'y' if count == 1 else 'ies'} not counted until finished."


def legend_above(ax: Axes, theme: ChartTheme, *, ncols: int = 4,
                 handles: Sequence[Artist] | None = None) -> None:
    """The axes' legend in rows just above the plotting area: never over a line or dot;
    up to ``ncols`` columns, fewer when the figure is too narrow for them."""
    if handles is None:
        found, labels = ax.get_legend_handles_labels()
        handles = found
    else:
        labels = [str(h.get_label()) for h in handles]
    if not handles:
        return
    shown = list(handles)

    def build(columns: int) -> Legend:
        legend = ax.legend(shown, labels, loc="lower left", bbox_to_anchor=(0.0, 1.0),
                           ncols=columns, fontsize=8, frameon=False,
                           borderaxespad=0.2, handlelength=1.6, columnspacing=1.2)
        for text in legend.get_texts():
            text.set_color(theme.foreground)
        return legend

    wanted = min(ncols, len(shown))
    build(wanted)
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    _fits(figure).after_layout.append(_LegendFit(ax, wanted, build, wanted))


def empty_state(fig: Figure, heading: str, message: str, theme: ChartTheme) -> Figure:
    """A calm message instead of empty axes."""
    title(fig, heading, theme)
    ax = fig.add_subplot()
    ax.set_facecolor(theme.background)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    fit_to_width(fig, ax.text(0.5, 0.5, message, ha="center", va="center",
                              color=theme.muted, fontsize=10, transform=ax.transAxes,
                              linespacing=1.6))
    return fig


def as_datetimes(days: Sequence[date]) -> np.ndarray:
    """One datetime64[D] array: Matplotlib converts it in one go, not a date at a time."""
    return np.array(days, dtype="datetime64[D]")


#: the shortest span a date axis shows, so a single entry sits in a week, not a decade
MIN_SPAN_DAYS = 6


class DayOrCoarserLocator(AutoDateLocator):
    """Matplotlib's automatic date ticks, but never finer than whole days (not even when
    the navigation toolbar zooms into a couple of days)."""

    def get_locator(self, dmin: datetime, dmax: datetime) -> Locator:
        if abs((dmax - dmin).days) < self.minticks:
            locator = DayLocator()
            locator.set_axis(self.axis)
            return locator
        return super().get_locator(dmin, dmax)  # type: ignore[no-any-return]


def date_axis(ax: Axes, first: date, last: date, *, label: str = "Date") -> None:
    """Limits around ``first``..``last`` (at least a week, with a margin) and ticks at whole
    days or coarser, never hours."""
    span = (last - first).days
    if span < MIN_SPAN_DAYS:
        extra = MIN_SPAN_DAYS - span
        first -= timedelta(days=extra // 2 + 1)
        last += timedelta(days=extra - extra // 2 + 1)
    else:
        margin = timedelta(days=max(1, round(span * 0.02)))
        first, last = first - margin, last + margin
    ax.xaxis_date()
    ax.set_xlim(float(date2num(first)), float(date2num(last)))
    locator = DayOrCoarserLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    if label:
        ax.set_xlabel(label)


def mark_entries(artist: Artist, uuids: Sequence[str]) -> None:
    """Say that ``artist``'s points are these entries, in order: a click can open one."""
    artist.set_picker(True)
    if hasattr(artist, "set_pickradius"):
        artist.set_pickradius(6)
    _ENTRY_UUIDS[artist] = tuple(uuids)


def entry_at(artist: Artist, index: int) -> str | None:
    """The UUID of point ``index`` of ``artist``, if its points are entries."""
    uuids = _ENTRY_UUIDS.get(artist)
    if uuids is None or not 0 <= index < len(uuids) or not uuids[index]:
        return None
    return uuids[index]


def entry_artists(fig: Figure) -> list[Artist]:
    return [a for a in fig.findobj() if a in _ENTRY_UUIDS]
