"""Render the chart pane with *Show as table* on (the README's chart-table.png), and print
what a screen reader hears for the chart.

    QT_QPA_PLATFORM=offscreen python resources/screenshots/take_chart_table_screenshot.py [FOLDER]

The demo journal (60 entries, seed 0) on 2026-11-23, in a 1366x768 window, the chart's tab.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from rejection_journal.services import FixedClock, JournalService
    from rejection_journal.storage import open_journal
    from rejection_journal.ui.main_window import MainWindow

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp, open_journal(Path(tmp) / "j") as journal:
        service = JournalService(journal, clock=FixedClock(date(2026, 11, 23)))
        service.add_demo_data()
        settings = QSettings(str(Path(tmp) / "ui-state.ini"), QSettings.Format.IniFormat)
        window = MainWindow(service, settings=settings)
        window.resize(1366, 768)
        window.show()
        window.go_chart_action.trigger()
        window.chart.activate()
        window.chart.table_button.setChecked(True)
        for _ in range(10):
            app.processEvents()
        out = folder / "chart-table.png"
        window.grab().save(str(out))
        print(out)
        print(f"{window.chart.canvas.accessibleName()}: {window.chart.description}")
        window.editor._set_clean()
        window.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
