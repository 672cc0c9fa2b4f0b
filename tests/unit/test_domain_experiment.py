"""Issue 21: each ask as a small experiment — the derived numbers, checked by hand, and the
variety rule of ladders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rejection_journal.domain.enums import Outcome
from rejection_journal.domain.experiment import (
    AskMode,
    EntryKind,
    FearHappened,
    change,
    entry_learning_rate,
    experiment_points,
    fear_sentence,
    learning_rate,
    summarise,
    violation,
)
from rejection_journal.domain.ladders import suggest
from rejection_journal.domain.picker import Rung, Step
from rejection_journal.domain.records import AttemptRecord, ValidationError

DAY = date(2024, 5, 1)


def entry(days: int = 0, *, fear: str = "They'll laugh at me", before: int | None = None,
          happened: FearHappened | None = None, after: int | None = None,
          kind: EntryKind = EntryKind.ASK) -> AttemptRecord:
    return AttemptRecord(ask="Ask for a discount", attempted_on=DAY + timedelta(days=days),
                         outcome=Outcome.NO if happened or after is not None else None,
                         kind=kind, feared_outcome=fear, fear_likelihood=before,
                         fear_happened=happened, fear_likelihood_after=after).validated()


def test_violation_is_the_likelihood_minus_what_happened_with_partly_as_half() -> None:
    assert violation(70, FearHappened.NO) == 70
    assert violation(70, FearHappened.YES) == -30
    assert violation(70, FearHappened.PARTLY) == 20
    assert violation(50, FearHappened.PARTLY) == 0
    assert violation(None, FearHappened.YES) is None
    assert violation(40, None) is None


def test_change_is_before_minus_now_and_needs_both() -> None:
    assert change(70, 35) == 35
    assert change(20, 60) == -40
    assert change(None, 35) is None
    assert change(70, None) is None


def test_learning_rate_per_entry_is_undefined_for_a_zero_violation() -> None:
    assert entry_learning_rate(35, 70) == 0.5
    assert entry_learning_rate(10, 0) is None
    assert entry_learning_rate(None, 70) is None


def test_learning_rate_over_time_is_the_slope_through_the_origin() -> None:
    # by hand: (35*70 + (-10)*(-30) + 5*0) / (70^2 + 30^2 + 0) = (2450 + 300) / 5800
    assert learning_rate([(35, 70), (-10, -30), (5, 0)]) == pytest.approx(2750 / 5800)
    # zero violations and missing numbers add nothing; none left: undefined
    assert learning_rate([(5, 0), (None, 40), (10, None)]) is None
    assert learning_rate([]) is None


def test_points_summary_and_rolling_change_by_hand() -> None:
    entries = [
        entry(0, before=70, happened=FearHappened.NO, after=60),       # change 10, viol 70
        entry(1, before=60, happened=FearHappened.PARTLY, after=55),   # change 5, viol 10
        entry(2, before=55),                                           # no after: no change
        entry(3, before=50, happened=FearHappened.YES, after=50),      # change 0, viol -50
        entry(4, kind=EntryKind.HAPPENED_TO_ME, fear=""),              # left out
        entry(5, fear="", before=None),                                # no fear: left out
    ]
    points = experiment_points(reversed(entries))  # any order in, oldest first out
    assert [p.change for p in points] == [10, 5, None, 0]
    assert [p.violation for p in points] == [70, 10, None, -50]
    assert [p.rolling_change for p in points] == [10, 7.5, None, 5]
    summary = summarise(entries)
    assert summary.experiments == 4
    assert summary.left_out == 2
    assert summary.average_change == 5
    assert summary.learning_rate == pytest.approx((10 * 70 + 5 * 10 + 0) / (70**2 + 10**2
                                                                            + 50**2))


def test_missing_ratings_give_no_numbers_but_still_count_as_experiments() -> None:
    summary = summarise([entry(0, before=None), entry(1, before=None)])
    assert summary.experiments == 2
    assert summary.average_change is None
    assert summary.learning_rate is None


def test_the_headline_sentence() -> None:
    asks = [entry(0, before=70, happened=FearHappened.NO, after=60)]
    asks += [entry(i, before=55, happened=FearHappened.NO, after=45) for i in range(1, 11)]
    asks += [entry(11, fear=" they'll LAUGH at me ", before=45, happened=FearHappened.YES,
                   after=35)]
    asks += [entry(12, fear="I'll freeze", before=90)]
    assert fear_sentence(experiment_points(asks)) == (
        "Your fear “they'll LAUGH at me” went from 70 % to 35 % over 12 asks; "
        "it happened once.")
    assert fear_sentence(experiment_points([entry(0, before=30, happened=FearHappened.PARTLY,
                                                  after=20)])) == (
        "Your fear “They'll laugh at me” went from 30 % to 20 % over 1 ask; "
        "it partly happened once.")
    assert fear_sentence(experiment_points([entry(0, before=None)])) == (
        "You named the fear “They'll laugh at me” in 1 ask; "
        "you have not yet said whether it happened.")
    assert fear_sentence(()) is None


def test_a_likelihood_of_150_is_named_never_clamped() -> None:
    with pytest.raises(ValidationError) as refused:
        AttemptRecord(ask="x", attempted_on=DAY, fear_likelihood=150).validated()
    assert str(refused.value) == "How likely it feels: must be from 0 to 100, not 150"
    with pytest.raises(ValidationError) as refused:
        AttemptRecord(ask="x", attempted_on=DAY, outcome=Outcome.YES,
                      fear_likelihood_after=-1).validated()
    assert str(refused.value) == "How likely does it feel now?: must be from 0 to 100, not -1"
    with pytest.raises(ValidationError, match="How surprised were you"):
        AttemptRecord(ask="x", attempted_on=DAY, outcome=Outcome.YES, surprise=11).validated()


@pytest.mark.parametrize(("changes", "attribute"), [
    ({"awaiting_answer": True, "outcome": Outcome.NO}, "awaiting_answer"),
    ({"follow_up_on": DAY}, "follow_up_on"),
    ({"fear_happened": FearHappened.YES}, "outcome"),
    ({"safety_behaviours": ("script", "script")}, "safety_behaviours"),
    ({"safety_behaviours": (" ",)}, "safety_behaviours"),
    ({"safety_dropped": ["script"]}, "safety_dropped"),
    ({"feared_outcome": "x" * 301}, "feared_outcome"),
])
def test_the_experiment_fields_are_checked(changes: dict[str, object], attribute: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AttemptRecord(ask="x", attempted_on=DAY).replace(**changes).validated()
    assert refused.value.attribute == attribute


def test_a_waiting_entry_is_neither_open_to_reflect_on_nor_a_no() -> None:
    waiting = AttemptRecord(ask="Apply for the job", attempted_on=DAY, awaiting_answer=True,
                            follow_up_on=DAY + timedelta(days=14)).validated()
    assert waiting.is_waiting and waiting.outcome is None
    answered = waiting.replace(awaiting_answer=False, follow_up_on=None,
                               outcome=Outcome.NO_RESPONSE).validated()
    assert not answered.is_waiting


# -- the variety rule -------------------------------------------------------------------------
RUNGS = (Rung("a", "Ask a stranger the time"), Rung("b", "Ask for a discount"))


def tried(rung: str, days: int, mode: AskMode | None, felt: int = 2) -> AttemptRecord:
    return AttemptRecord(ask="x", attempted_on=DAY + timedelta(days=days), challenge_uuid=rung,
                         outcome=Outcome.YES, anticipated_discomfort=6, actual_discomfort=felt,
                         ask_mode=mode)


def test_a_calm_rung_done_one_way_is_proposed_once_more_another_way() -> None:
    history = [tried("a", 0, AskMode.IN_PERSON), tried("a", 1, AskMode.IN_PERSON)]
    suggestion = suggest(RUNGS, history)
    assert (suggestion.step, suggestion.index) == (Step.VARY, 0)
    assert suggestion.explanation == (
        "This step has become calm — do it once more by phone instead of in person before "
        "moving up: practising in a different way makes what you learned stick.")
    # once done another way, the ladder moves up
    history.append(tried("a", 2, AskMode.PHONE))
    assert (suggest(RUNGS, history).step, suggest(RUNGS, history).index) == (Step.MOVE_UP, 1)


def test_variety_does_not_apply_before_calm_nor_without_ways_and_applies_at_the_top() -> None:
    assert suggest(RUNGS, [tried("a", 0, AskMode.PHONE, felt=8)]).step is Step.REPEAT
    unsaid = [tried("a", 0, None), tried("a", 1, None)]
    assert suggest(RUNGS, unsaid).step is Step.MOVE_UP
    mixed = [tried("a", 0, AskMode.PHONE), tried("a", 1, AskMode.MESSAGE)]
    assert suggest(RUNGS, mixed).step is Step.MOVE_UP
    top = [*mixed, tried("b", 2, AskMode.ONLINE), tried("b", 3, AskMode.ONLINE)]
    suggestion = suggest(RUNGS, top)
    assert (suggestion.step, suggestion.index) == (Step.VARY, 1)
    assert "in person instead of online" in suggestion.explanation
