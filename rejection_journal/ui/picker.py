"""Challenge picker pane: find a challenge (category, level range, search as you type), see how
often you have done each one, take today's challenge or draw a card, keep your own challenges,
and start an attempt.

The rules (today's challenge, drawing, search, near-duplicates) live in
:mod:`rejection_journal.domain.picker`; this pane only shows them.  It reloads the list when a
challenge changes and, when an entry changes, refreshes the counts with one grouped query.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import replace
from datetime import date
from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.enums import Category
from rejection_journal.domain.guidance import IS_THIS_FOR_ME_HTML, IS_THIS_FOR_ME_TITLE
from rejection_journal.domain.picker import filter_challenges
from rejection_journal.domain.records import LEVEL_MAX, LEVEL_MIN, ChallengeRecord
from rejection_journal.services import Change, Entity, JournalService, StorageError
from rejection_journal.ui.appearance import set_palette_style
from rejection_journal.ui.dates import day_text
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.form_widgets import with_clear_button

UUID_ROLE = Qt.ItemDataRole.UserRole
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 2
#: search waits this long after the last key before filtering
SEARCH_DELAY_MS = 150
#: "Draw a card" avoids the cards it drew this recently
DRAWN_REMEMBERED = 5


def usage_text(usage: tuple[int, date] | None, today: date) -> str:
    """How often and when last: "done 3× · last Thu 12 Nov 2026", the day as everywhere
    (ui/dates.py); never yet: "not tried yet"."""
    if usage is None:
        return "not tried yet"
    count, last = usage
    when = "today" if last == today else day_text(last)
    return f"done {count}× · last {when}"


def level_range_text(low: int, high: int) -> str:
    return f"level {low}" if low == high else f"levels {low}–{high}"


def empty_state(query: str, category: Category | None, low: int, high: int,
                ) -> tuple[str, str, str]:
    """What to say when no challenge is shown, and how to fix it: (message, the filter to
    clear — "search", "levels", "category" or "archived" —, the button's text)."""
    where = []
    if category is not None:
        where.append(f"in {category.label}")
    if (low, high) != (LEVEL_MIN, LEVEL_MAX):
        where.append(f"at {level_range_text(low, high)}")
    place = (" " + " ".join(where)) if where else ""
    if query.strip():
        shown = query.strip()
        if len(shown) > 40:
            shown = shown[:39] + "…"
        return (f"No challenges match “{shown}”{place}.", "search", "Clear the search")
    if (low, high) != (LEVEL_MIN, LEVEL_MAX):
        return (f"No challenges{place} yet.", "levels", "Show all levels")
    if category is not None:
        return (f"No challenges{place} yet.", "category", "Show all categories")
    return ("Every challenge is archived for now.", "archived", "Show archived")


class ChallengeDelegate(QStyledItemDelegate):
    """Two lines per challenge, each elided to the pane's width: the title, and a quieter
    line with level, category and how often you have done it."""

    def _small_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        return small

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        font = option.font
        height = QFontMetrics(font).height() + QFontMetrics(self._small_font(font)).height()
        return QSize(10, height + 10)  # no width of its own: rows take the pane's width

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(8, 4, -8, -4)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        font = QFont(opt.font)
        archived = bool(index.data(ARCHIVED_ROLE))
        font.setItalic(archived)
        small = self._small_font(font)
        metrics, small_metrics = QFontMetrics(font), QFontMetrics(small)
        painter.save()
        try:
            painter.setFont(font)
            painter.setPen(palette.color(text_role))
            top = rect.top() + metrics.ascent()
            painter.drawText(rect.left(), top,
                             metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()))
            painter.setFont(small)
            if not selected:
                quiet = palette.color(QPalette.ColorRole.Text)
                quiet.setAlphaF(0.68)
                painter.setPen(quiet)
            subtitle = str(index.data(SUBTITLE_ROLE) or "")
            painter.drawText(rect.left(), top + metrics.descent() + small_metrics.ascent() + 2,
                             small_metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight,
                                                      rect.width()))
        finally:
            painter.restore()


