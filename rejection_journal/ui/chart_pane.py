"""Chart pane. Matplotlib is imported only after the window has painted (startup budget).

A kind selector (every kind of the chart registry), date-range presets, a category filter,
Matplotlib's navigation toolbar, one line of headline figures, and export (image, CSV of the
plotted numbers, clipboard). It redraws only while visible and only when a change touches a
field the shown kind plots. Clicking a single entry's dot emits ``entryActivated(uuid)``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QDate, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.charts.formats import (
    DATA_FORMATS,
    DEFAULT_DPI,
    EXPORT_FORMATS,
    ChartExportRequest,
)
from rejection_journal.charts.kinds import ANY_SHOWN, KIND_INFO, SHOWN_FIELDS
from rejection_journal.domain.chart_stats import (
    BeliefPair,
    ChartFilter,
    ChartRow,
    Headline,
    LadderChartData,
    headline,
    rated_points,
)
from rejection_journal.domain.date_ranges import CHART_RANGES, RangeKind, RangePreset
from rejection_journal.domain.enums import Category
from rejection_journal.domain.learned import ExperimentRow
from rejection_journal.domain.plan import TakenCheck
from rejection_journal.domain.stats import GapPoint
from rejection_journal.services import Change, Entity, JournalService
from rejection_journal.services.chart_data import chart_headline
from rejection_journal.ui.chart_table import SHOW_TABLE_KEY, ChartTable, table_toggle
from rejection_journal.ui.dates import date_format
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.theme import chart_theme_for

if TYPE_CHECKING:
    from matplotlib.backend_bases import PickEvent
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from rejection_journal.ui.chart_canvas import ChartToolbar
    from rejection_journal.ui.chart_rows import RowsLoader


MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT = 380, 305
#: after a change, wait this long for more (typing, several saves) before redrawing once
REDRAW_DELAY_MS = 400
#: date-range presets by label (domain/date_ranges.py, shared with the entries filter)
RANGE_PRESETS: dict[str, RangePreset] = {preset.label: preset for preset in CHART_RANGES}
CSV_FILTER = "Spreadsheet (*.csv)"


def _day(edit: QDateEdit) -> date:
    value = edit.date().toPython()
    assert isinstance(value, date)
    return value


class _RowsSource:
    """The chart source the registry's loaders read: the cached rows of the current kind,
    filtered in memory: every entry's chart row, or (``points``) only the gap's points."""

    def __init__(self, rows: list[ChartRow] | None, service: JournalService,
                 points: list[GapPoint] | None = None) -> None:
        self._rows = rows
        self._points = points
        self._service = service

    def chart_rows(self, flt: ChartFilter | None = None) -> list[ChartRow]:
        flt = flt or ChartFilter()
        if self._rows is None:
            return self._service.chart_rows(flt)
        return [row for row in self._rows if flt.admits(row)]

    def gap_points(self, flt: ChartFilter | None = None) -> list[GapPoint]:
        flt = flt or ChartFilter()
        if self._points is None:
            return rated_points(self.chart_rows(flt))
        return [p for p in self._points  # (the category's already)
                if (flt.since is None or p.day >= flt.since)
                and (flt.until is None or p.day <= flt.until)]

    def belief_pairs(self, flt: ChartFilter | None = None) -> list[BeliefPair]:
        return self._service.belief_pairs(flt)

    def ladder_chart(self, flt: ChartFilter | None = None) -> LadderChartData:
        return self._service.ladder_chart(flt)

    def chart_open_count(self, flt: ChartFilter | None = None) -> int:
        # the service's count: an entry waiting for an answer is not one to reflect on yet
        return self._service.chart_open_count(flt)

    def happened_count(self, flt: ChartFilter | None = None) -> int:
        return self._service.happened_count(flt)

    def self_checks(self) -> list[TakenCheck]:
        return self._service.self_checks()

    def experiment_rows(self, flt: ChartFilter | None = None) -> list[ExperimentRow]:
        return self._service.experiment_rows(flt)


class ChartPane(QWidget):
    """The charts. ``redrawn`` fires after every redraw; ``entryActivated`` carries the UUID
    of an entry whose dot was clicked."""

    activated = Signal()
    redrawn = Signal()
    entryActivated = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPane")
        self.setAccessibleName("Chart pane")
        self._service = service
        self._dialogs = dialogs or Dialogs(self)
        self._settings = settings
        self._stale = False
        # the current kind's rows of the category, all dates: for the gap only its points
        # (finished asks rated twice), for the other kinds every entry's chart row; never both
        self._rows: list[ChartRow] | None = None
        self._points: list[GapPoint] | None = None
        # The rows are out of date: reloaded at the next redraw.  (Dropping 100,000 of them
        # at once costs tens of milliseconds, so not in the keystroke after a save.)
        self._rows_outdated = False
        self._data: Any = None  # what the shown chart was built from
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_DELAY_MS)
        self._redraw_timer.timeout.connect(self._redraw_if_stale)
        self._canvas: FigureCanvasQTAgg | None = None
        self._figure: Figure | None = None
        self.toolbar: ChartToolbar | None = None
        self._activation_scheduled = False
        self._rows_loader: RowsLoader | None = None  # reads the first rows off the GUI thread
        self._activate_after_rows = False

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("chartKind")
        self.kind_combo.setToolTip("Which chart")
        for info in KIND_INFO:
            self.kind_combo.addItem(info.title, info.name)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, info.description,
                                        Qt.ItemDataRole.ToolTipRole)
        self.range_combo = QComboBox()
        self.range_combo.setObjectName("chartRange")
        self.range_combo.addItems(list(RANGE_PRESETS))
        self.range_combo.setCurrentText("All time")
        today = service.today()
        self.since_edit = self._date_edit(today - timedelta(days=29))
        self.until_edit = self._date_edit(today)
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("chartCategory")
        self.category_combo.addItem("All categories", None)
        for category in Category:
            self.category_combo.addItem(category.label, category.value)
        # Which ladder the ladder chart shows (shown for that chart only).
        self.ladder_combo = QComboBox()
        self.ladder_combo.setObjectName("chartLadder")
        self.ladder_combo.setToolTip("Which ladder to chart")
        self.ladder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.ladder_combo.setMinimumContentsLength(8)
        self._fill_ladders()
        for widget, name in ((self.kind_combo, "Chart"), (self.range_combo, "Chart dates"),
                             (self.since_edit, "Chart from"), (self.until_edit, "Chart until"),
                             (self.category_combo, "Chart category"),
                             (self.ladder_combo, "Chart ladder")):
            widget.setAccessibleName(name)
        # Show as table: the plotted numbers in the chart's place (ui/chart_table.py)
        self.table_button = table_toggle(settings)
        self.table_button.toggled.connect(self._show_table)
        self.table = ChartTable()
        self.table.hide()

        self.export_button = self._button("Export…", "Save this chart as PNG, SVG or PDF")
        self.csv_button = self._button("Data (CSV)…", "Save the numbers this chart plots")
        self.copy_button = self._button("Copy", "Copy this chart as an image")
        self.export_button.clicked.connect(self.export_dialog)
        self.csv_button.clicked.connect(self.export_data)
        self.copy_button.clicked.connect(self.copy_image)

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 4, 4, 0)
        controls.addWidget(self.kind_combo, 2)
        controls.addWidget(self.range_combo, 1)
        controls.addWidget(self.since_edit)
        controls.addWidget(self.until_edit)
        controls.addWidget(self.category_combo, 1)
        controls.addWidget(self.ladder_combo, 2)
        self.headline = QLabel()
        self.headline.setObjectName("chartHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        headline_row = QHBoxLayout()
        headline_row.setContentsMargins(6, 0, 4, 0)
        headline_row.addWidget(self.headline, 1)
        headline_row.addWidget(self.table_button)
        for button in (self.export_button, self.csv_button, self.copy_button):
            headline_row.addWidget(button)

        self.placeholder = QLabel("Preparing the chart…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setEnabled(False)
        self.placeholder.setMinimumSize(MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addLayout(controls)
        self._layout.addLayout(headline_row)
        self._layout.addWidget(self.placeholder, 1)
        self._show_custom_range(False)
        self._show_ladder_combo()

        self.kind_combo.currentIndexChanged.connect(self._view_changed)
        self.range_combo.currentTextChanged.connect(self._range_changed)
        self.since_edit.dateChanged.connect(self._view_changed)
        self.until_edit.dateChanged.connect(self._view_changed)
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self.ladder_combo.currentIndexChanged.connect(self._view_changed)

    def _date_edit(self, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(date_format())
        return edit

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setEnabled(False)  # until the chart has loaded
        return button

    # -- what is shown ------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, name: str) -> None:
        index = self.kind_combo.findData(name)
        if index < 0:
            raise KeyError(name)
        self.kind_combo.setCurrentIndex(index)

    @property
    def plotted_fields(self) -> frozenset[str]:
        return SHOWN_FIELDS[self.kind]

    def chart_filter(self, today: date | None = None) -> ChartFilter:
        preset = RANGE_PRESETS[self.range_combo.currentText()]
        category = self.category_combo.currentData()
        since: date | None
        until: date | None
        if preset.kind is RangeKind.CUSTOM:
            since, until = _day(self.since_edit), _day(self.until_edit)
        else:
            since, until = preset.bounds(today or self._service.today())
        ladder = self.ladder_combo.currentData() if self.kind == "ladder" else None
        return ChartFilter(since, until, category, ladder)

    def _fill_ladders(self) -> None:
        """List the ladders (first: the one worked on most recently), keeping the choice."""
        wanted = self.ladder_combo.currentData()
        self.ladder_combo.blockSignals(True)
        try:
            self.ladder_combo.clear()
            self.ladder_combo.addItem("Latest ladder", None)
            self.ladder_combo.setItemData(0, "The ladder you worked on most recently",
                                          Qt.ItemDataRole.ToolTipRole)
            for ladder in self._service.ladders():
                self.ladder_combo.addItem(ladder.goal, ladder.uuid)
                self.ladder_combo.setItemData(self.ladder_combo.count() - 1, ladder.goal,
                                              Qt.ItemDataRole.ToolTipRole)
            self.ladder_combo.setCurrentIndex(max(0, self.ladder_combo.findData(wanted)))
        finally:
            self.ladder_combo.blockSignals(False)

    def set_ladder(self, uuid: str | None) -> bool:
        """Chart ``uuid`` (None: the latest ladder); False if it is not listed."""
        index = self.ladder_combo.findData(uuid)
        if index >= 0:
            self.ladder_combo.setCurrentIndex(index)
        return index >= 0

    def _show_ladder_combo(self) -> None:
        is_ladder = self.kind == "ladder"
        self.ladder_combo.setVisible(is_ladder)
        self.category_combo.setVisible(not is_ladder)

    def _show_custom_range(self, shown: bool) -> None:
        self.since_edit.setVisible(shown)
        self.until_edit.setVisible(shown)

    def _range_changed(self, text: str) -> None:
        self._show_custom_range(RANGE_PRESETS[text].kind is RangeKind.CUSTOM)
        self._view_changed()

    def _category_changed(self) -> None:
        self._rows = self._points = None
        self._forget_rows_being_read()
        self._view_changed()

    def _view_changed(self) -> None:
        self._show_ladder_combo()
        if self.is_active:
            self.refresh()

    # -- lazy Matplotlib ---------------------------------------------------------------------
    @property
    def is_active(self) -> bool:
        return self._canvas is not None

    @property
    def figure(self) -> Figure:
        self.activate()
        assert self._figure is not None
        return self._figure

    @property
    def canvas(self) -> QWidget:
        self.activate()
        assert self._canvas is not None
        return self._canvas

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._activation_scheduled:
            # First paint has happened: Matplotlib is imported in the background (if the
            # window has not started that already), then the canvas is built here.
            self._activation_scheduled = True
            from rejection_journal.ui.chart_preload import when_ready

            if self._rows is None and self._points is None:
                self._read_rows_in_background()
            when_ready(self, self._activate_if_shown)

    def _activate_if_shown(self) -> None:
        """Matplotlib is in: build the canvas, if the pane is still on screen (a window
        closed meanwhile builds nothing; the next paint asks again), once the rows being
        read in the background are in."""
        if self._rows_loader is not None and self._rows_loader.busy:
            self._activate_after_rows = True
        elif self.isVisible():
            self.activate()
        else:
            self._activation_scheduled = False

    def _read_rows_in_background(self) -> None:
        """Read the rows on a worker thread while Matplotlib is imported (ui/chart_rows.py)."""
        from rejection_journal.ui.chart_rows import RowsLoader

        if self._rows_loader is None:
            self._rows_loader = RowsLoader(self._service, self)
            self._rows_loader.loaded.connect(self._rows_read)
        self._rows_loader.start(self.category_combo.currentData(), gap_only=self.kind == "gap")

    def _rows_read(self, gap_only: bool, rows: list[ChartRow] | list[GapPoint] | None) -> None:
        if rows is not None and self._rows is None and self._points is None:
            if gap_only:
                self._points = cast("list[GapPoint]", rows)
            else:
                self._rows = cast("list[ChartRow]", rows)
            self._rows_outdated = False
        if self._activate_after_rows:
            self._activate_after_rows = False
            self._activate_if_shown()

    def _forget_rows_being_read(self) -> None:
        if self._rows_loader is not None:
            self._rows_loader.forget()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.is_active:
            self.refresh()

    def activate(self) -> None:
        """Import Matplotlib and build the canvas and toolbar (once)."""
        if self._canvas is not None:
            return
        from matplotlib.figure import Figure

        from rejection_journal.ui.chart_canvas import ChartToolbar, make_canvas

        self._figure = Figure(figsize=(6, 4), layout="constrained")
        canvas = make_canvas(self._figure)
        canvas.setObjectName("chartCanvas")
        canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Below this, the two stacked plots and their labels no longer fit.
        canvas.setMinimumSize(MIN_CANVAS_WIDTH, MIN_CANVAS_HEIGHT)
        canvas.mpl_connect("pick_event", self._on_pick)
        self.toolbar = ChartToolbar(canvas, self)
        self._layout.removeWidget(self.placeholder)
        self.placeholder.hide()
        self._layout.addWidget(self.toolbar)
        self._layout.addWidget(canvas, 1)
        self._layout.addWidget(self.table, 1)
        self._canvas = canvas
        self._show_table(self.table_button.isChecked())
        for button in (self.export_button, self.csv_button, self.copy_button):
            button.setEnabled(True)
        self.activated.emit()
        self.refresh()

    # -- redrawing ---------------------------------------------------------------------------
    @property
    def is_stale(self) -> bool:
        return self._stale

    def apply_change(self, change: Change) -> None:
        """Mark the chart stale if ``change`` touches what it shows; redraw later, once,
        and only while the pane is visible (a hidden pane redraws when shown)."""
        if change.everything or change.entity is Entity.LADDER:
            self._fill_ladders()
        if change.entity is Entity.DAY:
            # "Last 30 days" and the headline's "this month" count from today
            self._stale = True
            if self.isVisible():
                self._redraw_timer.start()
            return
        if change.entity is Entity.SELF_CHECK:
            if self.kind == "self-check":  # a self-check taken: its chart has a new point
                self._stale = True
                if self.isVisible():
                    self._redraw_timer.start()
            return
        if change.entity is Entity.LADDER:
            if self.kind == "ladder":  # a ladder's goal or rungs changed: redraw its chart
                self._stale = True
                if self.isVisible():
                    self._redraw_timer.start()
            return
        if change.entity is not Entity.ATTEMPT:
            return
        if change.alters_fields(ANY_SHOWN):
            self._rows_outdated = True  # another kind may plot it: load afresh next time
            self._forget_rows_being_read()
        if not change.alters_fields(self.plotted_fields):
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

    def _category_rows(self) -> list[ChartRow]:
        if self._rows is None or self._rows_outdated:
            category = self.category_combo.currentData()
            self._rows = self._points = None  # the old go before the new load: one at a time
            self._rows = self._service.chart_rows(ChartFilter(category=category))
            self._rows_outdated = False
        return self._rows

    def _source(self) -> _RowsSource:
        """The current kind's data source: the gap reads its points only."""
        if self.kind != "gap":
            return _RowsSource(self._category_rows(), self._service)
        if self._points is None or self._rows_outdated:
            flt = ChartFilter(category=self.category_combo.currentData())
            self._rows = self._points = None
            self._points = self._service.gap_points(flt)
            self._rows_outdated = False
        return _RowsSource(None, self._service, self._points)

    def refresh(self) -> None:
        """Redraw from the journal; cheap no-op until the pane has been activated."""
        if self._canvas is None or self._figure is None:
            return
        from rejection_journal.charts.registry import kind_named

        self._stale = False
        source = self._source()
        kind = kind_named(self.kind)
        self._data = kind.load(source, self.chart_filter())
        kind.build(self._data, chart_theme_for(self), figure=self._figure)
        self._show_headline(chart_headline(self._service, ChartFilter(
            category=self.category_combo.currentData())) if self._rows is None
            else headline(self._rows, self._service.today()))
        self._describe(kind)
        self._canvas.draw_idle()
        self.redrawn.emit()

    def _show_headline(self, head: Headline) -> None:
        parts = []
        if head.month_gap is not None:
            text = f"This month's average gap: <b>{head.month_gap:+.1f}</b> points"
            change = head.month_gap_change
            if change is not None:
                text += (" (as last month)" if abs(change) < 0.05
                         else f" ({change:+.1f} since last month)")
            parts.append(text)
        if head.brier is not None:
            parts.append(f"Brier score: <b>{head.brier:.2f}</b> (0 is perfect)")
        self.headline.setText(" · ".join(parts))
        self.headline.setToolTip(
            "Gap: how much more you feared than you felt (anticipated − actual discomfort). "
            "Brier score: how well your predicted chance of “no” matched what happened.")

    # -- in words and as a table (screen readers) -------------------------------------------
    @property
    def description(self) -> str:
        """The shown chart in one or two sentences (``charts.describe``)."""
        return self._canvas.accessibleDescription() if self._canvas is not None else ""

    def _describe(self, kind: Any) -> None:
        from rejection_journal.charts.describe import describe

        assert self._canvas is not None
        self._canvas.setAccessibleName(f"Chart: {kind.title}")
        self._canvas.setAccessibleDescription(describe(kind.name, self._data))
        if self.table_button.isChecked():
            self._fill_table(kind)

    def _fill_table(self, kind: Any) -> None:
        header, rows = kind.csv(self._data)
        self.table.show_rows(kind.title, self.description, header, rows)

    def _show_table(self, shown: bool) -> None:
        """Show the plotted numbers in the chart's place (or the chart again); remembered."""
        if self._settings is not None and self._service.read_only_reason is None:
            self._settings.setValue(SHOW_TABLE_KEY, "true" if shown else "false")
        if self._canvas is None:
            return  # the choice applies when the chart loads
        from rejection_journal.charts.registry import kind_named

        if shown and self._data is not None:
            self._fill_table(kind_named(self.kind))
        self.table.setVisible(shown)
        self._canvas.setVisible(not shown)
        if self.toolbar is not None:
            self.toolbar.setVisible(not shown)

    def _on_pick(self, event: PickEvent) -> None:
        from rejection_journal.charts.common import entry_at

        if self.toolbar is not None and self.toolbar.navigating:
            return
        if getattr(event.mouseevent, "button", None) not in (1, None):
            return
        indices = getattr(event, "ind", None)
        if indices is None or not len(indices):
            return
        uuid = entry_at(event.artist, int(indices[0]))
        if uuid:
            self.entryActivated.emit(uuid)

    # -- export ------------------------------------------------------------------------------
    def _setting(self, key: str, default: Any, kind: type) -> Any:
        if self._settings is None:
            return default
        value = self._settings.value(f"chartExport/{key}", default)
        try:
            if kind is bool:
                return value if isinstance(value, bool) else str(value).lower() == "true"
            return kind(value)
        except (TypeError, ValueError):
            return default

    def _remember(self, values: dict[str, object]) -> None:
        # A read-only journal's folder gets nothing written, not even these settings.
        if self._settings is None or self._service.read_only_reason is not None:
            return
        for key, value in values.items():
            self._settings.setValue(f"chartExport/{key}", value)
        self._settings.sync()

    def _folder(self) -> Path:
        folder = Path(self._setting("folder", str(Path.home()), str))
        return folder if folder.is_dir() else Path.home()

    def export_request(self) -> ChartExportRequest:
        """The export dialog's starting point: the last settings, in the last folder."""
        fmt = self._setting("format", "png", str)
        fmt = fmt if fmt in EXPORT_FORMATS.values() else "png"
        return ChartExportRequest(
            path=self._folder() / f"rejection-journal-{self.kind}.{fmt}", fmt=fmt,
            width=self._setting("width", 8.0, float), height=self._setting("height", 5.5, float),
            dpi=self._setting("dpi", DEFAULT_DPI, int),
            transparent=self._setting("transparent", False, bool),
            dark=self._setting("dark", False, bool))

    def export_dialog(self) -> Path | None:
        """Ask where and how (the ``Dialogs`` seam), then save the shown chart there."""
        answer = self._dialogs.ask_chart_export(self.export_request())
        if answer is None:
            return None
        return self.export_image(answer)

    def export_image(self, request: ChartExportRequest) -> Path | None:
        """Save the shown kind, range and filter at the requested size; a problem is told
        in a dialog and nothing is written."""
        from rejection_journal.charts.export import (
            check_dpi,
            check_size,
            export_text,
            resolve_target,
            save_figure,
        )
        from rejection_journal.charts.registry import kind_named
        from rejection_journal.charts.theme import DARK, LIGHT
        from rejection_journal.fileio import check_export_target

        path = request.path
        try:
            path, fmt = resolve_target(request.path, request.fmt, EXPORT_FORMATS)
            check_size(request.width, request.height)
            if fmt == "png":
                check_dpi(request.dpi)
            # The dialog has already asked before replacing a file (force), but never the
            # journal's own files, a device or a folder.
            check_export_target(path, self._service.data_dir, force=True)
            self.activate()
            kind = kind_named(self.kind)
            data = kind.load(self._source(),
                             self.chart_filter())
            # Light whatever the window's appearance, unless the dialog said dark.
            figure = kind.figure(data, DARK if request.dark else LIGHT,
                                 size=(request.width, request.height))
            save_figure(figure, path, dpi=request.dpi, fmt=fmt,
                        transparent=request.transparent,
                        about=export_text(kind.name, kind.title, data, self.chart_filter()))
        except (ValueError, OSError) as exc:
            self._dialogs.error("Chart not exported", f"Could not save {path.name}: {exc}")
            return None
        self._remember({"folder": str(path.parent), "format": fmt, "width": request.width,
                        "height": request.height, "dpi": request.dpi,
                        "transparent": request.transparent, "dark": request.dark})
        return path

    def export_data(self) -> Path | None:
        """Save exactly the numbers the shown chart plots, as CSV."""
        from rejection_journal.charts.export import resolve_target, save_csv
        from rejection_journal.charts.registry import kind_named
        from rejection_journal.fileio import check_export_target

        answer = self._dialogs.ask_save_path_and_type(
            "Export chart data", self._folder() / f"rejection-journal-{self.kind}.csv",
            CSV_FILTER)
        if answer is None:
            return None
        path = answer[0]
        try:
            path, _ = resolve_target(path, "csv", DATA_FORMATS)
            check_export_target(path, self._service.data_dir, force=True)
            self.activate()
            if self._data is None or self._stale:
                self.refresh()
            header, rows = kind_named(self.kind).csv(self._data)
            save_csv(header, rows, path)
        except (ValueError, OSError) as exc:
            self._dialogs.error("Data not exported", f"Could not save {path.name}: {exc}")
            return None
        self._remember({"folder": str(path.parent)})
        return path

    def copy_image(self) -> bool:
        """Put the chart, as shown (without the on-screen hints), on the clipboard."""
        from rejection_journal.charts.export import export_text, png_bytes
        from rejection_journal.charts.registry import kind_named

        shown = self.figure
        if self._data is None or self._stale:
            self.refresh()
        kind = kind_named(self.kind)
        width, height = shown.get_size_inches()
        figure = kind.figure(self._data, replace(chart_theme_for(self), on_screen=False),
                             size=(float(width), float(height)))
        image = QImage.fromData(png_bytes(
            figure, dpi=int(shown.get_dpi()),
            about=export_text(kind.name, kind.title, self._data, self.chart_filter())))
        if image.isNull():
            return False
        QApplication.clipboard().setImage(image)
        return True

    def export(self, path: Path, *, dpi: int | None = None) -> Path:
        """Save the shown chart at the default size, format from the extension."""
        from rejection_journal.charts.export import export_format

        saved = self.export_image(replace(self.export_request(), path=path,
                                          fmt=export_format(path), dpi=dpi or DEFAULT_DPI))
        if saved is None:
            raise ValueError(f"could not export the chart to {path}")
        return saved
