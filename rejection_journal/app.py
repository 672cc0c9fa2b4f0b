"""Start the desktop app: QApplication, the journal, the main window."""

from __future__ import annotations

import contextlib
import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal import APP_ID, APP_NAME
from rejection_journal.paths import FILE_MODE, ui_state_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from rejection_journal.storage import Journal
    from rejection_journal.ui.main_window import MainWindow


def _icon_path() -> str | None:
    icon = resources.files("rejection_journal") / "resources" / "icon.svg"
    return str(icon) if icon.is_file() else None


def create_application(argv: list[str] | None = None) -> QApplication:
    # Matplotlib (imported later, lazily) must pick the same Qt binding.
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("rejection-journal")
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    icon = _icon_path()
    if icon:
        app.setWindowIcon(QIcon(icon))
    return app


def open_main_window(data_dir: Path) -> tuple[MainWindow, Journal]:
    """Open the journal in ``data_dir`` and show the main window on it.

    Raises :class:`rejection_journal.storage.StorageError` if the journal cannot be opened.
    """
    from PySide6.QtCore import QSettings

    from rejection_journal.storage import open_journal
    from rejection_journal.ui.main_window import MainWindow

    journal = open_journal(data_dir)
    settings = QSettings(str(ui_state_path(data_dir)), QSettings.Format.IniFormat)
    window = MainWindow(journal, settings=settings)
    window.show()
    return window, journal


def run_gui(data_dir: Path, argv: list[str] | None = None) -> int:
    app = create_application(argv)
    from PySide6.QtWidgets import QMessageBox

    from rejection_journal.storage import StorageError

    try:
        window, journal = open_main_window(data_dir)
    except StorageError as exc:
        QMessageBox.critical(None, APP_NAME, f"The journal could not be opened.\n\n{exc}")
        return 1
    try:
        return app.exec()
    finally:
        del window
        journal.close()
        with contextlib.suppress(OSError):
            os.chmod(ui_state_path(data_dir), FILE_MODE)
