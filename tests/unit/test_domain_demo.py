"""Synthetic demo attempts: believable, reproducible, and showing the gap closing."""

from __future__ import annotations

from datetime import date
from statistics import mean

import pytest

from rejection_journal.domain.demo import generate_attempts
from rejection_journal.domain.library import builtin_challenges

TODAY = date(2024, 6, 30)


def test_the_same_seed_gives_the_same_journal_uuids_included() -> None:
    challenges = builtin_challenges()
    first = generate_attempts(challenges, 60, seed=7, today=TODAY)
    second = generate_attempts(challenges, 60, seed=7, today=TODAY)
    assert first == second
    assert len({a.uuid for a in first}) == 60


def test_a_different_seed_gives_a_different_journal() -> None:
    challenges = builtin_challenges()
    first = generate_attempts(challenges, 60, seed=1, today=TODAY)
    second = generate_attempts(challenges, 60, seed=2, today=TODAY)
    assert [a.replace(uuid="") for a in first] != [a.replace(uuid="") for a in second]
    assert not {a.uuid for a in first} & {a.uuid for a in second}


@pytest.mark.parametrize("count", [0, 1, 9, 10, 57])
def test_the_count_is_respected(count: int) -> None:
    assert len(generate_attempts(builtin_challenges(), count, today=TODAY)) == count


def test_negative_count_or_no_challenges_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        generate_attempts(builtin_challenges(), -1, today=TODAY)
    with pytest.raises(ValueError, match="challenge"):
        generate_attempts([], 5, today=TODAY)


def test_dates_run_oldest_first_up_to_today_and_never_into_the_future() -> None:
    attempts = generate_attempts(builtin_challenges(), 120, seed=3, today=TODAY)
    days = [a.attempted_on for a in attempts]
    assert days == sorted(days)
    assert days[-1] == TODAY
    assert all(day <= TODAY for day in days)
    assert all(a.created_at.date() == a.attempted_on for a in attempts)
    assert all(a.updated_at >= a.created_at for a in attempts)


def test_attempts_use_the_given_challenges_and_are_valid() -> None:
    challenges = builtin_challenges()[:5]
    attempts = generate_attempts(challenges, 40, seed=4, today=TODAY)
    by_uuid = {c.uuid: c for c in challenges}
    for attempt in attempts:
        assert attempt.validated() is attempt
        assert attempt.challenge_uuid in by_uuid
        assert attempt.ask == by_uuid[attempt.challenge_uuid].title
        assert attempt.anticipated_discomfort is not None
        assert attempt.predicted_no_chance is not None


def test_the_gap_between_fear_and_reality_shrinks_over_time() -> None:
    attempts = generate_attempts(builtin_challenges(), 300, seed=11, today=TODAY)
    gaps = [a.gap for a in attempts if a.gap is not None]
    third = len(gaps) // 3
    assert mean(gaps[:third]) > mean(gaps[-third:])
    assert mean(gaps[:third]) > 0  # early on, reality is kinder than the fear


def test_the_ladder_is_climbed_over_time() -> None:
    challenges = {c.uuid: c for c in builtin_challenges()}
    attempts = generate_attempts(list(challenges.values()), 300, seed=5, today=TODAY)
    levels = [challenges[a.challenge_uuid or ""].level for a in attempts]
    third = len(levels) // 3
    assert mean(levels[:third]) < mean(levels[-third:])


def test_the_latest_few_attempts_are_still_open_and_the_rest_finished() -> None:
    attempts = generate_attempts(builtin_challenges(), 300, seed=11, today=TODAY)
    *finished, before_last, last = attempts
    assert before_last.is_open and last.is_open
    assert before_last.actual_discomfort is None and last.reason is None
    assert not any(a.is_open for a in finished)
    assert all(a.actual_discomfort is not None for a in finished)


def test_short_demos_have_no_open_attempts() -> None:
    attempts = generate_attempts(builtin_challenges(), 5, seed=0, today=TODAY)
    assert not any(a.is_open for a in attempts)


def test_reasons_only_appear_where_the_outcome_allows_one() -> None:
    attempts = generate_attempts(builtin_challenges(), 300, seed=8, today=TODAY)
    with_reason = [a for a in attempts if a.reason is not None]
    assert with_reason  # demo data shows the reflection feature
    assert all(a.outcome is not None and a.outcome.can_have_reason for a in with_reason)
    assert all(not a.asked_why for a in attempts if a.reason is None)


def test_a_huge_demo_journal_stays_within_ten_years() -> None:
    from rejection_journal.domain.demo import MAX_SPAN_DAYS

    attempts = generate_attempts(builtin_challenges(), 20_000, seed=5, today=TODAY)
    days = [a.attempted_on for a in attempts]
    assert (TODAY - days[0]).days <= MAX_SPAN_DAYS
    assert (TODAY - days[0]).days > MAX_SPAN_DAYS * 0.7, "still spread over the years"
    assert days == sorted(days)


def test_no_demo_timestamp_is_later_than_now_even_just_after_midnight() -> None:
    """Demo data exported at 00:30 must import anywhere: no updated_at from "later today"
    (an import refuses timestamps more than a day ahead of its clock)."""
    from datetime import datetime, time

    just_after_midnight = datetime.combine(TODAY, time(0, 30))
    attempts = generate_attempts(builtin_challenges(), 200, seed=5, today=TODAY,
                                 now=just_after_midnight)
    assert max(max(a.created_at, a.updated_at) for a in attempts) <= just_after_midnight
    assert attempts == generate_attempts(builtin_challenges(), 200, seed=5, today=TODAY,
                                         now=just_after_midnight)
