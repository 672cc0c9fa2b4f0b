"""What you learned: for each ask with a named fear, how likely it felt before and afterwards,
whether it happened, and how far the likelihood moved (the rolling change)."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
from rejection_journal.domain.experiment import ROLLING_ENTRIES, FearHappened
from rejection_journal.domain.learned import LearnedView

TITLE = "What you learned"
EMPTY_MESSAGE = ("This chart appears once entries say what you fear will happen\n"
                 "and how likely it feels. Afterwards, note whether it happened\n"
                 "and how likely it feels now.")
HOW_TO_READ = ("Each line joins how likely the fear felt before an ask to how likely it "
               "felt afterwards; the dot's shape says whether it happened.")
#: the marker of each answer to "Did it happen?" (shape as well as colour)
_MARKERS = {FearHappened.NO: "o", FearHappened.PARTLY: "D", FearHappened.YES: "X"}
_LEGEND = {FearHappened.NO: "It didn't happen", FearHappened.PARTLY: "It partly happened",
           FearHappened.YES: "It happened"}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def learned_csv(view: LearnedView) -> tuple[list[str], list[Sequence[object]]]:
    if view.period is not None:
        return ([f"{view.period}_starting", "entries", "likelihood_before", "likelihood_after",
                 "change", "times_it_happened"],
                [[b.start.isoformat(), b.entries, _round(b.before), _round(b.after),
                  _round(b.change), b.happened] for b in view.bins])
    header = ["date", "feared_outcome", "likelihood_before", "likelihood_after",
              "did_it_happen", "violation", "change", "rolling_change"]
    return header, [[p.on.isoformat(), p.feared_outcome, p.before, p.after,
                     p.happened.value if p.happened else None,
                     None if p.violation is None else round(p.violation, 1), p.change,
                     None if p.rolling_change is None else round(p.rolling_change, 1)]
                    for p in view.points]


def build_learned_figure(view: LearnedView, theme: ChartTheme = LIGHT, *,
                         figure: Figure | None = None) -> Figure:
    fig = new_figure(figure, theme)
    notes = [happened_note(view.happened_to_me), open_note(view.open_count)]
    if view.is_empty:
        empty_state(fig, TITLE, EMPTY_MESSAGE, theme)
        caption(fig, notes, theme)
        return fig
    title(fig, TITLE, theme)
    likely, moved = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    for ax in (likely, moved):
        style_axes(ax, theme)
    if view.period is not None:
        _draw_bins(view, likely, moved, theme)
        caption(fig, [view.sentence or "", f"Averages per {view.period}.", *notes], theme)
        return fig
    points = [p for p in view.points if p.before is not None or p.after is not None]
    days = as_datetimes([p.on for p in points])
    for day, point in zip(days, points, strict=True):
        if point.before is not None and point.after is not None:
            likely.plot([day, day], [point.before, point.after], color=theme.muted,
                        linewidth=1, zorder=2)
    before = [(d, p) for d, p in zip(days, points, strict=True) if p.before is not None]
    if before:
        dots = likely.scatter([d for d, _ in before], [p.before for _, p in before], s=22,
                              color=theme.anticipated, zorder=3, label="Before")
        mark_entries(dots, [p.uuid for _, p in before])
    handles: list[Line2D] = [Line2D([], [], color=theme.anticipated, marker="o",
                                    linestyle="", label="Before")]
    for answer in (*FearHappened, None):
        after = [(d, p) for d, p in zip(days, points, strict=True)
                 if p.after is not None and p.happened is answer]
        if not after:
            continue
        marker = _MARKERS.get(answer, "s") if answer is not None else "s"
        label = _LEGEND[answer] if answer is not None else "After (not said)"
        likely.scatter([d for d, _ in after], [p.after for _, p in after], s=30,
                       marker=marker, color=theme.actual, zorder=4)
        handles.append(Line2D([], [], color=theme.actual, marker=marker, linestyle="",
                              label=f"After: {label.lower()}" if answer else label))
    likely.set_ylim(-5, 105)
    fit_ylabel(likely, "How likely it felt (%)")
    legend_above(likely, theme, handles=handles)
    changed = [(d, p) for d, p in zip(days, points, strict=True)
               if p.rolling_change is not None]
    moved.axhline(0, color=theme.muted, linewidth=0.8)
    if changed:
        moved.plot([d for d, _ in changed], [p.rolling_change for _, p in changed],
                   color=theme.rolling, linewidth=2, marker=".")
    limit = max([10.0, *(abs(p.rolling_change or 0) for _, p in changed)]) + 5
    moved.set_ylim(-limit, limit)
    fit_ylabel(moved, f"Change, last {ROLLING_ENTRIES} (points)")
    date_axis(moved, points[0].on, points[-1].on)
    caption(fig, [view.sentence or "", HOW_TO_READ, *notes], theme)
    return fig


def _draw_bins(view: LearnedView, likely: Axes, moved: Axes, theme: ChartTheme) -> None:
    """Many experiments: the mean likelihood before and afterwards and the mean change, per
    period (a line each, never a dot per entry)."""
    bins = view.bins
    days = as_datetimes([b.start for b in bins])
    for values, colour, label in (([b.before for b in bins], theme.anticipated, "Before"),
                                  ([b.after for b in bins], theme.actual, "Afterwards")):
        likely.plot(days, [float("nan") if v is None else v for v in values], color=colour,
                    linewidth=1.8, marker=".", label=f"{label}, average per {view.period}")
    likely.set_ylim(-5, 105)
    fit_ylabel(likely, "How likely it felt (%)")
    legend_above(likely, theme)
    moved.axhline(0, color=theme.muted, linewidth=0.8)
    changes = [float("nan") if b.change is None else b.change for b in bins]
    moved.plot(days, changes, color=theme.rolling, linewidth=2)
    limit = max([10.0, *(abs(b.change) for b in bins if b.change is not None)]) + 5
    moved.set_ylim(-limit, limit)
    fit_ylabel(moved, f"Change per {view.period} (points)")
    date_axis(moved, bins[0].start, bins[-1].start)
