"""Start the desktop app: QApplication, the one-writer guard, the journal, the main window."""

from __future__ import annotations

import contextlib
import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal import APP_ID, APP_NAME
from rejection_journal.paths import FILE_MODE, ensure_private_dir, ui_state_path

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


def open_main_window(data_dir: Path, *, daily_backup: bool = False) -> tuple[MainWindow, Journal]:
    """Open the journal in ``data_dir`` and show the main window on it.

    Raises :class:`rejection_journal.storage.StorageError` if the journal cannot be opened.
    """
    from PySide6.QtCore import QSettings

    from rejection_journal.storage import open_journal
    from rejection_journal.ui.main_window import MainWindow

    journal = open_journal(data_dir)  # TODO(backup): daily_backup=daily_backup
    settings = QSettings(str(ui_state_path(data_dir)), QSettings.Format.IniFormat)
    window = MainWindow(journal, settings=settings)
    window.show()
    return window, journal


def run_gui(data_dir: Path, argv: list[str] | None = None) -> int:
    app = create_application(argv)
    from PySide6.QtWidgets import QMessageBox

    from rejection_journal.storage import StorageError
    from rejection_journal.ui.single_instance import SingleInstance

    def fail(text: str) -> int:
        QMessageBox.critical(None, APP_NAME, text)
        return 1

    try:
        ensure_private_dir(data_dir)
    except OSError as exc:
        return fail(f"The journal folder {data_dir} could not be created: {exc.strerror or exc}.")

    instance = SingleInstance(data_dir)
    if not instance.acquire():
        if instance.wake_running_instance():
            return 0  # the running window came to the front; nothing else to do
        return fail(
            "This journal is already open in another Rejection Journal window, which is not "
            "answering. Close it (or wait for it to finish) and try again."
        )
    try:
        instance.listen()
        try:
            window, journal = open_main_window(data_dir, daily_backup=True)
        except StorageError as exc:
            return fail(f"The journal could not be opened.\n\n{exc}")
        instance.activationRequested.connect(window.bring_to_front)
        try:
            return app.exec()
        finally:
            del window
            journal.close()
            with contextlib.suppress(OSError):
                os.chmod(ui_state_path(data_dir), FILE_MODE)
    finally:
        instance.release()
