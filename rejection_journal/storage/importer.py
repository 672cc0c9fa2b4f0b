"""JSON import: check the whole file first, then merge it by UUID in one transaction.

Two steps, so a caller (the CLI, or the window with a progress dialog) can show what a file
holds before changing anything:

1. :func:`parse_document` (or :func:`read_plan` for a path) checks every byte of the file and
   every field of every record, without touching the database, and returns an
   :class:`ImportPlan`. Any problem raises :class:`ImportValidationError`, whose message names
   where (``attempts[12] (uuid …)``, ``line 3, column 5``) and what.
2. :func:`apply_import` merges the plan into the journal in one transaction: all or nothing.
   :func:`preview_import` works out the same result without writing anything, so a caller
   backs up (or asks) only when the import will change something.  The whole sequence
   (preview, a pre-import backup if needed, merge) is a use case:
   ``rejection_journal.services.journal_service.import_into``.

Merging trusts no clock: an attempt is taken from the file only when the file's copy is a
later revision of the journal's (see :mod:`rejection_journal.storage.revisions`). When both
were edited since they were last shared, the journal keeps its own and the file's copy goes
into the entry's history: a *conflict*, counted and reported.

The value rules live in :mod:`rejection_journal.domain.records` (``validated()``); this module
only adds what is specific to a file: JSON types, keys, UUIDs, dates and timestamps as text.
The format and the merge rules are documented in ``docs/json-format.md``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import peewee

from rejection_journal.domain.enums import Category, Outcome, Reason
from rejection_journal.domain.library import builtin_challenges
from rejection_journal.domain.records import (
    AttemptRecord,
    ChallengeRecord,
    ValidationError,
    utcnow,
)
from rejection_journal.storage.errors import StorageError, classify
from rejection_journal.storage.export import EXPORT_FORMAT_VERSION, FORMAT_NAME
from rejection_journal.storage.journal import Journal, prune_history
from rejection_journal.storage.models import Attempt, AttemptVersion, Challenge, database
from rejection_journal.storage.revisions import (
    CONFLICT,
    EARLIER,
    EARLIER_REVISIONS_KEPT,
    REVISION_LENGTH,
    join_revisions,
    record_to_json,
    revision,
    split_revisions,
)
from rejection_journal.storage.rows import attempt_row, challenge_ids

#: Files larger than this are refused before they are read.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
#: The export layouts this version reads (see ``format_version`` in docs/json-format.md).
READABLE_FORMAT_VERSION = EXPORT_FORMAT_VERSION
#: Records written per statement; the progress callback is called after each chunk.
CHUNK = 200

Progress = Callable[[int, int], None]

CHALLENGE_KEYS = (
    "uuid", "title", "category", "level", "how_to", "respect_note", "is_custom", "archived",
)
#: an attempt's keys in a format_version 1 file
ATTEMPT_KEYS_V1 = (
    "uuid", "challenge_uuid", "ask", "attempted_on",
    "anticipated_discomfort", "predicted_no_chance", "feelings_before", "worst_case",
    "outcome", "actual_discomfort", "feelings_after", "reason", "asked_why", "reflection",
    "lesson", "created_at", "updated_at",
)
#: an attempt's keys in the current format (2)
ATTEMPT_KEYS = (*ATTEMPT_KEYS_V1, "revision", "earlier_revisions")
#: a file may list at most this many earlier revisions per attempt (the app writes 50)
MAX_EARLIER_IN_FILE = 1_000
_REQUIRED_TOP_KEYS = ("format", "format_version", "challenges", "attempts")

#: The domain names fields in words (for the editor); a file names them by their JSON key.
_LABEL_TO_KEY = {
    "Title": "title",
    "Category": "category",
    "Level": "level",
    "How to": "how_to",
    "Respect note": "respect_note",
    "What you asked": "ask",
    "Date": "attempted_on",
    "Anticipated discomfort": "anticipated_discomfort",
    "Predicted chance of no": "predicted_no_chance",
    "Actual discomfort": "actual_discomfort",
    "Feelings before": "feelings_before",
    "Worst case": "worst_case",
    "Feelings after": "feelings_after",
    "Reflection": "reflection",
    "Lesson": "lesson",
    "Outcome": "outcome",
    "Reason": "reason",
}

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z")
_REVISION_RE = re.compile(f"[0-9a-f]{{{REVISION_LENGTH}}}")
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLAIN_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_MAX_INT_DIGITS = 20  # longer integers are refused (and never printed whole)


# -- errors --------------------------------------------------------------------------------

class ImportValidationError(StorageError):
    """The file cannot be imported; nothing was written.

    The message reads ``WHERE: FIELD: PROBLEM``, e.g.
    ``attempts[12] (uuid 1b2c…): anticipated_discomfort: must be from 0 to 10, not 11`` or
    ``line 3, column 5: not valid JSON (Expecting ',' delimiter)``.

    ``record`` is ``"attempts[12]"``/``"challenges[2]"`` or None; ``field`` the JSON key or
    None; ``line``/``column`` are set for text that is not JSON or not UTF-8; ``uuid`` is the
    record's UUID when it had a valid one.
    """

    def __init__(
        self,
        problem: str,
        *,
        record: str | None = None,
        uuid: str | None = None,
        field: str | None = None,
        line: int | None = None,
        column: int | None = None,
        where: str | None = None,
    ) -> None:
        if where is None:
            if record is not None:
                where = f"{record} (uuid {uuid})" if uuid else record
            else:
                where = "top level"
        parts = [where, *([_show_key(field)] if field is not None else []), problem]
        super().__init__(": ".join(parts))
        self.problem = problem
        self.record = record
        self.uuid = uuid
        self.field = field
        self.line = line
        self.column = column


class ImportFileError(StorageError):
    """The file to import could not be read (missing, a folder, no permission)."""


class ImportCancelled(StorageError):
    """Raise from a progress callback to stop an import; nothing is written."""

    def __init__(self, message: str = "Import cancelled; the journal was not changed.") -> None:
        super().__init__(message)


class _FieldProblem(Exception):
    """Internal: one value is wrong; the caller adds where."""


# -- results -------------------------------------------------------------------------------

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

    def attempt_revisions(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        """(revisions, earlier revisions), computed if the plan was built without them."""
        revisions = self.revisions or tuple(revision(a) for a in self.attempts)
        earlier = self.earlier_revisions or ((),) * len(self.attempts)
        return revisions, earlier

    @property
    def total(self) -> int:
        """Records in the file; the ``total`` the progress callback is given."""
        return len(self.challenges) + len(self.attempts)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, from :func:`preview_import`, would do)."""

    added_attempts: int = 0
    updated_attempts: int = 0
    unchanged_attempts: int = 0
    added_challenges: int = 0
    updated_challenges: int = 0
    unchanged_challenges: int = 0
    #: attempts changed both here and in the file since they were last shared: the journal
    #: kept its own, the file's copy is in the entry's history
    conflict_attempts: int = 0
    #: their UUIDs, in file order
    conflict_uuids: tuple[str, ...] = ()
    #: of those, how many file copies were not in the history yet (and were stored)
    stored_conflicts: int = 0

    @property
    def changed(self) -> bool:
        """Whether the import writes anything (entries, challenges or an entry's history)."""
        return bool(self.added_attempts or self.updated_attempts or self.stored_conflicts
                    or self.added_challenges or self.updated_challenges)

    def _conflict_sentence(self) -> str:
        if self.conflict_attempts == 1:
            return (" 1 entry had changed here and in the file: your version was kept; the "
                    "imported one is saved in the entry's history.")
        return (f" {self.conflict_attempts:,} entries had changed here and in the file: your "
                "versions were kept; the imported ones are saved in each entry's history.")

    def summary(self) -> str:
        """One or two sentences for a status bar, a dialog or the command line."""
        attempts = (self.added_attempts + self.updated_attempts + self.unchanged_attempts
                    + self.conflict_attempts)
        challenges = self.added_challenges + self.updated_challenges + self.unchanged_challenges
        conflicts = self._conflict_sentence() if self.conflict_attempts else ""
        if not self.changed:
            return (f"Nothing to import: the journal already has everything in this file "
                    f"({_plural(attempts, 'attempt')}, {_plural(challenges, 'challenge')})."
                    + conflicts)
        both = (f", {self.conflict_attempts:,} changed on both sides"
                if self.conflict_attempts else "")
        return (
            f"Imported {_plural(attempts, 'attempt')}: {self.added_attempts:,} added, "
            f"{self.updated_attempts:,} updated, {self.unchanged_attempts:,} already up to "
            f"date{both}; {_plural(challenges, 'challenge')}: {self.added_challenges:,} added, "
            f"{self.updated_challenges:,} updated, {self.unchanged_challenges:,} already up "
            "to date." + conflicts
        )


