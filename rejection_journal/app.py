"""Start the desktop app: QApplication, the one-writer guard, the journal, the main window."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from rejection_journal import APP_ID, APP_NAME
from rejection_journal.paths import FILE_MODE, ensure_private_dir, restrict_mode, ui_state_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from rejection_journal.storage import Journal
    from rejection_journal.storage.cipher import Key
    from rejection_journal.storage.errors import DamagedJournalError
    from rejection_journal.ui.chart_pane import ChartPane
    from rejection_journal.ui.dialogs import Dialogs, RecoveryChoice
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
    data_dir: Path, *, daily_backup: bool = False, dialogs: Dialogs | None = None,
    key: Key | None = None,
) -> tuple[MainWindow, Journal]:
    """Open the journal in ``data_dir`` and show the main window on it.

    With ``daily_backup`` (the app), today's daily backup is made once the window has painted
    (see :func:`_daily_backup_after_first_paint`), so it never delays the first screen.

    A journal that cannot be written (read-only file, folder or disk) is opened read-only: the
    window says so in a banner, and reading, exporting and charting still work.
    Raises :class:`rejection_journal.storage.StorageError` if the journal cannot be opened.
    """
    from PySide6.QtCore import QSettings

    from rejection_journal.services import JournalService
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.cipher import hold_for_journal, release_journal_key
    from rejection_journal.storage.errors import ReadOnlyJournalError
    from rejection_journal.ui.main_window import MainWindow

    def opened(read_only: bool) -> Journal:
        if key is not None:  # unlocked already: the journal opens with this key
            hold_for_journal(key)
        try:
            return open_journal(data_dir, read_only=read_only)
        except BaseException:
            release_journal_key()
            raise

    try:
        journal = opened(False)
    except ReadOnlyJournalError:
        journal = opened(True)
    settings = QSettings(str(ui_state_path(data_dir)), QSettings.Format.IniFormat)
    window = MainWindow(JournalService(journal), settings=settings, dialogs=dialogs)
    window.show()
    if daily_backup and not journal.read_only:
        _daily_backup_after_first_paint(window, journal)
    return window, journal


#: the status bar's words when today's automatic backup failed (the journal still opened)
BACKUP_FAILED = "Today's automatic backup could not be made: {error}"


def _daily_backup_after_first_paint(window: MainWindow, journal: Journal) -> None:
    """Make today's "daily" backup once the window has painted, not before: start-up shows
    the journal first.  A failure is kept in ``journal.backup_error`` and said in the status
    bar, as before.  The task is the window's child named ``dailyBackup`` (tests wait on its
    ``finished``)."""
    from rejection_journal.storage import StorageError
    from rejection_journal.storage.backup import daily_backup_if_due
    from rejection_journal.ui.after_paint import AfterFirstPaint

    def backup() -> None:
        try:
            journal.daily_backup = daily_backup_if_due(journal.path, journal.backups_dir)
        except StorageError as exc:
            journal.backup_error = exc
            window.statusBar().showMessage(BACKUP_FAILED.format(error=exc), 15000)

    AfterFirstPaint(window, backup, name="dailyBackup")


def open_with_recovery(data_dir: Path, dialogs: Dialogs) -> tuple[MainWindow, Journal] | None:
    """Open the main window; if the journal is damaged, explain and offer a way out.

    Returns None when the user chose to quit (or recovery failed and was reported).
    """
    from rejection_journal.paths import database_path
    from rejection_journal.services.sequences import restore_journal
    from rejection_journal.storage import StorageError
    from rejection_journal.storage.errors import DamagedJournalError
    from rejection_journal.storage.health import DamageKind, move_aside
    from rejection_journal.ui.dialogs import RecoveryChoice

    unlocked, key = ask_to_unlock(data_dir, dialogs)
    if not unlocked:
        return None
    while True:
        try:
            return open_main_window(data_dir, daily_backup=True, dialogs=dialogs,
                                    key=key)
        except DamagedJournalError as exc:
            choices = []
            if exc.backup is not None:
                choices.append((RecoveryChoice.RESTORE_BACKUP, "Restore the newest backup"))
            if exc.damage.kind is DamageKind.LOST_WAL:
                choices.append((RecoveryChoice.OPEN_WHAT_IS_LEFT, "Open what is left"))
            choices += [(RecoveryChoice.START_EMPTY, "Start an empty journal"),
                        (RecoveryChoice.QUIT, "Quit")]
            message, default = _recovery_advice(exc, database_path(data_dir), choices)
            choice = dialogs.ask_recovery(message, choices, default=default)
            try:
                if choice is RecoveryChoice.RESTORE_BACKUP and exc.backup is not None:
                    restore_journal(data_dir, exc.backup)
                elif choice is RecoveryChoice.OPEN_WHAT_IS_LEFT:
                    move_aside(database_path(data_dir), side_files_only=True)
                elif choice is RecoveryChoice.START_EMPTY:
                    move_aside(database_path(data_dir))
                else:
                    return None
            except StorageError as failure:
                dialogs.error(APP_NAME, f"That did not work, and nothing was changed.\n\n{failure}")
                return None


def ask_to_unlock(data_dir: Path, dialogs: Dialogs) -> tuple[bool, Key | None]:
    """A protected journal's unlock screen, before anything of the journal is shown: (True,
    its key) once the passphrase fits, (False, None) on Quit; (True, None) for a plain journal.
    A wrong passphrase is said in the screen, which stays for another try.  The key is
    derived once, here (about 0.15 s), and the journal then opens with it."""
    from rejection_journal.services.protection import is_protected, key_if_fits, read_hint
    from rejection_journal.ui.passphrase_dialog import PassphraseAnswer, PassphraseMode
    from rejection_journal.ui.protection import WRONG

    if not is_protected(data_dir):
        return True, None
    found: list[Key] = []

    def fits(answer: PassphraseAnswer) -> str | None:
        key = key_if_fits(data_dir, answer.passphrase)
        if key is None:
            return WRONG
        found.append(key)
        return None

    answer = dialogs.ask_passphrase(PassphraseMode.UNLOCK, fits, hint=read_hint(data_dir))
    return (False, None) if answer is None or not found else (True, found[-1])


#: Set to ``1`` and :func:`run_gui` reports a failure to start on stderr only, without its modal
#: message box (which nobody could close in a headless test).  Tests only; users never need it.
ENV_NO_ERROR_DIALOG = "REJECTION_JOURNAL_NO_ERROR_DIALOG"


def _recovery_advice(
    exc: DamagedJournalError, journal: Path, choices: list[tuple[RecoveryChoice, str]]
) -> tuple[str, RecoveryChoice]:
    """The message and the suggested (default) answer for a damaged journal.

    Restoring the backup is suggested only when the damaged journal cannot be read or holds
    nothing the backup lacks (a best-effort, read-only comparison); otherwise the answer that
    keeps the journal's entries (open what is left, or quit and change nothing).
    """
    from rejection_journal.storage.health import entries_only_in_journal
    from rejection_journal.ui.dialogs import RecoveryChoice

    offered = [choice for choice, _label in choices]
    message = str(exc)
    if exc.backup is None:
        return message, offered[0]
    only_here = entries_only_in_journal(journal, exc.damage.kind, exc.backup)
    if not only_here:
        return message, RecoveryChoice.RESTORE_BACKUP
    entries = "entry" if only_here == 1 else "entries"
    message += (f" The journal still holds {only_here} {entries} newer than that backup, "
                "so restoring it is not suggested.")
    if RecoveryChoice.OPEN_WHAT_IS_LEFT in offered:
        return message, RecoveryChoice.OPEN_WHAT_IS_LEFT
    return message, RecoveryChoice.QUIT


def run_gui(data_dir: Path, argv: list[str] | None = None) -> int:
    app = create_application(argv)
    from PySide6.QtWidgets import QMessageBox

    from rejection_journal.storage import StorageError
    from rejection_journal.ui import chart_preload
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

    from rejection_journal.storage.readonly import read_only_reason

    if read_only_reason(data_dir) is not None:
        return _run_read_only(app, data_dir, fail)

    try:
        ensure_private_dir(data_dir)
    except OSError as exc:
        return fail(f"The journal folder {data_dir} could not be created: {exc.strerror or exc}.")

    from rejection_journal.lock import LockUnavailableError

    instance = SingleInstance(data_dir)
    try:
        acquired = instance.acquire()
    except LockUnavailableError as exc:  # a full disk, a holder that cannot be checked
        return fail(str(exc))
    if not acquired:
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
        _smoke_test_if_asked(app, window)
        from rejection_journal.ui import shutdown

        quitter = shutdown.install(app, window.quit_keeping_draft)
        try:
            return app.exec()
        finally:
            quitter.uninstall()
            del window
            journal.close()
            chart_preload.wait()
            with contextlib.suppress(OSError):
                restrict_mode(ui_state_path(data_dir), FILE_MODE)
    finally:
        instance.release()


def _run_read_only(app: QApplication, data_dir: Path, fail: Callable[[str], int]) -> int:
    """Run the window on a journal that cannot be written.

    No one-writer lock: its file could not be created in a read-only folder, and two windows
    that cannot write are harmless.  Nothing is written into the folder (not even the window
    state).
    """
    from rejection_journal.storage import StorageError
    from rejection_journal.ui import chart_preload
    from rejection_journal.ui.crash import install_excepthook
    from rejection_journal.ui.dialogs import Dialogs

    try:
        opened = open_with_recovery(data_dir, Dialogs())
    except StorageError as exc:
        return fail(f"The journal could not be opened.\n\n{exc}")
    if opened is None:
        return 1
    window, journal = opened
    install_excepthook(window.dialogs, data_dir)
    try:
        return app.exec()
    finally:
        del window
        journal.close()
        chart_preload.wait()


#: Smoke test (packaging test, start-up timing): the app prints "first paint" once a widget has
#: painted and "chart drawn" once the chart has, then quits as if closed. If the value is a
#: folder, the chart is first exported there as chart.png, chart.svg and chart.pdf.
ENV_SMOKE_TEST = "REJECTION_JOURNAL_SMOKE_TEST"
#: With the smoke test: set to ``1`` and the app quits (as if closed) right after printing
#: "first paint", without waiting for the chart (``make bench`` times start-up with it).
ENV_QUIT_AFTER_FIRST_PAINT = "REJECTION_JOURNAL_QUIT_AFTER_FIRST_PAINT"


def _smoke_test_if_asked(app: QApplication, window: MainWindow) -> None:
    value = os.environ.get(ENV_SMOKE_TEST, "")
    if not value:
        return
    from PySide6.QtCore import QEvent, QObject, QTimer

    quit_after_paint = os.environ.get(ENV_QUIT_AFTER_FIRST_PAINT) == "1"

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                app.removeEventFilter(self)
                print("first paint", flush=True)
                if quit_after_paint:
                    app.quit()
                else:
                    # On a small screen the chart is a tab behind the entries: bring it to
                    # the front, or it would never be drawn.
                    QTimer.singleShot(0, lambda: window.go_to(window.chart))
            return False

    def chart_drawn() -> None:
        if Path(value).is_dir():
            for suffix in (".png", ".svg", ".pdf"):
                window.chart.export(Path(value) / f"chart{suffix}")
        print("chart drawn", flush=True)
        QTimer.singleShot(0, app.quit)

    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
    def chart_built(chart: ChartPane) -> None:
        chart.redrawn.connect(chart_drawn)

    window.chart_box.when_built(chart_built)  # (the chart is built when first shown)
