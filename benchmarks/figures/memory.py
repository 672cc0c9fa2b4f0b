"""Peak memory (ru_maxrss) of the app, started until its chart is drawn: 100,000 entries vs
an empty journal."""

from __future__ import annotations

from harness import CLI, Figure, Journals, child_env, peak_rss_mb


def figures(journals: Journals) -> list[Figure]:
    def peak(subject: bool) -> float:
        folder = journals.fresh(100_000 if subject else 0)
        try:
            return peak_rss_mb([CLI, "--data-dir", str(folder)],
                               env=child_env(REJECTION_JOURNAL_SMOKE_TEST="1"))
        finally:
            journals.discard(folder)

    return [Figure("Peak memory of the app (chart drawn), 100,000 entries", "empty journal",
                   1.3, peak, unit="MB", runs=3, warm_up=False)]
