"""Edit ▸ Undo, Redo and Delete entry: the window's calls into the service's undo history.

Deleting needs no "are you sure?": Undo brings the entry back whole.  Kept out of the main
window, which only wires these to its actions.

A large step (an import) is undone and redone off the GUI thread, with the import's progress
dialog, so the window never freezes; until it is written no other change starts here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QStatusBar, QWidget

from rejection_journal.services import JournalService, StorageError
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.editor import AttemptEditor
from rejection_journal.ui.entries import EntriesView
from rejection_journal.ui.journal_actions import progress_dialog

if TYPE_CHECKING:
    from rejection_journal.services.journal_service import UndoRun

#: an undo or redo writing more records than this runs off the GUI thread, with progress
BACKGROUND_THRESHOLD = 200


class EditWindow(Protocol):
    """What of the main window these commands use (the window imports this module)."""

    service: JournalService
    editor: AttemptEditor
    entries: EntriesView
    dialogs: Dialogs
    undo_action: QAction
    redo_action: QAction
    save_action: QAction
    import_action: QAction
    restore_action: QAction
    delete_action: QAction

    def statusBar(self) -> QStatusBar: ...

    def _settle_unsaved(self) -> bool: ...


class _UndoSignals(QObject):
    #: records written so far, of how many
    progress = Signal(int, int)
    #: the write is over: the exception it raised, or None
    done = Signal(object)


class _UndoJob(QRunnable):
    """Writes one undo or redo on a pool thread, with its own connection to the journal."""

    def __init__(self, service: JournalService, undo_run: UndoRun,
                 signals: _UndoSignals) -> None:
        super().__init__()
        self._service = service
        self._undo_run = undo_run
        self._signals = signals

    def run(self) -> None:
        try:
            with self._service.worker_connection():
                self._undo_run.write(self._signals.progress.emit)
        except Exception as exc:  # handed to the GUI thread, which decides
            self._signals.done.emit(exc)
        else:
            self._signals.done.emit(None)


class EditCommands(QObject):
    #: an undo or redo written off the GUI thread is over (and announced): what it did, or
    #: None if it failed
    stepWritten = Signal(object)

    def __init__(self, window: EditWindow) -> None:
        super().__init__(window if isinstance(window, QObject) else None)
        self._window = window
        self._service = window.service
        # The pool is made before the signals, so it is destroyed first and waits for a
        # running write before the object it reports to goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _UndoSignals(self)
        self._signals.progress.connect(self._show_progress)
        self._signals.done.connect(self._written)
        #: the step being written off the GUI thread: (run, "Undone"/"Redone", its dialog,
        #: the writing actions it turned off, with whether each was on)
        self._running: tuple[UndoRun, str, QProgressDialog, list[tuple[QAction, bool]]] | None
        self._running = None
        self._service.changes.subscribe(lambda _change: self.update_actions())
        self.update_actions()

    def update_actions(self) -> None:
        """Name what Undo and Redo would do, and turn them off when there is nothing."""
        window = self._window
        writable = self._service.read_only_reason is None and self._running is None
        for action, text, name in ((window.undo_action, self._service.undo_text, "&Undo"),
                                   (window.redo_action, self._service.redo_text, "&Redo")):
            action.setEnabled(writable and text is not None)
            action.setText(f"{name} {text}" if text else name)

    def _status(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 6000)

    def undo(self) -> str | None:
        """Undo the last step; returns what it was (None if nothing, if it failed or if it
        is large and being written off the GUI thread: ``stepWritten`` follows then)."""
        return self._run(redo=False)

    def redo(self) -> str | None:
        return self._run(redo=True)

    def _run(self, *, redo: bool) -> str | None:
        verb = "Redone" if redo else "Undone"
        if self._running is not None or not self._window._settle_unsaved():
            return None
        if self._service.next_step_size(redo=redo) > BACKGROUND_THRESHOLD:
            self._start(redo, verb)
            return None
        try:
            done = self._service.redo() if redo else self._service.undo()
        except StorageError as exc:
            self._failed(verb, exc)
            return None
        self._done(verb, done)
        return done

    def _start(self, redo: bool, verb: str) -> None:
        """Write the next step on the pool thread; the window stays live, with progress."""
        undo_run = self._service.begin_undo(redo=redo)
        if undo_run is None:
            return
        window = self._window
        what = undo_run.description
        what = f"the i{what[1:]}" if what.startswith("Import ") else f"“{what}”"
        dialog = progress_dialog(
            window if isinstance(window, QWidget) else None,
            "Redo" if redo else "Undo", f"{'Redoing' if redo else 'Undoing'} {what}…",
            max(undo_run.size, 1), cancellable=False, show_after_ms=0)
        # No second writer from this window until it is written (an undo is one
        # transaction, quick to finish, so it has no Cancel).
        turned_off = [(action, action.isEnabled()) for action in (
            window.undo_action, window.redo_action, window.save_action, window.import_action,
            window.restore_action, window.delete_action)]
        for action, _enabled in turned_off:
            action.setEnabled(False)
        self._running = (undo_run, verb, dialog, turned_off)
        self._pool.start(_UndoJob(self._service, undo_run, self._signals))

    def _show_progress(self, done: int, total: int) -> None:
        if self._running is not None:
            self._running[2].setValue(min(done, self._running[2].maximum()))

    def _written(self, error: Exception | None) -> None:
        """On the GUI thread, when the pool thread has written the step (or failed)."""
        assert self._running is not None
        undo_run, verb, dialog, turned_off = self._running
        self._running = None
        dialog.close()
        dialog.deleteLater()
        for action, enabled in turned_off:
            action.setEnabled(enabled)
        undo_run.finish(ok=error is None)  # announces it; or puts the step back
        if error is None:
            self._done(verb, undo_run.description)
            self.stepWritten.emit(undo_run.description)
            return
        self.update_actions()
        self.stepWritten.emit(None)
        if not isinstance(error, StorageError):
            raise error  # a defect: the crash dialog, as on the GUI thread
        self._failed(verb, error)

    def _failed(self, verb: str, exc: StorageError) -> None:
        self._window.dialogs.error(f"Not {verb.lower()}",
                                   f"That could not be {verb.lower()}: {exc}")

    def _done(self, verb: str, done: str | None) -> None:
        self._after_change()
        if done:
            self._status(f"{verb}: {done}.")

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
