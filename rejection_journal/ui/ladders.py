"""Fear ladders in the picker pane: pick or make a ladder for a goal, put challenges on it as
rungs (easiest first), reorder them by drag and drop or Ctrl+Up/Down, see what each rung's
entries say, and start the suggested next rung.

The rules (the next-rung suggestion, each rung's stats) live in the domain layer and are read
through :class:`~rejection_journal.services.JournalService`; every change goes through the
service, so Edit ▸ Undo takes it back (a deleted ladder included).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.ladders import LadderOverview, RungStats, rung_summary
from rejection_journal.domain.picker import Ladder, Step
from rejection_journal.domain.records import ChallengeRecord, ValidationError
from rejection_journal.services import Change, Entity, JournalService, StorageError
from rejection_journal.ui.appearance import set_toned_style
from rejection_journal.ui.dialogs import Dialogs
from rejection_journal.ui.form_widgets import with_clear_button
from rejection_journal.ui.picker import SUBTITLE_ROLE, ChallengeDelegate
from rejection_journal.ui.runs import RunPanel

UUID_ROLE = Qt.ItemDataRole.UserRole
#: a rung's challenge title (the item's text may carry more)
TITLE_ROLE = Qt.ItemDataRole.UserRole + 7
#: how much of a step's title the Start button shows
START_TITLE_CHARS = 28
NO_LADDERS_TEXT = ("A ladder breaks a goal into small steps, easiest first: you practise a step "
                   "until it feels calmer, then move up. Start one for something you'd like "
                   "to be able to ask.")
NO_RUNGS_TEXT = ("No steps on this ladder yet. Pick a challenge on the Challenges tab and "
                 "press “Add selected”, or search for one below.")


def rung_title(stats: RungStats) -> str:
    """"L3 · Ask for a table by the window" (the level left out when unknown)."""
    title = stats.rung.title or "(a challenge no longer in the journal)"
    return title if stats.rung.level is None else f"L{stats.rung.level} · {title}"


def rung_subtitle(stats: RungStats, *, is_next: bool) -> str:
    """"Next · 2 tries · last: expected 6, felt 3": tries and the latest ratings."""
    said = rung_summary(stats)  # domain/ladders.py: the wording `ladders` prints too
    return f"▶ Next · {said}" if is_next else said


class RungList(QListWidget):
    """The rungs, easiest at the top; drag and drop or Ctrl/Alt+Up/Down move one.

    ``moveRequested(row, delta)`` asks to move the rung at ``row`` up (-1) or down (+1);
    ``orderDropped`` fires after a drop reordered the rows (read them back in order)."""

    moveRequested = Signal(int, int)
    orderDropped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Ladder steps")
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setItemDelegate(ChallengeDelegate(self))
        self.setToolTip("Drag a step, or press Ctrl+Up / Ctrl+Down, to reorder")
        self.model().rowsMoved.connect(self._rows_moved)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                    | Qt.KeyboardModifier.AltModifier)
        if mods and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.currentRow() >= 0:
            self.moveRequested.emit(self.currentRow(),
                                    -1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _rows_moved(self, _parent: QModelIndex | QPersistentModelIndex, _start: int, _end: int,
                    _dest: QModelIndex | QPersistentModelIndex, _row: int) -> None:
        # After the drop has finished (the handler rebuilds the rows, not in the middle of
        # the view's own drop handling).
        QTimer.singleShot(0, self.orderDropped.emit)

    def uuids(self) -> list[str]:
        return [str(self.item(row).data(UUID_ROLE)) for row in range(self.count())]


class LadderPanel(QWidget):
    """Ladders: choose one, build it, see each rung's stats and the suggested next rung.

    ``challengeStarted`` carries the rung's :class:`ChallengeRecord` (as the picker's Start
    does); ``message`` a short note for the status bar.  ``selected_challenge`` returns the
    challenge selected on the Challenges tab (for "Add selected")."""

    challengeStarted = Signal(object)
    message = Signal(str)
    #: "Build my plan…" was asked for (the window opens it)
    planRequested = Signal()

    def __init__(self, service: JournalService, parent: QWidget | None = None, *,
                 dialogs: Dialogs | None = None,
                 selected_challenge: Callable[[], ChallengeRecord | None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("ladderPanel")
        self._service = service
        self._dialogs = dialogs or Dialogs(self)
        self._selected_challenge = selected_challenge or (lambda: None)
        self._read_only = service.read_only_reason is not None
        self._overview: LadderOverview | None = None
        self._editing: str | None = None  # "new" or "rename" while the goal editor is open
        self._titles: dict[str, str] = {}  # completer text -> challenge UUID

        # Which ladder, and what to do with it.
        self.ladder_combo = QComboBox()
        self.ladder_combo.setAccessibleName("Ladder")
        self.ladder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.ladder_combo.setMinimumContentsLength(8)
        self.menu_button = QToolButton()
        self.menu_button.setText("Ladder")
        self.menu_button.setToolTip("New, rename or delete a ladder")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.menu_button)
        self.new_action = menu.addAction("&New ladder…")
        self.plan_action = menu.addAction("&Build my plan…")
        self.rename_action = menu.addAction("&Rename…")
        self.delete_action = menu.addAction("&Delete (Undo brings it back)")
        self.menu_button.setMenu(menu)
        self.top_row = QWidget()
        top = QHBoxLayout(self.top_row)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.ladder_combo, 1)
        top.addWidget(self.menu_button)

        # The goal editor, inline: new ladder or rename.
        self.goal_edit = QLineEdit()
        self.goal_edit.setAccessibleName("Ladder goal")
        self.goal_edit.setPlaceholderText("Your goal, e.g. ask for a raise")
        self.goal_ok = QPushButton("Create")
        self.goal_cancel = QPushButton("Cancel")
        self.goal_error = QLabel()
        self.goal_error.setObjectName("ladderGoalError")
        self.goal_error.setWordWrap(True)
        set_toned_style(self.goal_error, "QLabel#ladderGoalError {{ color: {error_text}; }}")
        self.goal_box = QWidget()
        goal_layout = QVBoxLayout(self.goal_box)
        goal_layout.setContentsMargins(0, 0, 0, 0)
        goal_layout.addWidget(self.goal_edit)
        goal_buttons = QHBoxLayout()
        goal_buttons.addWidget(self.goal_ok, 1)
        goal_buttons.addWidget(self.goal_cancel, 1)
        goal_layout.addLayout(goal_buttons)
        goal_layout.addWidget(self.goal_error)
        self.goal_box.hide()

        # No ladders yet.
        self.empty_label = QLabel(NO_LADDERS_TEXT)
        self.empty_label.setObjectName("laddersEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_new_button = QPushButton("New ladder…")
        self.empty_plan_button = QPushButton("Build my plan…")
        self.empty_plan_button.setToolTip("A short self-check that proposes a first ladder")
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addWidget(self.empty_plan_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)

        # One ladder: its rungs, the suggestion, and the buttons.
        self.rungs = RungList()
        self.no_rungs_label = QLabel(NO_RUNGS_TEXT)
        self.no_rungs_label.setObjectName("ladderNoRungs")
        self.no_rungs_label.setWordWrap(True)
        self.no_rungs_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rung_stack = QStackedWidget()
        self.rung_stack.addWidget(self.rungs)
        self.rung_stack.addWidget(self.no_rungs_label)
        self.suggestion_label = QLabel()
        self.suggestion_label.setObjectName("ladderSuggestion")
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton("Start this step")
        self.start_button.setToolTip("Fill a new entry with the selected step (Enter)")
        self.up_button = QToolButton()
        self.up_button.setText("Move up")
        self.up_button.setToolTip("Move the selected step up (Ctrl+Up)")
        self.down_button = QToolButton()
        self.down_button.setText("Move down")
        self.down_button.setToolTip("Move the selected step down (Ctrl+Down)")
        self.remove_button = QToolButton()
        self.remove_button.setText("Remove")
        self.remove_button.setToolTip("Take the selected step off the ladder (its entries stay)")
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        move_row.addStretch(1)
        move_row.addWidget(self.remove_button)
        self.add_selected_button = QPushButton("Add selected")
        self.add_selected_button.setToolTip("Add the challenge selected on the Challenges tab "
                                            "as the top step")
        self.add_search = QLineEdit()
        self.add_search.setAccessibleName("Find a challenge to add")
        self.add_search.setPlaceholderText("Find a challenge…")
        self.add_search.setToolTip("Type part of a title, pick it: it becomes the top step")
        with_clear_button(self.add_search)
        self._completer_model = QStringListModel(self)
        completer = QCompleter(self._completer_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.add_search.setCompleter(completer)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_search, 1)
        add_row.addWidget(self.add_selected_button)

        ladder_page = QWidget()
        page = QVBoxLayout(ladder_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.rung_stack, 1)
        page.addLayout(move_row)
        page.addWidget(self.suggestion_label)
        page.addWidget(self.start_button)
        page.addLayout(add_row)

        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(ladder_page)

        self.runs = RunPanel(service, dialogs=self._dialogs,
                             ladder_uuid=lambda: self.current_ladder_uuid())
        self.runs.message.connect(self.message)

        layout = QVBoxLayout(self)
        layout.addWidget(self.top_row)
        layout.addWidget(self.goal_box)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.runs)

        self.ladder_combo.currentIndexChanged.connect(lambda _i: self._show_ladder())
        self.new_action.triggered.connect(self.begin_new)
        self.empty_new_button.clicked.connect(self.begin_new)
        self.plan_action.triggered.connect(self.planRequested)
        self.empty_plan_button.clicked.connect(self.planRequested)
        self.rename_action.triggered.connect(self.begin_rename)
        self.delete_action.triggered.connect(self.delete_current)
        self.goal_ok.clicked.connect(self.finish_goal)
        self.goal_edit.returnPressed.connect(self.finish_goal)
        self.goal_edit.textEdited.connect(lambda _t: self.goal_error.clear())
        self.goal_cancel.clicked.connect(self.cancel_goal)
        self.rungs.moveRequested.connect(self._move_by)
        self.rungs.orderDropped.connect(self._order_dropped)
        self.rungs.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.rungs.itemActivated.connect(lambda _item: self.start_selected())
        self.up_button.clicked.connect(lambda: self._move_by(self.rungs.currentRow(), -1))
        self.down_button.clicked.connect(lambda: self._move_by(self.rungs.currentRow(), 1))
        self.remove_button.clicked.connect(self.remove_selected)
        self.start_button.clicked.connect(self.start_selected)
        self.add_selected_button.clicked.connect(self.add_selected)
        completer.activated[str].connect(self._add_found)  # type: ignore[index]
        self.add_search.returnPressed.connect(lambda: self._add_found(self.add_search.text()))
        if self._read_only:
            for widget in (self.menu_button, self.empty_new_button, self.empty_plan_button,
                           self.up_button,
                           self.down_button, self.remove_button, self.add_search,
                           self.add_selected_button):
                widget.setEnabled(False)
            self.rungs.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def current_ladder_uuid(self) -> str | None:
        data = self.ladder_combo.currentData()
        return None if data is None else str(data)

    def reload(self, select: str | None = None) -> None:
        """Read the ladders afresh, keeping (or moving to ``select``) the chosen one."""
        wanted = select or self.current_ladder_uuid()
        ladders = self._service.ladders()
        if wanted is None and ladders:
            recent = self._service.find_ladder(None)
            wanted = recent.uuid if recent is not None else None
        self.ladder_combo.blockSignals(True)
        try:
            self.ladder_combo.clear()
            for ladder in ladders:
                self.ladder_combo.addItem(ladder.goal, ladder.uuid)
                self.ladder_combo.setItemData(self.ladder_combo.count() - 1, ladder.goal,
                                              Qt.ItemDataRole.ToolTipRole)
            index = self.ladder_combo.findData(wanted) if wanted is not None else -1
            self.ladder_combo.setCurrentIndex(index if index >= 0 else
                                              (0 if ladders else -1))
        finally:
            self.ladder_combo.blockSignals(False)
        self._reload_challenges()
        self._show_ladder()

    def _reload_challenges(self) -> None:
        titles: dict[str, str] = {}
        for challenge in self._service.challenges():
            titles[f"L{challenge.level} · {challenge.title}"] = challenge.uuid
        self._titles = titles
        self._completer_model.setStringList(sorted(titles, key=str.casefold))

    def apply_change(self, change: Change) -> None:
        """Ladders or challenges (titles) changed: show them afresh; a ladder's progress
        or a run's changed (the service says so): show it again."""
        if change.touches(Entity.LADDER, Entity.CHALLENGE):  # (and everything)
            self.reload()
        elif change.touches(Entity.LADDER_PROGRESS):
            self._show_ladder()
        if change.touches(Entity.RUN, Entity.RUN_PROGRESS):
            self.runs.refresh()

    def _show_ladder(self) -> None:
        uuid = self.current_ladder_uuid()
        has = uuid is not None
        self.rename_action.setEnabled(has and not self._read_only)
        self.delete_action.setEnabled(has and not self._read_only)
        self.top_row.setVisible(has)  # no ladders: the empty state has "New ladder…"
        if not has:
            self._overview = None
            self.stack.setCurrentIndex(0)
            self.runs.refresh()
            return
        assert uuid is not None
        try:
            overview = self._service.ladder_overview(uuid)
        except StorageError as exc:
            self.message.emit(str(exc))
            self._overview = None
            self.stack.setCurrentIndex(0)
            return
        self._overview = overview
        self.stack.setCurrentIndex(1)
        suggestion = overview.suggestion
        row = self.rungs.currentRow()
        self.rungs.blockSignals(True)
        try:
            self.rungs.clear()
            for stats in overview.rungs:
                is_next = suggestion.index == stats.index and suggestion.step is not Step.EMPTY
                item = QListWidgetItem(rung_title(stats))
                item.setData(UUID_ROLE, stats.rung.challenge_uuid)
                item.setData(SUBTITLE_ROLE, rung_subtitle(stats, is_next=is_next))
                item.setData(TITLE_ROLE, stats.rung.title)
                item.setToolTip(stats.rung.title)
                if is_next:
                    font = QFont(self.rungs.font())
                    font.setBold(True)
                    item.setFont(font)
                self.rungs.addItem(item)
        finally:
            self.rungs.blockSignals(False)
        self.rung_stack.setCurrentIndex(0 if overview.rungs else 1)
        if overview.rungs:
            if row < 0 or row >= self.rungs.count():
                row = suggestion.index if suggestion.index is not None else 0
            self.rungs.setCurrentRow(row)
        if suggestion.rung is not None:
            name = escape(suggestion.rung.title or "this step", quote=False)
            self.suggestion_label.setText(f"<b>Next: {name}</b><br>"
                                          f"{escape(suggestion.explanation, quote=False)}")
        else:
            self.suggestion_label.setText(escape(suggestion.explanation, quote=False))
        self._update_buttons()
        self.runs.refresh()

    def _update_buttons(self) -> None:
        row = self.rungs.currentRow()
        count = self.rungs.count()
        writable = not self._read_only
        self.up_button.setEnabled(writable and row > 0)
        self.down_button.setEnabled(writable and 0 <= row < count - 1)
        self.remove_button.setEnabled(writable and row >= 0)
        self.start_button.setEnabled(row >= 0)
        # The button names the step it starts: the one selected, which may not be the one
        # marked Next just above it.
        item = self.rungs.currentItem()
        title = "" if item is None else str(item.data(TITLE_ROLE) or "")
        shown = title if len(title) <= START_TITLE_CHARS else \
            title[: START_TITLE_CHARS - 1].rstrip() + "…"
        self.start_button.setText(f"Start “{shown}”" if title else "Start this step")
        self.start_button.setToolTip(
            f"Fill a new entry with the selected step: {title} (Enter)" if title
            else "Fill a new entry with the selected step (Enter)")
        self.start_button.setAccessibleName(f"Start the step {title}" if title
                                            else "Start the selected step")

    @property
    def overview(self) -> LadderOverview | None:
        return self._overview

    def rung_texts(self) -> list[tuple[str, str]]:
        """(title line, stats line) of each rung shown, in order (for tests and screenshots)."""
        return [(self.rungs.item(r).text(), str(self.rungs.item(r).data(SUBTITLE_ROLE)))
                for r in range(self.rungs.count())]

    # -- new ladder and rename: the inline goal editor -----------------------------------------
    def begin_new(self) -> None:
        self._open_goal("new", "", "Create")

    def begin_rename(self) -> None:
        if self._overview is not None:
            self._open_goal("rename", self._overview.ladder.goal, "Rename")

    def _open_goal(self, mode: str, text: str, button: str) -> None:
        self._editing = mode
        self.goal_edit.setText(text)
        self.goal_edit.selectAll()
        self.goal_ok.setText(button)
        self.goal_error.clear()
        self.goal_box.show()
        self.goal_edit.setFocus()

    def cancel_goal(self) -> None:
        self._editing = None
        self.goal_error.clear()
        self.goal_box.hide()

    def finish_goal(self) -> Ladder | None:
        """Create the ladder or rename the current one; a problem is said under the field."""
        goal = " ".join(self.goal_edit.text().split())
        if not goal:
            self.goal_error.setText("Write the goal this ladder leads to, in a few words.")
            return None
        try:
            if self._editing == "rename" and self._overview is not None:
                ladder = self._service.rename_ladder(self._overview.ladder.uuid, goal)
                said = f"Renamed the ladder to “{ladder.goal}”."
            else:
                ladder = self._service.new_ladder(goal)
                said = f"New ladder “{ladder.goal}”: add its first, small step."
        except ValidationError as exc:
            self.goal_error.setText(f"{exc.message[:1].upper()}{exc.message[1:]}.")
            return None
        except StorageError as exc:
            self.goal_error.setText(str(exc))
            return None
        self.cancel_goal()
        self.reload(select=ladder.uuid)
        self.message.emit(said)
        return ladder

    def delete_current(self) -> Ladder | None:
        """Delete the ladder shown (its entries stay); Edit ▸ Undo brings it back."""
        uuid = self.current_ladder_uuid()
        if uuid is None:
            return None
        try:
            deleted = self._service.delete_ladder(uuid)
        except StorageError as exc:
            self._dialogs.error("Ladder not deleted", str(exc))
            return None
        if deleted is not None:
            self.reload()
            self.message.emit(f"Deleted the ladder “{deleted.goal}”. Press Ctrl+Z to bring "
                              "it back.")
        return deleted

    # -- rungs ---------------------------------------------------------------------------------
    def _change(self, what: Callable[[str], Ladder], row: int | None = None) -> bool:
        uuid = self.current_ladder_uuid()
        if uuid is None:
            return False
        try:
            what(uuid)
        except (ValidationError, StorageError) as exc:
            self.message.emit(f"The ladder was not changed: {exc}")
            self._show_ladder()
            return False
        self._show_ladder()  # (the change event shows it too; this covers a quiet service)
        if row is not None and 0 <= row < self.rungs.count():
            self.rungs.setCurrentRow(row)
        self._update_buttons()
        return True

    def _move_by(self, row: int, delta: int) -> None:
        target = row + delta
        if row < 0 or not 0 <= target < self.rungs.count():
            return
        self._change(lambda uuid: self._service.move_rung(uuid, row, target), target)

    def _order_dropped(self) -> None:
        order = self.rungs.uuids()
        row = self.rungs.currentRow()
        self._change(lambda uuid: self._service.set_rungs(uuid, order), row)

    def add_challenge(self, challenge_uuid: str) -> bool:
        """Put a challenge on the current ladder as its top step."""
        if self.current_ladder_uuid() is None:
            self.message.emit("Make a ladder first: Ladder ▸ New ladder…")
            return False
        if challenge_uuid in self.rungs.uuids():
            self.message.emit("That challenge is already a step on this ladder.")
            return False
        added = self._change(lambda uuid: self._service.add_rung(uuid, challenge_uuid))
        if added:
            self.rungs.setCurrentRow(self.rungs.count() - 1)
            challenge = self._service.challenge(challenge_uuid)
            title = challenge.title if challenge is not None else "The challenge"
            self.message.emit(f"Added “{title}” as the top step.")
        return added

    def add_selected(self) -> bool:
        challenge = self._selected_challenge()
        if challenge is None:
            self.message.emit("Select a challenge on the Challenges tab first.")
            return False
        return self.add_challenge(challenge.uuid)

    def _add_found(self, text: str) -> None:
        uuid = self._titles.get(text)
        if uuid is None:
            return
        if self.add_challenge(uuid):
            self.add_search.clear()

    def remove_selected(self) -> bool:
        row = self.rungs.currentRow()
        if row < 0:
            return False
        return self._change(lambda uuid: self._service.remove_rung(uuid, row),
                            min(row, self.rungs.count() - 2))

    def start_selected(self) -> ChallengeRecord | None:
        item = self.rungs.currentItem()
        if item is None:
            return None
        challenge = self._service.challenge(str(item.data(UUID_ROLE)))
        if challenge is None:
            self.message.emit("That step's challenge is no longer in this journal.")
            return None
        self.challengeStarted.emit(challenge)
        return challenge

