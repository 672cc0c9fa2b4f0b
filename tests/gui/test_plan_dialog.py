"""Build my plan in the window (issue 23): take the self-check with the keyboard, read the
result, edit the proposed ladder (remove, reorder, swap, ceiling, goal) and save it, with a
30-day run; reachable from Journal ▸ Build my plan…, the welcome and the Ladders tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from rejection_journal.domain.enums import Category
from rejection_journal.domain.plan import NOT_A_DIAGNOSIS, check_items
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.plan_dialog import PAGE_CHECK, PAGE_PLAN, PAGE_RESULT, PlanDialog
from tests.gui.conftest import FakeDialogs

ITEMS = check_items()
#: work feels hard, the rest fairly calm
ANSWERS = {item.id: ((5, 2) if item.category is Category.CAREER else (2, 5)) for item in ITEMS}


def _dialog(qtbot, journal: Journal) -> PlanDialog:
    dialog = PlanDialog(JournalService(journal))
    qtbot.addWidget(dialog)
    return dialog


def _fill(dialog: PlanDialog) -> None:
    dialog.set_answers(ANSWERS)


def test_the_self_check_is_taken_with_the_keyboard(qtbot, journal: Journal) -> None:
    dialog = _dialog(qtbot, journal)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.pages.currentIndex() == PAGE_CHECK
    assert not dialog.next_button.isEnabled(), "not before every situation is rated"
    first = ITEMS[0]
    combo = dialog.anxiety[first.id]
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    combo.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(combo.hasFocus)
    QTest.keyClick(combo, Qt.Key.Key_4)
    assert combo.currentData() == 4
    QTest.keyClick(combo, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.acceptance[first.id], \
        "Tab goes on to the second rating"
    QTest.keyClick(dialog.acceptance[first.id], Qt.Key.Key_2)
    assert dialog.acceptance[first.id].currentData() == 2
    assert dialog.answered_label.text() == f"1 of {len(ITEMS)} situations rated"
    rest = {k: v for k, v in ANSWERS.items() if k != first.id}
    dialog.set_answers(rest)
    assert dialog.next_button.isEnabled()
    assert dialog.answers() == {**ANSWERS, first.id: (4, 2)}
    assert dialog.anxiety[first.id].accessibleName().startswith("How anxious, situation 1")


def test_the_result_says_what_feels_hardest_and_that_it_is_no_diagnosis(
        qtbot, journal: Journal) -> None:
    dialog = _dialog(qtbot, journal)
    _fill(dialog)
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == PAGE_RESULT
    text = dialog.result_label.text()
    assert "Asking at work feels hardest" in text
    assert NOT_A_DIAGNOSIS in text
    dialog.back_button.click()
    assert dialog.pages.currentIndex() == PAGE_CHECK
    assert dialog.answers() == ANSWERS, "going back keeps the answers"


def test_edit_the_proposal_and_save_it_as_a_ladder_with_a_run(
        qtbot, journal: Journal) -> None:
    dialog = _dialog(qtbot, journal)
    service = dialog._service
    _fill(dialog)
    dialog.next_button.click()
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == PAGE_PLAN
    proposed = dialog.plan_challenges()
    assert 6 <= len(proposed) <= 10
    assert dialog.rung_list.count() == len(proposed)
    assert "a little below where asking at work starts to feel hard" in \
        dialog.rung_list.item(0).text()

    # a ceiling and a goal, proposed again
    dialog.ceiling_spin.setValue(5)
    dialog.goal_edit.setText("ask for a raise")
    dialog.redo_button.click()
    levels = [c.level for c in dialog.plan_challenges()]
    assert max(levels) <= 5 and levels == sorted(levels)
    assert "Towards your goal “ask for a raise”" in "\n".join(
        dialog.rung_list.item(i).text() for i in range(dialog.rung_list.count()))

    # remove the second step, move the (new) second one down, swap the third
    steps = dialog.plan_challenges()
    dialog.rung_list.setCurrentRow(1)
    dialog.remove_button.click()
    assert dialog.plan_challenges() == steps[:1] + steps[2:]
    dialog.rung_list.setCurrentRow(1)
    dialog.down_button.click()
    assert dialog.rung_list.currentRow() == 2
    order = dialog.plan_challenges()
    assert order[1:3] == [steps[3], steps[2]]
    dialog.rung_list.setCurrentRow(2)
    assert dialog.swap_combo.isEnabled()
    dialog.swap_combo.setCurrentIndex(0)
    swapped_in = dialog.swap_combo.currentData()
    assert swapped_in.category is order[2].category
    assert abs(swapped_in.level - order[2].level) <= 1
    dialog.swap_button.click()
    final = dialog.plan_challenges()
    assert final[2] == swapped_in and final[:2] == order[:2] and final[3:] == order[3:]
    assert dialog.rung_list.item(2).text().count("\n") == 1, "still one reason line"

    dialog.run_check.setChecked(True)
    dialog.save_button.click()
    assert dialog.result() == PlanDialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.goal == "ask for a raise"
    stored = service.ladder(dialog.saved.uuid)
    assert stored is not None
    assert [r.challenge_uuid for r in stored.rungs] == [c.uuid for c in final]
    assert dialog.run is not None and dialog.run.ladder_uuid == stored.uuid
    assert dialog.run.length_days == 30 and service.active_run() == dialog.run


def _journal_menu(window: MainWindow) -> QMenu:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&Journal"]
    return cast(QMenu, menus[0])


def _save_as_is(dialog: PlanDialog) -> None:
    dialog.set_answers(ANSWERS)
    dialog.go_next()
    dialog.go_next()
    dialog.save()


def test_journal_menu_builds_a_plan_and_shows_it_on_the_ladders_tab(
        qtbot, window: MainWindow, dialogs: FakeDialogs) -> None:
    action = [a for a in _journal_menu(window).actions()
              if a.text().replace("&", "") == "Build my plan…"]
    assert action, "Journal ▸ Build my plan…"
    dialogs.plan_answers.append(_save_as_is)
    action[0].trigger()
    ladders = window.service.ladders()
    assert [ladder.goal for ladder in ladders] == ["My first plan"]
    assert window.ladders.current_ladder_uuid() == ladders[0].uuid
    assert window.picker_tabs.currentWidget() is window.ladders
    assert "My first plan" in window.statusBar().currentMessage()


def test_a_cancelled_plan_saves_nothing(qtbot, window: MainWindow,
                                        dialogs: FakeDialogs) -> None:
    dialogs.plan_answers.append(lambda dialog: dialog.reject())
    window.build_plan()
    assert window.service.ladders() == []


def test_the_ladders_tab_and_the_welcome_offer_it(
        qtbot, make_window: Callable[[], MainWindow], dialogs: FakeDialogs) -> None:
    dialogs.welcome_answers.append("plan")
    dialogs.plan_answers.append(lambda dialog: dialog.reject())
    window = make_window()
    qtbot.waitUntil(lambda: dialogs.welcome_plans == [True])
    assert len(dialogs.plan_dialogs) == 1, "the welcome's Build my plan opens it"
    assert window.ladders.empty_plan_button.isVisibleTo(window.ladders)
    dialogs.plan_answers.append(_save_as_is)
    window.ladders.empty_plan_button.click()
    assert len(window.service.ladders()) == 1
    dialogs.plan_answers.append(lambda dialog: dialog.reject())
    window.ladders.plan_action.trigger()
    assert len(dialogs.plan_dialogs) == 3, "the Ladders tab's menu reaches it too"


def test_welcome_offers_build_my_plan_beside_the_demo(qtbot) -> None:
    from rejection_journal.ui.welcome import WelcomeDialog

    dialog = WelcomeDialog(True)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planRequested):
        dialog.plan_button.click()
    assert not dialog.isVisible()


def test_screenshots(qtbot, journal: Journal, tmp_path: Path) -> None:
    """Render the pages (default size and 1024×640) for a person to look at."""
    dialog = _dialog(qtbot, journal)
    out = Path(__import__("os").environ.get("PLAN_SHOTS", tmp_path))
    for size, tag in (((760, 620), "default"), ((1024, 640), "1024x640")):
        dialog.resize(*size)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog._show_page(PAGE_CHECK)
        dialog.set_answers({k: v for k, v in list(ANSWERS.items())[:5]})
        assert dialog.grab().save(str(out / f"plan-check-{tag}.png"))
        _fill(dialog)
        dialog.go_next()
        assert dialog.grab().save(str(out / f"plan-result-{tag}.png"))
        dialog.go_next()
        assert dialog.grab().save(str(out / f"plan-proposal-{tag}.png"))


def test_reaching_the_result_keeps_it_with_its_date_once_per_sitting(
        qtbot, journal: Journal) -> None:
    service = JournalService(journal, clock=FixedClock(date(2026, 5, 4)))
    dialog = PlanDialog(service)
    qtbot.addWidget(dialog)
    dialog.set_answers(ANSWERS)
    dialog.go_next()
    assert dialog.pages.currentIndex() == PAGE_RESULT
    kept = service.self_checks()
    assert [(c.taken_on, dict(c.answers)) for c in kept] == [(date(2026, 5, 4), ANSWERS)]
    dialog.go_back()
    dialog.go_next()
    assert service.self_checks() == kept, "the same answers again: kept once"
    changed = {**ANSWERS, ITEMS[0].id: (1, 6)}
    dialog.go_back()
    dialog.set_answers(changed)
    dialog.go_next()
    [corrected] = service.self_checks()
    assert corrected.uuid == kept[0].uuid and dict(corrected.answers) == changed
    dialog.reject()
    again = PlanDialog(service)
    qtbot.addWidget(again)
    again.set_answers(ANSWERS)
    again.go_next()
    assert len(service.self_checks()) == 2, "the self-check can be taken again"