# -- describing values in messages ---------------------------------------------------------

class _HugeNumber:
    """An integer literal too long to be a rating, kept only to be refused with its place."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Constant:
    """``NaN``/``Infinity``: Python's json accepts them, JSON does not."""

    def __init__(self, text: str) -> None:
        self.text = text


class _DuplicateKeys(dict):  # type: ignore[type-arg]
    """A JSON object that named a key twice (the parser would keep only the last value)."""

    duplicate: str = ""


def _short(text: str, limit: int = 40) -> str:
    """A quoted, escaped, bounded form of ``text``: safe for a one-line message."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _show_key(key: str) -> str:
    return key if _PLAIN_KEY_RE.fullmatch(key) else _short(key)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, _HugeNumber):
        return f"a number with {value.digits:,} digits"
    if isinstance(value, _Constant):
        return f"{value.text} (not allowed in JSON)"
    return type(value).__name__  # pragma: no cover - json produces nothing else


# -- one value -----------------------------------------------------------------------------

def _text(value: object) -> str:
    # Length, NUL and lone surrogates are the domain's rules (check_text via validated()).
    if not isinstance(value, str):
        raise _FieldProblem(f"must be text, not {_describe(value)}")
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _FieldProblem(f"must be a whole number, not {_describe(value)}")
    return value


def _int_or_null(value: object) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise _FieldProblem(f"must be a whole number or null, not {_describe(value)}")
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _FieldProblem(f"must be true or false, not {_describe(value)}")
    return value


def _uuid(value: object) -> str:
    if not isinstance(value, str):
        raise _FieldProblem(f"must be a UUID in quotes, not {_describe(value)}")
    # Only the canonical spelling (what str(uuid.UUID(...)) gives): "ABC…" and "abc…" must
    # not become two records when journals are merged.
    if not _UUID_RE.fullmatch(value):
        raise _FieldProblem(
            f"must be a UUID like 123e4567-e89b-12d3-a456-426614174000 (lowercase, with "
            f"hyphens), not {_short(value)}"
        )
    return value


def _uuid_or_null(value: object) -> str | None:
    return None if value is None else _uuid(value)


def _date(value: object) -> date:
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        shown = _short(value) if isinstance(value, str) else _describe(value)
        raise _FieldProblem(f"must be a date like 2026-11-23 (YYYY-MM-DD), not {shown}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _FieldProblem(f"{value} is not a real calendar date ({exc})") from None


def _timestamp(value: object) -> datetime:
    if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
        shown = _short(value) if isinstance(value, str) else _describe(value)
        raise _FieldProblem(
            f"must be a UTC timestamp like 2026-11-23T18:02:11Z (ISO 8601 ending in Z), "
            f"not {shown}"
        )
    try:
        return datetime.fromisoformat(value[:-1])
    except ValueError as exc:
        raise _FieldProblem(f"{value} is not a real date and time ({exc})") from None


#: How far ahead of this computer's clock a record's timestamp may be (time zones, drift).
FUTURE_TOLERANCE = timedelta(days=1)


def _past_timestamp(value: object) -> datetime:
    """A record's created_at/updated_at: a future one would win every later merge."""
    stamp = _timestamp(value)
    if stamp > utcnow() + FUTURE_TOLERANCE:
        raise _FieldProblem(
            f"is in the future ({value}, more than a day ahead of this computer's clock); "
            "is the other computer's clock right?"
        )
    return stamp


