"""A chart saved as a file, or the numbers it plots as CSV: the use case behind
``rejection-journal chart`` (the window's export goes through the same registry of kinds).

Matplotlib is imported only when a chart is drawn, inside :func:`save_chart`: the rest of
the services, and the command line's start, stay free of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal.domain.chart_stats import ChartFilter

if TYPE_CHECKING:
    from rejection_journal.services.journal_service import JournalService


@dataclass(frozen=True, slots=True)
class SavedChart:
    """What :func:`save_chart` wrote, in the words a command line reports it."""

    kind: str
    path: Path
    #: how many CSV rows were written (None: an image)
    rows: int | None
    #: the chart has nothing to show yet (it says so itself)
    empty: bool
    #: entries (in the filter) still waiting for their after half: not in the chart
    open_count: int
    #: why some entries are not drawn ("" if all are)
    left_out: str
    #: the rejections that happened to the user that the chart leaves out ("" if none)
    happened: str = ""


def save_chart(service: JournalService, kind_name: str, flt: ChartFilter, out: Path,
               fmt: str, *, size: tuple[float, float], dpi: int) -> SavedChart:
    """Draw the chart ``kind_name`` of the entries ``flt`` admits into ``out`` (``fmt``:
    png, svg, pdf, or csv for the plotted numbers), atomically."""
    from rejection_journal.charts.describe import happened_note
    from rejection_journal.charts.export import export_text, save_csv, save_figure
    from rejection_journal.charts.gap import left_out_note
    from rejection_journal.charts.registry import kind_named
    from rejection_journal.domain.chart_stats import GapView

    kind = kind_named(kind_name)
    data = kind.load(service, flt)
    rows: int | None = None
    if fmt == "csv":
        header, table = kind.csv(data)
        save_csv(header, table, out)
        rows = len(table)
    else:
        save_figure(kind.figure(data, size=size), out, dpi=dpi, fmt=fmt,
                    about=export_text(kind.name, kind.title, data, flt))
    return SavedChart(kind.name, out, rows, kind.is_empty(data), data.open_count,
                      left_out_note(data) if isinstance(data, GapView) else "",
                      happened_note(getattr(data, "happened_to_me", 0)).rstrip("."))
