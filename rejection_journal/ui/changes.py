"""The Qt side of the service layer's change events: one signal per journal change."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from rejection_journal.services import Change, ChangeBus


class ChangeSignals(QObject):
    """Re-emits every :class:`Change` published on ``bus`` as ``changed(Change)``.

    Services run on the GUI thread, so the signal is delivered at once, in publish order.
    """

    changed = Signal(object)

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = bus.subscribe(self._forward)
        self.destroyed.connect(self._unsubscribe)

    def _forward(self, change: Change) -> None:
        self.changed.emit(change)
