"""Where the panes go: one arrangement for each window size, so nothing scrolls sideways.

* **Wide and tall** (at least :data:`WIDE` by :data:`TALL` logical pixels): challenges | editor
  | the entries above the chart.
* **Wide** (a 1366x768 laptop): challenges | editor | tabs *Entries* and *Chart*; the list
  gets the whole height (25 rows or more at 768).
* **Narrow** (a 1024-wide screen, or a 2x scale): editor | tabs *Challenges*, *Entries* and
  *Chart*.

The editor always keeps the full height: it is where the writing happens.  Ctrl+1..4 (the
View menu) show and focus each pane whichever arrangement is on.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from rejection_journal.ui.lazy_pane import replace_tab

#: narrower than this (logical pixels), the challenges go into a tab beside the entries
WIDE = 1200
#: at least this tall, and wide, the entries and the chart are shown one above the other
TALL = 800


class Arrangement(Enum):
    SPLIT = "split"  # wide and tall: entries above the chart
    TABS = "tabs"  # wide: entries and chart as tabs
    NARROW = "narrow"  # challenges, entries and chart as tabs


def arrangement_for(size: QSize) -> Arrangement:
    if size.width() < WIDE:
        return Arrangement.NARROW
    return Arrangement.SPLIT if size.height() >= TALL else Arrangement.TABS


class SidePanes(QWidget):
    """Holds the challenges, the entries and the chart, and moves them between a side
    splitter, tabs and the window's left column as :meth:`arrange` asks."""

    def __init__(self, picker: QWidget, entries: QWidget, chart: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidePanes")
        self.picker, self.entries, self.chart = picker, entries, chart
        #: the window's left column; holds the challenges unless the window is narrow
        self.picker_holder = QWidget()
        self.picker_holder.setObjectName("pickerHolder")
        self._holder_layout = QVBoxLayout(self.picker_holder)
        self._holder_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sideTabs")
        self.tabs.setDocumentMode(True)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("sideSplitter")
        self.split.setChildrenCollapsible(False)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.split)
        self._stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.arrangement: Arrangement | None = None

    def arrange(self, arrangement: Arrangement) -> bool:
        """Put the panes where ``arrangement`` wants them; True if anything moved."""
        if arrangement is self.arrangement:
            return False
        current = self.tabs.currentWidget()
        focus = self.window().focusWidget() if self.window() else None
        while self.tabs.count():
            self.tabs.removeTab(0)
        if arrangement is Arrangement.NARROW:
            self.tabs.addTab(self.picker, "Challenges")
        else:
            self._holder_layout.addWidget(self.picker)
        if arrangement is Arrangement.SPLIT:
            self.split.addWidget(self.entries)
            self.split.addWidget(self.chart)
            self.split.setStretchFactor(0, 1)
            self.split.setStretchFactor(1, 1)
            self._stack.setCurrentWidget(self.split)
        else:
            self.tabs.addTab(self.entries, "Entries")
            self.tabs.addTab(self.chart, "Chart")
            self._stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentWidget(current if current in (self.entries, self.chart,
                                                              self.picker) and (
                self.tabs.indexOf(current) >= 0) else self.entries)
        # A pane taken out of a tab may still be hidden by it; tabs show their own.
        shown = [self.picker] if arrangement is not Arrangement.NARROW else []
        if arrangement is Arrangement.SPLIT:
            shown += [self.entries, self.chart]
        for pane in shown:
            pane.show()
        self.picker_holder.setVisible(arrangement is not Arrangement.NARROW)
        self.arrangement = arrangement
        if focus is not None and focus.isVisible():
            focus.setFocus()
        return True

    def replace_chart(self, chart: QWidget) -> None:
        """Put ``chart`` where the chart's stand-in is (a pane built when first shown)."""
        old, self.chart = self.chart, chart
        if not replace_tab(self.tabs, old, chart):
            index = self.split.indexOf(old)
            if index >= 0:  # (the chart inherits its place, size and visibility)
                self.split.replaceWidget(index, chart)
        old.hide()
        old.setParent(self)  # (a splitter lets go of what it replaced: keep it, unseen)

    def show_pane(self, pane: QWidget) -> None:
        """Make ``pane`` visible (its tab, if it is in one)."""
        if self.tabs.indexOf(pane) >= 0:
            self.tabs.setCurrentWidget(pane)

    def current_tab(self) -> str:
        widget = self.tabs.currentWidget()
        return {self.picker: "challenges", self.entries: "entries",
                self.chart: "chart"}.get(widget, "")

    def set_current_tab(self, name: str) -> None:
        pane = {"challenges": self.picker, "entries": self.entries,
                "chart": self.chart}.get(name)
        if pane is not None:
            self.show_pane(pane)
