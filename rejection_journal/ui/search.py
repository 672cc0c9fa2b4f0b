"""The search box and its ranked hits: find anything you wrote, and open it with Enter.

Typing searches (after a short pause: a debounce timer), the hits take the entries list's
place, each showing its date, ask and a snippet with the search words in bold.  Up/Down move
through them, Enter opens one (``hitActivated(uuid)``), Esc clears the search and gives the
list back.  The service does the searching; this only draws (HTML-escaped user text).
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
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
from rejection_journal.domain.search import MARK_END, MARK_START, SearchHit
from rejection_journal.services import Change, JournalService, StorageError
from rejection_journal.ui.changes import ChangeSignals

#: how long typing must pause before the search runs
DEBOUNCE_MS = 200
#: hits shown at once (the best ones)
PAGE = 50
PLACEHOLDER = "Search your entries (Ctrl+F)"
HIT_ROLE = Qt.ItemDataRole.UserRole
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

_MARK_CSS = "b { background-color: #ffe58a; color: #1f1a00; }"
_MUTED_CSS = "span.muted { color: #6b7280; }"


def marked_html(marked: str) -> str:
    """``marked`` text as HTML: the user's words escaped, the matched ones in ``<b>``."""
    escaped = html.escape(marked, quote=False)
    return escaped.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def hit_html(hit: SearchHit) -> str:
    """One hit as the list shows it: date and outcome, the ask, and the matching snippet."""
    outcome = hit.outcome.label if hit.outcome else "Open"
    head = (f'<span class="muted">{hit.attempted_on:%a %d %b %Y} · '
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
            text = f"{hit.attempted_on.isoformat()}: {hit.ask}{snippet}"
            return text.replace(MARK_START, "").replace(MARK_END, "")
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit's HTML (a QTextDocument), so the search words show in bold."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        doc.setDefaultStyleSheet(_MARK_CSS + ("" if selected else _MUTED_CSS))
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
        self.field.setClearButtonEnabled(True)
        self.field.setAccessibleName("Search your entries")
        self.message = QLabel()
        self.message.setObjectName("searchMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("QLabel#searchMessage { color: palette(placeholder-text);"
                                   " padding: 2px 4px; }")
        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setObjectName("searchResults")
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

    def run_search(self) -> None:
        """Search for what the field holds now (the debounce timer calls this)."""
        self.timer.stop()
        text = self.field.text()
        if not text.strip():
            self.model.set_hits([])
            self._show_results(False)
            self.resultsShown.emit(0)
            return
        self._show_results(True)
        try:
            hits = self._service.search(text, limit=PAGE)
            total = self._service.search_count(text) if len(hits) == PAGE else len(hits)
        except StorageError as exc:
            self.model.set_hits([])
            self.message.setText(str(exc))
            self.resultsShown.emit(0)
            return
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

    def focus_field(self) -> None:
        """Ctrl+F: put the cursor in the search box, its text selected to type over."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def clear(self) -> None:
        """Esc: forget the search and give the entries list back (with the focus)."""
        self.timer.stop()
        self.field.clear()
        self.timer.stop()
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
