"""The entries list's model: a table over the journal's entries, read a page at a time.

Sorting and filtering happen in SQL, a page at a time (``services/entry_pages.py``): the
count and the first page of a new order take a few ms at 100,000 entries (indexes of schema
3.5), read on a worker thread while the list keeps showing the old order.  Only a window of
rows is kept.  A save still changes one row (:meth:`AttemptTableModel.apply_change`): the row
moves to its sorted place, or leaves the list if the filter no longer admits it.  The view is
:mod:`rejection_journal.ui.entries`, its filters :mod:`rejection_journal.ui.filter_bar`.
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
from rejection_journal.services.entry_pages import entry_count, entry_page, entry_position
from rejection_journal.ui.dates import day_text

UUID_ROLE = Qt.ItemDataRole.UserRole
PAGE = 200
#: the rows kept read at most (the pages around what was shown last)
WINDOW = PAGE * 10
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
    #: generation, (count, first page) (None on failure), the exception (or None)
    done = Signal(int, object, object)


class _OrderJob(QRunnable):
    """Asks storage for the new list's count and first page on a pool thread, with its own
    connection."""

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
                count = entry_count(self._service, self._filter)
                first = entry_page(self._service, self._sort, self._filter, 0, PAGE)
        except Exception as exc:  # handed to the GUI thread, which decides
            self._signals.done.emit(self._generation, None, exc)
        else:
            self._signals.done.emit(self._generation, (count, first), None)


class AttemptTableModel(QAbstractTableModel):
    """Rows are attempts in the chosen order (newest first unless the user sorts), limited by
    the chosen filter.  The row count comes from ``COUNT(*)``; rows are read a page at a time
    when first shown (Anki's browser does the same), and only a window of pages around what
    was last shown is kept (:data:`WINDOW` rows), never every entry.

    A save changes one row (:meth:`apply_change`), never the whole model.  A new order or
    filter (:meth:`request_order`) is read off the GUI thread; ``orderApplied`` says when
    it is shown.
    """

    COLUMNS = tuple(column.title for column in COLUMNS)
    #: a new order or filter is shown (the rows were reset)
    orderApplied = Signal()

    def __init__(self, service: JournalService, parent: QObject | None = None, *,
                 order: EntrySort = DEFAULT_SORT) -> None:
        super().__init__(parent)
        self._service = service
        self._count = 0
        self._rows: dict[int, str] = {}  # the window: row -> UUID, for the rows read
        self._row_of: dict[str, int] = {}  # the same the other way round
        self._cache: dict[str, AttemptRecord] = {}  # the window's records
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
        """Load the list afresh in the current order, at once (on this thread): its count;
        rows are read when shown."""
        self._generation += 1  # whatever was being computed is out of date
        self._wanted = None
        self._load_challenges()
        self._install(entry_count(self._service, self.filter), [])

    def request_order(self, sort: EntrySort, flt: EntryFilter) -> None:
        """Show the entries ``flt`` admits in ``sort``'s order, read on a worker thread;
        until it arrives the list shows the old order (and keeps up with saves)."""
        self._generation += 1
        self._wanted = (sort, flt)
        self._touched.clear()
        self._reset_while_waiting = False
        self._pool.start(_OrderJob(self._service, self._generation, sort, flt, self._signals))

    def _order_ready(self, generation: int, result: tuple[int, list[AttemptRecord]] | None,
                     error: BaseException | None) -> None:
        if generation != self._generation or self._wanted is None:
            return  # a newer request (or a reload) replaced this one
        sort, flt = self._wanted
        self._wanted = None
        if error is not None:
            if isinstance(error, StorageError):
                return  # the journal closed (a restore): keep what is shown
            raise error
        assert result is not None
        self.order, self.filter = sort, flt
        if self._reset_while_waiting:
            self.reload()
        else:
            self._install(*result)
            touched, self._touched = self._touched, set()
            if touched:  # saved while the new order was computed: put them in place
                self.apply_change(Change(changed=tuple(touched)))
        self.orderApplied.emit()

    def _install(self, count: int, first: list[AttemptRecord]) -> None:
        self.beginResetModel()
        self._count = count
        self._forget()
        self._store(0, first)
        self.endResetModel()

    def _forget(self) -> None:
        self._rows.clear()
        self._row_of.clear()
        self._cache.clear()

    def _store(self, start: int, records: list[AttemptRecord]) -> None:
        for row, record in enumerate(records, start):
            old = self._rows.get(row)
            if old is not None and old != record.uuid:
                self._row_of.pop(old, None)
                self._cache.pop(old, None)
            elsewhere = self._row_of.get(record.uuid)
            if elsewhere is not None and elsewhere != row:
                del self._rows[elsewhere]
            self._rows[row] = record.uuid
            self._row_of[record.uuid] = row
            self._cache[record.uuid] = record

    def _load_challenges(self) -> None:
        self._challenges = {c.uuid: c for c in self._service.challenges(include_archived=True)}

    def challenge_of(self, record: AttemptRecord) -> ChallengeRecord | None:
        return self._challenges.get(record.challenge_uuid or "")

    # -- change events -----------------------------------------------------------------------
    def apply_change(self, change: Change) -> None:
        """Update the rows ``change`` touched: insert, remove, move or refresh one row each.

        An entry outside the window that may have moved (its old row is not known here) makes
        the list load afresh; the view keeps its selection by UUID."""
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
            elif self._count:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self._count - 1, len(COLUMNS) - 1))
            return
        if change.everything:
            if self._wanted is not None:
                self._reset_while_waiting = True
            self.reload()
            return
        if self._wanted is not None:
            self._touched.update(change.added, change.changed)
            self._touched.difference_update(change.removed)
        touched = [*change.changed, *(u for u in change.added if u not in change.changed)]
        if len(touched) + len(change.removed) != 1 or not self._apply_one(change, touched):
            # several entries at once, or one outside the window that may have moved, come
            # or gone (its old row is not known here): read the list afresh
            self._install(entry_count(self._service, self.filter), [])

    def _apply_one(self, change: Change, touched: list[str]) -> bool:
        """Show the change of one entry as one row inserted, removed, moved or refreshed;
        False if that cannot be told here (its old row is outside the window)."""
        uuid = (touched or list(change.removed))[0]
        row = self._row_of.get(uuid, -1)
        if not touched:
            if row >= 0:
                self._remove(row)
                return True
            return self._was_not_listed(uuid, now_listed=False)
        record = self._service.attempts_by_uuid(touched).get(uuid)
        admitted = record is not None and (self.filter.is_empty or bool(
            self._service.attempt_uuids_sorted(self.order, self.filter, among=[uuid])))
        if row < 0 and uuid not in change.added and not self._was_not_listed(
                uuid, now_listed=admitted):
            return False  # it was listed outside the window: where, is not known here
        if record is None or not admitted:
            if row >= 0:
                self._remove(row)
            return True
        if row >= 0 and self._in_place(row, record):
            self._cache[uuid] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return True
        new_row = entry_position(self._service, self.order, self.filter, uuid)
        if new_row is None:  # gone meanwhile
            return False
        if row < 0:
            self._insert(new_row, record)
        else:
            self._move(row, new_row, record)
        return True

    def _was_not_listed(self, uuid: str, now_listed: bool) -> bool:
        """For one changed entry outside the window: was it not listed before the change?
        The count tells (one more now if it came in, the same if it stays out)."""
        return entry_count(self._service, self.filter) == self._count + (1 if now_listed else 0)

    def _key(self, record: AttemptRecord) -> tuple[Any, ...]:
        return sort_key(self.order, record, self.challenge_of(record))

    def _in_place(self, row: int, record: AttemptRecord) -> bool:
        """Is ``record`` (now at ``row``) still between its neighbours in the order?"""
        key = self._key(record)
        above = self._cached(row - 1) if row > 0 else None
        below = self._cached(row + 1) if row + 1 < self._count else None
        if (row > 0 and above is None) or (row + 1 < self._count and below is None):
            return False  # a neighbour outside the window: storage says where it goes
        return ((above is None or self._key(above) < key)
                and (below is None or key < self._key(below)))

    def _cached(self, row: int) -> AttemptRecord | None:
        uuid = self._rows.get(row)
        return None if uuid is None else self._cache.get(uuid)

    def _shift(self, first: int, by: int) -> None:
        """Rows from ``first`` on move down ``by`` (up when negative)."""
        moved = {row: uuid for row, uuid in self._rows.items() if row >= first}
        for row in moved:
            del self._rows[row]
        for row, uuid in moved.items():
            self._rows[row + by] = uuid
            self._row_of[uuid] = row + by

    def _take(self, row: int) -> None:
        uuid = self._rows.pop(row)
        del self._row_of[uuid]
        self._cache.pop(uuid, None)
        self._shift(row + 1, -1)

    def _remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        self._take(row)
        self._count -= 1
        self.endRemoveRows()

    def _move(self, row: int, new_row: int, record: AttemptRecord) -> None:
        """``record`` moves from ``row`` to ``new_row`` (its row once moved)."""
        if new_row == row:
            self._cache[record.uuid] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(),
                           new_row + 1 if new_row > row else new_row)
        self._take(row)
        self._shift(new_row, 1)
        self._store(new_row, [record])
        self.endMoveRows()

    def _insert(self, row: int, record: AttemptRecord) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._shift(row, 1)
        self._count += 1
        self._store(row, [record])
        self.endInsertRows()

    # -- lookups ---------------------------------------------------------------------------
    def uuid_at(self, row: int) -> str:
        record = self.record_at(row)
        if record is None:
            raise IndexError(row)
        return record.uuid

    def row_of(self, uuid: str) -> int:
        """The row of entry ``uuid``, or -1 if the list does not show it (asked of storage
        when it is outside the window)."""
        row = self._row_of.get(uuid)
        if row is not None:
            return row
        found = entry_position(self._service, self.order, self.filter, uuid)
        return -1 if found is None or found >= self._count else found

    def record_at(self, row: int) -> AttemptRecord | None:
        uuid = self._rows.get(row)
        if uuid is None:
            if not 0 <= row < self._count:
                return None
            self._load_page(row)
            uuid = self._rows.get(row)
        return None if uuid is None else self._cache.get(uuid)

    def _load_page(self, row: int) -> None:
        """Read the page holding ``row``; keep at most :data:`WINDOW` rows, the nearest."""
        start = (row // PAGE) * PAGE
        self._store(start, entry_page(self._service, self.order, self.filter, start, PAGE))
        if len(self._rows) > WINDOW:
            far = sorted(self._rows, key=lambda r: abs(r - row))[WINDOW - PAGE:]
            for gone in far:
                uuid = self._rows.pop(gone)
                self._row_of.pop(uuid, None)
                self._cache.pop(uuid, None)

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

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
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        if role == UUID_ROLE:
            record = self.record_at(index.row())
            return None if record is None else record.uuid
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


