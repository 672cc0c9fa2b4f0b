"""The entries list's model: a table over attempt UUIDs with a lazy row cache.

Sorting and filtering happen in SQL (``JournalService.attempt_uuids_sorted``): at 100,000
entries that takes 0.1-0.2 s, so a new order is computed on a worker thread while the list
keeps showing the old one.  A save still changes one row (:meth:`AttemptTableModel.
apply_change`): the row moves to its sorted place, or leaves the list if the filter no longer
admits it.  The view is :mod:`rejection_journal.ui.entries`, its filters
:mod:`rejection_journal.ui.filter_bar`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from rejection_journal.domain.entry_list import (
    DEFAULT_SORT,
    EntryFilter,
    EntrySort,
    SortColumn,
    sort_key,
)
from rejection_journal.domain.experiment import EntryKind
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.services import Change, Entity, JournalService, StorageError
from rejection_journal.ui.dates import day_text

UUID_ROLE = Qt.ItemDataRole.UserRole
PAGE = 200
Index = QModelIndex | QPersistentModelIndex
OPEN_TEXT = "Open — to reflect on"
#: (issue 21) the list's markers: an entry waiting for an answer, a rejection that happened
WAITING_TEXT = "Waiting for an answer"
HAPPENED_SUFFIX = " · happened to me"


def outcome_text(record: AttemptRecord) -> str:
    """The Outcome column: open, waiting, or the outcome (marked when it happened to me)."""
    if record.is_waiting:
        return WAITING_TEXT
    text = OPEN_TEXT if record.outcome is None else record.outcome.label
    return text + HAPPENED_SUFFIX if record.kind is EntryKind.HAPPENED_TO_ME else text
#: the open-entry marker's colour (besides its words and italics), readable on light and dark
_OPEN_COLOUR = QColor("#1f6feb")


class Column(NamedTuple):
    key: SortColumn
    title: str
    tip: str
    sample: str  # the widest value it usually shows, for its width


COLUMNS: tuple[Column, ...] = (
    # the date's sample is a wide day in the user's locale (ui/dates.py), measured when shown
    Column(SortColumn.DATE, "Date", "The day of the ask", ""),
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
            return day_text(record.attempted_on)
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
        return outcome_text(record)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


