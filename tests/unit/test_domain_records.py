"""Value checks on attempts and challenges: the messages a user sees name the field."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.records import (
    DATE_MAX,
    DATE_MIN,
    PLAN_AHEAD_DAYS,
    TEXT_MAX,
    TITLE_MAX,
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
    latest_allowed_date,
)

TEXT_FIELDS = {
    "feelings_before": "Feelings before",
    "worst_case": "Worst case",
    "feelings_after": "Feelings after",
    "reflection": "Reflection",
    "lesson": "Lesson",
}
ALL_FIELD_LABELS = {
    "What you asked",
    "Date",
    "Anticipated discomfort",
    "Predicted chance of no",
    "Actual discomfort",
    "Outcome",
    "Reasons for the no",
    "Other reason",
    "Who was asked",
    "More or less hopeful",
    "Discomfort expected next time",
    "Chance of no expected next time",
    *TEXT_FIELDS.values(),
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"anticipated_discomfort": 11}, "Anticipated discomfort"),
        ({"anticipated_discomfort": -1}, "Anticipated discomfort"),
        ({"anticipated_discomfort": 5.5}, "Anticipated discomfort"),
        ({"anticipated_discomfort": True}, "Anticipated discomfort"),
        ({"anticipated_discomfort": "7"}, "Anticipated discomfort"),
        ({"predicted_no_chance": 101}, "Predicted chance of no"),
        ({"predicted_no_chance": -5}, "Predicted chance of no"),
        ({"actual_discomfort": 11}, "Actual discomfort"),
        ({"ask": ""}, "What you asked"),
        ({"ask": "   \n\t"}, "What you asked"),
        ({"ask": "x" * (TITLE_MAX + 1)}, "What you asked"),
        ({"ask": None}, "What you asked"),
        ({"attempted_on": datetime(2024, 3, 10, 9, 0)}, "Date"),
        ({"attempted_on": "2024-03-10"}, "Date"),
        ({"attempted_on": date(1899, 12, 31)}, "Date"),
        ({"attempted_on": date(2101, 1, 1)}, "Date"),
        ({"attempted_on": date(1, 1, 1)}, "Date"),
        ({"attempted_on": date(9999, 12, 31)}, "Date"),
        ({"ask": "\u00a0\u200b"}, "What you asked"),
        ({"ask": "\ufeff\u2060\u3000\u2028"}, "What you asked"),
        ({"outcome": Outcome.YES, "reasons": (Reason.TIMING,)}, "Reasons for the no"),
        ({"outcome": Outcome.DIDNT_ASK, "reasons": (Reason.TIMING,)}, "Reasons for the no"),
        ({"outcome": None, "actual_discomfort": None, "reasons": (Reason.TIMING,)},
         "Reasons for the no"),
        ({"outcome": Outcome.NO, "reasons": ("timing",)}, "Reasons for the no"),
        ({"outcome": None, "reasons": (), "actual_discomfort": 4}, "Outcome"),
        ({"outcome": "no"}, "Outcome"),
        ({"feelings_before": "a\x00b"}, "Feelings before"),
        ({"reflection": "x" * (TEXT_MAX + 1)}, "Reflection"),
        ({"worst_case": None}, "Worst case"),
        ({"lesson": "half an emoji \ud83d"}, "Lesson"),
    ],
)
def test_bad_values_are_rejected_naming_the_field(make_attempt, changes, field) -> None:
    record = make_attempt(**changes)
    with pytest.raises(ValidationError) as caught:
        record.validated()
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert caught.value.message


def test_anticipated_discomfort_11_message_says_the_allowed_range(make_attempt) -> None:
    with pytest.raises(ValidationError) as caught:
        make_attempt(anticipated_discomfort=11).validated()
    assert caught.value.field == "Anticipated discomfort"
    assert "0 to 10" in caught.value.message
    assert "11" in caught.value.message


@pytest.mark.parametrize(
    "changes",
    [
        {"anticipated_discomfort": 0, "actual_discomfort": 10},
        {"anticipated_discomfort": 10, "actual_discomfort": 0},
        {"predicted_no_chance": 0},
        {"predicted_no_chance": 100},
        {"outcome": Outcome.PARTIAL, "reasons": (Reason.REQUEST_SIZE,)},
        {"outcome": Outcome.NO_RESPONSE, "reasons": (Reason.UNKNOWN,)},
        {"outcome": Outcome.YES, "reasons": ()},
        {"ask": "x" * TITLE_MAX, "reflection": "y" * TEXT_MAX},
        {"ask": "Ask for the time 🕰️ — «por favor»", "lesson": "line one\nline two"},
        {"attempted_on": date(1900, 1, 1)},
        {"attempted_on": date(2100, 12, 31)},
        {"ask": "\u00a0x\u200b"},
    ],
)
def test_values_at_the_edges_of_the_allowed_ranges_are_accepted(make_attempt, changes) -> None:
    record = make_attempt(**changes)
    assert record.validated() is record


def test_the_date_range_message_names_the_range_and_the_date(make_attempt) -> None:
    assert date(1900, 1, 1) == DATE_MIN
    assert date(2100, 12, 31) == DATE_MAX
    with pytest.raises(ValidationError) as caught:
        make_attempt(attempted_on=date(1, 1, 1)).validated()
    assert caught.value.field == "Date"
    assert "1900-01-01" in caught.value.message
    assert "2100-12-31" in caught.value.message
    assert "0001-01-01" in caught.value.message


_BLANK_CATEGORIES: Final = ("Zs", "Zl", "Zp", "Cc", "Cf")
# Every character that shows nothing: spaces, line/paragraph separators, controls and
# invisible format characters (no-break space, zero-width space, BOM, word joiner, ...).
_blank_chars = st.characters(categories=_BLANK_CATEGORIES, exclude_characters="\x00")


@given(st.text(_blank_chars, min_size=1, max_size=12))
def test_an_ask_of_only_blank_or_invisible_characters_is_empty(ask: str) -> None:
    record = AttemptRecord(ask=ask, attempted_on=date(2024, 3, 10))
    with pytest.raises(ValidationError) as caught:
        record.validated()
    assert caught.value.field == "What you asked"
    assert caught.value.message == "cannot be empty"


@given(st.text(_blank_chars, max_size=5), st.characters(exclude_categories=(
    *_BLANK_CATEGORIES, "Cs")), st.text(_blank_chars, max_size=5))
def test_an_ask_with_one_visible_character_is_not_empty(before: str, visible: str,
                                                        after: str) -> None:
    record = AttemptRecord(ask=before + visible + after, attempted_on=date(2024, 3, 10))
    assert record.validated() is record


def test_a_before_only_entry_is_valid_and_open() -> None:
    record = AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 1, 2),
                           anticipated_discomfort=6, predicted_no_chance=80)
    assert record.validated() is record
    assert record.is_open
    assert record.gap is None


def test_gap_is_anticipated_minus_actual(make_attempt) -> None:
    assert make_attempt(anticipated_discomfort=8, actual_discomfort=3).gap == 5
    assert make_attempt(anticipated_discomfort=2, actual_discomfort=6).gap == -4
    assert make_attempt(anticipated_discomfort=5, actual_discomfort=5).gap == 0


def test_gap_is_unknown_while_either_rating_is_missing(make_attempt) -> None:
    assert make_attempt(anticipated_discomfort=None).gap is None
    assert make_attempt(actual_discomfort=None).gap is None


def test_replace_leaves_the_original_record_alone(make_attempt) -> None:
    original = make_attempt()
    changed = original.replace(lesson="Something new")
    assert changed.lesson == "Something new"
    assert original.lesson == "Ask earlier in the day."
    assert changed.uuid == original.uuid


def test_new_attempts_get_distinct_uuids() -> None:
    uuids = {AttemptRecord(ask="a", attempted_on=date(2024, 1, 1)).uuid for _ in range(50)}
    assert len(uuids) == 50


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "Title"),
        ({"title": "t" * (TITLE_MAX + 1)}, "Title"),
        ({"level": 0}, "Level"),
        ({"level": 11}, "Level"),
        ({"level": None}, "Level"),
        ({"category": "hobbies"}, "Category"),
        ({"how_to": "a\x00"}, "How to"),
        ({"respect_note": 3}, "Respect note"),
    ],
)
def test_bad_challenges_are_rejected_naming_the_field(changes, field) -> None:
    values: dict[str, Any] = {"uuid": "u", "title": "Ask for the time",
                              "category": Category.EVERYDAY, "level": 1}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        ChallengeRecord(**values).validated()
    assert caught.value.field == field


# -- property: validated() only ever raises ValidationError --------------------------------

_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=5),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(list(Outcome)),
    st.sampled_from(list(Reason)),
)
# Text as it may arrive from a widget or a file, including lone UTF-16 surrogates.
# (st.text() would quietly drop the surrogates, so build the strings by hand.)
_any_text = st.lists(
    st.one_of(st.characters(), st.sampled_from(["\ud83d", "\udfff"])), max_size=20
).map("".join)
_ratings = st.one_of(st.integers(-3, 103), _any_text, _junk)
_texts = st.one_of(
    _any_text,
    st.just("before\x00after"),
    st.integers(TEXT_MAX - 1, TEXT_MAX + 1).map(lambda n: "x" * n),
    _junk,
)
_asks = st.one_of(
    _any_text,
    st.integers(TITLE_MAX - 1, TITLE_MAX + 1).map(lambda n: "a" * n),
    _junk,
)
_wild_fields = {
    "ask": _asks,
    "attempted_on": st.one_of(st.dates(), _junk),
    "anticipated_discomfort": _ratings,
    "predicted_no_chance": _ratings,
    "actual_discomfort": _ratings,
    "outcome": st.one_of(st.sampled_from(list(Outcome)), _junk, _any_text),
    "reasons": st.one_of(st.lists(st.sampled_from(list(Reason)), max_size=4).map(tuple),
                         st.tuples(_junk), _junk, _any_text),
    "other_reason": _texts,
    "who_asked": _texts,
    "hopefulness": st.one_of(st.integers(-4, 4), _junk, _any_text),
    "next_discomfort": _ratings,
    "next_no_chance": _ratings,
    **{name: _texts for name in TEXT_FIELDS},
}
_arbitrary_attempts = st.builds(AttemptRecord, **_wild_fields)


@st.composite
def _nearly_valid_attempts(draw: st.DrawFn) -> AttemptRecord:
    """A sound finished entry with one to three fields swapped for arbitrary values."""
    base = AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 3, 10),
                         anticipated_discomfort=8, predicted_no_chance=70, outcome=Outcome.NO,
                         actual_discomfort=3, reasons=(Reason.TIMING,))
    names = draw(st.sets(st.sampled_from(sorted(_wild_fields)), min_size=1, max_size=3))
    return base.replace(**{name: draw(_wild_fields[name]) for name in names})


def _is_rating(value: object, high: int) -> bool:
    return value is None or (type(value) is int and 0 <= value <= high)


@settings(max_examples=300)
@given(st.one_of(_nearly_valid_attempts(), _arbitrary_attempts))
def test_validated_raises_only_validation_errors_and_accepts_only_sound_records(
    record: AttemptRecord,
) -> None:
    try:
        accepted = record.validated()
    except ValidationError as exc:
        assert exc.field in ALL_FIELD_LABELS
        assert exc.message
        return
    assert accepted is record
    assert isinstance(record.ask, str) and len(record.ask) <= TITLE_MAX
    assert any(unicodedata.category(c) not in _BLANK_CATEGORIES for c in record.ask)
    record.ask.encode("utf-8")  # storable
    assert type(record.attempted_on) is date
    assert DATE_MIN <= record.attempted_on <= DATE_MAX
    assert _is_rating(record.anticipated_discomfort, 10)
    assert _is_rating(record.actual_discomfort, 10)
    assert _is_rating(record.predicted_no_chance, 100)
    assert record.outcome is None or isinstance(record.outcome, Outcome)
    if record.reasons or record.other_reason.strip():
        assert record.outcome is not None and record.outcome.can_have_reason
    assert all(isinstance(r, Reason) for r in record.reasons)
    assert len(set(record.reasons)) == len(record.reasons)
    assert _is_rating(record.next_discomfort, 10)
    assert _is_rating(record.next_no_chance, 100)
    assert record.hopefulness is None or (type(record.hopefulness) is int
                                          and -2 <= record.hopefulness <= 2)
    for name in ("who_asked", "other_reason"):
        assert isinstance(getattr(record, name), str) and len(getattr(record, name)) <= 300
    if record.actual_discomfort is not None:
        assert record.outcome is not None
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        assert isinstance(value, str) and len(value) <= TEXT_MAX and "\x00" not in value
        value.encode("utf-8")  # storable


_TEXT_LABELS = {"ask": "What you asked", **TEXT_FIELDS}


@given(st.sampled_from(sorted(_TEXT_LABELS)), _any_text)
def test_text_that_passes_the_checks_can_always_be_stored(name: str, text: str) -> None:
    record = AttemptRecord(ask="Ask for a discount", attempted_on=date(2024, 3, 10))
    try:
        record.replace(**{name: text}).validated()
    except ValidationError as exc:
        assert exc.field == _TEXT_LABELS[name]
        return
    text.encode("utf-8")  # SQLite and the UTF-8 exports take it


# -- the date rule ----------------------------------------------------------------------------

@given(today=st.dates(date(2000, 1, 1), date(2090, 1, 1)), offset=st.integers(-4000, 4000),
       outcome=st.none() | st.sampled_from(list(Outcome)))
def test_a_completed_entry_is_never_after_today_and_a_planned_one_at_most_the_limit_ahead(
    today: date, offset: int, outcome: Outcome | None,
) -> None:
    day = today + timedelta(days=offset)
    record = AttemptRecord(ask="Ask for a discount", attempted_on=day, outcome=outcome)
    limit = PLAN_AHEAD_DAYS if outcome is None else 0
    if offset <= limit:
        assert record.check_date(today) is record
        assert latest_allowed_date(is_open=outcome is None, today=today) >= day
    else:
        with pytest.raises(ValidationError) as caught:
            record.check_date(today)
        assert caught.value.attribute == "attempted_on"
        assert caught.value.label == "Date"
        latest = today + timedelta(days=limit)
        assert latest.isoformat() in caught.value.message  # names the latest date allowed
        assert day.isoformat() in caught.value.message  # and the one typed


def test_a_year_ahead_is_refused_for_a_completed_entry_and_for_a_plan() -> None:
    today = date(2026, 11, 24)
    ahead = AttemptRecord(ask="Ask", attempted_on=date(2027, 11, 24), outcome=Outcome.NO)
    with pytest.raises(ValidationError, match="cannot be dated after today"):
        ahead.check_date(today)
    with pytest.raises(ValidationError, match="at most 60 days ahead"):
        ahead.replace(outcome=None).check_date(today)
    assert ahead.replace(outcome=None, attempted_on=date(2026, 12, 24)).check_date(today)
    assert ahead.replace(attempted_on=today).check_date(today)


def test_one_reason_reads_as_the_reason_several_do_not() -> None:
    record = AttemptRecord(ask="Ask", attempted_on=date(2026, 1, 1), outcome=Outcome.NO,
                           reasons=(Reason.TIMING,))
    assert record.validated().reason is Reason.TIMING
    assert record.replace(reasons=(Reason.TIMING, Reason.POLICY)).validated().reason is None
    with pytest.raises(ValidationError, match="same reason twice"):
        record.replace(reasons=(Reason.TIMING, Reason.TIMING)).validated()
    with pytest.raises(ValidationError, match=r"^Reasons for the no: only applies"):
        record.replace(outcome=Outcome.YES, reasons=(), other_reason="They were busy").validated()
