"""The Matplotlib canvas and navigation toolbar for the chart pane. Imported only when the
pane activates, after the window's first paint (this module imports Matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from matplotlib import cbook
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QIcon, QImage, QPalette, QPixmap
from PySide6.QtWidgets import QToolButton, QWidget


class ChartToolbar(NavigationToolbar2QT):
    """Matplotlib's navigation (home, back, forward, pan, zoom) without its own Save button
    (the pane's export goes through the app's dialog and atomic writes) or the subplot
    editor (the layout is automatic)."""

    toolitems: ClassVar[list[tuple[str, ...] | tuple[None, ...]]] = [  # type: ignore[misc]
        item for item in NavigationToolbar2QT.toolitems
        if item[0] not in ("Save", "Subplots", "Customize")
    ]

    def __init__(self, canvas: FigureCanvasQTAgg, parent: QWidget | None = None) -> None:
        super().__init__(canvas, parent, coordinates=False)
        self.setObjectName("chartToolbar")
        self.setIconSize(QSize(18, 18))
        for more in self.findChildren(QToolButton, "qt_toolbar_ext_button"):
            more.setAccessibleName("More chart tools")

    def _icon(self, name: str) -> QIcon:
        """Matplotlib's PNG icons (its SVG icon engine asks Qt for a deprecated attribute,
        a warning on every paint), light on a dark palette."""
        icon = QIcon()
        for file_name in (name, name.replace(".png", "_large.png")):
            path = Path(str(cbook._get_data_path("images", file_name)))
            if not path.exists():
                continue
            image = QImage(str(path))
            if self.palette().color(QPalette.ColorRole.Window).lightness() < 128:
                image.invertPixels(QImage.InvertMode.InvertRgb)
            icon.addPixmap(QPixmap.fromImage(image))
        return icon

    def changeEvent(self, event: QEvent) -> None:
        """Light icons on a dark palette, dark on light, after a switch of appearance too."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for _text, _tip, image, callback in self.toolitems:
                action = self._actions.get(callback) if callback else None
                if action is not None and image:
                    action.setIcon(self._icon(image + ".png"))

    @property
    def navigating(self) -> bool:
        """Is pan or zoom on (then a click moves the view instead of opening an entry)?"""
        return bool(str(self.mode))


def make_canvas(figure: Figure) -> FigureCanvasQTAgg:
    return FigureCanvasQTAgg(figure)
