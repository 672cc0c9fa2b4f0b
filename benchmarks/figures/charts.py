"""Charts: every kind drawn (Figure built and rendered to PNG) at 100,000 entries vs 1,000,
their data loaded from real demo journals; and the ``chart`` CLI's PNG export."""

from __future__ import annotations

import io
import time
from typing import Any

from harness import CLI, Figure, Journals, child_env, seconds_to_exit


def _load_all(journals: Journals, entries: int) -> dict[str, Any]:
    """Each kind's data, loaded through the journal service (one journal open at a time)."""
    from chart_draw import Rows

    from rejection_journal.charts.registry import KINDS
    from rejection_journal.domain.chart_stats import ChartFilter
    from rejection_journal.services import JournalService
    from rejection_journal.storage import open_journal

    with open_journal(journals.template(entries)) as journal:
        service = JournalService(journal)
        rows = service.chart_rows()
        source = Rows(rows)
        source.belief_pairs = service.belief_pairs  # type: ignore[method-assign]
        if service.ladder_chart(ChartFilter()).rungs:
            source.ladder_chart = service.ladder_chart  # type: ignore[method-assign]
        # (no ladders in demo journals yet: chart_draw's synthetic rungs stand in)
        return {kind.name: kind.load(source, ChartFilter()) for kind in KINDS}


def figures(journals: Journals) -> list[Figure]:
    from rejection_journal.charts.registry import KINDS

    data: dict[int, dict[str, Any]] = {}

    def loaded(entries: int) -> dict[str, Any]:
        if entries not in data:
            data[entries] = _load_all(journals, entries)
        return data[entries]

    def draw(name: str) -> Any:
        kind = next(k for k in KINDS if k.name == name)

        def measure(subject: bool) -> float:
            values = loaded(100_000 if subject else 1_000)[name]
            start = time.perf_counter()
            kind.figure(values).savefig(io.BytesIO(), format="png", dpi=100)
            return time.perf_counter() - start
        return measure

    def export(subject: bool) -> float:
        folder = journals.template(100_000 if subject else 1_000)
        out = folder.parent / f"chart-{'large' if subject else 'small'}.png"
        return seconds_to_exit([CLI, "--data-dir", str(folder), "chart", "--kind", "gap",
                                "--out", str(out), "--force"], env=child_env())

    out = [Figure(f"Chart drawn: {kind.name}, 100,000 entries", "the same at 1,000", 1.5,
                  draw(kind.name)) for kind in KINDS]
    out.append(Figure("chart CLI export (gap, PNG), 100,000 entries", "the same at 1,000",
                      1.3, export))
    return out
