"""Issue 8, fear ladders and challenge runs through real widgets: make a ladder, put rungs on
it, reorder them by keyboard and by drag and drop, rename, delete and undo, see each rung's
stats and the next-rung marker move up, start a rung and a run, and the chart pane's ladder
selector."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Qt

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord
from rejection_journal.services import JournalService
from rejection_journal.ui.ladders import NO_LADDERS_TEXT, NO_RUNGS_TEXT, LadderPanel
from rejection_journal.ui.main_window import MainWindow

from .conftest import FakeDialogs


def _three(service: JournalService) -> list[ChallengeRecord]:
    by_level = sorted(service.challenges(), key=lambda c: (c.level, c.title))
    return [by_level[0], by_level[len(by_level) // 2], by_level[-1]]


def _make_ladder(qtbot, panel: LadderPanel, goal: str) -> None:
    panel.begin_new()
    assert panel.goal_box.isVisible()
    qtbot.keyClicks(panel.goal_edit, goal)
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)


def _rung_uuids(window: MainWindow) -> list[str]:
    uuid = window.ladders.current_ladder_uuid()
    assert uuid is not None
    ladder = JournalService(window.service.journal).ladder(uuid)  # read afresh
    assert ladder is not None
    return [r.challenge_uuid for r in ladder.rungs]


def _build(qtbot, window: MainWindow) -> list[ChallengeRecord]:
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    _make_ladder(qtbot, panel, "Ask for a raise")
    chosen = _three(window.service)
    for challenge in chosen:
        assert window.picker.select_challenge(challenge.uuid)
        qtbot.mouseClick(panel.add_selected_button, Qt.MouseButton.LeftButton)
    return chosen


def test_empty_states_then_a_new_ladder_validated_inline(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    assert panel.stack.currentIndex() == 0
    assert panel.empty_label.text() == NO_LADDERS_TEXT
    qtbot.mouseClick(panel.empty_new_button, Qt.MouseButton.LeftButton)
    assert panel.goal_box.isVisible()
    qtbot.keyClicks(panel.goal_edit, "   ")
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    assert "goal" in panel.goal_error.text()
    assert window.service.ladders() == []
    panel.goal_edit.clear()
    qtbot.keyClicks(panel.goal_edit, "x" * 400)  # too long: the domain's rule, said inline
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    assert panel.goal_error.text() and window.service.ladders() == []
    panel.goal_edit.clear()
    qtbot.keyClicks(panel.goal_edit, "Ask for a raise")
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    assert not panel.goal_box.isVisible()
    assert [ladder.goal for ladder in window.service.ladders()] == ["Ask for a raise"]
    assert panel.stack.currentIndex() == 1
    assert panel.rung_stack.currentWidget() is panel.no_rungs_label
    assert panel.no_rungs_label.text() == NO_RUNGS_TEXT


def test_add_rungs_and_reorder_by_keyboard_and_by_drop(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    a, b, c = _build(qtbot, window)
    assert _rung_uuids(window) == [a.uuid, b.uuid, c.uuid]
    assert panel.rungs.count() == 3
    assert panel.rung_texts()[0][0] == f"L{a.level} · {a.title}"
    # the same challenge twice: refused with a word, nothing changes
    window.picker.select_challenge(a.uuid)
    with qtbot.waitSignal(panel.message) as said:
        panel.add_selected()
    assert "already" in said.args[0]
    # keyboard: Ctrl+Down moves the first rung down, Alt+Up back up
    panel.rungs.setFocus()
    panel.rungs.setCurrentRow(0)
    qtbot.keyClick(panel.rungs, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _rung_uuids(window) == [b.uuid, a.uuid, c.uuid]
    assert panel.rungs.currentRow() == 1  # the moved rung stays selected
    qtbot.keyClick(panel.rungs, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert _rung_uuids(window) == [b.uuid, c.uuid, a.uuid]
    qtbot.keyClick(panel.rungs, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _rung_uuids(window) == [b.uuid, a.uuid, c.uuid]
    # the buttons
    panel.rungs.setCurrentRow(1)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert _rung_uuids(window) == [a.uuid, b.uuid, c.uuid]
    assert not panel.up_button.isEnabled()  # the top row cannot go higher
    # drag and drop: the view's model moves the row, as QListWidget's drop does
    model = panel.rungs.model()
    assert model.moveRow(QModelIndex(), 2, QModelIndex(), 0)
    qtbot.waitUntil(lambda: _rung_uuids(window) == [c.uuid, a.uuid, b.uuid], timeout=2000)
    assert [t for t, _s in panel.rung_texts()] == [
        f"L{x.level} · {x.title}" for x in (c, a, b)]
    # it persists: a fresh panel on the same journal shows the same order
    again = LadderPanel(JournalService(window.service.journal))
    qtbot.addWidget(again)
    assert again.rungs.uuids() == [c.uuid, a.uuid, b.uuid]
    # Undo takes the last move back
    window.undo_action.trigger()
    assert _rung_uuids(window) == [a.uuid, b.uuid, c.uuid]
    assert panel.rungs.uuids() == [a.uuid, b.uuid, c.uuid]
    # remove a rung
    panel.rungs.setCurrentRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert _rung_uuids(window) == [a.uuid, c.uuid]


def test_add_a_rung_by_searching(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    _make_ladder(qtbot, panel, "Speak up in meetings")
    challenge = _three(window.service)[1]
    text = f"L{challenge.level} · {challenge.title}"
    completer = panel.add_search.completer()
    completer.setCompletionPrefix(challenge.title[2:12])
    shown = [completer.completionModel().index(r, 0).data()
             for r in range(completer.completionModel().rowCount())]
    assert text in shown  # search by any part of the title
    panel.add_search.setText(text)
    qtbot.keyClick(panel.add_search, Qt.Key.Key_Return)
    assert _rung_uuids(window) == [challenge.uuid]
    assert panel.add_search.text() == ""
    # picking from the completer's popup adds it too
    other = _three(window.service)[2]
    completer.activated.emit(f"L{other.level} · {other.title}")
    assert _rung_uuids(window) == [challenge.uuid, other.uuid]


def test_rename_and_delete_with_undo(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    a, b, c = _build(qtbot, window)
    uuid = panel.current_ladder_uuid()
    panel.rename_action.trigger()
    assert panel.goal_edit.text() == "Ask for a raise"
    panel.goal_edit.clear()
    qtbot.keyClicks(panel.goal_edit, "Ask for a pay rise")
    qtbot.mouseClick(panel.goal_ok, Qt.MouseButton.LeftButton)
    assert panel.ladder_combo.currentText() == "Ask for a pay rise"
    assert window.service.ladder(uuid).goal == "Ask for a pay rise"  # type: ignore[arg-type, union-attr]
    with qtbot.waitSignal(panel.message) as said:
        panel.delete_action.trigger()
    assert "Ctrl+Z" in said.args[0]
    assert window.service.ladders() == []
    assert panel.stack.currentIndex() == 0
    assert "Delete ladder" in window.undo_action.text()
    window.undo_action.trigger()
    assert panel.current_ladder_uuid() == uuid
    assert panel.rungs.uuids() == [a.uuid, b.uuid, c.uuid]
    assert panel.ladder_combo.currentText() == "Ask for a pay rise"


def test_rung_stats_and_the_next_marker_moves_up_after_two_calm_tries(
        qtbot, window: MainWindow) -> None:
    panel = window.ladders
    a, b, _c = _build(qtbot, window)
    assert panel.rung_texts()[0][1].startswith("▶ Next · not tried yet")
    assert panel.rungs.item(0).font().bold()
    assert "Next:" in panel.suggestion_label.text()
    today = date.today()
    for n, (expected, felt) in enumerate(((6, 3), (5, 2))):
        window.service.save(AttemptRecord(
            ask=a.title, challenge_uuid=a.uuid, attempted_on=today - timedelta(days=2 - n),
            anticipated_discomfort=expected, actual_discomfort=felt, outcome=Outcome.NO))
        if n == 0:
            assert panel.rung_texts()[0][1] == "▶ Next · 1 try · last: expected 6, felt 3"
    first, second = panel.rung_texts()[0][1], panel.rung_texts()[1][1]
    assert first == "2 tries · last: expected 5, felt 2"
    assert second.startswith("▶ Next")
    assert panel.rungs.item(1).font().bold() and not panel.rungs.item(0).font().bold()
    assert b.title in panel.suggestion_label.text()
    assert "ready for this one" in panel.suggestion_label.text()


def test_start_this_rung_fills_the_editor(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    _a, b, _c = _build(qtbot, window)
    panel.rungs.setCurrentRow(1)
    with qtbot.waitSignal(panel.challengeStarted) as started:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert started.args[0] == b
    assert window.editor.current_uuid is None  # a new entry, for the rung's challenge
    assert window.editor.ask.text() == b.title
    assert window.editor._challenge_uuid == b.uuid


def test_todays_card_updates_when_a_ladder_changes(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    _make_ladder(qtbot, panel, "Be heard")
    challenge = next(c for c in window.service.challenges()
                     if c != window.picker.todays_challenge)
    panel.add_challenge(challenge.uuid)
    assert window.picker.todays_challenge == challenge
    assert challenge.title in window.picker.today_title.text()


def test_start_a_run_and_see_its_progress(qtbot, window: MainWindow,
                                          dialogs: FakeDialogs) -> None:
    panel = window.ladders
    runs = panel.runs
    window.picker_tabs.setCurrentWidget(panel)
    assert "30 or 100 days" in runs.progress_text()
    assert not runs.end_button.isVisible()
    qtbot.mouseClick(runs.start30_button, Qt.MouseButton.LeftButton)
    assert runs.run is not None and runs.run.length_days == 30
    assert runs.progress_text().startswith("Day 1 of 30")
    assert "0 days with an attempt · 0 asks made · 0 no’s collected" in runs.progress_text()
    window.service.save(AttemptRecord(ask="Ask for a discount", attempted_on=date.today(),
                                      outcome=Outcome.NO, actual_discomfort=4))
    assert "1 day with an attempt · 1 ask made · 1 no collected" in runs.progress_text()
    for word in ("streak", "missed", "failed", "broke"):
        assert word not in runs.progress_text().lower()
    dialogs.confirm_answers.append(True)
    qtbot.mouseClick(runs.end_button, Qt.MouseButton.LeftButton)
    assert window.service.active_run() is None
    assert runs.start_row.isVisible()


def test_a_run_on_the_shown_ladder(qtbot, window: MainWindow) -> None:
    panel = window.ladders
    _build(qtbot, window)
    panel.runs.on_ladder.setChecked(True)
    qtbot.mouseClick(panel.runs.start100_button, Qt.MouseButton.LeftButton)
    run = window.service.active_run()
    assert run is not None and run.length_days == 100
    assert run.ladder_uuid == panel.current_ladder_uuid()
    assert "Ask for a raise" in panel.runs.progress_text()


def test_chart_pane_ladder_selector(qtbot, window: MainWindow) -> None:
    chart = window.chart
    assert chart.ladder_combo.count() == 1  # "Latest ladder" only
    assert not chart.ladder_combo.isVisible()
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    _make_ladder(qtbot, panel, "Ask for a raise")
    uuid = panel.current_ladder_uuid()
    assert [chart.ladder_combo.itemText(i) for i in range(chart.ladder_combo.count())] == [
        "Latest ladder", "Ask for a raise"]
    chart.set_kind("ladder")
    assert chart.ladder_combo.isVisible()
    assert chart.set_ladder(uuid)
    assert chart.chart_filter().ladder == uuid
    chart.kind_combo.setCurrentIndex(0 if chart.kind_combo.itemData(0) != "ladder" else 1)
    assert not chart.ladder_combo.isVisible()
    assert chart.chart_filter().ladder is None  # the other charts are not limited to it


def test_a_second_ladder_with_the_same_goal_is_refused_inline(qtbot, window: MainWindow) -> None:
    window.service.new_ladder("Ask for a raise")
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    panel.new_action.trigger()
    qtbot.keyClicks(panel.goal_edit, "ask for a RAISE")
    qtbot.keyClick(panel.goal_edit, Qt.Key.Key_Return)
    assert "already have a ladder" in panel.goal_error.text()
    assert [ladder.goal for ladder in window.service.ladders()] == ["Ask for a raise"]


def test_the_start_button_names_the_step_it_starts(qtbot, window: MainWindow) -> None:
    """It sits under "Next: …": it must say which step it starts, the selected one, so the
    user is never surprised by starting another step than the one they read."""
    panel = window.ladders
    chosen = _build(qtbot, window)
    overview = panel.overview
    assert overview is not None and overview.suggestion.index is not None
    next_row = overview.suggestion.index
    panel.rungs.setCurrentRow(next_row)
    assert chosen[next_row].title[:20] in panel.start_button.text()
    other = (next_row + 1) % panel.rungs.count()
    panel.rungs.setCurrentRow(other)
    named = panel.start_button.text()
    assert named.startswith("Start “") and chosen[other].title[:20] in named
    assert chosen[next_row].title[:20] not in named
    with qtbot.waitSignal(panel.challengeStarted, timeout=5000) as started:
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert started.args[0].uuid == chosen[other].uuid, "it starts the step it names"
