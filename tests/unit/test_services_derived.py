"""Issue 19 part 3: the service tells views which derived state a change altered (today's
challenge, a ladder's progress, the picker's counts, the open count, the pause suggestion),
by the kind of thing, so no view keeps a list of entry fields; and a listener that fails is
shown once, logged afterwards, and never fails the save."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.records import AttemptRecord
from rejection_journal.services import Change, ChangeBus, FixedClock, JournalService
from rejection_journal.services.events import DERIVED, Entity
from rejection_journal.storage import Journal

TODAY = date(2026, 11, 20)


@pytest.fixture
def service(journal: Journal) -> JournalService:
    return JournalService(journal, clock=FixedClock(TODAY))


@pytest.fixture
def heard(service: JournalService) -> list[Change]:
    changes: list[Change] = []
    service.changes.subscribe(changes.append)
    return changes


def _rungs(service: JournalService) -> list[str]:
    by_level = sorted(service.challenges(), key=lambda c: (c.level, c.title))
    return [by_level[0].uuid, by_level[1].uuid]


def test_the_after_half_of_an_entry_at_a_rung_moves_the_ladder_and_todays_challenge(
    service: JournalService, heard: list[Change]
) -> None:
    first, second = _rungs(service)
    service.new_ladder("Ask for a raise", [first, second])
    assert service.current_rung() is not None and service.current_rung().challenge_uuid == first  # type: ignore[union-attr]
    for _ in range(2):  # two calm tries settle the first rung
        planned = service.save(AttemptRecord(ask="Ask for a small thing", challenge_uuid=first,
                                             attempted_on=TODAY, anticipated_discomfort=7))
        heard.clear()
        service.save(planned.replace(outcome=Outcome.YES, actual_discomfort=2))
        (change,) = heard
        # fields no view ever listed for "today" (the outcome, the felt discomfort) ...
        assert change.fields == frozenset({"outcome", "actual_discomfort"})
        # ... yet the service says what they moved
        assert change.touches(Entity.LADDER_PROGRESS) and change.touches(Entity.TODAY)
        assert change.touches(Entity.OPEN_COUNT) and change.touches(Entity.PAUSE)
        assert not change.touches(Entity.USAGE), "the challenge and date did not change"
    assert service.current_rung().challenge_uuid == second  # type: ignore[union-attr]


def test_a_text_edit_alters_no_derived_state(service: JournalService,
                                            heard: list[Change]) -> None:
    first, _second = _rungs(service)
    service.new_ladder("Ask for a raise", [first])
    stored = service.save(AttemptRecord(ask="Ask for a small thing", challenge_uuid=first,
                                        attempted_on=TODAY, outcome=Outcome.NO,
                                        anticipated_discomfort=7, actual_discomfort=4))
    assert heard[-1].touches(Entity.USAGE, Entity.LADDER_PROGRESS, Entity.TODAY)
    heard.clear()
    service.save(stored.replace(reflection="It went fine."))
    (change,) = heard
    assert change.touches(Entity.ATTEMPT)
    assert not change.touches(*DERIVED)


def test_an_entry_off_any_ladder_does_not_move_a_ladder(service: JournalService,
                                                       heard: list[Change]) -> None:
    first, second = _rungs(service)
    service.new_ladder("Ask for a raise", [first])
    heard.clear()
    service.save(AttemptRecord(ask="Something else", challenge_uuid=second, attempted_on=TODAY,
                               outcome=Outcome.YES, actual_discomfort=2))
    (change,) = heard
    assert change.touches(Entity.USAGE) and change.touches(Entity.TODAY)
    assert not change.touches(Entity.LADDER_PROGRESS)


def test_kinds_imply_their_derived_state_and_touches_looks_at_kinds() -> None:
    ladder = Change(Entity.LADDER, changed=("l",))
    assert ladder.touches(Entity.LADDER) and ladder.touches(Entity.LADDER_PROGRESS)
    assert ladder.touches(Entity.TODAY) and not ladder.touches(Entity.ATTEMPT, Entity.USAGE)
    day = Change(Entity.DAY, changed=("2026-11-21",), fields=frozenset())
    assert day.touches(Entity.TODAY, Entity.USAGE) and not day.touches(Entity.ATTEMPT)
    assert Change.reset().touches(Entity.PAUSE), "a reset touches everything"


def test_a_repeatedly_failing_listener_is_shown_once_then_logged(
    journal: Journal, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[BaseException] = []
    service = JournalService(journal, ChangeBus(on_listener_error=shown.append),
                             clock=FixedClock(TODAY))
    seen: list[Change] = []

    def broken_view(_change: Change) -> None:
        raise KeyError("a widget's bug")

    service.changes.subscribe(broken_view)
    service.changes.subscribe(seen.append)
    saved = [service.save(AttemptRecord(ask=f"Ask number {n}", attempted_on=TODAY))
             for n in range(3)]
    assert [service.attempt(r.uuid) for r in saved] == saved, "every save committed"
    assert len(seen) == 3, "the other views heard every change"
    assert len(shown) == 1 and isinstance(shown[0], KeyError), "shown once, not per change"
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2 and all(r.exc_info for r in failures), "later ones are logged"
