"""The Qt binding itself: calls the app makes in loops must not corrupt Python's memory."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication


def test_static_qt_calls_do_not_drop_references_to_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 decremented None's reference count on every static void call
    (processEvents during an import's progress, the wait cursor, ...): a long session or a big
    import aborted the whole app with "deallocating None".  That version is excluded in
    pyproject.toml; this keeps any future one from slipping in."""
    calls = 200
    before = sys.getrefcount(None)
    for _ in range(calls):
        QCoreApplication.processEvents()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.restoreOverrideCursor()
    lost = before - sys.getrefcount(None)
    assert lost < calls // 4, f"{lost} references to None lost over {calls * 4} Qt calls"
