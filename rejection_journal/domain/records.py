"""Plain records passed between storage, charts and the UI, with their value checks."""

from __future__ import annotations

import dataclasses
import unicodedata
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.labels import label as label_of

DISCOMFORT_MIN, DISCOMFORT_MAX = 0, 10
CHANCE_MIN, CHANCE_MAX = 0, 100
LEVEL_MIN, LEVEL_MAX = 1, 10
TEXT_MAX = 20_000
TITLE_MAX = 300
#: The dates an entry may carry: the editor, imports and charts all handle these and no others.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)


class ValidationError(ValueError):
    """A value a user typed (or a file carried) is not acceptable.

    ``attribute`` is the record's attribute (``"anticipated_discomfort"``); ``label`` names it
    in words a user would recognise (``"Anticipated discomfort"``, from
    :mod:`rejection_journal.domain.fields`), and the message reads ``"LABEL: MESSAGE"``.
    ``field`` is the label too, as it was before the attribute was carried.
    """

    def __init__(self, attribute: str, message: str, *, label: str | None = None) -> None:
        if label is None:
            label = label_of(attribute)
        super().__init__(f"{label}: {message}")
        self.attribute = attribute
        self.label = label
        self.message = message

    @property
    def field(self) -> str:
        """The label (what ``field`` always held)."""
        return self.label


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


def check_int_range(
    value: object, attribute: str, low: int, high: int, *, optional: bool
) -> int | None:
    if value is None:
        if optional:
            return None
        raise ValidationError(attribute, "is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(attribute, f"must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise ValidationError(attribute, f"must be from {low} to {high}, not {value}")
    return value


def check_discomfort(value: object, attribute: str) -> int | None:
    return check_int_range(value, attribute, DISCOMFORT_MIN, DISCOMFORT_MAX, optional=True)


def check_chance(value: object, attribute: str) -> int | None:
    return check_int_range(value, attribute, CHANCE_MIN, CHANCE_MAX, optional=True)


#: Characters that show nothing: spaces, line and paragraph separators, control characters and
#: invisible format characters (no-break space, zero-width space, BOM, word joiner, ...).
BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def is_blank(text: str) -> bool:
    """True if ``text`` shows nothing at all (empty, whitespace or invisible characters)."""
    return all(unicodedata.category(char) in BLANK_CATEGORIES for char in text)


def check_text(
    value: object, attribute: str, *, limit: int = TEXT_MAX, required: bool = False
) -> str:
    if not isinstance(value, str):
        raise ValidationError(attribute, "must be text")
    if "\x00" in value:
        raise ValidationError(attribute, "contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: the database and the UTF-8 exports cannot hold them.
        raise ValidationError(attribute, "contains characters that cannot be saved") from None
    if len(value) > limit:
        raise ValidationError(attribute, f"is longer than {limit:,} characters")
    if required and is_blank(value):
        raise ValidationError(attribute, "cannot be empty")
    return value


@dataclass(frozen=True, slots=True)
class ChallengeRecord:
    uuid: str
    title: str
    category: Category
    level: int
    how_to: str = ""
    respect_note: str = ""
    is_custom: bool = False
    archived: bool = False

    def validated(self) -> ChallengeRecord:
        check_text(self.title, "title", limit=TITLE_MAX, required=True)
        if not isinstance(self.category, Category):
            raise ValidationError("category", f"unknown category {self.category!r}")
        check_int_range(self.level, "level", LEVEL_MIN, LEVEL_MAX, optional=False)
        check_text(self.how_to, "how_to")
        check_text(self.respect_note, "respect_note")
        return self


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One attempt: the *before* half and the *after* half, filled at different times."""

    ask: str
    attempted_on: date
    uuid: str = field(default_factory=new_uuid)
    challenge_uuid: str | None = None
    # Before
    anticipated_discomfort: int | None = None
    predicted_no_chance: int | None = None
    feelings_before: str = ""
    worst_case: str = ""
    # After
    outcome: Outcome | None = None
    actual_discomfort: int | None = None
    feelings_after: str = ""
    reason: Reason | None = None
    asked_why: bool = False
    reflection: str = ""
    lesson: str = ""
    # Bookkeeping (UTC, naive)
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def is_open(self) -> bool:
        """The after half is still to be written."""
        return self.outcome is None

    @property
    def gap(self) -> int | None:
        """Anticipated minus actual discomfort (positive: it felt better than feared)."""
        if self.anticipated_discomfort is None or self.actual_discomfort is None:
            return None
        return self.anticipated_discomfort - self.actual_discomfort

    def replace(self, **changes: Any) -> AttemptRecord:
        return dataclasses.replace(self, **changes)

    def validated(self) -> AttemptRecord:
        """Return self if every field is acceptable, else raise :class:`ValidationError`."""
        check_text(self.ask, "ask", limit=TITLE_MAX, required=True)
        if not isinstance(self.attempted_on, date) or isinstance(self.attempted_on, datetime):
            raise ValidationError("attempted_on", "must be a calendar date")
        if not DATE_MIN <= self.attempted_on <= DATE_MAX:
            raise ValidationError(
                "attempted_on", f"must be from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}, "
                f"not {self.attempted_on.isoformat()}"
            )
        check_discomfort(self.anticipated_discomfort, "anticipated_discomfort")
        check_chance(self.predicted_no_chance, "predicted_no_chance")
        check_discomfort(self.actual_discomfort, "actual_discomfort")
        for name in ("feelings_before", "worst_case", "feelings_after", "reflection", "lesson"):
            check_text(getattr(self, name), name)
        if self.outcome is not None and not isinstance(self.outcome, Outcome):
            raise ValidationError("outcome", f"unknown outcome {self.outcome!r}")
        if self.reason is not None:
            if not isinstance(self.reason, Reason):
                raise ValidationError("reason", f"unknown reason {self.reason!r}")
            if self.outcome is None or not self.outcome.can_have_reason:
                raise ValidationError(
                    "reason", "only applies when the answer was no, partly, or no response"
                )
        if self.actual_discomfort is not None and self.outcome is None:
            raise ValidationError("outcome", "pick what happened before rating how it felt")
        return self
