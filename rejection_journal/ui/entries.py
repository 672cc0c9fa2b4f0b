"""The entries list: a table model over attempt UUIDs with a lazy row cache."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import Change, Entity, JournalService

UUID_ROLE = Qt.ItemDataRole.UserRole
PAGE = 200
Index = QModelIndex | QPersistentModelIndex


def _rating(value: int | None, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def _order_key(record: AttemptRecord) -> tuple[date, datetime]:
    """Where a record sorts: newest day first, then the most recently created first."""
    return (record.attempted_on, record.created_at)


class AttemptTableModel(QAbstractTableModel):
    """Rows are attempts, newest first. Only the UUID list is loaded eagerly; records are
    fetched a page at a time when a row is first shown (Anki's browser does the same).

    A save changes one row (:meth:`apply_change`), never the whole model.
    """

    COLUMNS = ("Date", "Ask", "Expected", "Felt", "Outcome")

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._uuids: list[str] = []
        self._known: set[str] = set()  # the same UUIDs: "is it listed?" without a scan
        self._cache: dict[str, AttemptRecord] = {}
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._uuids = self._service.attempt_uuids()
        self._known = set(self._uuids)
        self._cache.clear()
        self.endResetModel()

    # -- change events -----------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """Update the rows ``change`` touched: insert, remove or refresh one row each."""
        if change.entity is not Entity.ATTEMPT:
            return
        if change.everything:
            self.reload()
            return
        for uuid in change.removed:
            self._remove(uuid)
        moved = change.fields is None or "attempted_on" in change.fields
        for uuid in change.changed:
            row = self.row_of(uuid)
            self._cache.pop(uuid, None)
            if row < 0:
                self._insert(uuid)
            elif moved:
                self._remove(uuid)
                self._insert(uuid)
            else:
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self.COLUMNS) - 1))
        for uuid in change.added:
            if uuid not in self._known:
                self._insert(uuid)

    def _remove(self, uuid: str) -> None:
        row = self.row_of(uuid)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._uuids[row]
        self._known.discard(uuid)
        self._cache.pop(uuid, None)
        self.endRemoveRows()

    def _insert(self, uuid: str) -> None:
        record = self._service.attempt(uuid)
        if record is None:
            return
        row = self._insertion_row(_order_key(record))
        self.beginInsertRows(QModelIndex(), row, row)
        self._uuids.insert(row, uuid)
        self._known.add(uuid)
        self._cache[uuid] = record
        self.endInsertRows()

    def _insertion_row(self, key: tuple[date, datetime]) -> int:
        """Binary search over the (newest-first) rows; most new entries go to the top."""
        first = self.record_at(0) if self._uuids else None
        if first is None or key >= _order_key(first):
            return 0  # today's entry: no need to load pages from the middle of the journal
        low, high = 1, len(self._uuids)
        while low < high:
            middle = (low + high) // 2
            record = self.record_at(middle)
            if record is not None and _order_key(record) > key:
                low = middle + 1
            else:
                high = middle
        return low

    # -- lookups ---------------------------------------------------------------------------
    def uuid_at(self, row: int) -> str:
        return self._uuids[row]

    def row_of(self, uuid: str) -> int:
        if uuid not in self._known:
            return -1
        return self._uuids.index(uuid)

    def record_at(self, row: int) -> AttemptRecord | None:
        uuid = self._uuids[row]
        record = self._cache.get(uuid)
        if record is None:
            start = (row // PAGE) * PAGE
            self._cache.update(self._service.attempts_by_uuid(self._uuids[start : start + PAGE]))
            record = self._cache.get(uuid)
        return record

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._uuids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._uuids):
            return None
        if role == UUID_ROLE:
            return self._uuids[index.row()]
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.TextAlignmentRole,
        ):
            return None
        record = self.record_at(index.row())
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (2, 3):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            if column == 4 and record.is_open:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.ask if column == 1 else None
        if column == 0:
            return record.attempted_on.isoformat()
        if column == 1:
            return record.ask
        if column == 2:
            return _rating(record.anticipated_discomfort)
        if column == 3:
            return _rating(record.actual_discomfort)
        return "Open — to reflect on" if record.outcome is None else record.outcome.label

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class EntriesView(QWidget):
    """The entries table, with a friendly empty state. ``attemptSelected`` carries a UUID."""

    attemptSelected = Signal(str)
    #: the user asked to delete this entry (Delete key or the context menu); undoable
    deleteRequested = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesView")
        self.model = AttemptTableModel(service, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed row heights and column widths from font metrics: with ResizeToContents Qt would
        # read every row of a years-long journal just to size the columns.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for column, sample in ((0, "2026-11-23"), (2, "Expected"), (3, "Felt"),
                               (4, "Open — to reflect on")):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)

        self.empty = QLabel(
            "No entries yet.\n\nPick a challenge on the left and press Start, "
            "or press Ctrl+N for a free-form ask."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.heading = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)

        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete),
                                         self.table)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_shortcut.activated.connect(self._delete_current)
        self._update_state()

    def current_uuid(self) -> str | None:
        """The UUID of the selected entry, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.uuid_at(rows[0].row()) if rows else None

    def _delete_current(self) -> None:
        uuid = self.current_uuid()
        if uuid is not None:
            self.deleteRequested.emit(uuid)

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        uuid = self.model.uuid_at(index.row())
        menu = QMenu(self.table)
        delete = menu.addAction("&Delete entry")
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.triggered.connect(lambda: self.deleteRequested.emit(uuid))
        menu.popup(self.table.viewport().mapToGlobal(position))

    def reload(self, select_uuid: str | None = None) -> None:
        self.model.reload()
        self._update_state()
        self.select(select_uuid)

    def apply_change(self, change: Change, select_uuid: str | None = None) -> None:
        """Show what ``change`` did, keeping (or moving to) the selected entry."""
        self.model.apply_change(change)
        self._update_state()
        self.select(select_uuid)

    def select(self, uuid: str | None) -> None:
        """Show ``uuid`` as the selected row (or none) without emitting ``attemptSelected``."""
        selection = self.table.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            row = self.model.row_of(uuid) if uuid else -1
            if row >= 0:
                if not selection.isRowSelected(row, QModelIndex()):
                    self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            else:
                selection.clearSelection()
        finally:
            selection.blockSignals(blocked)
        self.table.viewport().update()

    def _update_state(self) -> None:
        count = self.model.rowCount()
        self.stack.setCurrentWidget(self.table if count else self.empty)
        self.heading.setText(f"<b>Entries</b> ({count})" if count else "<b>Entries</b>")

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.attemptSelected.emit(self.model.uuid_at(indexes[0].row()))
