"""Chart pane. Matplotlib is imported only after the window has painted (startup budget)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rejection_journal.storage import Journal
from rejection_journal.ui.theme import chart_theme_for

if TYPE_CHECKING:
    from matplotlib.figure import Figure


MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT = 380, 340


class ChartPane(QWidget):
    """Anticipated vs actual discomfort. ``redrawn`` fires after every redraw."""

    activated = Signal()
    redrawn = Signal()

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPane")
        self._journal = journal
        self._canvas: QWidget | None = None
        self._figure: Figure | None = None
        self._activation_scheduled = False
        self.placeholder = QLabel("Preparing the chart…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.placeholder.setMinimumSize(MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.placeholder)

    @property
    def is_active(self) -> bool:
        return self._canvas is not None

    @property
    def figure(self) -> Figure:
        self.activate()
        assert self._figure is not None
        return self._figure

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._activation_scheduled:
            # First paint has happened: load Matplotlib on the next turn of the event loop.
            self._activation_scheduled = True
            QTimer.singleShot(0, self.activate)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.is_active:
            self.refresh()

    def activate(self) -> None:
        """Import Matplotlib and build the canvas (once)."""
        if self._canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        self._figure = Figure(figsize=(6, 4), layout="constrained")
        canvas = FigureCanvasQTAgg(self._figure)
        canvas.setObjectName("chartCanvas")
        canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Below this, the two stacked plots and their labels no longer fit.
        canvas.setMinimumSize(MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT)
        self._layout.removeWidget(self.placeholder)
        self.placeholder.hide()
        self._layout.addWidget(canvas)
        self._canvas = canvas
        self.activated.emit()
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the journal; cheap no-op until the pane has been activated."""
        if self._canvas is None or self._figure is None:
            return
        from rejection_journal.charts.gap import build_gap_figure
        from rejection_journal.domain.stats import gap_series_from_ratings

        series = gap_series_from_ratings(self._journal.discomfort_ratings(), window=None)
        build_gap_figure(series, chart_theme_for(self), figure=self._figure)
        self._canvas.draw_idle()  # type: ignore[attr-defined]
        self.redrawn.emit()

    def export(self, path: Path, *, dpi: int | None = None) -> Path:
        """Save the chart as shown, format from the extension (.png, .svg, .pdf)."""
        from rejection_journal.charts.export import DEFAULT_DPI, save_figure

        return save_figure(self.figure, path, dpi=dpi or DEFAULT_DPI)
