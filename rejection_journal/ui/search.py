"""The search box and its ranked hits: find anything you wrote, and open it with Enter.

Typing searches (after a short pause: a debounce timer), the hits take the entries list's
place, each showing its date, ask and a snippet with the search words in bold.  Up/Down move
through them, Enter opens one (``hitActivated(uuid)``), Esc clears the search and gives the
list back.  The service does the searching; this only draws (HTML-escaped user text).

The search runs on a worker thread with its own connection (as the entries list sorts), so
the window never waits for it: a newer search or Esc cancels the one running (SQLite stops
it part way), and a search too long to be useful is refused at once with a plain line.
"""

from __future__ import annotations

import html
import threading

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.labels import label
from rejection_journal.domain.search import MARK_END, MARK_START, SearchHit, too_long
from rejection_journal.services import Change, JournalService, StorageError
from rejection_journal.ui.appearance import set_palette_style, tones
from rejection_journal.ui.changes import ChangeSignals
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.form_widgets import with_clear_button

#: how long typing must pause before the search runs
DEBOUNCE_MS = 200
#: hits shown at once (the best ones)
PAGE = 50
#: a search still running after this long says so
SEARCHING_NOTE_MS = 300
PLACEHOLDER = "Search your entries (Ctrl+F)"
HIT_ROLE = Qt.ItemDataRole.UserRole
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

_MARK_CSS = "b { background-color: #ffe58a; color: #1f1a00; }"
_MUTED_CSS = "span.muted {{ color: {muted}; }}"


def marked_html(marked: str) -> str:
    """``marked`` text as HTML: the user's words escaped, the matched ones in ``<b>``."""
    escaped = html.escape(marked, quote=False)
    return escaped.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def hit_html(hit: SearchHit) -> str:
    """One hit as the list shows it: date and outcome, the ask, and the matching snippet."""
    outcome = hit.outcome.label if hit.outcome else "Open"
    head = (f'<span class="muted">{day_text(hit.attempted_on)} · '
            f"{html.escape(outcome)}</span><br>{marked_html(hit.ask)}")
    if hit.field == "ask":
        return head
    return (f'{head}<br><span class="muted">{html.escape(label(hit.field))}:</span> '
            f"{marked_html(hit.snippet)}")


