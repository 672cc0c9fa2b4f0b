from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication

from rejection_journal.charts.formats import ChartExportRequest
from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.records import ChallengeRecord
from rejection_journal.domain.reminder import ReminderSettings
from rejection_journal.services import Clock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.storage.backup_list import BackupInfo
from rejection_journal.ui.challenge_dialog import ChallengeDialog
from rejection_journal.ui.dialogs import Dialogs, UnsavedChoice
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.passphrase_dialog import (
    Check,
    PassphraseAnswer,
    PassphraseDialog,
    PassphraseMode,
)
from rejection_journal.ui.plan_dialog import PlanDialog


class FakeDialogs(Dialogs):
    """Canned answers for the modal-dialog seam; records every question asked."""

    def __init__(self) -> None:
        super().__init__(None)
        self.save_paths: list[Path | None] = []
        self.unsaved_answers: list[UnsavedChoice] = []
        self.unsaved_questions: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.open_paths: list[Path | None] = []
        self.confirm_answers: list[bool] = []
        self.confirmations: list[str] = []
        self.backup_choices: list[int | None] = []  # index into the offered list, or cancel
        self.offered_backups: list[list[BackupInfo]] = []
        #: the file type (filter) chosen with the next save path; None: the first offered
        self.save_types: list[str | None] = []
        #: answers for the chart export dialog; when none are queued, the next save path
        #: is taken with the dialog's other settings as offered
        self.chart_exports: list[ChartExportRequest | None] = []
        self.offered_chart_exports: list[ChartExportRequest] = []
        #: the challenge dialog (issue 8): each answer gets the real, unshown dialog to fill
        #: in and press Save on (or not: cancelled); every dialog made is kept to look at
        self.challenge_answers: list[Callable[[ChallengeDialog], None]] = []
        self.challenge_dialogs: list[ChallengeDialog] = []
        #: the boundary guard's reminder: the texts shown and the answers (True: save anyway)
        self.boundary_answers: list[bool] = []
        self.boundary_reminders: list[str] = []
        #: each welcome shown (whether demo entries were offered); answers: "demo" asks for
        #: them, anything else (or none queued) closes it as "Start my journal" does
        self.welcomes: list[bool] = []
        self.welcome_answers: list[str] = []
        #: the reminder dialog: (settings offered, tray available) and canned answers
        self.reminder_questions: list[tuple[ReminderSettings, bool]] = []
        self.reminder_answers: list[ReminderSettings | None] = []
        #: each welcome's Build my plan offer (True: offered); "plan" in welcome_answers
        #: asks for it
        self.welcome_plans: list[bool] = []
        #: Build my plan (issue 23): each answer gets the real, unshown dialog to fill in and
        #: save (or not: cancelled); every dialog made is kept to look at
        self.plan_answers: list[Callable[[PlanDialog], None]] = []
        self.plan_dialogs: list[PlanDialog] = []
        #: the passphrase dialogs (issue 24): each answer gets the real, unshown dialog to fill
        #: in and press its button on (or not: cancelled); every dialog made is kept
        self.passphrase_answers: list[Callable[[PassphraseDialog], None]] = []
        self.passphrase_dialogs: list[PassphraseDialog] = []

    def ask_save_path(self, title: str, suggested: Path, filters: str) -> Path | None:
        assert self.save_paths, f"unexpected save dialog: {title}"
        return self.save_paths.pop(0)

    def ask_save_path_and_type(self, title: str, suggested: Path, filters: str
                               ) -> tuple[Path, str] | None:
        path = self.ask_save_path(title, suggested, filters)
        chosen = self.save_types.pop(0) if self.save_types else None
        offered = filters.split(";;")
        if chosen is None:
            chosen = offered[0]
        assert chosen in offered, f"{chosen!r} is not one of {offered}"
        return None if path is None else (path, chosen)

    def ask_chart_export(self, request: ChartExportRequest) -> ChartExportRequest | None:
        self.offered_chart_exports.append(request)
        if self.chart_exports:
            return self.chart_exports.pop(0)
        path = self.ask_save_path("Export chart", request.path, "")
        return None if path is None else replace(request, path=path, fmt=None)

    def ask_open_path(self, title: str, directory: Path, filters: str) -> Path | None:
        assert self.open_paths, f"unexpected open dialog: {title}"
        return self.open_paths.pop(0)

    def confirm(self, title: str, text: str, action: str) -> bool:
        self.confirmations.append(text)
        assert self.confirm_answers, f"unexpected confirmation: {text}"
        return self.confirm_answers.pop(0)

    def choose_backup(self, backups: Sequence[BackupInfo]) -> BackupInfo | None:
        self.offered_backups.append(list(backups))
        assert self.backup_choices, "unexpected restore dialog"
        index = self.backup_choices.pop(0)
        return None if index is None else backups[index]

    def ask_unsaved(self, what: str) -> UnsavedChoice:
        self.unsaved_questions.append(what)
        assert self.unsaved_answers, f"unexpected unsaved-changes prompt for {what}"
        return self.unsaved_answers.pop(0)

    def show_welcome(self, can_add_demo: bool, on_demo: Callable[[], None],
                     on_plan: Callable[[], None] | None = None) -> None:
        self.welcomes.append(can_add_demo)
        self.welcome_plans.append(on_plan is not None)
        answer = self.welcome_answers.pop(0) if self.welcome_answers else ""
        if answer == "demo":
            on_demo()
        elif answer == "plan":
            assert on_plan is not None, "Build my plan was not offered"
            on_plan()

    def build_plan(self, service: JournalService) -> Ladder | None:
        dialog = PlanDialog(service, None)
        self.plan_dialogs.append(dialog)
        assert self.plan_answers, "unexpected Build my plan dialog"
        self.plan_answers.pop(0)(dialog)
        saved = dialog.saved if dialog.result() == PlanDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        return saved

    def ask_reminder(self, current: ReminderSettings, tray_available: bool
                     ) -> ReminderSettings | None:
        self.reminder_questions.append((current, tray_available))
        assert self.reminder_answers, "unexpected reminder dialog"
        return self.reminder_answers.pop(0)

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def edit_challenge(self, service: JournalService, initial: ChallengeRecord | None,
                       title: str = "") -> ChallengeRecord | None:
        dialog = ChallengeDialog(service, initial, title, None)
        self.challenge_dialogs.append(dialog)
        assert self.challenge_answers, f"unexpected challenge dialog for {title!r}"
        self.challenge_answers.pop(0)(dialog)
        return dialog.saved if dialog.result() == ChallengeDialog.DialogCode.Accepted else None

    def boundary_reminder(self, text: str) -> bool:
        self.boundary_reminders.append(text)
        assert self.boundary_answers, f"unexpected boundary reminder: {text}"
        return self.boundary_answers.pop(0)

    def ask_passphrase(self, mode: PassphraseMode, check: Check, *, hint: str = ""
                       ) -> PassphraseAnswer | None:
        dialog = PassphraseDialog(mode, check, hint=hint)
        self.passphrase_dialogs.append(dialog)
        assert self.passphrase_answers, f"unexpected passphrase dialog ({mode.value})"
        self.passphrase_answers.pop(0)(dialog)
        return dialog.answer() if dialog.result() == PassphraseDialog.DialogCode.Accepted \
            else None

    def info(self, title: str, html: str) -> None:
        self.infos.append((title, html))

    def about(self, title: str, html: str) -> None:
        self.infos.append((title, html))


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "ui-state.ini"


@pytest.fixture
def clock() -> Clock:
    """The windows' clock: the computer's; a test module overrides this fixture with a
    :class:`FixedClock` when what it checks depends on the day."""
    return Clock()


@pytest.fixture
def make_window(qtbot, journal: Journal, dialogs: FakeDialogs,
                settings_path: Path, clock: Clock) -> Iterator[Callable[[], MainWindow]]:
    """Build real main windows on the tmp journal; fail if a test leaks a top-level widget."""
    before = set(QApplication.topLevelWidgets())
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(JournalService(journal, clock=clock), settings=settings,
                            dialogs=dialogs)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.editor._set_clean()  # whatever a test left typed, close without asking
        window.close()
        window.deleteLater()
    # delete them now, not whenever a later test first runs an event loop: a window left
    # half-alive would get that test's application-wide events (a palette change, …)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()
              and w not in windows]
    assert not leaked, f"leaked top-level widgets: {leaked}"


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    return make_window()
