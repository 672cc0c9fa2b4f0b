"""Save a Figure as PNG, SVG or PDF, or the plotted numbers as CSV (atomically).

The format is the one the user chose: the file name's extension when it has a known one,
else the chosen type (a file dialog's filter), whose extension is then added to the name.
A file never gets content of a different format from its name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

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
from rejection_journal.fileio import atomic_target

__all__ = [
    "DATA_FORMATS", "DEFAULT_DPI", "DPI_MAX", "DPI_MIN", "EXPORT_FORMATS", "SIZE_MAX", "SIZE_MIN",
    "SIZE_PRESETS", "ChartExportError", "ChartExportRequest", "check_dpi", "check_size",
    "csv_text", "export_format", "png_bytes", "resolve_target", "save_csv", "save_figure",
]


def save_figure(figure: Figure, path: Path, *, dpi: int = DEFAULT_DPI, fmt: str | None = None,
                transparent: bool = False) -> Path:
    """Write ``figure`` to ``path`` atomically (never a half-written image), in ``fmt`` or
    the format of the extension. The image is the figure's size × ``dpi`` pixels."""
    fmt = fmt or export_format(path)
    if fmt not in EXPORT_FORMATS.values():
        raise ChartExportError(f"Unsupported chart format '{fmt}': use png, svg or pdf")
    if not 30 <= dpi <= 1200:
        raise ChartExportError(f"DPI must be from 30 to 1200, not {dpi}")
    with atomic_target(path) as tmp:
        figure.savefig(tmp, format=fmt, dpi=dpi, transparent=transparent,
                       facecolor="none" if transparent else figure.get_facecolor(),
                       metadata=_metadata(fmt))
    return path


def _metadata(fmt: str) -> dict[str, str | None]:
    # No creation date in SVG/PDF: the same chart exports to the same bytes.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}


def png_bytes(figure: Figure, *, dpi: int = DEFAULT_DPI) -> bytes:
    """The figure as PNG bytes (for the clipboard)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor=figure.get_facecolor())
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
