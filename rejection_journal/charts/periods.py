"""Outcomes and reasons per week, month or year, as stacked bars."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from rejection_journal.charts.common import (
    as_datetimes,
    caption,
    date_axis,
    empty_state,
    fit_ylabel,
    legend_above,
    new_figure,
    open_note,
    style_axes,
    title,
)
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import PeriodCounts
from rejection_journal.domain.enums import Outcome, Reason

OUTCOMES_TITLE = "What happened, per {period}"
REASONS_TITLE = "Why the answer was “no”, per {period}"
OUTCOMES_EMPTY = ("No finished entries yet.\n"
                  "Record what happened after an ask and the outcomes will appear here.")
REASONS_EMPTY = ("No reasons recorded yet.\n"
                 "When an answer is “no”, pick why in the entry's after half\n"
                 "and the reasons will appear here.")
_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


def _label(kind: str, value: str) -> str:
    return Outcome(value).label if kind == "outcomes" else Reason(value).label


def period_csv(counts: PeriodCounts) -> tuple[list[str], list[Sequence[object]]]:
    header = [f"{counts.period}_starting", *counts.labels]
    return header, [[start.isoformat(), *(row[i] for row in counts.counts)]
                    for i, start in enumerate(counts.starts)]


def build_outcomes_figure(counts: PeriodCounts, theme: ChartTheme = LIGHT, *,
                          figure: Figure | None = None) -> Figure:
    return _build(counts, theme, figure, "outcomes", theme.outcomes,
                  "Each bar: the finished entries of one {period}. “No response” counts as "
                  "a no; “didn't ask” shows how often fear won.")


def build_reasons_figure(counts: PeriodCounts, theme: ChartTheme = LIGHT, *,
                         figure: Figure | None = None) -> Figure:
    without = (f"{counts.without_reason:,} “no” answers without a reason are not shown."
               if counts.without_reason else "")
    return _build(counts, theme, figure, "reasons", theme.categorical,
                  "Each bar: the reasons you gave for a no, partly or no response in one "
                  "{period}. Often it is not about you.", without)


def _build(counts: PeriodCounts, theme: ChartTheme, figure: Figure | None, kind: str,
           colours: Sequence[str], how: str, extra: str = "") -> Figure:
    fig = new_figure(figure, theme)
    heading = (OUTCOMES_TITLE if kind == "outcomes" else REASONS_TITLE).format(
        period=counts.period)
    if counts.is_empty:
        empty_state(fig, heading, OUTCOMES_EMPTY if kind == "outcomes" else REASONS_EMPTY,
                    theme)
        caption(fig, [open_note(counts.open_count), extra], theme)
        return fig
    title(fig, heading, theme)
    ax = fig.add_subplot()
    style_axes(ax, theme)
    starts = list(counts.starts)
    width_days = _DAYS[counts.period]
    # One collection of rectangles per label (not a patch per bar): drawing costs the same
    # for 40 bars as for 4. Bars are centred in their period, 80 % of its width.
    ax.xaxis_date()
    left = date2num(as_datetimes(starts)) + width_days * 0.1
    right = left + max(0.8, width_days * 0.8)
    bottom = np.zeros(len(starts))
    handles = []
    for i, (value, row) in enumerate(zip(counts.labels, counts.counts, strict=True)):
        if not any(row):
            continue
        top = bottom + np.array(row, dtype=float)
        shown = np.flatnonzero(top > bottom)
        verts = [((left[j], bottom[j]), (left[j], top[j]), (right[j], top[j]),
                  (right[j], bottom[j])) for j in shown]
        colour = colours[i % len(colours)]
        bars = PolyCollection(verts, facecolors=colour, edgecolors="none",
                              label=_label(kind, value))
        bars.set_gid(value)
        ax.add_collection(bars, autolim=False)
        handles.append(Patch(facecolor=colour, label=_label(kind, value)))
        bottom = top
    fit_ylabel(ax, f"Entries per {counts.period}" if kind == "outcomes"
                  else f"Reasons given per {counts.period}")
    ax.set_ylim(0, max(1.0, float(bottom.max())) * 1.08)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    last: date = starts[-1] + timedelta(days=width_days - 1)
    date_axis(ax, starts[0], last, label=f"{counts.period.capitalize()} starting")
    legend_above(ax, theme, ncols=4 if kind == "reasons" else 5, handles=handles)
    caption(fig, [how.format(period=counts.period), open_note(counts.open_count), extra], theme)
    return fig
