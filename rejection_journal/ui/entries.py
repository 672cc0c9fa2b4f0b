"""The entries list: the table view with its columns, order and filters, and the actions on
the selected entry.  The model is :mod:`rejection_journal.ui.entries_model`, the filters
:mod:`rejection_journal.ui.filter_bar`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPoint,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    EntryFilter,
    EntrySort,
    SortColumn,
)
from rejection_journal.services import Change, Entity, JournalService, StorageError
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.entries_model import COLUMNS, AttemptTableModel, Column, column_index
from rejection_journal.ui.filter_bar import FilterBar

_LONG_TITLES = {SortColumn.EXPECTED: "Expected discomfort",
                SortColumn.NO_CHANCE: "Chance of \u201cno\u201d",
                SortColumn.FELT: "Felt discomfort", SortColumn.GAP: "Gap (expected \u2212 felt)"}
#: shown on first start; the rest can be switched on from the header's menu
DEFAULT_HIDDEN = frozenset({SortColumn.LEVEL})
#: a day whose text is about the widest (a long weekday, a two-digit day and month)
WIDE_DAY = date(2026, 12, 30)
#: the columns that give up width on a narrow list, and how far (pixels)
_FLEX_MIN = {SortColumn.ASK: 90, SortColumn.CATEGORY: 56, SortColumn.OUTCOME: 96}
#: the ask's readable minimum, in average characters
ASK_CHARS = 20
#: the category and the outcome give up width down to this on a crowded list (pixels)
_FLEX_FLOOR = 44
#: how much wider than its minimum the ask grows before the others grow
_ASK_FIRST = 110


class EntriesView(QWidget):
    """The entries table, with a filter bar and friendly empty states.

    ``attemptSelected`` carries a UUID.  With ``settings`` the shown columns and the order
    are remembered (``entries/*`` keys, beside the window's state).
    """

    attemptSelected = Signal(str)
    #: the user asked to delete this entry (Delete key or the context menu); undoable
    deleteRequested = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesView")
        self._service = service
        self._settings = settings
        self._selected: str | None = None
        hidden, order = self._remembered()
        self.model = AttemptTableModel(service, self, order=order)
        self.table = QTableView()
        self.table.setObjectName("entriesTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        rows = self.table.verticalHeader()
        rows.hide()
        # Fixed row heights and column widths from font metrics: with ResizeToContents Qt would
        # read every row of a years-long journal just to size the columns.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionClicked.connect(self._header_clicked)

        self._create_actions()
        self.filter_bar = FilterBar(service.today)
        self.filter_bar.changed.connect(self._filter_changed)
        self.load_ladders()

        self.empty = QLabel(
            "No entries yet.\n\nPick a challenge (Ctrl+1) and press Start, "
            "or press Ctrl+N for a free-form ask."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.no_match = QWidget()
        self.no_match.setObjectName("entriesNoMatch")
        no_match_label = QLabel("No entries match these filters.")
        no_match_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        no_match_label.setWordWrap(True)
        self.no_match_clear = QPushButton("Clear filters")
        self.no_match_clear.clicked.connect(self.filter_bar.clear)
        no_match_layout = QVBoxLayout(self.no_match)
        no_match_layout.addStretch(1)
        no_match_layout.addWidget(no_match_label)
        no_match_layout.addWidget(self.no_match_clear, 0, Qt.AlignmentFlag.AlignHCenter)
        no_match_layout.addStretch(1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)
        self.stack.addWidget(self.table)
        self.heading = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)

        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete),
                                         self.table)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_shortcut.activated.connect(self._delete_current)
        self.model.orderApplied.connect(self._order_applied)
        self.model.modelReset.connect(self._update_state)
        self.table.viewport().installEventFilter(self)
        self._show_columns(hidden)
        self._show_order(order)
        self._update_state()

    # -- actions (shared by the header's menu, the list's menu and the window's View menu) ----
    def _create_actions(self) -> None:
        #: one checkable action per column but the ask: show or hide it
        self.column_actions: dict[SortColumn, QAction] = {}
        for column in COLUMNS:
            if column.key is SortColumn.ASK:
                continue  # the one column that is always there
            action = QAction(_LONG_TITLES.get(column.key, column.title), self)
            action.setCheckable(True)
            action.setChecked(column.key not in DEFAULT_HIDDEN)
            action.setStatusTip(f"Show or hide the {column.title} column")
            action.toggled.connect(lambda shown, key=column.key: self.set_column_shown(key, shown))
            self.column_actions[column.key] = action
        #: "sort by" actions, one per column (exclusive), and the direction
        self.sort_group = QActionGroup(self)
        self.sort_actions: dict[SortColumn, QAction] = {}
        for column in COLUMNS:
            text = _LONG_TITLES.get(column.key, column.title)
            action = QAction(f"By {text[0].lower()}{text[1:]}", self)
            action.setCheckable(True)
            action.setChecked(column.key is DEFAULT_SORT.column)
            self.sort_group.addAction(action)
            action.triggered.connect(lambda _c=False, key=column.key: self.sort_by(key))
            self.sort_actions[column.key] = action
        self.descending_action = QAction("Descending (largest, newest first)", self)
        self.descending_action.setCheckable(True)
        self.descending_action.setChecked(DEFAULT_SORT.descending)
        self.descending_action.triggered.connect(
            lambda checked: self.set_order(replace(self._order(), descending=checked)))

    def columns_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu("Entry &columns", parent)
        for action in self.column_actions.values():
            menu.addAction(action)
        return menu

    def sort_menu(self, parent: QWidget | None = None) -> QMenu:
        menu = QMenu("&Sort entries", parent)
        for action in self.sort_actions.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.descending_action)
        return menu

    def _header_menu(self, position: QPoint) -> None:
        menu = self.columns_menu(self)
        menu.addSeparator()
        menu.addMenu(self.sort_menu(menu))
        menu.popup(self.table.horizontalHeader().mapToGlobal(position))

    # -- columns -------------------------------------------------------------------------------
    def shown_columns(self) -> list[SortColumn]:
        return [c.key for i, c in enumerate(COLUMNS) if not self.table.isColumnHidden(i)]

    def set_column_shown(self, key: SortColumn, shown: bool) -> None:
        if key is SortColumn.ASK:
            return
        self.table.setColumnHidden(column_index(key), not shown)
        action = self.column_actions[key]
        if action.isChecked() != shown:
            action.setChecked(shown)
        self._fit_columns()
        self._remember()

    def _preferred_width(self, column: Column) -> int:
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        # The sorted column's header needs room for its arrow too.
        arrow = 26 if column.key is self._order().column else 14
        sample = day_text(WIDE_DAY) if column.key is SortColumn.DATE else column.sample
        return max(metrics.horizontalAdvance(sample) + 14,
                   header.horizontalAdvance(column.title) + arrow)

    def _fit_columns(self) -> None:
        """Share the list's width among the shown columns, so it never needs sideways
        scrolling: dates and numbers keep their width; the ask, the category and the outcome
        share the rest (the ask first), eliding their text when squeezed."""
        available = self.table.viewport().width()
        if available <= 0:
            return
        header = self.table.horizontalHeader()
        shown = [(i, c) for i, c in enumerate(COLUMNS) if not self.table.isColumnHidden(i)]
        widths = {i: self._preferred_width(c) for i, c in shown}
        ask = column_index(SortColumn.ASK)
        flexible = {i: _FLEX_MIN[c.key] for i, c in shown if c.key in _FLEX_MIN}
        # the ask stays readable: about twenty characters, whatever else is shown
        flexible[ask] = max(flexible[ask], ASK_CHARS * self.table.fontMetrics()
                            .averageCharWidth() + 14)
        fixed = sum(w for i, w in widths.items() if i not in flexible)
        room = available - fixed
        if room < sum(flexible.values()):  # not even the minimums fit
            widths = self._squeezed(widths, flexible, available)
        else:
            others = {i: widths[i] for i in flexible if i != ask}
            spare = room - sum(flexible.values())
            # the ask grows to a readable width first, then the category and the outcome
            # to theirs, then the ask takes the rest
            want = sum(max(0, w - flexible[i]) for i, w in others.items())
            share = min(1.0, max(0, spare - _ASK_FIRST) / want) if want else 0.0
            for i, w in others.items():
                widths[i] = flexible[i] + int(max(0, w - flexible[i]) * max(0.0, share))
            widths[ask] = available - sum(w for i, w in widths.items() if i != ask)
        used = 0
        for index, width in widths.items():
            header.resizeSection(index, width)
            used += width
        if used > available:  # rounding: take it from the widest column but the ask
            widest = max((i for i in widths if i != ask), key=lambda i: widths[i],
                         default=ask)
            header.resizeSection(widest, max(20, widths[widest] - (used - available)))

    @staticmethod
    def _squeezed(widths: dict[int, int], flexible: dict[int, int], available: int
                  ) -> dict[int, int]:
        """Widths when not even the minimums fit: the ask keeps its readable minimum (up to
        half the list), the category and the outcome give up width down to a few letters,
        then the other columns but the date shrink alike (their headings say their names in
        tooltips too)."""
        ask = column_index(SortColumn.ASK)
        widths = dict(widths)
        widths[ask] = min(flexible[ask], available // 2)
        floors = {i: min(flexible[i], _FLEX_FLOOR) for i in flexible if i != ask}
        rest = available - widths[ask] - sum(floors.values())
        fixed = {i: w for i, w in widths.items() if i not in flexible}
        wanted = sum(fixed.values())
        if rest >= wanted:  # the fixed columns fit: the flexible ones share what is left
            spare = rest - wanted
            extra = sum(flexible[i] - floor for i, floor in floors.items())
            for i, floor in floors.items():
                share = (flexible[i] - floor) / extra if extra else 0.0
                widths[i] = floor + int(spare * share)
        else:  # the date stays whole if it can; the short columns' headings give way
            widths.update(floors)
            date = column_index(SortColumn.DATE)
            held = fixed.get(date, 0) if rest - fixed.get(date, 0) >= 20 * (len(fixed) - 1) \
                else 0
            scale = max(0, rest - held) / max(1, wanted - held)
            widths.update({i: w if held and i == date else max(20, int(w * scale))
                           for i, w in fixed.items()})
        return widths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    # -- order and filter ------------------------------------------------------------------------
    def _order(self) -> EntrySort:
        wanted = self.model._wanted
        return wanted[0] if wanted is not None else self.model.order

    def _filter(self) -> EntryFilter:
        wanted = self.model._wanted
        return wanted[1] if wanted is not None else self.model.filter

    def set_order(self, sort: EntrySort) -> None:
        """Sort the list (computed off the GUI thread; ``model.orderApplied`` when shown)."""
        if sort != self._order():
            self.model.request_order(sort, self._filter())
        self._show_order(sort)
        self._remember()

    def sort_by(self, key: SortColumn) -> None:
        """Sort by ``key``; the same column again turns the direction round.  Dates and
        numbers start largest first, the ask and names from A."""
        current = self._order()
        if current.column is key:
            self.set_order(replace(current, descending=not current.descending))
        else:
            self.set_order(EntrySort(key, key not in (SortColumn.ASK, SortColumn.CATEGORY,
                                                      SortColumn.OUTCOME)))

    def _header_clicked(self, section: int) -> None:
        self.sort_by(COLUMNS[section].key)

    def set_filter(self, flt: EntryFilter) -> None:
        """Show only what ``flt`` admits (the filter bar follows)."""
        self.filter_bar.set_filter(flt)

    def _filter_changed(self, flt: EntryFilter) -> None:
        if flt != self._filter():
            self.model.request_order(self._order(), flt)

    def _show_order(self, sort: EntrySort) -> None:
        header = self.table.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(column_index(sort.column), Qt.SortOrder.DescendingOrder
                                if sort.descending else Qt.SortOrder.AscendingOrder)
        header.blockSignals(blocked)
        self.sort_actions[sort.column].setChecked(True)
        self.descending_action.setChecked(sort.descending)
        self._fit_columns()

    def _order_applied(self) -> None:
        self._update_state()
        self.select(self._selected)

    # -- remembered choices ----------------------------------------------------------------------
    def _remembered(self) -> tuple[frozenset[SortColumn], EntrySort]:
        """The hidden columns and the order the user chose last time (or the defaults)."""
        hidden = DEFAULT_HIDDEN
        sort = DEFAULT_SORT
        if self._settings is None:
            return hidden, sort
        names = {c.value for c in SortColumn}
        value = self._settings.value("entries/hiddenColumns")
        if value is not None:
            listed = [value] if isinstance(value, str) else list(value or [])
            hidden = frozenset(SortColumn(n) for n in listed if n in names)
        column = self._settings.value("entries/sortColumn")
        descending = self._settings.value("entries/sortDescending")
        if isinstance(column, str) and column in names:
            sort = EntrySort(SortColumn(column), str(descending).lower() != "false")
        return hidden, sort

    def _show_columns(self, hidden: frozenset[SortColumn]) -> None:
        for column in COLUMNS:
            if column.key is not SortColumn.ASK:
                self.table.setColumnHidden(column_index(column.key), column.key in hidden)
                action = self.column_actions[column.key]
                blocked = action.blockSignals(True)
                action.setChecked(column.key not in hidden)
                action.blockSignals(blocked)

    def _remember(self) -> None:
        if self._settings is None or self._service.read_only_reason is not None:
            return
        hidden = [c.key.value for i, c in enumerate(COLUMNS) if self.table.isColumnHidden(i)]
        self._settings.setValue("entries/hiddenColumns", hidden if hidden else "")
        order = self._order()
        self._settings.setValue("entries/sortColumn", order.column.value)
        self._settings.setValue("entries/sortDescending", order.descending)
        self._settings.sync()

    # -- selection, menus, state -------------------------------------------------------------
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
        menu = QMenu(self.table)
        if index.isValid():
            uuid = self.model.uuid_at(index.row())
            delete = menu.addAction("&Delete entry")
            delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
            delete.triggered.connect(lambda: self.deleteRequested.emit(uuid))
            menu.addSeparator()
        menu.addMenu(self.sort_menu(menu))
        menu.addMenu(self.columns_menu(menu))
        menu.popup(self.table.viewport().mapToGlobal(position))

    def reload(self, select_uuid: str | None = None) -> None:
        self.model.reload()
        self._update_state()
        self.select(select_uuid)

    def apply_change(self, change: Change, select_uuid: str | None = None) -> None:
        """Show what ``change`` did, keeping (or moving to) the selected entry."""
        self.model.apply_change(change)
        if change.entity is Entity.DAY:
            self.filter_bar.day_changed()
        if change.entity is Entity.LADDER or change.everything:
            # after the model: a filter on a ladder just deleted is dropped here, and the new
            # order it asks for must not be overtaken by the model's reload
            self.load_ladders()
        self._update_state()
        self.select(select_uuid)

    def load_ladders(self) -> None:
        """Offer the journal's ladders in the filter bar (hidden while there are none)."""
        try:
            ladders = [(ladder.uuid, ladder.goal) for ladder in self._service.ladders()]
        except StorageError:
            ladders = []
        self.filter_bar.set_ladders(ladders)

    def select(self, uuid: str | None) -> None:
        """Show ``uuid`` as the selected row (or none) without emitting ``attemptSelected``."""
        self._selected = uuid
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

    def total_count(self) -> int:
        """How many entries the journal holds (whatever the filter shows)."""
        if self.model.filter.is_empty:
            return self.model.rowCount()
        return self._service.attempt_count()

    def _update_state(self) -> None:
        count = self.model.rowCount()
        filtered = not self.model.filter.is_empty
        if count:
            self.stack.setCurrentWidget(self.table)
        else:
            self.stack.setCurrentWidget(self.no_match if filtered else self.empty)
        self.filter_bar.setVisible(filtered or count > 0)
        if filtered:
            self.heading.setText(f"<b>Entries</b> ({count} of {self.total_count()} shown)")
        else:
            self.heading.setText(f"<b>Entries</b> ({count})" if count else "<b>Entries</b>")

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._selected = self.model.uuid_at(indexes[0].row())
            self.attemptSelected.emit(self._selected)

    def focus_list(self) -> None:
        """Put the keyboard in the list (the first row, if none is selected)."""
        target = self.table if self.stack.currentWidget() is self.table else self.filter_bar
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if target is self.table and self.model.rowCount() and not self.current_uuid():
            self.table.setCurrentIndex(self.model.index(0, 0))

    def focus_chain(self) -> list[QWidget]:
        """The list's focusable parts in visual order (for the window's tab order)."""
        return [*self.filter_bar.controls(), self.table, self.no_match_clear]
