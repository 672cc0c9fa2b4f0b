"""Anticipated vs actual discomfort over time, with the gap shaded and its rolling mean."""

from __future__ import annotations

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.stats import GapSeries

EMPTY_MESSAGE = (
    "No finished attempts yet.\n"
    "Save an entry with both a before and an after rating\n"
    "and the gap between fear and reality will appear here."
)


def _style_axes(ax, theme: ChartTheme) -> None:  # type: ignore[no-untyped-def]
    ax.set_facecolor(theme.background)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_color(theme.muted)
    ax.tick_params(colors=theme.foreground, labelsize=9)
    ax.yaxis.label.set_color(theme.foreground)
    ax.xaxis.label.set_color(theme.foreground)
    ax.title.set_color(theme.foreground)
    ax.grid(True, color=theme.grid, linewidth=0.6, alpha=0.8)
    ax.set_axisbelow(True)


def build_gap_figure(
    series: GapSeries, theme: ChartTheme = LIGHT, *, figure: Figure | None = None
) -> Figure:
    """Draw ``series`` into ``figure`` (cleared) or a new Figure, and return it."""
    fig = figure if figure is not None else Figure(figsize=(8, 5), layout="constrained")
    fig.clear()
    fig.set_facecolor(theme.background)
    ax = fig.add_subplot()
    _style_axes(ax, theme)
    ax.set_title("Anticipated vs actual discomfort", loc="left", fontsize=12)
    if series.is_empty:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", color=theme.muted,
                fontsize=11, transform=ax.transAxes, linespacing=1.6)
        return fig

    days = [p.day for p in series.points]
    anticipated = [p.anticipated for p in series.points]
    actual = [p.actual for p in series.points]
    many = len(days) > 60
    marker = None if many else "o"
    ax.fill_between(days, anticipated, actual, where=[a >= b for a, b in zip(anticipated, actual, strict=True)],
                    interpolate=True, color=theme.gap_fill, alpha=0.35, linewidth=0,
                    label="Gap (feared more than felt)")
    ax.plot(days, anticipated, color=theme.anticipated, marker=marker, markersize=4,
            linewidth=1.4, label="Anticipated")
    ax.plot(days, actual, color=theme.actual, marker=marker, markersize=4, linewidth=1.4,
            label="Actual")
    ax.set_ylim(-0.3, 10.3)
    ax.set_ylabel("Discomfort (0–10)")

    gap_ax = ax.twinx()
    gap_ax.plot(days, series.rolling_gap, color=theme.rolling, linestyle="--", linewidth=1.6,
                label=f"Gap, {series.window}-attempt average")
    gap_ax.set_ylim(-10.3, 10.3)
    gap_ax.set_ylabel("Gap (anticipated − actual)", color=theme.rolling)
    gap_ax.tick_params(colors=theme.rolling, labelsize=9)
    for spine in gap_ax.spines.values():
        spine.set_visible(False)

    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))

    handles, labels = ax.get_legend_handles_labels()
    gap_handles, gap_labels = gap_ax.get_legend_handles_labels()
    legend = ax.legend(handles + gap_handles, labels + gap_labels, loc="upper right",
                       fontsize=8, frameon=True, facecolor=theme.background,
                       edgecolor=theme.grid)
    for text in legend.get_texts():
        text.set_color(theme.foreground)
    return fig