class ChallengePicker(QWidget):
    """Lists challenges; ``challengeStarted`` carries the chosen :class:`ChallengeRecord`.

    ``message`` carries a short note for the status bar (what was drawn, a filter cleared).
    """

    challengeStarted = Signal(object)
    freeFormRequested = Signal()
    message = Signal(str)

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None, rng: random.Random | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("challengePicker")
        self._service = service
        self._dialogs = dialogs or Dialogs(self)
        self._rng = rng or random.Random()
        self._all: dict[str, ChallengeRecord] = {}
        self._usage: dict[str, tuple[int, date]] = {}
        self._shown: list[ChallengeRecord] = []
        self._drawn: deque[str] = deque(maxlen=DRAWN_REMEMBERED)
        self._today: ChallengeRecord | None = None
        self._note = ""
        self._read_only = service.read_only_reason is not None

        heading = QLabel("<b>Challenges</b>")
        self.guidance_button = QPushButton("Do's && don'ts")
        self.guidance_button.setFlat(True)
        self.guidance_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.guidance_button.setToolTip("How to ask respectfully, and when to pause")
        set_palette_style(self.guidance_button,
                          "QPushButton { color: palette(link); padding: 2px; }")
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.guidance_button)

        # Today's challenge: a small card.
        self.today_card = QFrame()
        self.today_card.setObjectName("todayCard")
        self.today_card.setFrameShape(QFrame.Shape.StyledPanel)
        set_palette_style(self.today_card, "QFrame#todayCard { background: "
                          "palette(alternate-base); border-radius: 6px; }")
        self.today_heading = QLabel("Today's challenge")
        heading_font = self.today_heading.font()
        heading_font.setBold(True)
        self.today_heading.setFont(heading_font)
        self.today_title = QLabel()
        self.today_title.setWordWrap(True)
        self.today_title.setObjectName("todayTitle")
        self.today_title.setTextFormat(Qt.TextFormat.RichText)
        self.today_button = QPushButton("Take it")
        self.today_button.setToolTip("Select today's challenge in the list")
        self.draw_button = QPushButton("Draw a card")
        self.draw_button.setToolTip("A random challenge within the filters, not one you did "
                                    "recently")
        card = QVBoxLayout(self.today_card)
        card.setContentsMargins(8, 6, 8, 6)
        card.setSpacing(4)
        card.addWidget(self.today_heading)
        card.addWidget(self.today_title)
        card_buttons = QHBoxLayout()
        card_buttons.addWidget(self.today_button)
        card_buttons.addWidget(self.draw_button)
        card.addLayout(card_buttons)

        # Filters.
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.addItem("All categories", None)
        for category in Category:
            self.category.addItem(category.label, category.value)
        self.min_level = QSpinBox()
        self.max_level = QSpinBox()
        for spin, name in ((self.min_level, "Lowest level"), (self.max_level, "Highest level")):
            spin.setRange(LEVEL_MIN, LEVEL_MAX)
            spin.setAccessibleName(name)
            spin.setKeyboardTracking(False)
        self.min_level.setValue(LEVEL_MIN)
        self.max_level.setValue(LEVEL_MAX)
        levels_label = QLabel("Levels")
        levels_label.setBuddy(self.min_level)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search challenges")
        self.search.setPlaceholderText("Search titles and how-tos")
        with_clear_button(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setToolTip("List the challenges you archived, to bring one back")

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.category, 0, 0, 1, 5)
        filters.addWidget(levels_label, 1, 0)
        filters.addWidget(self.min_level, 1, 1)
        filters.addWidget(QLabel("to"), 1, 2)
        filters.addWidget(self.max_level, 1, 3)
        filters.setColumnStretch(4, 1)
        filters.addWidget(self.search, 2, 0, 1, 5)

        # The list, or what to do when it is empty.
        self.list = QListWidget()
        self.list.setAccessibleName("Challenge list")
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setItemDelegate(ChallengeDelegate(self.list))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("pickerEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton("Clear the filter")  # each empty state says which
        self.clear_all_button = QPushButton("Clear all filters")
        self.clear_all_button.setFlat(True)
        self.clear_all_button.setCursor(Qt.CursorShape.PointingHandCursor)
        set_palette_style(self.clear_all_button, "QPushButton { color: palette(link); }")
        self._empty_fix = ""
        self.empty = QWidget()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(self.clear_all_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        self.details = QTextBrowser()
        self.details.setAccessibleName("About this challenge")
        self.details.setOpenExternalLinks(False)
        self.details.setMinimumHeight(110)

        # Your own challenges.
        self.new_action = QAction("&New challenge…", self)
        self.new_action.setStatusTip("Write a challenge of your own")
        self.edit_action = QAction("&Edit challenge…", self)
        self.archive_action = QAction("&Archive", self)
        for action in (self.new_action, self.edit_action, self.archive_action):
            self.list.addAction(action)
        self.mine_button = QToolButton()
        self.mine_button.setText("My challenges")
        self.mine_button.setToolTip("Add, edit or archive challenges")
        self.mine_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        mine_menu = QMenu(self.mine_button)
        mine_menu.addAction(self.new_action)
        mine_menu.addAction(self.edit_action)
        mine_menu.addAction(self.archive_action)
        self.mine_button.setMenu(mine_menu)
        mine_row = QHBoxLayout()
        mine_row.addWidget(self.mine_button)
        mine_row.addStretch(1)
        mine_row.addWidget(self.show_archived)

        self.start_button = QPushButton("&Start this challenge")
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Fill a new entry with this challenge (Enter)")
        self.free_button = QPushButton("Free-form ask…")
        self.free_button.setToolTip("Start an entry for an ask that is not in the list")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 1)
        buttons.addWidget(self.free_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.today_card)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 5)
        layout.addLayout(mine_row)
        layout.addWidget(self.details, 2)
        layout.addLayout(buttons)

        self.category.currentIndexChanged.connect(self._refilter)
        self.min_level.valueChanged.connect(self._min_changed)
        self.max_level.valueChanged.connect(self._max_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._refilter)
        self.search.returnPressed.connect(self._search_now)
        self.show_archived.toggled.connect(self._refilter)
        self.clear_button.clicked.connect(self._clear_empty_filter)
        self.clear_all_button.clicked.connect(self.clear_filters)
        self.list.currentItemChanged.connect(self._show_details)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.start_button.clicked.connect(self._start)
        self.free_button.clicked.connect(self.freeFormRequested)
        self.today_button.clicked.connect(self.take_today)
        self.draw_button.clicked.connect(self.draw)
        self.guidance_button.clicked.connect(self.show_guidance)
        self.new_action.triggered.connect(lambda: self.add_challenge())
        self.edit_action.triggered.connect(self.edit_current)
        self.archive_action.triggered.connect(self.toggle_archived)
        if self._read_only:
            for action in (self.new_action, self.edit_action, self.archive_action):
                action.setVisible(False)
            self.mine_button.setEnabled(False)
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the challenges and their counts afresh, keeping the filters and selection."""
        self._all = {c.uuid: c for c in self._service.challenges(include_archived=True)}
        self._usage = self._service.challenge_usage()
        self._update_today()
        self._refilter()

    def apply_change(self, change: Change) -> None:
        """Challenges changed: reload the list.  Otherwise refresh what the service says
        changed: the counts, today's challenge (another rung now, or a new day's pick)."""
        if change.touches(Entity.CHALLENGE):  # (and everything: an import, a restore)
            self.reload()
            return
        if change.touches(Entity.USAGE):
            self.refresh_usage()
        if change.touches(Entity.TODAY):
            self._update_today()

    def refresh_usage(self) -> None:
        """Re-read how often each challenge was done (one query) and update the rows shown."""
        self._usage = self._service.challenge_usage()
        for row in range(self.list.count()):
            item = self.list.item(row)
            challenge = self._all.get(item.data(UUID_ROLE))
            if challenge is not None:
                item.setData(SUBTITLE_ROLE, self._subtitle(challenge))
        self._show_details(None)

    def _update_today(self) -> None:
        day = self._service.today()
        try:
            self._today = self._service.todays_challenge(day, self._service.current_rung())
        except StorageError:
            self._today = None
        if self._today is None:
            self.today_title.setText("Nothing to suggest: every challenge is archived.")
            self.today_button.setEnabled(False)
            return
        today = self._today
        self.today_title.setText(
            f"{escape(today.title, quote=False)}<br><span style='font-size: small;'>"
            f"Level {today.level} · {escape(today.category.label, quote=False)}</span>")
        self.today_title.setToolTip(today.how_to)
        self.today_button.setEnabled(True)

    @property
    def todays_challenge(self) -> ChallengeRecord | None:
        return self._today

    def _filters(self) -> tuple[str, Category | None, int, int]:
        value = self.category.currentData()
        category = Category(value) if value else None
        return self.search.text(), category, self.min_level.value(), self.max_level.value()

    def _subtitle(self, challenge: ChallengeRecord) -> str:
        parts = [f"Level {challenge.level}", challenge.category.label,
                 usage_text(self._usage.get(challenge.uuid), self._service.today())]
        if challenge.is_custom:
            parts.insert(0, "Yours")
        if challenge.archived:
            parts.append("archived")
        return " · ".join(parts)

    def _refilter(self) -> None:
        self._search_timer.stop()
        query, category, low, high = self._filters()
        current = self.current_challenge()
        self._shown = filter_challenges(
            self._all.values(), category=category.value if category else None,
            min_level=low, max_level=high, query=query,
            include_archived=self.show_archived.isChecked(),
        )
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for challenge in self._shown:
                item = QListWidgetItem(challenge.title)
                item.setData(UUID_ROLE, challenge.uuid)
                item.setData(SUBTITLE_ROLE, self._subtitle(challenge))
                item.setData(ARCHIVED_ROLE, challenge.archived)
                tip = f"{challenge.title}\n{challenge.how_to}" if challenge.how_to else \
                    challenge.title
                item.setToolTip(tip)
                self.list.addItem(item)
        finally:
            self.list.blockSignals(False)
        if self._shown:
            self.stack.setCurrentWidget(self.list)
            wanted = current.uuid if current is not None else None
            if wanted is None or not self.select_challenge(wanted):
                self.list.setCurrentRow(0)
        else:
            message, fix, button = empty_state(query, category, low, high)
            self.empty_label.setText(message)
            self.clear_button.setText(button)
            self._empty_fix = fix
            active = sum((bool(query.strip()), category is not None,
                          (low, high) != (LEVEL_MIN, LEVEL_MAX)))
            self.clear_all_button.setVisible(active > 1)
            self.stack.setCurrentWidget(self.empty)
        self._show_details(None)

    def _search_now(self) -> None:
        if self._search_timer.isActive():
            self._refilter()

    def _min_changed(self, value: int) -> None:
        if value > self.max_level.value():
            self.max_level.setValue(value)  # refilters
        else:
            self._refilter()

    def _max_changed(self, value: int) -> None:
        if value < self.min_level.value():
            self.min_level.setValue(value)
        else:
            self._refilter()

    # -- filters ---------------------------------------------------------------------------
    def set_filters(self, *, category: Category | None = None, min_level: int = LEVEL_MIN,
                    max_level: int = LEVEL_MAX, query: str = "") -> None:
        """Set every filter at once (one refilter, not one per control)."""
        for widget in (self.category, self.min_level, self.max_level, self.search):
            widget.blockSignals(True)
        try:
            self.category.setCurrentIndex(
                max(0, self.category.findData(category.value if category else None)))
            self.min_level.setValue(min_level)
            self.max_level.setValue(max_level)
            self.search.setText(query)
        finally:
            for widget in (self.category, self.min_level, self.max_level, self.search):
                widget.blockSignals(False)
        self._refilter()

    def filters_active(self) -> bool:
        query, category, low, high = self._filters()
        return bool(query.strip()) or category is not None or (low, high) != (LEVEL_MIN,
                                                                               LEVEL_MAX)

    def clear_filters(self) -> None:
        self.set_filters()

    def _clear_empty_filter(self) -> None:
        query, category, low, high = self._filters()
        if self._empty_fix == "search":
            self.set_filters(category=category, min_level=low, max_level=high)
        elif self._empty_fix == "levels":
            self.set_filters(category=category, query=query)
        elif self._empty_fix == "category":
            self.set_filters(min_level=low, max_level=high, query=query)
        else:
            self.show_archived.setChecked(True)
        self.list.setFocus()

    # -- selection -------------------------------------------------------------------------
    def current_challenge(self) -> ChallengeRecord | None:
        item = self.list.currentItem()
        return self._all.get(item.data(UUID_ROLE)) if item else None

    def visible_challenges(self) -> list[ChallengeRecord]:
        """The challenges the list shows now, in its order."""
        return list(self._shown)

    def select_challenge(self, uuid: str) -> bool:
        """Select ``uuid`` if the list shows it; False (nothing changes) if it does not."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(UUID_ROLE) == uuid:
                self.list.setCurrentRow(row)
                self.list.scrollToItem(item)
                return True
        return False

    def show_challenge(self, uuid: str | None, *, note: str = "") -> bool:
        """Select ``uuid``, clearing the filters (and showing archived ones) if they hide it,
        and say so.  ``None`` (a free-form ask) clears the selection.  False if there is no
        such challenge."""
        if uuid is None:
            self.list.setCurrentRow(-1)
            self._note = "The entry open in the editor is a free-form ask."
            self._show_details(None)
            return True
        challenge = self._all.get(uuid)
        if challenge is None:
            return False
        if self.select_challenge(uuid):
            return True
        said = []
        if challenge.archived and not self.show_archived.isChecked():
            self.show_archived.setChecked(True)
            said.append("showing archived challenges")
        if not self.select_challenge(uuid):
            self.clear_filters()
            said.insert(0, "cleared the filters")
            self.select_challenge(uuid)
        if said:
            self.message.emit(f"{note or 'To show it'}, the picker {' and '.join(said)}: "
                              f"“{challenge.title}”.")
        return True

    def take_today(self) -> None:
        if self._today is not None:
            self.show_challenge(self._today.uuid, note="To show today's challenge")
            self.list.setFocus()

    def draw(self) -> ChallengeRecord | None:
        """Draw a random card within the filters; selects it (None if the list is empty)."""
        try:
            card = self._service.draw_card(self._shown, self._rng, exclude=tuple(self._drawn))
        except StorageError as exc:
            self.message.emit(f"No card could be drawn: {exc}")
            return None
        if card is None:
            self.message.emit("No card to draw: no challenge matches the filters.")
            return None
        self._drawn.append(card.uuid)
        self.select_challenge(card.uuid)
        self.list.setFocus()
        self.message.emit(f"You drew “{card.title}” (level {card.level}).")
        return card

    def _show_details(self, _item: QListWidgetItem | None) -> None:
        challenge = self.current_challenge()
        self.start_button.setEnabled(challenge is not None and not challenge.archived)
        editable = challenge is not None and not self._read_only
        self.edit_action.setEnabled(editable and challenge is not None and challenge.is_custom)
        self.archive_action.setEnabled(editable)
        self.archive_action.setText("Bring &back" if challenge is not None and challenge.archived
                                    else "&Archive")
        if challenge is None:
            if self._note:
                text = f"<p>{escape(self._note)} Pick a challenge here to start another.</p>"
            elif not self._shown:
                text = "<p>Nothing to show here with these filters.</p>"
            else:
                text = "<p>Pick a challenge to see how to do it.</p>"
            self.details.setHtml(text)
            return
        self._note = ""
        usage = self._usage.get(challenge.uuid)
        if usage is None:
            done = "You haven't tried this one yet."
        else:
            count, last = usage
            times = "once" if count == 1 else f"{count} times"
            done = f"You've done this {times}, most recently on {day_text(last)}."
        whose = "Your own challenge" if challenge.is_custom else "From the library"
        respect = (f"<p><b>Respect:</b> {escape(challenge.respect_note)}</p>"
                   if challenge.respect_note.strip() else "")
        archived = ("<p><i>Archived: it stays out of the list, today's challenge and the "
                    "draw. Bring it back from “My challenges”.</i></p>"
                    if challenge.archived else "")
        self.details.setHtml(
            f"<h3>{escape(challenge.title)}</h3>"
            f"<p><i>{escape(challenge.category.label)} · level {challenge.level} of 10 · "
            f"{whose}</i></p>"
            f"{archived}"
            f"<p><b>How:</b> {escape(challenge.how_to) or '—'}</p>"
            f"{respect}"
            f"<p>{done}</p>"
        )

    def _start(self) -> None:
        challenge = self.current_challenge()
        if challenge is not None and not challenge.archived:
            self.challengeStarted.emit(challenge)

    # -- guidance and your own challenges --------------------------------------------------
    def show_guidance(self) -> None:
        self._dialogs.info(IS_THIS_FOR_ME_TITLE, IS_THIS_FOR_ME_HTML)

    def add_challenge(self, title: str = "") -> ChallengeRecord | None:
        """Open the challenge dialog for a new challenge (``title`` prefilled); selects it."""
        saved = self._dialogs.edit_challenge(self._service, None, title)
        if saved is not None:
            self.reload()  # (the change event reloads too; this also covers a quiet service)
            self.show_challenge(saved.uuid, note="To show your new challenge")
            self.message.emit(f"Added your challenge “{saved.title}”.")
        return saved

    def edit_current(self) -> ChallengeRecord | None:
        challenge = self.current_challenge()
        if challenge is None or not challenge.is_custom:
            return None
        saved = self._dialogs.edit_challenge(self._service, challenge, challenge.title)
        if saved is not None:
            self.reload()
            self.show_challenge(saved.uuid)
            self.message.emit(f"Saved your challenge “{saved.title}”.")
        return saved

    def toggle_archived(self) -> ChallengeRecord | None:
        """Archive the selected challenge (it leaves the list unless archived ones are shown),
        or bring an archived one back."""
        challenge = self.current_challenge()
        if challenge is None:
            return None
        row = self.list.currentRow()
        try:
            saved = self._service.save_challenge(replace(challenge,
                                                         archived=not challenge.archived))
        except StorageError as exc:
            self._dialogs.error("Challenge not changed", str(exc))
            return None
        self.reload()
        if saved.archived:
            if not self.select_challenge(saved.uuid) and self.list.count():
                self.list.setCurrentRow(min(row, self.list.count() - 1))
            self.message.emit(f"Archived “{saved.title}”. Tick “Show archived” to bring it "
                              "back.")
        else:
            self.select_challenge(saved.uuid)
            self.message.emit(f"“{saved.title}” is back in the list.")
        return saved
