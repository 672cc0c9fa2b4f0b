"""JSON import: check the whole file first, then merge it by UUID in one transaction.

Two steps, so a caller (the CLI, or the window with a progress dialog) can show what a file
holds before changing anything:

1. :func:`parse_document` (or :func:`read_plan` for a path) checks every byte of the file and
   every field of every record, without touching the database, and returns an
   :class:`ImportPlan`. Any problem raises :class:`ImportValidationError`, whose message names
   where (``attempts[12] (uuid …)``, ``line 3, column 5``) and what.
2. :func:`apply_import` merges the plan into the journal in one transaction: all or nothing.

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
from dataclasses import dataclass
from datetime import date, datetime
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
from rejection_journal.storage.journal import Journal
from rejection_journal.storage.models import Attempt, Challenge, database
from rejection_journal.storage.sqlite_files import is_live

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
ATTEMPT_KEYS = (
    "uuid", "challenge_uuid", "ask", "attempted_on",
    "anticipated_discomfort", "predicted_no_chance", "feelings_before", "worst_case",
    "outcome", "actual_discomfort", "feelings_after", "reason", "asked_why", "reflection",
    "lesson", "created_at", "updated_at",
)
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

    @property
    def total(self) -> int:
        """Records in the file; the ``total`` the progress callback is given."""
        return len(self.challenges) + len(self.attempts)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


@dataclass(frozen=True, slots=True)
class ImportResult:
    added_attempts: int = 0
    updated_attempts: int = 0
    unchanged_attempts: int = 0
    added_challenges: int = 0
    updated_challenges: int = 0
    unchanged_challenges: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added_attempts or self.updated_attempts
                    or self.added_challenges or self.updated_challenges)

    def summary(self) -> str:
        """One sentence for a status bar, a dialog or the command line."""
        attempts = self.added_attempts + self.updated_attempts + self.unchanged_attempts
        challenges = self.added_challenges + self.updated_challenges + self.unchanged_challenges
        if not self.changed:
            return (f"Nothing to import: the journal already has everything in this file "
                    f"({_plural(attempts, 'attempt')}, {_plural(challenges, 'challenge')}).")
        return (
            f"Imported {_plural(attempts, 'attempt')}: {self.added_attempts:,} added, "
            f"{self.updated_attempts:,} updated, {self.unchanged_attempts:,} already up to "
            f"date; {_plural(challenges, 'challenge')}: {self.added_challenges:,} added, "
            f"{self.updated_challenges:,} updated, {self.unchanged_challenges:,} already up "
            "to date."
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


_E = TypeVar("_E", bound=StrEnum)
_ENUM_VALUES: dict[type[StrEnum], frozenset[str]] = {
    kind: frozenset(member.value for member in kind) for kind in (Category, Outcome, Reason)
}


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
    "created_at": _timestamp,
    "updated_at": _timestamp,
}
assert tuple(_CHALLENGE_CONVERT) == CHALLENGE_KEYS
assert tuple(_ATTEMPT_CONVERT) == ATTEMPT_KEYS


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


def _attempt(item: object, index: int) -> AttemptRecord:
    record = f"attempts[{index}]"
    values, uuid = _convert_record(item, record, _ATTEMPT_CONVERT)
    return _domain_checked(lambda: AttemptRecord(**values), record, uuid)  # type: ignore[no-any-return]


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
        raise ImportValidationError(f"must be {READABLE_FORMAT_VERSION}, not {version}",
                                    field="format_version")
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
    attempts = tuple(_attempt(item, i) for i, item in enumerate(document["attempts"]))
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
    if is_live(path):  # reading it would also drop this process's locks on it
        raise ImportFileError(f"{path} is the journal itself; import a file written by export")
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
    journal: Journal, challenges: Sequence[ChallengeRecord], step: Callable[[int], None]
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
                (Challenge.update(**_challenge_values(incoming), updated_at=now)
                 .where(Challenge.uuid == incoming.uuid).execute())
                updated += 1
        if rows:
            Challenge.insert_many(rows).execute()
        step(len(chunk))
    return added, updated, unchanged


def _merge_attempts(
    journal: Journal, attempts: Sequence[AttemptRecord], step: Callable[[int], None]
) -> tuple[int, int, int]:
    added = updated = unchanged = 0
    challenge_ids = journal._challenge_ids()
    for chunk in _chunks(attempts):
        query = (Attempt.select(Attempt.uuid, Attempt.id, Attempt.updated_at)
                 .where(Attempt.uuid.in_([a.uuid for a in chunk])))
        existing = {uuid: (row_id, stamp) for uuid, row_id, stamp in query.tuples()}
        rows = []
        for incoming in chunk:
            if incoming.uuid not in existing:
                rows.append(journal._row_values(incoming, challenge_ids))
                added += 1
                continue
            row_id, stamp = existing[incoming.uuid]
            if isinstance(stamp, datetime) and incoming.updated_at <= stamp:
                unchanged += 1  # the journal's copy is the same age or newer
                continue
            values = journal._row_values(incoming, challenge_ids)
            Attempt.update(**values).where(Attempt.id == row_id).execute()
            updated += 1
        _insert_rows(Attempt, rows)
        step(len(chunk))
    return added, updated, unchanged


def apply_import(
    journal: Journal, plan: ImportPlan, *, progress: Progress | None = None
) -> ImportResult:
    """Merge ``plan`` into ``journal`` by UUID, in one transaction.

    * A record whose UUID is new is inserted with every field as in the file (including
      ``created_at``/``updated_at``).
    * An attempt whose UUID exists is replaced only if the file's ``updated_at`` is newer.
    * A challenge whose UUID exists: built-in ones are never changed; custom ones take the
      file's fields if they differ.
    * Nothing is ever deleted. Importing the same file again changes nothing.

    ``progress(done, total)`` is called at the start and after every :data:`CHUNK` records.
    If it raises (e.g. :class:`ImportCancelled`), the exception propagates and nothing is
    written. If an attempt names a challenge that is nowhere (file, library, journal),
    :class:`ImportValidationError` is raised, also before anything is written.
    """
    total = plan.total
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    try:
        # IMMEDIATE: take the write lock before reading, so another writer cannot slip in
        # between the reads that decide the merge and the writes.
        with database.atomic("IMMEDIATE"):
            step(0)
            _check_journal_challenges(plan)
            challenges = _merge_challenges(journal, plan.challenges, step)
            attempts = _merge_attempts(journal, plan.attempts, step)
    except (peewee.PeeweeException, sqlite3.Error) as exc:
        raise classify(exc) from exc
    return ImportResult(
        added_attempts=attempts[0], updated_attempts=attempts[1],
        unchanged_attempts=attempts[2], added_challenges=challenges[0],
        updated_challenges=challenges[1], unchanged_challenges=challenges[2],
    )


def import_file(
    journal: Journal, path: Path | str | os.PathLike[str], *, progress: Progress | None = None
) -> ImportResult:
    """Read, check and merge the export at ``path``: all of it, or (on any error) nothing."""
    return apply_import(journal, read_plan(Path(path)), progress=progress)
