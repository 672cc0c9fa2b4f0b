"""Issue 8, the picker panel, through real widgets: filters, search as you type and its empty
state, counts, today's challenge, drawing a card, your own challenges, keeping a free-form
ask, opening an entry, and the boundary reminder."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.guidance import IS_THIS_FOR_ME_TITLE
from rejection_journal.domain.picker import search_key
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.challenge_dialog import ChallengeDialog
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.picker import SUBTITLE_ROLE, ChallengePicker, empty_state

from .conftest import FakeDialogs


def _subtitle(picker: ChallengePicker, uuid: str) -> str:
    for row in range(picker.list.count()):
        item = picker.list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == uuid:
            return str(item.data(SUBTITLE_ROLE))
    raise AssertionError(f"{uuid} is not listed")


def _type_search(qtbot, picker: ChallengePicker, text: str) -> None:
    """Type into the search box and wait for the (debounced) list to follow."""
    qtbot.keyClicks(picker.search, text)
    assert picker._search_timer.isActive(), "search waits for a pause in typing"
    qtbot.waitUntil(lambda: not picker._search_timer.isActive(), timeout=2000)


# -- filters and search ---------------------------------------------------------------------
def test_filter_by_category_and_level_range(window: MainWindow) -> None:
    picker = window.picker
    everything = len(picker.visible_challenges())
    assert everything >= 150
    picker.category.setCurrentIndex(picker.category.findData(Category.SOCIAL.value))
    social = picker.visible_challenges()
    assert social and len(social) < everything
    assert {c.category for c in social} == {Category.SOCIAL}
    picker.min_level.setValue(3)
    picker.max_level.setValue(4)
    shown = picker.visible_challenges()
    assert shown and all(c.category is Category.SOCIAL and 3 <= c.level <= 4 for c in shown)
    assert picker.list.count() == len(shown)
    # the range cannot be turned inside out: raising the low end lifts the high end
    picker.min_level.setValue(6)
    assert picker.max_level.value() == 6
    assert {c.level for c in picker.visible_challenges()} == {6}


def test_search_as_you_type_then_its_empty_state_and_clearing_it(
    qtbot, window: MainWindow
) -> None:
    picker = window.picker
    _type_search(qtbot, picker, "CAFE")
    found = picker.visible_challenges()
    assert found, "accents and case are ignored: 'CAFE' finds 'café'"
    assert all("cafe" in search_key(c.title + " " + c.how_to) for c in found)
    assert any("café" in (c.title + c.how_to) for c in found)
    assert picker.stack.currentWidget() is picker.list

    _type_search(qtbot, picker, "xyzzy")
    assert picker.stack.currentWidget() is picker.empty
    assert picker.empty_label.text() == "No challenges match “CAFExyzzy”."
    assert picker.clear_button.text() == "Clear the search"
    assert not picker.start_button.isEnabled()
    assert not picker.clear_all_button.isVisibleTo(picker)

    qtbot.mouseClick(picker.clear_button, Qt.MouseButton.LeftButton)
    assert picker.search.text() == ""
    assert picker.stack.currentWidget() is picker.list
    assert len(picker.visible_challenges()) >= 150
    assert picker.start_button.isEnabled()


def test_each_filter_has_its_own_empty_state(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    picker = window.picker
    # With the only level-10 everyday challenge archived, "everyday at level 10" is empty.
    tops = [c for c in journal.challenges()
            if c.category is Category.EVERYDAY and c.level == 10]
    for challenge in tops:
        window.service.save_challenge(dataclasses.replace(challenge, archived=True))
    picker.set_filters(category=Category.EVERYDAY, min_level=10, max_level=10)
    assert picker.stack.currentWidget() is picker.empty
    assert picker.empty_label.text() == "No challenges in Everyday & shops at level 10 yet."
    assert picker.clear_button.text() == "Show all levels"
    qtbot.mouseClick(picker.clear_button, Qt.MouseButton.LeftButton)
    assert (picker.min_level.value(), picker.max_level.value()) == (1, 10)
    assert picker.category.currentData() == Category.EVERYDAY.value  # the rest is kept
    assert picker.visible_challenges()

    # Two filters at once: the search is named and cleared first, "Clear all" is offered.
    picker.set_filters(category=Category.ROMANCE, query="tractor")
    assert picker.empty_label.text() == "No challenges match “tractor” in Romance."
    assert picker.clear_all_button.isVisibleTo(picker)
    qtbot.mouseClick(picker.clear_all_button, Qt.MouseButton.LeftButton)
    assert not picker.filters_active() and picker.stack.currentWidget() is picker.list


def test_empty_state_wording() -> None:
    assert empty_state("", Category.SOCIAL, 1, 10) == (
        "No challenges in Social yet.", "category", "Show all categories")
    assert empty_state("", None, 1, 10)[1] == "archived"
    assert empty_state("  ", None, 3, 3) == ("No challenges at level 3 yet.", "levels",
                                             "Show all levels")


def test_rows_fit_the_pane_without_sideways_scrolling(
    qtbot, window: MainWindow
) -> None:
    # wide: the challenges are a pane of their own, which the user may make narrow
    window.resize(1440, 900)
    qtbot.waitUntil(lambda: window.panes.picker_holder.isVisible())
    window.main_splitter.setSizes([260, 620, 560])
    qtbot.waitUntil(lambda: window.picker.width() < 300, timeout=2000)
    listing = window.picker.list
    assert listing.horizontalScrollBar().maximum() == 0
    long_title = max(window.picker.visible_challenges(), key=lambda c: len(c.title))
    assert listing.fontMetrics().horizontalAdvance(long_title.title) > listing.viewport().width()
    hint = listing.sizeHintForColumn(0)
    assert hint <= listing.viewport().width(), "rows ask for no width of their own: elided"


def test_guidance_is_one_click_away(qtbot, window: MainWindow,
                                    dialogs: FakeDialogs) -> None:
    qtbot.mouseClick(window.picker.guidance_button, Qt.MouseButton.LeftButton)
    assert dialogs.infos and dialogs.infos[-1][0] == IS_THIS_FOR_ME_TITLE
    assert "never ask the same" in dialogs.infos[-1][1]


def test_enter_starts_the_selected_challenge(qtbot, window: MainWindow) -> None:
    picker = window.picker
    picker.list.setCurrentRow(2)
    chosen = picker.current_challenge()
    assert chosen is not None
    picker.list.setFocus()
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert window.editor.ask.text() == chosen.title
    assert chosen.title in window.editor.challenge_label.text()
    assert f"level {chosen.level}" in window.editor.challenge_label.text()


# -- counts ---------------------------------------------------------------------------------
def test_counts_show_after_saving_an_entry(qtbot, window: MainWindow,
                                           journal: Journal) -> None:
    picker = window.picker
    picker.list.setCurrentRow(0)
    chosen = picker.current_challenge()
    assert chosen is not None
    assert "not tried yet" in _subtitle(picker, chosen.uuid)
    qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.editor.anticipated, "4")
    assert window.editor.save() is not None
    assert "done 1× · last today" in _subtitle(picker, chosen.uuid)
    assert "You've done this once" in picker.details.toPlainText()
    # an earlier entry of the same challenge: the count grows, "last" stays the latest
    journal.save_attempt(AttemptRecord(ask="again", attempted_on=date(2020, 5, 3),
                                       challenge_uuid=chosen.uuid))
    picker.refresh_usage()
    assert "done 2× · last today" in _subtitle(picker, chosen.uuid)


# -- today's challenge and drawing ----------------------------------------------------------
def test_todays_challenge_is_the_same_in_two_pickers_for_one_date(
    qtbot, journal: Journal
) -> None:
    day = date(2026, 11, 12)
    first = ChallengePicker(JournalService(journal, clock=FixedClock(day)))
    second = ChallengePicker(JournalService(journal, clock=FixedClock(day)))
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    assert first.todays_challenge is not None
    assert first.todays_challenge == second.todays_challenge
    assert first.today_title.text() == second.today_title.text()
    assert first.todays_challenge.title in first.today_title.text()
    # doing it today does not change today's suggestion
    journal.save_attempt(AttemptRecord(ask="done", attempted_on=day,
                                       challenge_uuid=first.todays_challenge.uuid))
    third = ChallengePicker(JournalService(journal, clock=FixedClock(day)))
    qtbot.addWidget(third)
    assert third.todays_challenge == first.todays_challenge
    later = [ChallengePicker(JournalService(journal, clock=FixedClock(d)))
             for d in (day + timedelta(days=n) for n in range(1, 4))]
    for picker in later:
        qtbot.addWidget(picker)
    assert any(p.todays_challenge != first.todays_challenge for p in later)


def test_take_today_clears_filters_that_hide_it(qtbot, window: MainWindow) -> None:
    picker = window.picker
    today = picker.todays_challenge
    assert today is not None
    picker.set_filters(query="nothing-matches-this")
    with qtbot.waitSignal(picker.message) as said:
        qtbot.mouseClick(picker.today_button, Qt.MouseButton.LeftButton)
    assert picker.current_challenge() == today
    assert not picker.filters_active()
    assert "cleared the filters" in said.args[0]


def test_draw_a_card_stays_within_the_filters_and_avoids_repeats(
    qtbot, window: MainWindow
) -> None:
    picker = window.picker
    picker.set_filters(category=Category.SOCIAL, min_level=2, max_level=4)
    pool = {c.uuid for c in picker.visible_challenges()}
    assert len(pool) > 6
    drawn = []
    for _ in range(6):
        qtbot.mouseClick(picker.draw_button, Qt.MouseButton.LeftButton)
        current = picker.current_challenge()
        assert current is not None and current.uuid in pool
        assert current.category is Category.SOCIAL and 2 <= current.level <= 4
        drawn.append(current.uuid)
    assert len(set(drawn)) == len(drawn), "no card comes up again straight away"
    picker.set_filters(query="no-such-challenge-anywhere")
    assert picker.draw() is None


# -- your own challenges --------------------------------------------------------------------
def test_add_edit_archive_and_bring_back_a_custom_challenge(
    qtbot, window: MainWindow, dialogs: FakeDialogs, journal: Journal
) -> None:
    picker = window.picker
    built_in = journal.challenges()[0]

    def fill(dialog: ChallengeDialog) -> None:
        assert dialog.title_edit.text() == ""
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.result() != ChallengeDialog.DialogCode.Accepted
        assert not dialog.error_label.isHidden()
        assert dialog.error_label.text() == "Not saved yet — Title: cannot be empty."
        # a near-duplicate of a built-in: a note, not a stop
        qtbot.keyClicks(dialog.title_edit, "  " + built_in.title.upper() + "!")
        assert dialog.error_label.isHidden()
        assert not dialog.duplicate_note.isHidden()
        assert f"“{built_in.title}”" in dialog.duplicate_note.text()
        assert "You can still save yours" in dialog.duplicate_note.text()
        dialog.title_edit.setText("Ask the bus driver to wait a moment")
        assert dialog.duplicate_note.isHidden()
        dialog.category.setCurrentIndex(dialog.category.findData(Category.COMMUNITY.value))
        dialog.level.setValue(3)
        qtbot.keyClicks(dialog.how_to, "When you are running for the bus, ask kindly.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.challenge_answers.append(fill)
    window.picker.new_action.trigger()
    mine = picker.current_challenge()
    assert mine is not None and mine.is_custom
    assert (mine.title, mine.category, mine.level) == (
        "Ask the bus driver to wait a moment", Category.COMMUNITY, 3)
    assert journal.challenge(mine.uuid) == mine
    assert _subtitle(picker, mine.uuid).startswith("Yours · Level 3 · Community")
    assert picker.edit_action.isEnabled()

    def edit(dialog: ChallengeDialog) -> None:
        assert dialog.title_edit.text() == mine.title
        assert dialog.duplicate_note.isHidden(), "its own title is not a duplicate"
        dialog.level.setValue(5)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.challenge_answers.append(edit)
    picker.edit_action.trigger()
    assert picker.current_challenge() == dataclasses.replace(mine, level=5)
    assert journal.challenge(mine.uuid).level == 5  # type: ignore[union-attr]

    picker.archive_action.trigger()
    assert mine.uuid not in {c.uuid for c in picker.visible_challenges()}
    assert journal.challenge(mine.uuid).archived  # type: ignore[union-attr]
    picker.show_archived.setChecked(True)
    assert picker.select_challenge(mine.uuid)
    assert "archived" in _subtitle(picker, mine.uuid)
    assert not picker.start_button.isEnabled()
    assert picker.archive_action.text().replace("&", "") == "Bring back"
    picker.archive_action.trigger()
    assert not journal.challenge(mine.uuid).archived  # type: ignore[union-attr]
    picker.show_archived.setChecked(False)
    assert picker.select_challenge(mine.uuid)

    # a built-in can be archived, never edited
    assert picker.select_challenge(built_in.uuid)
    assert not picker.edit_action.isEnabled()
    assert picker.edit_current() is None
    picker.archive_action.trigger()
    assert journal.challenge(built_in.uuid).archived  # type: ignore[union-attr]
    assert built_in.uuid not in {c.uuid for c in picker.visible_challenges()}
    assert not dialogs.challenge_answers


def test_cancelling_the_dialog_adds_nothing(window: MainWindow, dialogs: FakeDialogs,
                                            journal: Journal) -> None:
    before = journal.challenges(include_archived=True)
    dialogs.challenge_answers.append(lambda dialog: dialog.title_edit.setText("Half typed"))
    assert window.picker.add_challenge() is None
    assert journal.challenges(include_archived=True) == before


def test_keep_a_free_form_ask_as_my_challenge(
    qtbot, window: MainWindow, dialogs: FakeDialogs, journal: Journal
) -> None:
    editor = window.editor
    qtbot.mouseClick(window.picker.free_button, Qt.MouseButton.LeftButton)
    assert "Free-form ask" in editor.challenge_label.text()
    assert not editor.keep_button.isVisibleTo(editor), "nothing to keep yet"
    qtbot.keyClicks(editor.ask, "Ask the florist for a single stem")
    assert editor.keep_button.isVisibleTo(editor)

    def fill(dialog: ChallengeDialog) -> None:
        assert dialog.title_edit.text() == "Ask the florist for a single stem"
        dialog.level.setValue(2)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.challenge_answers.append(fill)
    qtbot.mouseClick(editor.keep_button, Qt.MouseButton.LeftButton)
    kept = [c for c in journal.challenges() if c.is_custom]
    assert [c.title for c in kept] == ["Ask the florist for a single stem"]
    assert window.picker.current_challenge() == kept[0]
    assert "Ask the florist for a single stem" in editor.challenge_label.text()
    assert not editor.keep_button.isVisibleTo(editor)
    assert editor.ask.text() == "Ask the florist for a single stem", "the ask is kept"
    assert editor.is_dirty
    saved = editor.save()
    assert saved is not None and saved.challenge_uuid == kept[0].uuid
    assert "done 1×" in _subtitle(window.picker, kept[0].uuid)


# -- opening an entry -----------------------------------------------------------------------
def test_opening_an_entry_selects_its_challenge(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    picker = window.picker
    social = next(c for c in journal.challenges() if c.category is Category.SOCIAL)
    entry = journal.save_attempt(AttemptRecord(ask=social.title, attempted_on=date(2026, 1, 5),
                                               challenge_uuid=social.uuid))
    free = journal.save_attempt(AttemptRecord(ask="My own thing", attempted_on=date(2026, 1, 6)))
    picker.set_filters(category=Category.CAREER)
    picker.list.setCurrentRow(0)
    with qtbot.waitSignal(picker.message) as said:
        window.open_attempt(entry.uuid)
    assert picker.current_challenge() == social
    assert not picker.filters_active()
    assert "cleared the filters" in said.args[0]
    assert social.title in window.editor.challenge_label.text()
    assert f"level {social.level}" in window.editor.challenge_label.text()

    window.open_attempt(free.uuid)
    assert picker.current_challenge() is None, "the old selection does not stay"
    assert "free-form ask" in picker.details.toPlainText()
    assert "Free-form ask" in window.editor.challenge_label.text()
    window.open_attempt(entry.uuid)
    assert picker.current_challenge() == social


# -- the boundary guard ---------------------------------------------------------------------
@pytest.fixture
def tom_said_no(journal: Journal) -> AttemptRecord:
    return journal.save_attempt(AttemptRecord(
        ask="Ask my neighbour Tom to lend me his ladder", who_asked="Tom",
        attempted_on=date.today() - timedelta(days=3), outcome=Outcome.NO, actual_discomfort=5))


def test_boundary_reminder_before_asking_tom_for_the_ladder_again(
    qtbot, window: MainWindow, dialogs: FakeDialogs, journal: Journal,
    tom_said_no: AttemptRecord,
) -> None:
    editor = window.editor
    window.new_entry()
    qtbot.keyClicks(editor.ask, "Borrow the ladder again")
    qtbot.keyClicks(editor.who_asked, " tom ")
    qtbot.keyClicks(editor.anticipated, "6")
    typed = editor.form_state()

    dialogs.boundary_answers.append(False)  # go back to it
    qtbot.keyClick(editor.ask, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs.boundary_reminders) == 1
    reminder = dialogs.boundary_reminders[0]
    assert "Tom said no" in reminder and "lend me his ladder" in reminder
    assert "A no is the end of that ask" in reminder and "you can save it" in reminder
    assert journal.attempt_count() == 1, "not saved"
    assert editor.form_state() == typed and editor.is_dirty, "nothing typed is lost"
    assert editor.current_uuid is None

    dialogs.boundary_answers.append(True)  # save it anyway
    qtbot.keyClick(editor.ask, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert journal.attempt_count() == 2
    saved = journal.attempt(editor.current_uuid or "")
    assert saved is not None and saved.who_asked == "tom" and saved.anticipated_discomfort == 6
    assert not editor.is_dirty

    # Finishing the same entry later does not remind again (who and what are unchanged).
    qtbot.keyClicks(editor.lesson, "Let it go")
    assert editor.save() is not None
    assert len(dialogs.boundary_reminders) == 2


def test_no_reminder_for_another_person_or_another_ask(
    qtbot, window: MainWindow, dialogs: FakeDialogs, journal: Journal,
    tom_said_no: AttemptRecord,
) -> None:
    editor = window.editor
    for who, ask in (("Anna", "Borrow the ladder"), ("Tom", "Ask Tom round for a coffee"),
                     ("", "Borrow the ladder")):
        window.new_entry()
        qtbot.keyClicks(editor.ask, ask)
        qtbot.keyClicks(editor.who_asked, who)
        assert editor.save() is not None
    assert dialogs.boundary_reminders == []
    # editing the "no" itself is never a reminder of itself
    window.open_attempt(tom_said_no.uuid)
    editor.ask.setText("Ask Tom to lend me his long ladder")
    assert editor.save() is not None
    assert dialogs.boundary_reminders == []


def test_counts_are_read_again_only_when_an_entry_moves_them(
    qtbot, window: MainWindow
) -> None:
    # one query over every entry (~70 ms at 100,000): not after each edit of a reflection
    service, picker = window.service, window.picker
    reads: list[int] = []
    real = service.challenge_usage

    def counted(*args, **kwargs):
        reads.append(1)
        return real(*args, **kwargs)

    service.challenge_usage = counted  # type: ignore[method-assign]
    picker.list.setCurrentRow(0)
    chosen = picker.current_challenge()
    assert chosen is not None
    qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.editor.anticipated, "4")
    saved = window.editor.save()
    assert saved is not None and len(reads) == 1, "a new entry counts"
    window.editor.reflection.setPlainText("It went fine, really.")
    assert window.editor.save() is not None
    assert len(reads) == 1, "an edit of the entry's texts moves no count"
    service.save(saved.replace(attempted_on=date(2020, 5, 3)))
    assert len(reads) == 2, "a new date may change 'last'"
    assert "done 1×" in _subtitle(picker, chosen.uuid)
