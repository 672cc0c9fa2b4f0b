"""How text is matched is one rule (domain/text_match.py), and every place that compares text
uses it: the picker's search, names in the boundary guard, ladder goals, library titles."""

from __future__ import annotations

import pytest

from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import matches_search, normalise_person, search_key
from rejection_journal.domain.text_match import fold, match_key, words
from rejection_journal.storage.ladders import normalised_goal


@pytest.mark.parametrize(("first", "second"), [
    ("Café", "cafe"), ("CAFÉ", "café"), ("  Ask   for a  raise ", "ask for a raise"),
    ("Ask For A  Raise", "ask for a RAISE"), ("Straße", "STRASSE"), ("ﬁne", "fine"),
    ("Ａｓｋ", "ask"), ("José", "Jose"), ("naïve", "naive"),
])
def test_one_rule_makes_these_the_same(first: str, second: str) -> None:
    assert match_key(first) == match_key(second)
    for compare in (search_key, normalise_person, normalised_goal):
        assert compare(first) == compare(second), compare.__name__


def test_different_words_stay_different() -> None:
    assert match_key("Ask for a raise") != match_key("Ask for a rise")
    assert words("Un  café,  s'il vous plaît") == ["un", "cafe,", "s'il", "vous", "plait"]
    assert fold("Ça  va") == "ca  va", "fold keeps the spaces; match_key collapses them"


def test_the_picker_finds_the_cafe_challenges_typed_without_accents() -> None:
    cafe = [c for c in builtin_challenges() if "café" in (c.title + c.how_to).casefold()]
    assert cafe, "the library has café challenges"
    assert all(matches_search(c, "cafe") for c in cafe)
    assert all(matches_search(c, "CAFÉ") for c in cafe)
