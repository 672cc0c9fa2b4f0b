"""One JSON value of an export, checked: text, whole numbers, true/false, dates and enum
values, each to the domain's type or a :class:`FieldProblem` saying what is wrong.  Shared by
the import's record checks (:mod:`~rejection_journal.storage.import_schema`,
:mod:`~rejection_journal.storage.import_experiment`)."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TypeVar

from rejection_journal.storage.import_decode import FieldProblem, describe_value, short

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_E = TypeVar("_E", bound=StrEnum)


def text(value: object) -> str:
    # Length, NUL and lone surrogates are the domain's rules (check_text via validated()).
    if not isinstance(value, str):
        raise FieldProblem(f"must be text, not {describe_value(value)}")
    return value


def whole(value: object) -> int:
    if type(value) is not int:
        raise FieldProblem(f"must be a whole number, not {describe_value(value)}")
    return value


def whole_or_null(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise FieldProblem(f"must be a whole number or null, not {describe_value(value)}")
    return value


def true_or_false(value: object) -> bool:
    if type(value) is not bool:
        raise FieldProblem(f"must be true or false, not {describe_value(value)}")
    return value


def calendar_date(value: object) -> date:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        shown = short(value) if isinstance(value, str) else describe_value(value)
        raise FieldProblem(f"must be a date like 2026-11-23 (YYYY-MM-DD), not {shown}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FieldProblem(f"{value} is not a real calendar date ({exc})") from None


def date_or_null(value: object) -> date | None:
    return None if value is None else calendar_date(value)


@cache
def _values(kind: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in kind)


def enum_value(kind: type[_E], noun: str, value: object, *, nullable: bool) -> _E | None:
    """``value`` as a member of ``kind`` (``noun`` names it in the message)."""
    if value is None and nullable:
        return None
    if isinstance(value, str) and value in _values(kind):
        return kind(value)
    known = ", ".join(member.value for member in kind)
    if not isinstance(value, str):
        more = " or null" if nullable else ""
        raise FieldProblem(f"must be one of {known}{more}, not {describe_value(value)}")
    raise FieldProblem(f"unknown {noun} {short(value)} (known: {known})")
