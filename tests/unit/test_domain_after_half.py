"""Issue 19 item 2: which after-half fields apply for an outcome is one rule, in the domain."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from rejection_journal.domain.after_half import (
    AFTER_FIELDS,
    BLANK,
    applicable,
    applies,
    keep_applicable,
)
from rejection_journal.domain.enums import Outcome, Reason
from rejection_journal.domain.records import AttemptRecord, ValidationError

DAY = date(2024, 5, 1)
TEXT = {"outcome", "feelings_after", "reflection", "lesson"}
RATINGS = {"actual_discomfort", "hopefulness", "next_discomfort", "next_no_chance",
           "fear_happened", "fear_likelihood_after", "surprise", "safety_dropped"}
REASONS = {"reasons", "other_reason", "asked_why"}


@pytest.mark.parametrize(("outcome", "expected"), [
    (None, TEXT),
    (Outcome.YES, TEXT | RATINGS),
    (Outcome.DIDNT_ASK, TEXT | RATINGS),
    (Outcome.NO, TEXT | RATINGS | REASONS),
    (Outcome.PARTIAL, TEXT | RATINGS | REASONS),
    (Outcome.NO_RESPONSE, TEXT | RATINGS | REASONS),
])
def test_the_fields_that_apply_for_each_outcome(outcome: Outcome | None,
                                                expected: set[str]) -> None:
    assert applicable(outcome) == expected
    assert all(applies(name, outcome) == (name in expected) for name in AFTER_FIELDS)


def test_every_outcome_is_named_above_and_every_after_field_is_an_attempts() -> None:
    attributes = {f.name for f in dataclasses.fields(AttemptRecord)}
    assert set(AFTER_FIELDS) <= attributes
    assert set(AFTER_FIELDS) == TEXT | RATINGS | REASONS
    defaults = AttemptRecord(ask="x", attempted_on=DAY)
    assert all(getattr(defaults, name) == BLANK[name] for name in BLANK), \
        "a field that does not apply holds what a new entry holds"


def test_what_does_not_apply_is_left_out_and_other_values_pass_through() -> None:
    values = {"ask": "Ask for a discount", "outcome": Outcome.YES, "actual_discomfort": 3,
              "reasons": (Reason.TIMING,), "other_reason": "Closing time", "asked_why": True,
              "lesson": "Smile."}
    assert keep_applicable(Outcome.YES, values) == {**values, "reasons": (),
                                                     "other_reason": "", "asked_why": False}
    assert keep_applicable(None, values)["actual_discomfort"] is None
    assert keep_applicable(Outcome.NO, values) == values


def test_validation_reads_the_same_rule() -> None:
    with pytest.raises(ValidationError) as refused:
        AttemptRecord(ask="x", attempted_on=DAY, outcome=Outcome.YES,
                      reasons=(Reason.TIMING,)).validated()
    assert refused.value.attribute == "reasons"
    with pytest.raises(ValidationError) as refused:
        AttemptRecord(ask="x", attempted_on=DAY, actual_discomfort=3).validated()
    assert refused.value.attribute == "outcome"
    for outcome in Outcome:
        kept = keep_applicable(outcome, {"reasons": (Reason.POLICY,), "actual_discomfort": 2})
        # accepted as kept
        AttemptRecord(ask="x", attempted_on=DAY, outcome=outcome, **kept).validated()
