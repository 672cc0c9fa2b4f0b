"""The safety copy shown in the app."""

from __future__ import annotations

from rejection_journal.domain.guidance import IS_THIS_FOR_ME_HTML, IS_THIS_FOR_ME_TITLE, NOT_THERAPY


def test_is_this_for_me_says_it_is_not_therapy_and_points_to_help_in_a_crisis() -> None:
    assert IS_THIS_FOR_ME_TITLE == "Is this for me?"
    assert NOT_THERAPY in IS_THIS_FOR_ME_HTML
    assert "not therapy" in NOT_THERAPY
    assert "crisis" in IS_THIS_FOR_ME_HTML
    assert "professional" in IS_THIS_FOR_ME_HTML
