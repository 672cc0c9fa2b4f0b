"""The belief update: how much each ask moved what the user expects next time."""

from __future__ import annotations

from collections.abc import Sequence

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
from rejection_journal.domain.chart_stats import BeliefSeries

TITLE = "How each ask changed what you expect next time"
EMPTY_MESSAGE = ("This chart appears once entries record what you expect next time.\n"
                 "After an ask, note the discomfort you would now expect\n"
                 "for a similar ask: changing that prediction is what builds courage.")
HOW_TO_READ = ("Below zero: after the ask you expected the next one to feel easier "
               "(next-time expectation − prediction before, in points).")


def belief_csv(series: BeliefSeries) -> tuple[list[str], list[Sequence[object]]]:
    if series.period is not None:
        return ([f"{series.period}_starting", "entries", "discomfort_change"],
                [[start.isoformat(), n, mean] for start, n, mean in series.bins])
    header = ["date", "entry_uuid", "discomfort_change", "no_chance_change"]
    return header, [[day.isoformat(), uuid, d, c] for uuid, day, d, c in zip(
        series.uuids, series.days, series.discomfort_change, series.no_chance_change,
        strict=True)]


def build_belief_figure(series: BeliefSeries, theme: ChartTheme = LIGHT, *,
                        figure: Figure | None = None) -> Figure:
    fig = new_figure(figure, theme)
    if series.is_empty:
        empty_state(fig, TITLE, EMPTY_MESSAGE, theme)
        caption(fig, [open_note(series.open_count), happened_note(series.happened_to_me)],
                theme)
        return fig
    title(fig, TITLE, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    ax.axhline(0, color=theme.muted, linewidth=0.8)
    if series.period is not None:
        bins = series.bins
        ax.step(as_datetimes([b[0] for b in bins]), [b[2] for b in bins], where="post",
                color=theme.rolling, linewidth=1.6, label=f"Average per {series.period}")
        kept = [("", b[0], b[2]) for b in bins]
        first, last = bins[0][0], bins[-1][0]
    else:
        kept = [(u, d, v) for u, d, v in zip(series.uuids, series.days,
                                              series.discomfort_change, strict=True)
                if v is not None]
        first, last = min(series.days), max(series.days)
    if series.period is None and kept:
        days = as_datetimes([d for _, d, _ in kept])
        dots = ax.scatter(days, [v for _, _, v in kept], s=18, color=theme.rolling,
                          alpha=0.6, linewidths=0, zorder=3, label="Each ask")
        mark_entries(dots, [u for u, _, _ in kept])
        label = ("Change" if series.window == 1
                 else f"Average of last {series.window}")
        ax.plot(days, series.rolling_discomfort, color=theme.rolling, linewidth=2,
                label=label)
    limit = max([3.0, *(abs(v) for _, _, v in kept)]) + 0.5
    ax.set_ylim(-limit, limit)
    fit_ylabel(ax, "Change in expected discomfort (points)")
    date_axis(ax, first, last)
    legend_above(ax, theme)
    caption(fig, [HOW_TO_READ, open_note(series.open_count),
                  happened_note(series.happened_to_me)], theme)
    return fig
