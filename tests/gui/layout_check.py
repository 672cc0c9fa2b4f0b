"""Build the main window at a given size and report what would need sideways scrolling or is
cut off (tests import :func:`layout_problems`; run as a script under ``QT_SCALE_FACTOR=2``)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QWidget


def layout_problems(window: QWidget) -> list[str]:
    """Every visible scroll area showing a sideways scroll bar, or holding a form wider
    than it can show (a scroll area with its sideways bar switched off cuts it instead)."""
    problems: list[str] = []
    for area in window.findChildren(QAbstractScrollArea):
        if not area.isVisible():
            continue
        name = area.objectName() or area.accessibleName() or type(area).__name__
        if area.horizontalScrollBar().isVisible():
            problems.append(f"{name} scrolls sideways")
        inside = area.widget() if isinstance(area, QScrollArea) else None
        if inside is not None and (
                inside.minimumSizeHint().width() > area.viewport().width()):
            problems.append(f"{name} cuts off its content "
                            f"({inside.minimumSizeHint().width()} > "
                            f"{area.viewport().width()})")
    return problems


def main() -> int:
    width, height = int(sys.argv[1]), int(sys.argv[2])
    from datetime import date

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.services import JournalService
    from rejection_journal.storage import open_journal
    from rejection_journal.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp, open_journal(Path(tmp) / "j") as journal:
        journal.add_demo_attempts(generate_attempts(journal.challenges(), 40, seed=2,
                                                    today=date(2026, 11, 23)))
        settings = QSettings(str(Path(tmp) / "ui-state.ini"), QSettings.Format.IniFormat)
        window = MainWindow(JournalService(journal), settings=settings)
        window.resize(width, height)
        window.show()
        for _ in range(10):
            app.processEvents()
        problems = layout_problems(window)
        print(f"scale={os.environ.get('QT_SCALE_FACTOR', '1')} {width}x{height}: "
              f"{'; '.join(problems) or 'ok'}", flush=True)
        window.editor._set_clean()
        window.close()
        app.processEvents()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
