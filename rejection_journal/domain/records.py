"""Plain records passed between storage, charts and the UI, with their value checks."""

from __future__ import annotations

import dataclasses
import unicodedata
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rejection_journal.domain.after_half import applies as after_field_applies
from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.experiment import (
    LIKELIHOOD_MAX,
    LIKELIHOOD_MIN,
    SAFETY_MAX,
    SAFETY_TEXT_MAX,
    SURPRISE_MAX,
    SURPRISE_MIN,
    AskMode,
    EntryKind,
    FearHappened,
)
from rejection_journal.domain.labels import label as label_of

DISCOMFORT_MIN, DISCOMFORT_MAX = 0, 10
CHANCE_MIN, CHANCE_MAX = 0, 100
#: "more or less hopeful than before?": -2 much less ... 0 the same ... +2 much more
HOPEFUL_MIN, HOPEFUL_MAX = -2, 2
LEVEL_MIN, LEVEL_MAX = 1, 10
TEXT_MAX = 20_000
TITLE_MAX = 300
#: "who was asked" and the "other" reason: a short line each
SHORT_TEXT_MAX = 300
#: A planned (open) entry may be dated this many days ahead of today; a completed one not at
#: all (what happened cannot have happened tomorrow).  Two months covers "ask at the party
#: next month" without inviting typos of a year.
PLAN_AHEAD_DAYS = 60
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
    #: who was asked (optional): the boundary guard looks for a "no" from the same person
    who_asked: str = ""
    # After
    outcome: Outcome | None = None
    actual_discomfort: int | None = None
    feelings_after: str = ""
    #: the reasons for the no (any number, each once, in Reason order when made by the editor)
    reasons: tuple[Reason, ...] = ()
    #: a reason in the user's own words, beside (or instead of) the listed ones
    other_reason: str = ""
    asked_why: bool = False
    reflection: str = ""
    lesson: str = ""
    #: "more or less hopeful than before?" (HOPEFUL_MIN..HOPEFUL_MAX), None: not answered
    hopefulness: int | None = None
    #: the belief update: what the user now expects next time
    next_discomfort: int | None = None
    next_no_chance: int | None = None
    # Schema 3.4: the ask as a small experiment (domain/experiment.py), the two other kinds
    # of entry, and how the ask was made.
    #: an ask the user made, or a rejection that happened to them (no predictions)
    kind: EntryKind = EntryKind.ASK
    #: how the ask was made (in person, phone, message, online); None: not said
    ask_mode: AskMode | None = None
    #: "What I fear will happen" and "How likely it feels" (0-100 %)
    feared_outcome: str = ""
    fear_likelihood: int | None = None
    #: the safety behaviours the user will try without (listed keys or their own words)
    safety_behaviours: tuple[str, ...] = ()
    #: "Waiting for an answer": no answer yet, and not an entry to reflect on until it comes
    awaiting_answer: bool = False
    #: when to look for the answer (only while waiting)
    follow_up_on: date | None = None
    #: "Did it happen?", "How likely does it feel now?", "How surprised were you?" (0-10)
    fear_happened: FearHappened | None = None
    fear_likelihood_after: int | None = None
    surprise: int | None = None
    #: the safety behaviours actually dropped
    safety_dropped: tuple[str, ...] = ()
    # Bookkeeping (UTC, naive)
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def is_open(self) -> bool:
        """The after half is still to be written."""
        return self.outcome is None

    @property
    def is_waiting(self) -> bool:
        """Waiting for an answer: not a no, nor an entry to reflect on, until it comes."""
        return self.awaiting_answer and self.outcome is None

    def answered(self) -> AttemptRecord:
        """The entry as saved: once an answer is recorded it no longer waits for one (the
        follow-up day goes with it)."""
        if self.outcome is not None and (self.awaiting_answer or self.follow_up_on is not None):
            return dataclasses.replace(self, awaiting_answer=False, follow_up_on=None)
        return self

    @property
    def reason(self) -> Reason | None:
        """The one listed reason when there is exactly one (what schema 1 and 2 stored)."""
        return self.reasons[0] if len(self.reasons) == 1 else None

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
        check_discomfort(self.next_discomfort, "next_discomfort")
        check_chance(self.next_no_chance, "next_no_chance")
        check_int_range(self.hopefulness, "hopefulness", HOPEFUL_MIN, HOPEFUL_MAX, optional=True)
        for name in ("feelings_before", "worst_case", "feelings_after", "reflection", "lesson"):
            check_text(getattr(self, name), name)
        check_text(self.who_asked, "who_asked", limit=SHORT_TEXT_MAX)
        check_text(self.other_reason, "other_reason", limit=SHORT_TEXT_MAX)
        if self.outcome is not None and not isinstance(self.outcome, Outcome):
            raise ValidationError("outcome", f"unknown outcome {self.outcome!r}")
        if not isinstance(self.reasons, tuple):
            raise ValidationError("reasons", "must be a list of reasons")
        for reason in self.reasons:
            if not isinstance(reason, Reason):
                raise ValidationError("reasons", f"unknown reason {reason!r}")
        if len(set(self.reasons)) != len(self.reasons):
            raise ValidationError("reasons", "names the same reason twice")
        gave_reason = bool(self.reasons) or not is_blank(self.other_reason)
        if gave_reason and not after_field_applies("reasons", self.outcome):
            raise ValidationError(
                "reasons", "only applies when the answer was no, partly, or no response"
            )
        if (self.actual_discomfort is not None
                and not after_field_applies("actual_discomfort", self.outcome)):
            raise ValidationError("outcome", "pick what happened before rating how it felt")
        self._validate_experiment()
        after = [name for name in ("fear_happened", "fear_likelihood_after", "surprise",
                                   "safety_dropped")
                 if getattr(self, name) not in (None, ()) and not after_field_applies(
                     name, self.outcome)]
        if after:
            raise ValidationError(
                "outcome", "pick what happened before saying whether the fear came true")
        return self

    def _validate_experiment(self) -> None:
        """The fields of schema 3.4 (a value out of range is named, never clamped)."""
        if not isinstance(self.kind, EntryKind):
            raise ValidationError("kind", f"unknown kind of entry {self.kind!r}")
        if self.ask_mode is not None and not isinstance(self.ask_mode, AskMode):
            raise ValidationError("ask_mode", f"unknown way of asking {self.ask_mode!r}")
        check_text(self.feared_outcome, "feared_outcome", limit=SHORT_TEXT_MAX)
        for name in ("fear_likelihood", "fear_likelihood_after"):
            check_int_range(getattr(self, name), name, LIKELIHOOD_MIN, LIKELIHOOD_MAX,
                            optional=True)
        check_int_range(self.surprise, "surprise", SURPRISE_MIN, SURPRISE_MAX, optional=True)
        for name in ("safety_behaviours", "safety_dropped"):
            check_safety(getattr(self, name), name)
        if self.fear_happened is not None and not isinstance(self.fear_happened, FearHappened):
            raise ValidationError("fear_happened", f"unknown answer {self.fear_happened!r}")
        if not isinstance(self.awaiting_answer, bool):
            raise ValidationError("awaiting_answer", "must be yes or no")
        if self.awaiting_answer and self.outcome is not None:
            raise ValidationError("awaiting_answer",
                                  "only while there is no answer yet (the answer has come)")
        if self.follow_up_on is not None:
            if not self.awaiting_answer:
                raise ValidationError("follow_up_on", "only for an entry waiting for an answer")
            if (not isinstance(self.follow_up_on, date) or isinstance(self.follow_up_on, datetime)
                    or not DATE_MIN <= self.follow_up_on <= DATE_MAX):
                raise ValidationError("follow_up_on", f"must be a calendar date from "
                                      f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}")

    def check_date(self, today: date) -> AttemptRecord:
        """The date rule for what a user types (see :func:`check_attempt_date`)."""
        check_attempt_date(self.attempted_on, is_open=self.is_open, today=today)
        return self


