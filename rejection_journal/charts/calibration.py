"""Calibration: how often a "no" came, against the chance of "no" predicted beforehand."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from rejection_journal.charts.common import (
    caption,
    empty_state,
    fit_ylabel,
    legend_above,
    new_figure,
    style_axes,
    title,
)
from rejection_journal.charts.describe import happened_note
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import Calibration

TITLE = "Predicted vs actual chance of “no”"
EMPTY_MESSAGE = (
    "No finished asks with a prediction yet.\n"
    "Rate the chance of “no” before you ask, record what happened,\n"
    "and how well you predict will appear here."
)
HOW_TO_READ = ("Dots below the diagonal: “no” came less often than you predicted. "
               "Brier score: 0 is perfect, 0.25 is a coin toss.")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def calibration_summary(cal: Calibration) -> str:
    """One line with the Brier score and the predicted vs actual rejection rate."""
    if cal.brier is None:
        return ""
    asks = "1 ask" if cal.count == 1 else f"{cal.count:,} asks"
    return (f"Brier score {cal.brier:.2f} over {asks} · predicted “no” on average "
            f"{_pct(cal.mean_predicted)}, actual {_pct(cal.rejection_rate)}")


#: the first column of the calibration CSV: a row is one bin, or the summary of all asks
BIN_ROW, SUMMARY_ROW = "bin", "summary"


def calibration_csv(cal: Calibration) -> tuple[list[str], list[Sequence[object]]]:
    """One ``bin`` row per bin (``predicted_to_pct`` exclusive, except the last bin's 100),
    then one ``summary`` row over every ask (0 to 100 %, with the Brier score); the first
    column says which (docs/charts.md)."""
    header = ["row", "predicted_from_pct", "predicted_to_pct", "asks", "mean_predicted_pct",
              "observed_no_pct", "brier"]
    rows: list[Sequence[object]] = [
        [BIN_ROW, b.low, b.high, b.count, b.mean_predicted * 100, b.observed_no * 100, None]
        for b in cal.bins
    ]
    if cal.mean_predicted is not None and cal.rejection_rate is not None:
        rows.append([SUMMARY_ROW, 0, 100, cal.count, cal.mean_predicted * 100,
                     cal.rejection_rate * 100, cal.brier])
    return header, rows


def _notes(cal: Calibration) -> str:
    parts = []
    if cal.open_count:
        parts.append(f"{cal.open_count:,} open entr{'y' if cal.open_count == 1 else 'ies'}")
    if cal.not_asked:
        parts.append(f"{cal.not_asked:,} “didn't ask”")
    return ("Not counted: " + ", ".join(parts) + ".") if parts else ""


def build_calibration_figure(cal: Calibration, theme: ChartTheme = LIGHT, *,
                             figure: Figure | None = None) -> Figure:
    fig = new_figure(figure, theme)
    if cal.is_empty:
        empty_state(fig, TITLE, EMPTY_MESSAGE, theme)
        caption(fig, [_notes(cal), happened_note(cal.happened_to_me)], theme)
        return fig
    title(fig, TITLE, theme)
    ax, rate_ax = fig.subplots(1, 2, width_ratios=(3, 1))
    for axes in (ax, rate_ax):
        style_axes(axes, theme)
    ax.plot([0, 100], [0, 100], linestyle="--", color=theme.muted, linewidth=1,
            label="Perfect prediction")
    xs = [b.mean_predicted * 100 for b in cal.bins]
    ys = [b.observed_no * 100 for b in cal.bins]
    biggest = max(b.count for b in cal.bins)
    sizes = [30 + 170 * b.count / biggest for b in cal.bins]
    ax.plot(xs, ys, color=theme.rolling, linewidth=1.2, alpha=0.6)
    ax.scatter(xs, ys, s=sizes, color=theme.rolling, zorder=3, linewidths=0,
               label="Your asks (dot size: how many)")
    for b, x, y in zip(cal.bins, xs, ys, strict=True):
        ax.annotate(f"{b.count:,}", (x, y), textcoords="offset points", xytext=(7, -3),
                    fontsize=7, color=theme.muted)
    ax.set_xlim(-3, 106)
    ax.set_ylim(-3, 106)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("Predicted chance of “no” (%)")
    fit_ylabel(ax, "Asks that got a “no” (%)")
    legend_above(ax, theme, ncols=2)

    values = [(cal.mean_predicted or 0) * 100, (cal.rejection_rate or 0) * 100]
    bars = rate_ax.bar(["Predicted", "Actual"], values,
                       color=[theme.anticipated, theme.actual], width=0.6)
    rate_ax.bar_label(bars, labels=[f"{v:.0f} %" for v in values], fontsize=8,
                      color=theme.foreground, padding=2)
    rate_ax.set_ylim(0, 110)
    fit_ylabel(rate_ax, "Rejection rate (%)")
    rate_ax.set_title("On average", fontsize=9, color=theme.foreground)
    few = (f"With {cal.count} ask{'s' if cal.count != 1 else ''} this says little yet; "
           "it grows clearer with every prediction." if cal.count < 10 else "")
    caption(fig, [calibration_summary(cal), HOW_TO_READ, few, _notes(cal),
                  happened_note(cal.happened_to_me)], theme)
    return fig
