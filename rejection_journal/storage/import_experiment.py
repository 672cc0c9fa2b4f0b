"""Checking what format 6 added to an export (schema 3.4's fields of an entry, and the
self-check's results), for :mod:`~rejection_journal.storage.import_schema`.

Each converter takes a JSON value and returns the domain's value or raises
:class:`~rejection_journal.storage.import_decode.FieldProblem`; the value rules themselves
(ranges, lengths) stay in ``validated()`` (:mod:`rejection_journal.domain.records`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.plan import AnswersError, TakenCheck, validated_answers
from rejection_journal.storage.import_decode import FieldProblem, describe_value
from rejection_journal.storage.import_values import (
    calendar_date,
    date_or_null,
    enum_value,
    text,
    true_or_false,
    whole_or_null,
)


def _kind(value: object) -> EntryKind:
    found = enum_value(EntryKind, "kind of entry", value, nullable=False)
    assert found is not None
    return found


def _ask_mode(value: object) -> AskMode | None:
    return enum_value(AskMode, "way of asking", value, nullable=True)


def _happened(value: object) -> FearHappened | None:
    return enum_value(FearHappened, "answer", value, nullable=True)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of texts, not {describe_value(value)}")
    for position, item in enumerate(value):
        if not isinstance(item, str):
            raise FieldProblem(f"item {position}: must be text, not {describe_value(item)}")
    return tuple(value)


#: (format 6) the JSON types of the attributes schema 3.4 added to an entry
EXPERIMENT_TYPES: dict[str, Callable[[object], Any]] = {
    "kind": _kind,
    "ask_mode": _ask_mode,
    "feared_outcome": text,
    "fear_likelihood": whole_or_null,
    "safety_behaviours": _texts,
    "awaiting_answer": true_or_false,
    "follow_up_on": date_or_null,
    "fear_happened": _happened,
    "fear_likelihood_after": whole_or_null,
    "surprise": whole_or_null,
    "safety_dropped": _texts,
}


# -- the self-check's results (format 6) ------------------------------------------------------

#: a result's keys in a file, in the order they are written
SELF_CHECK_KEYS = ("uuid", "taken_on", "overall", "categories", "answers")


def self_check_to_dict(check: TakenCheck) -> dict[str, Any]:
    """A self-check result as format 6 carries it."""
    return {"uuid": check.uuid, "taken_on": check.taken_on.isoformat(),
            "overall": check.overall,
            "categories": {category.value: score for category, score in check.categories},
            "answers": {key: list(pair) for key, pair in check.answers}}


def self_check_from_dict(item: dict[str, Any]) -> TakenCheck:
    """The result :func:`self_check_to_dict` wrote, checked: its answers must be the
    self-check's (each item, two ratings from 1 to 6), and its scores are computed again from
    them (a file cannot carry a score its answers do not give).  Raises
    :class:`FieldProblem` (``"answers: ..."``) for the first problem."""
    taken_on = calendar_date(item["taken_on"])
    try:
        answers = validated_answers(item["answers"])
    except AnswersError as exc:
        raise FieldProblem(f"answers: {exc}") from None
    if not isinstance(item["categories"], dict):
        raise FieldProblem("categories: must be an object of scores by category")
    if type(item["overall"]) not in (int, float):
        raise FieldProblem(f"overall: must be a number, not {describe_value(item['overall'])}")
    check = TakenCheck.of(answers, taken_on)
    return TakenCheck(check.taken_on, check.overall, check.categories, check.answers,
                      text(item["uuid"]))
