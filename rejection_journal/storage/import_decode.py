"""Reading an export file: bytes to JSON values, refusing what JSON or this app cannot hold.

The first of the import's three parts (decode, :mod:`~rejection_journal.storage.import_schema`,
:mod:`~rejection_journal.storage.merge`): a size limit, UTF-8, duplicate keys, numbers too long
to be a rating, ``NaN``/``Infinity``; the errors every part raises; and the short, safe
descriptions of values that their messages use.  Touches no database.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

from rejection_journal.storage.errors import StorageError
from rejection_journal.storage.sqlite_files import is_live

#: Files larger than this are refused before they are read.
MAX_IMPORT_BYTES = 200 * 1024 * 1024

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
        parts = [where, *([show_key(field)] if field is not None else []), problem]
        super().__init__(": ".join(parts))
        self.problem = problem
        self.record = record
        self.uuid = uuid
        self.field = field
        self.line = line
        self.column = column


class ImportFileError(StorageError):
    """The file to import could not be read (missing, a folder, no permission)."""



class FieldProblem(Exception):
    """One value is wrong; the caller adds where (raised and caught inside the import)."""



# -- describing values in messages ---------------------------------------------------------

class HugeNumber:
    """An integer literal too long to be a rating, kept only to be refused with its place."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class Constant:
    """``NaN``/``Infinity``: Python's json accepts them, JSON does not."""

    def __init__(self, text: str) -> None:
        self.text = text


class DuplicateKeys(dict[str, Any]):
    """A JSON object that named a key twice (the parser would keep only the last value)."""

    duplicate: str = ""


def short(text: str, limit: int = 40) -> str:
    """A quoted, escaped, bounded form of ``text``: safe for a one-line message."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def show_key(key: str) -> str:
    return key if _PLAIN_KEY_RE.fullmatch(key) else short(key)


def describe_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, HugeNumber):
        return f"a number with {value.digits:,} digits"
    if isinstance(value, Constant):
        return f"{value.text} (not allowed in JSON)"
    return type(value).__name__  # pragma: no cover - json produces nothing else



# -- the document as JSON values -----------------------------------------------------------

def parse_int(text: str) -> int | HugeNumber:
    digits = len(text.lstrip("-"))
    return HugeNumber(digits) if digits > _MAX_INT_DIGITS else int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged = DuplicateKeys(obj)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            flagged.duplicate = key
            break
        seen.add(key)
    return flagged


def too_large(size: int) -> ImportValidationError:
    return ImportValidationError(
        f"is {size / 2**20:,.1f} MB; files over {MAX_IMPORT_BYTES // 2**20} MB are not "
        "imported",
        where="file",
    )


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Notepad) is fine
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportValidationError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}: {exc.reason})",
            where=f"byte {exc.start:,} (line {line})", line=line, column=column,
        ) from None


def load_json(text: str) -> object:
    if not text.strip():
        raise ImportValidationError("is empty", where="file")
    try:
        return json.loads(text, object_pairs_hook=_object, parse_int=parse_int,
                          parse_constant=Constant)
    except json.JSONDecodeError as exc:
        raise ImportValidationError(
            f"not valid JSON ({exc.msg})", where=f"line {exc.lineno}, column {exc.colno}",
            line=exc.lineno, column=exc.colno,
        ) from None
    except RecursionError:
        raise ImportValidationError("not valid JSON (nested too deeply)", where="file") from None



def read_bytes(path: Path) -> bytes:
    """The bytes of the export at ``path``: a regular file of at most :data:`MAX_IMPORT_BYTES`.

    Raises :class:`ImportFileError` (missing, a folder, unreadable) or
    :class:`ImportValidationError` (too large).
    """
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
        raise too_large(info.st_size)
    if is_live(path):  # reading it would also drop this process's locks on it
        raise ImportFileError(f"{path} is the journal itself; import a file written by export")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return data

