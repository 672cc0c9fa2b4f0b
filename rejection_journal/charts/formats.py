"""Chart export choices (formats, sizes, resolutions), importable without Matplotlib so the
window can offer them before the chart has loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rejection_journal.fileio import UnknownFormatError, resolve_format

EXPORT_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DATA_FORMATS = {".csv": "csv"}
DEFAULT_DPI = 150
#: the resolutions offered for PNG (the export dialog and ``chart --dpi``)
DPI_MIN, DPI_MAX = 72, 600
#: width × height presets, inches
SIZE_PRESETS: dict[str, tuple[float, float]] = {
    "Screen (8 × 5.5 in)": (8.0, 5.5),
    "Slide 16:9 (10 × 5.625 in)": (10.0, 5.625),
    "A4 landscape (11.69 × 8.27 in)": (11.69, 8.27),
    "Letter landscape (11 × 8.5 in)": (11.0, 8.5),
    "Square (6 × 6 in)": (6.0, 6.0),
}
SIZE_MIN, SIZE_MAX = 2.0, 40.0  # inches


class ChartExportError(ValueError):
    """The chart could not be exported (unknown format, bad size, unwritable place)."""


@dataclass(frozen=True, slots=True)
class ChartExportRequest:
    """What the export dialog asks for. ``fmt`` is the chosen type ("png", "svg", "pdf");
    a known extension in ``path`` wins over it (see ``fileio.resolve_format``)."""

    path: Path
    fmt: str | None = "png"
    width: float = 8.0
    height: float = 5.5
    dpi: int = DEFAULT_DPI
    transparent: bool = False
    #: the dark chart theme (exports are light unless asked)
    dark: bool = False


def export_format(path: Path) -> str:
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ChartExportError(
            f"Unsupported chart format '{path.suffix or '(none)'}': use .png, .svg or .pdf"
        )
    return fmt


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


def resolve_target(path: Path, chosen: str | None, formats: dict[str, str]) -> tuple[Path, str]:
    """See :func:`rejection_journal.fileio.resolve_format` (errors as ChartExportError)."""
    try:
        return resolve_format(path, chosen, formats)
    except UnknownFormatError as exc:
        raise ChartExportError(str(exc)) from None
