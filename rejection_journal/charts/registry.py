"""Every chart kind in one list, shared by the chart pane's selector and ``chart --list``.

A kind names its data loader (through whatever offers :class:`ChartSource`, the journal
service in practice), its figure builder, the CSV of exactly the numbers it plots, and the
entry fields it plots (so a change to anything else does not redraw it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from matplotlib.figure import Figure

from rejection_journal.charts.belief import belief_csv, build_belief_figure
from rejection_journal.charts.calibration import build_calibration_figure, calibration_csv
from rejection_journal.charts.common import DEFAULT_SIZE
from rejection_journal.charts.gap import build_gap_figure, gap_csv
from rejection_journal.charts.kinds import KIND_INFO
from rejection_journal.charts.ladder import build_ladder_figure, ladder_csv
from rejection_journal.charts.learned import build_learned_figure, learned_csv
from rejection_journal.charts.periods import (
    build_outcomes_figure,
    build_reasons_figure,
    period_csv,
)
from rejection_journal.charts.self_check import build_self_check_figure, self_check_csv
from rejection_journal.charts.theme import LIGHT, ChartTheme
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    GapView,
    LadderChartData,
    belief_updates,
    calibration,
    gap_from_points,
    gap_view,
    ladder_progress,
    outcomes_per_period,
    reasons_per_period,
    self_check_series,
)
from rejection_journal.domain.learned import ExperimentRow, learned_view
from rejection_journal.domain.plan import TakenCheck
from rejection_journal.domain.stats import GapPoint

CsvTable = tuple[list[str], list[Sequence[object]]]


class ChartSource(Protocol):
    """Where chart data comes from (``JournalService`` offers these)."""

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]: ...

    def gap_points(self, flt: ChartFilter | None = None) -> list[GapPoint]: ...

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]: ...

    def ladder_chart(self, flt: ChartFilter | None = None) -> LadderChartData: ...

    def chart_open_count(self, flt: ChartFilter | None = None) -> int: ...

    def happened_count(self, flt: ChartFilter | None = None) -> int: ...

    def self_checks(self) -> list[TakenCheck]: ...

    def experiment_rows(self, flt: ChartFilter | None = None) -> list[ExperimentRow]: ...


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


def _gap(source: ChartSource, flt: ChartFilter) -> GapView:
    """Read only what the gap plots (a gap-only query), and the open entries' count."""
    return gap_view(gap_from_points(source.gap_points(flt)), source.chart_open_count(flt))


def _open_from_source(load: Callable[[ChartSource, ChartFilter], Any]
                      ) -> Callable[[ChartSource, ChartFilter], Any]:
    """``load``, with the open entries counted by the source (the one count the status bar,
    ``today`` and every chart share: an entry waiting for an answer is not one to reflect
    on until its day to follow up)."""
    return lambda source, flt: dataclasses.replace(
        load(source, flt), open_count=source.chart_open_count(flt))


def _happened_from_source(load: Callable[[ChartSource, ChartFilter], Any]
                          ) -> Callable[[ChartSource, ChartFilter], Any]:
    """``load``, with the rejections that happened to the user counted by the source: a
    chart that needs a prediction leaves them out, and says how many."""
    return lambda source, flt: dataclasses.replace(
        load(source, flt), happened_to_me=source.happened_count(flt))


_PARTS: dict[str, tuple[Callable[[ChartSource, ChartFilter], Any], Callable[..., Figure],
                        Callable[[Any], CsvTable]]] = {
    "gap": (_happened_from_source(_gap), build_gap_figure, gap_csv),
    "calibration": (_happened_from_source(_open_from_source(
        lambda source, flt: calibration(source.chart_rows(flt)))),
        build_calibration_figure, calibration_csv),
    "belief": (_happened_from_source(lambda source, flt: belief_updates(
        source.belief_pairs(flt), source.chart_open_count(flt))),
        build_belief_figure, belief_csv),
    "outcomes": (_open_from_source(
        lambda source, flt: outcomes_per_period(source.chart_rows(flt))),
        build_outcomes_figure, period_csv),
    "reasons": (_open_from_source(
        lambda source, flt: reasons_per_period(source.chart_rows(flt))),
        build_reasons_figure, period_csv),
    "ladder": (lambda source, flt: ladder_progress(source.ladder_chart(flt), flt),
               build_ladder_figure, ladder_csv),
    "self-check": (lambda source, flt: self_check_series(
        ((taken.taken_on, taken.overall) for taken in source.self_checks()), flt,
        source.chart_open_count(flt)),
        build_self_check_figure, self_check_csv),
    "learned": (lambda source, flt: learned_view(source.experiment_rows(flt),
                                                 source.chart_open_count(flt)),
                build_learned_figure, learned_csv),
}

KINDS: tuple[ChartKind, ...] = tuple(
    ChartKind(info.name, info.title, info.description, *_PARTS[info.name],
              lambda data: bool(data.is_empty), info.plotted_fields)
    for info in KIND_INFO
)

KIND_NAMES = tuple(kind.name for kind in KINDS)


def kind_named(name: str) -> ChartKind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(f"unknown chart kind '{name}': choose from {', '.join(KIND_NAMES)}")