_E = TypeVar("_E", bound=StrEnum)
_ENUM_VALUES: dict[type[StrEnum], frozenset[str]] = {
    kind: frozenset(member.value for member in kind) for kind in (Category, Outcome, Reason)
}


def _revision(value: object) -> str:
    if not isinstance(value, str) or not _REVISION_RE.fullmatch(value):
        shown = _short(value) if isinstance(value, str) else _describe(value)
        raise _FieldProblem(
            f"must be a revision of {REVISION_LENGTH} lowercase hexadecimal digits, not {shown}"
        )
    return value


def _revision_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _FieldProblem(f"must be a list of revisions, not {_describe(value)}")
    if len(value) > MAX_EARLIER_IN_FILE:
        raise _FieldProblem(f"lists {len(value):,} revisions; at most "
                            f"{MAX_EARLIER_IN_FILE:,} are read")
    revisions = []
    for position, item in enumerate(value):
        try:
            revisions.append(_revision(item))
        except _FieldProblem as problem:
            raise _FieldProblem(f"item {position}: {problem}") from None
    return tuple(revisions)


def _enum(kind: type[_E], noun: str, value: object, *, nullable: bool) -> _E | None:
    if value is None and nullable:
        return None
    if isinstance(value, str) and value in _ENUM_VALUES[kind]:
        return kind(value)
    known = ", ".join(member.value for member in kind)
    if not isinstance(value, str):
        more = " or null" if nullable else ""
        raise _FieldProblem(f"must be one of {known}{more}, not {_describe(value)}")
    raise _FieldProblem(f"unknown {noun} {_short(value)} (known: {known})")


