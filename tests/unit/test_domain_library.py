"""The built-in challenge library a new journal starts with."""

from __future__ import annotations

import json
import re
import tomllib
import uuid
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from rejection_journal.domain.enums import Category
from rejection_journal.domain.library import (
    LIBRARY_FILE,
    LIBRARY_NAMESPACE,
    LibraryError,
    builtin_challenges,
    builtin_slugs,
    library_uuid,
    parse_library,
)
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


# -- the library as a data file (issue 8) ------------------------------------------------------
# The 30 challenges of the first release, with the UUIDs their journals already reference
# (computed by the code before the library moved to a data file).
ORIGINAL_UUIDS = {
    "ask-the-time": "72d24211-f859-534c-88d7-9ba14aa01808",
    "coffee-refill-discount": "8255945b-6603-5277-a170-965590e9c0fe",
    "restaurant-tour": "ae8e8f3f-089d-5c09-839f-5bc12fc51d38",
    "store-recommendation": "2d870d16-bce5-595a-8216-0b5d1736e84c",
    "return-without-receipt": "ec809686-de93-5d41-93e6-7923408813d0",
    "upgrade-seat": "1ec032f9-b0a7-5593-a8ab-aea9944c2b22",
    "compliment-stranger": "e6672f3a-00a7-58af-a0d0-66be2fda5852",
    "join-conversation": "7afd6536-f1d4-58bd-8dfe-2c11f3cb3180",
    "invite-coworker-lunch": "f93c8d92-2ff3-5c8f-bd4a-7684e420bf96",
    "ask-for-photo": "ab5cc6a7-f8fa-549d-85b4-82e62ccfa026",
    "sing-request": "9926e24d-a2ea-5f5a-a974-c80bdaf59a03",
    "host-game-night": "fbe78f73-d2a0-531a-b2b3-7c4595e37cec",
    "ask-for-feedback": "0c6994c4-aaf9-558a-9961-c727df26b17b",
    "ask-for-intro": "7ab0bb05-d9ea-5d04-a2e3-d0886a22b63a",
    "cold-email-expert": "f7ef4944-b4b0-5016-847d-5f5cba4043c7",
    "ask-for-raise": "3a593b87-4f52-50aa-bf51-98cee4dafe24",
    "apply-stretch-job": "b4e784c5-43bd-508e-a34e-059379d03a6b",
    "speak-in-meeting": "db12d16a-4307-59b0-88af-f5b8b2045a42",
    "share-creative-work": "ed400c88-b4ee-551d-880f-716914feb609",
    "pitch-article": "d766eceb-f750-51ff-b1b1-1658f0c45835",
    "open-mic": "8a812efd-b35f-5ac7-916e-23babb0e9815",
    "ask-to-display": "ab2844c3-62b4-5ab1-b751-c38261b27e89",
    "ask-number": "44c8625c-682e-53f8-bbe9-4f45bc09c227",
    "ask-on-date": "a7f60f5b-56eb-5ead-bc76-52ffe1149c86",
    "say-how-you-feel": "bc80a976-586f-5473-85a8-dae1cf6f6b3f",
    "compliment-partner-friend": "1c0f96a0-9e8e-538e-8fa7-8dc559da71e6",
    "volunteer-ask": "348b39e9-7934-5ac7-8288-f2abc1c021e2",
    "neighbour-borrow": "adf9245c-80ad-52c7-a790-4e06107c5995",
    "petition-local": "63273db2-d817-574e-8cb5-b84294e23a39",
    "start-club": "9a7a1fbb-693a-5b9b-9df8-c5360b2ecefb",
}


def test_the_original_thirty_keep_their_uuids_and_category() -> None:
    slugs = builtin_slugs()
    by_uuid = {c.uuid: c for c in builtin_challenges()}
    for slug, expected in ORIGINAL_UUIDS.items():
        assert library_uuid(slug) == expected, slug
        assert slugs.get(expected) == slug, f"{slug} is missing from the library"
    assert by_uuid[ORIGINAL_UUIDS["ask-for-raise"]].category is Category.CAREER
    assert by_uuid[ORIGINAL_UUIDS["ask-on-date"]].category is Category.ROMANCE


def test_the_library_is_large_and_every_level_is_well_stocked() -> None:
    challenges = builtin_challenges()
    assert len(challenges) >= 170
    by_level = Counter(c.level for c in challenges)
    assert set(by_level) == set(range(LEVEL_MIN, LEVEL_MAX + 1))
    for level in range(LEVEL_MIN, LEVEL_MAX + 1):
        assert by_level[level] >= 10, f"level {level} has only {by_level[level]} challenges"


def test_every_category_is_a_real_ladder_of_its_own() -> None:
    challenges = builtin_challenges()
    for category in Category:
        own = [c for c in challenges if c.category is category]
        levels = {c.level for c in own}
        assert len(own) >= 20, category
        assert len(levels) >= 9, f"{category.label} covers only levels {sorted(levels)}"
        assert max(levels) >= 9, f"{category.label} has no big ask"


