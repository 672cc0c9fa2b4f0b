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

from rejection_journal.fileio import atomic_target

EXPORT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DATA_FORMATS = {".csv": "csv"}
DEFAULT_DPI = 150
#: the resolutions offered for PNG (the dialog and ``chart --dpi``)
DPI_MIN, DPI_MAX = 72, 600
#: width × height presets, inches
SIZE_PRESETS: dict[str, tuple[float, float]] = {
    "Screen (8 × 5.5 in)": (8.0, 5.5),
    "Slide, 16:9 (10 × 5.625 in)": (10.0, 5.625),
    "A4 landscape (11.69 × 8.27 in)": (11.69, 8.27),
    "Letter landscape (11 × 8.5 in)": (11.0, 8.5),
    "Square (6 × 6 in)": (6.0, 6.0),
}
SIZE_MIN, SIZE_MAX = 2.0, 40.0  # inches


class ChartExportError(ValueError):
    """The chart could not be exported (unknown format, bad size, unwritable place)."""


def export_format(path: Path) -> str:
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ChartExportError(
            f"Unsupported chart format '{path.suffix or '(none)'}': use .png, .svg or .pdf"
        )
    return fmt


def resolve_target(path: Path, chosen: str | None, formats: dict[str, str]) -> tuple[Path, str]:
    """The file to write and its format, from what the user set.

    A known extension typed in the name decides (``chosen`` is then ignored, the two never
    mix); with no extension, ``chosen`` (e.g. "svg") decides and its extension is added. An
    unknown extension with nothing chosen is refused, naming the formats."""
    suffix = path.suffix.lower()
    if suffix in formats:
        return path, formats[suffix]
    known = {fmt: ext for ext, fmt in formats.items()}
    if chosen in known and not suffix:
        return path.with_name(path.name + known[chosen]), chosen
    if chosen in known and suffix and not suffix[1:].isalpha():
        # "report.v2": a dot in the name, not an extension
        return path.with_name(path.name + known[chosen]), chosen
    exts = list(formats)
    names = ", ".join(exts[:-1]) + " or " + exts[-1] if len(exts) > 1 else exts[0]
    raise ChartExportError(f"Unsupported format '{path.suffix or '(none)'}': use {names}")


def check_dpi(dpi: int) -> int:
    if not DPI_MIN <= dpi <= DPI_MAX:
        raise ChartExportError(f"DPI must be from {DPI_MIN} to {DPI_MAX}, not {dpi}")
    return dpi


def check_size(width: float, height: float) -> tuple[float, float]:
    for name, value in (("width", width), ("height", height)):
        if not SIZE_MIN <= value <= SIZE_MAX:
            raise ChartExportError(
                f"The {name} must be from {SIZE_MIN:g} to {SIZE_MAX:g} inches, not {value:g}")
    return width, height


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