def _category(value: object) -> Category:
    result = _enum(Category, "category", value, nullable=False)
    assert result is not None
    return result


def _outcome(value: object) -> Outcome | None:
    return _enum(Outcome, "outcome", value, nullable=True)


def _reason(value: object) -> Reason | None:
    return _enum(Reason, "reason", value, nullable=True)


_CHALLENGE_CONVERT: dict[str, Callable[[object], Any]] = {
    "uuid": _uuid,
    "title": _text,
    "category": _category,
    "level": _int,
    "how_to": _text,
    "respect_note": _text,
    "is_custom": _bool,
    "archived": _bool,
}
_ATTEMPT_CONVERT: dict[str, Callable[[object], Any]] = {
    "uuid": _uuid,
    "challenge_uuid": _uuid_or_null,
    "ask": _text,
    "attempted_on": _date,
    "anticipated_discomfort": _int_or_null,
    "predicted_no_chance": _int_or_null,
    "feelings_before": _text,
    "worst_case": _text,
    "outcome": _outcome,
    "actual_discomfort": _int_or_null,
    "feelings_after": _text,
    "reason": _reason,
    "asked_why": _bool,
    "reflection": _text,
    "lesson": _text,
    "created_at": _past_timestamp,
    "updated_at": _past_timestamp,
}
_ATTEMPT_CONVERT_V1 = dict(_ATTEMPT_CONVERT)
_ATTEMPT_CONVERT.update(revision=_text, earlier_revisions=_revision_list)  # see _attempt
assert tuple(_CHALLENGE_CONVERT) == CHALLENGE_KEYS
assert tuple(_ATTEMPT_CONVERT) == ATTEMPT_KEYS
assert tuple(_ATTEMPT_CONVERT_V1) == ATTEMPT_KEYS_V1


# -- one record ----------------------------------------------------------------------------

def _convert_record(
    item: object, record: str, converters: Mapping[str, Callable[[object], Any]]
) -> tuple[dict[str, Any], str | None]:
    """Check keys and JSON types of one record; returns domain values and its UUID."""
    if not isinstance(item, dict):
        raise ImportValidationError(f"must be a JSON object, not {_describe(item)}",
                                    record=record)
    raw_uuid = item.get("uuid")
    try:
        uuid = _uuid(raw_uuid)
    except _FieldProblem:
        uuid = None
    if isinstance(item, _DuplicateKeys):
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
    for key, convert in converters.items():
        try:
            values[key] = convert(item[key])
        except _FieldProblem as problem:
            raise ImportValidationError(str(problem), record=record, uuid=uuid,
                                        field=key) from None
    return values, uuid


def _domain_checked(
    build: Callable[[], ChallengeRecord | AttemptRecord], record: str, uuid: str | None
) -> Any:
    try:
        return build().validated()
    except ValidationError as exc:
        raise ImportValidationError(exc.message, record=record, uuid=uuid,
                                    field=_LABEL_TO_KEY.get(exc.field, exc.field)) from None


