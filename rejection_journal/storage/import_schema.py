"""Checking an export: JSON values to an :class:`ImportPlan`, or the first problem, named.

The second of the import's three parts (:mod:`~rejection_journal.storage.import_decode`,
schema, :mod:`~rejection_journal.storage.merge`): the top-level keys, each format version's
keys, each value's JSON type (dates, timestamps, UUIDs and revisions as text), and the domain's
value rules (``validated()`` in :mod:`rejection_journal.domain.records`).  An attempt's keys and
the names in messages come from :mod:`rejection_journal.domain.fields`.  Touches no database.
The format is documented in ``docs/json-format.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from rejection_journal.domain.demo import DemoKind, DemoMark
from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.fields import (
    ATTEMPT,
    ATTEMPT_FIELDS,
    CHALLENGE,
    CHALLENGE_FIELDS,
    Field,
    UndescribedFieldError,
)
from rejection_journal.domain.ladders import validated_ladder
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.picker import Ladder, Rung
from rejection_journal.domain.plan import TakenCheck
from rejection_journal.domain.records import (
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
    utcnow,
)
from rejection_journal.domain.runs import RunRecord
from rejection_journal.storage.export import EXPORT_FORMAT_VERSION, FORMAT_NAME
from rejection_journal.storage.import_decode import (
    MAX_IMPORT_BYTES,
    DuplicateKeys,
    FieldProblem,
    HugeNumber,
    ImportValidationError,
    decode_text,
    describe_value,
    load_json,
    read_bytes,
    short,
    too_large,
)
from rejection_journal.storage.import_experiment import (
    EXPERIMENT_TYPES,
    SELF_CHECK_KEYS,
    self_check_from_dict,
)
from rejection_journal.storage.import_values import calendar_date as _date
from rejection_journal.storage.import_values import date_or_null as _date_or_null
from rejection_journal.storage.import_values import enum_value as _enum
from rejection_journal.storage.import_values import text as _text
from rejection_journal.storage.import_values import true_or_false as _bool
from rejection_journal.storage.import_values import whole as _int
from rejection_journal.storage.import_values import whole_or_null as _int_or_null
from rejection_journal.storage.revisions import (
    EARLIER_REVISIONS_KEPT,
    REVISION_LENGTH,
    challenge_revision,
    ladder_revision,
    revision,
    run_revision,
)

#: a record's revision (computed from what it holds) and its earlier revisions, newest first
Revisions = tuple[str, tuple[str, ...]]

#: The export layouts this version reads (see ``format_version`` in docs/json-format.md).
READABLE_FORMAT_VERSION = EXPORT_FORMAT_VERSION
#: a file may list at most this many earlier revisions per attempt (the app writes 50)
MAX_EARLIER_IN_FILE = 1_000
_REQUIRED_TOP_KEYS = ("format", "format_version", "challenges", "attempts")
#: the top-level lists format 4 added
_REQUIRED_FROM_4 = ("ladders", "runs")
#: the top-level list format 5 added, written only by a journal holding demo items: their marks
_OPTIONAL_FROM_5 = ("demo",)
#: the top-level list format 6 added: the self-check's results
_REQUIRED_FROM_6 = ("self_checks",)

_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z")
_REVISION_RE = re.compile(f"[0-9a-f]{{{REVISION_LENGTH}}}")
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# -- the plan --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ImportPlan:
    """A completely checked file, ready for :func:`apply_import`."""

    challenges: tuple[ChallengeRecord, ...]
    attempts: tuple[AttemptRecord, ...]
    format_version: int = READABLE_FORMAT_VERSION
    exported_at: datetime | None = None
    app_version: str | None = None
    #: indexes of attempts whose challenge is neither in the file nor built in: it must
    #: already be in the journal (checked by :func:`apply_import` before writing).
    needs_journal_challenge: tuple[int, ...] = ()
    #: each attempt's revision, computed from what it holds (parallel to ``attempts``)
    revisions: tuple[str, ...] = ()
    #: each attempt's earlier revisions, newest first; empty for a format 1 file, which
    #: does not say (parallel to ``attempts``, or empty)
    earlier_revisions: tuple[tuple[str, ...], ...] = ()
    #: (format 4) fear ladders, rungs easiest first; a rung's challenge may be missing from
    #: both the file and the journal: the merge leaves such a rung out and counts it
    ladders: tuple[Ladder, ...] = ()
    #: (format 4) challenge runs
    runs: tuple[RunRecord, ...] = ()
    #: (format 5) which of the file's entries, ladders and runs are demo data, and what the
    #: demo gave each; each names a record of its kind in the file
    demo: tuple[DemoMark, ...] = ()
    #: (format 6) the self-check's results
    self_checks: tuple[TakenCheck, ...] = ()
    #: (format 5) the revisions of each challenge, ladder and run (parallel to their lists,
    #: or empty: computed from what each holds, with no earlier revisions)
    challenge_revisions: tuple[Revisions, ...] = ()
    ladder_revisions: tuple[Revisions, ...] = ()
    run_revisions: tuple[Revisions, ...] = ()

    def attempt_revisions(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """(revisions, earlier revisions), computed if the plan was built without them."""
        revisions = self.revisions or tuple(revision(a) for a in self.attempts)
        earlier = self.earlier_revisions or ((),) * len(self.attempts)
        return revisions, earlier

    def record_revisions(self) -> tuple[tuple[Revisions, ...], tuple[Revisions, ...],
                                        tuple[Revisions, ...]]:
        """(challenges', ladders', runs') revisions, computed where the file had none."""
        return (self.challenge_revisions
                or tuple((challenge_revision(c), ()) for c in self.challenges),
                self.ladder_revisions or tuple((ladder_revision(x), ()) for x in self.ladders),
                self.run_revisions or tuple((run_revision(r), ()) for r in self.runs))

    @property
    def total(self) -> int:
        """Records in the file; the ``total`` the progress callback is given."""
        return len(self.challenges) + len(self.attempts) + len(self.ladders) + len(self.runs)


# -- one value -----------------------------------------------------------------------------

def _uuid(value: object) -> str:
    if not isinstance(value, str):
        raise FieldProblem(f"must be a UUID in quotes, not {describe_value(value)}")
    # Only the canonical spelling (what str(uuid.UUID(...)) gives): "ABC…" and "abc…" must
    # not become two records when journals are merged.
    if not _UUID_RE.fullmatch(value):
        raise FieldProblem(
            f"must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (lowercase, with "
            f"hyphens), not {short(value)}"
        )
    return value


def _uuid_or_null(value: object) -> str | None:
    return None if value is None else _uuid(value)


def _timestamp(value: object) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
        shown = short(value) if isinstance(value, str) else describe_value(value)
        raise FieldProblem(
            f"must be a UTC timestamp like 2026-11-23T18:02:11Z (ISO 8601 ending in Z), "
            f"not {shown}"
        )
    try:
        return datetime.fromisoformat(value[:-1])
    except ValueError as exc:
        raise FieldProblem(f"{value} is not a real date and time ({exc})") from None


#: How far ahead of this computer's clock a record's timestamp may be (time zones, drift).
FUTURE_TOLERANCE = timedelta(days=1)


def _past_timestamp(value: object) -> datetime:
    """A record's created_at/updated_at: a future one would win every later merge."""
    stamp = _timestamp(value)
    if stamp > utcnow() + FUTURE_TOLERANCE:
        raise FieldProblem(
            f"is in the future ({value}, more than a day ahead of this computer's clock); "
            "is the other computer's clock right?"
        )
    return stamp


def _revision(value: object) -> str:
    if not isinstance(value, str) or not _REVISION_RE.fullmatch(value):
        shown = short(value) if isinstance(value, str) else describe_value(value)
        raise FieldProblem(
            f"must be a revision of {REVISION_LENGTH} lowercase hexadecimal digits, not {shown}"
        )
    return value


def _revision_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of revisions, not {describe_value(value)}")
    if len(value) > MAX_EARLIER_IN_FILE:
        raise FieldProblem(f"lists {len(value):,} revisions; at most "
                            f"{MAX_EARLIER_IN_FILE:,} are read")
    revisions = []
    for position, item in enumerate(value):
        try:
            revisions.append(_revision(item))
        except FieldProblem as problem:
            raise FieldProblem(f"item {position}: {problem}") from None
    return tuple(revisions)


def _category(value: object) -> Category:
    result = _enum(Category, "category", value, nullable=False)
    assert result is not None
    return result


def _outcome(value: object) -> Outcome | None:
    return _enum(Outcome, "outcome", value, nullable=True)


def _one_reason(value: object) -> tuple[Reason, ...]:
    """Format 1 and 2: ``reason``, one reason or null, becomes the entry's reasons."""
    reason = _enum(Reason, "reason", value, nullable=True)
    return (reason,) if reason is not None else ()


def _reasons(value: object) -> tuple[Reason, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of reasons, not {describe_value(value)}")
    reasons = []
    for position, item in enumerate(value):
        try:
            reason = _enum(Reason, "reason", item, nullable=False)
        except FieldProblem as problem:
            raise FieldProblem(f"item {position}: {problem}") from None
        assert reason is not None
        reasons.append(reason)
    return tuple(reasons)


#: Each attribute's JSON type, in the order a record's keys are checked (an attempt's
#: identity first); its key in the file comes from domain/fields.py.
_CHALLENGE_TYPES: dict[str, Callable[[object], Any]] = {
    "uuid": _uuid,
    "title": _text,
    "category": _category,
    "level": _int,
    "how_to": _text,
    "respect_note": _text,
    "is_custom": _bool,
    "archived": _bool,
}
_ATTEMPT_TYPES: dict[str, Callable[[object], Any]] = {
    "uuid": _uuid,
    "challenge_uuid": _uuid_or_null,
    "ask": _text,
    "attempted_on": _date,
    "anticipated_discomfort": _int_or_null,
    "predicted_no_chance": _int_or_null,
    "feelings_before": _text,
    "worst_case": _text,
    "who_asked": _text,
    "outcome": _outcome,
    "actual_discomfort": _int_or_null,
    "feelings_after": _text,
    "reasons": _reasons,
    "other_reason": _text,
    "asked_why": _bool,
    "reflection": _text,
    "lesson": _text,
    "hopefulness": _int_or_null,
    "next_discomfort": _int_or_null,
    "next_no_chance": _int_or_null,
    **EXPERIMENT_TYPES,
    "created_at": _past_timestamp,
    "updated_at": _past_timestamp,
}

#: a record's converters: JSON key -> (attribute, converter)
_Converters = Mapping[str, tuple[str, Callable[[object], Any]]]


def _by_key(types: dict[str, Callable[[object], Any]], fields: Sequence[Field]
            ) -> dict[str, tuple[str, Callable[[object], Any]]]:
    """``types`` by the key each attribute has in a file; every attribute must have a type."""
    described = {f.attribute: f for f in fields}
    if set(types) != set(described):
        raise UndescribedFieldError(
            "import_schema: give every attribute in domain/fields.py a JSON type, and no other "
            f"(differ: {', '.join(sorted(set(types) ^ set(described)))})"
        )
    return {described[name].key: (name, convert) for name, convert in types.items()}


_CHALLENGE_CONVERT = _by_key(_CHALLENGE_TYPES, CHALLENGE_FIELDS)
_REVISION_CONVERT = {  # format 2 adds the revisions (see _attempt)
    "revision": ("revision", _text),
    "earlier_revisions": ("earlier_revisions", _revision_list),
}
#: the attributes format 3 added (schema 3); format 1 and 2 files leave them at their defaults
_ADDED_IN_3 = ("who_asked", "reasons", "other_reason", "hopefulness", "next_discomfort",
               "next_no_chance")
_ATTEMPT_CONVERT_V6 = {**_by_key(_ATTEMPT_TYPES, ATTEMPT_FIELDS), **_REVISION_CONVERT}
#: formats 3 to 5: without the attributes format 6 added (schema 3.4: their defaults)
_ATTEMPT_CONVERT_V3 = {key: convert for key, convert in _ATTEMPT_CONVERT_V6.items()
                       if convert[0] not in EXPERIMENT_TYPES}
#: format 1: schema 1's keys, with one ``reason`` (or null) where format 3 has ``reasons``
_ATTEMPT_CONVERT_V1: dict[str, tuple[str, Callable[[object], Any]]] = {}
for _key, (_attribute, _convert) in _by_key(_ATTEMPT_TYPES, ATTEMPT_FIELDS).items():
    if _attribute == "reasons":
        _ATTEMPT_CONVERT_V1["reason"] = ("reasons", _one_reason)
    elif _attribute not in _ADDED_IN_3 and _attribute not in EXPERIMENT_TYPES:
        _ATTEMPT_CONVERT_V1[_key] = (_attribute, _convert)
_ATTEMPT_CONVERT_V2 = {**_ATTEMPT_CONVERT_V1, **_REVISION_CONVERT}
_ATTEMPT_CONVERT = _ATTEMPT_CONVERT_V6

#: a challenge's keys in a file
_CHALLENGE_CONVERT_V5 = {**_CHALLENGE_CONVERT, **_REVISION_CONVERT}  # format 5 adds revisions
CHALLENGE_KEYS = tuple(_CHALLENGE_CONVERT_V5)
#: an attempt's keys in a format_version 1 file
ATTEMPT_KEYS_V1 = tuple(_ATTEMPT_CONVERT_V1)
#: an attempt's keys in the current format (6)
ATTEMPT_KEYS = tuple(_ATTEMPT_CONVERT)


# -- one record ----------------------------------------------------------------------------

def _convert_record(
    item: object, record: str, converters: _Converters
) -> tuple[dict[str, Any], str | None]:
    """Check keys and JSON types of one record; returns domain values (by attribute) and its
    UUID."""
    if not isinstance(item, dict):
        raise ImportValidationError(f"must be a JSON object, not {describe_value(item)}",
                                    record=record)
    raw_uuid = item.get("uuid")
    try:
        uuid = _uuid(raw_uuid)
    except FieldProblem:
        uuid = None
    if isinstance(item, DuplicateKeys):
        raise ImportValidationError("appears more than once in this record", record=record,
                                    uuid=uuid, field=item.duplicate)
    for key in converters:
        if key not in item:
            raise ImportValidationError("is missing", record=record, uuid=uuid, field=key)
    if len(item) != len(converters):
        unknown = next(key for key in item if key not in converters)
        raise ImportValidationError(
            "is not a key this version knows; refusing it rather than dropping it "
            "(is the file from a newer version?)",
            record=record, uuid=uuid, field=unknown,
        )
    values: dict[str, Any] = {}
    for key, (attribute, convert) in converters.items():
        try:
            values[attribute] = convert(item[key])
        except FieldProblem as problem:
            raise ImportValidationError(str(problem), record=record, uuid=uuid,
                                        field=key) from None
    return values, uuid


_Record = TypeVar("_Record", ChallengeRecord, AttemptRecord)
_Checked = TypeVar("_Checked", Ladder, RunRecord)


def _domain_checked(
    build: Callable[[], _Record], record: str, uuid: str | None, fields: Mapping[str, Field],
) -> _Record:
    try:
        return build().validated()
    except ValidationError as exc:
        # The domain names the attribute; a file names it by its key.
        described = fields.get(exc.attribute)
        key = described.key if described is not None else exc.attribute
        raise ImportValidationError(exc.message, record=record, uuid=uuid, field=key) from None


def _challenge(item: object, index: int, format_version: int
               ) -> tuple[ChallengeRecord, Revisions]:
    record = f"challenges[{index}]"
    converters = (_CHALLENGE_CONVERT_V5 if format_version >= 5 else _CHALLENGE_CONVERT)
    values, uuid = _convert_record(item, record, converters)
    stated: str | None = values.pop("revision", None)
    earlier: tuple[str, ...] = values.pop("earlier_revisions", ())
    challenge = _domain_checked(lambda: ChallengeRecord(**values), record, uuid, CHALLENGE)
    return challenge, _with_stated(challenge_revision(challenge), stated, earlier, record, uuid)


def _attempt(
    item: object, index: int, format_version: int
) -> tuple[AttemptRecord, str, tuple[str, ...]]:
    """One attempt, its revision (computed) and its earlier revisions (as the file says)."""
    record = f"attempts[{index}]"
    converters = (_ATTEMPT_CONVERT_V6 if format_version >= 6
                  else _ATTEMPT_CONVERT_V3 if format_version >= 3
                  else _ATTEMPT_CONVERT_V2 if format_version == 2 else _ATTEMPT_CONVERT_V1)
    values, uuid = _convert_record(item, record, converters)
    stated: str | None = values.pop("revision", None)
    earlier: tuple[str, ...] = values.pop("earlier_revisions", ())
    attempt: AttemptRecord = _domain_checked(lambda: AttemptRecord(**values), record, uuid,
                                             ATTEMPT)
    current, earlier = _with_stated(revision(attempt), stated, earlier, record, uuid)
    return attempt, current, earlier


def _with_stated(current: str, stated: str | None, earlier: tuple[str, ...], record: str,
                 uuid: str | None) -> Revisions:
    """A record's revisions: ``current`` (computed from what it holds) and its earlier ones.
    A file whose ``revision`` is not the computed one was edited after it was exported (by
    hand, or by another program): the edit started from the revision the file names, which
    makes that one an earlier revision."""
    if stated is not None and stated != current:
        try:
            _revision(stated)  # (one that matches needs no closer look: it is well formed)
        except FieldProblem as problem:
            raise ImportValidationError(str(problem), record=record, uuid=uuid,
                                        field="revision") from None
        earlier = (stated, *earlier)
    return current, earlier[:EARLIER_REVISIONS_KEPT]


def _uuid_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of challenge UUIDs, not {describe_value(value)}")
    uuids = []
    for position, item in enumerate(value):
        try:
            uuids.append(_uuid(item))
        except FieldProblem as problem:
            raise FieldProblem(f"item {position}: {problem}") from None
    return tuple(uuids)


def _categories(value: object) -> tuple[Category, ...]:
    if not isinstance(value, list):
        raise FieldProblem(f"must be a list of categories, not {describe_value(value)}")
    found = []
    for position, item in enumerate(value):
        try:
            found.append(_category(item))
        except FieldProblem as problem:
            raise FieldProblem(f"item {position}: {problem}") from None
    return tuple(found)


#: (format 4) a ladder's and a run's keys and JSON types, by key
_LADDER_CONVERT: dict[str, tuple[str, Callable[[object], Any]]] = {
    "uuid": ("uuid", _uuid),
    "goal": ("goal", _text),
    "rungs": ("rungs", _uuid_list),
    "created_at": ("created_at", _past_timestamp),
    "updated_at": ("updated_at", _past_timestamp),
}
_RUN_CONVERT: dict[str, tuple[str, Callable[[object], Any]]] = {
    "uuid": ("uuid", _uuid),
    "started_on": ("started_on", _date),
    "length_days": ("length_days", _int),
    "ladder_uuid": ("ladder_uuid", _uuid_or_null),
    "categories": ("categories", _categories),
    "ended_on": ("ended_on", _date_or_null),
    "created_at": ("created_at", _past_timestamp),
    "updated_at": ("updated_at", _past_timestamp),
}
#: (format 4 files: the same keys without the revisions)
#: format 5: ladders, runs and challenges carry their revisions too
_LADDER_CONVERT_V5 = {**_LADDER_CONVERT, **_REVISION_CONVERT}
_RUN_CONVERT_V5 = {**_RUN_CONVERT, **_REVISION_CONVERT}


def _checked(build: Callable[[], _Checked], record: str, uuid: str | None) -> _Checked:
    try:
        return build()
    except ValidationError as exc:
        raise ImportValidationError(exc.message, record=record, uuid=uuid,
                                    field=exc.attribute) from None


def _ladder(item: object, index: int, format_version: int) -> tuple[Ladder, Revisions]:
    record = f"ladders[{index}]"
    values, uuid = _convert_record(
        item, record, _LADDER_CONVERT_V5 if format_version >= 5 else _LADDER_CONVERT)
    stated: str | None = values.pop("revision", None)
    earlier: tuple[str, ...] = values.pop("earlier_revisions", ())
    values["rungs"] = tuple(Rung(challenge) for challenge in values["rungs"])
    ladder = _checked(lambda: validated_ladder(Ladder(**values)), record, uuid)
    return ladder, _with_stated(ladder_revision(ladder), stated, earlier, record, uuid)


def _run(item: object, index: int, format_version: int) -> tuple[RunRecord, Revisions]:
    record = f"runs[{index}]"
    values, uuid = _convert_record(
        item, record, _RUN_CONVERT_V5 if format_version >= 5 else _RUN_CONVERT)
    stated: str | None = values.pop("revision", None)
    earlier: tuple[str, ...] = values.pop("earlier_revisions", ())
    run = _checked(lambda: RunRecord(**values).validated(), record, uuid)
    return run, _with_stated(run_revision(run), stated, earlier, record, uuid)


def _demo_kind(value: object) -> DemoKind:
    result = _enum(DemoKind, "kind", value, nullable=False)
    assert result is not None
    return result


def _fingerprint(value: object) -> str:
    """What the demo gave an item, hashed; empty when it is not known (counts as changed)."""
    if value == "":
        return ""
    return _revision(value)


#: (format 5) a demo mark's keys and JSON types
_DEMO_CONVERT: dict[str, tuple[str, Callable[[object], Any]]] = {
    "kind": ("kind", _demo_kind),
    "uuid": ("uuid", _uuid),
    "fingerprint": ("fingerprint", _fingerprint),
}


def _demo_marks(items: Sequence[object], in_file: Mapping[DemoKind, set[str]]
                ) -> tuple[DemoMark, ...]:
    """The file's demo marks; each must name a record of its kind in the file, once (a mark
    never lands on something the file does not bring)."""
    marks: list[DemoMark] = []
    seen: dict[tuple[DemoKind, str], int] = {}
    for index, item in enumerate(items):
        record = f"demo[{index}]"
        values, uuid = _convert_record(item, record, _DEMO_CONVERT)
        mark = DemoMark(**values)
        if mark.uuid not in in_file[mark.kind]:
            raise ImportValidationError(f"names no {mark.kind.value} in this file",
                                        record=record, uuid=uuid, field="uuid")
        first = seen.setdefault((mark.kind, mark.uuid), index)
        if first != index:
            raise ImportValidationError(f"appears twice in the file (also demo[{first}])",
                                        record=record, uuid=uuid, field="uuid")
        marks.append(mark)
    return tuple(marks)


def _self_checks(items: Sequence[object]) -> tuple[TakenCheck, ...]:
    """(format 6) the self-check's results, each with its keys and answers checked."""
    converters = {key: (key, lambda value: value) for key in SELF_CHECK_KEYS}
    converters["uuid"] = ("uuid", _uuid)
    found = []
    for index, item in enumerate(items):
        record = f"self_checks[{index}]"
        values, uuid = _convert_record(item, record, converters)
        try:
            found.append(self_check_from_dict(values))
        except FieldProblem as problem:
            key, _, message = str(problem).partition(": ")
            raise ImportValidationError(message, record=record, uuid=uuid,
                                        field=key) from None
    _unique(found, "self_checks")
    return tuple(found)


def _unique(records: Sequence[ChallengeRecord | AttemptRecord | Ladder | RunRecord
                              | TakenCheck],
            list_name: str) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(records):
        first = seen.setdefault(item.uuid, index)
        if first != index:
            raise ImportValidationError(
                f"appears twice in the file (also {list_name}[{first}])",
                record=f"{list_name}[{index}]", uuid=item.uuid, field="uuid",
            )


# -- the document --------------------------------------------------------------------------

def _check_top(document: object) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ImportValidationError(
            f"not a Rejection Journal export (expected a JSON object, found "
            f"{describe_value(document)})"
        )
    if isinstance(document, DuplicateKeys):
        raise ImportValidationError("appears more than once", field=document.duplicate)
    fmt = document.get("format")
    if fmt != FORMAT_NAME:
        found = (f"it says {describe_value(fmt)}" if "format" in document
                 else "there is no format key")
        raise ImportValidationError(f"not a Rejection Journal export ({found})", field="format")
    if "format_version" not in document:
        raise ImportValidationError("is missing", field="format_version")
    version = document["format_version"]
    if type(version) is not int and not isinstance(version, HugeNumber):
        raise ImportValidationError(f"must be a whole number, not {describe_value(version)}",
                                    field="format_version")
    if isinstance(version, HugeNumber) or version > READABLE_FORMAT_VERSION:
        shown = "a very large number" if isinstance(version, HugeNumber) else str(version)
        raise ImportValidationError(
            f"written by a newer version of Rejection Journal (format_version {shown}; this "
            f"version reads {READABLE_FORMAT_VERSION}). Please update the app",
            field="format_version",
        )
    if version < 1:
        raise ImportValidationError(
            f"must be a version from 1 to {READABLE_FORMAT_VERSION}, not {version}",
            field="format_version",
        )
    for key in _REQUIRED_TOP_KEYS:
        if key not in document:
            raise ImportValidationError("is missing", field=key)
    known = {*_REQUIRED_TOP_KEYS, *_METADATA_CONVERT}
    added = (*(_REQUIRED_FROM_4 if version >= 4 else ()),
             *(_REQUIRED_FROM_6 if version >= 6 else ()))
    for key in added:
        if key not in document:
            raise ImportValidationError("is missing", field=key)
    known.update(added)
    if version >= 5:
        known.update(_OPTIONAL_FROM_5)
        added = (*added, *(key for key in _OPTIONAL_FROM_5 if key in document))
    for key in document:
        if key not in known:
            raise ImportValidationError(
                "is not a key this version knows; refusing it rather than dropping it",
                field=key,
            )
    for key in ("challenges", "attempts", *added):
        if not isinstance(document[key], list):
            raise ImportValidationError(f"must be a list, not {describe_value(document[key])}",
                                        field=key)
    return document


def _app_version(value: object) -> str:
    text = _text(value)
    if len(text) > 100 or not text.isprintable():
        raise FieldProblem(f"is not a version number: {short(text)}")
    return text


def _schema_version(value: object) -> int:
    number = _int(value)
    if number < 0:
        raise FieldProblem(f"must be 0 or more, not {number}")
    return number


_METADATA_CONVERT: dict[str, Callable[[object], Any]] = {
    "schema_version": _schema_version,
    "app_version": _app_version,
    "exported_at": _timestamp,
}


def _optional_metadata(document: dict[str, Any]) -> dict[str, Any]:
    """``schema_version``, ``app_version``, ``exported_at``: informative, checked if present."""
    values: dict[str, Any] = {}
    for key, convert in _METADATA_CONVERT.items():
        if key in document:
            try:
                values[key] = convert(document[key])
            except FieldProblem as problem:
                raise ImportValidationError(str(problem), field=key) from None
    return values


def parse_document(data: bytes | str) -> ImportPlan:
    """Check a whole export file (bytes as read, or text) and return what it holds.

    Pure: touches no database. Raises :class:`ImportValidationError` for the first problem.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise too_large(len(data))
    text = data if isinstance(data, str) else decode_text(bytes(data))
    document = _check_top(load_json(text))
    metadata = _optional_metadata(document)

    version = document["format_version"]
    checked = [_challenge(item, i, version) for i, item in enumerate(document["challenges"])]
    challenges = tuple(challenge for challenge, _ in checked)
    _unique(challenges, "challenges")
    parsed = [_attempt(item, i, version) for i, item in enumerate(document["attempts"])]
    attempts = tuple(attempt for attempt, _, _ in parsed)
    _unique(attempts, "attempts")

    ladder_items = [_ladder(item, i, version)
                    for i, item in enumerate(document.get("ladders", ()))]
    ladders = tuple(ladder for ladder, _ in ladder_items)
    _unique(ladders, "ladders")
    run_items = [_run(item, i, version) for i, item in enumerate(document.get("runs", ()))]
    runs = tuple(run for run, _ in run_items)
    _unique(runs, "runs")
    demo = _demo_marks(document.get("demo", ()), {
        DemoKind.ENTRY: {a.uuid for a in attempts}, DemoKind.LADDER: {x.uuid for x in ladders},
        DemoKind.RUN: {r.uuid for r in runs}})

    self_checks = _self_checks(document.get("self_checks", ()))

    available = {c.uuid for c in challenges} | {c.uuid for c in builtin_challenges()}
    elsewhere = tuple(
        i for i, a in enumerate(attempts)
        if a.challenge_uuid is not None and a.challenge_uuid not in available
    )
    return ImportPlan(
        challenges=challenges,
        attempts=attempts,
        format_version=document["format_version"],
        exported_at=metadata.get("exported_at"),
        app_version=metadata.get("app_version"),
        needs_journal_challenge=elsewhere,
        revisions=tuple(current for _, current, _ in parsed),
        earlier_revisions=(tuple(earlier for _, _, earlier in parsed) if version >= 2 else ()),
        ladders=ladders,
        runs=runs,
        demo=demo,
        self_checks=self_checks,
        challenge_revisions=tuple(revisions for _, revisions in checked),
        ladder_revisions=tuple(revisions for _, revisions in ladder_items),
        run_revisions=tuple(revisions for _, revisions in run_items),
    )


def read_plan(path: Path) -> ImportPlan:
    """Read and check the file at ``path`` (see :func:`parse_document`); touches no database."""
    return parse_document(read_bytes(Path(path)))
