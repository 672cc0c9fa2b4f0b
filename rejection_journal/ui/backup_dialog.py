"""The Restore dialog: pick one of the journal's backups."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.services import BackupInfo
from rejection_journal.ui.dates import moment_text

KIND_LABELS = {
    "daily": "Daily (automatic)",
    "manual": "Made by you",
    "pre-migration": "Before an upgrade",
    "pre-import": "Before an import",
    "pre-restore": "Before a restore",
}


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"


class RestoreDialog(QDialog):
    """Lists backups, newest first; ``selected()`` is the one to restore."""

    def __init__(self, backups: Sequence[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setMinimumSize(560, 360)
        self._backups = list(backups)
        intro = QLabel(
            "Pick the backup to go back to. Your journal as it is now is backed up first, "
            "so you can change your mind later."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self._backups), 3)
        self.table.setAccessibleName("Backups")
        self.table.setHorizontalHeaderLabels(["Made", "Kind", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(self._backups):
            made = QTableWidgetItem(moment_text(info.local_time))
            made.setToolTip(str(info.path))
            size = QTableWidgetItem(_size(info.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, made)
            self.table.setItem(row, 1, QTableWidgetItem(KIND_LABELS.get(info.kind, info.kind)))
            self.table.setItem(row, 2, size)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "&Restore", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        if self._backups:
            self.table.selectRow(0)
        self._update()

    def _update(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None
