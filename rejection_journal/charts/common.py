"""What every chart kind shares: figure set-up, titles, captions, legends that never cover
data, date axes at day granularity or coarser, empty states, and clickable entry points."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DayLocator, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import Locator

from rejection_journal.charts.theme import ChartTheme

DEFAULT_SIZE = (8.0, 5.5)  # inches: the figure a builder makes when given none

#: artists whose points are single entries, with the entries' UUIDs (see :func:`entry_at`)
_ENTRY_UUIDS: weakref.WeakKeyDictionary[Artist, tuple[str, ...]] = weakref.WeakKeyDictionary()


def new_figure(figure: Figure | None, theme: ChartTheme) -> Figure:
    """``figure`` cleared, or a new one; coloured for ``theme``, laid out by constraint."""
    fig = figure if figure is not None else Figure(figsize=DEFAULT_SIZE, layout="constrained")
    fig.clear()
    fig.set_layout_engine("constrained")
    fig.set_facecolor(theme.background)
    return fig


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
    fig.suptitle(text, x=0.01, ha="left", fontsize=12, color=theme.foreground,
                 fontweight="bold")


def caption(fig: Figure, lines: Sequence[str], theme: ChartTheme) -> None:
    """How to read the chart (and any note), below everything: a figure label, so the
    constrained layout makes room for it and it never covers data."""
    text = "\n".join(line for line in lines if line)
    if text:
        fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color=theme.muted,
                      linespacing=1.4)


def open_note(count: int) -> str:
    """What every chart says of the entries it cannot show yet ("" when there are none)."""
    if not count:
        return ""
    return f"{count:,} open entr{'y' if count == 1 else 'ies'} not counted until finished."


def legend_above(ax: Axes, theme: ChartTheme, *, ncols: int = 4,
                 handles: Sequence[Artist] | None = None) -> None:
    """The axes' legend in a row just above the plotting area: never over a line or dot."""
    if handles is None:
        found, labels = ax.get_legend_handles_labels()
        handles = found
    else:
        labels = [str(h.get_label()) for h in handles]
    if not handles:
        return
    legend = ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.0),
                       ncols=min(ncols, len(handles)), fontsize=8, frameon=False,
                       borderaxespad=0.2, handlelength=1.6, columnspacing=1.2)
    for text in legend.get_texts():
        text.set_color(theme.foreground)


def empty_state(fig: Figure, heading: str, message: str, theme: ChartTheme) -> Figure:
    """A calm message instead of empty axes."""
    title(fig, heading, theme)
    ax = fig.add_subplot()
    ax.set_facecolor(theme.background)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(0.5, 0.5, message, ha="center", va="center", color=theme.muted, fontsize=10,
            transform=ax.transAxes, linespacing=1.6, wrap=True)
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