def _challenge(item: object, index: int) -> ChallengeRecord:
    record = f"challenges[{index}]"
    values, uuid = _convert_record(item, record, _CHALLENGE_CONVERT)
    return _domain_checked(lambda: ChallengeRecord(**values), record, uuid)  # type: ignore[no-any-return]


def _attempt(
    item: object, index: int, format_version: int
) -> tuple[AttemptRecord, str, tuple[str, ...]]:
    """One attempt, its revision (computed) and its earlier revisions (as the file says)."""
    record = f"attempts[{index}]"
    converters = _ATTEMPT_CONVERT if format_version >= 2 else _ATTEMPT_CONVERT_V1
    values, uuid = _convert_record(item, record, converters)
    stated: str | None = values.pop("revision", None)
    earlier: tuple[str, ...] = values.pop("earlier_revisions", ())
    attempt: AttemptRecord = _domain_checked(lambda: AttemptRecord(**values), record, uuid)
    current = revision(attempt)
    if stated is not None and stated != current:
        try:
            _revision(stated)  # (one that matches needs no closer look: it is well formed)
        except _FieldProblem as problem:
            raise ImportValidationError(str(problem), record=record, uuid=uuid,
                                        field="revision") from None
        # Edited after it was exported (by hand, or by another program): the edit started
        # from the revision the file names, which makes that one an earlier revision.
        earlier = (stated, *earlier)
    return attempt, current, earlier[:EARLIER_REVISIONS_KEPT]


def _unique(records: Sequence[ChallengeRecord] | Sequence[AttemptRecord], list_name: str) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(records):
        first = seen.setdefault(item.uuid, index)
        if first != index:
            raise ImportValidationError(
                f"appears twice in the file (also {list_name}[{first}])",
                record=f"{list_name}[{index}]", uuid=item.uuid, field="uuid",
            )


# -- the document --------------------------------------------------------------------------

def _parse_int(text: str) -> int | _HugeNumber:
    digits = len(text.lstrip("-"))
    return _HugeNumber(digits) if digits > _MAX_INT_DIGITS else int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged = _DuplicateKeys(obj)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            flagged.duplicate = key
            break
        seen.add(key)
    return flagged


def _too_large(size: int) -> ImportValidationError:
    return ImportValidationError(
        f"is {size / 2**20:,.1f} MB; files over {MAX_IMPORT_BYTES // 2**20} MB are not "
        "imported",
        where="file",
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Notepad) is fine
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportValidationError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason})",
            where=f"byte {exc.start:,} (line {line})", line=line, column=column,
        ) from None


def _load_json(text: str) -> object:
    if not text.strip():
        raise ImportValidationError("is empty", where="file")
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=_parse_int,
                          parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            f"not valid JSON ({exc.msg})", where=f"line {exc.lineno}, column {exc.colno}",
            line=exc.lineno, column=exc.colno,
        ) from None
    except RecursionError:
        raise ImportValidationError("not valid JSON (nested too deeply)", where="file") from None


def _check_top(document: object) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ImportValidationError(
            f"not a Rejection Journal export (expected a JSON object, found "
            f"{_describe(document)})"
        )
    if isinstance(document, _DuplicateKeys):
        raise ImportValidationError("appears more than once", field=document.duplicate)
    fmt = document.get("format")
    if fmt != FORMAT_NAME:
        found = f"it says {_describe(fmt)}" if "format" in document else "there is no format key"
        raise ImportValidationError(f"not a Rejection Journal export ({found})", field="format")
    if "format_version" not in document:
        raise ImportValidationError("is missing", field="format_version")
    version = document["format_version"]
    if type(version) is not int and not isinstance(version, _HugeNumber):
        raise ImportValidationError(f"must be a whole number, not {_describe(version)}",
                                    field="format_version")
    if isinstance(version, _HugeNumber) or version > READABLE_FORMAT_VERSION:
        shown = "a very large number" if isinstance(version, _HugeNumber) else str(version)
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
    for key in document:
        if key not in known:
            raise ImportValidationError(
                "is not a key this version knows; refusing it rather than dropping it",
                field=key,
            )
    for key in ("challenges", "attempts"):
        if not isinstance(document[key], list):
            raise ImportValidationError(f"must be a list, not {_describe(document[key])}",
                                        field=key)
    return document


