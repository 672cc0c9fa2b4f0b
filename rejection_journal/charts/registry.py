"""Every chart kind in one list, shared by the chart pane's selector and ``chart --list``.

A kind names its data loader (through whatever offers :class:`ChartSource`, the journal
service in practice), its figure builder, the CSV of exactly the numbers it plots, and the
entry fields it plots (so a change to anything else does not redraw it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from matplotlib.figure import Figure

from rejection_journal.charts.belief import belief_csv, build_belief_figure
from rejection_journal.charts.calibration import build_calibration_figure, calibration_csv
from rejection_journal.charts.common import DEFAULT_SIZE
from rejection_journal.charts.gap import build_gap_figure, gap_csv
from rejection_journal.charts.ladder import build_ladder_figure, ladder_csv
from rejection_journal.charts.periods import (
    build_outcomes_figure,
    build_reasons_figure,
    period_csv,
)
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    LadderAttempt,
    belief_updates,
    calibration,
    gap_from_rows,
    ladder_progress,
    outcomes_per_period,
    reasons_per_period,
)

CsvTable = tuple[list[str], list[Sequence[object]]]


class ChartSource(Protocol):
    """Where chart data comes from (``JournalService`` offers these)."""

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]: ...

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]: ...

    def ladder_attempts(self, flt: ChartFilter | None = None
                        ) -> tuple[str, list[LadderAttempt]]: ...


@dataclass(frozen=True, slots=True)
class ChartKind:
    name: str
    title: str
    description: str
    load: Callable[[ChartSource, ChartFilter], Any]
    build: Callable[..., Figure]  # (data, theme, *, figure=None) -> Figure
    csv: Callable[[Any], CsvTable]
    is_empty: Callable[[Any], bool]
    plotted_fields: frozenset[str]

    def figure(self, data: Any, theme: ChartTheme = LIGHT, *,
               size: tuple[float, float] | None = None) -> Figure:
        """A new Figure of ``size`` inches (default 8 × 5.5) showing ``data``."""
        figure = Figure(figsize=size or DEFAULT_SIZE, layout="constrained")
        return self.build(data, theme, figure=figure)


#: what every kind's filter uses: the date and the challenge (its category)
_FILTERED = frozenset({"attempted_on", "challenge_uuid"})

KINDS: tuple[ChartKind, ...] = (
    ChartKind(
        "gap", "Anticipated vs actual discomfort",
        "how much you feared each ask against how it felt, and the gap over time",
        lambda source, flt: gap_from_rows(source.chart_rows(flt)),
        build_gap_figure, gap_csv, lambda data: data.is_empty,
        _FILTERED | {"anticipated_discomfort", "actual_discomfort", "outcome"},
    ),
    ChartKind(
        "calibration", "Predicted vs actual chance of no",
        "how often a no came against the chance you predicted (Brier score)",
        lambda source, flt: calibration(source.chart_rows(flt)),
        build_calibration_figure, calibration_csv, lambda data: data.is_empty,
        _FILTERED | {"predicted_no_chance", "outcome"},
    ),
    ChartKind(
        "belief", "Belief update",
        "how each ask changed what you expect next time",
        lambda source, flt: belief_updates(source.belief_pairs(flt)),
        build_belief_figure, belief_csv, lambda data: data.is_empty,
        # The "next time" fields come with issue 9; their names are added here then.
        _FILTERED | {"anticipated_discomfort", "predicted_no_chance",
                     "expected_discomfort_next", "expected_no_chance_next"},
    ),
    ChartKind(
        "outcomes", "Outcomes over time",
        "what happened (no, yes, partly, no response, didn't ask) per week or month",
        lambda source, flt: outcomes_per_period(source.chart_rows(flt)),
        build_outcomes_figure, period_csv, lambda data: data.is_empty,
        _FILTERED | {"outcome"},
    ),
    ChartKind(
        "reasons", "Reasons over time",
        "why the answer was no, per week or month",
        lambda source, flt: reasons_per_period(source.chart_rows(flt)),
        build_reasons_figure, period_csv, lambda data: data.is_empty,
        _FILTERED | {"outcome", "reason"},
    ),
    ChartKind(
        "ladder", "Ladder progress",
        "anticipated vs actual discomfort per rung of a fear ladder",
        lambda source, flt: ladder_progress(*source.ladder_attempts(flt)),
        build_ladder_figure, ladder_csv, lambda data: data.is_empty,
        _FILTERED | {"anticipated_discomfort", "actual_discomfort"},
    ),
)

KIND_NAMES = tuple(kind.name for kind in KINDS)


def kind_named(name: str) -> ChartKind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(f"unknown chart kind '{name}': choose from {', '.join(KIND_NAMES)}")
