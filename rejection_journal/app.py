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
    from rejection_journal.ui.dialogs import Dialogs
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


def open_main_window(
    data_dir: Path, *, daily_backup: bool = False, dialogs: Dialogs | None = None
) -> tuple[MainWindow, Journal]:
    """Open the journal in ``data_dir`` and show the main window on it.

    Raises :class:`rejection_journal.storage.StorageError` if the journal cannot be opened.
    """
    from PySide6.QtCore import QSettings

    from rejection_journal.storage import open_journal
    from rejection_journal.ui.main_window import MainWindow

    journal = open_journal(data_dir, daily_backup=daily_backup)
    settings = QSettings(str(ui_state_path(data_dir)), QSettings.Format.IniFormat)
    window = MainWindow(journal, settings=settings, dialogs=dialogs)
    window.show()
    return window, journal


def open_with_recovery(data_dir: Path, dialogs: Dialogs) -> tuple[MainWindow, Journal] | None:
    """Open the main window; if the journal is damaged, explain and offer a way out.

    Returns None when the user chose to quit (or recovery failed and was reported).
    """
    from rejection_journal.paths import database_path
    from rejection_journal.storage import StorageError
    from rejection_journal.storage.backup import restore_backup
    from rejection_journal.storage.errors import DamagedJournalError
    from rejection_journal.storage.health import DamageKind, move_aside
    from rejection_journal.ui.dialogs import RecoveryChoice

    while True:
        try:
            return open_main_window(data_dir, daily_backup=True, dialogs=dialogs)
        except DamagedJournalError as exc:
            choices = []
            if exc.backup is not None:
                choices.append((RecoveryChoice.RESTORE_BACKUP, "Restore the newest backup"))
            if exc.damage.kind is DamageKind.LOST_WAL:
                choices.append((RecoveryChoice.OPEN_WHAT_IS_LEFT, "Open what is left"))
            choices += [(RecoveryChoice.START_EMPTY, "Start an empty journal"),
                        (RecoveryChoice.QUIT, "Quit")]
            choice = dialogs.ask_recovery(str(exc), choices)
            try:
                if choice is RecoveryChoice.RESTORE_BACKUP and exc.backup is not None:
                    restore_backup(exc.backup, data_dir)
                elif choice is RecoveryChoice.OPEN_WHAT_IS_LEFT:
                    move_aside(database_path(data_dir), side_files_only=True)
                elif choice is RecoveryChoice.START_EMPTY:
                    move_aside(database_path(data_dir))
                else:
                    return None
            except StorageError as failure:
                dialogs.error(APP_NAME, f"That did not work, and nothing was changed.\n\n{failure}")
                return None


#: Set to ``1`` and :func:`run_gui` reports a failure to start on stderr only, without its modal
#: message box (which nobody could close in a headless test).  Tests only; users never need it.
ENV_NO_ERROR_DIALOG = "REJECTION_JOURNAL_NO_ERROR_DIALOG"


def run_gui(data_dir: Path, argv: list[str] | None = None) -> int:
    app = create_application(argv)
    from PySide6.QtWidgets import QMessageBox

    from rejection_journal.storage import StorageError
    from rejection_journal.ui.crash import install_excepthook
    from rejection_journal.ui.dialogs import Dialogs
    from rejection_journal.ui.single_instance import SingleInstance

    def fail(text: str) -> int:
        """Say why the app cannot start: always on stderr (for a launcher's log or a terminal),
        and in a message box unless :data:`ENV_NO_ERROR_DIALOG` is set.  Exit status 1."""
        if sys.stderr is not None:  # None under pythonw (a Windows GUI launch)
            print(f"rejection-journal: {' '.join(text.split())}", file=sys.stderr, flush=True)
        if os.environ.get(ENV_NO_ERROR_DIALOG) != "1":
            QMessageBox.critical(None, APP_NAME, text)
        return 1

    try:
        ensure_private_dir(data_dir)
    except OSError as exc:
        return fail(f"The journal folder {data_dir} could not be created: {exc.strerror or exc}.")

    instance = SingleInstance(data_dir)
    if not instance.acquire():
        if instance.wake_running_instance():
            return 0  # the running window said it came to the front; nothing else to do
        return fail(
            "This journal is already open in another Rejection Journal window, which is not "
            "answering. Close it (or wait for it to finish) and try again."
        )
    try:
        instance.listen()
        try:
            opened = open_with_recovery(data_dir, Dialogs())
        except StorageError as exc:
            return fail(f"The journal could not be opened.\n\n{exc}")
        if opened is None:
            return 1
        window, journal = opened
        install_excepthook(window.dialogs, data_dir)
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