def _app_version(value: object) -> str:
    text = _text(value)
    if len(text) > 100 or not text.isprintable():
        raise _FieldProblem(f"is not a version number: {_short(text)}")
    return text


def _schema_version(value: object) -> int:
    number = _int(value)
    if number < 0:
        raise _FieldProblem(f"must be 0 or more, not {number}")
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
            except _FieldProblem as problem:
                raise ImportValidationError(str(problem), field=key) from None
    return values


def parse_document(data: bytes | str) -> ImportPlan:
    """Check a whole export file (bytes as read, or text) and return what it holds.

    Pure: touches no database. Raises :class:`ImportValidationError` for the first problem.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise _too_large(len(data))
    text = data if isinstance(data, str) else _decode(bytes(data))
    document = _check_top(_load_json(text))
    metadata = _optional_metadata(document)

    challenges = tuple(_challenge(item, i) for i, item in enumerate(document["challenges"]))
    _unique(challenges, "challenges")
    version = document["format_version"]
    parsed = [_attempt(item, i, version) for i, item in enumerate(document["attempts"])]
    attempts = tuple(attempt for attempt, _, _ in parsed)
    _unique(attempts, "attempts")

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
    )


def read_plan(path: Path) -> ImportPlan:
    """Read and check the file at ``path`` (see :func:`parse_document`); touches no database."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFileError(f"{path} is a folder; give the export file to import")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFileError(f"{path} is not a regular file")
    if info.st_size > MAX_IMPORT_BYTES:
        raise _too_large(info.st_size)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_document(data)


