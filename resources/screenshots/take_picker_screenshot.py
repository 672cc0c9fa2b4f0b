"""Render the challenge picker on a demo journal (issue 8), at the window's default size and
at 1024x640, as the pane looks beside the editor.

    python resources/screenshots/take_picker_screenshot.py [OUT.png]

Writes OUT.png (by default ``picker.png`` here) and OUT-1024x640.png.  Runs offscreen on a
fixed 1440x900 screen, so the picture is the same on every machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCREEN = HERE.parents[1] / "tests" / "offscreen-screen.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
os.environ.setdefault("QT_API", "pyside6")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "picker.png"
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from rejection_journal.app import create_application, open_main_window
    from rejection_journal.domain.demo import generate_attempts
    from rejection_journal.storage import open_journal

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "journal"
        with open_journal(data) as journal:
            journal.add_demo_attempts(
                generate_attempts(journal.challenges(), 120, seed=4, today=date(2026, 11, 23))
            )
        app = create_application(sys.argv[:1])
        window, journal = open_main_window(data)
        shots = [(None, out), ((1024, 640), out.with_name(f"{out.stem}-1024x640.png"))]
        for size, path in shots:
            if size is not None:
                window.resize(*size)
                width = window.width()
                window.main_splitter.setSizes([int(width * 0.22), int(width * 0.46),
                                               int(width * 0.32)])
            window.picker.list.setCurrentRow(3)
            for _ in range(5):
                app.processEvents()
            if not window.picker.grab().save(str(path)):
                print(f"could not write {path}", file=sys.stderr)
                return 1
            print(f"{path} (window {window.width()}x{window.height()})")
        window.editor._set_clean()
        window.close()
        journal.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
