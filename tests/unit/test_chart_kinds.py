"""Every chart kind in the registry: content, labels, empty states, date ticks, CSV — not pixels."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from rejection_journal.charts.common import entry_artists, entry_at
from rejection_journal.charts.export import csv_text
from rejection_journal.charts.registry import KIND_NAMES, KINDS, ChartKind, kind_named
from rejection_journal.charts.theme import DARK
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    LadderChartData,
    open_count,
    rated_points,
)
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import EntryKind, FearHappened
from rejection_journal.domain.learned import ExperimentRow
from rejection_journal.domain.picker import PastAttempt, Rung
from rejection_journal.domain.plan import TakenCheck, check_items
from rejection_journal.domain.stats import GapPoint

TODAY = date(2026, 3, 15)


def _rows(count: int, *, start: date = TODAY, step_days: int = 1) -> list[ChartRow]:
    outcomes = ["no", "yes", "partial", "no_response", "no", "didnt_ask"]
    reasons = ["timing", "policy", None, "personal"]
    return [ChartRow(f"uuid-{i}", start - timedelta(days=i * step_days), "social",
                     8 - i % 5, 2 + i % 4, (i * 37) % 101, outcomes[i % 6],
                     reasons[i % 4] if outcomes[i % 6] in ("no", "partial", "no_response")
                     else None)
            for i in range(count)][::-1]


class FakeSource:
    """Chart data as the service hands it: plain rows, no journal."""

    def __init__(self, rows: list[ChartRow], beliefs: list[BeliefPair] | None = None,
                 ladder: list[PastAttempt] | None = None,
                 self_checks: list[TakenCheck] | None = None,
                 experiments: list[ExperimentRow] | None = None) -> None:
        self.rows = rows
        self.experiments = _experiments(rows) if experiments is None else experiments
        self.taken = self_checks or []
        self.beliefs = beliefs or []
        self.ladder = ladder or []

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
        flt = flt or ChartFilter()
        return [r for r in self.rows if flt.admits(r)]

    def gap_points(self, flt: ChartFilter | None = None) -> list[GapPoint]:
        return rated_points(self.chart_rows(flt))

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
        return self.beliefs

    def ladder_chart(self, flt: ChartFilter | None = None) -> LadderChartData:
        # no tries at all: no ladder either (its empty state)
        return LadderChartData("Ask for a raise", RUNGS if self.ladder else (), self.ladder)

    def chart_open_count(self, flt: ChartFilter | None = None) -> int:
        return open_count(self.chart_rows(flt))

    def happened_count(self, flt: ChartFilter | None = None) -> int:
        return sum(1 for r in self.experiment_rows(flt) if r.kind is EntryKind.HAPPENED_TO_ME)

    def self_checks(self) -> list[TakenCheck]:
        return self.taken

    def experiment_rows(self, flt: ChartFilter | None = None) -> list[ExperimentRow]:
        flt = flt or ChartFilter()
        return [r for r in self.experiments if flt.admits_entry(r.attempted_on, r.category)]


#: what the fake entries fear (the headline quotes the one named most often)
FEARS = ("They will think I am rude and tell everyone at work about it", "I'll freeze")


def _experiments(rows: list[ChartRow]) -> list[ExperimentRow]:
    """An experiment per finished fake entry; every seventh a rejection that happened to me."""
    answers = (FearHappened.NO, FearHappened.NO, FearHappened.PARTLY, FearHappened.YES)
    return [ExperimentRow(
        r.uuid, r.day, r.category,
        EntryKind.HAPPENED_TO_ME if i % 7 == 6 else EntryKind.ASK, FEARS[i % 2],
        min(100, 40 + (r.anticipated or 0) * 6), answers[i % 4],
        max(0, 60 - i % 50)) for i, r in enumerate(rows) if r.outcome]


#: the fake ladder's rungs: the last one is not tried yet in _full_source
RUNGS = tuple(Rung(f"challenge-{i}", f"Rung {i}", i + 2) for i in range(4))


def _tries(count: int, ratings: list[tuple[int | None, int | None]]) -> list[PastAttempt]:
    """``count`` answered entries on the first three rungs, in turn."""
    return [PastAttempt(f"challenge-{i % 3}", TODAY - timedelta(days=count - i),
                        *ratings[i % len(ratings)], Outcome.NO)
            for i in range(count)]


def _full_source(count: int = 30) -> FakeSource:
    rows = _rows(count)
    beliefs = [BeliefPair(r.uuid, r.day, r.anticipated, (r.anticipated or 0) - 1) for r in rows]
    ladder = _tries(9, [(7, 3), (6, 3), (5, 3)])
    checks = [TakenCheck.of({item.id: (6 - i % 3, 2 + i % 4) for item in check_items()},
                            TODAY - timedelta(days=7 * (count - i))) for i in range(count)]
    return FakeSource(rows, beliefs, ladder, checks)


def _texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


def test_the_registry_lists_every_kind_once() -> None:
    assert KIND_NAMES == ("gap", "calibration", "belief", "outcomes", "reasons", "ladder",
                          "self-check", "learned")
    assert kind_named("calibration").name == "calibration"
    with pytest.raises(KeyError, match="unknown chart kind"):
        kind_named("pie")
    for kind in KINDS:
        assert {"attempted_on", "challenge_uuid"} <= kind.plotted_fields
        assert "feelings_after" not in kind.plotted_fields


@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_every_kind_has_a_title_labelled_axes_a_caption_and_an_outside_legend(
    kind: ChartKind
) -> None:
    data = kind.load(_full_source(), ChartFilter())
    assert not kind.is_empty(data)
    figure = kind.figure(data)
    assert figure.get_suptitle()
    assert figure.get_supxlabel(), "a caption on how to read it"
    figure.draw_without_rendering()
    for ax in figure.axes:
        assert ax.get_ylabel(), f"{kind.name}: every axes has a y label"
        if "(" in ax.get_ylabel():
            assert ax.get_ylabel().endswith(")"), "units in brackets"
        legend = ax.get_legend()
        if legend is not None:
            box = legend.get_window_extent()
            plot = ax.get_window_extent()
            assert box.y0 >= plot.y1 - 1, f"{kind.name}: the legend sits above the data"
    assert any(ax.get_xlabel() for ax in figure.axes)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_every_kind_has_an_honest_empty_state(kind: ChartKind) -> None:
    data = kind.load(FakeSource([]), ChartFilter())
    assert kind.is_empty(data)
    figure = kind.figure(data, DARK)
    assert len(figure.axes) == 1 and not figure.axes[0].get_lines()
    message = " ".join(_texts(figure))
    assert "appear" in message  # "... will appear here" / "appears once ..."
    header, rows = kind.csv(data)
    assert header and rows == []


def test_the_belief_and_ladder_charts_say_what_they_wait_for() -> None:
    belief = kind_named("belief")
    texts = " ".join(_texts(belief.figure(belief.load(FakeSource(_rows(5)), ChartFilter()))))
    assert "appears once entries record what you expect next time" in texts
    ladder = kind_named("ladder")
    texts = " ".join(_texts(ladder.figure(ladder.load(FakeSource(_rows(5)), ChartFilter()))))
    assert "once you build a fear ladder" in texts


def _xticks_in_days(figure: Figure) -> list[float]:
    figure.draw_without_rendering()
    ax = figure.axes[-1]
    low, high = ax.get_xlim()
    return [t for t in ax.get_xticks() if low <= t <= high]


@pytest.mark.parametrize("kind_name", ["gap", "outcomes", "belief"])
@pytest.mark.parametrize("count", [1, 2, 30, 3650])
def test_date_ticks_are_whole_days_or_coarser_for_any_journal_size(
    kind_name: str, count: int
) -> None:
    kind = kind_named(kind_name)
    figure = kind.figure(kind.load(_full_source(count), ChartFilter()))
    ticks = _xticks_in_days(figure)
    assert 2 <= len(ticks) <= 12, ticks
    assert all(float(t).is_integer() for t in ticks), f"hour ticks: {ticks}"
    low, high = figure.axes[-1].get_xlim()
    if count <= 2:
        # One or two entries: about a week around them, not years.
        assert 6 <= high - low <= 10
    if count == 3650:
        assert high - low > 3000


def test_one_entry_sits_inside_a_sensible_axis() -> None:
    kind = kind_named("gap")
    figure = kind.figure(kind.load(_full_source(1), ChartFilter()))
    low, high = figure.axes[0].get_xlim()
    (day,) = [r.day for r in _rows(1)]
    from matplotlib.dates import date2num

    assert low < date2num(day) < high


def test_two_entries_show_the_real_ratings_and_explain_the_sign() -> None:
    kind = kind_named("gap")
    rows = _rows(2)
    figure = kind.figure(kind.load(FakeSource(rows), ChartFilter()))
    lines = {line.get_label(): list(np.asarray(line.get_ydata())) for ax in figure.axes
             for line in ax.get_lines()}
    # Oldest first: yesterday's "yes" (7 feared, 3 felt), then today's "no" (8, 2).
    assert lines["Anticipated"] == [7.0, 8.0]
    assert lines["Actual"] == [3.0, 2.0]
    assert "Gap, each attempt" in lines
    assert any("feared more than you felt" in t for t in _texts(figure))


def test_the_csv_is_exactly_what_the_gap_chart_plots() -> None:
    kind = kind_named("gap")
    data = kind.load(_full_source(30), ChartFilter())
    figure = kind.figure(data)
    header, rows = kind.csv(data)
    table = list(csv.DictReader(io.StringIO(csv_text(header, rows))))
    plotted = {line.get_label(): list(np.asarray(line.get_ydata()))
               for line in figure.axes[0].get_lines()}
    assert [float(r["line_anticipated"]) for r in table] == pytest.approx(plotted["Anticipated"])
    assert [float(r["line_actual"]) for r in table] == pytest.approx(plotted["Actual"])
    assert [r["entry_uuid"] for r in table] == [p.uuid for p in data.points]


def test_the_csv_of_a_long_range_holds_the_averages_drawn() -> None:
    kind = kind_named("gap")
    data = kind.load(_full_source(3650), ChartFilter())
    figure = kind.figure(data)
    header, rows = kind.csv(data)
    assert header[0] == "month_starting"
    line = next(line for line in figure.axes[0].get_lines() if line.get_label() == "Anticipated")
    assert [r[2] for r in rows] == pytest.approx(list(np.asarray(line.get_ydata())), abs=1e-4)


def test_calibration_shows_bins_brier_and_both_rates() -> None:
    kind = kind_named("calibration")
    data = kind.load(_full_source(60), ChartFilter())
    figure = kind.figure(data)
    texts = " ".join(_texts(figure))
    assert f"Brier score {data.brier:.2f}" in texts
    assert "Perfect prediction" in texts
    _header, rows = kind.csv(data)
    assert len(rows) == len(data.bins) + 1  # the bins, then all asks together
    bars = figure.axes[1].patches
    assert all(isinstance(b, Rectangle) for b in bars)
    assert [cast(Rectangle, b).get_height() for b in bars] == pytest.approx(
        [data.mean_predicted * 100, data.rejection_rate * 100])


def test_outcomes_stack_to_the_number_of_finished_entries() -> None:
    kind = kind_named("outcomes")
    data = kind.load(_full_source(30), ChartFilter())
    figure = kind.figure(data)
    # One collection of bars per outcome; each bar's height is its count.
    heights = 0.0
    for bars in figure.axes[0].collections:
        for path in bars.get_paths():
            ys = np.asarray(path.vertices)[:, 1]
            heights += ys.max() - ys.min()
    assert heights == data.total == 30
    assert {bars.get_gid() for bars in figure.axes[0].collections} <= set(data.labels)


def test_single_entry_points_open_their_entry() -> None:
    kind = kind_named("gap")
    data = kind.load(_full_source(5), ChartFilter())
    figure = kind.figure(data)
    artists = entry_artists(figure)
    assert len(artists) == 3  # anticipated, actual and gap dots
    assert {entry_at(artists[0], i) for i in range(len(data.points))} == {
        p.uuid for p in data.points}
    assert entry_at(artists[0], 999) is None


def test_the_filter_reaches_the_loader() -> None:
    source = _full_source(30)
    kind = kind_named("outcomes")
    since = TODAY - timedelta(days=6)
    data = kind.load(source, ChartFilter(since=since))
    assert data.total == 7


@pytest.fixture(scope="module")
def hundred_thousand() -> FakeSource:
    rows = _rows(100_000, step_days=1)[::-1]  # 100,000 days back: more than the range allows
    rows = [r._replace(day=TODAY - timedelta(days=i * 3650 // 100_000))
            for i, r in enumerate(rows)][::-1]
    return FakeSource(rows, [BeliefPair(r.uuid, r.day, r.anticipated, 3) for r in rows],
                      _tries(len(rows), [(r.anticipated, r.actual) for r in rows[:50]]))


@pytest.mark.slow  # about 10 s: `make test` runs it
@pytest.mark.parametrize("kind", KINDS, ids=KIND_NAMES)
def test_an_svg_of_100000_entries_stays_small(
    kind: ChartKind, hundred_thousand: FakeSource, tmp_path: Path
) -> None:
    from rejection_journal.charts.export import save_figure

    data = kind.load(hundred_thousand, ChartFilter())
    out = save_figure(kind.figure(data), tmp_path / f"{kind.name}.svg")
    assert out.stat().st_size < 2 * 1024 * 1024
    # and not a drawn dot per entry: nothing in the figure holds 100,000 points
    figure = kind.figure(data)
    for ax in figure.axes:
        assert all(len(np.asarray(line.get_xdata())) < 1000 for line in ax.get_lines())
        assert all(len(np.asarray(c.get_offsets())) < 1000 for c in ax.collections
                   if hasattr(c, "get_offsets"))