class SearchResultsModel(QAbstractListModel):
    """The hits of one search, best first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HIT_ROLE:
            return hit
        if role == HTML_ROLE:
            return hit_html(hit)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            snippet = "" if hit.field == "ask" else f" — {hit.snippet}"
            text = f"{day_text(hit.attempted_on)}: {hit.ask}{snippet}"
            return text.replace(MARK_START, "").replace(MARK_END, "")
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's HTML (a QTextDocument), so the search words show in bold."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        doc.setDefaultStyleSheet(_MARK_CSS + ("" if selected else _MUTED_CSS.format(**tones())))
        doc.setDocumentMargin(4)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter,
                              widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = (QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        context.palette.setColor(QPalette.ColorRole.Text,
                                 option.palette.color(role))
        rect = option.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class _SearchSignals(QObject):
    #: generation, the hits (None on failure), how many in all, the exception (or None)
    done = Signal(int, object, int, object)


class _SearchJob(QRunnable):
    """One search on a pool thread, with its own connection; stops when ``cancel`` is set."""

    def __init__(self, service: JournalService, generation: int, text: str,
                 cancel: threading.Event, signals: _SearchSignals) -> None:
        super().__init__()
        self._service = service
        self._generation = generation
        self._text = text
        self._cancel = cancel
        self._signals = signals

    def run(self) -> None:
        if self._cancel.is_set():
            return  # a newer search came before this one started
        try:
            with self._service.worker_connection():
                hits = self._service.search(self._text, limit=PAGE,
                                            cancelled=self._cancel.is_set)
                total = (self._service.search_count(self._text, cancelled=self._cancel.is_set)
                         if len(hits) == PAGE else len(hits))
        except Exception as exc:  # handed to the GUI thread, which decides
            self._signals.done.emit(self._generation, None, 0, exc)
        else:
            self._signals.done.emit(self._generation, hits, total, None)


class _SearchField(QLineEdit):
    """The search box: Up/Down/Enter/Esc act on the hits."""

    navigate = Signal(int)
    accepted = Signal()
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.navigate.emit(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accepted.emit()
        elif key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(event)


class SearchPane(QWidget):
    """The search field and, while it holds words, the ranked hits in place of ``covers``
    (the entries list), which comes back when the search is cleared."""

    #: Enter (or a double-click) on a hit: open this entry
    hitActivated = Signal(str)
    #: the hits (or the message saying there are none) are on screen: how many hits
    resultsShown = Signal(int)
    #: Esc: the search was cleared and the entries list is back
    cleared = Signal()

    def __init__(self, service: JournalService, covers: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPane")
        self._service = service
        self._covers = covers
        self.field = _SearchField()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        with_clear_button(self.field)
        self.field.setAccessibleName("Search your entries")
        self.message = QLabel()
        self.message.setObjectName("searchMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        set_palette_style(self.message, "QLabel#searchMessage { color: palette(placeholder-text);"
                          " padding: 2px 4px; }")
        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setUniformItemSizes(False)
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.field)
        layout.addWidget(self.message)
        layout.addWidget(self.results, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        # Searches: the pool is made before the signals, so it is destroyed first and waits
        # for a running job (cancelled first, see clear()) before the object it reports to.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _SearchSignals(self)
        self._signals.done.connect(self._search_done)
        self._generation = 0
        self._cancel = threading.Event()
        self._pending_text: str | None = None
        self._open_when_found = False
        self._searching_note = QTimer(self)
        self._searching_note.setSingleShot(True)
        self._searching_note.setInterval(SEARCHING_NOTE_MS)
        self._searching_note.timeout.connect(
            lambda: self.message.setText("Searching…") if self.is_searching else None)
        self._changes = ChangeSignals(service.changes, self)
        self._show_results(False)

        self.field.textChanged.connect(lambda _text: self.timer.start())
        self.timer.timeout.connect(self.run_search)
        self.field.navigate.connect(self._move)
        self.field.accepted.connect(self._activate_current)
        self.field.cancelled.connect(self.clear)
        self.results.activated.connect(self._activate)
        self._changes.changed.connect(self._on_change)

    # -- what it shows ---------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """The hits are shown in place of the entries list."""
        return not self.results.isHidden() or not self.message.isHidden()

    def _show_results(self, shown: bool) -> None:
        was_shown = not self.results.isHidden()
        splitter = self.parentWidget()
        sizes = splitter.sizes() if isinstance(splitter, QSplitter) else []
        self.results.setVisible(shown)
        self.message.setVisible(shown)
        if self._covers is not None:
            self._covers.setVisible(not shown)
        # Idle, the pane is just the field: it must not take the list's room in a splitter.
        self.setMaximumHeight(16777215 if shown else self.field.sizeHint().height())
        if isinstance(splitter, QSplitter) and self._covers is not None and shown != was_shown:
            # The hits take the list's room, and give it back.
            mine, theirs = splitter.indexOf(self), splitter.indexOf(self._covers)
            if mine >= 0 and theirs >= 0:
                field = self.field.sizeHint().height()
                if shown:
                    sizes[mine], sizes[theirs] = sizes[mine] + sizes[theirs], 0
                else:
                    sizes[mine], sizes[theirs] = field, max(sizes[mine] - field, field)
                splitter.setSizes(sizes)

    @property
    def is_searching(self) -> bool:
        """A search is running on the worker thread (its hits are not shown yet)."""
        return self._pending_text is not None

    def _cancel_running(self) -> None:
        """Forget the search running, if any: it stops part way and its hits never show."""
        self._generation += 1
        self._cancel.set()
        self._pending_text = None
        self._open_when_found = False
        self._searching_note.stop()

    def run_search(self) -> None:
        """Search for what the field holds now (the debounce timer calls this).  The search
        runs on a worker thread; ``resultsShown`` says when its hits are on screen."""
        self.timer.stop()
        self._cancel_running()
        text = self.field.text()
        if not text.strip():
            self.model.set_hits([])
            self._show_results(False)
            self.resultsShown.emit(0)
            return
        self._show_results(True)
        refused = too_long(text)
        if refused is not None:
            self.model.set_hits([])
            self.message.setText(refused)
            self.resultsShown.emit(0)
            return
        self._cancel = threading.Event()
        self._pending_text = text
        self._searching_note.start()
        self._pool.start(_SearchJob(self._service, self._generation, text, self._cancel,
                                    self._signals))

    def wait_for_search(self, msecs: int = 30_000) -> bool:
        """Block until the search job is done (for shutdown); its result still arrives as an
        event."""
        return self._pool.waitForDone(msecs)

    def _search_done(self, generation: int, hits: list[SearchHit] | None, total: int,
                     error: BaseException | None) -> None:
        text = self._pending_text
        if generation != self._generation or text is None:
            return  # a newer search (or Esc) replaced this one
        self._pending_text = None
        self._searching_note.stop()
        open_first, self._open_when_found = self._open_when_found, False
        if error is not None:
            if not isinstance(error, StorageError):
                raise error
            self.model.set_hits([])
            self.message.setText(str(error))
            self.resultsShown.emit(0)
            return
        assert hits is not None
        self.model.set_hits(hits)
        shown = " ".join(text.split())
        if not hits:
            self.message.setText(f"Nothing found for “{shown}”")
        elif total > len(hits):
            self.message.setText(f"The best {len(hits)} of {total:,} entries — add words to "
                                 "narrow it down. Enter opens one, Esc goes back.")
        else:
            self.message.setText(f"{total} entr{'y' if total == 1 else 'ies'} found. "
                                 "Enter opens one, Esc goes back.")
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.resultsShown.emit(len(hits))
        if open_first and hits:
            self._activate(self.model.index(0, 0))

    def focus_field(self) -> None:
        """Ctrl+F: put the cursor in the search box, its text selected to type over."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        """Esc: forget the search (stopping one still running) and give the entries list
        back (with the focus)."""
        self.timer.stop()
        self.field.clear()
        self.timer.stop()
        self._cancel_running()
        self.model.set_hits([])
        self._show_results(False)
        if self._covers is not None:
            self._covers.setFocus(Qt.FocusReason.OtherFocusReason)
        self.cleared.emit()

    def _on_change(self, _change: Change) -> None:
        if self.active and self.field.text().strip():
            self.timer.start()  # an entry changed: the hits may have too

    # -- moving and opening ----------------------------------------------------------------
    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        row = self.results.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + step))
        self.results.setCurrentIndex(self.model.index(row, 0))

    def _activate_current(self) -> None:
        if self.timer.isActive():
            self.run_search()  # Enter before the pause ended: search first
        if self.is_searching:
            self._open_when_found = True  # the best hit opens when it is found
            return
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._activate(index)

    def _activate(self, index: Index) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.hitActivated.emit(hit.uuid)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.results and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activate_current()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.clear()
                return True
        return super().eventFilter(watched, event)
