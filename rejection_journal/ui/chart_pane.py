"""Chart pane. Matplotlib is imported only after the window has painted (startup budget)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from rejection_journal.services import Change, Entity, JournalService
from rejection_journal.ui.theme import chart_theme_for

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure


MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT = 380, 340
#: the entry fields the chart plots: a change to anything else does not redraw it
PLOTTED_FIELDS = frozenset({"attempted_on", "anticipated_discomfort", "actual_discomfort"})
#: after a change, wait this long for more (typing, several saves) before redrawing once
REDRAW_DELAY_MS = 400


class ChartPane(QWidget):
    """Anticipated vs actual discomfort. ``redrawn`` fires after every redraw."""

    activated = Signal()
    redrawn = Signal()

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPane")
        self._service = service
        self._stale = False
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_DELAY_MS)
        self._redraw_timer.timeout.connect(self._redraw_if_stale)
        self._canvas: FigureCanvasQTAgg | None = None
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

    @property
    def is_stale(self) -> bool:
        return self._stale

    def apply_change(self, change: Change) -> None:
        """Mark the chart stale if ``change`` touches what it plots; redraw later, once,
        and only while the pane is visible (a hidden pane redraws when shown)."""
        if change.entity is not Entity.ATTEMPT or not change.touches(PLOTTED_FIELDS):
            return
        self._stale = True
        if self.isVisible():
            self._redraw_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._redraw_timer.start()

    def _redraw_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Redraw from the journal; cheap no-op until the pane has been activated."""
        if self._canvas is None or self._figure is None:
            return
        from rejection_journal.charts.gap import build_gap_figure

        self._stale = False
        build_gap_figure(self._service.gap_series(), chart_theme_for(self), figure=self._figure)
        self._canvas.draw_idle()
        self.redrawn.emit()

    def export(self, path: Path, *, dpi: int | None = None) -> Path:
        """Save the chart as shown, format from the extension (.png, .svg, .pdf)."""
        from rejection_journal.charts.export import DEFAULT_DPI, save_figure

        return save_figure(self.figure, path, dpi=dpi or DEFAULT_DPI)
