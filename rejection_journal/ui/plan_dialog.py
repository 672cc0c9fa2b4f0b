"""Build my plan: the self-check, its result in plain words, and a proposed first ladder the
user can edit (remove, reorder, swap a step, a ceiling, a goal) and save.

Three pages in one dialog. The rules are the domain's (:mod:`rejection_journal.domain.plan`),
reached through :mod:`rejection_journal.services.plan`; nothing here decides a rung.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rejection_journal.domain.picker import Ladder
from rejection_journal.domain.plan import (
    ACCEPTANCE_ENDS,
    ACCEPTANCE_QUESTION,
    ANXIETY_ENDS,
    ANXIETY_QUESTION,
    NOT_A_DIAGNOSIS,
    RATING_MAX,
    RATING_MIN,
    CheckItem,
    Plan,
    PlanRung,
    TakenCheck,
    category_line,
    check_items,
    result_sentences,
)
from rejection_journal.domain.records import LEVEL_MAX, LEVEL_MIN, ChallengeRecord, ValidationError
from rejection_journal.domain.runs import RunRecord
from rejection_journal.services import JournalService, StorageError
from rejection_journal.services.plan import PlanSource, Proposal, save_plan
from rejection_journal.ui.accessible import label_combo_boxes
from rejection_journal.ui.appearance import set_toned_style

INTRO = ("Eighteen short situations. For each, pick how anxious you would feel asking, and "
         "how likely you think a yes is. There are no right answers, and nothing here is "
         "shared.")
UNANSWERED = "–"
PAGE_CHECK, PAGE_RESULT, PAGE_PLAN = range(3)


def _rating_combo(name: str, ends: tuple[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(UNANSWERED, None)
    for value in range(RATING_MIN, RATING_MAX + 1):
        said = {RATING_MIN: f"{value} – {ends[0]}", RATING_MAX: f"{value} – {ends[1]}"}
        combo.addItem(said.get(value, str(value)), value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class PlanDialog(QDialog):
    """The three pages. :attr:`saved` holds the ladder (and :attr:`run`, the run) once saved
    and the dialog is accepted."""

    def __init__(self, service: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planDialog")
        self.setWindowTitle("Build my plan")
        self._service = service
        self._source = PlanSource(service)
        #: this sitting's result, as kept in the journal (None until the result page)
        self.taken: TakenCheck | None = None
        self._items: tuple[CheckItem, ...] = check_items()
        self.proposal: Proposal | None = None
        self.saved: Ladder | None = None
        self.run: RunRecord | None = None
        self._rungs: list[PlanRung] = []

        self.pages = QStackedWidget()
        self.pages.addWidget(self._check_page())
        self.pages.addWidget(self._result_page())
        self.pages.addWidget(self._plan_page())

        self.error_label = QLabel()
        self.error_label.setObjectName("planError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        set_toned_style(self.error_label, "QLabel#planError {{ color: {error_text}; }}")

        self.back_button = QPushButton("&Back")
        self.back_button.setAutoDefault(False)
        self.next_button = QPushButton("&See my result")
        self.next_button.setDefault(True)
        widest = max(QPushButton(text).sizeHint().width()
                     for text in ("&See my result", "&Propose a ladder"))
        self.next_button.setMinimumWidth(widest)
        self.save_button = QPushButton("&Save as a ladder")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(760, 620)
        label_combo_boxes(self)
        self._show_page(PAGE_CHECK)
        if service.read_only_reason is not None:
            self.save_button.setToolTip(f"The journal is read-only: {service.read_only_reason}")

    # -- page 1: the self-check ----------------------------------------------------------------
    def _check_page(self) -> QWidget:
        page = QWidget()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        scales = QLabel(f"<b>Anxious</b>: {escape(ANXIETY_QUESTION)} "
                        f"(1 {ANXIETY_ENDS[0]} … 6 {ANXIETY_ENDS[1]})<br>"
                        f"<b>Yes</b>: {escape(ACCEPTANCE_QUESTION)} "
                        f"(1 {ACCEPTANCE_ENDS[0]} … 6 {ACCEPTANCE_ENDS[1]})")
        scales.setTextFormat(Qt.TextFormat.RichText)
        scales.setWordWrap(True)
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setColumnStretch(0, 1)
        head_anx, head_yes = QLabel("<b>Anxious</b>"), QLabel("<b>Yes</b>")
        grid.addWidget(head_anx, 0, 1)
        grid.addWidget(head_yes, 0, 2)
        self.anxiety: dict[str, QComboBox] = {}
        self.acceptance: dict[str, QComboBox] = {}
        for row, item in enumerate(self._items, start=1):
            text = QLabel(f"{row}. {item.text}")
            text.setWordWrap(True)
            anxiety = _rating_combo(f"How anxious, situation {row}: {item.text}", ANXIETY_ENDS)
            acceptance = _rating_combo(f"How likely a yes, situation {row}: {item.text}",
                                       ACCEPTANCE_ENDS)
            anxiety.setObjectName(f"anxiety-{item.id}")
            acceptance.setObjectName(f"acceptance-{item.id}")
            for combo in (anxiety, acceptance):
                combo.currentIndexChanged.connect(self._update_answered)
            grid.addWidget(text, row, 0)
            grid.addWidget(anxiety, row, 1)
            grid.addWidget(acceptance, row, 2)
            self.anxiety[item.id] = anxiety
            self.acceptance[item.id] = acceptance
        self.check_scroll = QScrollArea()
        self.check_scroll.setWidgetResizable(True)
        self.check_scroll.setWidget(grid_holder)
        self.check_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.answered_label = QLabel()
        self.answered_label.setObjectName("planAnswered")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(scales)
        layout.addWidget(self.check_scroll, 1)
        layout.addWidget(self.answered_label)
        return page

    def answers(self) -> dict[str, tuple[int, int]] | None:
        """Every situation's two ratings, or None while some are missing."""
        out = {}
        for item in self._items:
            anxiety = self.anxiety[item.id].currentData()
            acceptance = self.acceptance[item.id].currentData()
            if anxiety is None or acceptance is None:
                return None
            out[item.id] = (int(anxiety), int(acceptance))
        return out

    def set_answers(self, answers: dict[str, tuple[int, int]]) -> None:
        for item_id, (anxiety, acceptance) in answers.items():
            self.anxiety[item_id].setCurrentIndex(anxiety)
            self.acceptance[item_id].setCurrentIndex(acceptance)

    def _update_answered(self) -> None:
        done = sum(1 for item in self._items
                   if self.anxiety[item.id].currentData() is not None
                   and self.acceptance[item.id].currentData() is not None)
        self.answered_label.setText(f"{done} of {len(self._items)} situations rated")
        if self.pages.currentIndex() == PAGE_CHECK:
            self.next_button.setEnabled(done == len(self._items))

    # -- page 2: the result --------------------------------------------------------------------
    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = QLabel()
        self.result_label.setObjectName("planResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result_label, 1)
        return page

    def _fill_result(self) -> None:
        assert self.proposal is not None
        sentences = result_sentences(self.proposal.result)
        said = [s for s in sentences if s != NOT_A_DIAGNOSIS]
        lines = "".join(f"<li>{escape(category_line(c))}</li>"
                        for c in self.proposal.result.categories)
        self.result_label.setText(
            "<h3>Your result</h3>" + "".join(f"<p>{escape(s)}</p>" for s in said)
            + f"<ul>{lines}</ul><p><i>{escape(NOT_A_DIAGNOSIS)}</i></p>"
            "<p>Next: a first ladder that starts a little below where asking starts to feel "
            "hard, so the first step is doable today.</p>")

    # -- page 3: the proposal ------------------------------------------------------------------
    def _plan_page(self) -> QWidget:
        page = QWidget()
        self.goal_edit = QLineEdit()
        self.goal_edit.setAccessibleName("Your goal (optional)")
        self.goal_edit.setPlaceholderText("Your goal in your own words, e.g. ask for a raise")
        self.ceiling_spin = QSpinBox()
        self.ceiling_spin.setRange(LEVEL_MIN, LEVEL_MAX)
        self.ceiling_spin.setValue(LEVEL_MAX)
        self.ceiling_spin.setAccessibleName("Nothing above level")
        self.ceiling_spin.setPrefix("nothing above level ")
        self.redo_button = QPushButton("&Propose again")
        self.redo_button.setToolTip("Propose a new ladder for this goal and ceiling "
                                    "(your edits below are replaced)")
        top = QGridLayout()
        goal_label = QLabel("&Goal:")
        goal_label.setBuddy(self.goal_edit)
        top.addWidget(goal_label, 0, 0)
        top.addWidget(self.goal_edit, 0, 1, 1, 2)
        top.addWidget(self.ceiling_spin, 1, 1)
        top.addWidget(self.redo_button, 1, 2)
        top.setColumnStretch(1, 1)

        self.rung_list = QListWidget()
        self.rung_list.setAccessibleName("Proposed steps, easiest first")
        self.rung_list.setWordWrap(True)
        self.rung_list.setAlternatingRowColors(True)
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        self.remove_button = QPushButton("&Remove")
        self.swap_combo = QComboBox()
        self.swap_combo.setAccessibleName("A similar step to swap in")
        self.swap_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.swap_combo.setMinimumContentsLength(18)
        self.swap_button = QPushButton("S&wap")
        self.swap_button.setToolTip("Put the similar step chosen beside it in the selected "
                                    "step's place")
        edit_row = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            button.setAutoDefault(False)
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        edit_row.addWidget(self.swap_combo, 2)
        edit_row.addWidget(self.swap_button)
        self.swap_button.setAutoDefault(False)
        self.redo_button.setAutoDefault(False)
        self.plan_note = QLabel()
        self.plan_note.setObjectName("planNote")
        self.plan_note.setWordWrap(True)
        self.run_check = QCheckBox("Also start a &30-day run on this ladder today")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.rung_list, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.plan_note)
        layout.addWidget(self.run_check)

        self.redo_button.clicked.connect(self.propose)
        self.goal_edit.returnPressed.connect(self.propose)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(self.remove_selected)
        self.swap_button.clicked.connect(self.swap_selected)
        self.rung_list.currentRowChanged.connect(self._update_plan_buttons)
        return page

    def propose(self) -> None:
        answers = self.answers()
        if answers is None:
            return
        self.proposal = self._source.propose(answers, goal=self.goal_edit.text(),
                                             max_level=self.ceiling_spin.value())
        self._rungs = list(self.proposal.plan.rungs)
        self._fill_rungs(0)
        self._note(self.proposal.plan)

    def _note(self, plan: Plan) -> None:
        text = plan.note or (f"Starts at level {plan.start_level}; nothing above level "
                             f"{plan.max_level}. Edit freely, then save: it becomes an "
                             "ordinary ladder.")
        self.plan_note.setText(text)

    def _fill_rungs(self, select: int) -> None:
        self.rung_list.clear()
        for number, rung in enumerate(self._rungs, start=1):
            c = rung.challenge
            item = QListWidgetItem(f"{number}. {c.title}  ·  level {c.level}, "
                                   f"{c.category.label}\n     {rung.reason}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Step {number}: {c.title}, level {c.level}, {c.category.label}. "
                         f"{rung.reason}")
            self.rung_list.addItem(item)
        if self._rungs:
            self.rung_list.setCurrentRow(max(0, min(select, len(self._rungs) - 1)))
        self._update_plan_buttons()

    def plan_challenges(self) -> list[ChallengeRecord]:
        """The steps as they stand now, in order."""
        return [rung.challenge for rung in self._rungs]

    def move_selected(self, by: int) -> None:
        row = self.rung_list.currentRow()
        to = row + by
        if row < 0 or not 0 <= to < len(self._rungs):
            return
        self._rungs.insert(to, self._rungs.pop(row))
        self._fill_rungs(to)

    def remove_selected(self) -> None:
        row = self.rung_list.currentRow()
        if row < 0:
            return
        del self._rungs[row]
        self._fill_rungs(row)

    def swap_selected(self) -> None:
        row = self.rung_list.currentRow()
        choice = self.swap_combo.currentData()
        if row < 0 or not isinstance(choice, ChallengeRecord):
            return
        before = self._rungs[row]
        self._rungs[row] = PlanRung(choice, f"Swapped in for “{before.challenge.title}”: "
                                            f"{before.reason[0].lower()}{before.reason[1:]}")
        self._fill_rungs(row)

    def _update_plan_buttons(self) -> None:
        row = self.rung_list.currentRow()
        has = 0 <= row < len(self._rungs)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self._rungs) - 1)
        self.remove_button.setEnabled(has)
        self.swap_combo.clear()
        if has:
            similar = self._source.similar([c.uuid for c in self.plan_challenges()],
                                           self._rungs[row].challenge,
                                           self.ceiling_spin.value())
            for challenge in similar:
                self.swap_combo.addItem(f"{challenge.title} (level {challenge.level})",
                                        challenge)
        if self.swap_combo.count() == 0:
            self.swap_combo.addItem("no similar step left", None)
        self.swap_combo.setEnabled(has and self.swap_combo.currentData() is not None)
        self.swap_button.setEnabled(self.swap_combo.isEnabled())
        if self.pages.currentIndex() == PAGE_PLAN:
            self.save_button.setEnabled(bool(self._rungs)
                                        and self._service.read_only_reason is None)

    # -- moving between pages and saving -------------------------------------------------------
    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.error_label.hide()
        self.back_button.setVisible(page != PAGE_CHECK)
        self.next_button.setVisible(page != PAGE_PLAN)
        self.save_button.setVisible(page == PAGE_PLAN)
        self.next_button.setText("&See my result" if page == PAGE_CHECK
                                 else "&Propose a ladder")
        if page == PAGE_CHECK:
            self._update_answered()
        else:
            self.next_button.setEnabled(True)
        if page == PAGE_PLAN:
            self.save_button.setDefault(True)
            self._update_plan_buttons()
            self.rung_list.setFocus()
        else:
            self.next_button.setDefault(True)

    def go_next(self) -> None:
        page = self.pages.currentIndex()
        if page == PAGE_CHECK:
            if self.answers() is None:
                return
            self.propose()
            self._keep_result()
            self._fill_result()
            self._show_page(PAGE_RESULT)
        elif page == PAGE_RESULT:
            self._show_page(PAGE_PLAN)

    def _keep_result(self) -> None:
        """Keep this sitting's result with today's date (once: coming back with changed
        answers corrects it); a read-only journal keeps nothing."""
        answers = self.answers()
        if answers is None or self._service.read_only_reason is not None:
            return
        if self.taken is not None and dict(self.taken.answers) == answers:
            return
        try:
            self.taken = self._service.save_self_check(
                answers, replacing=None if self.taken is None else self.taken.uuid)
        except StorageError:
            self.taken = None  # the result is still shown; only keeping it failed

    def go_back(self) -> None:
        self._show_page(max(PAGE_CHECK, self.pages.currentIndex() - 1))

    def save(self) -> None:
        if not self._rungs:
            return
        try:
            self.saved, self.run = save_plan(self._service, self.plan_challenges(),
                                             self.goal_edit.text(),
                                             start_run=self.run_check.isChecked())
        except (ValidationError, StorageError) as exc:
            self.error_label.setText(f"The ladder was not saved: {exc}")
            self.error_label.show()
            return
        self.accept()
