"""Start the real app (``run_gui``) on a journal, report what its window shows, then close it.

    python read_only_app.py DATA_DIR

Prints one JSON line once the main window is up: whether its journal is read-only, the
banner's text, and which actions are enabled; then closes the window, so ``run_gui`` returns
and this process exits with its exit code.  Used by test_read_only.py, run as another user or
inside a mount namespace.  Exits 3 if no window appears within a minute.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from rejection_journal.app import create_application, run_gui
    from rejection_journal.ui.main_window import MainWindow

    create_application(sys.argv[:1])
    deadline = time.monotonic() + 60

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                banner = getattr(widget, "read_only_banner", None)
                print(json.dumps({
                    "read_only": getattr(widget.journal, "read_only", False),
                    "banner": banner.text() if banner is not None and banner.isVisible() else None,
                    "entries": widget.entries.model.rowCount(),
                    "enabled": {name: getattr(widget, f"{name}_action").isEnabled()
                                for name in ("save", "import", "backup", "restore",
                                             "export_journal", "export_chart")},
                    "save_button": widget.editor.save_button.isEnabled(),
                }), flush=True)
                widget.close()
                return
        if time.monotonic() > deadline:
            print("no main window appeared", flush=True)
            os._exit(3)
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return run_gui(Path(sys.argv[1]))


if __name__ == "__main__":
    raise SystemExit(main())