def check_safety(value: object, attribute: str) -> tuple[str, ...]:
    """A list of safety behaviours: each a short, non-empty line, none twice."""
    if not isinstance(value, tuple):
        raise ValidationError(attribute, "must be a list of safety behaviours")
    if len(value) > SAFETY_MAX:
        raise ValidationError(attribute, f"holds at most {SAFETY_MAX}, not {len(value)}")
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(attribute, "each must be text")
        check_text(item, attribute, limit=SAFETY_TEXT_MAX, required=True)
        if "\n" in item:
            raise ValidationError(attribute, "each must be one line")
    if len(set(value)) != len(value):
        raise ValidationError(attribute, "names the same one twice")
    return value


def latest_allowed_date(*, is_open: bool, today: date) -> date:
    """The latest date an entry may carry: today for a completed one, a little ahead for a
    planned one (:data:`PLAN_AHEAD_DAYS`), never past :data:`DATE_MAX`."""
    if not is_open:
        return min(today, DATE_MAX)
    return min(today + timedelta(days=PLAN_AHEAD_DAYS), DATE_MAX)


def check_attempt_date(day: date, *, is_open: bool, today: date) -> date:
    """A completed entry is not dated after ``today``; a planned one at most
    :data:`PLAN_AHEAD_DAYS` ahead.  Raises :class:`ValidationError` (attribute
    ``attempted_on``) naming the latest date allowed."""
    latest = latest_allowed_date(is_open=is_open, today=today)
    if day > latest:
        if is_open:
            raise ValidationError(
                "attempted_on",
                f"a planned ask can be dated at most {PLAN_AHEAD_DAYS} days ahead "
                f"(until {latest.isoformat()}), not {day.isoformat()}",
            )
        raise ValidationError(
            "attempted_on",
            f"an ask that has happened cannot be dated after today ({latest.isoformat()}), "
            f"not {day.isoformat()}",
        )
    return day
