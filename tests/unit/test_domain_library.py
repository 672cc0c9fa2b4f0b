"""The built-in challenge library a new journal starts with."""

from __future__ import annotations

import uuid
from collections import Counter

from rejection_journal.domain.enums import Category
from rejection_journal.domain.library import LIBRARY_NAMESPACE, builtin_challenges, library_uuid
from rejection_journal.domain.records import LEVEL_MAX, LEVEL_MIN


def test_there_are_at_least_twenty_challenges() -> None:
    assert len(builtin_challenges()) >= 20


def test_every_category_has_challenges_and_an_easy_first_step() -> None:
    challenges = builtin_challenges()
    by_category = Counter(c.category for c in challenges)
    assert set(by_category) == set(Category)
    for category in Category:
        easiest = min(c.level for c in challenges if c.category is category)
        assert easiest <= 3, f"{category.label} has no gentle first step"


def test_levels_are_on_the_one_to_ten_ladder_and_it_starts_at_one() -> None:
    levels = {c.level for c in builtin_challenges()}
    assert levels <= set(range(LEVEL_MIN, LEVEL_MAX + 1))
    assert min(levels) == 1
    assert len(levels) >= 5  # a real ladder, not one step


def test_every_challenge_explains_how_and_how_to_be_respectful() -> None:
    for challenge in builtin_challenges():
        assert challenge.validated() is challenge
        assert challenge.title.strip()
        assert challenge.how_to.strip(), challenge.title
        assert challenge.respect_note.strip(), challenge.title
        assert not challenge.is_custom
        assert not challenge.archived


def test_titles_and_uuids_are_unique() -> None:
    challenges = builtin_challenges()
    assert len({c.uuid for c in challenges}) == len(challenges)
    assert len({c.title for c in challenges}) == len(challenges)


def test_uuids_are_stable_across_calls() -> None:
    first = [c.uuid for c in builtin_challenges()]
    second = [c.uuid for c in builtin_challenges()]
    assert first == second


def test_uuids_are_uuid5_of_the_slug_so_every_install_agrees() -> None:
    # Pinned: changing the namespace or slug would break merging exports between machines.
    assert library_uuid("ask-the-time") == "72d24211-f859-534c-88d7-9ba14aa01808"
    assert library_uuid("ask-the-time") == str(uuid.uuid5(LIBRARY_NAMESPACE, "ask-the-time"))
    for challenge in builtin_challenges():
        parsed = uuid.UUID(challenge.uuid)
        assert parsed.version == 5
        assert str(parsed) == challenge.uuid
    assert "72d24211-f859-534c-88d7-9ba14aa01808" in {c.uuid for c in builtin_challenges()}
