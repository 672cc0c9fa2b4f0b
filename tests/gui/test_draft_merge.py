"""Issue 18 item 7: a draft brought back after a crash changes only the fields the user
changed, and says so when the saved entry changed meanwhile (here: an import)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import JournalService
from rejection_journal.storage import Journal
from rejection_journal.storage.export import export_document
from rejection_journal.ui.main_window import MainWindow


def _crash(qtbot, window: MainWindow) -> None:
    """What is typed is kept as a draft (the timer fires after a pause), then the window
    goes without saving, as on a crash or a logout: the draft stays in the journal."""
    qtbot.waitUntil(lambda: window.editor._draft_written, timeout=10_000)
    window._closing_for_session = True  # closed without the unsaved-changes question
    window.close()


def _drafted(qtbot, journal: Journal, make_window: Callable[[], MainWindow],
             field: str, typed: str, **entry: Any) -> AttemptRecord:
    """An entry (``entry``'s fields), opened in a window, ``typed`` over its ``field``, and
    the window gone without saving (a crash): the draft is left in the journal."""
    record = journal.save_attempt(AttemptRecord(ask="Ask for a discount",
                                                attempted_on=date(2024, 5, 1), **entry))
    window = make_window()
    window.editor.load(record)
    box = getattr(window.editor, field)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, typed)
    _crash(qtbot, window)
    return record


def _import_with_lesson(journal: Journal, uuid: str, lesson: str, tmp_path: Path) -> None:
    """Import an export of this journal in which the entry's lesson was edited elsewhere."""
    document = export_document(journal)
    entry = next(a for a in document["attempts"] if a["uuid"] == uuid)
    entry["lesson"] = lesson
    path = tmp_path / "edited-elsewhere.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    service = JournalService(journal)
    result = service.import_plan(service.read_import(path))
    assert result.updated_attempts == 1


def test_a_draft_keeps_an_imported_lesson_and_says_the_entry_changed(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    entry = _drafted(qtbot, journal, make_window, "reflection", "They were kind about it.",
                     outcome=Outcome.NO, reflection="First thoughts.",
                     lesson="Ask earlier in the day.")

    _import_with_lesson(journal, entry.uuid, "Smile first.", tmp_path)

    again = make_window()
    editor = again.editor
    assert editor.draft_bar.isVisible()
    assert editor.current_uuid == entry.uuid
    assert editor.reflection.toPlainText() == "They were kind about it.", "the draft's text"
    assert editor.lesson.toPlainText() == "Smile first.", "the import is not reverted"
    assert editor.ask.text() == "Ask for a discount"
    notice = editor.draft_notice.text()
    assert "Since then the saved entry changed in Lesson: that shows the saved version." \
        in notice, notice
    assert editor.is_dirty
    stored = editor.save()
    assert stored is not None
    assert (stored.reflection, stored.lesson) == ("They were kind about it.", "Smile first.")


def test_a_field_changed_in_the_draft_and_by_the_import_shows_both(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    entry = _drafted(qtbot, journal, make_window, "lesson", "Mine: breathe first.",
                     outcome=Outcome.NO, lesson="Ask earlier in the day.")

    _import_with_lesson(journal, entry.uuid, "Theirs: smile first.", tmp_path)

    editor = make_window().editor
    assert editor.lesson.toPlainText() == "Mine: breathe first.", "the user's text is shown"
    notice = editor.draft_notice.text()
    assert ("Lesson changed there too; your draft's text is shown, and the saved one is "
            "“Theirs: smile first.”.") in notice, notice
    assert "history" in notice


def test_a_draft_of_an_entry_nothing_else_changed_says_nothing_more(
    qtbot, journal: Journal, make_window: Callable[[], MainWindow],
) -> None:
    _drafted(qtbot, journal, make_window, "reflection", "Later.")
    editor = make_window().editor
    assert editor.reflection.toPlainText() == "Later."
    assert editor.draft_notice.text() == ("This is what you were writing in an entry when "
                                          "the app last closed. Save it, or discard it.")


def test_a_draft_an_older_version_wrote_still_comes_back(
    journal: Journal, make_window: Callable[[], MainWindow],
) -> None:
    entry = journal.save_attempt(AttemptRecord(ask="Ask for a discount",
                                               attempted_on=date(2024, 5, 1), lesson="Old."))
    probe = make_window()
    probe.editor.load(entry)
    saved = probe.editor.form_state()
    probe.editor._set_clean()
    probe._closing_for_session = True
    probe.close()
    journal.save_draft("editor", json.dumps({"state": {**saved, "reflection": "Typed."},
                                             "saved": saved}), entry.uuid)
    editor = make_window().editor
    assert editor.draft_bar.isVisible()
    assert (editor.reflection.toPlainText(), editor.lesson.toPlainText()) == ("Typed.", "Old.")