# -- merging into the journal --------------------------------------------------------------

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_rows(model: type[peewee.Model], rows: list[dict[str, object]]) -> None:
    """``model.insert_many(rows)``, with one statement prepared for all rows.

    peewee's ``insert_many`` builds SQL text for every row, which took three quarters of
    the time of a large import; every row here has the same keys, so the statement is built
    once and run with ``executemany`` (values still go through each field's ``db_value``).
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.fields[name] for name in names]
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    params = [
        tuple(field.db_value(row[name]) for name, field in zip(names, fields, strict=True))
        for row in rows
    ]
    database.cursor().executemany(sql, params)


def _check_journal_challenges(plan: ImportPlan) -> None:
    wanted = sorted({plan.attempts[i].challenge_uuid or "" for i in plan.needs_journal_challenge})
    present: set[str] = set()
    for chunk in _chunks(wanted, 500):
        query = Challenge.select(Challenge.uuid).where(Challenge.uuid.in_(list(chunk)))
        present.update(uuid for (uuid,) in query.tuples())
    for index in plan.needs_journal_challenge:
        attempt = plan.attempts[index]
        if attempt.challenge_uuid not in present:
            raise ImportValidationError(
                "no challenge with this UUID in the file, the built-in library or the journal",
                record=f"attempts[{index}]", uuid=attempt.uuid, field="challenge_uuid",
            )


def _challenge_values(c: ChallengeRecord) -> dict[str, object]:
    return {
        "uuid": c.uuid, "title": c.title, "category": c.category.value, "level": c.level,
        "how_to": c.how_to, "respect_note": c.respect_note, "is_custom": c.is_custom,
        "archived": c.archived,
    }


def _merge_challenges(
    journal: Journal, challenges: Sequence[ChallengeRecord], step: Callable[[int], None],
    write: bool,
) -> tuple[int, int, int]:
    added = updated = unchanged = 0
    for chunk in _chunks(challenges):
        now = utcnow()
        rows = []
        for incoming in chunk:
            existing = journal.challenge(incoming.uuid)
            if existing is None:
                rows.append({**_challenge_values(incoming), "created_at": now, "updated_at": now})
                added += 1
            elif not existing.is_custom or existing == incoming:
                unchanged += 1  # built-in challenges are never overwritten by a file
            else:
                if write:
                    (Challenge.update(**_challenge_values(incoming), updated_at=now)
                     .where(Challenge.uuid == incoming.uuid).execute())
                updated += 1
        if rows and write:
            Challenge.insert_many(rows).execute()
        step(len(chunk))
    return added, updated, unchanged


def _descends(history: Sequence[str], other: Sequence[str]) -> bool:
    """Whether a copy whose revisions are ``history`` (newest first: its own, then its
    earlier ones) was made by editing a copy whose revisions are ``other``: ``other``'s
    history reappears further down ``history`` (as far as both remember)."""
    truncated = len(history) > EARLIER_REVISIONS_KEPT  # it forgot its oldest revisions
    for start in range(1, len(history)):
        if history[start] != other[0]:
            continue
        rest = history[start:]
        if len(rest) >= len(other) or truncated:
            overlap = min(len(rest), len(other))
            if tuple(rest[:overlap]) == tuple(other[:overlap]):
                return True
    return False


def _decide(incoming: str, incoming_earlier: tuple[str, ...], local: str,
            local_earlier: tuple[str, ...]) -> str:
    """``"unchanged"``, ``"update"`` (the file's copy is a later revision of the journal's)
    or ``"conflict"`` (both changed since they were last shared, or it cannot be told).

    Histories, not sets, are compared, so an edit taken back (A, B, then A again) is told
    apart from the copy that never had it.
    """
    if incoming == local:
        return "unchanged"
    theirs = (incoming, *incoming_earlier)
    ours = (local, *local_earlier)
    later_there = _descends(theirs, ours)
    later_here = _descends(ours, theirs)
    if later_there and not later_here:
        return "update"
    if later_here and not later_there:
        return "unchanged"
    return "conflict"


@dataclass(slots=True)
class _AttemptCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    stored_conflicts: int = 0
    conflict_uuids: list[str] = field(default_factory=list)


def _merge_attempts(
    journal: Journal, plan: ImportPlan, step: Callable[[int], None], write: bool
) -> _AttemptCounts:
    """Decide every attempt (and, with ``write``, carry the decisions out)."""
    counts = _AttemptCounts()
    challenge_id_of = challenge_ids()
    revisions, earlier_revisions = plan.attempt_revisions()
    history_of: list[int] = []
    for start in range(0, len(plan.attempts), CHUNK):
        chunk = plan.attempts[start : start + CHUNK]
        # Plain SQL: peewee builds an IN of 200 values slowly enough to matter at 100,000.
        marks = ", ".join("?" * len(chunk))
        cursor = database.execute_sql(
            'SELECT "uuid", "id", "revision", "earlier_revisions" FROM "attempt" '
            f'WHERE "uuid" IN ({marks})', [a.uuid for a in chunk])
        existing = {uuid: (row_id, rev, earlier) for uuid, row_id, rev, earlier in cursor}
        rows: list[dict[str, object]] = []
        updates: list[tuple[int, AttemptRecord, str, tuple[str, ...]]] = []
        conflicts: list[tuple[int, AttemptRecord, str]] = []
        for offset, incoming in enumerate(chunk):
            incoming_revision = revisions[start + offset]
            incoming_earlier = earlier_revisions[start + offset]
            found = existing.get(incoming.uuid)
            if found is None:
                counts.added += 1
                if write:
                    row = attempt_row(incoming, challenge_id_of, incoming_revision)
                    row["earlier_revisions"] = join_revisions(incoming_earlier)
                    rows.append(row)
                continue
            row_id, local_revision, local_text = found
            local_earlier = split_revisions(local_text)
            decision = _decide(incoming_revision, incoming_earlier, local_revision,
                               local_earlier)
            if decision == "unchanged":
                counts.unchanged += 1
            elif decision == "update":
                counts.updated += 1
                # The journal's copy is an earlier revision of the file's: it goes into the
                # entry's history, and the file's history (which holds the journal's) is kept.
                updates.append((row_id, incoming, incoming_revision, incoming_earlier))
            else:
                counts.conflicts += 1
                counts.conflict_uuids.append(incoming.uuid)
                conflicts.append((row_id, incoming, incoming_revision))
        versions: list[dict[str, object]] = []
        if conflicts:
            # A copy already in the entry's history (imported before) is not stored twice.
            ids = [row_id for row_id, _, _ in conflicts]
            known = set(AttemptVersion.select(AttemptVersion.attempt, AttemptVersion.revision)
                        .where(AttemptVersion.attempt.in_(ids)).tuples())
            now = utcnow()
            for row_id, incoming, incoming_revision in conflicts:
                if (row_id, incoming_revision) in known:
                    continue
                known.add((row_id, incoming_revision))
                counts.stored_conflicts += 1
                versions.append({"attempt": row_id, "revision": incoming_revision,
                                 "kind": CONFLICT, "saved_at": now,
                                 "record": record_to_json(incoming)})
        if write and updates:
            now = utcnow()
            local = journal.attempts_by_uuid([incoming.uuid for _, incoming, _, _ in updates])
            for row_id, incoming, incoming_revision, merged in updates:
                before = local[incoming.uuid]
                versions.append({"attempt": row_id, "revision": revision(before),
                                 "kind": EARLIER, "saved_at": now,
                                 "record": record_to_json(before)})
                values = attempt_row(incoming, challenge_id_of, incoming_revision)
                values["earlier_revisions"] = join_revisions(merged)
                Attempt.update(**values).where(Attempt.id == row_id).execute()
        if write:
            _insert_rows(Attempt, rows)
            _insert_rows(AttemptVersion, versions)
            history_of.extend(row_id for row_id, _, _ in conflicts)
            history_of.extend(row_id for row_id, _, _, _ in updates)
        step(len(chunk))
    if history_of:
        prune_history(sorted(set(history_of)))
    return counts


def _merge(journal: Journal, plan: ImportPlan, progress: Progress | None,
           write: bool) -> ImportResult:
    total = plan.total
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    try:
        # IMMEDIATE: take the write lock before reading, so another writer cannot slip in
        # between the reads that decide the merge and the writes. A preview only reads.
        with database.atomic("IMMEDIATE" if write else "DEFERRED"):
            step(0)
            _check_journal_challenges(plan)
            challenges = _merge_challenges(journal, plan.challenges, step, write)
            attempts = _merge_attempts(journal, plan, step, write)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        raise classify(exc) from exc
    return ImportResult(
        added_attempts=attempts.added, updated_attempts=attempts.updated,
        unchanged_attempts=attempts.unchanged, added_challenges=challenges[0],
        updated_challenges=challenges[1], unchanged_challenges=challenges[2],
        conflict_attempts=attempts.conflicts, conflict_uuids=tuple(attempts.conflict_uuids),
        stored_conflicts=attempts.stored_conflicts,
    )


def preview_import(
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """What :func:`apply_import` would do with ``plan``, without writing anything.

    Raises what :func:`apply_import` raises before writing (an attempt naming a challenge
    that is nowhere, a cancelling progress callback).
    """
    return _merge(journal, plan, progress, write=False)


def apply_import(
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """Merge ``plan`` into ``journal`` by UUID, in one transaction.

    * A record whose UUID is new is inserted with every field as in the file (including
      ``created_at``/``updated_at``).
    * An attempt whose UUID exists is decided by revisions, never by timestamps: the file's
      copy replaces the journal's only if it is a later revision of it (the journal's copy
      then goes into the entry's history); if the journal's copy is the later one, or they
      are the same, nothing changes; if both changed since they were last shared (or a
      format 1 file holds different words), the journal keeps its copy and the file's is
      stored in the entry's history as a ``"conflict"``, counted in the result.
    * A challenge whose UUID exists: built-in ones are never changed; custom ones take the
      file's fields if they differ.
    * Nothing is ever deleted. Importing the same file again changes nothing.

    ``progress(done, total)`` is called at the start and after every :data:`CHUNK` records.
    If it raises (e.g. :class:`ImportCancelled`), the exception propagates and nothing is
    written. If an attempt names a challenge that is nowhere (file, library, journal),
    :class:`ImportValidationError` is raised, also before anything is written.
    """
    return _merge(journal, plan, progress, write=True)


def import_file(
    journal: Journal, path: Path | str | os.PathLike[str], *, progress: Progress | None = None
) -> ImportResult:
    """Read, check and merge the export at ``path``: all of it, or (on any error) nothing.

    Makes no backup; ``services.journal_service.import_into`` is the import with its
    pre-import backup.
    """
    return apply_import(journal, read_plan(Path(path)), progress=progress)
