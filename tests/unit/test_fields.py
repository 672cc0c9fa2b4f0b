"""One description of an entry's fields (domain/fields.py), and everything derived from it."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rejection_journal.domain import fields
from rejection_journal.domain.enums import Category
from rejection_journal.domain.fields import (
    ATTEMPT,
    ATTEMPT_FIELDS,
    CHALLENGE,
    CHALLENGE_FIELDS,
    UndescribedFieldError,
    describe,
)
from rejection_journal.domain.records import AttemptRecord, ChallengeRecord, ValidationError
from rejection_journal.storage import Journal
from rejection_journal.storage.export import CSV_COLUMNS, attempt_to_dict, challenge_to_dict
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_experiment import EXPERIMENT_TYPES
from rejection_journal.storage.import_schema import (
    ATTEMPT_KEYS,
    ATTEMPT_KEYS_V1,
    CHALLENGE_KEYS,
    parse_document,
)
from rejection_journal.storage.models import Attempt
from rejection_journal.storage.rows import DIRECT_ATTRIBUTES, attempt_row, challenge_row


@pytest.mark.parametrize(("record_type", "described"),
                         [(AttemptRecord, ATTEMPT_FIELDS), (ChallengeRecord, CHALLENGE_FIELDS)])
def test_every_attribute_of_the_records_is_described_once_in_order(
    record_type: type, described: tuple[fields.Field, ...]
) -> None:
    names = [f.name for f in dataclasses.fields(record_type)]
    assert [f.attribute for f in described] == names
    assert all(f.label and f.key for f in described)
    assert len({f.label for f in described}) == len(described)  # no two read the same
    assert len({f.key for f in described}) == len(described)


def test_a_new_attribute_without_a_description_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Grown(AttemptRecord):
        mood_after: str = ""

    rows = {f.attribute: (f.label, f.key, f.bookkeeping) for f in ATTEMPT_FIELDS}
    with pytest.raises(UndescribedFieldError, match="mood_after"):
        describe(Grown, rows)
    with pytest.raises(UndescribedFieldError, match="gone"):
        describe(AttemptRecord, {**rows, "gone": ("Gone", "gone", False)})
    rows["mood_after"] = ("Mood after", "mood_after", False)
    assert describe(Grown, rows)[-1] == fields.Field("mood_after", "Mood after", "mood_after")


def test_the_labels_people_read_are_the_ones_they_always_read() -> None:
    assert {name: ATTEMPT[name].label for name in (
        "ask", "attempted_on", "anticipated_discomfort", "predicted_no_chance",
        "actual_discomfort", "feelings_before", "worst_case", "feelings_after", "reflection",
        "lesson", "outcome", "reasons")} == {
        "ask": "What you asked", "attempted_on": "Date",
        "anticipated_discomfort": "Anticipated discomfort",
        "predicted_no_chance": "Predicted chance of no", "actual_discomfort": "Actual discomfort",
        "feelings_before": "Feelings before", "worst_case": "Worst case",
        "feelings_after": "Feelings after", "reflection": "Reflection", "lesson": "Lesson",
        "outcome": "Outcome", "reasons": "Reasons for the no"}
    assert [CHALLENGE[name].label for name in ("title", "category", "level", "how_to",
                                                "respect_note")] == [
        "Title", "Category", "Level", "How to", "Respect note"]
    assert [f.attribute for f in ATTEMPT_FIELDS if f.bookkeeping] == ["created_at", "updated_at"]


# -- ValidationError carries the attribute ------------------------------------------------

def _attempt(**changes: Any) -> AttemptRecord:
    return AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 3, 10)).replace(
        **changes)


@pytest.mark.parametrize(("changes", "attribute", "message"), [
    ({"anticipated_discomfort": 11}, "anticipated_discomfort",
     "Anticipated discomfort: must be from 0 to 10, not 11"),
    ({"predicted_no_chance": -5}, "predicted_no_chance",
     "Predicted chance of no: must be from 0 to 100, not -5"),
    ({"actual_discomfort": 3}, "outcome",
     "Outcome: pick what happened before rating how it felt"),
    ({"ask": " "}, "ask", "What you asked: cannot be empty"),
    ({"attempted_on": date(1899, 12, 31)}, "attempted_on",
     "Date: must be from 1900-01-01 to 2100-12-31, not 1899-12-31"),
    ({"lesson": "a\x00b"}, "lesson", "Lesson: contains a NUL character"),
])
def test_a_validation_error_names_the_attribute_and_reads_as_before(
    changes: dict[str, Any], attribute: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _attempt(**changes).validated()
    error = caught.value
    assert error.attribute == attribute
    assert error.label == ATTEMPT[attribute].label
    assert error.field == error.label  # what callers read before the attribute was carried
    assert str(error) == message


def test_a_challenge_validation_error_names_the_attribute() -> None:
    with pytest.raises(ValidationError) as caught:
        ChallengeRecord(uuid="u", title="Ask", category=Category.SOCIAL, level=11).validated()
    assert caught.value.attribute == "level"
    assert str(caught.value) == "Level: must be from 1 to 10, not 11"


def test_a_label_may_still_be_given_outright() -> None:
    error = ValidationError("ask", "is odd", label="The ask")
    assert (error.attribute, error.label, str(error)) == ("ask", "The ask", "The ask: is odd")


# -- what derives from the table ----------------------------------------------------------

def test_exports_use_each_fields_key() -> None:
    record = _attempt()
    assert list(attempt_to_dict(record)) == [f.key for f in ATTEMPT_FIELDS]
    challenge = ChallengeRecord(uuid="u", title="Ask", category=Category.SOCIAL, level=2)
    assert list(challenge_to_dict(challenge)) == [f.key for f in CHALLENGE_FIELDS]
    assert set(CSV_COLUMNS) == {f.key for f in ATTEMPT_FIELDS} | {"challenge_category",
                                                                   "challenge_level"}


def test_the_import_reads_each_fields_key() -> None:
    assert set(ATTEMPT_KEYS) == {f.key for f in ATTEMPT_FIELDS} | {"revision",
                                                                   "earlier_revisions"}
    # formats 1 and 2: one "reason" where format 3 has "reasons", and none of its new keys
    # nor format 6's
    assert set(ATTEMPT_KEYS_V1) == {f.key for f in ATTEMPT_FIELDS} - {
        "reasons", "who_asked", "other_reason", "hopefulness", "next_discomfort",
        "next_no_chance", *EXPERIMENT_TYPES} | {"reason"}
    # format 5: a challenge carries its revisions too
    assert (*(f.key for f in CHALLENGE_FIELDS), "revision", "earlier_revisions") == \
        CHALLENGE_KEYS


def test_the_storage_row_holds_every_attribute(journal: Journal) -> None:
    record = _attempt()
    row = attempt_row(record, {})
    mapped = {"uuid", "challenge_uuid", "outcome", "reasons"}
    assert set(DIRECT_ATTRIBUTES) == {f.attribute for f in ATTEMPT_FIELDS} - mapped
    assert set(row) == {*DIRECT_ATTRIBUTES, "uuid", "challenge", "outcome", "reasons",
                        "revision"}
    assert set(row) <= set(Attempt._meta.fields)
    challenge = ChallengeRecord(uuid="u", title="Ask", category=Category.SOCIAL, level=2)
    assert challenge_row(challenge) == challenge_to_dict(challenge)


@pytest.mark.parametrize(("key", "value", "problem"), [
    ("anticipated_discomfort", 11, "must be from 0 to 10, not 11"),
    ("ask", "   ", "cannot be empty"),
    ("reasons", ["policy"], "only applies when the answer was no, partly, or no response"),
    ("lesson", "x" * 20_001, "is longer than 20,000 characters"),
    ("fear_likelihood", 150, "must be from 0 to 100, not 150"),
    ("surprise", 11, "must be from 0 to 10, not 11"),
])
def test_an_import_error_from_the_domain_names_the_json_key(
    key: str, value: object, problem: str
) -> None:
    item = attempt_to_dict(_attempt())
    item[key] = value
    item["revision"], item["earlier_revisions"] = "0" * 32, []
    document = {"format": "rejection-journal", "format_version": 6, "challenges": [],
                "attempts": [item], "ladders": [], "runs": [], "self_checks": []}
    with pytest.raises(ImportValidationError) as caught:
        parse_document(json.dumps(document))
    assert caught.value.field == key
    assert caught.value.problem == problem
    assert str(caught.value) == f"attempts[0] (uuid {item['uuid']}): {key}: {problem}"


def _documented_keys(section: str) -> list[str]:
    text = (Path(__file__).parents[2] / "docs" / "json-format.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.MULTILINE)


def test_docs_json_format_lists_the_keys_the_import_reads_in_order() -> None:
    assert _documented_keys("Attempt") == list(ATTEMPT_KEYS)
    assert _documented_keys("Challenge") == list(CHALLENGE_KEYS)
