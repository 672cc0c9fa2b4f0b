"""Save a Figure as PNG, SVG or PDF, or the plotted numbers as CSV (atomically).

The format is the one the user chose: the file name's extension when it has a known one,
else the chosen type (a file dialog's filter), whose extension is then added to the name.
A file never gets content of a different format from its name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from matplotlib.figure import Figure

from rejection_journal.charts.describe import describe
from rejection_journal.charts.formats import (
    DATA_FORMATS,
    DEFAULT_DPI,
    DPI_MAX,
    DPI_MIN,
    EXPORT_FORMATS,
    SIZE_MAX,
    SIZE_MIN,
    SIZE_PRESETS,
    ChartExportError,
    ChartExportRequest,
    check_dpi,
    check_size,
    export_format,
    resolve_target,
)
from rejection_journal.domain.chart_stats import (
    ChartFilter,
)
from rejection_journal.fileio import atomic_target

__all__ = [
    "DATA_FORMATS", "DEFAULT_DPI", "DPI_MAX", "DPI_MIN", "EXPORT_FORMATS", "SIZE_MAX", "SIZE_MIN",
    "SIZE_PRESETS", "ChartExportError", "ChartExportRequest", "ExportText", "check_dpi",
    "check_size", "csv_text", "date_range_words", "export_format",
    "export_text", "png_bytes", "resolve_target", "save_csv", "save_figure",
]


@dataclass(frozen=True, slots=True)
class ExportText:
    """What an exported image says about itself: the PDF's title, subject and keywords, the
    SVG's ``<title>`` and ``<desc>``, the PNG's Title and Description text chunks."""

    title: str
    description: str
    keywords: tuple[str, ...] = ("rejection journal", "rejection therapy")


def save_figure(figure: Figure, path: Path, *, dpi: int = DEFAULT_DPI, fmt: str | None = None,
                transparent: bool = False, about: ExportText | None = None) -> Path:
    """Write ``figure`` to ``path`` atomically (never a half-written image), in ``fmt`` or
    the format of the extension. The image is the figure's size × ``dpi`` pixels; ``about``
    is written into the file (title, description, keywords)."""
    fmt = fmt or export_format(path)
    if fmt not in EXPORT_FORMATS.values():
        raise ChartExportError(f"Unsupported chart format '{fmt}': use png, svg or pdf")
    if not 30 <= dpi <= 1200:
        raise ChartExportError(f"DPI must be from 30 to 1200, not {dpi}")
    options: dict[str, Any] = {
        "format": fmt, "dpi": dpi, "transparent": transparent,
        "facecolor": "none" if transparent else figure.get_facecolor(),
        "metadata": _metadata(fmt, about)}
    with atomic_target(path) as tmp:
        if fmt == "svg" and about is not None:
            buffer = io.BytesIO()
            figure.savefig(buffer, **options)
            tmp.write(_with_desc(buffer.getvalue().decode("utf-8"), about).encode("utf-8"))
        else:
            figure.savefig(tmp, **options)
    return path


def _metadata(fmt: str, about: ExportText | None) -> dict[str, Any]:
    # No creation date in SVG/PDF: the same chart exports to the same bytes.
    if fmt == "svg":
        meta: dict[str, Any] = {"Date": None}
        if about is not None:  # Matplotlib writes <title> and the RDF description
            meta |= {"Title": about.title, "Description": about.description,
                     "Keywords": list(about.keywords)}
        return meta
    if fmt == "pdf":
        meta = {"CreationDate": None}
        if about is not None:
            meta |= {"Title": about.title, "Subject": about.description,
                     "Keywords": ", ".join(about.keywords)}
        return meta
    if about is None:
        return {}
    return {"Title": about.title, "Description": about.description}


def _with_desc(svg: str, about: ExportText) -> str:
    """The SVG with a ``<desc>`` right after its ``<title>`` (what screen readers and image
    viewers read; Matplotlib writes the description only into its RDF metadata)."""
    head, closed, tail = svg.partition("</title>")  # Matplotlib writes the title first
    if not closed:
        raise ChartExportError("Matplotlib wrote no <title> into the SVG")
    return f"{head}</title>\n <desc>{escape(about.description)}</desc>{tail}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def date_range_words(flt: ChartFilter) -> str:
    """The filter's dates in words ("1 Nov 2026 to 30 Nov 2026"; "" for all time)."""
    if flt.since is not None and flt.until is not None:
        return f"{_day(flt.since)} to {_day(flt.until)}"
    if flt.since is not None:
        return f"since {_day(flt.since)}"
    if flt.until is not None:
        return f"until {_day(flt.until)}"
    return "all time"


def export_text(kind: str, title: str, data: object, flt: ChartFilter) -> ExportText:
    """The title (the chart kind's, with the date range) and the description an exported
    chart carries: the same sentence the pane gives screen readers
    (:func:`rejection_journal.charts.describe.describe`)."""
    return ExportText(f"{title}, {date_range_words(flt)}", describe(kind, data))


def png_bytes(figure: Figure, *, dpi: int = DEFAULT_DPI, about: ExportText | None = None) -> bytes:
    """The figure as PNG bytes (for the clipboard)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor=figure.get_facecolor(),
                   metadata=_metadata("png", about))
    return buffer.getvalue()


def csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()


def save_csv(header: Sequence[str], rows: Sequence[Sequence[object]], path: Path) -> Path:
    """The plotted numbers as CSV (UTF-8), atomically."""
    with atomic_target(path) as tmp:
        tmp.write(csv_text(header, rows).encode("utf-8"))
    return path
