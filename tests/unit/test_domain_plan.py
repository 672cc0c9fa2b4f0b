"""Build my plan: the self-check, its score and the plan rule (domain/plan.py)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rejection_journal.domain.enums import Category, Outcome
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import PastAttempt
from rejection_journal.domain.plan import (
    NOT_A_DIAGNOSIS,
    RUNGS_MAX,
    RUNGS_MIN,
    AnswersError,
    CheckItem,
    alternatives,
    check_items,
    goal_category,
    item_score,
    propose_plan,
    result_sentences,
    score_answers,
    settled_challenges,
    share_out,
    start_level,
    validated_answers,
)
from rejection_journal.domain.records import ChallengeRecord

ITEMS = check_items()
LIBRARY = builtin_challenges()
ratings = st.integers(1, 6)
answers_st = st.fixed_dictionaries({item.id: st.tuples(ratings, ratings) for item in ITEMS})


def calm(**overrides: tuple[int, int]) -> dict[str, tuple[int, int]]:
    out = {item.id: (2, 5) for item in ITEMS}
    out.update(overrides)
    return out


# -- the items --------------------------------------------------------------------------------

def test_twelve_to_eighteen_items_over_all_six_categories() -> None:
    assert 12 <= len(ITEMS) <= 18
    assert {item.category for item in ITEMS} == set(Category)
    assert len({item.id for item in ITEMS}) == len(ITEMS)
    assert all(item.text.endswith(".") for item in ITEMS)


# -- answers -------------------------------------------------------------------------------------

def test_validated_answers_accepts_lists_from_json() -> None:
    raw = {item.id: [3, 4] for item in ITEMS}
    assert validated_answers(raw) == {item.id: (3, 4) for item in ITEMS}


@pytest.mark.parametrize("change, item, words", [
    (lambda a: a.update({"no-such-item": [1, 1]}), "no-such-item", "not an item"),
    (lambda a: a.pop(ITEMS[3].id), ITEMS[3].id, "no answer"),
    (lambda a: a.update({ITEMS[2].id: [7, 1]}), ITEMS[2].id, "from 1 to 6, not 7"),
    (lambda a: a.update({ITEMS[2].id: [1, 0]}), ITEMS[2].id, "acceptance"),
    (lambda a: a.update({ITEMS[1].id: [True, 2]}), ITEMS[1].id, "anxiety"),
    (lambda a: a.update({ITEMS[1].id: [2]}), ITEMS[1].id, "two ratings"),
    (lambda a: a.update({ITEMS[1].id: "3,4"}), ITEMS[1].id, "two ratings"),
])
def test_bad_answers_name_the_item(change: Callable[[dict[str, object]], object], item: str,
                                   words: str) -> None:
    raw: dict[str, object] = {i.id: [3, 4] for i in ITEMS}
    change(raw)
    with pytest.raises(AnswersError) as caught:
        validated_answers(raw)
    assert caught.value.item == item
    assert item in str(caught.value) and words in str(caught.value)


def test_answers_must_be_an_object() -> None:
    with pytest.raises(AnswersError, match="object"):
        validated_answers([1, 2])


# -- score ---------------------------------------------------------------------------------------

def test_item_score_is_concern_times_seven_minus_acceptance() -> None:
    assert item_score(1, 6) == 1
    assert item_score(6, 1) == 36
    assert item_score(4, 3) == 16


def test_scores_average_per_category_and_overall() -> None:
    career = [i for i in ITEMS if i.category is Category.CAREER]
    answers = calm(**{career[0].id: (6, 1), career[1].id: (4, 3)})
    result = score_answers(answers)
    others = [item_score(2, 5)] * (len(career) - 2)
    career_score = result.of(Category.CAREER)
    assert career_score is not None
    assert career_score.score == pytest.approx((36 + 16 + sum(others)) / len(career))
    everything = [item_score(*answers[i.id]) for i in ITEMS]
    assert result.overall == pytest.approx(sum(everything) / len(everything))


def test_result_in_plain_words_names_the_hardest_and_is_not_a_diagnosis() -> None:
    answers = calm(**{i.id: (5, 2) for i in ITEMS if i.category is Category.CAREER})
    lines = result_sentences(score_answers(answers))
    assert lines[0].startswith("Asking at work feels hardest")
    assert NOT_A_DIAGNOSIS in lines
    assert not any("disorder" in line.lower() for line in lines)


# -- goal ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("goal, category", [
    ("ask for a raise", Category.CAREER), ("Ask someone out on a date", Category.ROMANCE),
    ("submit my poems to a magazine", Category.CREATIVE), ("get a refund", Category.EVERYDAY),
    ("volunteer at the club", Category.COMMUNITY), ("be braver", None),
])
def test_goal_category(goal: str, category: Category | None) -> None:
    assert goal_category(goal) is category


# -- the plan rule -------------------------------------------------------------------------------

def test_start_is_two_levels_below_the_first_item_rated_hard() -> None:
    hard = min((i for i in ITEMS if i.category is Category.CAREER), key=lambda i: i.level)
    answers = calm(**{hard.id: (5, 2)})
    assert start_level(answers) == max(1, hard.level - 2)
    plan = propose_plan(answers, LIBRARY)
    assert plan.rungs[0].challenge.level == plan.start_level == max(1, hard.level - 2)
    assert "at work starts to feel hard" in plan.rungs[0].reason


def test_each_rung_has_a_one_line_reason_naming_how_it_felt() -> None:
    answers = calm(**{i.id: (5, 2) for i in ITEMS if i.category is Category.CAREER})
    plan = propose_plan(answers, LIBRARY)
    assert all(r.reason and "\n" not in r.reason for r in plan.rungs)
    career = [r for r in plan.rungs[1:] if r.challenge.category is Category.CAREER]
    assert career and all(r.reason == "Because asking at work felt 5 of 6." for r in career)


def test_goal_pulls_rungs_towards_its_category() -> None:
    answers = calm()
    plain = propose_plan(answers, LIBRARY)
    aimed = propose_plan(answers, LIBRARY, goal="ask for a raise")
    count = lambda plan: sum(r.challenge.category is Category.CAREER  # noqa: E731
                             for r in plan.rungs)
    assert count(aimed) > count(plain)
    assert aimed.goal_category is Category.CAREER
    assert any("ask for a raise" in r.reason for r in aimed.rungs)


@settings(max_examples=60, deadline=None)
@given(answers=answers_st, ceiling=st.integers(1, 10), rungs=st.integers(0, 14),
       goal=st.sampled_from(["", "ask for a raise", "go on a date", "be braver"]))
def test_plan_properties(answers: dict[str, tuple[int, int]], ceiling: int, rungs: int,
                         goal: str) -> None:
    plan = propose_plan(answers, LIBRARY, goal=goal, max_level=ceiling, rungs=rungs)
    levels = [r.challenge.level for r in plan.rungs]
    assert levels == sorted(levels), "levels never go down"
    assert all(level <= ceiling for level in levels), "the ceiling holds"
    in_range = [c for c in LIBRARY if plan.start_level <= c.level <= plan.top_level]
    if len(in_range) >= RUNGS_MIN:
        assert RUNGS_MIN <= len(levels) <= RUNGS_MAX
    else:
        assert len(levels) == len(in_range) and plan.note
    assert len({r.challenge.uuid for r in plan.rungs}) == len(levels)
    again = propose_plan(dict(reversed(list(answers.items()))), list(LIBRARY), goal=goal,
                         max_level=ceiling, rungs=rungs)
    assert again == plan, "deterministic"


@settings(max_examples=60, deadline=None)
@given(answers=answers_st, data=st.data())
def test_archived_and_skipped_challenges_never_appear(
        answers: dict[str, tuple[int, int]], data: st.DataObject) -> None:
    archived = data.draw(st.sets(st.sampled_from([c.uuid for c in LIBRARY]), max_size=120))
    skipped = data.draw(st.sets(st.sampled_from([c.uuid for c in LIBRARY]), max_size=20))
    library = [dataclasses.replace(c, archived=c.uuid in archived) for c in LIBRARY]
    plan = propose_plan(answers, library, skip=skipped)
    used = {r.challenge.uuid for r in plan.rungs}
    assert not used & archived
    assert not used & skipped


def _symmetric_library() -> list[ChallengeRecord]:
    """Every category has the same challenges at every level: all else equal."""
    return [ChallengeRecord(uuid=f"{cat.value}-{level}-{k}", title=f"{verb} {cat.value} {level}",
                            category=cat, level=level)
            for cat in Category for level in range(1, 11)
            for k, verb in enumerate(("Ask", "Request", "Invite"))]


@settings(max_examples=80, deadline=None)
@given(answers=answers_st, ceiling=st.integers(1, 10), a=st.sampled_from(list(Category)),
       b=st.sampled_from(list(Category)))
def test_a_category_rated_higher_never_gets_fewer_rungs(
        answers: dict[str, tuple[int, int]], ceiling: int, a: Category, b: Category) -> None:
    result = score_answers(answers)
    score_a, score_b = result.of(a), result.of(b)
    assert score_a is not None and score_b is not None
    if score_a.score <= score_b.score:
        a, b = b, a
        score_a, score_b = score_b, score_a
    plan = propose_plan(answers, _symmetric_library(), max_level=ceiling)
    counts = Counter(r.challenge.category for r in plan.rungs)
    if score_a.score > score_b.score:
        assert counts[a] >= counts[b]


@given(weights=st.dictionaries(st.sampled_from(list(Category)),
                               st.floats(0.5, 36, allow_nan=False), min_size=1),
       seats=st.integers(0, 12))
def test_share_out_is_exact_and_monotone(weights: dict[Category, float], seats: int) -> None:
    shares = share_out(weights, seats)
    assert sum(shares.values()) == seats
    for x in weights:
        for y in weights:
            if weights[x] > weights[y]:
                assert shares[x] >= shares[y]


def test_settled_challenges_are_those_whose_last_two_tries_felt_easier() -> None:
    day = date(2026, 1, 1)

    def tried(uuid: str, offset: int, before: int, after: int) -> PastAttempt:
        return PastAttempt(uuid, day + timedelta(days=offset), before, after, Outcome.YES)

    history = [tried("a", 0, 8, 2), tried("a", 1, 7, 3),  # settled
               tried("b", 0, 8, 2), tried("b", 1, 8, 8),  # the last one was hard
               tried("c", 0, 8, 2)]  # one try is not enough
    assert settled_challenges(history) == frozenset({"a"})


def test_settled_challenges_are_left_out_of_the_plan() -> None:
    answers = calm()
    first = propose_plan(answers, LIBRARY)
    skip = {first.rungs[0].challenge.uuid}
    assert first.rungs[0].challenge.uuid not in {
        r.challenge.uuid for r in propose_plan(answers, LIBRARY, skip=skip).rungs}


def test_alternatives_are_similar_and_new() -> None:
    plan = propose_plan(calm(), LIBRARY, max_level=6)
    rung = plan.rungs[2].challenge
    found = alternatives([r.challenge.uuid for r in plan.rungs], rung, LIBRARY, max_level=6)
    assert found
    for c in found:
        assert c.category is rung.category and abs(c.level - rung.level) <= 1
        assert c.level <= 6 and c.uuid not in {r.challenge.uuid for r in plan.rungs}


def test_a_custom_item_list_can_be_scored() -> None:
    items = (CheckItem("x", Category.SOCIAL, 3, "X."), CheckItem("y", Category.CAREER, 5, "Y."))
    result = score_answers({"x": (6, 1), "y": (1, 6)}, items)
    assert result.overall == pytest.approx(18.5)
    assert [c.category for c in result.categories] == [Category.SOCIAL, Category.CAREER]


def test_ties_are_named_together_not_picked_at_random() -> None:
    answers = calm(**{i.id: (5, 2) for i in ITEMS if i.category is Category.CAREER})
    lines = result_sentences(score_answers(answers))
    assert lines[1] == f"Every other kind of asking feels easiest ({item_score(2, 5)} of 36)."
    two = calm(**{i.id: (5, 2) for i in ITEMS if i.category in (Category.CAREER,
                                                                 Category.ROMANCE)})
    assert result_sentences(score_answers(two))[0].startswith(
        "Asking at work and asking about dates and closeness feel hardest")
    assert result_sentences(score_answers(calm()))[0] == \
        "Every kind of asking feels about the same."
