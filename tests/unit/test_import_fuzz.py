"""Fuzzing the JSON import: whatever a file holds, the importer says why, or imports it whole.

The issue "Storage you can trust" is done when at least 2,000 hypothesis examples have gone
through import and validation with no crash. The two properties below run
``MUTATION_EXAMPLES + ROUND_TRIP_EXAMPLES`` = 3,000 examples, and each test counts the examples
it actually ran and fails if hypothesis ran fewer.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import (
    DATE_MAX,
    DATE_MIN,
    TITLE_MAX,
    AttemptRecord,
    ChallengeRecord,
    is_blank,
)
from rejection_journal.storage import Journal
from rejection_journal.storage.export import (
    attempt_to_dict,
    challenge_to_dict,
    export_document,
)
from rejection_journal.storage.import_decode import ImportValidationError
from rejection_journal.storage.import_schema import ImportPlan, parse_document
from rejection_journal.storage.merge import apply_import
from rejection_journal.storage.models import database
from rejection_journal.storage.revisions import challenge_revision
from tests.unit.legacy import as_format

#: mutated exports through parse_document (and, when they parse, apply_import)
MUTATION_EXAMPLES = 2_000
#: generated valid documents through parse_document + apply_import + export, twice
ROUND_TRIP_EXAMPLES = 1_000
assert MUTATION_EXAMPLES + ROUND_TRIP_EXAMPLES >= 2_000  # the "Done when"

_FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                       HealthCheck.data_too_large])

BUILTINS = builtin_challenges()
CUSTOM = ChallengeRecord(uuid="3f1e2d3c-4b5a-4697-8877-66554433aa11", title="Ask the baker",
                         category=Category.EVERYDAY, level=3, how_to="Ask.", is_custom=True)
ARCHIVED = ChallengeRecord(uuid="7a6b5c4d-3e2f-4101-9a8b-7c6d5e4f3a2b", title="Old «one»",
                           category=Category.ROMANCE, level=9, is_custom=True, archived=True)
STAMP = datetime(2024, 5, 6, 7, 8, 9, 123_456)


def _base_document() -> dict[str, Any]:
    """A small valid export: two built-ins, two custom challenges, one of each attempt shape."""
    attempts = [
        AttemptRecord(ask=BUILTINS[0].title, challenge_uuid=BUILTINS[0].uuid,
                      uuid="11111111-1111-4111-8111-111111111111",
                      attempted_on=date(2024, 1, 5), anticipated_discomfort=8,
                      predicted_no_chance=70, feelings_before="Tight", worst_case="Laughter",
                      outcome=Outcome.NO, actual_discomfort=3, reasons=(Reason.TIMING,),
                      asked_why=True, reflection="Busy.\nReally.", lesson="Earlier",
                      created_at=STAMP, updated_at=STAMP),
        AttemptRecord(ask="Free-form «ask» 😬", uuid="22222222-2222-4222-8222-222222222222",
                      attempted_on=date(2024, 2, 29), outcome=Outcome.YES,
                      created_at=datetime(2024, 2, 29), updated_at=datetime(2024, 3, 1)),
        AttemptRecord(ask="Still open", challenge_uuid=CUSTOM.uuid,
                      uuid="33333333-3333-4333-8333-333333333333", attempted_on=date(2024, 3, 1),
                      anticipated_discomfort=10, created_at=STAMP, updated_at=STAMP),
        AttemptRecord(ask="Archived one", challenge_uuid=ARCHIVED.uuid,
                      uuid="44444444-4444-4444-8444-444444444444", attempted_on=date(1999, 12, 31),
                      outcome=Outcome.NO_RESPONSE, reasons=(Reason.UNKNOWN,), actual_discomfort=0,
                      created_at=STAMP, updated_at=STAMP),
    ]
    return {
        "format": "rejection-journal",
        "format_version": 1,
        "schema_version": 1,
        "app_version": "0.1.0",
        "exported_at": "2026-11-23T18:02:11.123456Z",
        "challenges": [challenge_to_dict(c) for c in (*BUILTINS[:2], CUSTOM, ARCHIVED)],
        "attempts": [as_format(attempt_to_dict(a), 1) for a in attempts],
    }


BASE = _base_document()
BASE_BYTES = json.dumps(BASE, indent=1).encode("utf-8")


def test_the_base_document_is_valid() -> None:
    plan = parse_document(BASE_BYTES)
    assert len(plan.challenges) == 4 and len(plan.attempts) == 4


# -- (a) mutated exports -------------------------------------------------------------------

_KEYS = sorted({*BASE, *BASE["challenges"][0], *BASE["attempts"][0]})
_interesting = st.sampled_from([
    None, True, False, 0, -1, 1, 10, 11, 100, 101, 10**30, 1.5, float("nan"), float("inf"),
    "", " ", "\x00", "\ud800", "x" * (TITLE_MAX + 1), "2024-02-30", "2024-01-01",
    "2024-01-01T00:00:00Z", "2024-01-01T00:00:00", "rejection-journal", "no", "yes",
    "partial", "timing", "sports", "everyday", BASE["attempts"][0]["uuid"], CUSTOM.uuid,
    "00000000-0000-4000-8000-000000000000", [], {}, [[[]]], {"a": {"b": None}},
])
_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | _interesting,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3),
    max_leaves=6,
).map(copy.deepcopy)  # later mutations must not reach the shared constants above


def _containers(node: Any) -> list[Any]:
    """Every dict and list inside ``node`` (itself included)."""
    found = [node]
    children = node.values() if isinstance(node, dict) else node
    for child in children:
        if isinstance(child, dict | list):
            found.extend(_containers(child))
    return found


def _mutate_tree(data: st.DataObject, doc: dict[str, Any]) -> None:
    target = data.draw(st.sampled_from(_containers(doc)), label="container")
    action = data.draw(st.sampled_from(["drop", "set", "add", "swap", "append", "duplicate"]),
                       label="action")
    if isinstance(target, dict):
        keys = list(target)
        if action == "drop" and keys:
            del target[data.draw(st.sampled_from(keys))]
        elif action == "swap" and len(keys) > 1:
            a, b = data.draw(st.lists(st.sampled_from(keys), min_size=2, max_size=2,
                                      unique=True))
            target[a], target[b] = target[b], target[a]
        elif action == "add":
            target[data.draw(st.sampled_from(_KEYS) | st.text(max_size=6))] = data.draw(_junk)
        elif keys:
            target[data.draw(st.sampled_from(keys))] = data.draw(_junk)
    elif target:
        index = data.draw(st.integers(0, len(target) - 1))
        if action == "drop":
            del target[index]
        elif action in ("append", "add"):
            target.append(data.draw(_junk))
        elif action == "duplicate":
            target.append(copy.deepcopy(target[index]))
        else:
            target[index] = data.draw(_junk)
    else:
        target.append(data.draw(_junk))


def _mutate_bytes(data: st.DataObject, raw: bytes) -> bytes:
    action = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete"]), label="bytes")
    at = data.draw(st.integers(0, len(raw)), label="offset")
    if action == "truncate":
        return raw[:at]
    if action == "flip" and at < len(raw):
        return raw[:at] + bytes([raw[at] ^ data.draw(st.integers(1, 255))]) + raw[at + 1:]
    if action == "insert":
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw[:at] + raw[at + data.draw(st.integers(1, 64)):]


def _serialise(data: st.DataObject, doc: dict[str, Any]) -> bytes:
    ascii_only = data.draw(st.booleans(), label="ensure_ascii")
    text = json.dumps(doc, ensure_ascii=ascii_only, indent=data.draw(st.sampled_from([None, 1])))
    # A lone surrogate written raw is not UTF-8: the importer must say so, not crash.
    return text.encode("utf-8", "surrogatepass")


def _one_line(error: ImportValidationError) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message
    message.encode("utf-8")  # printable on any UTF-8 terminal: no lone surrogates


def test_mutated_exports_are_imported_whole_or_refused_with_a_reason(journal: Journal) -> None:
    ran = 0
    outcomes = {"refused": 0, "refused on apply": 0, "imported": 0}

    @settings(_FUZZ, max_examples=MUTATION_EXAMPLES)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        nonlocal ran
        ran += 1
        doc = json.loads(BASE_BYTES)
        for _ in range(data.draw(st.integers(0, 3), label="tree mutations")):
            _mutate_tree(data, doc)
        raw = _serialise(data, doc)
        for _ in range(data.draw(st.integers(0, 2), label="byte mutations")):
            raw = _mutate_bytes(data, raw)
        try:
            plan = parse_document(raw)
        except ImportValidationError as error:
            _one_line(error)
            outcomes["refused"] += 1
            return
        assert isinstance(plan, ImportPlan)
        with database.atomic() as transaction:  # apply, look, and leave the journal as it was
            try:
                result = apply_import(journal, plan)
            except ImportValidationError as error:  # a challenge that is nowhere
                _one_line(error)
                outcomes["refused on apply"] += 1
            else:
                outcomes["imported"] += 1
                assert result.added_attempts + result.updated_attempts + \
                    result.unchanged_attempts == len(plan.attempts)
            transaction.rollback()

    check()
    print(f"{ran} mutated exports: {outcomes}")
    assert ran >= MUTATION_EXAMPLES
    # Both sides are exercised: many mutations are refused, and some still import.
    assert outcomes["refused"] >= ran // 4
    assert outcomes["imported"] >= 10
    assert journal.attempt_count() == 0


# -- (b) valid documents round-trip --------------------------------------------------------

_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_text = st.text(_chars, max_size=30)
_title = st.text(_chars, min_size=1, max_size=40).filter(lambda s: not is_blank(s))
# Timestamps from the past only: one more than a day ahead of the clock is refused.
_stamp = st.datetimes(max_value=datetime(2025, 12, 31)).map(lambda d: d.isoformat() + "Z")


@st.composite
def _custom_challenges(draw: st.DrawFn) -> dict[str, Any]:
    return challenge_to_dict(ChallengeRecord(
        uuid=str(draw(st.uuids())), title=draw(_title),
        category=draw(st.sampled_from(list(Category))), level=draw(st.integers(1, 10)),
        how_to=draw(_text), respect_note=draw(_text), is_custom=True,
        archived=draw(st.booleans()),
    ))


@st.composite
def _attempts(draw: st.DrawFn, challenge_uuids: list[str]) -> dict[str, Any]:
    outcome = draw(st.none() | st.sampled_from(list(Outcome)))
    can_have_reason = outcome is not None and outcome.can_have_reason
    rating = st.none() | st.integers(0, 10)
    return {
        "uuid": str(draw(st.uuids())),
        "challenge_uuid": draw(st.none() | st.sampled_from(challenge_uuids)),
        "ask": draw(_title),
        "attempted_on": draw(st.dates(DATE_MIN, DATE_MAX)).isoformat(),
        "anticipated_discomfort": draw(rating),
        "predicted_no_chance": draw(st.none() | st.integers(0, 100)),
        "feelings_before": draw(_text),
        "worst_case": draw(_text),
        "outcome": outcome.value if outcome else None,
        "actual_discomfort": draw(rating) if outcome else None,
        "feelings_after": draw(_text),
        "reason": (draw(st.none() | st.sampled_from([r.value for r in Reason]))
                   if can_have_reason else None),
        "asked_why": draw(st.booleans()),
        "reflection": draw(_text),
        "lesson": draw(_text),
        "created_at": draw(_stamp),
        "updated_at": draw(_stamp),
    }


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    customs = draw(st.lists(_custom_challenges(), max_size=3, unique_by=lambda c: c["uuid"]))
    builtins = draw(st.lists(st.sampled_from(BUILTINS), max_size=2, unique_by=lambda c: c.uuid))
    referable = [c["uuid"] for c in customs] + [c.uuid for c in BUILTINS[:5]]
    attempts = draw(st.lists(_attempts(referable), max_size=4, unique_by=lambda a: a["uuid"]))
    challenges = customs + [challenge_to_dict(c) for c in builtins]
    return {
        "format": "rejection-journal",
        "format_version": 1,
        "schema_version": 1,
        "app_version": "0.1.0",
        "exported_at": draw(_stamp),
        "challenges": draw(st.permutations(challenges)),
        "attempts": attempts,
    }


def test_valid_documents_import_and_export_unchanged(journal: Journal) -> None:
    ran = 0
    builtin_dicts = [challenge_to_dict(c) for c in BUILTINS]

    @settings(_FUZZ, max_examples=ROUND_TRIP_EXAMPLES)
    @given(valid_documents(), st.booleans())
    def check(document: dict[str, Any], ascii_only: bool) -> None:
        nonlocal ran
        ran += 1
        plan = parse_document(json.dumps(document, ensure_ascii=ascii_only).encode("utf-8"))
        customs = [c for c in document["challenges"] if c["is_custom"]]
        with database.atomic() as transaction:
            first = apply_import(journal, plan)
            exported = export_document(journal)
            # format 5: each challenge carries the revision of what it holds, no history yet
            challenge_revisions = {c.uuid: challenge_revision(c)
                                   for c in journal.challenges(include_archived=True)}
            second = apply_import(journal, plan)
            again = apply_import(journal, parse_document(json.dumps(exported)))
            transaction.rollback()
        assert first.added_attempts == len(document["attempts"])
        assert first.added_challenges == len(customs)
        assert not second.changed
        assert not again.changed, "its own (format 2) export changes nothing either"
        # format 2 adds each attempt's revision: what it holds, hashed; no history yet
        revisions = dict(zip((a.uuid for a in plan.attempts), plan.revisions, strict=True))
        for item in exported["attempts"]:
            assert item.pop("revision") == revisions[item["uuid"]]
            assert item.pop("earlier_revisions") == []
        # (a format 1 file: its one reason comes back as the one item of "reasons")
        by_uuid = {a["uuid"]: as_format(a, 1) for a in exported["attempts"]}
        assert by_uuid == {a["uuid"]: a for a in document["attempts"]}
        for item in exported["challenges"]:
            assert item.pop("revision") == challenge_revisions[item["uuid"]]
            assert item.pop("earlier_revisions") == []
        challenges = {c["uuid"]: c for c in exported["challenges"]}
        assert challenges == {c["uuid"]: c for c in [*builtin_dicts, *customs]}

    check()
    assert ran >= ROUND_TRIP_EXAMPLES
    assert journal.attempt_count() == 0


def test_the_round_trip_strategy_covers_what_it_claims() -> None:
    """The generators are not vacuous: they do reach custom challenges and every outcome."""
    seen_outcomes: set[str | None] = set()
    seen_custom = False

    @settings(max_examples=150, deadline=None, database=None)
    @given(valid_documents())
    def look(document: dict[str, Any]) -> None:
        nonlocal seen_custom
        seen_outcomes.update(a["outcome"] for a in document["attempts"])
        seen_custom |= any(c["is_custom"] for c in document["challenges"])

    look()
    assert seen_custom
    assert seen_outcomes >= {None, *(o.value for o in Outcome)}
