"""Checking what format 6 added to an export (schema 3.4's fields of an entry, and the
self-check's results), for :mod:`~rejection_journal.storage.import_schema`.

Each converter takes a JSON value and returns the domain's value or raises
:class:`~rejection_journal.storage.import_decode.FieldProblem`; the value rules themselves
(ranges, lengths) stay in ``validated()`` (:mod:`rejection_journal.domain.records`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from rejection_journal.domain.experiment import AskMode, EntryKind, FearHappened
from rejection_journal.domain.plan import AnswersError, TakenCheck, validated_answers
from rejection_journal.storage.import_decode import FieldProblem, describe_value, short

_E = TypeVar("_E", bound=StrEnum)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _enum(kind: type[_E], noun: str, value: object, *, nullable: bool) -> _E | None:
    if value is None and nullable:
        return None
    known = ", ".join(member.value for member in kind)
    if not isinstance(value, str):
        more = " or null" if nullable else ""
        raise FieldProblem(f"must be one of {known}{more}, not {describe_value(value)}")
    try:
        return kind(value)
    except ValueError:
        raise FieldProblem(f"unknown {noun} {short(value)} (known: {known})") from None


def _kind(value: object) -> EntryKind:
    found = _enum(EntryKind, "kind of entry", value, nullable=False)
    assert found is not None
    return found


def _ask_mode(value: object) -> AskMode | None:
    return _enum(AskMode, "way of asking", value, nullable=True)


def _happened(value: object) -> FearHappened | None:
    return _enum(FearHappened, "answer", value, nullable=True)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of texts, not {describe_value(value)}")
    for position, item in enumerate(value):
        if not isinstance(item, str):
            raise FieldProblem(f"item {position}: must be text, not {describe_value(item)}")
    return tuple(value)


def _date(value: object) -> date:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        shown = short(value) if isinstance(value, str) else describe_value(value)
        raise FieldProblem(f"must be a date like 2026-11-23 (YYYY-MM-DD), not {shown}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FieldProblem(f"{value} is not a real calendar date ({exc})") from None


def _date_or_null(value: object) -> date | None:
    return None if value is None else _date(value)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise FieldProblem(f"must be text, not {describe_value(value)}")
    return value


def _int_or_null(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise FieldProblem(f"must be a whole number or null, not {describe_value(value)}")
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise FieldProblem(f"must be true or false, not {describe_value(value)}")
    return value


#: (format 6) the JSON types of the attributes schema 3.4 added to an entry
EXPERIMENT_TYPES: dict[str, Callable[[object], Any]] = {
    "kind": _kind,
    "ask_mode": _ask_mode,
    "feared_outcome": _text,
    "fear_likelihood": _int_or_null,
    "safety_behaviours": _texts,
    "awaiting_answer": _bool,
    "follow_up_on": _date_or_null,
    "fear_happened": _happened,
    "fear_likelihood_after": _int_or_null,
    "surprise": _int_or_null,
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
    taken_on = _date(item["taken_on"])
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
                      _text(item["uuid"]))
