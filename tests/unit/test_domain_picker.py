"""The picker's pure rules: today's challenge, drawing a card, the next rung, the boundary guard."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import (
    Ladder,
    PastAttempt,
    Rung,
    Step,
    attempts_by_rung,
    boundary_match,
    completed_tries,
    draw_card,
    felt_easier,
    next_rung,
    normalise_person,
    similar_asks,
    todays_challenge,
)
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord

LIBRARY = builtin_challenges()
DAY = date(2026, 3, 14)


def _challenge(n: int, **changes: object) -> ChallengeRecord:
    base = ChallengeRecord(uuid=f"00000000-0000-4000-8000-{n:012d}", title=f"Challenge {n}",
                           category=Category.SOCIAL, level=1 + n % 10)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _done(challenge: ChallengeRecord, on: date, **fields: object) -> PastAttempt:
    return PastAttempt(challenge.uuid, on, **fields)  # type: ignore[arg-type]


# -- today's challenge -----------------------------------------------------------------------
def test_today_is_the_same_on_every_launch_and_in_any_order() -> None:
    first = todays_challenge(DAY, LIBRARY, [])
    assert first is not None
    shuffled = list(LIBRARY)
    random.Random(4).shuffle(shuffled)
    assert todays_challenge(DAY, shuffled, []) == first
    assert todays_challenge(DAY, tuple(LIBRARY), iter(())) == first


def test_today_does_not_depend_on_pythons_per_process_hash_seed() -> None:
    # Pinned: the pick is a SHA-256 of the ISO date and the UUID, the same in every process
    # and on every machine (a hash() based pick would change between launches).
    uuids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(5)]
    pool = [_challenge(n) for n in range(5)]
    assert [uuids.index(todays_challenge(date(2026, 1, d), pool, []).uuid)  # type: ignore[union-attr]
            for d in range(1, 8)] == [4, 2, 2, 2, 3, 0, 0]


def test_different_days_spread_over_the_whole_library() -> None:
    picks = Counter(
        todays_challenge(DAY + timedelta(days=d), LIBRARY, []).uuid  # type: ignore[union-attr]
        for d in range(365)
    )
    assert len(picks) >= len(LIBRARY) // 2  # ~155 expected for 178 challenges
    assert max(picks.values()) <= 8
    assert len({todays_challenge(DAY + timedelta(days=d), LIBRARY, []) for d in range(7)}) >= 6


def test_growing_the_library_changes_only_the_days_a_new_challenge_wins() -> None:
    old = list(LIBRARY[:100])
    new = list(LIBRARY)
    for d in range(120):
        day = DAY + timedelta(days=d)
        before, after = todays_challenge(day, old, []), todays_challenge(day, new, [])
        assert after == before or after not in old


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       archived=st.sets(st.integers(0, 19), max_size=19),
       done=st.lists(st.tuples(st.integers(0, 19), st.integers(0, 40)), max_size=30))
def test_today_never_picks_an_archived_challenge(
    day: date, archived: set[int], done: list[tuple[int, int]]
) -> None:
    pool = [_challenge(n, archived=n in archived) for n in range(20)]
    history = [_done(pool[n], day - timedelta(days=ago)) for n, ago in done]
    pick = todays_challenge(day, pool, history)
    assert pick is not None and not pick.archived
    assert todays_challenge(day, pool, history) == pick


def test_today_is_none_when_everything_is_archived() -> None:
    assert todays_challenge(DAY, [_challenge(1, archived=True)], []) is None
    assert todays_challenge(DAY, [], []) is None


def test_today_skips_challenges_done_recently() -> None:
    pool = [_challenge(n) for n in range(6)]
    usual = todays_challenge(DAY, pool, [])
    assert usual is not None
    recent = [_done(usual, DAY - timedelta(days=3))]
    other = todays_challenge(DAY, pool, recent)
    assert other is not None and other != usual
    # Done 14 or more days ago is not recent any more; entries after the day don't count.
    assert todays_challenge(DAY, pool, [_done(usual, DAY - timedelta(days=14))]) == usual
    assert todays_challenge(DAY, pool, [_done(usual, DAY + timedelta(days=1))]) == usual
    assert todays_challenge(DAY, pool, recent, recent_days=3) == usual


def test_today_falls_back_to_the_least_recently_done_when_all_were_done() -> None:
    pool = [_challenge(n) for n in range(4)]
    history = [_done(pool[0], DAY - timedelta(days=1)), _done(pool[1], DAY - timedelta(days=9)),
               _done(pool[2], DAY), _done(pool[3], DAY - timedelta(days=2)),
               _done(pool[1], DAY - timedelta(days=12))]
    assert todays_challenge(DAY, pool, history) == pool[1]


def test_today_prefers_the_current_ladder_rung_even_if_done_recently() -> None:
    pool = [_challenge(n) for n in range(10)]
    rung_challenge = next(c for c in pool if c != todays_challenge(DAY, pool, []))
    rung = Rung(rung_challenge.uuid)
    history = [_done(rung_challenge, DAY - timedelta(days=1))]
    assert todays_challenge(DAY, pool, history, current_rung=rung) == rung_challenge
    # ... but not when that challenge was archived or is not in the (filtered) list.
    archived = [dataclasses.replace(c, archived=c == rung_challenge) for c in pool]
    assert todays_challenge(DAY, archived, [], current_rung=rung) != rung_challenge
    assert todays_challenge(DAY, pool, [], current_rung=Rung("elsewhere")) in pool


def test_today_accepts_attempt_records_as_history() -> None:
    pool = [_challenge(n) for n in range(3)]
    usual = todays_challenge(DAY, pool, [])
    assert usual is not None
    entry = AttemptRecord(ask="x", attempted_on=DAY, challenge_uuid=usual.uuid)
    assert todays_challenge(DAY, pool, [entry]) != usual


# -- draw a card -----------------------------------------------------------------------------
def test_draw_is_random_within_the_list_and_reproducible_with_a_seed() -> None:
    pool = [c for c in LIBRARY if c.category is Category.CREATIVE]
    draws = [draw_card(pool, [], random.Random(seed)) for seed in range(200)]
    assert all(d in pool for d in draws)
    assert len(set(draws)) >= len(pool) * 3 // 4
    assert draw_card(pool, [], random.Random(7)) == draw_card(pool, [], random.Random(7))


def test_draw_avoids_recent_repeats_while_it_can() -> None:
    pool = [_challenge(n) for n in range(5)]
    history = [_done(pool[n], DAY - timedelta(days=n)) for n in range(4)]
    rng = random.Random(1)
    assert {draw_card(pool, history, rng) for _ in range(30)} == {pool[4]}
    # Only the last `recent` entries count.
    assert {draw_card(pool, history, rng, recent=1) for _ in range(60)} == set(pool[1:])
    # Just-drawn cards are avoided too; everything avoided -> still a card.
    assert draw_card(pool, history, rng, exclude={pool[4].uuid}) in pool[:4]
    assert draw_card(pool, history, rng, exclude={c.uuid for c in pool}) in pool


@settings(max_examples=60, deadline=None)
@given(archived=st.sets(st.integers(0, 9), max_size=9), seed=st.integers(0, 2**32),
       recent=st.lists(st.integers(0, 9), max_size=12))
def test_draw_never_gives_an_archived_card(archived: set[int], seed: int,
                                            recent: list[int]) -> None:
    pool = [_challenge(n, archived=n in archived) for n in range(10)]
    history = [_done(pool[n], DAY - timedelta(days=i)) for i, n in enumerate(recent)]
    card = draw_card(pool, history, random.Random(seed))
    assert card is not None and not card.archived


def test_draw_from_nothing_is_none() -> None:
    assert draw_card([], [], random.Random(0)) is None
    assert draw_card([_challenge(1, archived=True)], [], random.Random(0)) is None


# -- the next rung ---------------------------------------------------------------------------
RUNGS = tuple(Rung(f"rung-{i}", f"Step {i}") for i in range(4))


def _try(rung: int, day: int, anticipated: int | None, actual: int | None,
         outcome: Outcome | None = Outcome.YES) -> PastAttempt:
    return PastAttempt(RUNGS[rung].challenge_uuid, DAY + timedelta(days=day),
                       anticipated, actual, outcome)


def _suggest(*tries: PastAttempt, **options: int):
    return next_rung(RUNGS, attempts_by_rung(RUNGS, tries), **options)


def test_an_empty_ladder_and_a_fresh_one() -> None:
    empty = next_rung((), {})
    assert empty.step is Step.EMPTY and empty.rung is None
    fresh = _suggest()
    assert (fresh.step, fresh.index, fresh.rung) == (Step.START, 0, RUNGS[0])
    assert fresh.explanation.endswith(".")


def test_stay_while_it_still_feels_hard() -> None:
    s = _suggest(_try(0, 0, 8, 7), _try(0, 1, 7, 6))
    assert (s.step, s.index) == (Step.REPEAT, 0)
    assert "6 out of 10" in s.explanation


def test_one_easy_try_is_not_enough() -> None:
    s = _suggest(_try(0, 0, 8, 7), _try(0, 1, 6, 2))
    assert (s.step, s.index) == (Step.REPEAT, 0)
    assert "one more" in s.explanation


def test_two_calm_tries_move_you_up_one_rung() -> None:
    s = _suggest(_try(0, 0, 8, 7), _try(0, 1, 4, 3), _try(0, 2, 3, 2))
    assert (s.step, s.index, s.rung) == (Step.MOVE_UP, 1, RUNGS[1])
    assert s.explanation == ("Your last two tries at the step below felt fairly calm — "
                             "ready for this one?")


def test_two_tries_clearly_below_the_fear_move_you_up() -> None:
    s = _suggest(_try(0, 0, 9, 5), _try(0, 1, 8, 4))
    assert (s.step, s.index) == (Step.MOVE_UP, 1)
    assert "a lot easier than you feared" in s.explanation
    # A big gap is not enough while the step itself still hurts a lot.
    assert _suggest(_try(0, 0, 10, 7), _try(0, 1, 10, 7)).step is Step.REPEAT
    # ... and a gap of two is not "clearly" below.
    assert _suggest(_try(0, 0, 7, 5), _try(0, 1, 7, 5)).step is Step.REPEAT


def test_the_thresholds_can_be_tuned() -> None:
    tries = (_try(0, 0, 6, 4), _try(0, 1, 6, 4))
    assert _suggest(*tries).step is Step.REPEAT
    assert _suggest(*tries, threshold=4).step is Step.MOVE_UP
    assert _suggest(*tries, margin=2).step is Step.MOVE_UP
    assert _suggest(_try(0, 1, 6, 2), needed=1).step is Step.MOVE_UP
    with pytest.raises(ValueError):
        _suggest(needed=0)


def test_didnt_ask_and_open_entries_are_not_tries() -> None:
    s = _suggest(_try(0, 0, 5, 2), _try(0, 1, 5, None, outcome=None),
                 _try(0, 2, 5, 1, outcome=Outcome.DIDNT_ASK))
    assert (s.step, s.index) == (Step.REPEAT, 0)
    assert len(completed_tries([_try(0, 0, 5, 2), _try(0, 1, 5, None, outcome=None),
                                _try(0, 2, 5, 1, outcome=Outcome.DIDNT_ASK)])) == 1
    # A "no" is a real try: asking is what counts, not the answer.
    assert _suggest(_try(0, 0, 5, 2, Outcome.NO), _try(0, 1, 5, 1, Outcome.NO_RESPONSE)
                    ).step is Step.MOVE_UP


def test_the_latest_tries_count_by_date_not_by_list_order() -> None:
    # Two easy tries long ago, then a hard one: stay.
    s = _suggest(_try(0, 5, 8, 8), _try(0, 0, 5, 1), _try(0, 1, 5, 1))
    assert (s.step, s.index) == (Step.REPEAT, 0)


def test_you_are_sent_to_the_lowest_rung_that_is_not_settled() -> None:
    # Rung 1 was tried without settling rung 0: back to rung 0, never on to rung 2.
    s = _suggest(_try(1, 0, 5, 1), _try(1, 1, 5, 1), _try(0, 2, 8, 7))
    assert (s.step, s.index) == (Step.REPEAT, 0)
    # A settled rung that later felt hard again is practised again.
    s = _suggest(_try(0, 0, 5, 1), _try(0, 1, 5, 1), _try(1, 2, 5, 2), _try(0, 3, 6, 6))
    assert (s.step, s.index) == (Step.REPEAT, 0)


def test_the_top_of_the_ladder() -> None:
    tries = [t for r in range(4) for t in (_try(r, 2 * r, 6, 2), _try(r, 2 * r + 1, 6, 1))]
    s = _suggest(*tries)
    assert (s.step, s.index, s.rung) == (Step.TOP, 3, RUNGS[3])


def test_a_ladder_suggests_from_a_flat_history() -> None:
    ladder = Ladder("Ask for a raise", RUNGS[:2])
    history = [_try(0, 0, 7, 3), _try(0, 1, 7, 2), PastAttempt("unrelated", DAY, 9, 9, Outcome.NO)]
    assert next_rung(ladder.rungs, attempts_by_rung(ladder.rungs, history)).index == 1
    assert ladder.uuid != Ladder("Ask for a raise", RUNGS[:2]).uuid


def test_felt_easier_needs_both_ratings_for_the_gap_rule() -> None:
    assert felt_easier(PastAttempt("x", DAY, None, 3, Outcome.YES))
    assert not felt_easier(PastAttempt("x", DAY, None, 4, Outcome.YES))
    assert felt_easier(PastAttempt("x", DAY, 9, 6, Outcome.YES))


_tries = st.lists(
    st.builds(_try, rung=st.integers(0, 3), day=st.integers(0, 60),
              anticipated=st.none() | st.integers(0, 10), actual=st.none() | st.integers(0, 10),
              outcome=st.none() | st.sampled_from(Outcome)),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(tries=_tries)
def test_next_rung_never_skips_a_rung(tries: list[PastAttempt]) -> None:
    s = _suggest(*tries)
    assert s.index is not None and s.rung == RUNGS[s.index]
    assert s.explanation and "\n" not in s.explanation
    grouped = attempts_by_rung(RUNGS, tries)

    def settled(i: int) -> bool:
        latest = completed_tries(grouped[RUNGS[i].challenge_uuid])[-2:]
        return len(latest) == 2 and all(felt_easier(t) for t in latest)

    # Every rung below the suggestion is settled; the suggestion itself is not (unless top).
    assert all(settled(i) for i in range(s.index))
    if s.step is Step.TOP:
        assert all(settled(i) for i in range(len(RUNGS)))
    else:
        assert not settled(s.index)
    # Moving up is only ever to the rung right above a settled one.
    if s.step is Step.MOVE_UP:
        assert s.index >= 1 and settled(s.index - 1)


# -- the boundary guard ----------------------------------------------------------------------
def _asked(person: str, ask: str, outcome: Outcome | None, *, day: int = 0,
           challenge: str | None = None, uuid: str = "") -> PastAttempt:
    return PastAttempt(challenge, DAY + timedelta(days=day), outcome=outcome, person=person,
                       ask=ask, uuid=uuid)


def test_the_neighbours_ladder_from_the_issue() -> None:
    no = _asked("my neighbour Tom", "Ask Tom to lend me his ladder", Outcome.NO, uuid="e1")
    match = boundary_match("My  Neighbour TOM ", "borrow the ladder again", [no])
    assert match is no


@pytest.mark.parametrize("name", ["tom", " Tom ", "TOM", "Tom\u00a0", "ｔｏｍ", "\u3000Tom"])
def test_the_same_person_ignores_case_spaces_and_unicode_forms(name: str) -> None:
    no = _asked("Tom", "lend his ladder", Outcome.NO)
    assert boundary_match(name, "lend his ladder", [no]) is no


def test_normalise_person() -> None:
    # one rule for all text matching (domain/text_match.py): accents are ignored too
    assert normalise_person("  Barista at\tthe  Corner  Café ") == "barista at the corner cafe"
    assert normalise_person("Ｂａｒｉｓｔａ") == "barista"
    assert normalise_person("STRASSE") == normalise_person("straße")


@pytest.mark.parametrize("outcome", [Outcome.YES, Outcome.PARTIAL, Outcome.NO_RESPONSE,
                                     Outcome.DIDNT_ASK, None])
def test_only_a_recorded_no_triggers_it(outcome: Outcome | None) -> None:
    past = _asked("Tom", "lend me his ladder", outcome)
    assert boundary_match("Tom", "lend me his ladder", [past]) is None


def test_a_different_person_or_a_different_ask_is_fine() -> None:
    no = _asked("Tom", "lend me his ladder", Outcome.NO)
    assert boundary_match("Tomas", "lend me his ladder", [no]) is None
    assert boundary_match("Tom", "borrow his drill", [no]) is None
    assert boundary_match("Tom", "ask Tom for a coffee", [
        _asked("Tom", "ask Tom to lend me his car", Outcome.NO)]) is None
    assert boundary_match("", "lend me his ladder", [no]) is None
    assert boundary_match("   ", "lend me his ladder", [_asked(" ", "lend", Outcome.NO)]) is None


def test_the_same_challenge_counts_as_the_same_ask() -> None:
    no = _asked("Sam from the climbing gym", "coffee after climbing?", Outcome.NO,
                challenge="date")
    assert boundary_match("sam from the climbing gym", "dinner on Friday", [no],
                          challenge_uuid="date") is no
    assert boundary_match("sam from the climbing gym", "dinner on Friday", [no],
                          challenge_uuid="other") is None


def test_the_most_recent_matching_no_is_returned() -> None:
    old = _asked("Tom", "the ladder", Outcome.NO, day=0, uuid="old")
    yes = _asked("Tom", "the ladder", Outcome.YES, day=5, uuid="yes")
    new = _asked("Tom", "his ladder", Outcome.NO, day=3, uuid="new")
    assert boundary_match("tom", "ladder", [new, old, yes]) is new


def test_a_no_after_an_earlier_yes_still_reminds() -> None:
    yes = _asked("Tom", "lend me his ladder", Outcome.YES, day=0)
    no = _asked("Tom", "lend me his ladder", Outcome.NO, day=4)
    assert boundary_match("Tom", "lend me the ladder", [yes, no]) is no


def test_similar_asks_is_word_overlap_without_small_words() -> None:
    assert similar_asks("Could you lend me your ladders?", "borrow a ladder")
    assert similar_asks("a discount on my coffee", "discount on a large coffee please")
    assert not similar_asks("a discount on my coffee", "see the kitchen")
    assert not similar_asks("could you please", "would you")  # nothing meaningful to compare
    assert similar_asks("walk the dog together", "walk together in the park")
    assert not similar_asks("walk the dog together", "a walk and then dinner and a film")


@settings(max_examples=100, deadline=None)
@given(name=st.text(min_size=1, max_size=20).filter(lambda s: normalise_person(s) != ""),
       ask=st.text(max_size=40))
def test_a_no_for_the_same_words_always_matches_and_a_yes_never_does(name: str, ask: str) -> None:
    no = _asked(name, ask, Outcome.NO, challenge="c")
    yes = _asked(name, ask, Outcome.YES, challenge="c")
    assert boundary_match(f"  {name}\t", ask, [no], challenge_uuid="c") is no
    assert boundary_match(f"  {name} ", ask, [yes], challenge_uuid="c") is None
    assert boundary_match(name, ask, [yes, no]) in (no, None)
