"""Save a Figure as PNG, SVG or PDF (the format follows the file's extension)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from rejection_journal.fileio import atomic_target

EXPORT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DEFAULT_DPI = 150


class ChartExportError(ValueError):
    """The chart could not be exported (unknown format, bad size, unwritable place)."""


def export_format(path: Path) -> str:
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ChartExportError(
            f"Unsupported chart format '{path.suffix or '(none)'}': use .png, .svg or .pdf"
        )
    return fmt


def save_figure(figure: Figure, path: Path, *, dpi: int = DEFAULT_DPI) -> Path:
    """Write ``figure`` to ``path`` atomically (never a half-written image)."""
    fmt = export_format(path)
    if not 30 <= dpi <= 1200:
        raise ChartExportError(f"DPI must be from 30 to 1200, not {dpi}")
    with atomic_target(path) as tmp:
        figure.savefig(tmp, format=fmt, dpi=dpi, facecolor=figure.get_facecolor())
    return path
