"""Light/dark detection from the running palette, so charts follow the window's theme."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from rejection_journal.charts.theme import DARK, LIGHT, ChartTheme


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def chart_theme_for(widget: QWidget) -> ChartTheme:
    """The chart theme matching ``widget``'s palette, for drawing in the window (where the
    captions may say what a click does)."""
    return replace(DARK if is_dark(widget.palette()) else LIGHT, on_screen=True)
