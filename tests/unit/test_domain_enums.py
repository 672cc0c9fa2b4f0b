"""The fixed vocabularies: every choice has a label, and the outcome rules are right."""

from __future__ import annotations

import pytest

from rejection_journal.domain.enums import Category, Outcome, Reason


@pytest.mark.parametrize("enum", [Category, Outcome, Reason])
def test_every_member_has_a_distinct_non_empty_label(enum: type[Category | Outcome | Reason],
                                                   ) -> None:
    labels = [member.label for member in enum]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("enum", "stored"),
    [
        (Category, {"everyday", "social", "career", "creative", "romance", "community"}),
        (Outcome, {"no", "yes", "partial", "no_response", "didnt_ask"}),
        (
            Reason,
            {"timing", "their_constraints", "policy", "request_size", "delivery", "personal",
             "unknown"},
        ),
    ],
)
def test_stored_values_never_change(enum: type[Category | Outcome | Reason],
                                   stored: set[str]) -> None:
    # These strings are written into journals and exports; renaming one would orphan data.
    assert {member.value for member in enum} == stored


def test_only_no_and_silence_count_as_rejections() -> None:
    rejections = {o for o in Outcome if o.is_rejection}
    assert rejections == {Outcome.NO, Outcome.NO_RESPONSE}


def test_a_reason_can_be_given_only_when_the_answer_was_not_a_plain_yes() -> None:
    with_reason = {o for o in Outcome if o.can_have_reason}
    assert with_reason == {Outcome.NO, Outcome.PARTIAL, Outcome.NO_RESPONSE}


def test_every_outcome_but_didnt_ask_means_the_question_was_asked() -> None:
    assert {o for o in Outcome if not o.was_asked} == {Outcome.DIDNT_ASK}
