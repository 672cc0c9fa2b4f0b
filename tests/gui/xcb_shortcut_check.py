"""Ctrl+E in *What you ask* on a real X display (xcb), whose key bindings make it "end of
line" for a one-line field.  Run as a script under Xvfb (tests/gui/test_shortcuts_everywhere.py);
prints what happened and "ok" when the chart export was asked for."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main() -> int:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from rejection_journal.charts.formats import ChartExportRequest
    from rejection_journal.services import JournalService
    from rejection_journal.storage import open_journal
    from rejection_journal.ui.dialogs import Dialogs
    from rejection_journal.ui.main_window import MainWindow

    asked: list[ChartExportRequest] = []

    class Recording(Dialogs):
        def ask_chart_export(self, request: ChartExportRequest) -> ChartExportRequest | None:
            asked.append(request)
            return None  # cancelled

    app = QApplication(sys.argv[:1])
    print("platform:", app.platformName())
    claims = QKeySequence("Ctrl+E") in QKeySequence.keyBindings(
        QKeySequence.StandardKey.MoveToEndOfLine)
    print("a field's end of line is Ctrl+E:", claims)
    with tempfile.TemporaryDirectory() as tmp, open_journal(Path(tmp) / "j") as journal:
        settings = QSettings(str(Path(tmp) / "ui-state.ini"), QSettings.Format.IniFormat)
        settings.setValue("welcome/shown", "true")
        window = MainWindow(JournalService(journal), settings=settings, dialogs=Recording())
        window.show()
        window.activateWindow()
        if not QTest.qWaitForWindowActive(window):
            print("the window never became active")
            return 1
        ask = window.editor.ask
        ask.setFocus()
        QTest.keyClicks(ask, "Ask for a discount")
        QTest.keyClick(ask, Qt.Key.Key_Home)
        QTest.keyClick(ask, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        print("export asked:", len(asked), "cursor at:", ask.cursorPosition())
        window.editor._set_clean()
        window.close()
        app.processEvents()
    return 0 if claims and len(asked) == 1 and print("ok") is None else 1


if __name__ == "__main__":
    sys.exit(main())
