"""Render the README's chart pictures (gap and calibration) from a fixed demo journal.

    python resources/screenshots/take_chart_screenshots.py [FOLDER]

The same demo entries (120, seed 4, ending 2026-11-23) as the window screenshot, drawn by the
chart registry exactly as ``rejection-journal chart`` draws them (8 × 5.5 in, 100 dpi).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    from rejection_journal.charts.export import save_figure
    from rejection_journal.charts.registry import kind_named
    from rejection_journal.domain.chart_stats import (
        BeliefPair,
        ChartFilter,
        ChartRow,
        LadderAttempt,
    )
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.domain.library import builtin_challenges

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    challenges = builtin_challenges()
    category = {c.uuid: c.category.value for c in challenges}
    attempts = generate_attempts(challenges, 120, seed=4, today=date(2026, 11, 23))
    rows = [ChartRow(a.uuid, a.attempted_on, category.get(a.challenge_uuid or ""),
                     a.anticipated_discomfort, a.actual_discomfort, a.predicted_no_chance,
                     a.outcome.value if a.outcome else None, a.reason.value if a.reason else None)
            for a in attempts]

    class Source:
        def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
            return rows

        def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
            return []

        def ladder_attempts(self, flt: ChartFilter | None = None
                            ) -> tuple[str, list[LadderAttempt]]:
            return "", []

    for name in ("gap", "calibration"):
        kind = kind_named(name)
        out = save_figure(kind.figure(kind.load(Source(), ChartFilter())),
                          folder / f"chart-{name}.png", dpi=100)
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
