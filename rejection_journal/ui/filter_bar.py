"""The entries list's filter bar: which half, outcome, category, ladder and dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QDate,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from rejection_journal.domain.date_ranges import CUSTOM, ENTRY_RANGES, RangePreset
from rejection_journal.domain.entry_list import (
    Completion,
    EntryFilter,
)
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.ui.dates import date_format
from rejection_journal.ui.entries_model import OPEN_TEXT

CUSTOM_RANGE = ENTRY_RANGES.index(CUSTOM)


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class FilterBar(QWidget):
    """Compact filters above the list: which half, outcome, category and dates.

    ``changed`` carries the new :class:`EntryFilter`; the ladder control shows while there
    are ladders (see :meth:`set_ladders`).
    """

    changed = Signal(object)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesFilterBar")
        self._today = today
        self.ladder: str | None = None
        self._quiet = False
        self.completion = QComboBox()
        for text, value in (("All entries", Completion.ALL), (OPEN_TEXT, Completion.OPEN),
                            ("Completed", Completion.COMPLETED),
                            ("Waiting for an answer", Completion.WAITING),
                            ("Rejections that happened to me", Completion.HAPPENED_TO_ME)):
            self.completion.addItem(text, value)
        self.completion.setAccessibleName("Show open or completed entries")
        self.outcome = QComboBox()
        self.outcome.addItem("Any outcome", None)
        for outcome in Outcome:
            self.outcome.addItem(outcome.label, outcome)
        self.outcome.setAccessibleName("Filter by outcome")
        self.category = QComboBox()
        self.category.addItem("Any category", None)
        for category in Category:
            self.category.addItem(category.label, category)
        self.category.setAccessibleName("Filter by category")
        self.range = QComboBox()
        for preset in ENTRY_RANGES:
            self.range.addItem(preset.label)
        self.range.setAccessibleName("Filter by date")
        today_q = _to_qdate(today())
        self.since = QDateEdit(today_q.addMonths(-1))
        self.until = QDateEdit(today_q)
        for edit, name in ((self.since, "From date"), (self.until, "Until date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(date_format())
            edit.setAccessibleName(name)
            edit.hide()
        self.ladder_combo = QComboBox()
        self.ladder_combo.addItem("Any ladder", None)
        self.ladder_combo.setAccessibleName("Filter by ladder")
        self.ladder_combo.setToolTip("Only the entries on this ladder's steps")
        self.ladder_combo.hide()  # shown once there are ladders (set_ladders)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Show every entry again")
        self.clear_button.setAccessibleName("Clear filters")

        show = QLabel("Show:")
        show.setBuddy(self.completion)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(show, 0, 0)
        grid.addWidget(self.completion, 0, 1)
        grid.addWidget(self.outcome, 0, 2)
        grid.addWidget(self.category, 0, 3)
        self._second = QHBoxLayout()
        self._second.addWidget(self.range)
        self._second.addWidget(self.since)
        self._second.addWidget(self.until)
        self._second.addWidget(self.ladder_combo)
        self._second.addStretch(1)
        self._second.addWidget(self.clear_button)
        grid.addLayout(self._second, 1, 1, 1, 3)
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 1)
        for combo in (self.completion, self.outcome, self.category, self.range,
                      self.ladder_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no wheel-by-accident
            combo.currentIndexChanged.connect(self._emit)
        self.range.currentIndexChanged.connect(self._range_chosen)
        self.ladder_combo.currentIndexChanged.connect(self._ladder_chosen)
        self.since.dateChanged.connect(self._emit)
        self.until.dateChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        self._update_clear()

    def set_ladder(self, ladder: str | None) -> None:
        self.ladder = ladder
        self._show_ladder()
        self._emit()

    def set_ladders(self, ladders: list[tuple[str, str]]) -> None:
        """The ladders to filter by, as (UUID, goal); a chosen ladder that is gone is dropped
        from the filter (which is then announced)."""
        self._quiet = True
        try:
            self.ladder_combo.clear()
            self.ladder_combo.addItem("Any ladder", None)
            for uuid, goal in ladders:
                self.ladder_combo.addItem(f"Ladder: {goal}", uuid)
            self.ladder_combo.setVisible(bool(ladders))
        finally:
            self._quiet = False
        gone = self.ladder is not None and self.ladder not in {uuid for uuid, _ in ladders}
        if gone:
            self.set_ladder(None)
        else:
            self._show_ladder()

    def _show_ladder(self) -> None:
        blocked = self.ladder_combo.blockSignals(True)
        try:
            self.ladder_combo.setCurrentIndex(max(0, self.ladder_combo.findData(self.ladder)))
        finally:
            self.ladder_combo.blockSignals(blocked)

    def _ladder_chosen(self) -> None:
        if self._quiet:  # refilled by set_ladders: not the user's choice
            return
        self.ladder = self.ladder_combo.currentData()
        self._emit()

    def controls(self) -> list[QWidget]:
        """The bar's inputs in the order they are shown (for the tab order)."""
        return [self.completion, self.outcome, self.category, self.range, self.since,
                self.until, self.ladder_combo, self.clear_button]

    def current_filter(self) -> EntryFilter:
        since = until = None
        preset = self._preset()
        if preset is CUSTOM:
            since, until = _from_qdate(self.since.date()), _from_qdate(self.until.date())
        elif preset.moves_with_today:
            since, until = preset.bounds(self._today())
        # (Qt hands enum data back as plain strings)
        outcome, category = self.outcome.currentData(), self.category.currentData()
        return EntryFilter(outcome=Outcome(outcome) if outcome else None,
                           category=Category(category) if category else None,
                           since=since, until=until,
                           completion=Completion(self.completion.currentData()),
                           ladder=self.ladder)

    def set_filter(self, flt: EntryFilter) -> None:
        """Show ``flt`` (dates as a custom range) and announce it once."""
        self._quiet = True
        try:
            self.completion.setCurrentIndex(self.completion.findData(flt.completion))
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(flt.outcome)))
            self.category.setCurrentIndex(max(0, self.category.findData(flt.category)))
            if flt.since is None and flt.until is None:
                self.range.setCurrentIndex(0)
            else:
                self.range.setCurrentIndex(CUSTOM_RANGE)
                self.since.setDate(_to_qdate(flt.since or date(1900, 1, 1)))
                self.until.setDate(_to_qdate(flt.until or date(9999, 12, 31)))
            self.ladder = flt.ladder
            self._show_ladder()
        finally:
            self._quiet = False
        self._emit()

    def clear(self) -> None:
        self.set_filter(replace(EntryFilter(), ladder=None))

    def _range_chosen(self) -> None:
        custom = self.range.currentIndex() == CUSTOM_RANGE
        self.since.setVisible(custom)
        self.until.setVisible(custom)

    def day_changed(self) -> None:
        """A new day began: a range counted back from today ("Last 7 days") moves with it."""
        if self._preset().moves_with_today:
            self._emit()

    def _preset(self) -> RangePreset:
        return ENTRY_RANGES[max(0, self.range.currentIndex())]

    def _emit(self) -> None:
        if self._quiet:
            return
        self._update_clear()
        self.changed.emit(self.current_filter())

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(not self.current_filter().is_empty)


