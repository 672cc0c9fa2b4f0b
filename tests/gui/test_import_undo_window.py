"""Issue 18 item 8 through the window: an import that changes only a ladder is taken back by
Edit ▸ Undo, and the user's previous edit stays."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.storage.export import export_document
from rejection_journal.ui.main_window import MainWindow
from tests.gui.conftest import FakeDialogs


def test_edit_undo_takes_back_an_import_that_changed_only_a_ladder(
        window: MainWindow, dialogs: FakeDialogs, tmp_path: Path) -> None:
    service = window.service
    entry = service.save(AttemptRecord(ask="Ask for a window seat",
                                       attempted_on=date(2026, 11, 20)))
    ladder = service.new_ladder("Ask for a raise", [service.challenges()[0].uuid])
    document = export_document(service.journal)
    document["ladders"][0]["goal"] = "Ask for a raise, calmly"  # edited from this journal's
    path = tmp_path / "ladder.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    dialogs.open_paths.append(path)
    dialogs.confirm_answers.append(True)

    assert window.journal_actions.import_journal()
    assert service.ladder(ladder.uuid).goal == "Ask for a raise, calmly"  # type: ignore[union-attr]
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo Import of 1 ladder"

    window.undo_action.trigger()

    assert service.ladder(ladder.uuid).goal == "Ask for a raise"  # type: ignore[union-attr]
    assert service.attempt(entry.uuid) == entry
    assert window.redo_action.text() == "&Redo Import of 1 ladder"
