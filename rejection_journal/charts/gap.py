"""Anticipated vs actual discomfort over time, with the gap shaded and its rolling mean.

Top: each attempt's two ratings as dots, their rolling means as lines (the real values while
there are few entries), the gap between the lines shaded. Bottom: the gap itself (anticipated
− actual) per attempt and its rolling mean, so a shrinking gap is easy to see. Above
:data:`~rejection_journal.domain.chart_stats.AGGREGATE_ABOVE` entries, averages per day, week
or month are drawn instead of single entries: the picture stays readable and drawing costs the
same at 100,000 entries as at 1,000.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from rejection_journal.charts.common import (
    as_datetimes,
    caption,
    date_axis,
    empty_state,
    fit_ylabel,
    legend_above,
    mark_entries,
    new_figure,
    open_note,
    style_axes,
    title,
)
from rejection_journal.charts.describe import happened_note
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import GapView, gap_view
from rejection_journal.domain.records import DATE_MAX, DATE_MIN
from rejection_journal.domain.stats import GapSeries

TITLE = "Anticipated vs actual discomfort"
EMPTY_MESSAGE = (
    "No finished attempts yet.\n"
    "Save an entry with both a before and an after rating\n"
    "and the gap between fear and reality will appear here."
)
HOW_TO_READ = "Gap above zero: you feared more than you felt (anticipated − actual, in points)."
_PERIOD_WORDS = {"day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly",
                 "year": "yearly"}


def left_out_note(series: GapSeries | GapView) -> str:
    """Why some entries are not drawn ("" if all are), for the chart and the CLI."""
    if not series.left_out:
        return ""
    entries = "1 entry" if series.left_out == 1 else f"{series.left_out:,} entries"
    return (f"{entries} dated outside {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()} "
            "left out")


def gap_csv(data: GapSeries | GapView) -> tuple[list[str], list[Sequence[object]]]:
    """Exactly the numbers the chart draws: per entry, or per period when aggregated."""
    view = data if isinstance(data, GapView) else gap_view(data)
    series, period = view.series, view.period
    if period is None:
        header = ["date", "entry_uuid", "anticipated", "actual", "gap",
                  "line_anticipated", "line_actual", "line_gap"]
        return header, [
            [p.day.isoformat(), p.uuid, p.anticipated, p.actual, p.gap,
             a, b, g]
            for p, a, b, g in zip(series.points, series.rolling_anticipated,
                                  series.rolling_actual, series.rolling_gap, strict=True)
        ]
    header = [f"{period}_starting", "entries", "anticipated", "actual", "gap"]
    return header, [[b.start.isoformat(), b.count, b.anticipated,
                     b.actual, b.gap]
                    for b in view.bins]


def build_gap_figure(
    data: GapSeries | GapView, theme: ChartTheme = LIGHT, *, figure: Figure | None = None
) -> Figure:
    """Draw ``data`` into ``figure`` (cleared) or a new Figure, and return it."""
    view = data if isinstance(data, GapView) else gap_view(data)
    series = view.series
    fig = new_figure(figure, theme)
    if series.is_empty:
        empty_state(fig, TITLE, EMPTY_MESSAGE, theme)
        caption(fig, [open_note(view.open_count), left_out_note(series),
                      happened_note(view.happened_to_me)], theme)
        return fig

    title(fig, TITLE, theme)
    ax, gap_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.5))
    for axes in (ax, gap_ax):
        style_axes(axes, theme)
    if view.period is None:
        how = _draw_entries(ax, gap_ax, series, theme)
    else:
        how = _draw_periods(ax, gap_ax, view, theme)
    ax.set_ylim(-0.3, 10.3)
    fit_ylabel(ax, "Discomfort (0–10)")
    # one legend above both panels: a second one between them squeezed the gap panel
    legend_above(ax, theme, handles=[*ax.get_legend_handles_labels()[0],
                                     *gap_ax.get_legend_handles_labels()[0]])
    gap_ax.axhline(0, color=theme.muted, linewidth=0.8)
    fit_ylabel(gap_ax, "Gap")
    ax.tick_params(labelbottom=False)
    date_axis(gap_ax, series.points[0].day, series.points[-1].day)
    caption(fig, [HOW_TO_READ, how, open_note(view.open_count), left_out_note(series),
                  happened_note(view.happened_to_me)], theme)
    return fig


def _draw_entries(ax: Axes, gap_ax: Axes, series: GapSeries, theme: ChartTheme) -> str:
    points = series.points
    days = as_datetimes([p.day for p in points])
    uuids = [p.uuid for p in points]
    few = len(points) <= 30
    dot_size = 22 if few else 10
    real = series.window == 1
    for values, colour in (([p.anticipated for p in points], theme.anticipated),
                           ([p.actual for p in points], theme.actual)):
        dots = ax.scatter(days, values, s=dot_size, color=colour, alpha=0.9 if real else 0.35,
                          linewidths=0, zorder=3)
        mark_entries(dots, uuids)
    ax.fill_between(days, series.rolling_anticipated, series.rolling_actual,
                    color=theme.gap_fill, alpha=0.35, linewidth=0, label="Gap")
    marker = "o" if few else None
    ax.plot(days, series.rolling_anticipated, color=theme.anticipated, linewidth=2,
            label="Anticipated", marker=None if not real else marker, markersize=4)
    ax.plot(days, series.rolling_actual, color=theme.actual, linewidth=2, label="Actual",
            marker=None if not real else marker, markersize=4)

    gaps = [p.gap for p in points]
    gap_dots = gap_ax.scatter(days, gaps, s=dot_size, color=theme.rolling,
                              alpha=0.9 if real else 0.35, linewidths=0, zorder=3)
    mark_entries(gap_dots, uuids)
    label = ("Gap, each attempt" if real else f"Gap, average of last {series.window}")
    gap_ax.plot(days, series.rolling_gap, color=theme.rolling, linewidth=2, label=label)
    _gap_limits(gap_ax, gaps)
    if real:
        return ("Lines join your own ratings; click a dot to open its entry." if theme.on_screen
                else "Lines join your own ratings.")
    return (f"Lines: average of the last {series.window} attempts · dots: single attempts"
            + (" (click one to open it)." if theme.on_screen else "."))


def _draw_periods(ax: Axes, gap_ax: Axes, view: GapView, theme: ChartTheme) -> str:
    bins, period, series = view.bins, view.period or "", view.series
    days = as_datetimes([b.start for b in bins])
    before = [b.anticipated for b in bins]
    after = [b.actual for b in bins]
    word = _PERIOD_WORDS[period]
    ax.fill_between(days, before, after, color=theme.gap_fill, alpha=0.35, linewidth=0,
                    label="Gap", step="post")
    ax.step(days, before, where="post", color=theme.anticipated, linewidth=1.6,
            label="Anticipated")
    ax.step(days, after, where="post", color=theme.actual, linewidth=1.6, label="Actual")
    gaps = [b.gap for b in bins]
    gap_ax.step(days, gaps, where="post", color=theme.rolling, linewidth=1.6,
                label=f"Gap, {word} average")
    _gap_limits(gap_ax, gaps)
    return (f"{len(series.points):,} attempts: lines are {word} averages "
            f"({len(bins):,} {period}s); zoom in or pick a shorter range for single entries.")


def _gap_limits(gap_ax: Axes, gaps: Sequence[float]) -> None:
    limit = max(3.0, *(abs(g) for g in gaps)) + 0.5
    gap_ax.set_ylim(-limit, limit)
