"""File menu: export, import (with progress), back up now, restore — through the real window."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.paths import backups_dir
from rejection_journal.storage import Journal
from rejection_journal.storage.export import export_json
from rejection_journal.ui.backup_dialog import RestoreDialog
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs


def _asks(journal: Journal) -> list[str]:
    return sorted(a.ask for a in journal.attempts())


def test_export_journal_as_json_and_csv(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    journal.save_attempt(AttemptRecord(ask="Ask for extra sauce", attempted_on=date.today()))
    dialogs.save_paths += [tmp_path / "all.json", tmp_path / "entries.csv"]
    window.export_journal_action.trigger()
    window.export_journal_action.trigger()
    assert json.loads((tmp_path / "all.json").read_text())["attempts"][0]["ask"] == (
        "Ask for extra sauce")
    assert "Ask for extra sauce" in (tmp_path / "entries.csv").read_text(encoding="utf-8-sig")
    assert dialogs.errors == []


def test_import_with_progress_shows_the_new_entries_and_twice_changes_nothing(
    make_window, journal: Journal, dialogs: FakeDialogs,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Build an export of 800 attempts in another journal folder, via the CLI-free API.
    source = tmp_path / "other.json"
    records = generate_attempts(journal.challenges(), 800, seed=9, today=date(2026, 10, 1))
    document = {
        "format": "rejection-journal", "format_version": 6, "schema_version": 3,
        "ladders": [], "runs": [], "self_checks": [],
        "app_version": "0.1.0", "exported_at": "2026-10-01T10:00:00Z", "challenges": [],
        "attempts": [],
    }
    from rejection_journal.storage.export import attempt_to_dict
    from rejection_journal.storage.revisions import revision

    document["attempts"] = [{**attempt_to_dict(r), "revision": revision(r),
                             "earlier_revisions": []} for r in records]
    source.write_text(json.dumps(document))
    window = make_window()

    seen_progress: list[int] = []
    original = QProgressDialog.setValue

    def spy(self: QProgressDialog, value: int) -> None:
        seen_progress.append(value)
        original(self, value)

    monkeypatch.setattr(QProgressDialog, "setValue", spy)  # a spy: the real dialog still runs
    dialogs.open_paths.append(source)
    dialogs.confirm_answers.append(True)  # the preview: "800 new ... Import?"
    window.import_action.trigger()
    monkeypatch.undo()
    assert dialogs.errors == []
    assert "new: 800 entries" in dialogs.confirmations[-1]
    assert journal.attempt_count() == 800
    assert window.entries.model.rowCount() == 800
    assert window.counts_label.text() == "800 entries"
    assert "800 added" in window.statusBar().currentMessage()
    assert seen_progress and seen_progress[-1] == 800 and len(seen_progress) > 2
    assert any(b.kind == "pre-import" for b in _backups(journal))

    dialogs.open_paths.append(source)
    window.import_action.trigger()  # nothing would change: no question asked
    assert journal.attempt_count() == 800
    assert window.statusBar().currentMessage().startswith("Nothing to import")
    # a no-op import makes no backup, so it cannot push older backups out
    assert [b.kind for b in _backups(journal)].count("pre-import") == 1


def _backups(journal: Journal):
    from rejection_journal.storage.backup_list import list_backups

    return list_backups(backups_dir(journal.data_dir))


def test_a_bad_import_file_says_where_and_changes_nothing(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    journal.save_attempt(AttemptRecord(ask="Keep me", attempted_on=date.today()))
    good = tmp_path / "good.json"
    export_json(journal, good)
    document = json.loads(good.read_text())
    document["attempts"][0]["anticipated_discomfort"] = 42
    document["attempts"][0]["uuid"] = "0b7e9a52-1111-4222-8333-944455556666"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    dialogs.open_paths.append(bad)
    window.import_action.trigger()
    title, text = dialogs.errors[-1]
    assert title == "Nothing imported"
    assert "attempts[0]" in text and "anticipated_discomfort" in text
    assert _asks(journal) == ["Keep me"]


def test_an_import_that_fails_against_the_journal_makes_no_backup(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    journal.save_attempt(AttemptRecord(ask="Keep me", attempted_on=date.today()))
    journal.backup("manual")
    good = tmp_path / "good.json"
    export_json(journal, good)
    document = json.loads(good.read_text())
    document["attempts"][0].update(uuid="0b7e9a52-1111-4222-8333-944455556666",
                                   challenge_uuid="0b7e9a52-2222-4222-8333-944455556666")
    bad = tmp_path / "names-a-missing-challenge.json"
    bad.write_text(json.dumps(document))
    dialogs.open_paths.append(bad)
    window.import_action.trigger()
    title, text = dialogs.errors[-1]
    assert title == "Nothing imported"
    assert "challenge_uuid: no challenge with this UUID" in text
    assert _asks(journal) == ["Keep me"]
    assert [b.kind for b in _backups(journal)] == ["manual"]


def test_back_up_now_then_restore_goes_back_to_that_moment(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs
) -> None:
    journal.save_attempt(AttemptRecord(ask="Before the backup", attempted_on=date.today()))
    window.backup_action.trigger()
    assert "Backup saved" in window.statusBar().currentMessage()
    journal.save_attempt(AttemptRecord(ask="After the backup", attempted_on=date.today()))
    window.entries.reload()
    assert window.entries.model.rowCount() == 2

    dialogs.backup_choices.append(0)  # newest: the manual one
    dialogs.confirm_answers.append(True)
    window.restore_action.trigger()
    assert dialogs.errors == []
    # Before anything changed it said what would: the backup's entries, the journal's now,
    # and that the journal as it is now is backed up first.
    question = dialogs.confirmations[-1]
    assert "The backup holds 1 entry. Your journal holds 2 entries now." in question
    assert "Restoring leaves the journal with 1 entry fewer than now." in question
    assert "Your journal as it is now is backed up first" in question
    assert _asks(journal) == ["Before the backup"]
    assert window.entries.model.rowCount() == 1
    kinds = [b.kind for b in _backups(journal)]
    assert "pre-restore" in kinds, "the journal as it was is kept"

    # ...and that pre-restore backup brings the later entry back.
    offered = _backups(journal)
    dialogs.backup_choices.append(next(i for i, b in enumerate(offered)
                                       if b.kind == "pre-restore"))
    dialogs.confirm_answers.append(True)
    window.restore_action.trigger()
    assert "The backup holds 2 entries. Your journal holds 1 entry now." in (
        dialogs.confirmations[-1])
    assert "1 entry more than now" in dialogs.confirmations[-1]
    assert _asks(journal) == ["After the backup", "Before the backup"]


def test_cancelled_restore_changes_nothing(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs
) -> None:
    journal.save_attempt(AttemptRecord(ask="Still here", attempted_on=date.today()))
    journal.backup("manual")
    dialogs.backup_choices.append(0)
    dialogs.confirm_answers.append(False)
    window.restore_action.trigger()
    dialogs.backup_choices.append(None)
    window.restore_action.trigger()
    assert _asks(journal) == ["Still here"]
    assert [b.kind for b in _backups(journal)] == ["manual"]


def test_restore_dialog_lists_backups_newest_first(qtbot, journal: Journal) -> None:
    journal.backup("manual")
    journal.backup("pre-import")
    backups = _backups(journal)
    dialog = RestoreDialog(backups)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert [cell.text() if (cell := dialog.table.item(row, 1)) else None for row in (0, 1)] == [
        "Before an import", "Made by you"]
    assert dialog.selected() == backups[0]
    assert dialog.restore_button.isEnabled()
    dialog.table.clearSelection()
    assert not dialog.restore_button.isEnabled()


def test_an_import_shows_what_it_will_do_and_asks_first_and_can_be_undone(
    window: MainWindow, journal: Journal, dialogs: FakeDialogs, tmp_path: Path,
) -> None:
    from rejection_journal.storage.export import attempt_to_dict
    from rejection_journal.storage.revisions import revision

    mine = journal.save_attempt(AttemptRecord(ask="Ask for a window seat",
                                              attempted_on=date(2026, 11, 1)))
    edited = mine.replace(lesson="Ask at check-in")
    new = AttemptRecord(ask="Ask for a discount", attempted_on=date(2026, 11, 2))
    document = {"format": "rejection-journal", "format_version": 6, "challenges": [],
                "ladders": [], "runs": [], "self_checks": [],
                "attempts": [
                    {**attempt_to_dict(record), "revision": revision(record),
                     "earlier_revisions": earlier}
                    for record, earlier in ((edited, [revision(mine)]), (new, []))]}
    source = tmp_path / "from-laptop.json"
    source.write_text(json.dumps(document))
    window.entries.reload()

    dialogs.open_paths.append(source)
    dialogs.confirm_answers.append(False)  # shown the counts, the user says no
    window.import_action.trigger()
    text = dialogs.confirmations[-1]
    assert "holds 2 entries" in text
    assert "new: 1 entry" in text and "updated (changed in the file since): 1 entry" in text
    assert "unchanged: 0 entries" in text
    assert journal.attempt_count() == 1 and journal.attempt(mine.uuid) == mine

    dialogs.open_paths.append(source)
    dialogs.confirm_answers.append(True)
    window.import_action.trigger()
    assert journal.attempt_count() == 2
    assert journal.attempt(mine.uuid).lesson == "Ask at check-in"  # type: ignore[union-attr]
    assert window.undo_action.isEnabled() and "Import" in window.undo_action.text()

    window.undo_action.trigger()
    assert journal.attempt_count() == 1
    assert journal.attempt(mine.uuid).lesson == ""  # type: ignore[union-attr]
    assert window.entries.model.rowCount() == 1


def test_restore_says_when_the_backup_cannot_be_counted() -> None:
    from rejection_journal.ui.journal_actions import restore_preview_text

    text = restore_preview_text("Sun 06 Dec 2026 at 21:00", None, 3)
    assert "could not be counted" in text and "holds 3 entries now" in text
    assert "backed up first" in text
    same = restore_preview_text("Sun 06 Dec 2026 at 21:00", 3, 3)
    assert "fewer" not in same and "more" not in same
