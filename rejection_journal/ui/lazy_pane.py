"""Panes that are not on the first screen are built when first shown (issue 22).

:class:`LazyPane` stands in a layout, a splitter or a tab for a pane whose building (and
whose modules) can wait: it builds the pane the first time it is shown, or the first time
someone asks for it (:attr:`LazyPane.pane`), whichever comes first.  A pane reads what it
shows from the service when it is built, so one built late shows the journal as it is then;
``built`` tells the window to wire it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

PaneT = TypeVar("PaneT", bound=QWidget)


def replace_tab(tabs: QTabWidget, old: QWidget, new: QWidget) -> bool:
    """Put ``new`` in ``old``'s tab (same place and label; the same tab stays current, and
    no ``currentChanged`` is sent).  False if ``old`` is not one of the tabs."""
    index = tabs.indexOf(old)
    if index < 0:
        return False
    current = tabs.currentIndex()
    label = tabs.tabText(index)
    blocked = tabs.blockSignals(True)
    try:
        tabs.removeTab(index)
        tabs.insertTab(index, new, label)
        tabs.setCurrentIndex(current)
    finally:
        tabs.blockSignals(blocked)
    return True


class LazyPane(QWidget, Generic[PaneT]):
    """Holds the pane ``build`` makes, made when this is first shown or :attr:`pane` read."""

    def __init__(self, build: Callable[[], PaneT], *, name: str,
                 built: Callable[[PaneT], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._build = build
        self._built = [built] if built is not None else []
        self._pane: PaneT | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._pane is not None

    @property
    def pane(self) -> PaneT:
        """The pane, built now if it was not yet."""
        if self._pane is None:
            pane = self._build()
            self._pane = pane
            self._layout.addWidget(pane)
            pane.setVisible(True)  # shown with this holder (a layout would show it later)
            for call in self._built:
                call(pane)
        return self._pane

    def when_built(self, call: Callable[[PaneT], object]) -> None:
        """Call ``call(pane)`` once the pane exists (at once if it does)."""
        if self._pane is not None:
            call(self._pane)
        else:
            self._built.append(call)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        _ = self.pane


class LazyTab(Generic[PaneT]):
    """A tab of ``tabs`` whose pane is built when the tab is first chosen (or the pane asked
    for); the pane then takes the stand-in's place, so the tab holds the pane itself."""

    def __init__(self, tabs: QTabWidget, label: str, build: Callable[[], PaneT], *,
                 built: Callable[[PaneT], object] | None = None) -> None:
        self._tabs = tabs
        self._build = build
        self._built = [built] if built is not None else []
        self._pane: PaneT | None = None
        self._stand_in = QWidget()
        self._stand_in.setObjectName("notYetBuilt")
        tabs.addTab(self._stand_in, label)
        tabs.currentChanged.connect(self._chosen)

    @property
    def is_built(self) -> bool:
        return self._pane is not None

    def when_built(self, call: Callable[[PaneT], object]) -> None:
        if self._pane is not None:
            call(self._pane)
        else:
            self._built.append(call)

    @property
    def pane(self) -> PaneT:
        if self._pane is None:
            pane = self._build()
            self._pane = pane
            replace_tab(self._tabs, self._stand_in, pane)
            self._stand_in.deleteLater()
            for call in self._built:
                call(pane)
        return self._pane

    def _chosen(self, index: int) -> None:
        if self._pane is None and self._tabs.widget(index) is self._stand_in:
            _ = self.pane
