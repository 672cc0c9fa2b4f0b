"""Issue 21, the variety rule on the Ladders tab: a step that has become calm, every try there
made the same way, is suggested once more a different way, with the one-sentence reason.

(The ladder's history the service hands the tab did not carry the way of asking, so the
rule never fired in the app: the first test here failed on that code.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import AskMode
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import FixedClock, JournalService
from rejection_journal.storage import Journal
from rejection_journal.ui.main_window import MainWindow
from rejection_journal.ui.picker import SUBTITLE_ROLE

TODAY = date(2026, 12, 6)
REASON = ("This step has become calm — do it once more by phone instead of in person before "
          "moving up: practising in a different way makes what you learned stick.")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


def _calm_first_step(journal: Journal, clock: FixedClock, mode: AskMode | None) -> str:
    """A three-step ladder whose first step felt calm twice, both tries made ``mode``; the
    first step's title."""
    service = JournalService(journal, clock=clock)
    first, second, third = sorted(service.challenges(), key=lambda c: (c.level, c.title))[:3]
    service.new_ladder("Ask for what I need", [first.uuid, second.uuid, third.uuid])
    for days_ago in (4, 2):
        service.save(AttemptRecord(
            ask=first.title, challenge_uuid=first.uuid,
            attempted_on=TODAY - timedelta(days=days_ago), anticipated_discomfort=7,
            outcome=Outcome.YES, actual_discomfort=2, ask_mode=mode))
    return first.title


def test_the_ladders_tab_suggests_the_calm_step_once_more_a_different_way(
        qtbot, journal: Journal, clock: FixedClock,
        make_window: Callable[[], MainWindow], tmp_path: Path) -> None:
    title = _calm_first_step(journal, clock, AskMode.IN_PERSON)
    window = make_window()
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.rungs.count() == 3)
    text = panel.suggestion_label.text()
    assert text.startswith(f"<b>Next: {title}</b>")
    assert REASON in text
    # the first step carries the "next" marker again, not the second
    assert [row for row in range(panel.rungs.count())
            if str(panel.rungs.item(row).data(SUBTITLE_ROLE)).startswith("▶ Next")] == [0]
    panel.grab().save(str(tmp_path / "ladder-variety.png"))


def test_without_ways_recorded_the_suggestion_moves_up_as_before(
        qtbot, journal: Journal, clock: FixedClock,
        make_window: Callable[[], MainWindow]) -> None:
    _calm_first_step(journal, clock, None)
    window = make_window()
    panel = window.ladders
    window.picker_tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.rungs.count() == 3)
    assert "different way" not in panel.suggestion_label.text()
    assert "step below" in panel.suggestion_label.text()
