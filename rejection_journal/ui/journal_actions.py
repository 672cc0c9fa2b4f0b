"""Whole-journal operations from the File menu: export, import, back up, restore.

Kept out of the main window, which only wires these to menu actions. Each operation either
completes or leaves the journal exactly as it was, and says what happened in plain words.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from rejection_journal.services import ImportResult, JournalService, StorageError
from rejection_journal.ui.dates import moment_text
from rejection_journal.ui.dialogs import Dialogs

JSON_FILTER = "Rejection Journal export (*.json)"
CSV_FILTER = "Spreadsheet, entries only (*.csv)"
EXPORT_FILTERS = f"{JSON_FILTER};;{CSV_FILTER}"
#: Show a progress dialog for imports with more records than this.
PROGRESS_THRESHOLD = 500


@contextlib.contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor for work that takes a moment but has no steps to show."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class JournalActions(QObject):
    """The File menu's whole-journal operations, through the :class:`JournalService`.

    ``journalChanged`` fires after an import or restore changed what the journal holds (the
    service has announced it too); ``message`` carries a one-line result for the status bar.
    """

    journalChanged = Signal()
    message = Signal(str)

    def __init__(self, service: JournalService, dialogs: Dialogs, parent_widget: QWidget,
                 settle_unsaved: Callable[[], bool]) -> None:
        super().__init__(parent_widget)
        self.service = service
        self.dialogs = dialogs
        self._parent = parent_widget
        self._settle_unsaved = settle_unsaved

    def _refused_read_only(self, title: str) -> bool:
        """Say calmly that a read-only journal cannot take this change; True if refused."""
        reason = self.service.read_only_reason
        if reason is None:
            return False
        self.dialogs.error(title, f"This journal is read-only because {reason}, so it cannot "
                                  "be changed. Reading, exporting and charts still work.")
        return True

    # -- export ----------------------------------------------------------------------------
    def export_journal(self) -> Path | None:
        from rejection_journal.fileio import UnknownFormatError, resolve_format
        from rejection_journal.ui.protection import confirm_unprotected_export

        if not confirm_unprotected_export(self.service, self.dialogs):
            return None
        answer = self.dialogs.ask_save_path_and_type(
            "Export journal", Path.home() / "rejection-journal.json", EXPORT_FILTERS
        )
        if answer is None:
            return None
        path, chosen = answer
        try:
            # The type chosen in the dialog, unless the name carries a known extension.
            path, _ = resolve_format(path, "csv" if chosen == CSV_FILTER else "json",
                                     {".json": "json", ".csv": "csv"})
        except UnknownFormatError as exc:
            self.dialogs.error("Journal not exported", f"Could not write {path.name}: {exc}")
            return None
        try:
            # The file dialog has already asked before replacing a file (force), but never
            # the journal's own files, a device or a folder.
            count = self.service.export(path, force=True)
        except (StorageError, OSError) as exc:
            self.dialogs.error("Journal not exported", f"Could not write {path.name}: {exc}")
            return None
        self.message.emit(f"Exported {count:,} entries to {path}")
        return path

    # -- import ----------------------------------------------------------------------------
    def import_journal(self, path: Path | None = None) -> bool:
        from rejection_journal.services import ImportCancelled

        if self._refused_read_only("Nothing imported"):
            return False
        if path is None:
            path = self.dialogs.ask_open_path("Import journal", Path.home(), JSON_FILTER)
        if path is None or not self._settle_unsaved():
            return False
        try:
            with _busy():
                plan = self.service.read_import(path)  # checked whole before anything is written
                preview = self.service.preview_import(plan)  # what it will change; no writes
        except StorageError as exc:
            self.dialogs.error("Nothing imported", f"{path.name} was not imported.\n\n{exc}")
            return False
        if not preview.changed:
            # Nothing to write, so no pre-import backup to push older backups out.
            self.message.emit(preview.summary())
            return True
        if not self.dialogs.confirm("Import journal", import_preview_text(path.name, preview),
                                    "Import"):
            self.message.emit(f"Nothing imported from {path.name}.")
            return False
        progress = (progress_dialog(self._parent, "Import", "Importing entries…", plan.total)
                    if plan.total > PROGRESS_THRESHOLD else None)

        def report(done: int, total: int) -> None:
            if progress is None:
                return
            progress.setValue(done)
            QCoreApplication.processEvents()
            if progress.wasCanceled():
                raise ImportCancelled()

        try:
            result = self.service.import_plan(plan, progress=report)
        except ImportCancelled as exc:
            self.message.emit(str(exc))
            return False
        except StorageError as exc:
            self.dialogs.error("Nothing imported",
                               f"{path.name} was not imported; the journal is unchanged.\n\n{exc}")
            return False
        finally:
            if progress is not None:
                progress.close()
                progress.deleteLater()
        self.message.emit(result.summary())
        if result.changed:
            self.journalChanged.emit()
        return True

    # -- backups ---------------------------------------------------------------------------
    def backup_now(self) -> Path | None:
        if self._refused_read_only("No backup made"):
            return None
        try:
            info = self.service.backup_now()
        except StorageError as exc:
            self.dialogs.error("No backup made", str(exc))
            return None
        self.message.emit(f"Backup saved: {info.path}")
        return info.path

    def restore(self) -> bool:
        if self._refused_read_only("Journal not restored"):
            return False
        try:
            backups = self.service.backups()
        except StorageError as exc:
            self.dialogs.error("Backups unavailable", str(exc))
            return False
        if not backups:
            self.dialogs.error(
                "No backups yet",
                "There are no backups of this journal yet. One is made automatically each "
                "day you open the app; File ▸ Back up now makes one at once.",
            )
            return False
        chosen = self.dialogs.choose_backup(backups)
        if chosen is None or not self._settle_unsaved():
            return False
        text = restore_preview_text(moment_text(chosen.local_time),
                                    self.service.backup_entries(chosen.path),
                                    self.service.attempt_count())
        if not self.dialogs.confirm("Restore journal", text, "Restore"):
            return False
        from rejection_journal.ui.protection import restore_with_its_passphrase

        done = restore_with_its_passphrase(self.service, self.dialogs, chosen.path)
        if done is not None:  # made under another passphrase: asked for, and restored
            if done:
                self.message.emit(f"Restored the journal from {moment_text(chosen.local_time)}.")
                self.journalChanged.emit()
            return done
        try:
            with _busy():
                self.service.restore(chosen.path)
            error = None
        except StorageError as exc:
            error = exc
        if error is not None:
            self.dialogs.error("Journal not restored",
                               f"The backup could not be restored; nothing changed.\n\n{error}")
            return False
        self.message.emit(f"Restored the journal from {moment_text(chosen.local_time)}.")
        self.journalChanged.emit()
        return True


class _ProgressDialog(QProgressDialog):
    """A progress dialog that, without a Cancel button, cannot be sent away by Escape or the
    window's close button either: it stays until the work is done and closes it."""

    def __init__(self, label: str, total: int, parent: QWidget | None, *,
                 cancellable: bool) -> None:
        super().__init__(label, "Cancel", 0, total, parent)
        self._cancellable = cancellable
        if not cancellable:
            self.setCancelButton(None)

    def reject(self) -> None:
        if self._cancellable:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._cancellable and event.spontaneous():
            event.ignore()  # the user's close; the work closes it when done
            return
        super().closeEvent(event)


