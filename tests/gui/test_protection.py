"""A journal only you can open, in the window: the unlock screen at start, and the protect,
change and remove dialogs of the File menu (real dialogs, filled in and pressed by a test)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rejection_journal.app import open_with_recovery
from rejection_journal.paths import database_path
from rejection_journal.services.protection import HINT_FILE, check_passphrase, is_protected
from rejection_journal.storage import Journal
from rejection_journal.storage.journal import current_journal
from rejection_journal.storage.protection import protect
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.passphrase_dialog import PassphraseDialog, PassphraseMode

from ..unit.damage import fill
from .accessible_names import unnamed_widgets
from .conftest import FakeDialogs

SHOTS = os.environ.get("REJECTION_JOURNAL_SCREENSHOTS")


def _type(qtbot, field, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def _press(qtbot, dialog: PassphraseDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


@pytest.fixture
def opened(qapp: QApplication) -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for window in windows:
        window.editor._set_clean()
        window.close()
        window.deleteLater()
    QApplication.processEvents()
    if (journal := current_journal()) is not None:
        journal.close()


@pytest.fixture
def protected_dir(tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    fill(data, 12)
    protect(data, "tea at noon")
    (data / HINT_FILE).write_text("the drink and the hour\n", encoding="utf-8")
    return data


def test_the_unlock_screen_says_a_wrong_passphrase_and_lets_you_try_again(
        qtbot, protected_dir: Path, opened: list[MainWindow]) -> None:
    dialogs = FakeDialogs()
    seen: list[str] = []

    def answer(dialog: PassphraseDialog) -> None:
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.mode is PassphraseMode.UNLOCK
        assert "the drink and the hour" in dialog.reminder.text()
        assert current_journal() is None  # nothing of the journal is open or shown yet
        _type(qtbot, dialog.passphrase, "coffee at noon")
        _press(qtbot, dialog)
        assert dialog.result() != PassphraseDialog.DialogCode.Accepted
        assert dialog.message.isVisible()
        seen.append(dialog.message.text())
        _shot(dialog, "unlock-wrong.png")
        _type(qtbot, dialog.passphrase, "tea at noon")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(answer)
    result = open_with_recovery(protected_dir, dialogs)
    assert result is not None
    window, journal = result
    opened.append(window)
    assert seen == ["That passphrase does not open this journal. Try again."]
    assert journal.attempt_count() == 12
    assert window.entries.model.rowCount() == 12
    assert not window.protection.protect_action.isVisible()


def test_quit_at_the_unlock_screen_opens_nothing(qtbot, protected_dir: Path) -> None:
    dialogs = FakeDialogs()
    dialogs.passphrase_answers.append(lambda dialog: dialog.reject())
    assert open_with_recovery(protected_dir, dialogs) is None
    assert current_journal() is None


def test_protect_change_and_remove_from_the_file_menu(
        qtbot, window: MainWindow, journal: Journal, dialogs: FakeDialogs,
        tmp_path: Path) -> None:
    data = journal.data_dir

    def fill_protect(dialog: PassphraseDialog) -> None:
        qtbot.addWidget(dialog)
        dialog.show()
        assert "nobody can open the journal again" in dialog.intro.text()
        _type(qtbot, dialog.passphrase, "river stones")
        _type(qtbot, dialog.repeat, "river stone")
        _press(qtbot, dialog)
        assert "not the same" in dialog.message.text()
        _type(qtbot, dialog.repeat, "river stones")
        _type(qtbot, dialog.hint, "my river stones")
        _press(qtbot, dialog)
        assert "passphrase itself" in dialog.message.text()
        assert "passphrase itself" in dialog.message.text()
        _type(qtbot, dialog.hint, "where we walked")
        assert not dialog.message.isVisible()  # typing again clears what was said
        _shot(dialog, "protect-dialog.png")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(fill_protect)
    window.protection.protect_action.trigger()
    assert dialogs.errors == []
    assert is_protected(data)
    assert not database_path(data).read_bytes().startswith(b"SQLite format 3")
    assert (data / HINT_FILE).read_text(encoding="utf-8").strip() == "where we walked"
    assert journal.is_open and journal.key is not None
    assert not window.protection.protect_action.isVisible()
    assert window.protection.unprotect_action.isVisible()
    journal.backup()  # the window's journal keeps working, encrypted

    def fill_change(dialog: PassphraseDialog) -> None:
        qtbot.addWidget(dialog)
        assert dialog.hint.text() == "where we walked"
        _type(qtbot, dialog.passphrase, "wrong")
        _type(qtbot, dialog.new, "mountain air")
        _type(qtbot, dialog.repeat, "mountain air")
        _press(qtbot, dialog)
        assert "does not open" in dialog.message.text()
        _type(qtbot, dialog.passphrase, "river stones")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(fill_change)
    window.protection.change_action.trigger()
    assert dialogs.errors == []
    assert journal.is_open and journal.attempt_count() == 0

    def fill_remove(dialog: PassphraseDialog) -> None:
        qtbot.addWidget(dialog)
        _type(qtbot, dialog.passphrase, "river stones")
        _press(qtbot, dialog)
        assert "does not open" in dialog.message.text()  # the old one no longer does
        _type(qtbot, dialog.passphrase, "mountain air")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(fill_remove)
    window.protection.unprotect_action.trigger()
    assert not is_protected(data)
    assert not (data / HINT_FILE).exists()
    assert journal.is_open and journal.key is None
    assert window.protection.protect_action.isVisible()


def test_cancel_changes_nothing(qtbot, window: MainWindow, journal: Journal,
                                dialogs: FakeDialogs) -> None:
    dialogs.passphrase_answers.append(lambda dialog: dialog.reject())
    assert window.protection.protect() is False
    assert not is_protected(journal.data_dir)



@pytest.mark.parametrize("mode", list(PassphraseMode))
def test_every_control_of_the_passphrase_dialogs_has_a_name(qtbot, mode: PassphraseMode) -> None:
    dialog = PassphraseDialog(mode, lambda _answer: None, hint="a hint")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_widgets(dialog) == []


def _open_protected(qtbot, protected_dir: Path, opened: list[MainWindow],
                    dialogs: FakeDialogs, passphrase: str = "tea at noon",
                    ) -> tuple[MainWindow, Journal]:
    def unlock(dialog: PassphraseDialog) -> None:
        _type(qtbot, dialog.passphrase, passphrase)
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(unlock)
    result = open_with_recovery(protected_dir, dialogs)
    assert result is not None
    opened.append(result[0])
    qtbot.waitExposed(result[0])
    return result


def test_exporting_a_protected_journal_asks_the_passphrase_again_and_warns(
        qtbot, protected_dir: Path, opened: list[MainWindow], tmp_path: Path) -> None:
    dialogs = FakeDialogs()
    window, _journal = _open_protected(qtbot, protected_dir, opened, dialogs)
    actions = window.journal_actions
    dialogs.passphrase_answers.append(lambda dialog: dialog.reject())
    assert actions.export_journal() is None  # cancelled: no file asked for, none written

    def again(dialog: PassphraseDialog) -> None:
        assert dialog.mode is PassphraseMode.EXPORT
        assert "not encrypted" in dialog.intro.text()
        _type(qtbot, dialog.passphrase, "not it")
        _press(qtbot, dialog)
        assert "does not open" in dialog.message.text()
        _type(qtbot, dialog.passphrase, "tea at noon")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(again)
    out = tmp_path / "copy.json"
    dialogs.save_paths.append(out)
    assert actions.export_journal() == out
    assert out.is_file()


def test_auto_lock_keeps_the_unsaved_entry_as_an_encrypted_draft_then_asks_again(
        qtbot, protected_dir: Path, opened: list[MainWindow]) -> None:
    dialogs = FakeDialogs()
    window, journal = _open_protected(qtbot, protected_dir, opened, dialogs)
    timer = window.protection.auto_lock_timer
    assert timer.isActive() and timer.interval() == 15 * 60_000  # the default
    phrase = "Ask the baker about the unsold bread"
    qtbot.keyClicks(window.editor.ask, phrase)
    report = window.make_report()  # another window showing the journal
    qtbot.addWidget(report)
    qtbot.waitExposed(report)
    assert window.editor.is_dirty
    seen: dict[str, object] = {}

    def while_locked(dialog: PassphraseDialog) -> None:
        window.bring_to_front()  # another start of the app, while locked: still hidden
        seen["hidden"] = not window.isVisible() and not report.isVisible()
        seen["draft"] = journal.draft("editor")
        seen["files"] = [p.name for p in protected_dir.rglob("*")
                         if p.is_file() and phrase.encode() in p.read_bytes()]
        _type(qtbot, dialog.passphrase, "wrong")
        _press(qtbot, dialog)
        seen["said"] = dialog.message.text()
        _type(qtbot, dialog.passphrase, "tea at noon")
        _press(qtbot, dialog)

    dialogs.passphrase_answers.append(while_locked)
    with qtbot.waitSignal(window.protection.unlocked):
        timer.timeout.emit()  # the idle time has passed (no waiting in a test)
    assert seen["hidden"] is True
    draft = seen["draft"]
    assert draft is not None and phrase in str(draft)
    assert seen["files"] == []  # the draft is in the journal: encrypted, like the rest
    assert seen["said"] == "That passphrase does not open this journal. Try again."
    assert window.isVisible() and window.editor.ask.text() == phrase
    assert report.isVisible()
    assert timer.isActive()


def test_the_idle_time_is_the_user_s_choice_and_is_kept(
        qtbot, protected_dir: Path, opened: list[MainWindow]) -> None:
    dialogs = FakeDialogs()
    window, _journal = _open_protected(qtbot, protected_dir, opened, dialogs)
    timer = window.protection.auto_lock_timer
    window.protection.lock_choices[5].trigger()
    assert timer.isActive() and timer.interval() == 5 * 60_000
    qtbot.keyClick(window.editor.ask, Qt.Key.Key_A)  # activity starts the idle time again
    assert timer.remainingTime() > 5 * 60_000 - 5_000
    window.protection.lock_choices[0].trigger()  # never
    assert not timer.isActive()
    assert window.settings.value("protection/lockAfterMinutes") in (0, "0")
    assert window.protection.lock_minutes() == 0


def test_a_backup_under_an_earlier_passphrase_is_restored_with_it(
        qtbot, protected_dir: Path, opened: list[MainWindow]) -> None:
    from rejection_journal.storage import open_journal
    from rejection_journal.storage.protection import change_passphrase

    with open_journal(protected_dir, passphrase="tea at noon") as earlier:
        old = earlier.backup()
    change_passphrase(protected_dir, "tea at noon", "tea at four")
    dialogs = FakeDialogs()
    window, journal = _open_protected(qtbot, protected_dir, opened, dialogs, "tea at four")
    journal.save_attempt(journal.attempts()[0].replace(reflection="changed since"))
    dialogs.backup_choices.append(
        next(i for i, b in enumerate(window.service.backups()) if b.path == old.path))

    def backup_passphrase(dialog: PassphraseDialog) -> None:
        assert dialog.mode is PassphraseMode.BACKUP
        _type(qtbot, dialog.passphrase, "tea at four")  # the journal's, not the backup's
        _press(qtbot, dialog)
        assert "does not open this backup" in dialog.message.text()
        _type(qtbot, dialog.passphrase, "tea at noon")
        _press(qtbot, dialog)

    dialogs.confirm_answers.append(True)
    dialogs.passphrase_answers.append(backup_passphrase)
    assert window.journal_actions.restore() is True
    assert dialogs.errors == []
    assert all(a.reflection != "changed since" for a in journal.attempts())
    assert journal.is_open and journal.attempt_count() == 12
    # the journal keeps its own passphrase, not the backup's
    assert check_passphrase(protected_dir, "tea at four")
    assert not check_passphrase(protected_dir, "tea at noon")


def test_quit_at_the_lock_screen_closes_the_app_keeping_the_draft(
        qtbot, protected_dir: Path, opened: list[MainWindow]) -> None:
    dialogs = FakeDialogs()
    window, journal = _open_protected(qtbot, protected_dir, opened, dialogs)
    quits: list[bool] = []
    window.protection._quit_app = lambda: quits.append(True)  # the app's quit, recorded
    qtbot.keyClicks(window.editor.ask, "Half-written")
    dialogs.passphrase_answers.append(lambda dialog: dialog.reject())
    with qtbot.waitSignal(window.protection.locked):
        window.protection.lock_action.trigger()
    assert quits == [True]
    assert not window.isVisible()
    draft = journal.draft("editor")
    assert draft is not None and "Half-written" in draft[0]