def test_every_text_is_short_plain_and_present() -> None:
    for c in builtin_challenges():
        assert c.title == c.title.strip() and len(c.title) <= 60, c.title
        assert not c.title.endswith("."), c.title
        assert c.title[0].isupper(), c.title
        assert c.how_to.strip() and len(c.how_to) <= 240, c.title
        sentences = re.findall(r"[.!?][”\"]?(?=\s|$)", c.how_to)
        assert 1 <= len(sentences) <= 2, f"{c.title}: how-to should be one or two sentences"
        assert c.respect_note.strip(), f"{c.title}: no respect note"
        assert "  " not in c.title + c.how_to + c.respect_note, c.title


def test_titles_are_unique_ignoring_case_and_slugs_are_unique() -> None:
    challenges = builtin_challenges()
    assert len({" ".join(c.title.casefold().split()) for c in challenges}) == len(challenges)
    assert len(builtin_slugs()) == len(challenges)


# Pressure, money, deception or re-asking in what a challenge tells you to do.
_PRESSURE = re.compile(
    r"\b(money|cash|beg|begging|insist|pester|nag|convince|persuade|trick|pretend|lie|lying"
    r"|fake|guilt|keep asking|ask again|again after|until they say yes|don't take no)\b",
    re.IGNORECASE,
)
_SHAMING = re.compile(r"\b(coward|loser|pathetic|stupid|man up)\b", re.IGNORECASE)


def test_no_challenge_asks_with_pressure_money_or_deception() -> None:
    for c in builtin_challenges():
        ask = f"{c.title} {c.how_to}"
        assert not _PRESSURE.search(ask), f"{c.title}: {_PRESSURE.search(ask)}"
        text = f"{ask} {c.respect_note}"
        assert not _SHAMING.search(text), f"{c.title}: {_SHAMING.search(text)}"


def test_romance_asks_are_one_time_and_respect_a_no() -> None:
    asks = [c for c in builtin_challenges()
            if c.category is Category.ROMANCE and c.level >= 6 and "partner" not in c.title]
    assert asks
    for c in asks:
        assert re.search(r"\bonce\b|leave it|move on|twice|\bno\b|answer",
                         c.respect_note, re.IGNORECASE), c.title


def test_the_data_file_ships_inside_the_package() -> None:
    packaged = resources.files("rejection_journal.domain").joinpath(LIBRARY_FILE)
    assert packaged.is_file()
    pyproject = tomllib.loads(
        (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["rejection_journal"]
    assert "domain/*.toml" in patterns


# -- the loader's checks ---------------------------------------------------------------------
def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else json.dumps(value)


def _entry(slug: str = "ask-a-thing", **fields: object) -> str:
    values: dict[str, object] = {
        "slug": slug, "category": "social", "level": 2,
        "title": f"Title of {slug}", "how_to": "Do it kindly.", "respect_note": "Be nice.",
    }
    values.update(fields)
    return "[[challenge]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in values.items()) + "\n"


def test_a_well_formed_file_loads_in_order() -> None:
    records = parse_library(_entry("first-one") + _entry("second-one", level=10))
    assert [r.title for r in records] == ["Title of first-one", "Title of second-one"]
    assert records[0].uuid == library_uuid("first-one")
    assert records[1].level == 10
    assert parse_library(_entry(respect_note=""))[0].respect_note == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_entry("same") + _entry("same", title="Other"), "challenge #2 ('same'): slug is used"),
        (_entry("one", title="Ask Nicely") + _entry("two", title="ask  nicely"),
         "challenge #2 ('two'): title 'ask  nicely' is also used by 'one'"),
        (_entry(level=0), "level must be from 1 to 10, not 0"),
        (_entry(level=11), "level must be from 1 to 10, not 11"),
        (_entry(level="3"), "level must be a whole number"),
        (_entry(level=True), "level must be a whole number"),
        (_entry(category="dating"), "unknown category 'dating'"),
        (_entry(title="   "), "('ask-a-thing'): title is empty"),
        (_entry(how_to=""), "('ask-a-thing'): how_to is empty"),
        (_entry(respect="x"), "unknown field(s) respect"),
        ('[[challenge]]\nslug = "no-fields"\n', "('no-fields'): missing category, level"),
        (_entry(slug="Bad Slug"), "slug must be lowercase words joined by hyphens"),
        (_entry(title="x" * 301), "Title: is longer than 300 characters"),
        ("[[challenge]\n", "not valid TOML"),
        ("title = 'x'\n", "unknown top-level key"),
        ("", "expected one or more [[challenge]] tables"),
    ],
)
def test_a_mistake_in_the_file_names_the_entry(text: str, expected: str) -> None:
    with pytest.raises(LibraryError) as caught:
        parse_library(text, source="challenges.toml")
    assert str(caught.value).startswith("challenges.toml")
    assert expected in str(caught.value)