def progress_dialog(parent: QWidget | None, title: str, label: str, total: int, *,
                    cancellable: bool = True, show_after_ms: int = 300) -> QProgressDialog:
    """The window-modal progress dialog of a long write (an import, the undo of one): shown
    after ``show_after_ms`` (0: at once), closed (and deleted) by the caller when done."""
    dialog = _ProgressDialog(label, total, parent, cancellable=cancellable)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setValue(0)
    if show_after_ms == 0:
        dialog.show()
    return dialog


def _entries(count: int) -> str:
    return f"{count:,} entr{'y' if count == 1 else 'ies'}"


def restore_preview_text(when: str, in_backup: int | None, now: int) -> str:
    """What restoring the backup made ``when`` will change, in counts, before anything is
    written: the entries it holds, the entries the journal holds now, and the safety copy."""
    holds = ("The backup could not be counted; restoring checks it first."
             if in_backup is None else f"The backup holds {_entries(in_backup)}.")
    lines = [f"Go back to the journal as it was on {when}?", "",
             f"{holds} Your journal holds {_entries(now)} now."]
    if in_backup is not None and in_backup != now:
        fewer = "fewer" if in_backup < now else "more"
        lines.append(f"Restoring leaves the journal with {_entries(abs(now - in_backup))} "
                     f"{fewer} than now.")
    lines += ["", "Your journal as it is now is backed up first, so nothing is lost: "
              "File ▸ Restore from backup… lists that copy too."]
    return "\n".join(lines)


def import_preview_text(name: str, preview: ImportResult) -> str:
    """What importing ``name`` will do, in counts, before anything is written."""
    def entries(count: int) -> str:
        return f"{count:,} entr{'y' if count == 1 else 'ies'}"

    total = (preview.added_attempts + preview.updated_attempts + preview.unchanged_attempts
             + preview.conflict_attempts)
    lines = [f"{name} holds {entries(total)}:",
             f"• new: {entries(preview.added_attempts)}",
             f"• updated (changed in the file since): {entries(preview.updated_attempts)}",
             f"• unchanged: {entries(preview.unchanged_attempts)}"]
    if preview.conflict_attempts:
        lines.append(f"• changed on both sides: {entries(preview.conflict_attempts)} (yours are "
                     "kept; the file's go into each entry's history)")
    if preview.demo_items:
        lines.append(f"The file holds {preview.demo_items:,} demo "
                     f"item{'' if preview.demo_items == 1 else 's'} (made up to show how the "
                     "journal works); they stay marked as demo here.")
    lines.append("A backup is made first, and Edit ▸ Undo takes the import back.")
    return "\n".join(lines)
