"""The self-check (Build my plan) over time: its overall score each time it was taken."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from rejection_journal.charts.common import (
    as_datetimes,
    caption,
    date_axis,
    empty_state,
    new_figure,
    open_note,
    style_axes,
    title,
)
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import SelfCheckSeries
from rejection_journal.domain.plan import SCORE_MAX

TITLE = "Your self-check over time"
EMPTY_MESSAGE = ("Your self-check results appear here once you take it\n"
                 "(Journal ▸ Build my plan…). Take it again now and then to compare.")
HOW_TO_READ = ("Lower means asking feels easier. It is a snapshot of how asking feels,\n"
               "not a diagnosis, and it is fine for it to go up and down.")


def self_check_csv(series: SelfCheckSeries) -> tuple[list[str], list[Sequence[object]]]:
    return ["date", "overall"], [[day.isoformat(), round(score, 2)]
                                 for day, score in series.points]


def build_self_check_figure(series: SelfCheckSeries, theme: ChartTheme = LIGHT, *,
                            figure: Figure | None = None) -> Figure:
    fig = new_figure(figure, theme)
    if series.is_empty:
        empty_state(fig, TITLE, EMPTY_MESSAGE, theme)
        caption(fig, [open_note(series.open_count)], theme)
        return fig
    title(fig, TITLE, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    days = [day for day, _score in series.points]
    scores = [score for _day, score in series.points]
    ax.plot(as_datetimes(days), scores, color=theme.rolling, marker="o", linewidth=1.8,
            label="Overall score")
    ax.set_ylim(0, SCORE_MAX + 1)
    ax.set_ylabel(f"Overall score (1–{SCORE_MAX})")
    date_axis(ax, days[0], days[-1], label="Taken on")
    caption(fig, [HOW_TO_READ, open_note(series.open_count)], theme)
    return fig
