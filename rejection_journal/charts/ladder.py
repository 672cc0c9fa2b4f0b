"""A fear ladder: anticipated vs actual discomfort on each rung, easiest first."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from rejection_journal.charts.common import (
    caption,
    empty_state,
    fit_ylabel,
    legend_above,
    new_figure,
    open_note,
    style_axes,
    title,
)
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import LadderProgress
from rejection_journal.domain.ladders import NOT_TRIED_YET

TITLE = "Your ladder, rung by rung"
EMPTY_MESSAGE = ("Ladders appear here once you build a fear ladder\n"
                 "and record attempts on its rungs.")
HOW_TO_READ = ("Move up a rung when its actual discomfort (green) has come down;\n"
               "the gap between the bars is fear that reality did not confirm.")
#: what a rung without a try shows in place of its bars (the Ladders tab says the same)
NOT_TRIED = NOT_TRIED_YET
#: a rung's name is wrapped under its bars, in this font size (points)
TICK_FONT = 8


def ladder_csv(progress: LadderProgress) -> tuple[list[str], list[Sequence[object]]]:
    # a rung not tried yet: 0 attempts and no means
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
        empty_state(fig, heading, EMPTY_MESSAGE, theme)
        caption(fig, [open_note(progress.open_count)], theme)
        return fig
    title(fig, heading, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    xs = np.arange(len(progress.rungs))
    before = [r.anticipated or 0.0 for r in progress.rungs]
    after = [r.actual or 0.0 for r in progress.rungs]
    ax.bar(xs - 0.2, before, width=0.38, color=theme.anticipated, label="Anticipated")
    ax.bar(xs + 0.2, after, width=0.38, color=theme.actual, label="Actual")
    for x, rung in zip(xs, progress.rungs, strict=True):
        if not rung.tried:  # on the chart all the same: the next steps up are part of it
            ax.text(float(x), 0.3, NOT_TRIED, ha="center", va="bottom", rotation=90,
                    fontsize=TICK_FONT, color=theme.muted)
    # as many characters a line as fit in a rung's share of the width (a character is about
    # 0.6 of the font size wide), so neighbouring names never run into each other
    share = fig.get_figwidth() * 72 * 0.85 / len(progress.rungs)
    width = max(8, min(28, int(share / (TICK_FONT * 0.6))))
    ax.set_xticks(xs, [textwrap.fill(f"{r.rung + 1}. {r.name}", width, max_lines=4,
                                     placeholder="…") for r in progress.rungs],
                  fontsize=TICK_FONT)
    ax.set_ylim(0, 10.5)
    fit_ylabel(ax, "Mean discomfort (0–10 points)")
    ax.set_xlabel("Rung (easiest first)")
    legend_above(ax, theme)
    caption(fig, [HOW_TO_READ, open_note(progress.open_count)], theme)
    return fig
