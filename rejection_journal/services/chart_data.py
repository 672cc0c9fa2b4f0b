"""What the chart pane reads besides its kind's data: the headline, summed up from the
journal's entries one at a time (never all of them held at once)."""

from __future__ import annotations

from rejection_journal.domain.chart_stats import ChartFilter, Headline, headline
from rejection_journal.services.journal_service import JournalService


def chart_headline(service: JournalService, flt: ChartFilter) -> Headline:
    """This month's average gap (and its change) and the Brier score of the entries ``flt``
    admits, as of the service's today."""
    rows = service.journal.iter_chart_rows(flt.since, flt.until, flt.category)
    return headline(rows, service.today())
