"""The entries list: a table model over attempt UUIDs with a lazy row cache.

Sorting and filtering happen in SQL (``JournalService.attempt_uuids_sorted``): at 100,000
entries that takes 0.1-0.2 s, so a new order is computed on a worker thread while the list
keeps showing the old one.  A save still changes one row (:meth:`AttemptTableModel.
apply_change`): the row moves to its sorted place, or leaves the list if the filter no longer
admits it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRunnable,
    QSettings,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.date_ranges import CUSTOM, ENTRY_RANGES, RangePreset
from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    Completion,
    EntryFilter,
    EntrySort,
    SortColumn,
    sort_key,
)
from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.services import Change, Entity, JournalService, StorageError

UUID_ROLE = Qt.ItemDataRole.UserRole
PAGE = 200
Index = QModelIndex | QPersistentModelIndex
OPEN_TEXT = "Open — to reflect on"
#: the open-entry marker's colour (besides its words and italics), readable on light and dark
_OPEN_COLOUR = QColor("#1f6feb")


class Column(NamedTuple):
    key: SortColumn
    title: str
    tip: str
    sample: str  # the widest value it usually shows, for its width


COLUMNS: tuple[Column, ...] = (
    Column(SortColumn.DATE, "Date", "The day of the ask", "2026-11-23"),
    Column(SortColumn.ASK, "Ask", "What you asked", ""),
    Column(SortColumn.CATEGORY, "Category", "The challenge's category", "Everyday & shops"),
    Column(SortColumn.LEVEL, "Level", "The challenge's level (1-10)", "Level"),
    Column(SortColumn.EXPECTED, "Exp.", "Expected discomfort before the ask (0-10)", "10"),
    Column(SortColumn.NO_CHANCE, "No %", "Predicted chance of \u201cno\u201d (percent)", "100 %"),
    Column(SortColumn.FELT, "Felt", "Actual discomfort after the ask (0-10)", "10"),
    Column(SortColumn.GAP, "Gap", "Expected minus felt discomfort: above zero, it was easier "
           "than feared (blank while either is missing)", "+10"),
    Column(SortColumn.OUTCOME, "Outcome", "What happened; open entries still have their "
           "after half to write", OPEN_TEXT),
)
_INDEX = {column.key: i for i, column in enumerate(COLUMNS)}
#: the column names in menus, where there is room
_LONG_TITLES = {SortColumn.EXPECTED: "Expected discomfort",
                SortColumn.NO_CHANCE: "Chance of \u201cno\u201d",
                SortColumn.FELT: "Felt discomfort", SortColumn.GAP: "Gap (expected \u2212 felt)"}
#: shown on first start; the rest can be switched on from the header's menu
DEFAULT_HIDDEN = frozenset({SortColumn.LEVEL})
#: the columns that give up width on a narrow list, and how far (pixels)
_FLEX_MIN = {SortColumn.ASK: 90, SortColumn.CATEGORY: 56, SortColumn.OUTCOME: 96}
#: how much wider than its minimum the ask grows before the others grow
_ASK_FIRST = 110
_CENTERED = frozenset({SortColumn.LEVEL, SortColumn.EXPECTED, SortColumn.NO_CHANCE,
                       SortColumn.FELT, SortColumn.GAP})


def _rating(value: int | None, suffix: str = "") -> str:
    return "–" if value is None else f"{value}{suffix}"


def column_index(key: SortColumn) -> int:
    return _INDEX[key]


class _OrderSignals(QObject):
    #: generation, UUIDs (None on failure), the exception (or None)
    done = Signal(int, object, object)


class _OrderJob(QRunnable):
    """Asks storage for the ordered UUIDs on a pool thread, with its own connection."""

    def __init__(self, service: JournalService, generation: int, sort: EntrySort,
                 flt: EntryFilter, signals: _OrderSignals) -> None:
        super().__init__()
        self._service = service
        self._generation = generation
        self._sort = sort
        self._filter = flt
        self._signals = signals

    def run(self) -> None:
        try:
            with self._service.worker_connection():
                uuids = self._service.attempt_uuids_sorted(self._sort, self._filter)
        except Exception as exc:  # handed to the GUI thread, which decides
            self._signals.done.emit(self._generation, None, exc)
        else:
            self._signals.done.emit(self._generation, uuids, None)


class AttemptTableModel(QAbstractTableModel):
    """Rows are attempts in the chosen order (newest first unless the user sorts), limited by
    the chosen filter.  Only the UUID list is loaded eagerly; records are fetched a page at a
    time when a row is first shown (Anki's browser does the same).

    A save changes one row (:meth:`apply_change`), never the whole model.  A new order or
    filter (:meth:`request_order`) is computed off the GUI thread; ``orderApplied`` says when
    it is shown.
    """

    COLUMNS = tuple(column.title for column in COLUMNS)
    #: a new order or filter is shown (the rows were reset)
    orderApplied = Signal()

    def __init__(self, service: JournalService, parent: QObject | None = None, *,
                 order: EntrySort = DEFAULT_SORT) -> None:
        super().__init__(parent)
        self._service = service
        self._uuids: list[str] = []
        self._known: set[str] = set()  # the same UUIDs: "is it listed?" without a scan
        self._cache: dict[str, AttemptRecord] = {}
        self._challenges: dict[str, ChallengeRecord] = {}
        self.order = order
        self.filter = EntryFilter()
        # Order requests: the pool is made before the signals, so it is destroyed first and
        # waits for a running job before the object it reports to goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _OrderSignals(self)
        self._signals.done.connect(self._order_ready)
        self._generation = 0
        self._wanted: tuple[EntrySort, EntryFilter] | None = None
        self._touched: set[str] = set()  # entries changed while a new order was computed
        self._reset_while_waiting = False
        self.reload()

    # -- order and filter ----------------------------------------------------------------------
    def reload(self) -> None:
        """Load the list afresh in the current order, at once (on this thread)."""
        self._generation += 1  # whatever was being computed is out of date
        self._wanted = None
        self._load_challenges()
        self._install(self._service.attempt_uuids_sorted(self.order, self.filter))

    def request_order(self, sort: EntrySort, flt: EntryFilter) -> None:
        """Show the entries ``flt`` admits in ``sort``'s order, computed on a worker thread;
        until it arrives the list shows the old order (and keeps up with saves)."""
        self._generation += 1
        self._wanted = (sort, flt)
        self._touched.clear()
        self._reset_while_waiting = False
        self._pool.start(_OrderJob(self._service, self._generation, sort, flt, self._signals))

    @property
    def is_waiting(self) -> bool:
        """True while a requested order is being computed."""
        return self._wanted is not None

    def wait_for_order(self, msecs: int = 30_000) -> bool:
        """Block until the order job is done (for shutdown); its result still arrives as an
        event."""
        return self._pool.waitForDone(msecs)

    def _order_ready(self, generation: int, uuids: list[str] | None,
                     error: BaseException | None) -> None:
        if generation != self._generation or self._wanted is None:
            return  # a newer request (or a reload) replaced this one
        sort, flt = self._wanted
        self._wanted = None
        if error is not None:
            if isinstance(error, StorageError):
                return  # the journal closed (a restore): keep what is shown
            raise error
        assert uuids is not None
        self.order, self.filter = sort, flt
        if self._reset_while_waiting:
            self.reload()
        else:
            self._install(uuids)
            touched, self._touched = self._touched, set()
            if touched:  # saved while the new order was computed: put them in place
                self.apply_change(Change(changed=tuple(touched)))
        self.orderApplied.emit()

    def _install(self, uuids: list[str]) -> None:
        self.beginResetModel()
        self._uuids = uuids
        self._known = set(uuids)
        self._cache.clear()
        self.endResetModel()

    def _load_challenges(self) -> None:
        self._challenges = {c.uuid: c for c in self._service.challenges(include_archived=True)}

    def challenge_of(self, record: AttemptRecord) -> ChallengeRecord | None:
        return self._challenges.get(record.challenge_uuid or "")

    # -- change events -----------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """Update the rows ``change`` touched: insert, remove, move or refresh one row each."""
        if change.entity in (Entity.RUN, Entity.DAY):
            return
        if change.entity is Entity.LADDER:  # a ladder's rungs decide what its filter shows
            if self.filter.ladder is not None:
                self.reload()
            return
        if change.entity is Entity.CHALLENGE:
            self._load_challenges()
            if self.order.column in (SortColumn.CATEGORY, SortColumn.LEVEL) or (
                    self.filter.category is not None):
                self.reload()
            elif self._uuids:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self._uuids) - 1, len(COLUMNS) - 1))
            return
        if change.everything:
            if self._wanted is not None:
                self._reset_while_waiting = True
            self.reload()
            return
        if self._wanted is not None:
            self._touched.update(change.added, change.changed)
            self._touched.difference_update(change.removed)
        for uuid in change.removed:
            self._remove(uuid)
        touched = [*change.changed, *(u for u in change.added if u not in change.changed)]
        if not touched:
            return
        records = self._service.attempts_by_uuid(touched)
        if self.filter.is_empty:
            admitted = set(records)
        else:
            admitted = set(self._service.attempt_uuids_sorted(self.order, self.filter,
                                                              among=list(records)))
        for uuid in touched:
            record = records.get(uuid)
            if record is None or uuid not in admitted:
                self._remove(uuid)
                continue
            row = self.row_of(uuid)
            self._cache[uuid] = record
            if row >= 0 and self._in_place(row, record):
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                continue
            if row >= 0:
                self._remove(uuid)
            self._insert(record)

    def _key(self, record: AttemptRecord) -> tuple[Any, ...]:
        return sort_key(self.order, record, self.challenge_of(record))

    def _in_place(self, row: int, record: AttemptRecord) -> bool:
        """Is ``record`` (now at ``row``) still between its neighbours in the order?"""
        key = self._key(record)
        above = self.record_at(row - 1) if row > 0 else None
        below = self.record_at(row + 1) if row + 1 < len(self._uuids) else None
        return ((above is None or self._key(above) < key)
                and (below is None or key < self._key(below)))

    def _remove(self, uuid: str) -> None:
        row = self.row_of(uuid)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._uuids[row]
        self._known.discard(uuid)
        self._cache.pop(uuid, None)
        self.endRemoveRows()

    def _insert(self, record: AttemptRecord) -> None:
        row = self._insertion_row(self._key(record))
        self.beginInsertRows(QModelIndex(), row, row)
        self._uuids.insert(row, record.uuid)
        self._known.add(record.uuid)
        self._cache[record.uuid] = record
        self.endInsertRows()

    def _insertion_row(self, key: tuple[Any, ...]) -> int:
        """Binary search over the rows; with the default order most new entries go to the
        top, so the first row is tried before loading pages from the middle."""
        if not self._uuids:
            return 0
        first = self.record_at(0)
        if first is None or key < self._key(first):
            return 0
        low, high = 1, len(self._uuids)
        while low < high:
            middle = (low + high) // 2
            record = self.record_at(middle)
            if record is not None and self._key(record) < key:
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
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A click on a header: sort by that column (in SQL, off the GUI thread)."""
        if not 0 <= column < len(COLUMNS):
            return
        wanted = EntrySort(COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)
        current = self._wanted[0] if self._wanted is not None else self.order
        if wanted != current:
            self.request_order(wanted, self._wanted[1] if self._wanted else self.filter)

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
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in _CENTERED:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        record = self.record_at(index.row())
        if record is None:
            return None
        open_marker = key is SortColumn.OUTCOME and record.is_open
        if role == Qt.ItemDataRole.FontRole:
            if open_marker:
                font = QFont()
                font.setItalic(True)
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_OPEN_COLOUR) if open_marker else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if key is SortColumn.ASK:
                return record.ask
            if open_marker:
                return "Still open: select it to write how it went."
            return self._text(key, record) or None
        return self._text(key, record)

    def _text(self, key: SortColumn, record: AttemptRecord) -> str:
        if key is SortColumn.DATE:
            return record.attempted_on.isoformat()
        if key is SortColumn.ASK:
            return record.ask
        if key is SortColumn.CATEGORY:
            challenge = self.challenge_of(record)
            return challenge.category.label if challenge is not None else "Free-form"
        if key is SortColumn.LEVEL:
            challenge = self.challenge_of(record)
            return str(challenge.level) if challenge is not None else "–"
        if key is SortColumn.EXPECTED:
            return _rating(record.anticipated_discomfort)
        if key is SortColumn.NO_CHANCE:
            return _rating(record.predicted_no_chance, " %")
        if key is SortColumn.FELT:
            return _rating(record.actual_discomfort)
        if key is SortColumn.GAP:
            gap = record.gap
            return "" if gap is None else f"{gap:+d}" if gap else "0"
        return OPEN_TEXT if record.outcome is None else record.outcome.label

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# -- the filter bar ------------------------------------------------------------------------------
CUSTOM_RANGE = ENTRY_RANGES.index(CUSTOM)


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class FilterBar(QWidget):
    """Compact filters above the list: which half, outcome, category and dates.

    ``changed`` carries the new :class:`EntryFilter`.  Ladders add their own control with
    :meth:`add_control` and set :attr:`ladder` (see :meth:`set_ladder`).
    """

    changed = Signal(object)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entriesFilterBar")
        self._today = today
        self.ladder: str | None = None
        self._quiet = False
        self.completion = QComboBox()
        for text, value in (("All entries", Completion.ALL), (OPEN_TEXT, Completion.OPEN),
                            ("Completed", Completion.COMPLETED)):
            self.completion.addItem(text, value)
        self.completion.setAccessibleName("Show open or completed entries")
        self.outcome = QComboBox()
        self.outcome.addItem("Any outcome", None)
        for outcome in Outcome:
            self.outcome.addItem(outcome.label, outcome)
        self.outcome.setAccessibleName("Filter by outcome")
        self.category = QComboBox()
        self.category.addItem("Any category", None)
        for category in Category:
            self.category.addItem(category.label, category)
        self.category.setAccessibleName("Filter by category")
        self.range = QComboBox()
        for preset in ENTRY_RANGES:
            self.range.addItem(preset.label)
        self.range.setAccessibleName("Filter by date")
        today_q = _to_qdate(today())
        self.since = QDateEdit(today_q.addMonths(-1))
        self.until = QDateEdit(today_q)
        for edit, name in ((self.since, "From date"), (self.until, "Until date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.hide()
        self.ladder_combo = QComboBox()
        self.ladder_combo.addItem("Any ladder", None)
        self.ladder_combo.setAccessibleName("Filter by ladder")
        self.ladder_combo.setToolTip("Only the entries on this ladder's steps")
        self.ladder_combo.hide()  # shown once there are ladders (set_ladders)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Show every entry again")
        self.clear_button.setAccessibleName("Clear filters")

        show = QLabel("Show:")
        show.setBuddy(self.completion)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        grid.addWidget(show, 0, 0)
        grid.addWidget(self.completion, 0, 1)
        grid.addWidget(self.outcome, 0, 2)
        grid.addWidget(self.category, 0, 3)
        self._second = QHBoxLayout()
        self._second.addWidget(self.range)
        self._second.addWidget(self.since)
        self._second.addWidget(self.until)
        self._second.addWidget(self.ladder_combo)
        self._second.addStretch(1)
        self._second.addWidget(self.clear_button)
        grid.addLayout(self._second, 1, 1, 1, 3)
        for column in (1, 2, 3):
            grid.setColumnStretch(column, 1)
        for combo in (self.completion, self.outcome, self.category, self.range,
                      self.ladder_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no wheel-by-accident
            combo.currentIndexChanged.connect(self._emit)
        self.range.currentIndexChanged.connect(self._range_chosen)
        self.ladder_combo.currentIndexChanged.connect(self._ladder_chosen)
        self.since.dateChanged.connect(self._emit)
        self.until.dateChanged.connect(self._emit)
        self.clear_button.clicked.connect(self.clear)
        self._update_clear()

    def add_control(self, widget: QWidget) -> None:
        """A further filter control (ladders), placed before the Clear button."""
        self._second.insertWidget(self._second.count() - 2, widget)

    def set_ladder(self, ladder: str | None) -> None:
        self.ladder = ladder
        self._show_ladder()
        self._emit()

    def set_ladders(self, ladders: list[tuple[str, str]]) -> None:
        """The ladders to filter by, as (UUID, goal); a chosen ladder that is gone is dropped
        from the filter (which is then announced)."""
        self._quiet = True
        try:
            self.ladder_combo.clear()
            self.ladder_combo.addItem("Any ladder", None)
            for uuid, goal in ladders:
                self.ladder_combo.addItem(f"Ladder: {goal}", uuid)
            self.ladder_combo.setVisible(bool(ladders))
        finally:
            self._quiet = False
        gone = self.ladder is not None and self.ladder not in {uuid for uuid, _ in ladders}
        if gone:
            self.set_ladder(None)
        else:
            self._show_ladder()

    def _show_ladder(self) -> None:
        blocked = self.ladder_combo.blockSignals(True)
        try:
            self.ladder_combo.setCurrentIndex(max(0, self.ladder_combo.findData(self.ladder)))
        finally:
            self.ladder_combo.blockSignals(blocked)

    def _ladder_chosen(self) -> None:
        if self._quiet:  # refilled by set_ladders: not the user's choice
            return
        self.ladder = self.ladder_combo.currentData()
        self._emit()

    def controls(self) -> list[QWidget]:
        """The bar's inputs in the order they are shown (for the tab order)."""
        return [self.completion, self.outcome, self.category, self.range, self.since,
                self.until, self.ladder_combo, self.clear_button]

    def current_filter(self) -> EntryFilter:
        since = until = None
        preset = self._preset()
        if preset is CUSTOM:
            since, until = _from_qdate(self.since.date()), _from_qdate(self.until.date())
        elif preset.moves_with_today:
            since, until = preset.bounds(self._today())
        # (Qt hands enum data back as plain strings)
        outcome, category = self.outcome.currentData(), self.category.currentData()
        return EntryFilter(outcome=Outcome(outcome) if outcome else None,
                           category=Category(category) if category else None,
                           since=since, until=until,
                           completion=Completion(self.completion.currentData()),
                           ladder=self.ladder)

    def set_filter(self, flt: EntryFilter) -> None:
        """Show ``flt`` (dates as a custom range) and announce it once."""
        self._quiet = True
        try:
            self.completion.setCurrentIndex(self.completion.findData(flt.completion))
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(flt.outcome)))
            self.category.setCurrentIndex(max(0, self.category.findData(flt.category)))
            if flt.since is None and flt.until is None:
                self.range.setCurrentIndex(0)
            else:
                self.range.setCurrentIndex(CUSTOM_RANGE)
                self.since.setDate(_to_qdate(flt.since or date(1900, 1, 1)))
                self.until.setDate(_to_qdate(flt.until or date(9999, 12, 31)))
            self.ladder = flt.ladder
            self._show_ladder()
        finally:
            self._quiet = False
        self._emit()

    def clear(self) -> None:
        self.set_filter(replace(EntryFilter(), ladder=None))

    def _range_chosen(self) -> None:
        custom = self.range.currentIndex() == CUSTOM_RANGE
        self.since.setVisible(custom)
        self.until.setVisible(custom)

    def day_changed(self) -> None:
        """A new day began: a range counted back from today ("Last 7 days") moves with it."""
        if self._preset().moves_with_today:
            self._emit()

    def _preset(self) -> RangePreset:
        return ENTRY_RANGES[max(0, self.range.currentIndex())]

    def _emit(self) -> None:
        if self._quiet:
            return
        self._update_clear()
        self.changed.emit(self.current_filter())

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(not self.current_filter().is_empty)


# -- the view ------------------------------------------------------------------------------------
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
        return max(metrics.horizontalAdvance(column.sample) + 14,
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
        flexible = {i: _FLEX_MIN[c.key] for i, c in shown if c.key in _FLEX_MIN}
        fixed = sum(w for i, w in widths.items() if i not in flexible)
        room = available - fixed
        if room < sum(flexible.values()):  # not even the minimums fit: shrink everything
            scale = available / max(1, fixed + sum(flexible.values()))
            widths = {i: max(20, int((flexible.get(i) or w) * scale))
                      for i, w in widths.items()}
        else:
            ask = column_index(SortColumn.ASK)
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
        if used > available:  # rounding: take it from the ask
            ask = column_index(SortColumn.ASK)
            header.resizeSection(ask, max(20, widths[ask] - (used - available)))

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
