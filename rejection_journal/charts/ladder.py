"""A fear ladder: anticipated vs actual discomfort on each rung, easiest first."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from rejection_journal.charts.common import (
    caption,
    empty_state,
    legend_above,
    new_figure,
    style_axes,
    title,
)
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import LadderProgress

TITLE = "Your ladder, rung by rung"
EMPTY_MESSAGE = ("Ladders appear here once you build a fear ladder\n"
                 "and record attempts on its rungs.")
HOW_TO_READ = ("Move up a rung when its actual discomfort (green) has come down;\n"
               "the gap between the bars is fear that reality did not confirm.")
#: a rung's name is wrapped under its bars, in this font size (points)
TICK_FONT = 8


def ladder_csv(progress: LadderProgress) -> tuple[list[str], list[Sequence[object]]]:
    header = ["rung", "name", "attempts", "anticipated", "actual"]
    return header, [[r.rung + 1, r.name, r.count,
                     None if r.anticipated is None else r.anticipated,
                     None if r.actual is None else r.actual]
                    for r in progress.rungs]


def build_ladder_figure(progress: LadderProgress, theme: ChartTheme = LIGHT, *,
                        figure: Figure | None = None) -> Figure:
    fig = new_figure(figure, theme)
    heading = f"{TITLE}: {progress.ladder}" if progress.ladder else TITLE
    if progress.is_empty:
        return empty_state(fig, heading, EMPTY_MESSAGE, theme)
    title(fig, heading, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    xs = np.arange(len(progress.rungs))
    before = [r.anticipated or 0.0 for r in progress.rungs]
    after = [r.actual or 0.0 for r in progress.rungs]
    ax.bar(xs - 0.2, before, width=0.38, color=theme.anticipated, label="Anticipated")
    ax.bar(xs + 0.2, after, width=0.38, color=theme.actual, label="Actual")
    # as many characters a line as fit in a rung's share of the width (a character is about
    # 0.6 of the font size wide), so neighbouring names never run into each other
    share = fig.get_figwidth() * 72 * 0.85 / len(progress.rungs)
    width = max(8, min(28, int(share / (TICK_FONT * 0.6))))
    ax.set_xticks(xs, [textwrap.fill(f"{r.rung + 1}. {r.name}", width, max_lines=4,
                                     placeholder="…") for r in progress.rungs],
                  fontsize=TICK_FONT)
    ax.set_ylim(0, 10.5)
    ax.set_ylabel("Mean discomfort (0–10 points)")
    ax.set_xlabel("Rung (easiest first)")
    legend_above(ax, theme)
    caption(fig, [HOW_TO_READ], theme)
    return fig
