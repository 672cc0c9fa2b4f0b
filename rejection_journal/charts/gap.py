"""Anticipated vs actual discomfort over time, with the gap shaded and its rolling mean.

Top: each attempt's two ratings as faint dots, their rolling means as lines, the gap between
the lines shaded. Bottom: the gap itself (anticipated − actual) per attempt and its rolling
mean, so a shrinking gap is easy to see.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.records import DATE_MAX, DATE_MIN
from rejection_journal.domain.stats import GapSeries

TITLE = "Anticipated vs actual discomfort"
MAX_DOTS = 3000
EMPTY_MESSAGE = (
    "No finished attempts yet.\n"
    "Save an entry with both a before and an after rating\n"
    "and the gap between fear and reality will appear here."
)


def _style_axes(ax: Axes, theme: ChartTheme) -> None:
    ax.set_facecolor(theme.background)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_color(theme.muted)
    ax.tick_params(colors=theme.foreground, labelsize=8)
    ax.yaxis.label.set_color(theme.foreground)
    ax.xaxis.label.set_color(theme.foreground)
    ax.title.set_color(theme.foreground)
    ax.grid(True, color=theme.grid, linewidth=0.6, alpha=0.8)
    ax.set_axisbelow(True)


def _legend(ax: Axes, theme: ChartTheme, **kwargs: Any) -> None:
    """A legend in the theme's colours; ``kwargs`` (``loc``, ``ncols``) go to ``Axes.legend``."""
    legend = ax.legend(fontsize=8, frameon=True, facecolor=theme.background,
                       edgecolor=theme.grid, framealpha=0.9, **kwargs)
    for text in legend.get_texts():
        text.set_color(theme.foreground)


def left_out_note(series: GapSeries) -> str:
    """Why some entries are not drawn ("" if all are), for the chart and the CLI."""
    if not series.left_out:
        return ""
    entries = "1 entry" if series.left_out == 1 else f"{series.left_out:,} entries"
    return (f"{entries} dated outside {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()} "
            "left out")


def _note_left_out(fig: Figure, series: GapSeries, theme: ChartTheme) -> None:
    if series.left_out:
        # A figure label: constrained layout makes room for it below everything else.
        fig.supxlabel(left_out_note(series), x=0.01, ha="left", fontsize=7,
                      color=theme.muted)


def build_gap_figure(
    series: GapSeries, theme: ChartTheme = LIGHT, *, figure: Figure | None = None
) -> Figure:
    """Draw ``series`` into ``figure`` (cleared) or a new Figure, and return it."""
    fig = figure if figure is not None else Figure(figsize=(8, 5.5), layout="constrained")
    fig.clear()
    fig.set_facecolor(theme.background)
    if series.is_empty:
        ax = fig.add_subplot()
        _style_axes(ax, theme)
        ax.set_title(TITLE, loc="left", fontsize=11, color=theme.foreground)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", color=theme.muted,
                fontsize=10, transform=ax.transAxes, linespacing=1.6)
        _note_left_out(fig, series, theme)
        return fig

    ax, gap_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.4))
    for axes in (ax, gap_ax):
        _style_axes(axes, theme)
    # One datetime64 array: Matplotlib converts it in one go, not a date object at a time.
    days = np.array([p.day for p in series.points], dtype="datetime64[D]")
    dot_size = 10 if len(days) <= 100 else 4
    # Beyond a few thousand, single dots only blur together: draw an even sample of them.
    step = max(1, len(days) // MAX_DOTS)
    sample = series.points[::step]
    dot_days = days[::step]
    ax.set_title(TITLE, loc="left", fontsize=11, color=theme.foreground)
    ax.scatter(dot_days, [p.anticipated for p in sample], s=dot_size,
               color=theme.anticipated, alpha=0.35, linewidths=0)
    ax.scatter(dot_days, [p.actual for p in sample], s=dot_size, color=theme.actual,
               alpha=0.35, linewidths=0)
    ax.fill_between(days, series.rolling_anticipated, series.rolling_actual,
                    color=theme.gap_fill, alpha=0.35, linewidth=0, label="Gap")
    ax.plot(days, series.rolling_anticipated, color=theme.anticipated, linewidth=2,
            label="Anticipated")
    ax.plot(days, series.rolling_actual, color=theme.actual, linewidth=2, label="Actual")
    ax.set_ylim(-0.3, 10.3)
    ax.set_ylabel("Discomfort (0–10)")
    _legend(ax, theme, loc="upper right", ncols=3)

    gaps = [p.gap for p in series.points]
    gap_ax.axhline(0, color=theme.muted, linewidth=0.8)
    gap_ax.scatter(dot_days, gaps[::step], s=dot_size, color=theme.rolling, alpha=0.3,
                   linewidths=0)
    gap_ax.plot(days, series.rolling_gap, color=theme.rolling, linewidth=2,
                label=f"Gap, average of last {series.window}")
    limit = max(3, *(abs(g) for g in gaps)) + 0.5
    gap_ax.set_ylim(-limit, limit)
    gap_ax.set_ylabel("Gap")
    _legend(gap_ax, theme, loc="upper right")

    locator = AutoDateLocator()
    gap_ax.xaxis.set_major_locator(locator)
    gap_ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    dots = "single attempts" if step == 1 else f"1 in {step} attempts"
    ax.text(0.0, -0.02, "Lines: average of the last "
            f"{series.window} attempts · dots: {dots}", transform=ax.transAxes,
            fontsize=7, color=theme.muted, va="top")
    _note_left_out(fig, series, theme)
    return fig
