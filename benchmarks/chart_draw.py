"""Drawing cost of every chart kind at 100,000 entries vs 1,000, and SVG size at 100,000.

    python benchmarks/chart_draw.py [--runs 5] [--small 1000] [--large 100000]

Demo entries (as ``rejection-journal demo`` makes them: 1,000 span about four years, 100,000
fill ten) are turned into the rows the chart loaders read. For each kind, one sample is
"draw": build the Figure from the kind's data and render it to a PNG (8 × 5.5 in, 100 dpi),
the two sizes alternating so machine noise hits both alike. Loading (rows -> the kind's
numbers) is timed apart. Medians and the ratio large/small are printed (target ≤ 1.5×), with
the SVG size at the large size (target < 2 MB).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from datetime import date, timedelta

from rejection_journal.charts.registry import KINDS
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    LadderChartData,
    open_count,
    rated_points,
)
from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import EntryKind, FearHappened
from rejection_journal.domain.learned import ExperimentRow
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.plan import TakenCheck
from rejection_journal.domain.stats import GapPoint

TARGET_RATIO = 1.5
SVG_LIMIT = 2 * 1024 * 1024


class Rows:
    def __init__(self, rows: list[ChartRow]) -> None:
        self.rows = rows

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
        return self.rows

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
        # Synthetic "next time" predictions (issue 9 adds the real fields).
        return [BeliefPair(r.uuid, r.day, r.anticipated, max(0, (r.anticipated or 0) - 1))
                for r in self.rows if r.anticipated is not None]

    def ladder_chart(self, flt: ChartFilter | None = None) -> LadderChartData:
        from rejection_journal.domain.picker import PastAttempt, Rung

        rungs = tuple(Rung(f"rung-{i}", f"Rung {i}") for i in range(8))
        return LadderChartData("Demo ladder", rungs, [
            PastAttempt(f"rung-{i % 8}", r.day, r.anticipated, r.actual,
                        Outcome(r.outcome) if r.outcome else None)
            for i, r in enumerate(self.rows)])

    def chart_open_count(self, flt: ChartFilter | None = None) -> int:
        return open_count(self.rows)

    def happened_count(self, flt: ChartFilter | None = None) -> int:
        return 0

    def gap_points(self, flt: ChartFilter | None = None) -> list[GapPoint]:
        return rated_points(self.rows)

    def self_checks(self) -> list[TakenCheck]:
        return []

    def experiment_rows(self, flt: ChartFilter | None = None) -> list[ExperimentRow]:
        # Synthetic experiments: the chance of "no" as the fear's likelihood, re-rated lower.
        return [ExperimentRow(r.uuid, r.day, r.category, EntryKind.ASK, "They'll laugh",
                              r.predicted_no, FearHappened.YES if r.outcome == "no"
                              else FearHappened.NO, max(0, r.predicted_no - 10))
                for r in self.rows if r.predicted_no is not None and r.outcome]


def demo_rows(count: int, *, ten_years: bool = False) -> list[ChartRow]:
    """Demo entries; with ``ten_years``, spread evenly over the same ten years whatever
    their number (so only the number of entries differs, not the span)."""
    challenges = builtin_challenges()
    category = {c.uuid: c.category.value for c in challenges}
    today = date(2026, 6, 30)
    attempts = generate_attempts(challenges, count, seed=1, today=today)
    if ten_years:
        attempts = [a.replace(attempted_on=today - timedelta(days=(count - 1 - i) * 3650 // count))
                    for i, a in enumerate(attempts)]
    return [ChartRow(a.uuid, a.attempted_on, category.get(a.challenge_uuid or ""),
                     a.anticipated_discomfort, a.actual_discomfort, a.predicted_no_chance,
                     a.outcome.value if a.outcome else None,
                     " ".join(r.value for r in a.reasons) or None) for a in attempts]


def _draw(kind: object, data: object) -> float:
    from rejection_journal.charts.registry import ChartKind

    assert isinstance(kind, ChartKind)
    start = time.perf_counter()
    figure = kind.figure(data)
    figure.savefig(io.BytesIO(), format="png", dpi=100)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    worst = 0.0
    for ten_years in (False, True):
        print("\nDemo journals (1,000 entries span about four years, 100,000 fill ten)"
              if not ten_years else "\nBoth sizes spread over the same ten years")
        sources = {n: Rows(demo_rows(n, ten_years=ten_years)) for n in (args.small, args.large)}
        worst = max(worst, _table(sources, args.small, args.large, args.runs))
    print(f"\nworst draw ratio {worst:.2f}x (target ≤ {TARGET_RATIO}x)")
    return 0 if worst <= TARGET_RATIO else 1


def _table(sources: dict[int, Rows], small_n: int, large_n: int, runs: int) -> float:
    worst = 0.0
    print(f"{'kind':<12} {'load ' + str(small_n):>12} {'load ' + str(large_n):>12} "
          f"{'draw ' + str(small_n):>12} {'draw ' + str(large_n):>12} {'ratio':>6} "
          f"{'SVG ' + str(large_n):>10}")
    for kind in KINDS:
        loads: dict[int, float] = {}
        data = {}
        for n, source in sources.items():
            start = time.perf_counter()
            data[n] = kind.load(source, ChartFilter())
            loads[n] = time.perf_counter() - start
        _draw(kind, data[small_n])  # warm-up (fonts, caches)
        samples: dict[int, list[float]] = {small_n: [], large_n: []}
        for _ in range(runs):
            for n in (small_n, large_n):
                samples[n].append(_draw(kind, data[n]))
        small = statistics.median(samples[small_n])
        large = statistics.median(samples[large_n])
        svg = io.BytesIO()
        kind.figure(data[large_n]).savefig(svg, format="svg")
        ratio = large / small
        worst = max(worst, ratio)
        print(f"{kind.name:<12} {loads[small_n] * 1000:>10.0f}ms "
              f"{loads[large_n] * 1000:>10.0f}ms {small * 1000:>10.0f}ms "
              f"{large * 1000:>10.0f}ms {ratio:>5.2f}x {len(svg.getvalue()) / 1024:>8.0f}KB")
        if len(svg.getvalue()) >= SVG_LIMIT:
            print(f"  SVG over {SVG_LIMIT // 1024 // 1024} MB")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
