"""The picker pane: "Challenges" (the picker) and "Ladders & runs", built when first chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QWidget

from rejection_journal.ui.lazy_pane import LazyTab
from rejection_journal.ui.picker import ChallengePicker

if TYPE_CHECKING:
    from rejection_journal.ui.ladders import LadderPanel


class PickerTabs(QTabWidget):
    """The picker and, behind its tab, the ladders (made by ``ladders`` when the tab is first
    chosen or :attr:`ladders` asked for; ``built`` wires it)."""

    def __init__(self, picker: ChallengePicker, ladders: Callable[[], LadderPanel], *,
                 built: Callable[[LadderPanel], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickerTabs")
        self.setDocumentMode(True)
        self.picker = picker
        self.addTab(picker, "Challenges")
        self.ladders_tab = LazyTab(self, "Ladders && runs", ladders, built=built)

    @property
    def ladders(self) -> LadderPanel:
        return self.ladders_tab.pane
