"""Edit ▸ Undo, Redo and Delete entry: the window's calls into the service's undo history.

Deleting needs no "are you sure?": Undo brings the entry back whole.  Kept out of the main
window, which only wires these to its actions.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QStatusBar

from rejection_journal.services import JournalService, StorageError
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.editor import AttemptEditor
from rejection_journal.ui.entries import EntriesView


class EditWindow(Protocol):
    """What of the main window these commands use (the window imports this module)."""

    service: JournalService
    editor: AttemptEditor
    entries: EntriesView
    dialogs: Dialogs
    undo_action: QAction
    redo_action: QAction

    def statusBar(self) -> QStatusBar: ...

    def _settle_unsaved(self) -> bool: ...


class EditCommands:
    def __init__(self, window: EditWindow) -> None:
        self._window = window
        self._service = window.service
        self._service.changes.subscribe(lambda _change: self.update_actions())
        self.update_actions()

    def update_actions(self) -> None:
        """Name what Undo and Redo would do, and turn them off when there is nothing."""
        window = self._window
        writable = self._service.read_only_reason is None
        for action, text, name in ((window.undo_action, self._service.undo_text, "&Undo"),
                                   (window.redo_action, self._service.redo_text, "&Redo")):
            action.setEnabled(writable and text is not None)
            action.setText(f"{name} {text}" if text else name)

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)

    def undo(self) -> str | None:
        return self._run(self._service.undo, "Undone")

    def redo(self) -> str | None:
        return self._run(self._service.redo, "Redone")

    def _run(self, step: object, verb: str) -> str | None:
        window = self._window
        if not window._settle_unsaved():
            return None
        try:
            done = step()  # type: ignore[operator]
        except StorageError as exc:
            window.dialogs.error(f"Not {verb.lower()}", f"That could not be {verb.lower()}: {exc}")
            return None
        self._after_change()
        if done:
            self._status(f"{verb}: {done}.")
        return done  # type: ignore[no-any-return]

    def delete(self, uuid: str | None) -> bool:
        """Delete ``uuid`` (None: the selected entry, else the one in the editor); no modal."""
        window = self._window
        uuid = uuid or window.entries.current_uuid() or window.editor.current_uuid
        if uuid is None:
            self._status("Select an entry to delete.")
            return False
        try:
            deleted = self._service.delete(uuid)
        except StorageError as exc:
            window.dialogs.error("Not deleted", f"The entry could not be deleted: {exc}")
            return False
        if deleted is None:
            return False
        if window.editor.current_uuid == uuid:
            window.editor._set_clean()  # what it showed is gone; Undo brings it back
            window.editor.start_new(None)
        self._after_change()
        self._status(f"Deleted “{deleted.ask}”. Press Ctrl+Z to bring it back.")
        return True

    def _after_change(self) -> None:
        window = self._window
        current = window.editor.current_uuid
        if current is not None and not window.editor.is_dirty:
            record = self._service.attempt(current)
            if record is None:
                window.editor.start_new(None)
            else:
                window.editor.load(record)
        self.update_actions()
